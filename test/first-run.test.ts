// A new user's first run: bad state and audit files named at start (one line, the file, what is wrong, the fix)
// and in every call's answer, nothing written; requests piped in all answered; empty variables taken as unset;
// fixed ports for the emulator and the approval page, and a clear word when a port is taken.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn, spawnSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync, type Stats } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/emulator/server.js';
import { parseServerArgs } from '../src/options.js';
import { checkStateFiles, type FileProbe } from '../src/stateFiles.js';
import { BIN, splitCode } from './harness.js';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `apigw-first-${name}-`));

/** Resolves once `ok()` holds, checked now and then every 20 ms (log lines arrive when they do). */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A port some other process holds (a plain TCP listener on loopback). */
async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port free right now (listened on, then closed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The server started as a host would, its stderr kept; `call` returns the result with its code split off. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const home = env.HOME ?? tmp('home');
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env: { PATH: process.env.PATH ?? '', HOME: home, ...env }, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += String(d)));
  const client = new Client({ name: 'first-run', version: '1' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async call(name: string, args: Record<string, unknown> = {}) {
      const r = (await client.callTool({ name, arguments: args })) as any;
      return splitCode({ isError: r.isError, structured: r.structuredContent, raw: r.content.map((c: any) => c.text).join('\n') });
    },
    close: () => client.close(),
  };
}

