// Stopping while a call waits for a human's answer (a 2025-era client was sent `elicitation/create`): the question
// is withdrawn, the call answers `declined` (nothing sent) and that answer reaches the client before the server
// exits 0, on stdio (SIGTERM, or the client closing stdin) and over HTTP (SIGTERM).
import { APIGatewayClient, GetIntegrationCommand, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { bearer, BIN, CREDS, startHttpServer } from './harness.js';

/** The client side of a spawned server's stdio, so the test holds the process (its exit code, its stdin). */
class ChildStdio {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: any) => void;
  private buffer = '';
  constructor(private readonly child: ChildProcess) {}
  async start() {
    this.child.stdout!.on('data', (d) => {
      this.buffer += String(d);
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (line.trim()) this.onmessage?.(JSON.parse(line));
      }
    });
    this.child.on('exit', () => this.onclose?.());
  }
  async send(message: unknown) {
    if (this.child.stdin!.writable) this.child.stdin!.write(JSON.stringify(message) + '\n');
  }
  async close() {
    this.child.stdin!.end();
  }
}

function spawnStdio(endpointUrl: string) {
  const home = mkdtempSync(join(tmpdir(), 'apigw-stop-'));
  return spawn(process.execPath, [BIN, '--backend', 'aws', '--endpoint-url', endpointUrl, '--region', 'us-east-1'], {
    env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: home, AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
}

let emu: Emulator;
let aws: APIGatewayClient;
const children: ChildProcess[] = [];
// A server that failed to stop must not outlive its test.
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
beforeAll(async () => {
  emu = await startEmulator({ seed: true });
  aws = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
});
afterAll(async () => {
  aws?.destroy();
  await emu?.close();
});

async function tlsConfig() {
  const apis = await aws.send(new GetRestApisCommand({}));
  const restApiId = apis.items!.find((a) => a.name === 'shop')!.id!;
  const resourceId = (await aws.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/orders')!.id!;
  return (await aws.send(new GetIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET' }))).tlsConfig;
}

describe.each([
  ['stdio, SIGTERM', 'stdio', 'SIGTERM'],
  ['stdio, the client closes stdin', 'stdio', 'stdin'],
  ['HTTP, SIGTERM', 'http', 'SIGTERM'],
] as const)('stopping (%s) while a call waits for the human', (_name, transport, how) => {
  it('withdraws the question: the call answers declined, nothing is sent, and the server exits 0', async () => {
    const before = await tlsConfig();
    const { child, connect } =
      transport === 'stdio'
        ? (() => {
            const child = spawnStdio(emu.url);
            return { child, connect: (c: Client) => c.connect(new ChildStdio(child) as never) };
          })()
        : await startHttpServer(emu.url).then(({ child, url, token }) => ({ child, connect: (c: Client) => c.connect(new StreamableHTTPClientTransport(new URL(url), bearer(token))) }));
    children.push(child);
    const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    const client = new Client({ name: 'never-answers', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    let shown!: (signal: AbortSignal) => void;
    const question = new Promise<AbortSignal>((resolve) => (shown = resolve));
    client.setRequestHandler('elicitation/create', async (_req: unknown, ctx: any) => {
      shown(ctx.mcpReq.signal);
      return new Promise(() => {}); // the human never answers
    });
    await connect(client);
    emu.resetCalls();

    const call = client.callTool({ name: 'set_tls_verification', arguments: { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', insecureSkipVerification: true } });
    const signal = await question;
    if (how === 'SIGTERM') child.kill('SIGTERM');
    else child.stdin!.end();
    const r = (await call) as any;

    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.status).toBe('declined');
    expect(r.structuredContent.message).toContain('The server is stopping, so the confirmation question was withdrawn; nothing was sent');
    expect(r.structuredContent.message).toContain('Call this tool again with the same arguments when the server is back');
    expect(signal.aborted).toBe(true); // the client was told the question is withdrawn
    expect(await exited).toEqual([0, null]);
    expect(emu.calls().UpdateIntegration).toBeUndefined();
    expect(await tlsConfig()).toEqual(before);
    await client.close().catch(() => undefined);
  });
});
