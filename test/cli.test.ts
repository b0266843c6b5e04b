// The command line as a user meets it: help, version, bad options, the default embedded backend (seeded on
// first use, state under XDG_STATE_HOME, nothing written at start), exit when the client goes away, and both
// protocol eras.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/emulator/server.js';
import { parseServerArgs } from '../src/options.js';
import { TOOLS } from '../tools/index.js';
import { BIN } from './harness.js';

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tmpdir(), ...env }, input: '' });

describe('options', () => {
  it('--help lists every option with its environment variable, on stdout, exit 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const opt of ['--backend', '--state', '--endpoint-url', '--region', '--profile', '--max-timeout-ms', '--version', 'emulator', '--port', '--no-seed'])
      expect(r.stdout).toContain(opt);
    for (const env of ['APIGW_MCP_BACKEND', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_PROFILE']) expect(r.stdout).toContain(env);
  });

  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--backend', 'gcp'], /--backend must be local or aws/],
    [['--max-timeout-ms', 'lots'], /--max-timeout-ms must be a whole number/],
    [['--max-timeout-ms', '10'], /: --max-timeout-ms .*: Too small/],
    [['--endpoint-url', 'ftp://x'], /: --endpoint-url/],
    [['--approval-ttl', '5'], /: --approval-ttl: .*>=10/],
    [['--http', '--port', '70000'], /: --port: /],
    [['--http', '--auth-token', 'short'], /: --auth-token .*at least 16 characters/],
    [['--profile', 'ops'], /--profile needs --backend aws/],
    [['--backend', 'local', '--endpoint-url', 'http://127.0.0.1:1'], /needs --backend aws/],
    [['--backend', 'aws', '--region', 'Mars'], /region such as us-east-1/],
    [['--region', 'eu-west-1'], /--region needs --backend aws/],
    [['--endpoint-url', 'localhost:4566'], /--endpoint-url needs a scheme: http:\/\/localhost:4566/],
    [['--backend', 'aws', '--emulator-port', '4599'], /--emulator-port needs --backend local/],
    [['emulator', '--port', 'x'], /--port must be a whole number/],
    [['emulator', '--faults', '{"bogus":1}'], /--faults.*bogus/],
    [['--allow-profile', 'ops'], /need --backend aws/],
  ])('rejects %j with one line on stderr and a non-zero exit', (args, message) => {
    const r = run(args);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('logs a Claude Desktop entry that starts the same server: every option and setting, no secret', async () => {
    const emu = await startEmulator({ seed: true });
    const home = mkdtempSync(join(tmpdir(), 'apigw-snippet-'));
    const args = ['--endpoint-url', emu.url, '--region', 'us-east-1', '--read-only', '--allow-api', 'shop'];
    const env = { PATH: process.env.PATH ?? '', HOME: home, APIGW_MCP_CONFIRM: 'always', AWS_ACCESS_KEY_ID: 'AKIDSNIPPET', AWS_SECRET_ACCESS_KEY: 'secret-snippet', APIGW_MCP_AUTH_TOKEN: 'token-snippet-0123456789' };
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    const line = await new Promise<string>((resolve) =>
      child.stderr.on('data', (d) => {
        err += d;
        const m = /Claude Desktop config: (.*)\n/.exec(err);
        if (m) resolve(m[1]);
      }),
    );
    child.kill();
    expect(line).not.toMatch(/AKIDSNIPPET|secret-snippet|token-snippet/);
    const entry = JSON.parse(line).mcpServers['apigw-integration'];
    // The files it used, by absolute path (a host starts it without XDG_STATE_HOME), and dummy keys for the endpoint.
    expect(entry.args.slice(1)).toEqual([...args, '--audit-log', join(home, '.local', 'state', 'apigw-integration-mcp', 'audit.jsonl')]);
    expect(entry.env).toEqual({ APIGW_MCP_CONFIRM: 'always', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    // Started as the entry says (credentials from the user's own environment), it is the same read-only server.
    const client = new Client({ name: 'snippet', version: '1' });
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...entry.env, HOME: home, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' }, stderr: 'ignore' }));
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('get_integration');
    expect(names).not.toContain('set_timeout');
    const r = (await client.callTool({ name: 'list_apis', arguments: {} })) as any;
    expect(r.structuredContent.apis.map((a: any) => a.name)).toContain('shop');
    await client.close();
    await emu.close();
  });

  it('says which profile gave no credentials, and how to fix it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'apigw-noprofile-'));
    const client = new Client({ name: 'noprofile', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, '--backend', 'aws', '--profile', 'ghost', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], env: { PATH: process.env.PATH ?? '', HOME: home }, stderr: 'ignore' }));
    const r = (await client.callTool({ name: 'list_apis', arguments: {} })) as any;
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toMatch(/Profile "ghost" gave no credentials.*aws configure --profile ghost/);
    await client.close();
  });

  it('lets AWS_ENDPOINT_URL choose the aws backend, and keeps the local one by default', () => {
    expect(parseServerArgs([], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toMatchObject({ backend: 'aws', endpointUrl: 'http://127.0.0.1:4566' });
    expect(() => parseServerArgs([], { AWS_ENDPOINT_URL: 'localhost:4566' })).toThrow('AWS_ENDPOINT_URL needs a scheme: http://localhost:4566');
    expect(parseServerArgs([], { XDG_STATE_HOME: '/tmp/x' })).toMatchObject({ backend: 'local', statePath: '/tmp/x/apigw-integration-mcp/emulator-state.json', maxTimeoutMs: 29000 });
    expect(parseServerArgs(['--backend', 'aws', '--region', 'eu-west-1', '--profile', 'ops'], {})).toMatchObject({ backend: 'aws', region: 'eu-west-1', profile: 'ops' });
  });
});

describe('the default embedded backend', () => {
  it('writes nothing at start, seeds the demo API on first use, keeps state under XDG_STATE_HOME, and says so on stderr', async () => {
    const home = mkdtempSync(join(tmpdir(), 'apigw-cli-'));
    const state = join(home, 'state', 'apigw-integration-mcp', 'emulator-state.json');
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], env: { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: join(home, 'state') }, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += String(d)));
    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(transport);
    const tools = await client.listTools();
    // The default configuration serves the whole catalog, in its order.
    expect(tools.tools.map((t) => t.name)).toEqual(TOOLS.filter((t) => !t.toolset).map((t) => t.name));
    expect(existsSync(state)).toBe(false);

    const r = (await client.callTool({ name: 'list_apis', arguments: {} })) as any;
    expect(r.structuredContent.apis.map((a: any) => a.name)).toContain('shop');
    expect(r.structuredContent.backend).toContain('local emulator');
    expect(existsSync(state)).toBe(true);
    await client.close();

    expect(stderr).toContain('serving MCP on stdio');
    expect(stderr).toContain(`backend: local emulator (state ${state})`);
    expect(stderr).toContain('"mcpServers"');
  });

  it('exits when its stdin closes, embedded emulator included', async () => {
    const home = mkdtempSync(join(tmpdir(), 'apigw-cli-'));
    const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: string[] = [];
    child.stdout.on('data', (d) => lines.push(String(d)));
    const send = (m: object) => child.stdin.write(JSON.stringify(m) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // A call that starts the embedded emulator, so its listener is open when stdin closes.
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_apis', arguments: {} } });
    await new Promise<void>((resolve) => child.stdout.on('data', () => lines.join('').includes('"id":2') && resolve()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.end();
    expect(await exited).toBe(0);
    // Every stdout line is a JSON-RPC message: logs went to stderr.
    for (const line of lines.join('').split('\n').filter(Boolean)) expect(JSON.parse(line).jsonrpc).toBe('2.0');
  });

  it('answers a call still in flight when its stdin closes, before it exits', async () => {
    const home = mkdtempSync(join(tmpdir(), 'apigw-cli-'));
    const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const send = (m: object) => child.stdin.write(JSON.stringify(m) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('"id":2') && resolve()));
    // The client hangs up right after asking (the call starts the embedded emulator, so it is still running then).
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_apis', arguments: {} } });
    child.stdin.end();
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    const answer = out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.id === 3);
    expect(answer?.result?.structuredContent?.apis.map((a: any) => a.name)).toContain('shop');
  });
});

