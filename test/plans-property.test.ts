// Properties of change plans over the extended rules table (fast-check): random plans and batches across the
// method, its method responses, the integration and its responses. After apply, AWS (read with an independent SDK
// client) holds exactly what the plan's model said, resource by resource; undo restores the start; and no plan with
// a confirm-level step reaches AWS without a human's answer.
import { APIGatewayClient, GetMethodCommand, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../src/config.js';
import { createContext } from '../src/context.js';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { kindOf } from '../src/plan/kinds/index.js';
import { createServer } from '../src/server.js';
import { CREDS } from './harness.js';

const RUNS = Number(process.env.PLAN_RUNS ?? 25);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

let emu: Emulator;
let aws: APIGatewayClient;
let shop: string;
let paths: Record<string, string>;

async function server(extra: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-plans-'));
  const config = ConfigSchema.parse({ backend: 'aws', endpointUrl: emu.url, region: 'us-east-1', statePath: '/unused', maxTimeoutMs: 29000, auditLog: join(dir, 'audit.jsonl'), awsRateLimit: null, ...extra });
  const ctx = createContext(config);
  const srv = createServer(ctx);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await srv.connect(a);
  const client = new Client({ name: 'plans-property', version: '1' });
  await client.connect(b);
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as any;
  return { call, audit: join(dir, 'audit.jsonl'), close: async () => (await client.close(), await ctx.confirmer.close(), await ctx.backend.close()) };
}

const method = (resourceId: string, httpMethod = 'GET') => aws.send(new GetMethodCommand({ restApiId: shop, resourceId, httpMethod })).then(({ $metadata: _, ...m }) => m as Record<string, any>);
/** Every write the emulator answered since the last reset. */
const writes = () => Object.entries(emu.calls()).filter(([op]) => /^(Put|Update|Delete|Create)/.test(op));

beforeAll(async () => {
  // The in-process server uses the SDK's credential chain; the emulator takes any credentials.
  process.env.AWS_ACCESS_KEY_ID ??= CREDS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= CREDS.secretAccessKey;
  emu = await startEmulator({ seed: true });
  aws = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
  shop = (await aws.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'shop')!.id!;
  paths = Object.fromEntries((await aws.send(new GetResourcesCommand({ restApiId: shop }))).items!.map((r) => [r.path!, r.id!]));
});
afterAll(() => emu?.close());

// Random changes that cross resources: mappings from (maybe undeclared) parameters, templates, cache keys, and an
// integration response (maybe without its method response) with header mappings (maybe undeclared).
const source = fc.constantFrom('method.request.querystring.p1', 'method.request.querystring.p2', 'method.request.header.H1', "'fixed'", 'context.requestId');
const integrationChange = fc.record(
  {
    timeoutInMillis: fc.integer({ min: 50, max: 29000 }),
    requestParameters: fc.dictionary(fc.constantFrom('integration.request.header.X-A', 'integration.request.querystring.q'), source, { maxKeys: 2 }),
    requestTemplates: fc.dictionary(fc.constantFrom('application/json', 'text/plain'), fc.constantFrom('{}', '#set($a = 1)', '$input.body'), { maxKeys: 2 }),
    cacheKeyParameters: fc.record({ add: fc.subarray(['method.request.querystring.p1', 'method.request.querystring.p2']) }),
  },
  { requiredKeys: [] },
);
const responseChange = fc.record({
  statusCode: fc.constantFrom('404', '502', '200'),
  responseTemplates: fc.dictionary(fc.constantFrom('application/json'), fc.constantFrom('{"m": 1}', '{"m": 2}'), { maxKeys: 1 }),
  responseParameters: fc.dictionary(fc.constantFrom('method.response.header.X-R', 'method.response.header.X-S'), fc.constantFrom("'v'", 'integration.response.header.Y'), { maxKeys: 2 }),
});
const target = fc.constantFrom('/orders', '/orders/{id}');

/** Each resource a record's steps left, read back from AWS, equals what the step recorded (the plan's answer). */
async function matchesRecord(auditLog: string, changeId: string): Promise<void> {
  const record = readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.changeId === changeId).at(-1);
  expect(record.steps?.length).toBeGreaterThan(0);
  const last = new Map<string, any>();
  for (const s of record.steps) last.set(`${s.resource}:${s.address.resourceId}/${s.address.httpMethod}/${s.address.statusCode ?? ''}`, s);
  for (const s of last.values()) {
    const now = kindOf(s.resource).read(await method(s.address.resourceId, s.address.httpMethod), s.address);
    const strip = (d: any) => (d && s.resource === 'integration' ? (({ integrationResponses: _, ...rest }) => rest)(d) : d);
    expect(strip(now)).toEqual(strip(s.after));
  }
}

