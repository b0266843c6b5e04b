// The Claude Desktop bundle as the host sees it: `mcpb validate` passes; the built .mcpb, unpacked, holds only the
// manifest, a package.json, bin/ and dist/; its manifest is resolved with mcpb's own getMcpConfigForManifest (the
// code Claude Desktop uses: ${__dirname}, ${user_config.*} with defaults or chosen values); and the server starts from
// the unpacked folder with a host-like environment (the resolved env, HOME and PATH only) and answers initialize,
// tools/list and a tool call through the SDK's client. Needs dist/ (npm test builds first).
import { getMcpConfigForManifest, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerArgs } from '../src/options.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MCPB = join(ROOT, 'node_modules', '.bin', 'mcpb');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

type McpConfig = { command: string; args?: string[]; env?: Record<string, string> };

let work: string;
let unpacked: string;
let manifest: McpbManifestAny;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'apigw-mcpb-'));
  const bundle = join(work, 'apigw-integration-mcp.mcpb');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-mcpb.mjs'), `--out=${bundle}`], { stdio: 'pipe' });
  unpacked = join(work, 'unpacked');
  execFileSync(MCPB, ['unpack', bundle, unpacked], { stdio: 'pipe' });
  manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The command, args and env Claude Desktop derives from the manifest and the settings form. */
async function resolveAsHost(userConfig: Record<string, string | number | boolean>, home: string): Promise<McpConfig> {
  const config = await getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: { HOME: home }, userConfig, pathSeparator: '/' });
  if (!config) throw new Error('the host would not start the server (required settings missing)');
  return config as McpConfig;
}

/** Starts the unpacked server with only the resolved env plus HOME and PATH, as a host does. */
async function connect(config: McpConfig, home: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args ?? [],
    env: { ...config.env, HOME: home, PATH: process.env.PATH ?? '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'claude-desktop-like', version: '1' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('the Claude Desktop bundle (.mcpb)', () => {
  it('has a manifest that mcpb validate accepts, as source and as packed', () => {
    for (const file of [join(ROOT, 'mcpb', 'manifest.json'), join(unpacked, 'manifest.json')])
      expect(execFileSync(MCPB, ['validate', file], { encoding: 'utf8' })).toContain('Manifest schema validation passes');
  });

  it('holds only the manifest, a package.json, bin/ and dist/: no node_modules, no sources', () => {
    expect(readdirSync(unpacked).sort()).toEqual(['bin', 'dist', 'manifest.json', 'package.json']);
    expect(JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))).toEqual({ name: pkg.name, version: pkg.version, type: 'module', license: 'MIT' });
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server).toMatchObject({ type: 'node', entry_point: 'bin/apigw-integration-mcp.js' });
  });

  it('with the default settings resolves to the local emulator and leaves no placeholder behind', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const config = await resolveAsHost({}, home);
    expect(JSON.stringify(config)).not.toContain('${');
    expect(config.args).toEqual([join(unpacked, 'bin', 'apigw-integration-mcp.js')]);
    // Unset optional settings arrive as empty env vars, which the server reads as unset.
    const options = parseServerArgs(config.args!.slice(1), config.env ?? {});
    expect(options).toMatchObject({ backend: 'local', readOnly: false, allowApis: [], confirmFallback: 'page' });
    expect(options.profile).toBeUndefined();
    expect(options.region).toBeUndefined();
  });

  it('maps chosen AWS settings onto the server options', async () => {
    const config = await resolveAsHost({ backend: 'aws', profile: 'ops', region: 'eu-west-1', read_only: true, allow_apis: 'shop, billing', confirm_fallback: 'deny' }, work);
    const options = parseServerArgs(config.args!.slice(1), config.env ?? {});
    expect(options).toMatchObject({ backend: 'aws', profile: 'ops', region: 'eu-west-1', readOnly: true, allowApis: ['shop', 'billing'], confirmFallback: 'deny' });
  });

  it('starts from the unpacked folder with the defaults and answers initialize, tools/list and a tool call', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const { client, stderr } = await connect(await resolveAsHost({}, home), home);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: pkg.name, version: pkg.version });
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('update_integration');
      const r = (await client.callTool({ name: 'get_integration', arguments: { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET' } })) as any;
      expect(r.isError, `${r.content?.[0]?.text}\n${stderr()}`).toBeFalsy();
      expect(r.structuredContent.integration.type).toBe('MOCK');
      expect(r.structuredContent.backend).toContain(join(home, '.local', 'state', 'apigw-integration-mcp'));
    } finally {
      await client.close();
    }
  });

  it('starts read-only when the form says so: the write tools are not listed, reads work', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const { client, stderr } = await connect(await resolveAsHost({ read_only: true, allow_apis: 'shop', confirm_fallback: 'deny' }, home), home);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('get_integration');
      expect(names).not.toContain('update_integration');
      const r = (await client.callTool({ name: 'list_apis', arguments: {} })) as any;
      expect(r.isError, `${r.content?.[0]?.text}\n${stderr()}`).toBeFalsy();
    } finally {
      await client.close();
    }
  });
});
