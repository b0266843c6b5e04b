// The README's client snippets as a user copies them. The Claude Desktop snippet for the local emulator is read
// from the README, its placeholder path replaced by this clone, and the server started exactly as it says
// (command + args), with the environment Claude Desktop gives a server (the snippet's env, HOME and PATH; HOME a
// temp folder so state goes there), through the SDK's StdioClientTransport; then a tool is called. The other
// snippets must name options the server accepts. And the packed package (what `npx -y apigw-integration-mcp`
// installs) runs without a build step or any dependency.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseServerArgs } from '../src/options.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const PLACEHOLDER = '/path/to/apigw-integration-mcp';
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface ServerEntry {
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

/** The fenced json block right after `<!-- claude-desktop:NAME ... -->`, with the clone path filled in. */
function snippet(name: string): { name: string; server: ServerEntry } {
  const m = new RegExp(`<!-- claude-desktop:${name}\\b[^>]*-->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no json block marked <!-- claude-desktop:${name} -->`);
  const servers = (JSON.parse(m[1]) as { mcpServers: Record<string, ServerEntry> }).mcpServers;
  const [[serverName, server]] = Object.entries(servers);
  const fill = (s: string) => s.split(PLACEHOLDER).join(ROOT);
  return { name: serverName, server: { ...server, args: server.args?.map(fill), env: server.env && Object.fromEntries(Object.entries(server.env).map(([k, v]) => [k, fill(v)])) } };
}

describe('the Claude Desktop snippets in the README', () => {
  it('local emulator: starts as the snippet says and completes a tools/call, state under the temp HOME', async () => {
    const { server } = snippet('local');
    expect(server.command).toBe('node');
    expect(existsSync(server.args![0])).toBe(true);
    const home = mkdtempSync(join(tmpdir(), 'apigw-desktop-'));
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args ?? [],
      env: { ...server.env, HOME: home, PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'claude-desktop-like', version: '1' });
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain('update_integration');
      const r = (await client.callTool({ name: 'get_integration', arguments: { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET' } })) as any;
      expect(r.isError, r.content?.[0]?.text).toBeFalsy();
      expect(r.structuredContent.integration.type).toBe('MOCK');
      expect(r.structuredContent.backend).toContain('local emulator');
    } finally {
      await client.close();
    }
    expect(existsSync(join(home, '.local', 'state', 'apigw-integration-mcp', 'emulator-state.json')), stderr).toBe(true);
  });

  it.each(['aws', 'read-only'])('%s: names this clone and options the server accepts', (name) => {
    const { server } = snippet(name);
    expect(server.command).toBe('node');
    expect(existsSync(server.args![0])).toBe(true);
    const config = parseServerArgs(server.args!.slice(1), {});
    expect(config.backend).toBe('aws');
    expect(config.readOnly).toBe(name === 'read-only');
  });

  it('Claude Code commands name the same entry point', () => {
    const lines = readme.match(/^claude mcp add .*$/gm) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines.filter((l) => !l.includes('--transport http'))) {
      const args = line.split(' -- ')[1].split(' ');
      expect(args.slice(0, 2)).toEqual(['node', `${PLACEHOLDER}/bin/apigw-integration-mcp.js`]);
      parseServerArgs(args.slice(2), {});
    }
  });
});

describe('the published package', () => {
  it('installs from its tarball with no dependencies and runs: --version, then initialize on stdio', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigw-pack-'));
    // --ignore-scripts: pack the dist/ that `npm test` just built (prepare would rebuild it under other tests).
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    // --offline: nothing is fetched; it only works because the package needs nothing but itself.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(dir, tgz)], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(readdirSync(join(app, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['apigw-integration-mcp']);
    const installed = join(app, 'node_modules', 'apigw-integration-mcp');
    const files = readdirSync(installed);
    expect(files).not.toContain('src');
    expect(files).not.toContain('node_modules');

    const bin = join(app, 'node_modules', '.bin', 'apigw-integration-mcp');
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(execFileSync(bin, ['--version'], { env, encoding: 'utf8' }).trim()).toBe(version);

    const child = spawn(bin, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'npx-like', version: '1' } } })}\n`);
    });
    child.stdin.end();
    const answer = JSON.parse(line);
    expect(answer.id).toBe(1);
    expect(answer.result.serverInfo).toEqual({ name: 'apigw-integration-mcp', version });
  }, 60_000);
});
