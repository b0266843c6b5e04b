// Fault injection in the emulator (throttling, 5xx, conflicts, latency, dropped connections, rate limits), the SDK's
// retries against it through our createClient, and what the MCP server reports when API Gateway misbehaves.
import {
  APIGatewayClient,
  ConflictException,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  ServiceUnavailableException,
  TooManyRequestsException,
  UpdateIntegrationCommand,
  type APIGatewayServiceException,
} from '@aws-sdk/client-api-gateway';
import { mkdtempSync, readFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, MAX_ATTEMPTS } from '../src/aws/client.js';
import { CONFLICT_MESSAGE, Faults, isLoopback, OPERATIONS, type FaultConfig } from '../src/emulator/faults.js';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { CREDS, startStack, type Stack } from './harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** What a promise rejected with; fails the test if it resolved. */
async function failure<T = APIGatewayServiceException>(p: Promise<unknown>): Promise<T> {
  try {
    await p;
  } catch (err) {
    return err as T;
  }
  throw new Error('expected a failure');
}

/** Waits (polling the event loop) until `ready` holds; the test's own timeout bounds it. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 5));
}

/** The seeded shop API's ids, through a client that is never faulted (GetRestApis/GetResources are not targeted). */
async function shopIds(c: APIGatewayClient) {
  const restApiId = (await c.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'shop')!.id!;
  const items = (await c.send(new GetResourcesCommand({ restApiId }))).items!;
  const id = (path: string) => items.find((r) => r.path === path)!.id!;
  return { restApiId, orders: id('/orders'), order: id('/orders/{id}') };
}

