// Pacing (src/aws/pacing.ts): every API Gateway call of the process waits for a token of its account's buckets.
// - The schedule, on a fake clock, checked against the emulator's own model of API Gateway's quotas (its Faults
//   class): random bursts, arrivals late by up to the margin, never a 429.
// - Real SDK clients over HTTP against the emulator with its `rateLimit` fault: bursts well over 40 through the
//   server's Backend/Gateway and through the MCP server get 0 throttled answers (the emulator's fault counters);
//   every attempt, retries included, takes a token; a wait past the bound fails `throttled` with nothing sent.
import { GetIntegrationCommand, UpdateIntegrationCommand } from '@aws-sdk/client-api-gateway';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend } from '../src/backend.js';
import { createClient } from '../src/aws/client.js';
import { outcomeUnknown } from '../src/aws/errors.js';
import { Gateway } from '../src/aws/gateway.js';
import { DEFAULT_RATE_LIMITS, MARGIN_MS, Pacer, PacingRefusal, parseRateLimit, pacingKey, type RateLimits } from '../src/aws/pacing.js';
import { ConfigSchema } from '../src/config.js';
import { Faults } from '../src/emulator/faults.js';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { parseServerArgs } from '../src/options.js';
import { CREDS, startStack, type Stack } from './harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A pacer on a fake clock: `at(t)` moves time; each acquire resolves at once and records when it would have gone. */
function fakePacer(limits: RateLimits = DEFAULT_RATE_LIMITS) {
  let now = 0;
  let wake = 0;
  const pacer = new Pacer(limits, { now: () => now, sleep: async (ms) => void (wake = now + ms) });
  return {
    pacer,
    at: (t: number) => void (now = t),
    /** When the call would be sent, or 'refused'. */
    async send(key: string, op: string): Promise<number | 'refused'> {
      wake = now;
      try {
        await pacer.acquire(key, op);
        return wake;
      } catch (err) {
        expect(err).toBeInstanceOf(PacingRefusal);
        expect((err as PacingRefusal).code).toBe('throttled');
        return 'refused';
      }
    },
  };
}