describe('change plans, as properties', () => {
  it('after apply, AWS holds what the plan modelled, resource by resource; undo restores the start', async () => {
    const s = await server({ confirm: 'never' });
    try {
      await fc.assert(
        fc.asyncProperty(target, integrationChange, fc.option(responseChange, { nil: undefined }), async (path, change, response) => {
          const resourceId = paths[path];
          const start = await method(resourceId);
          const at = { restApiId: shop, resourceId, httpMethod: 'GET' };
          const applied: string[] = [];
          const r = await s.call('update_integration', { ...at, ...change });
          if (!r.isError && r.structuredContent.status === 'applied') applied.push(r.structuredContent.changeId);
          else expect(r.isError || r.structuredContent.status === 'no_change', JSON.stringify(r.content)).toBe(true);
          if (response) {
            const ir = await s.call('update_integration_response', { ...at, ...response });
            // A selection pattern shared with another response is refused by design; anything else applies.
            if (!ir.isError && ir.structuredContent.status === 'applied') applied.push(ir.structuredContent.changeId);
            else if (ir.isError) expect(ir.content[0].text).toMatch(/selection pattern|Nothing to change/);
          }
          for (const id of applied) await matchesRecord(s.audit, id);
          for (const id of applied.reverse()) {
            const u = await s.call('undo_change', { changeId: id });
            expect(u.structuredContent?.status, JSON.stringify(u.content)).toBe('applied');
          }
          expect(await method(resourceId)).toEqual(start);
        }),
        params,
      );
    } finally {
      await s.close();
    }
  });

  it('a batch over random filters applies what it planned to every target, and its undo restores every one', async () => {
    const s = await server({ confirm: 'never' });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ types: fc.option(fc.subarray(['HTTP', 'HTTP_PROXY', 'MOCK'], { minLength: 1 }), { nil: undefined }), paths: fc.option(fc.subarray(['/orders', '/orders/*', '/health', '/**'], { minLength: 1 }), { nil: undefined }) }),
          fc.integer({ min: 50, max: 29000 }),
          async (match, timeoutInMillis) => {
            const filter = Object.fromEntries(Object.entries(match).filter(([, v]) => v !== undefined));
            if (!Object.keys(filter).length) return;
            const before = await Promise.all(Object.values(paths).map(async (id) => [id, await aws.send(new GetResourcesCommand({ restApiId: shop, embed: ['methods'] })).then((x) => x.items!.find((r) => r.id === id)?.resourceMethods)] as const));
            const r = await s.call('update_integrations', { restApiId: shop, match: filter, timeoutInMillis });
            if (r.isError) return void expect(r.content[0].text).toMatch(/No integration matches/);
            if (r.structuredContent.status === 'no_change') return;
            expect(r.structuredContent.status).toBe('applied');
            await matchesRecord(s.audit, r.structuredContent.changeId);
            expect((await s.call('undo_change', { changeId: r.structuredContent.changeId })).structuredContent.status).toBe('applied');
            const after = await Promise.all(Object.values(paths).map(async (id) => [id, await aws.send(new GetResourcesCommand({ restApiId: shop, embed: ['methods'] })).then((x) => x.items!.find((rr) => rr.id === id)?.resourceMethods)] as const));
            expect(after).toEqual(before);
          },
        ),
        { ...params, numRuns: Math.max(5, Math.floor(RUNS / 3)) },
      );
    } finally {
      await s.close();
    }
  });

  it('no plan with a confirm-level step reaches AWS without a human (random risky fields, token fallback never answered)', async () => {
    const s = await server({ confirmFallback: 'token' });
    try {
      const risky = fc.record(
        {
          uri: fc.constantFrom('https://evil.example.com/x', 'https://orders-v2.example.com/orders'),
          tlsInsecureSkipVerification: fc.constant(true),
          requestParameters: fc.constantFrom({ 'integration.request.header.Host': "'evil.example.com'" }, { 'integration.request.header.Authorization': 'stageVariables.token' }),
          type: fc.constant('HTTP_PROXY'),
        },
        { requiredKeys: [] },
      );
      let asked = 0;
      await fc.assert(
        fc.asyncProperty(target, risky, integrationChange, async (path, danger, change) => {
          if (!Object.keys(danger).length) return;
          const args: Record<string, unknown> = { restApiId: shop, resourceId: paths[path], httpMethod: 'GET', ...change, ...danger };
          if (danger.type) Object.assign(args, { integrationHttpMethod: 'GET', uri: danger.uri ?? 'https://new.example.com/' }, { cacheKeyParameters: undefined });
          emu.resetCalls();
          const r = await s.call('update_integration', args);
          // Refused locally, or beyond the cap on open questions per client (32): nothing sent either way.
          if (r.isError) expect(r.content[0].text).toMatch(/Nothing was sent|Nothing to change|waiting for a human/);
          else {
            expect(r.structuredContent).toMatchObject({ status: 'confirmation_required', risk: 'confirm' });
            asked++;
          }
          expect(writes()).toEqual([]);
        }),
        params,
      );
      // The property held because a human was asked, not because every call failed.
      expect(asked).toBeGreaterThanOrEqual(Math.min(RUNS / 2, 20));
    } finally {
      await s.close();
    }
  });
});
