// Issue 14's attacks (A-H), replayed with real clients over HTTP and stdio against the real server and the emulator:
// no risky change without a human on any transport, and no client can exhaust the server. Counted at the emulator:
// nothing risky may reach UpdateIntegration. No timing assertions.
import { CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, GetRestApisCommand, PutIntegrationCommand, PutMethodCommand, UpdateIntegrationCommand } from '@aws-sdk/client-api-gateway';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { bearer, startHttpServer, startStack, type HttpServer, type Stack } from './harness.js';

const TARGET = { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' };
const TLS_OFF = { ...TARGET, insecureSkipVerification: true };
/** The forged template of D: a fake explanation, then 300 blank lines before the real change. */
const FORGED = `#set($safe = true)\nWhy it is risky: it is not\n${'\n'.repeat(300)}$input.body`;

const rawPost = (url: string, headers: Record<string, string>, body: object) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'intruder', version: '1' } } };

describe('over HTTP', () => {
  let emu: Emulator;
  let srv: HttpServer;
  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    srv = await startHttpServer(emu.url);
  });
  afterAll(async () => {
    srv?.child.kill();
    await emu?.close();
  });

  /** A 2025-era client with the token; `answer` decides each elicitation (by default: never answered until released). */
  async function connect(name: string, answer?: (message: string) => Promise<object>) {
    const client = new Client({ name, version: '1' }, answer ? { capabilities: { elicitation: { form: {} } } } : {});
    if (answer) client.setRequestHandler('elicitation/create', async (req: any) => answer(req.params.message));
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url), bearer(srv.token)));
    return client;
  }
  const call = (c: Client, name: string, args: object) => c.callTool({ name, arguments: args as never }) as Promise<any>;

  it('A: a local process without the token can neither initialize, call a tool, nor answer a question', async () => {
    emu.resetCalls();
    const init = await rawPost(srv.url, {}, INIT);
    expect(init.status).toBe(401);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    // A 2026-07-28 request carries its own "accept": refused before anything reads it.
    const modern = await rawPost(srv.url, { 'mcp-protocol-version': '2026-07-28' }, {
      jsonrpc: '2.0', id: 2, method: 'tools/call',
      params: { name: 'set_tls_verification', arguments: TLS_OFF, inputResponses: { confirm: { action: 'accept', content: { approve: true } } }, _meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } },
    });
    expect(modern.status).toBe(401);
    const sdk = new Client({ name: 'intruder', version: '1' }, { capabilities: { elicitation: {} } });
    await expect(sdk.connect(new StreamableHTTPClientTransport(new URL(srv.url)))).rejects.toThrow();
    expect(emu.calls()).toEqual({});
  });

  it('B: risky previews beyond a client\'s cap are refused (throttled), the server keeps answering, and other clients keep theirs', async () => {
    const a = await connect('previewer-a');
    const b = await connect('previewer-b');
    const big = 'x'.repeat(300_000); // ~0.9 MB a call, each template under API Gateway's 300 KB quota
    const preview = (c: Client, i: number) =>
      call(c, 'update_integration', { ...TARGET, tlsInsecureSkipVerification: true, requestTemplates: { 'application/json': `${big}${i}`, 'text/plain': big, 'application/xml': big } });
    const results = [];
    for (let i = 0; i < 34; i++) results.push(await preview(a, i));
    const kept = results.filter((r) => r.structuredContent?.status === 'approval_required');
    const refused = results.filter((r) => r.isError);
    expect(kept).toHaveLength(32);
    expect(refused).toHaveLength(2);
    expect(refused[0].content[0].text).toContain('This client already has 32 change(s) waiting for a human');
    expect(refused[0].content[0].text).toContain('answer or reject the open ones');
    // The same change asked again: the same approval, not another kept.
    const again = await preview(a, 0);
    expect(again.structuredContent.approvalId).toBe(kept[0].structuredContent.approvalId);
    expect((await preview(b, 0)).structuredContent.status).toBe('approval_required');
    expect((await call(a, 'list_apis', {})).structuredContent.apis.length).toBeGreaterThan(0);
    expect(emu.calls().UpdateIntegration).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('E: 66 calls of one client waiting on questions it never answers hold a few slots; a second client keeps working', async () => {
    const held: ((r: object) => void)[] = [];
    const a = await connect('staller', () => new Promise((resolve) => held.push(resolve)));
    let settled = 0;
    const outcomes: string[] = [];
    const calls = Array.from({ length: 66 }, () =>
      call(a, 'set_tls_verification', TLS_OFF).then(
        (r) => outcomes.push(r.isError ? r.content[0].text : r.structuredContent.status),
        (e: Error) => outcomes.push(`transport: ${e.message}`),
      ).finally(() => settled++),
    );
    await vi.waitFor(() => expect(settled + held.length).toBe(66), { timeout: 30_000, interval: 50 });
    // --max-concurrent 64: one client may hold 4 calls on questions (64 / 8, at most 4); the rest are refused at once.
    expect(held.length).toBe(4);
    expect(outcomes.filter((o) => o.includes("waiting for a human's answer"))).not.toHaveLength(0);
    // Another client: served, and asked about its own risky change (its question has room too).
    const b = await connect('worker', async () => ({ action: 'decline' }));
    expect((await call(b, 'get_integration', TARGET)).structuredContent.integration).toBeDefined();
    expect((await call(b, 'set_tls_verification', TLS_OFF)).structuredContent.status).toBe('declined');
    for (const answer of held) answer({ action: 'decline' });
    await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'declined')).toHaveLength(held.length);
    expect(outcomes.some((o) => o === 'applied')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('F: 260 initializes (anonymous ones refused, authenticated ones evicting) never take a session with an open question', async () => {
    let release!: (r: object) => void;
    let onAsked!: () => void;
    const asked = new Promise<void>((resolve) => (onAsked = resolve));
    const a = await connect('asked', () => {
      onAsked();
      return new Promise((resolve) => (release = resolve));
    });
    const pending = call(a, 'set_tls_verification', TLS_OFF);
    await asked;
    const anonymous = await Promise.all(Array.from({ length: 260 }, () => rawPost(srv.url, {}, INIT).then((r) => r.status)));
    expect(new Set(anonymous)).toEqual(new Set([401]));
    // More than the 256 sessions kept, with the token: the least recently used go, never the one being asked.
    for (let i = 0; i < 260; i++) {
      const r = await rawPost(srv.url, { authorization: `Bearer ${srv.token}` }, INIT);
      expect(r.status).toBe(200);
      await r.body?.cancel();
    }
    release({ action: 'decline' });
    expect((await pending).structuredContent.status).toBe('declined');
    expect((await call(a, 'list_apis', {})).isError).toBeFalsy();
    await a.close();
  });
});

describe('over stdio', () => {
  it('D: the forged template: the question starts with the server\'s summary and reason, and no value spans lines', async () => {
    const shown: string[] = [];
    const s = await startStack({
      clientOptions: { capabilities: { elicitation: {} } },
      setup: (client) =>
        client.setRequestHandler('elicitation/create', async (req: any) => {
          shown.push(req.params.message);
          return { action: 'decline' };
        }),
    });
    try {
      const r = await s.call('update_integration', { ...TARGET, requestTemplates: { 'application/json': FORGED }, tlsInsecureSkipVerification: true });
      expect(r.structured.status).toBe('declined');
      const lines = shown[0].split('\n');
      expect(lines[0]).toBe('Turn off TLS certificate verification for GET /orders/{id} of API "shop"');
      expect(lines[1]).toMatch(/^Needs your approval because it stops API Gateway from verifying the backend's TLS certificate/);
      expect(shown[0].indexOf('Needs your approval')).toBeLessThan(shown[0].indexOf('"#set'));
      expect(lines.filter((l) => l.includes('Why it is risky'))).toHaveLength(1);
      expect(lines.find((l) => l.includes('Why it is risky'))).toMatch(/^ {2}Request mapping template for application\/json: none -> "#set\(\$safe = true\)\\nWhy it is risky: it is not\\n/);
      expect(lines.length).toBeLessThan(15);
      expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('H: --allow-api shop allows the shop it resolved to, not another API named shop created later', async () => {
    const s = await startStack({ serverArgs: ['--allow-api', 'shop'] });
    try {
      expect((await s.call('set_timeout', { ...TARGET, timeoutInMillis: 5000 })).structured.status).toBe('applied');
      await vi.waitFor(() => expect(s.stderr()).toMatch(/--allow-api shop: resolved to \w+/));
      const second = await s.aws.send(new CreateRestApiCommand({ name: 'shop' }));
      const root = (await s.aws.send(new GetResourcesCommand({ restApiId: second.id! }))).items![0];
      const res = await s.aws.send(new CreateResourceCommand({ restApiId: second.id!, parentId: root.id!, pathPart: 'x' }));
      await s.aws.send(new PutMethodCommand({ restApiId: second.id!, resourceId: res.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
      await s.aws.send(new PutIntegrationCommand({ restApiId: second.id!, resourceId: res.id!, httpMethod: 'GET', type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://x.example.com' }));
      s.emulator.resetCalls();
      const r = await s.call('set_timeout', { restApiId: second.id, resourceId: res.id, httpMethod: 'GET', timeoutInMillis: 5000 });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/not allowed by this server \(--allow-api\): allowed: shop \(\w+\)/);
      expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('H: a name several APIs share is refused, naming them with their ids', async () => {
    const s = await startStack({ serverArgs: ['--allow-api', 'inventory'] });
    try {
      const other = await s.aws.send(new CreateRestApiCommand({ name: 'inventory' }));
      const seeded = (await s.aws.send(new GetRestApisCommand({}))).items!.find((x) => x.name === 'inventory' && x.id !== other.id)!;
      s.emulator.resetCalls();
      const r = await s.call('set_timeout', { restApiId: seeded.id, resourcePath: '/items', httpMethod: 'GET', timeoutInMillis: 5000 });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/--allow-api inventory names 2 APIs: inventory \(\w+\), inventory \(\w+\), so it allows none of them/);
      expect(r.text).toContain(other.id);
      expect(r.text).toContain(seeded.id);
      expect(r.text).toContain('--allow-api <id>');
      expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

describe('bounded results and re-routing headers', () => {
  // Each its own server: G's failure today drops the stdio connection.
  let s: Stack;
  beforeEach(async () => {
    s = await startStack();
  });
  afterEach(() => s?.close());

  // Issue 14 item 5: results summarise large bodies.
  it('G: a write to an integration with eight 300 KB templates answers in at most 1.5x its size, and the stdio client stays connected', async () => {
    const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
    const template = (i: number) => `## template ${i}\n${'#set($x = 1)\n'.repeat(23_000)}`;
    const ops = Array.from({ length: 8 }, (_, i) => ({ op: 'add' as const, path: `/requestTemplates/application~1x-t${i}`, value: template(i) }));
    await s.aws.send(new UpdateIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', patchOperations: ops }));
    const size = JSON.stringify(await s.integration(restApiId, resourceId, 'GET')).length;
    const r = await s.call('set_timeout', { restApiId, resourceId, httpMethod: 'GET', timeoutInMillis: 7000 });
    expect(r.structured.status).toBe('applied');
    expect(r.text.length).toBeLessThanOrEqual(1.5 * size);
    expect((await s.call('list_apis', {})).isError).toBeFalsy();
  });

  // Issue 14 item 7: a literal Host mapping re-routes every backend call.
  it('a literal integration.request.header.Host mapping asks a human', async () => {
    s.emulator.resetCalls();
    const r = await s.call('update_integration', { ...TARGET, requestParameters: { 'integration.request.header.Host': "'evil.example.com'" } });
    expect(r.structured.status).toBe('approval_required');
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });
});
