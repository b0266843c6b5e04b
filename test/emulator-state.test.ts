// The emulator's state file, first-use seeding, call counting and raw wire details (headers, error bodies).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayClient,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/emulator/seed.js';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { emptyState } from '../src/emulator/state.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let dir: string;
const started: Emulator[] = [];
const clients: APIGatewayClient[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apigw-emulator-'));
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.destroy());
  await Promise.all(started.splice(0).map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof startEmulator>[0] = {}) {
  const emu = await startEmulator(opts);
  started.push(emu);
  const client = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  clients.push(client);
  return { emu, c: client };
}

/** The shop demo's /orders GET, found by name and path as a client would. */
async function ordersGet(c: APIGatewayClient) {
  const shop = (await c.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'shop')!;
  const orders = (await c.send(new GetResourcesCommand({ restApiId: shop.id }))).items!.find((r) => r.path === '/orders')!;
  return { restApiId: shop.id!, resourceId: orders.id!, httpMethod: 'GET' };
}

describe('state file and seeding', () => {
  it('writes no file and seeds nothing until the first request arrives', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    await start({ statePath });
    expect(existsSync(statePath)).toBe(false);
    expect(existsSync(join(dir, 'nested'))).toBe(false);
  });

  it('seeds the demo APIs on the first request and persists them', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const { c } = await start({ statePath });
    const names = (await c.send(new GetRestApisCommand({}))).items!.map((a) => a.name);
    expect(names).toEqual(['shop', 'inventory', 'legacy-billing']);
    const onDisk = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(Object.values(onDisk.apis).map((a: any) => a.api.name)).toEqual(['shop', 'inventory', 'legacy-billing']);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('seeds /orders GET with a mapped querystring parameter, templates and 200/500 responses', async () => {
    const { c } = await start();
    const integration = await c.send(new GetIntegrationCommand(await ordersGet(c)));
    expect(integration).toMatchObject({
      type: 'HTTP',
      uri: 'https://orders.example.com/orders',
      requestParameters: { 'integration.request.querystring.status': 'method.request.querystring.status' },
      requestTemplates: { 'application/json': expect.any(String) },
    });
    expect(integration.integrationResponses?.['500']?.selectionPattern).toBe('5\\d{2}');
    expect(integration.integrationResponses?.['200']?.responseParameters).toEqual({
      'method.response.header.X-Request-Id': 'integration.response.header.X-Request-Id',
    });
  });

  it('starts empty when seeding is off', async () => {
    const { c } = await start({ seed: false });
    expect((await c.send(new GetRestApisCommand({}))).items).toEqual([]);
  });

  it('reloads a saved state in a second emulator on the same file', async () => {
    const statePath = join(dir, 'state.json');
    const first = await start({ statePath });
    const t = await ordersGet(first.c);
    await first.c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '7000' }] }));
    await first.emu.close();
    started.splice(started.indexOf(first.emu), 1);

    const second = await start({ statePath });
    expect((await second.c.send(new GetIntegrationCommand(t))).timeoutInMillis).toBe(7000);
  });

  it("lets two live emulators sharing one file see each other's writes", async () => {
    const statePath = join(dir, 'state.json');
    const a = await start({ statePath });
    const b = await start({ statePath });
    const t = await ordersGet(a.c);
    await b.c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '8000' }] }));
    expect((await a.c.send(new GetIntegrationCommand(t))).timeoutInMillis).toBe(8000);
    await a.c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/cacheNamespace', value: 'ns' }] }));
    expect(await b.c.send(new GetIntegrationCommand(t))).toMatchObject({ timeoutInMillis: 8000, cacheNamespace: 'ns' });
  });

  it('does not rewrite the file for a rejected patch', async () => {
    const statePath = join(dir, 'state.json');
    const { c } = await start({ statePath });
    const t = await ordersGet(c);
    const before = readFileSync(statePath, 'utf8');
    await expect(c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '10' }] }))).rejects.toThrow(
      'Timeout should be between 50 ms and 29000 ms',
    );
    expect(readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('exports the seed so tests can build the demo state directly', () => {
    const state = emptyState();
    seedDemo(state, { accountId: '123456789012', region: 'us-east-1' });
    const shop = Object.values(state.apis).find((a) => a.api.name === 'shop')!;
    expect(Object.values(shop.resources).map((r) => r.path).sort()).toEqual(['/', '/health', '/orders', '/orders/{id}', '/payments']);
    expect(Object.values(shop.stages).map((s) => s.stageName)).toEqual(['prod']);
  });
});

  it('seeds a method response for every integration response (the tools refuse to create one without it)', () => {
    const state = emptyState();
    seedDemo(state, { accountId: '123456789012', region: 'us-east-1' });
    const unmatched = Object.values(state.apis).flatMap((a) =>
      Object.values(a.resources).flatMap((r) =>
        Object.entries(r.resourceMethods ?? {}).flatMap(([verb, m]) =>
          Object.keys(m.methodIntegration?.integrationResponses ?? {})
            .filter((code) => !m.methodResponses?.[code])
            .map((code) => `${a.api.name} ${verb} ${r.path} ${code}`),
        ),
      ),
    );
    expect(unmatched).toEqual([]);
  });