describe('the schedule (fake clock)', () => {
  const OPS = ['GetMethod', 'UpdateIntegration', 'GetResources', 'CreateDeployment', 'GetRestApis'];
  /** How much later than scheduled a request may arrive (network, a busy event loop): within the pacer's margin. */
  const LATE_MS = 180;

  it('never exceeds the emulator model of the quotas, even with arrivals late by up to the margin', async () => {
    expect(LATE_MS).toBeLessThan(MARGIN_MS);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ op: fc.constantFrom(...OPS), gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })), late: fc.integer({ min: 0, max: LATE_MS }) }), { minLength: 1, maxLength: 150 }),
        async (asks) => {
          const p = fakePacer();
          let t = 0;
          const arrivals: { op: string; at: number }[] = [];
          for (const a of asks) {
            p.at((t += a.gap));
            const sent = await p.send('account 1, us-east-1', a.op);
            if (sent !== 'refused') {
              expect(sent - t).toBeLessThanOrEqual(DEFAULT_RATE_LIMITS.maxWaitMs);
              arrivals.push({ op: a.op, at: sent + a.late });
            }
          }
          // API Gateway's buckets as the emulator models them, fed the arrivals in the order they arrive.
          const model = new Faults();
          model.set({ rateLimit: {} }, 0);
          for (const a of arrivals.sort((x, y) => x.at - y.at)) model.decide(a.op, a.at);
          expect(model.injected()).toEqual({});
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lets a burst go at once (40 less the margin), then 10 per second', async () => {
    const p = fakePacer();
    const sent: number[] = [];
    for (let i = 0; i < 60; i++) sent.push((await p.send('k', 'UpdateIntegration')) as number);
    expect(sent.filter((t) => t === 0)).toHaveLength(38);
    expect(sent.at(-1)).toBeCloseTo(22 * 100, 6);
  });

  it('GetResources keeps its own 5 per 2 s (less the margin) inside the account bucket', async () => {
    const p = fakePacer();
    const sent: number[] = [];
    for (let i = 0; i < 8; i++) sent.push((await p.send('k', 'GetResources')) as number);
    expect(sent.slice(0, 4)).toEqual([0, 0, 0, 0]);
    // then one every 400 ms
    expect(sent[5] - sent[4]).toBeCloseTo(400, 6);
    // and other operations of the account are not held up by GetResources' own bucket
    expect(await p.send('k', 'GetMethod')).toBe(0);
  });

  it('one account waiting does not hold up another', async () => {
    const p = fakePacer();
    for (let i = 0; i < 100; i++) await p.send('account A, us-east-1', 'UpdateIntegration');
    expect(await p.send('account A, us-east-1', 'UpdateIntegration')).toBeGreaterThan(0);
    expect(await p.send('account B, us-east-1', 'UpdateIntegration')).toBe(0);
    expect(await p.send('account A, eu-west-1', 'UpdateIntegration')).toBe(0);
  });

  it('refuses a call that would wait longer than the bound, without reserving a token for it', async () => {
    const p = fakePacer({ ...DEFAULT_RATE_LIMITS, maxWaitMs: 1000 });
    const sent = [];
    for (let i = 0; i < 60; i++) sent.push(await p.send('k', 'UpdateIntegration'));
    const ok = sent.filter((s) => s !== 'refused') as number[];
    // 38 at once, then 10 more within the second; the rest refused.
    expect(ok).toHaveLength(48);
    expect(Math.max(...ok)).toBeLessThanOrEqual(1000);
    expect(p.pacer.stats('k')).toMatchObject({ taken: 48, refused: 12 });
    // The refused calls took nothing: once the queue has drained, a call goes at once.
    p.at(20_000);
    expect(await p.send('k', 'UpdateIntegration')).toBe(20_000);
  });

  it("moves a profile's use to its account once the account is known (two profiles of one account share it)", async () => {
    const p = fakePacer();
    for (let i = 0; i < 38; i++) await p.send(pacingKey('us-east-1', { profile: 'a' }), 'GetMethod');
    for (let i = 0; i < 38; i++) await p.send(pacingKey('us-east-1', { profile: 'b' }), 'GetMethod');
    const account = pacingKey('us-east-1', { account: '111122223333' });
    p.pacer.merge(pacingKey('us-east-1', { profile: 'a' }), account);
    p.pacer.merge(pacingKey('us-east-1', { profile: 'b' }), account);
    // 76 used of one account's 38 at once: the 77th goes when 39 intervals have passed.
    expect(await p.send(account, 'GetMethod')).toBeCloseTo(3900, 6);
    expect(p.pacer.stats(account).taken).toBe(77);
  });
});

describe('--aws-rate-limit / APIGW_MCP_AWS_RATE_LIMIT', () => {
  it('reads the format; items not given keep the defaults', () => {
    expect(parseRateLimit('off')).toBeNull();
    expect(parseRateLimit('20/s, burst=80')).toEqual({ ...DEFAULT_RATE_LIMITS, rate: 20, burst: 80 });
    expect(parseRateLimit('5/2s,GetResources=3/2s,CreateDeployment=off,GetMethod=5/1s,wait=2.5s')).toEqual({
      rate: 2.5,
      burst: 40,
      operations: { GetResources: { requests: 3, perSeconds: 2 }, GetMethod: { requests: 5, perSeconds: 1 } },
      maxWaitMs: 2500,
    });
  });

  it.each(['', 'fast', 'burst=lots', 'burst=0', 'getMethod=1/s', 'wait=10', '10/m'])('refuses %j, saying the format', (text) => {
    expect(() => parseRateLimit(text)).toThrow(/RATE\/s/);
  });

  it('comes from the option, else the environment; default on, off turns it off', () => {
    const base = ['--backend', 'aws', '--region', 'us-east-1'];
    expect(parseServerArgs(base, {}).awsRateLimit).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseServerArgs(base, { APIGW_MCP_AWS_RATE_LIMIT: 'off' }).awsRateLimit).toBeNull();
    expect(parseServerArgs([...base, '--aws-rate-limit', '20/s'], { APIGW_MCP_AWS_RATE_LIMIT: 'off' }).awsRateLimit).toMatchObject({ rate: 20, burst: 40 });
    expect(() => parseServerArgs([...base, '--aws-rate-limit', 'nope'], {})).toThrow(/--aws-rate-limit .*"nope" is not an item/);
  });
});