describe('state and audit files are checked at start', () => {
  it.each<[string, (dir: string) => string[], RegExp]>([
    ['garbage in the state file', (dir) => (writeFileSync(join(dir, 'state.json'), 'garbage{'), ['--state', join(dir, 'state.json')]), /State file .*state\.json is not valid JSON \(.*\)\. Move it aside \(mv .*\) .* or choose another file with --state\./],
    ['a JSON file that is not a state file', (dir) => (writeFileSync(join(dir, 'state.json'), '{"hello":1}'), ['--state', join(dir, 'state.json')]), /is not an apigw-integration-mcp emulator state file \(version 1\)\. Move it aside/],
    ['a state path under a regular file', (dir) => (writeFileSync(join(dir, 'file'), ''), ['--state', join(dir, 'file', 'sub', 'state.json')]), /State file .*file\/sub\/state\.json cannot be used: a part of the path is a file, not a folder \(ENOTDIR\)\. Choose another file with --state\./],
    ['an audit log that is a folder', (dir) => (mkdirSync(join(dir, 'audit')), ['--state', join(dir, 'state.json'), '--audit-log', join(dir, 'audit')]), /Audit log .*audit is not a file\. Choose another file with --audit-log\./],
  ])('%s: one log line, every call answers state_file with the same text, no stack trace, nothing written', async (_, setup, message) => {
    const dir = tmp('files');
    const args = setup(dir);
    const before = readdirSync(dir).sort();
    const s = await serve(args);
    for (const tool of ['list_apis', 'list_changes']) {
      const r = await s.call(tool);
      expect(r.isError).toBe(true);
      expect(r.code).toBe('state_file');
      expect(r.text).toMatch(message);
      expect(r.structured).toEqual({ code: 'state_file', message: r.text });
    }
    await until(() => s.stderr().includes('Claude Desktop config'));
    await s.close();
    const problem = s.stderr().split('\n').filter((l) => /every tool call will fail until this is fixed/.test(l));
    expect(problem).toHaveLength(1);
    expect(problem[0]).toMatch(message);
    expect(s.stderr()).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('works again once the file is moved aside, without a restart', async () => {
    const dir = tmp('fixed');
    const state = join(dir, 'state.json');
    writeFileSync(state, 'not json');
    const s = await serve(['--state', state]);
    expect((await s.call('list_apis')).code).toBe('state_file');
    renameSync(state, `${state}.bad`);
    const r = await s.call('list_apis');
    expect(r.isError).toBeFalsy();
    expect(r.structured.apis.map((a: any) => a.name)).toEqual(['shop', 'inventory', 'legacy-billing']);
    await s.close();
  });

  it('a state file broken by another process after start is named too, without a stack trace', async () => {
    const dir = tmp('broken');
    const state = join(dir, 'state.json');
    const s = await serve(['--state', state], { APIGW_MCP_RETRY_BASE_MS: '1' });
    expect((await s.call('list_apis')).isError).toBeFalsy();
    writeFileSync(state, '{"half":');
    const r = await s.call('get_integration', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET' });
    expect(r).toMatchObject({ isError: true, code: 'state_file' });
    expect(r.text).toMatch(/^State file .*state\.json is not valid JSON .* Move it aside/);
    await s.close();
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  // Root (as in CI) passes every permission check, so the errno answers of an unwritable folder, a read-only file
  // system and an unreadable file are given by a probe; the check itself is the one the server runs.
  const probe = (answers: Record<string, { stat?: 'file' | 'dir' | 'none'; access?: string; read?: string }>): FileProbe => {
    const fail = (code: string) => Object.assign(new Error(code), { code });
    return {
      stat: (p) => {
        const a = answers[p]?.stat ?? 'none';
        if (a === 'none') throw fail('ENOENT');
        return { isFile: () => a === 'file', isDirectory: () => a === 'dir' } as Stats;
      },
      access: (p, mode) => {
        if (answers[p]?.access && (mode & (answers[p].access === 'write' ? constants.W_OK : constants.R_OK))) throw fail(answers[p].access === 'erofs' ? 'EROFS' : 'EACCES');
        if (answers[p]?.access === 'erofs' && mode & constants.W_OK) throw fail('EROFS');
      },
      read: (p) => answers[p]?.read ?? '{"version":1,"apis":{}}',
    };
  };

  it.each<[string, Record<string, { stat?: 'file' | 'dir' | 'none'; access?: string; read?: string }>, boolean, RegExp]>([
    ['an unwritable state folder', { '/s': { stat: 'dir', access: 'write' } }, false, /State file \/s\/state\.json cannot be created: the folder \/s is not writable: permission denied \(EACCES\)\. Choose a file in a folder you can write with --state\./],
    ['a read-only file system', { '/s': { stat: 'dir', access: 'erofs' } }, false, /the folder \/s is not writable: it is on a read-only file system \(EROFS\)/],
    ['an existing state file in an unwritable folder', { '/s': { stat: 'dir', access: 'write' }, '/s/state.json': { stat: 'file' } }, false, /State file \/s\/state\.json cannot be changed: the folder \/s is not writable/],
    ['an unreadable audit log', { '/s': { stat: 'dir' }, '/a': { stat: 'dir' }, '/a/audit.jsonl': { stat: 'file', access: 'read' } }, false, /Audit log \/a\/audit\.jsonl cannot be read: permission denied \(EACCES\)\. Fix its permissions, or choose another file with --audit-log\./],
    ['an unwritable audit log', { '/s': { stat: 'dir' }, '/a': { stat: 'dir' }, '/a/audit.jsonl': { stat: 'file', access: 'write' } }, false, /Audit log \/a\/audit\.jsonl cannot be written: permission denied \(EACCES\)/],
  ])('names %s', (_, answers, readOnly, message) => {
    expect(checkStateFiles({ statePath: '/s/state.json', auditLog: '/a/audit.jsonl', readOnly }, probe(answers))).toMatch(message);
  });

  it('a read-only server needs no writable audit log, and a good setup has no problem', () => {
    const ok = { '/s': { stat: 'dir' as const }, '/a': { stat: 'dir' as const }, '/a/audit.jsonl': { stat: 'file' as const, access: 'write' } };
    expect(checkStateFiles({ auditLog: '/a/audit.jsonl', readOnly: true }, probe(ok))).toBeUndefined();
    expect(checkStateFiles({ statePath: '/s/state.json', auditLog: '/a/x.jsonl', readOnly: false }, probe(ok))).toBeUndefined();
  });
});

describe('stack traces', () => {
  it('the emulator logs an unexpected failure as one line, with the stack only with --debug', async () => {
    const dir = tmp('stack');
    writeFileSync(join(dir, 'state.json'), 'garbage{');
    const logs: Record<string, string> = {};
    for (const debug of ['', '--debug']) {
      const port = await freePort();
      const child = spawn(process.execPath, [BIN, 'emulator', '--port', String(port), '--state', join(dir, 'state.json'), ...(debug ? [debug] : [])], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      try {
        await until(() => err.includes('listening'));
        const res = await fetch(`http://127.0.0.1:${port}/restapis`);
        expect(res.status).toBe(500);
        await until(() => err.includes('apigw emulator:'));
      } finally {
        child.kill();
      }
      logs[debug] = err;
    }
    expect(logs['']).not.toMatch(/\n\s+at /);
    expect(logs['--debug']).toMatch(/\n\s+at /);
  });
});

describe('requests piped in', () => {
  it('answers every request read before end of input, even when input ends before the server is ready', async () => {
    const home = tmp('pipe');
    const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const lines = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_apis', arguments: {} } },
    ];
    // All of it at once and the end of input with it: it arrives while the MCP SDK is still loading.
    child.stdin.end(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const answers = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(answers[2].result.structuredContent.apis.map((a: any) => a.name)).toContain('shop');
  });
});

describe('empty environment variables are unset', () => {
  it('AWS_REGION= takes the region from the profile, as the AWS CLI does', async () => {
    const emu = await startEmulator({ seed: true });
    const home = tmp('region');
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), '[profile ops]\nregion = eu-west-1\n');
    writeFileSync(join(home, '.aws', 'credentials'), '[ops]\naws_access_key_id = x\naws_secret_access_key = x\n');
    const s = await serve(['--endpoint-url', emu.url], { HOME: home, AWS_PROFILE: 'ops', AWS_REGION: '', AWS_DEFAULT_REGION: '', APIGW_MCP_CONFIRM: '' });
    const r = await s.call('list_apis');
    expect(r.isError, r.raw).toBeFalsy();
    expect(r.structured.region).toBe('eu-west-1');
    await s.close();
    await emu.close();
  });

  it('empty APIGW_MCP_* settings take their defaults', () => {
    const config = parseServerArgs([], { XDG_STATE_HOME: '/tmp/x', APIGW_MCP_STATE: '', APIGW_MCP_AUDIT_LOG: '', APIGW_MCP_BACKEND: '', APIGW_MCP_CONFIRM: '', AWS_ENDPOINT_URL: '' });
    expect(config).toMatchObject({ backend: 'local', statePath: '/tmp/x/apigw-integration-mcp/emulator-state.json', confirm: 'risky' });
  });
});

describe('where the local backend keeps its audit log', () => {
  it('beside its state file, so two emulators never share one; AWS keeps the shared default', () => {
    expect(parseServerArgs(['--state', '/tmp/a/one.json'], {}).auditLog).toBe('/tmp/a/one.audit.jsonl');
    expect(parseServerArgs([], { XDG_STATE_HOME: '/tmp/x' }).auditLog).toBe('/tmp/x/apigw-integration-mcp/emulator-state.audit.jsonl');
    expect(parseServerArgs(['--backend', 'aws'], { XDG_STATE_HOME: '/tmp/x' }).auditLog).toBe('/tmp/x/apigw-integration-mcp/audit.jsonl');
  });

  it('the Claude Desktop entry names the state file and audit log by absolute path', async () => {
    const home = tmp('desktop');
    const s = await serve([], { XDG_STATE_HOME: join(home, 'xdg') });
    await until(() => s.stderr().includes('Claude Desktop config'));
    await s.close();
    const entry = JSON.parse(/Claude Desktop config: (.*)\n/.exec(s.stderr())![1]).mcpServers['apigw-integration'];
    const dir = join(home, 'xdg', 'apigw-integration-mcp');
    expect(entry.args.slice(1)).toEqual(['--state', join(dir, 'emulator-state.json'), '--audit-log', join(dir, 'emulator-state.audit.jsonl')]);
    expect(entry.env).toBeUndefined();
  });
});

describe('ports', () => {
  it('--emulator-port and --approval-port fix the ports; the start-up log names the demo APIs and the approval page', async () => {
    const [emulatorPort, approvalPort] = [await freePort(), await freePort()];
    const dir = tmp('ports');
    const s = await serve(['--state', join(dir, 'state.json'), '--emulator-port', String(emulatorPort), '--approval-port', String(approvalPort)]);
    await until(() => s.stderr().includes('Claude Desktop config'));
    expect(s.stderr()).toContain('seeded with the demo APIs shop, inventory and legacy-billing');
    expect(s.stderr()).toContain(`approval page (when a client cannot ask): http://127.0.0.1:${approvalPort}/approve/`);
    const apis = await s.call('list_apis');
    await until(() => s.stderr().includes('embedded emulator'));
    expect(s.stderr()).toContain(`embedded emulator listening on http://127.0.0.1:${emulatorPort}`);
    const shop = apis.structured.apis.find((a: any) => a.name === 'shop').id;
    const r = await s.call('set_tls_verification', { restApiId: shop, resourcePath: '/orders', httpMethod: 'GET', insecureSkipVerification: true });
    expect(r.structured.approvalUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${approvalPort}/approve/apr_`));
    await s.close();
  });

  it('a taken emulator or approval port is named with the option that moves it', async () => {
    const taken = await takenPort();
    const dir = tmp('taken');
    const s = await serve(['--state', join(dir, 'state.json'), '--emulator-port', String(taken)]);
    const r = await s.call('list_apis');
    expect(r).toMatchObject({ isError: true, code: 'conflict' });
    expect(r.text).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}: the port is in use .* --emulator-port, or 0 for any free port`));
    await s.close();

    const p = await serve(['--state', join(dir, 'state.json'), '--approval-port', String(taken)]);
    const shop = (await p.call('list_apis')).structured.apis.find((a: any) => a.name === 'shop').id;
    const change = { restApiId: shop, resourcePath: '/orders', httpMethod: 'GET', insecureSkipVerification: true };
    const refused = await p.call('set_tls_verification', change);
    expect(refused).toMatchObject({ isError: true, code: 'conflict' });
    expect(refused.text).toMatch(/approval page cannot listen on 127\.0\.0\.1:\d+: the port is in use .* --approval-port, or 0/);
    await p.close();
  });

  it('a taken --port over HTTP exits with the fix', async () => {
    const taken = await takenPort();
    const r = spawnSync(process.execPath, [BIN, '--http', '--port', String(taken)], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tmp('http') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/EADDRINUSE.*the port is in use.*--port 0 for any free port/);
  });
});
