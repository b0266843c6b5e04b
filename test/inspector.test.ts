// A real third-party client: the MCP Inspector CLI (@modelcontextprotocol/inspector, pinned, run from
// node_modules: no network), against the built server on stdio and over Streamable HTTP, in both protocol eras.
// It lists the tools, reads an integration, and makes one safe write (set_timeout), checked through an
// independent AWS SDK client and the emulator's call counts. The Inspector declares no elicitation, so a risky
// change gets the approval page (status approval_required), as Claude Desktop would.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { BIN, CREDS, startHttpServer } from './harness.js';

const require = createRequire(import.meta.url);
const pkgJson = require.resolve('@modelcontextprotocol/inspector/package.json');
const INSPECTOR = join(dirname(pkgJson), JSON.parse(readFileSync(pkgJson, 'utf8')).bin['mcp-inspector']);
const ERAS = ['legacy', 'modern'] as const;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the Inspector CLI with a throw-away HOME (it keeps a catalog there), bounded in time. */
function inspector(args: string[], timeoutMs = 30_000): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'apigw-inspector-home-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INSPECTOR, '--cli', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON result the Inspector prints with --format json -q. */
function result(run: Run): any {
  expect(run.code, `inspector exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
  const out = JSON.parse(run.stdout);
  return out.result ?? out;
}

let emu: Emulator;
let aws: APIGatewayClient;
let state: string;
let serverCmd: string[];
let ids: { restApiId: string; resourceId: string };

beforeAll(async () => {
  emu = await startEmulator({ seed: true });
  aws = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
  state = mkdtempSync(join(tmpdir(), 'apigw-inspector-state-'));
  // The stdio server as the Inspector starts it: command, args, and -e for its environment.
  serverCmd = [
    ...['-e', `AWS_ACCESS_KEY_ID=${CREDS.accessKeyId}`, '-e', `AWS_SECRET_ACCESS_KEY=${CREDS.secretAccessKey}`, '-e', `XDG_STATE_HOME=${state}`],
    process.execPath,
    BIN,
    ...['--backend', 'aws', '--endpoint-url', emu.url, '--region', 'us-east-1'],
  ];
  const { GetRestApisCommand, GetResourcesCommand } = await import('@aws-sdk/client-api-gateway');
  const restApiId = (await aws.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'shop')!.id!;
  const resourceId = (await aws.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/orders')!.id!;
  ids = { restApiId, resourceId };
});

afterAll(async () => {
  aws?.destroy();
  await emu?.close();
});

describe.each(ERAS)('Inspector CLI over stdio, %s era', (era) => {
  it('lists the tools, with schemas the Inspector finds portable (no errors)', async () => {
    const run = await inspector([...serverCmd, '--protocol-era', era, '--method', 'tools/list', '--format', 'json', '--strict']);
    const names = result(run).tools.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_apis', 'list_integrations', 'get_integration', 'update_integration', 'set_timeout']));
  });

  it('calls get_integration with --tool-arg pairs', async () => {
    const run = await inspector([...serverCmd, '--protocol-era', era, '--format', 'json', '-q', '--method', 'tools/call', '--tool-name', 'get_integration',
      '--tool-arg', `restApiId=${ids.restApiId}`, `resourceId=${ids.resourceId}`, 'httpMethod=GET']);
    const r = result(run);
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.integration).toMatchObject({ type: 'HTTP', httpMethod: 'GET' });
    expect(r.structuredContent.backend).toContain(emu.url);
  });
});

describe('Inspector CLI writes', () => {
  it('applies a safe change (set_timeout) with one read and one update', async () => {
    emu.resetCalls();
    const timeoutInMillis = 12_345;
    const run = await inspector([...serverCmd, '--format', 'json', '-q', '--method', 'tools/call', '--tool-name', 'set_timeout',
      '--tool-args-json', JSON.stringify({ ...ids, httpMethod: 'GET', timeoutInMillis })]);
    const r = result(run);
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.status).toBe('applied');
    const { GetIntegrationCommand } = await import('@aws-sdk/client-api-gateway');
    expect((await aws.send(new GetIntegrationCommand({ ...ids, httpMethod: 'GET' }))).timeoutInMillis).toBe(timeoutInMillis);
    const calls = emu.calls();
    expect(calls.UpdateIntegration).toBe(1);
    expect(calls.GetMethod).toBe(1);
  });

  it('gets the approval page for a risky change (the Inspector cannot elicit), and changes nothing', async () => {
    emu.resetCalls();
    const run = await inspector([...serverCmd, '--format', 'json', '-q', '--method', 'tools/call', '--tool-name', 'set_tls_verification',
      '--tool-args-json', JSON.stringify({ ...ids, httpMethod: 'GET', insecureSkipVerification: true })]);
    const r = result(run);
    expect(r.structuredContent?.status ?? r.content?.[0]?.text).toMatch(/approval_required/);
    expect(emu.calls().UpdateIntegration ?? 0).toBe(0);
  });
});

describe('Inspector CLI over Streamable HTTP', () => {
  let child: ChildProcess;
  let url: string;
  let token: string;
  beforeAll(async () => {
    ({ child, url, token } = await startHttpServer(emu.url));
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it.each(ERAS)('lists tools and calls list_apis and get_integration (%s era)', async (era) => {
    const auth = ['--header', `Authorization: Bearer ${token}`];
    const list = result(await inspector([url, ...auth, '--protocol-era', era, '--format', 'json', '-q', '--method', 'tools/list']));
    expect(list.tools.map((t: { name: string }) => t.name)).toContain('get_integration');
    const apis = result(await inspector([url, ...auth, '--protocol-era', era, '--format', 'json', '-q', '--method', 'tools/call', '--tool-name', 'list_apis']));
    expect(apis.structuredContent.apis.map((a: { name: string }) => a.name)).toContain('shop');
    const one = result(await inspector([url, ...auth, '--protocol-era', era, '--format', 'json', '-q', '--method', 'tools/call', '--tool-name', 'get_integration',
      '--tool-arg', 'apiName=shop', 'resourcePath=/health', 'httpMethod=GET']));
    expect(one.structuredContent.integration.type).toBe('MOCK');
  });
});