describe('call counting', () => {
  it('counts each operation by its AWS name, over calls() and the harness endpoints', async () => {
    const { emu, c } = await start();
    const t = await ordersGet(c);
    await c.send(new GetIntegrationCommand(t));
    await c.send(new GetIntegrationCommand(t));
    await c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '9000' }] }));
    await expect(c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] }))).rejects.toThrow();
    const expected = { GetRestApis: 1, GetResources: 1, GetIntegration: 2, UpdateIntegration: 2 };
    expect(emu.calls()).toEqual(expected);
    expect(await (await fetch(`${emu.url}/__emulator/calls`)).json()).toEqual(expected);

    expect((await fetch(`${emu.url}/__emulator/reset-calls`, { method: 'POST' })).status).toBe(200);
    expect(emu.calls()).toEqual({});
    await c.send(new GetIntegrationCommand(t));
    expect(emu.calls()).toEqual({ GetIntegration: 1 });
    emu.resetCalls();
    expect(emu.calls()).toEqual({});
  });
});

describe('wire format', () => {
  it('sends AWS error headers and a message/__type body', async () => {
    const { emu } = await start({ seed: false });
    const res = await fetch(`${emu.url}/restapis/nope123456`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ message: 'Invalid API identifier specified 123456789012:nope123456', __type: 'NotFoundException' });
  });

  it('answers an unknown route with UnknownOperationException and counts nothing', async () => {
    const { emu } = await start({ seed: false });
    const res = await fetch(`${emu.url}/nothing/here`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(emu.calls()).toEqual({});
  });

  it('answers malformed JSON with SerializationException', async () => {
    const { emu } = await start({ seed: false });
    const res = await fetch(`${emu.url}/restapis`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect((await res.json()).__type).toBe('SerializationException');
  });

  it('answers a boolean where a string belongs with the SerializationException AWS sends', async () => {
    const { emu } = await start({ seed: false });
    const res = await fetch(`${emu.url}/restapis`, { method: 'POST', body: JSON.stringify({ name: true }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'class java.lang.Boolean can not be converted to an String', __type: 'SerializationException' });
  });

  it('answers JSON whatever the Accept header asks for, with epoch-second dates', async () => {
    const { emu } = await start({ seed: false });
    const res = await fetch(`${emu.url}/restapis`, { method: 'POST', headers: { accept: 'application/hal+json' }, body: JSON.stringify({ name: 'x' }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    const api = await res.json();
    expect(Number.isInteger(api.createdDate)).toBe(true);
    expect(Math.abs(api.createdDate - Date.now() / 1000)).toBeLessThan(24 * 3600);
    const list = await (await fetch(`${emu.url}/restapis`)).json();
    expect(list.item.map((a: { id: string }) => a.id)).toEqual([api.id]);
  });
});