describe('the early answer to initialize', () => {
  /** Sends initialize (and then tools/list), returns the two answers and stderr. */
  async function handshake(protocolVersion: string) {
    const home = mkdtempSync(join(tmpdir(), 'apigw-cli-'));
    const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const send = (m: object) => child.stdin.write(JSON.stringify(m) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('"id":2') && resolve()));
    child.stdin.end();
    await new Promise((resolve) => child.on('exit', resolve));
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return { lines, err };
  }

  it.each(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07', '1999-01-01'])(
    'answers initialize %s once, exactly as the SDK does (its own answer is compared and dropped), then serves',
    async (version) => {
      const { lines, err } = await handshake(version);
      const inits = lines.filter((l) => l.id === 1);
      expect(inits).toHaveLength(1);
      expect(inits[0].result.protocolVersion).toBe(version === '1999-01-01' ? '2025-11-25' : version);
      expect(inits[0].result.serverInfo.name).toBe('apigw-integration-mcp');
      expect(err).not.toContain('early initialize answer differs');
      expect(lines.find((l) => l.id === 2).result.tools.map((t: { name: string }) => t.name)).toEqual(TOOLS.filter((t) => !t.toolset).map((t) => t.name));
    },
  );
});

describe('protocol eras', () => {
  it('serves a 2026-07-28 client (server/discover) as well as a 2025 one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'apigw-cli-'));
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], env: { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: home }, stderr: 'pipe' });
    const client = new Client({ name: 'modern', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(transport);
    const r = (await client.callTool({ name: 'get_integration', arguments: { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET' } })) as any;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.integration.type).toBe('MOCK');
    await client.close();
  });
});