const timeoutOf = async (c: APIGatewayClient, restApiId: string, resourceId: string) =>
  (await c.send(new GetIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET' }))).timeoutInMillis;

const setTimeoutOp = (ms: number) => [{ op: 'replace' as const, path: '/timeoutInMillis', value: String(ms) }];

describe('emulator fault injection', () => {
  let emu: Emulator;
  let c: APIGatewayClient;
  let shop: Awaited<ReturnType<typeof shopIds>>;
  const update = (ms: number) => c.send(new UpdateIntegrationCommand({ restApiId: shop.restApiId, resourceId: shop.order, httpMethod: 'GET', patchOperations: setTimeoutOp(ms) }));
  const control = (method: string, body?: unknown) =>
    fetch(`${emu.url}/__emulator/faults`, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });

  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    // No retries here: each send is one request, so the emulator's answer is what the test sees.
    c = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
    shop = await shopIds(c);
  });
  afterAll(async () => {
    c?.destroy();
    await emu?.close();
  });
  beforeEach(() => {
    emu.setFaults();
    emu.resetCalls();
  });

  it('throttles with 429 TooManyRequestsException, Retry-After and AWS body, and changes nothing', async () => {
    const before = await timeoutOf(c, shop.restApiId, shop.order);
    emu.setFaults({ throttle: { operations: ['UpdateIntegration'], retryAfterSeconds: 3 } });
    const res = await fetch(`${emu.url}/restapis/${shop.restApiId}/resources/${shop.order}/methods/GET/integration`, {
      method: 'PATCH',
      body: JSON.stringify({ patchOperations: setTimeoutOp(1234) }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('TooManyRequestsException');
    expect(res.headers.get('Retry-After')).toBe('3');
    expect(await res.json()).toEqual({ message: 'Too Many Requests', __type: 'TooManyRequestsException' });
    const err = await failure(update(1234));
    expect(err).toBeInstanceOf(TooManyRequestsException);
    expect((err as TooManyRequestsException).retryAfterSeconds).toBe('3');
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBe(before);
    expect(emu.calls()).toEqual({ UpdateIntegration: 2, GetIntegration: 2 });
    expect(emu.faults()).toEqual({ throttle: 2 });
  });

  it('answers 503 ServiceUnavailableException and 409 ConflictException with AWS texts, changing nothing', async () => {
    const before = await timeoutOf(c, shop.restApiId, shop.order);
    emu.setFaults({ unavailable: { operations: ['UpdateIntegration'], retryAfterSeconds: 2 } });
    const unavailable = await failure(update(2222));
    expect(unavailable).toBeInstanceOf(ServiceUnavailableException);
    expect(unavailable.$metadata.httpStatusCode).toBe(503);
    expect((unavailable as ServiceUnavailableException).retryAfterSeconds).toBe('2');
    emu.setFaults({ conflict: { operations: ['UpdateIntegration'] } });
    const conflict = await failure(update(2222));
    expect(conflict).toBeInstanceOf(ConflictException);
    expect(conflict.$metadata.httpStatusCode).toBe(409);
    expect(conflict.message).toBe(CONFLICT_MESSAGE);
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBe(before);
    expect(emu.faults()).toEqual({ unavailable: 1, conflict: 1 });
  });

  it('injects only on the listed operations, and at most `count` times', async () => {
    emu.setFaults({ unavailable: { operations: ['UpdateIntegration'], count: 2 } });
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBeTypeOf('number');
    await failure(update(3000));
    expect((await (await control('GET')).json()).remaining).toEqual({ unavailable: 1 });
    await failure(update(3000));
    expect((await update(3000)).timeoutInMillis).toBe(3000);
    expect(emu.calls()).toEqual({ GetIntegration: 1, UpdateIntegration: 3 });
    expect(emu.faults()).toEqual({ unavailable: 2 });
  });

  it('draws `probability` from a seeded generator: never at 0, repeatable at 0.5', async () => {
    const draw = (config: FaultConfig) => {
      const f = new Faults(config);
      return Array.from({ length: 200 }, () => (f.decide('GetRestApis').error ? 1 : 0)).join('');
    };
    expect(draw({ conflict: { probability: 0 } })).not.toContain('1');
    expect(draw({ conflict: { probability: 1 } })).not.toContain('0');
    const half = draw({ seed: 42, conflict: { probability: 0.5 } });
    expect(half).toBe(draw({ seed: 42, conflict: { probability: 0.5 } }));
    const hits = [...half].filter((x) => x === '1').length;
    expect(hits).toBeGreaterThan(60);
    expect(hits).toBeLessThan(140);
  });

  it('adds latency before handling: the delayed write has not run while other requests are answered', async () => {
    expect(new Faults({ latency: { ms: 150, operations: ['GetRestApis'] } }).delay('GetRestApis')).toBe(150);
    expect(new Faults({ latency: { ms: 150, operations: ['GetRestApis'] } }).delay('GetMethod')).toBe(0);
    const before = await timeoutOf(c, shop.restApiId, shop.order);
    // Far longer than the test: the request is still waiting when it is abandoned (close() clears the timer).
    emu.setFaults({ latency: { ms: 600_000, operations: ['UpdateIntegration'], count: 1 } });
    const abandon = new AbortController();
    const held = fetch(`${emu.url}/restapis/${shop.restApiId}/resources/${shop.order}/methods/GET/integration`, {
      method: 'PATCH',
      body: JSON.stringify({ patchOperations: setTimeoutOp(before === 1111 ? 1112 : 1111) }),
      signal: abandon.signal,
    }).catch((err: unknown) => err);
    await until(() => emu.calls().UpdateIntegration === 1);
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBe(before);
    expect(emu.faults()).toEqual({ latency: 1 });
    abandon.abort();
    expect(await held).toBeInstanceOf(Error);
    // Used up (count 1): the next write is handled at once and applies.
    expect((await update(1113)).timeoutInMillis).toBe(1113);
  });

  it('skip lets the first n matching requests through, then injects (count still bounds it)', async () => {
    const f = new Faults({ conflict: { operations: ['UpdateIntegration'], skip: 2, count: 1 } });
    const outcomes = ['GetIntegration', 'UpdateIntegration', 'GetIntegration', 'UpdateIntegration', 'UpdateIntegration', 'UpdateIntegration'].map(
      (op) => `${op}:${f.decide(op).error?.type ?? 'ok'}`,
    );
    expect(outcomes).toEqual([
      'GetIntegration:ok',
      'UpdateIntegration:ok',
      'GetIntegration:ok',
      'UpdateIntegration:ok',
      'UpdateIntegration:ConflictException',
      'UpdateIntegration:ok',
    ]);
    // Over the wire, set at run time: the 3rd UpdateIntegration fails, the others apply.
    expect((await control('PUT', { unavailable: { operations: ['UpdateIntegration'], skip: 2, count: 1 } })).status).toBe(200);
    expect(await (await control('GET')).json()).toMatchObject({ remaining: { unavailable: 1 }, skipping: { unavailable: 2 } });
    expect((await update(3101)).timeoutInMillis).toBe(3101);
    expect((await update(3102)).timeoutInMillis).toBe(3102);
    expect(await failure(update(3103))).toBeInstanceOf(ServiceUnavailableException);
    expect((await update(3104)).timeoutInMillis).toBe(3104);
    expect(await (await control('GET')).json()).toMatchObject({ remaining: { unavailable: 0 }, skipping: {}, injected: { unavailable: 1 } });
    // Without count, every matching request after the skipped ones is injected.
    emu.setFaults({ conflict: { operations: ['UpdateIntegration'], skip: 1 } });
    expect((await update(3105)).timeoutInMillis).toBe(3105);
    expect(await failure(update(3106))).toBeInstanceOf(ConflictException);
    expect(await failure(update(3107))).toBeInstanceOf(ConflictException);
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBe(3105);
  });

  it('tamper: after a write ran, changes one field of what it stored and answers with it, as another writer would', async () => {
    emu.setFaults({ tamper: { operations: ['UpdateIntegration'], path: '/cacheNamespace', value: 'other-writer', count: 1 } });
    // A refused write does not use the tamper up, and changes nothing.
    const refused = await failure(update(10));
    expect(refused.name).toBe('BadRequestException');
    expect((await c.send(new GetIntegrationCommand({ restApiId: shop.restApiId, resourceId: shop.order, httpMethod: 'GET' }))).cacheNamespace).not.toBe('other-writer');
    const answered = await update(3201);
    expect(answered).toMatchObject({ timeoutInMillis: 3201, cacheNamespace: 'other-writer' });
    const stored = await c.send(new GetIntegrationCommand({ restApiId: shop.restApiId, resourceId: shop.order, httpMethod: 'GET' }));
    expect(stored).toMatchObject({ timeoutInMillis: 3201, cacheNamespace: 'other-writer' });
    expect(emu.faults()).toEqual({ tamper: 1 });
    // A nested path is created as needed; a read is never tampered with.
    emu.setFaults({ tamper: { path: '/tlsConfig/insecureSkipVerification', value: true, count: 1 } });
    expect((await c.send(new GetIntegrationCommand({ restApiId: shop.restApiId, resourceId: shop.order, httpMethod: 'GET' }))).tlsConfig).toBeUndefined();
    expect((await update(3202)).tlsConfig).toEqual({ insecureSkipVerification: true });
    expect((await c.send(new GetIntegrationCommand({ restApiId: shop.restApiId, resourceId: shop.order, httpMethod: 'GET' }))).tlsConfig).toEqual({ insecureSkipVerification: true });
    // Restore the seeded values for the tests after this one.
    emu.setFaults();
    await c.send(
      new UpdateIntegrationCommand({
        restApiId: shop.restApiId,
        resourceId: shop.order,
        httpMethod: 'GET',
        patchOperations: [
          { op: 'replace', path: '/cacheNamespace', value: shop.order },
          { op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'false' },
        ],
      }),
    );
  });

  it('tamper and skip combine: the 2nd write is the one another writer interferes with', async () => {
    emu.setFaults({ tamper: { operations: ['UpdateIntegration'], path: '/timeoutInMillis', value: 4242, skip: 1, count: 1 } });
    expect((await update(3301)).timeoutInMillis).toBe(3301);
    expect((await update(3302)).timeoutInMillis).toBe(4242);
    expect((await update(3303)).timeoutInMillis).toBe(3303);
  });

  it('drops the connection before the operation runs (reset: before): nothing changes', async () => {
    const before = await timeoutOf(c, shop.restApiId, shop.order);
    emu.setFaults({ reset: { when: 'before', operations: ['UpdateIntegration'], count: 1 } });
    const err = await failure<Error & { code?: string }>(update(4444));
    expect(err.code ?? err.name).toMatch(/ECONNRESET|socket hang up/i);
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBe(before);
    expect(emu.calls().UpdateIntegration).toBe(1);
    expect(emu.faults()).toEqual({ reset: 1 });
  });

  it('drops the connection after the operation was applied and persisted (reset: after): the unknown outcome', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'apigw-faults-')), 'state.json');
    const own = await startEmulator({ statePath, faults: { reset: { when: 'after', operations: ['UpdateIntegration'], count: 1 } } });
    const oc = new APIGatewayClient({ endpoint: own.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
    try {
      const ids = await shopIds(oc);
      const err = await failure<Error & { code?: string }>(
        oc.send(new UpdateIntegrationCommand({ restApiId: ids.restApiId, resourceId: ids.order, httpMethod: 'GET', patchOperations: setTimeoutOp(4545) })),
      );
      expect(err.code ?? err.name).toMatch(/ECONNRESET|socket hang up/i);
      expect(await timeoutOf(oc, ids.restApiId, ids.order)).toBe(4545);
      const saved = JSON.parse(readFileSync(statePath, 'utf8'));
      expect(saved.apis[ids.restApiId].resources[ids.order].resourceMethods.GET.methodIntegration.timeoutInMillis).toBe(4545);
      expect(own.faults()).toEqual({ reset: 1 });
    } finally {
      oc.destroy();
      await own.close();
    }
  });

  it("limits like API Gateway's control plane: an account bucket, and GetResources' own 5 per 2 s", async () => {
    // Tight account bucket: 2 at once, then 429 with a whole-second Retry-After.
    emu.setFaults({ rateLimit: { rate: 0.5, burst: 2, operations: {} } });
    await c.send(new GetRestApisCommand({}));
    await c.send(new GetRestApisCommand({}));
    const limited = await failure(c.send(new GetRestApisCommand({})));
    expect(limited).toBeInstanceOf(TooManyRequestsException);
    expect(Number((limited as TooManyRequestsException).retryAfterSeconds)).toBeGreaterThanOrEqual(1);
    expect(emu.faults()).toEqual({ rateLimit: 1 });

    // The defaults: 10/s burst 40 in total, GetResources 5 per 2 s on its own.
    emu.setFaults({ rateLimit: {} });
    emu.resetCalls();
    for (let i = 0; i < 5; i++) await c.send(new GetResourcesCommand({ restApiId: shop.restApiId }));
    expect(await failure(c.send(new GetResourcesCommand({ restApiId: shop.restApiId })))).toBeInstanceOf(TooManyRequestsException);
    await c.send(new GetRestApisCommand({}));
    expect(emu.calls()).toEqual({ GetResources: 6, GetRestApis: 1 });
    expect(emu.faults()).toEqual({ rateLimit: 1 });
  });

  it('CreateDeployment is limited to 1 per 5 s by default', async () => {
    emu.setFaults({ rateLimit: {} });
    const deploy = () => fetch(`${emu.url}/restapis/${shop.restApiId}/deployments`, { method: 'POST', body: JSON.stringify({ stageName: 'prod' }) });
    expect((await deploy()).status).toBe(201);
    const second = await deploy();
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('Retry-After'))).toBeGreaterThanOrEqual(4);
  });

  describe('control endpoint /__emulator/faults', () => {
    it('GET shows the configuration and counters, PUT replaces, DELETE clears; none of it counts as a call', async () => {
      expect(await (await control('GET')).json()).toEqual({ config: null, remaining: {}, skipping: {}, injected: {} });
      const put = await control('PUT', { conflict: { operations: ['UpdateIntegration'], count: 1 } });
      expect(put.status).toBe(200);
      expect((await put.json()).config).toEqual({ conflict: { operations: ['UpdateIntegration'], count: 1 } });
      expect(await failure(update(5000))).toBeInstanceOf(ConflictException);
      expect(await (await control('GET')).json()).toMatchObject({ remaining: { conflict: 0 }, injected: { conflict: 1 } });
      await control('PUT', { conflict: {} });
      const del = await control('DELETE');
      expect(await del.json()).toEqual({ config: null, remaining: {}, skipping: {}, injected: { conflict: 1 } });
      expect((await update(5000)).timeoutInMillis).toBe(5000);
      expect(emu.calls()).toEqual({ UpdateIntegration: 2 });
    });

    it.each([
      ['an unknown operation', { throttle: { operations: ['UpdateIntegrations'] } }, /UpdateIntegration/],
      ['a probability above 1', { unavailable: { probability: 2 } }, /probability/],
      ['an unknown fault kind', { thrRottle: {} }, /thrRottle/],
      ['a reset without when', { reset: {} }, /when/],
      ['a tamper path that is not a pointer', { tamper: { path: 'timeoutInMillis', value: 1 } }, /JSON Pointer/],
      ['a tamper without a value', { tamper: { path: '/timeoutInMillis' } }, /value/],
      ['a negative skip', { conflict: { skip: -1 } }, /skip/],
      ['not JSON', '{"throttle":', /JSON/],
    ])('PUT refuses %s with 400, keeping the configuration in force', async (_name, body, message) => {
      emu.setFaults({ latency: { ms: 0 } });
      const res = await control('PUT', body);
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(message);
      expect((await (await control('GET')).json()).config).toEqual({ latency: { ms: 0 } });
    });

    it('answers loopback clients only', () => {
      for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
      for (const a of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
    });

    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    it.skipIf(!external)('refuses a request from a non-loopback address with 403', async () => {
      const open = await startEmulator({ host: '0.0.0.0', seed: false });
      try {
        const res = await fetch(`http://${external}:${open.port}/__emulator/faults`, { method: 'PUT', body: JSON.stringify({ throttle: {} }) });
        expect(res.status).toBe(403);
        expect(res.headers.get('x-amzn-ErrorType')).toBe('AccessDeniedException');
        expect((await fetch(`http://127.0.0.1:${open.port}/__emulator/faults`)).status).toBe(200);
        expect(await (await fetch(`http://127.0.0.1:${open.port}/__emulator/faults`)).json()).toMatchObject({ config: null });
      } finally {
        await open.close();
      }
    });
  });

  describe('configuration at start', () => {
    const saved = process.env.APIGW_EMULATOR_FAULTS;
    afterEach(() => {
      if (saved === undefined) delete process.env.APIGW_EMULATOR_FAULTS;
      else process.env.APIGW_EMULATOR_FAULTS = saved;
    });

    it('reads APIGW_EMULATOR_FAULTS when the option is absent, and the option wins over it', async () => {
      process.env.APIGW_EMULATOR_FAULTS = JSON.stringify({ unavailable: { operations: ['GetRestApis'] } });
      const fromEnv = await startEmulator({ seed: false });
      const fromOption = await startEmulator({ seed: false, faults: {} });
      try {
        expect((await fetch(`${fromEnv.url}/restapis`)).status).toBe(503);
        expect((await fetch(`${fromOption.url}/restapis`)).status).toBe(200);
      } finally {
        await fromEnv.close();
        await fromOption.close();
      }
    });

    it('takes skip and tamper from APIGW_EMULATOR_FAULTS too', async () => {
      process.env.APIGW_EMULATOR_FAULTS = JSON.stringify({ tamper: { operations: ['UpdateIntegration'], path: '/timeoutInMillis', value: 4343, skip: 1 } });
      const own = await startEmulator({ seed: true });
      const oc = new APIGatewayClient({ endpoint: own.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
      try {
        const ids = await shopIds(oc);
        const send = (ms: number) => oc.send(new UpdateIntegrationCommand({ restApiId: ids.restApiId, resourceId: ids.order, httpMethod: 'GET', patchOperations: setTimeoutOp(ms) }));
        expect((await send(3401)).timeoutInMillis).toBe(3401);
        expect((await send(3402)).timeoutInMillis).toBe(4343);
        expect(own.faults()).toEqual({ tamper: 1 });
      } finally {
        oc.destroy();
        await own.close();
      }
    });

    it('refuses to start with a bad configuration, saying what is wrong', async () => {
      process.env.APIGW_EMULATOR_FAULTS = '{"throttle": {"count": -1}}';
      await expect(startEmulator({ seed: false })).rejects.toThrow(/APIGW_EMULATOR_FAULTS is not valid: .*count/);
      process.env.APIGW_EMULATOR_FAULTS = 'throttle';
      await expect(startEmulator({ seed: false })).rejects.toThrow(/APIGW_EMULATOR_FAULTS is not JSON/);
      delete process.env.APIGW_EMULATOR_FAULTS;
      await expect(startEmulator({ seed: false, faults: { latency: { ms: -5 } } })).rejects.toThrow(/latency/);
    });

    it('knows every operation the emulator serves', () => {
      expect(OPERATIONS).toEqual(expect.arrayContaining(['GetRestApis', 'GetResources', 'GetMethod', 'UpdateIntegration', 'UpdateIntegrationResponse', 'CreateDeployment']));
    });
  });
});

describe('SDK retries through createClient (src/aws/client.ts)', () => {
  let emu: Emulator;
  let shop: Awaited<ReturnType<typeof shopIds>>;
  const clients: APIGatewayClient[] = [];
  const savedBase = process.env.APIGW_MCP_RETRY_BASE_MS;

  async function client(retryBaseMs: string | undefined = '1') {
    if (retryBaseMs === undefined) delete process.env.APIGW_MCP_RETRY_BASE_MS;
    else process.env.APIGW_MCP_RETRY_BASE_MS = retryBaseMs;
    const { client } = await createClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
    clients.push(client);
    return client;
  }
  const update = (c: APIGatewayClient, ms: number, resourceId = shop.order) =>
    c.send(new UpdateIntegrationCommand({ restApiId: shop.restApiId, resourceId, httpMethod: 'GET', patchOperations: setTimeoutOp(ms) }));

  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    shop = await shopIds(await client());
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await emu?.close();
    if (savedBase === undefined) delete process.env.APIGW_MCP_RETRY_BASE_MS;
    else process.env.APIGW_MCP_RETRY_BASE_MS = savedBase;
  });
  beforeEach(() => {
    emu.setFaults();
    emu.resetCalls();
  });

  it('retries a throttled call and succeeds: 2 throttles, 3 attempts, one change', async () => {
    const c = await client();
    emu.setFaults({ throttle: { operations: ['UpdateIntegration'], count: 2, retryAfterSeconds: 0 } });
    const out = await update(c, 6100);
    expect(out.timeoutInMillis).toBe(6100);
    expect(out.$metadata.attempts).toBe(3);
    expect(emu.calls()).toEqual({ UpdateIntegration: 3 });
    expect(emu.faults()).toEqual({ throttle: 2 });
    expect(await timeoutOf(c, shop.restApiId, shop.order)).toBe(6100);
  });

  it(`gives up on a persistent 503 after ${MAX_ATTEMPTS} attempts with ServiceUnavailableException`, async () => {
    const c = await client();
    emu.setFaults({ unavailable: { operations: ['UpdateIntegration'] } });
    const err = await failure(update(c, 6200));
    expect(err).toBeInstanceOf(ServiceUnavailableException);
    expect(err.name).toBe('ServiceUnavailableException');
    expect(err.$metadata.attempts).toBe(MAX_ATTEMPTS);
    expect(emu.calls()).toEqual({ UpdateIntegration: MAX_ATTEMPTS });
  });

  it('does not retry a 409 ConflictException', async () => {
    const c = await client();
    emu.setFaults({ conflict: { operations: ['UpdateIntegration'] } });
    expect(await failure(update(c, 6300))).toBeInstanceOf(ConflictException);
    expect(emu.calls()).toEqual({ UpdateIntegration: 1 });
  });

  it("honours Retry-After: the SDK's computed wait follows the header, not just the (1 ms) backoff", async () => {
    const c = await client();
    emu.setFaults({ throttle: { operations: ['GetRestApis'], count: 1, retryAfterSeconds: 1 } });
    const slow = await c.send(new GetRestApisCommand({}));
    emu.setFaults({ throttle: { operations: ['GetRestApis'], count: 1, retryAfterSeconds: 0 } });
    const fast = await c.send(new GetRestApisCommand({}));
    expect(slow.$metadata.attempts).toBe(2);
    expect(fast.$metadata.attempts).toBe(2);
    // totalRetryDelay is the wait the strategy chose (max(backoff, min(Retry-After, backoff + 5 s))), not a measured time.
    expect(slow.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(900);
    expect(fast.$metadata.totalRetryDelay).toBeLessThan(100);
  });

  it("uses the SDK's standard strategy when no base is set (5xx retried after short waits)", async () => {
    const c = await client(undefined);
    emu.setFaults({ unavailable: { operations: ['GetRestApis'], count: 2 } });
    const out = await c.send(new GetRestApisCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    expect(emu.calls()).toEqual({ GetRestApis: 3 });
    expect(((await c.config.retryStrategy()) as { mode?: string }).mode).toBe('standard');
  });

  it('retries a dropped connection; a repeated replace lands once (reset: after)', async () => {
    const c = await client();
    emu.setFaults({ reset: { when: 'after', operations: ['UpdateIntegration'], count: 1 } });
    const out = await update(c, 6400);
    expect(out.timeoutInMillis).toBe(6400);
    expect(out.$metadata.attempts).toBe(2);
    expect(emu.calls()).toEqual({ UpdateIntegration: 2 });
  });

  it('retries an attempt that exceeds the request timeout (latency)', async () => {
    const c = await client();
    emu.setFaults({ latency: { ms: 400, operations: ['GetRestApis'], count: 1 } });
    const out = await c.send(new GetRestApisCommand({}), { requestTimeout: 150 });
    expect(out.$metadata.attempts).toBe(2);
    expect(emu.calls()).toEqual({ GetRestApis: 2 });
  });
});

describe('faults seen through the MCP server (stdio, --backend aws)', () => {
  let s: Stack;
  let shop: string;
  let order: string;
  let orders: string;

  beforeAll(async () => {
    // Fast SDK retries in the server process; the waits themselves are the SDK's business (not asserted).
    s = await startStack({ env: { APIGW_MCP_RETRY_BASE_MS: '1' } });
    ({ restApiId: shop, resourceId: order } = await s.ids('shop', '/orders/{id}'));
    orders = (await s.ids('shop', '/orders')).resourceId;
  });
  afterAll(() => s?.close());
  beforeEach(() => {
    s.emulator.setFaults();
    s.emulator.resetCalls();
  });

  const target = () => ({ restApiId: shop, resourceId: order, httpMethod: 'GET' });

  it('set_timeout succeeds through 2 throttled UpdateIntegration calls, with exactly one applied change', async () => {
    s.emulator.setFaults({ throttle: { operations: ['UpdateIntegration'], count: 2, retryAfterSeconds: 0 } });
    const r = await s.call('set_timeout', { ...target(), timeoutInMillis: 7100 });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured).toMatchObject({ status: 'applied', patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '7100' }] });
    expect(s.emulator.calls()).toMatchObject({ GetMethod: 1, UpdateIntegration: 3 });
    expect(s.emulator.faults()).toEqual({ throttle: 2 });
    expect((await s.integration(shop, order, 'GET')).timeoutInMillis).toBe(7100);
    // One change recorded, under the changeId the result named.
    const recorded = (await s.call('list_changes', { restApiId: shop })).structured.changes.filter((c: any) => JSON.stringify(c.ops).includes('"7100"'));
    expect(recorded.map((c: any) => c.changeId)).toEqual([r.structured.changeId]);
  });

  it('reports a persistent 503 as isError naming ServiceUnavailableException and saying to retry; nothing changes', async () => {
    const before = await s.integration(shop, order, 'GET');
    s.emulator.setFaults({ unavailable: { operations: ['UpdateIntegration'] } });
    const r = await s.call('set_timeout', { ...target(), timeoutInMillis: 7200 });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('ServiceUnavailableException');
    expect(r.text).toMatch(/retry/i);
    // After retries the outcome is uncertain, so the server reads back once: unchanged, so the error stands.
    expect(s.emulator.calls()).toMatchObject({ GetMethod: 2, UpdateIntegration: MAX_ATTEMPTS });
    expect(await s.integration(shop, order, 'GET')).toEqual(before);
  });

  it('reports a 409 as isError naming ConflictException; nothing changes and nothing is retried', async () => {
    const before = await s.integration(shop, order, 'GET');
    s.emulator.setFaults({ conflict: { operations: ['UpdateIntegration'] } });
    const r = await s.call('set_timeout', { ...target(), timeoutInMillis: 7300 });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('ConflictException');
    expect(r.text).toContain(CONFLICT_MESSAGE);
    expect(s.emulator.calls()).toMatchObject({ GetMethod: 1, UpdateIntegration: 1 });
    expect(await s.integration(shop, order, 'GET')).toEqual(before);
  });

  it('a throttled GetMethod is retried too, and the write still sends one update', async () => {
    s.emulator.setFaults({ throttle: { operations: ['GetMethod'], count: 1, retryAfterSeconds: 0 } });
    const r = await s.call('set_timeout', { ...target(), timeoutInMillis: 7400 });
    expect(r.structured?.status, r.text).toBe('applied');
    expect(s.emulator.calls()).toMatchObject({ GetMethod: 2, UpdateIntegration: 1 });
  });

  it('an update whose answer was lost is retried and reported applied when it is idempotent (replace)', async () => {
    s.emulator.setFaults({ reset: { when: 'after', operations: ['UpdateIntegration'], count: 1 } });
    const r = await s.call('set_timeout', { ...target(), timeoutInMillis: 7500 });
    expect(r.structured?.status, r.text).toBe('applied');
    expect(s.emulator.calls()).toMatchObject({ GetMethod: 1, UpdateIntegration: 2 });
    expect((await s.integration(shop, order, 'GET')).timeoutInMillis).toBe(7500);
  });

  it('a remove whose answer was lost is verified by reading back and reported applied, with its audit record', async () => {
    // GET /orders has a request template for application/json. The first UpdateIntegration removes it and its
    // answer is lost (reset: after); the SDK retries the same remove, which API Gateway answers 404 (nothing to
    // remove). The change landed, but the agent is told it failed, and no audit record / changeId is written.
    expect((await s.integration(shop, orders, 'GET')).requestTemplates).toHaveProperty(['application/json']);
    s.emulator.setFaults({ reset: { when: 'after', operations: ['UpdateIntegration'], count: 1 } });
    const r = await s.call('update_integration', { restApiId: shop, resourceId: orders, httpMethod: 'GET', requestTemplates: { 'application/json': null } });
    expect(s.emulator.calls().UpdateIntegration).toBe(2);
    expect((await s.integration(shop, orders, 'GET')).requestTemplates?.['application/json' as never]).toBeUndefined();
    expect(r.isError, `the change was applied, but the tool answered: ${r.text}`).toBeFalsy();
    expect(r.structured.status).toBe('applied');
    expect(r.structured.message).toContain('verified by reading it back');
    const changes = await s.call('list_changes', {});
    expect(changes.structured.changes[0].changeId).toBe(r.structured.changeId);
  });
});