it('says on stderr when --aws-rate-limit names an operation API Gateway does not have', async () => {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const pacer = new Pacer(parseRateLimit('GetResorces=5/2s')!);
    const { client } = await createClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: CREDS }, { pacer, key: () => 'k' });
    client.destroy();
    const lines = stderr.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => l.includes('--aws-rate-limit: GetResorces is not an API Gateway operation'))).toHaveLength(1);
    expect(lines.join('')).not.toContain('GetResources is not');
  } finally {
    stderr.mockRestore();
  }
});

describe('through the SDK against the emulator (rateLimit on)', () => {
  let emu: Emulator;
  let shop: { restApiId: string; orders: string; order: string };
  const saved = { ...process.env };

  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    // The Backend takes credentials from the environment, as the server does; fast SDK retries for the control run.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, APIGW_MCP_RETRY_BASE_MS: '1' });
    const { client, sdk } = await createClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
    const g = new Gateway(client, sdk);
    const restApiId = (await g.listApis()).find((a) => a.name === 'shop')!.id as string;
    const items = await g.listResources(restApiId);
    const id = (path: string) => items.find((r) => r.path === path)!.id as string;
    shop = { restApiId, orders: id('/orders'), order: id('/orders/{id}') };
    client.destroy();
  });
  afterAll(async () => {
    process.env = saved;
    await emu?.close();
  });
  beforeEach(() => {
    emu.setFaults();
    emu.resetCalls();
  });

  const config = (extra: object = {}) =>
    ConfigSchema.parse({ backend: 'aws', endpointUrl: emu.url, region: 'us-east-1', statePath: join(tmpdir(), 'unused.json'), auditLog: join(tmpdir(), 'unused.jsonl'), maxTimeoutMs: 29000, ...extra });
  const method = (resourceId: string) => ({ restApiId: shop.restApiId, resourceId, httpMethod: 'GET' });

  it("a burst of 70 calls (60 GetMethod, 10 GetResources) through the server's Gateway: no 429 at all", async () => {
    const backend = createBackend(config());
    const g = await backend.gateway();
    emu.setFaults({ rateLimit: {} });
    const results = await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => g.getMethod(method(i % 2 ? shop.order : shop.orders))),
      ...Array.from({ length: 10 }, () => g.listResources(shop.restApiId)),
    ]);
    expect(results).toHaveLength(70);
    expect(emu.faults()).toEqual({});
    expect(emu.calls()).toEqual({ GetMethod: 60, GetResources: 10 });
  });

  it('the same burst without pacing is throttled by the emulator (what the test above guards against)', async () => {
    const backend = createBackend(config({ awsRateLimit: null }));
    const g = await backend.gateway();
    emu.setFaults({ rateLimit: {} });
    await Promise.allSettled([
      ...Array.from({ length: 60 }, () => g.getMethod(method(shop.order))),
      ...Array.from({ length: 10 }, () => g.listResources(shop.restApiId)),
    ]);
    expect(emu.faults().rateLimit).toBeGreaterThan(0);
  });

  it("CreateDeployment's own bucket holds (configured to 1 per second on both sides)", async () => {
    const limits = parseRateLimit('CreateDeployment=1/1s')!;
    const pacer = new Pacer(limits);
    const { client, sdk } = await createClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS }, { pacer, key: () => 'k' });
    const g = new Gateway(client, sdk);
    emu.setFaults({ rateLimit: { operations: { CreateDeployment: { requests: 1, perSeconds: 1 } } } });
    await Promise.all([1, 2, 3].map((i) => g.createDeployment(shop.restApiId, 'pacing', `burst ${i}`)));
    expect(emu.faults()).toEqual({});
    expect(emu.calls()).toEqual({ CreateDeployment: 3 });
    client.destroy();
  });

  it('every attempt takes a token, retries included (the middleware sits below the retry middleware)', async () => {
    const pacer = new Pacer(DEFAULT_RATE_LIMITS);
    const { client } = await createClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS }, { pacer, key: () => 'k' });
    emu.setFaults({ throttle: { operations: ['UpdateIntegration'], count: 2, retryAfterSeconds: 0 } });
    const out = await client.send(new UpdateIntegrationCommand({ ...method(shop.order), patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '8100' }] }));
    expect(out.$metadata.attempts).toBe(3);
    expect(pacer.stats('k').taken).toBe(3);
    expect(emu.calls()).toEqual({ UpdateIntegration: 3 });
    client.destroy();
  });

  it("throttling that still happens is retried after the server's Retry-After, the retry paced like any attempt", async () => {
    const pacer = new Pacer(DEFAULT_RATE_LIMITS);
    const { client } = await createClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS }, { pacer, key: () => 'k' });
    emu.setFaults({ throttle: { operations: ['GetIntegration'], count: 1, retryAfterSeconds: 1 } });
    const out = await client.send(new GetIntegrationCommand(method(shop.order)));
    expect(out.$metadata.attempts).toBe(2);
    // The wait the SDK's strategy chose follows Retry-After (1 s), not the 1 ms test backoff.
    expect(out.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(900);
    expect(pacer.stats('k').taken).toBe(2);
    client.destroy();
  });

  it('a call that would wait past the bound fails `throttled` at once, nothing sent, and is not retried', async () => {
    const pacer = new Pacer(parseRateLimit('1/10s,burst=1,wait=1s')!);
    const { client } = await createClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS }, { pacer, key: () => 'k' });
    const get = () => client.send(new GetIntegrationCommand(method(shop.order)));
    await get();
    const err = await get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PacingRefusal);
    expect(err).toMatchObject({ code: 'throttled', nothingSent: true });
    expect((err as Error).message).toMatch(/^Not sent: GetIntegration would wait \d+(\.\d)? s for API Gateway's rate limit/);
    // A write refused this way is known not to have happened: no read-back needed.
    expect(outcomeUnknown(err)).toBe(false);
    expect(emu.calls()).toEqual({ GetIntegration: 1 });
    expect(pacer.stats('k')).toMatchObject({ taken: 1, refused: 1 });
    client.destroy();
  });
});

