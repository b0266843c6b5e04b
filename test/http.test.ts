// The Streamable HTTP transport as a network service meets it: both protocol eras, the bearer token (generated at
// start when none is given), Host and Origin checks, the body limit, refusing a public bind without a token of one's
// own, and a clean SIGTERM.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { TOOLS } from '../tools/index.js';
import { bearer, BIN, startHttpServer } from './harness.js';

const TOKEN = 'test-token-0123456789abcdef';

const startHttp = (emu: Emulator, args: string[] = []) => startHttpServer(emu.url, args);

/** A raw request, to set headers fetch would not let us set (Host). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (url: string, headers: Record<string, string>, body: string) => send(url, 'POST', headers, body);

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: true });
});
afterAll(() => emu?.close());

describe('on loopback, with the token the server generated', () => {
  let srv: Awaited<ReturnType<typeof startHttp>>;
  beforeAll(async () => {
    srv = await startHttp(emu);
  });
  afterAll(() => srv?.child.kill());
  const auth = () => ({ authorization: `Bearer ${srv.token}` });

  it('generates a token into a file only the user can read, and prints the URL, the file and a client configuration', () => {
    const file = join(srv.home, 'apigw-integration-mcp', 'http-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(srv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(srv.stderr()).toContain(`bearer token: generated for this run, in ${file}`);
    const config = JSON.parse(/client configuration: (\{.*\})/.exec(srv.stderr())![1]);
    expect(config.mcpServers['apigw-integration']).toEqual({ type: 'http', url: srv.url, headers: { Authorization: `Bearer ${srv.token}` } });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789' }],
  ])('answers 401 with %s, and opens no session', async (_n, headers) => {
    const r = await post(srv.url, headers, INIT);
    expect(r.status).toBe(401);
    expect(r.headers['mcp-session-id']).toBeUndefined();
  });

  it.each([
    ['2025-era', undefined],
    ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } }],
  ] as const)('serves a %s client: list and call tools', async (_era, options) => {
    const client = new Client({ name: 'http-test', version: '1' }, options as never);
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url), bearer(srv.token)));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('update_integration');
    const r = (await client.callTool({ name: 'list_apis', arguments: {} })) as any;
    expect(r.structuredContent.apis.map((a: any) => a.name)).toContain('shop');
    await client.close();
  });

  it.each([
    ['2025-era', undefined],
    ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } }],
  ] as const)("names each MCP client in the user agent of its own AWS calls, whoever called first (%s, one server, two clients)", async (_era, options) => {
    const connect = async (name: string) => {
      const client = new Client({ name, version: '1' }, options as never);
      await client.connect(new StreamableHTTPClientTransport(new URL(srv.url), bearer(srv.token)));
      return client;
    };
    const [a, b] = [await connect('agent-a'), await connect('agent-b')];
    for (const [client, name] of [[a, 'agent-a'], [b, 'agent-b'], [a, 'agent-a'], [b, 'agent-b']] as const) {
      const r = (await client.callTool({ name: 'get_integration', arguments: { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET' } })) as any;
      expect(r.isError).toBeFalsy();
      expect(emu.lastUserAgent()).toContain(`mcp-client/${name}`);
      expect(emu.lastUserAgent()).not.toContain(`mcp-client/${name === 'agent-a' ? 'agent-b' : 'agent-a'}`);
    }
    await Promise.all([a.close(), b.close()]);
  });

  // A risky change: the human is asked through the client (elicitation), in both eras, over HTTP too.
  it.each([
    ['2025-era', undefined, 'accept'],
    ['2025-era', undefined, 'decline'],
    ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } }, 'accept'],
    ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } }, 'decline'],
  ] as const)('asks a %s client that can elicit before a risky change, and applies it only on %s', async (_era, options, action) => {
    const target = { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET' };
    const client = new Client({ name: 'eliciting', version: '1' }, { capabilities: { elicitation: { form: {} } }, ...(options ?? {}) } as never);
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (req: any) => {
      asked.push(req.params.message);
      return action === 'accept' ? { action: 'accept', content: { approve: true } } : { action: 'decline' };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url), bearer(srv.token)));
    const tls = async () => ((await client.callTool({ name: 'get_integration', arguments: target })) as any).structuredContent.integration.tlsConfig?.insecureSkipVerification ?? false;
    const set = async (insecureSkipVerification: boolean) => ((await client.callTool({ name: 'set_tls_verification', arguments: { ...target, insecureSkipVerification } })) as any).structuredContent.status;
    // Verification on is safe: nobody is asked.
    expect(await set(false)).toMatch(/^(applied|no_change)$/);
    expect(asked).toHaveLength(0);
    // Verification off is risky.
    expect(await set(true)).toBe(action === 'accept' ? 'applied' : 'declined');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/insecureSkipVerification/);
    expect(await tls()).toBe(action === 'accept');
    await client.close();
  });

  it('gives a 2025-era client a session, ends it on DELETE, and answers 404 to an unknown or ended session', async () => {
    const init = await post(srv.url, auth(), INIT);
    const id = String(init.headers['mcp-session-id'] ?? '');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const session = { ...auth(), 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
    expect((await post(srv.url, session, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))).status).toBe(202);
    const list = await post(srv.url, session, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    expect(list.status).toBe(200);
    expect(list.body).toContain('update_integration');
    expect((await send(srv.url, 'DELETE', session)).status).toBe(200);
    const after = await post(srv.url, session, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }));
    expect(after.status).toBe(404);
    expect(after.body).toMatch(/Session not found/);
    expect((await post(srv.url, { ...session, 'mcp-session-id': 'no-such-session' }, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/list' }))).status).toBe(404);
  });

  it('still answers a lone 2025-era request without a session (no initialize first)', async () => {
    const r = await post(srv.url, { ...auth(), 'mcp-protocol-version': '2025-06-18' }, JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }));
    expect(r.status).toBe(200);
    expect(r.headers['mcp-session-id']).toBeUndefined();
    expect(r.body).toContain('list_integrations');
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    expect((await post(srv.url, { ...auth(), host: 'evil.example:80' }, INIT)).status).toBe(403);
  });

  it('refuses a foreign browser Origin with 403', async () => {
    expect((await post(srv.url, { ...auth(), origin: 'http://evil.example' }, INIT)).status).toBe(403);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_apis', arguments: { x: 'a'.repeat(2 * 1024 * 1024) } } });
    expect((await post(srv.url, auth(), big)).status).toBe(413);
  });

  it('answers 404 off the /mcp endpoint', async () => {
    expect((await post(srv.url.replace('/mcp', '/other'), auth(), INIT)).status).toBe(404);
  });
});

describe('with a bearer token', () => {
  let srv: Awaited<ReturnType<typeof startHttp>>;
  beforeAll(async () => {
    srv = await startHttp(emu, ['--auth-token', TOKEN]);
  });
  afterAll(() => srv?.child.kill());

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789' }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
  ])('answers 401 with WWW-Authenticate: Bearer for %s', async (_n, headers) => {
    const r = await post(srv.url, headers, INIT);
    expect(r.status).toBe(401);
    expect(String(r.headers['www-authenticate'])).toMatch(/^Bearer/);
  });

  it('serves a client that sends the token', async () => {
    const client = new Client({ name: 'http-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
    const r = (await client.callTool({ name: 'get_integration', arguments: { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET' } })) as any;
    expect(r.structuredContent.integration.type).toBe('MOCK');
    await client.close();
  });
});

describe('with --max-concurrent 1', () => {
  let srv: Awaited<ReturnType<typeof startHttp>>;
  beforeAll(async () => {
    srv = await startHttp(emu, ['--max-concurrent', '1']);
  });
  afterAll(() => srv?.child.kill());

  it('answers 503 with Retry-After while a call is in flight, and serves again once it is done', async () => {
    // A risky change waits for the human's answer: the call stays in flight until the client answers.
    const client = new Client({ name: 'busy', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    let meanwhile: Awaited<ReturnType<typeof post>> | undefined;
    client.setRequestHandler('elicitation/create', async () => {
      meanwhile = await post(srv.url, { authorization: `Bearer ${srv.token}` }, INIT);
      return { action: 'decline' };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url), bearer(srv.token)));
    const tls = (insecureSkipVerification: boolean) => client.callTool({ name: 'set_tls_verification', arguments: { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', insecureSkipVerification } }) as Promise<any>;
    await tls(false); // safe: nobody asked
    expect(meanwhile).toBeUndefined();
    const r = await tls(true);
    expect(r.structuredContent.status).toBe('declined');
    expect(meanwhile?.status).toBe(503);
    expect(meanwhile?.headers['retry-after']).toBe('1');
    // Served again once the call is done: the whole catalog.
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(TOOLS.filter((t) => !t.toolset).map((t) => t.name));
    await client.close();
  });
});

describe('start and stop', () => {
  it('refuses to bind a non-loopback address without a token', async () => {
    await expect(startHttp(emu, ['--host', '0.0.0.0'])).rejects.toThrow(/needs a bearer token/);
  });

  it('rejects HTTP options without --http', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '1234'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    expect(await new Promise((r) => child.on('exit', r))).toBe(2);
    expect(err).toContain('--port needs --http');
  });

  it('exits 0 on SIGTERM', async () => {
    const srv = await startHttp(emu);
    const exited = new Promise((r) => srv.child.on('exit', r));
    srv.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