describe('through the MCP server (stdio, --backend aws)', () => {
  let s: Stack | undefined;
  afterAll(() => s?.close());

  it('60 concurrent get_integration calls under the default limits: all answered, 0 throttled by the emulator', async () => {
    s = await startStack({ emulator: { faults: { rateLimit: {} } } });
    // The ids through the independent client would use the emulator's buckets: looked up, then the buckets refilled.
    const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
    s.emulator.setFaults({ rateLimit: {} });
    s.emulator.resetCalls();
    const results = await Promise.all(Array.from({ length: 60 }, () => s!.call('get_integration', { restApiId, resourceId, httpMethod: 'GET' })));
    expect(results.filter((r) => r.isError).map((r) => r.text)).toEqual([]);
    expect(s.emulator.faults()).toEqual({});
    expect(s.emulator.calls().GetIntegration).toBe(60);
    expect(s.stderr()).toContain('AWS calls paced per account and region: 10/s, burst 40; GetResources 5 per 2 s; CreateDeployment 1 per 5 s');
  });

  it('--aws-rate-limit with a short bound: calls that would wait too long are isError results saying so, nothing sent', async () => {
    await s?.close();
    s = await startStack({ serverArgs: ['--aws-rate-limit', '1/10s,burst=5,wait=1s'] });
    const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
    const args = { restApiId, resourceId, httpMethod: 'GET' };
    // The first call also looks up names (cached afterwards); then each call is one GetIntegration.
    expect((await s.call('get_integration', args)).isError).toBeFalsy();
    s.emulator.resetCalls();
    const results = await Promise.all(Array.from({ length: 5 }, () => s!.call('get_integration', args)));
    const refused = results.filter((r) => r.isError);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.text).toMatch(/^Not sent: GetIntegration would wait .* longer than this server waits/);
    expect(s.emulator.calls().GetIntegration ?? 0).toBe(results.length - refused.length);
  });
});
