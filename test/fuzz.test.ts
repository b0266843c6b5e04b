// Fuzzing every tool with invalid and hostile calls (fast-check): each generated call carries at least one element
// that validation must refuse without asking AWS, so every call must end in an isError result, none in a protocol
// error or a crash, and not one request may reach the emulator. Plus a differential property: random sequences of
// valid update_integration calls keep the tool's `after`, the emulator and a local patch model equal.
//
// FUZZ_RUNS (default 10000, in process), FUZZ_STDIO_RUNS (300, over stdio), FUZZ_DIFF_RUNS (100) and FUZZ_SEED
// make a soak run: FUZZ_RUNS=200000 npx vitest run test/fuzz.test.ts
import { APIGatewayClient, GetIntegrationCommand, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../src/config.js';
import { createContext } from '../src/context.js';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { toPointer } from '../src/patch/pointer.js';
import type { PatchOperation } from '../src/patch/rules.js';
import { applyPatch, checkPatch, matchRule } from '../src/patch/validate.js';
import { HTTP_VERBS, MAX_TEMPLATE_BYTES, type Doc } from '../src/patch/values.js';
import { createServer } from '../src/server.js';
import { CREDS, startStack, type Stack } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const STDIO_RUNS = Number(process.env.FUZZ_STDIO_RUNS ?? 300);
const DIFF_RUNS = Number(process.env.FUZZ_DIFF_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const params = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });
const LONG = 30_000 + RUNS * 20;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= CREDS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= CREDS.secretAccessKey;

type Args = Record<string, unknown>;
type Tool = Awaited<ReturnType<Client['listTools']>>['tools'][number];
interface Ids {
  shop: string;
  order: string;
  orders: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Stacks: the server in this process over an in-memory transport (fast), against an in-process emulator.

async function inProcess(emu: Emulator) {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-fuzz-'));
  const config = ConfigSchema.parse({
    backend: 'aws',
    endpointUrl: emu.url,
    region: 'us-east-1',
    statePath: '/unused',
    maxTimeoutMs: 29000,
    auditLog: join(dir, 'audit.jsonl'),
    // Not paced: a thousand calls at API Gateway's 10/s would take minutes (pacing has its own tests).
    awsRateLimit: null,
    // Every tool, the opt-in toolsets too: they are fuzzed like the rest.
    toolsets: ['raw', 'audit'],
  });
  const ctx = createContext(config);
  const server = createServer(ctx);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'fuzz', version: '1' });
  await client.connect(b);
  return {
    client,
    async close() {
      await client.close();
      await ctx.confirmer.close();
      await ctx.backend.close();
    },
  };
}

async function seededIds(aws: APIGatewayClient): Promise<Ids> {
  const shop = (await aws.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'shop')!.id!;
  const items = (await aws.send(new GetResourcesCommand({ restApiId: shop }))).items!;
  const id = (path: string) => items.find((r) => r.path === path)!.id!;
  return { shop, order: id('/orders/{id}'), orders: id('/orders') };
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile material.

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '~', '~0', '~1', '~2', '', ' ', '..', '/', '//', '/a/../b', '\u0000', '\u202e', '😀', '%2F', '${x}', '$input.body', 'a'.repeat(300)];
const ID = /^[A-Za-z0-9]{1,64}$/;

/** A string of about n bytes (20 KB .. 110 KB), of one repeated unit. */
const huge = (min = 20_000, max = 110_000) =>
  fc.tuple(fc.integer({ min, max }), fc.constantFrom('x', 'é', '~1', '/', '\u0000', '😀', ' ', '\u202e')).map(([n, u]) => u.repeat(Math.ceil(n / Buffer.byteLength(u))));
const controlString = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 });
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 80, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 40, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 40, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 40, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 20, arbitrary: controlString },
  { weight: 20, arbitrary: loneSurrogates },
  { weight: 20, arbitrary: fc.string({ minLength: 200, maxLength: 3000 }) },
  // A few huge strings (up to ~110 KB).
  { weight: 3, arbitrary: huge() },
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, -0, 0.5, 1e-300, 29000.5, 49, -1, 900001, 4294967296),
);
/** Nested n levels deep, alternating objects and arrays. */
const deep = fc.integer({ min: 5, max: 400 }).map((d) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < d; i++) v = i % 2 ? [v] : { k: v };
  return v;
});
const scalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
/** Builds an object with own keys only (`__proto__` included), as JSON.parse would. */
const objectOf = (entries: [string, unknown][]) => Object.fromEntries(entries);
const hostileObject = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })), scalar), { maxLength: 4 }).map(objectOf);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: hostileObject },
  { weight: 1, arbitrary: deep },
);
/** Any JSON value that is not a string. */
const notString = fc.oneof(hostileNumber, fc.boolean(), fc.constant(null), fc.array(scalar, { maxLength: 3 }), hostileObject, deep);
const notBoolean = fc.oneof(hostileString, hostileNumber, fc.constant(null), fc.constantFrom('true', 'false', 0, 1), fc.array(fc.boolean(), { maxLength: 2 }), hostileObject);
const notNumber = fc.oneof(hostileString, fc.boolean(), fc.constant(null), fc.constantFrom('12000', '1e4', ''), fc.array(fc.integer(), { maxLength: 2 }), hostileObject);
const notObject = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.array(scalar, { maxLength: 3 }));
const notArray = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), hostileObject);

// ---------------------------------------------------------------------------------------------------------------
// Valid-looking values (filler), so that often the poison is the only thing wrong with a call.

const token = (extra = '') => fc.string({ unit: fc.constantFrom(...`abcxyzAZ09!#$&^_.+-${extra}`), minLength: 1, maxLength: 12 });
const contentType = fc.oneof(fc.constantFrom('application/json', 'application/xml', 'text/plain', 'application/vnd.api+json'), fc.tuple(token(), token('*')).map(([a, b]) => `${a}/${b}`));
const paramName = fc.string({ unit: fc.constantFrom(...'abcXYZ019._$-'), minLength: 1, maxLength: 12 });
const requestParamKey = fc.tuple(fc.constantFrom('path', 'querystring', 'header'), paramName).map(([l, n]) => `integration.request.${l}.${n}`);
const validOp: fc.Arbitrary<PatchOperation> = fc.oneof(
  fc.integer({ min: 50, max: 29000 }).map((n) => ({ op: 'replace', path: '/timeoutInMillis', value: String(n) })),
  fc.constantFrom('WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER').map((v) => ({ op: 'replace', path: '/passthroughBehavior', value: v })),
  fc.tuple(contentType, fc.string({ maxLength: 30 })).map(([k, v]) => ({ op: 'add', path: toPointer('requestTemplates', k), value: v })),
  fc.string({ minLength: 1, maxLength: 30 }).map((v) => ({ op: 'replace', path: '/cacheNamespace', value: v })),
  fc.constant({ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'false' }),
  fc.constant({ op: 'replace', path: '/uri', value: 'https://elsewhere.example.com/' }),
);

function plausible(ids: Ids): Record<string, fc.Arbitrary<unknown>> {
  return {
    restApiId: fc.constantFrom(ids.shop, 'abc123', 'nosuchapi1'),
    apiName: fc.constantFrom('shop', 'inventory', 'nosuch'),
    resourceId: fc.constantFrom(ids.order, ids.orders, 'abc123'),
    resourcePath: fc.constantFrom('/orders/{id}', '/orders', '/orders/', '/nope'),
    httpMethod: fc.constantFrom(...HTTP_VERBS),
    timeoutInMillis: fc.integer({ min: 50, max: 29000 }),
    uri: fc.constantFrom('https://orders.example.com/x', 'http://a.example.com'),
    integrationHttpMethod: fc.constantFrom(...HTTP_VERBS),
    credentials: fc.constant('arn:aws:iam::123456789012:role/r'),
    passthroughBehavior: fc.constantFrom('WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'),
    contentHandling: fc.constantFrom('CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'),
    responseTransferMode: fc.constantFrom('BUFFERED', 'STREAM'),
    cacheNamespace: fc.string({ minLength: 1, maxLength: 20 }),
    cacheKeyParameters: fc.record({ add: fc.constant(['method.request.path.id']), remove: fc.constant(['method.request.path.id']) }, { requiredKeys: [] }),
    requestParameters: fc.dictionary(requestParamKey, fc.constantFrom("'lit'", 'method.request.path.id', 'context.requestId', null), { maxKeys: 2 }),
    requestTemplates: fc.dictionary(contentType, fc.option(fc.string({ maxLength: 40 }), { nil: null }), { maxKeys: 3 }),
    connection: fc.constantFrom({ type: 'INTERNET' }, { type: 'VPC_LINK', id: 'abc123' }),
    tlsInsecureSkipVerification: fc.boolean(),
    insecureSkipVerification: fc.boolean(),
    statusCode: fc.constantFrom('200', '500', '404'),
    selectionPattern: fc.string({ maxLength: 20 }),
    responseTemplates: fc.dictionary(contentType, fc.option(fc.string({ maxLength: 40 }), { nil: null }), { maxKeys: 2 }),
    responseParameters: fc.constant({ 'method.response.header.X-Request-Id': "'x'" }),
    create: fc.boolean(),
    dryRun: fc.boolean(),
    confirmation: fc.constantFrom('apr_abc', 'v1.xyz', ''),
    patchOperations: fc.array(validOp, { minLength: 1, maxLength: 5 }),
    stageName: fc.constantFrom('prod', 'dev'),
    description: fc.string({ maxLength: 50 }),
    changeId: fc.constant('chg_abc123'),
    limit: fc.integer({ min: 1, max: 200 }),
  };
}

/** A value of the JSON Schema type, roughly valid (for properties of tools this file does not know). */
function byType(schema: any): fc.Arbitrary<unknown> {
  if (schema?.enum) return fc.constantFrom(...schema.enum);
  const t = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (t === 'string') return fc.string({ maxLength: 20 });
  if (t === 'integer') return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
  if (t === 'number') return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
  if (t === 'boolean') return fc.boolean();
  if (t === 'array') return fc.array(byType(schema.items), { maxLength: 3 });
  if (t === 'object') return fc.constant({});
  return hostileValue;
}

// ---------------------------------------------------------------------------------------------------------------
// Poisons: each one makes the call invalid in a way the server must see before any AWS call, whatever the rest.

interface Poison {
  why: string;
  apply(args: Args): Args;
}
/** Poisons the server's own checks must catch (target rules, the rules table, the audit log), not the schema. */
const SERVER = new WeakSet<fc.Arbitrary<Poison>>();
const srv = (a: fc.Arbitrary<Poison>) => (SERVER.add(a), a);
const set = (why: string, key: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<Poison> =>
  value.map((v) => ({ why: `${key} = ${show(v)}: ${why}`, apply: (a) => ({ ...a, [key]: v }) }));
const drop = (why: string, ...keys: string[]): fc.Arbitrary<Poison> =>
  fc.constant({ why, apply: (a) => Object.fromEntries(Object.entries(a).filter(([k]) => !keys.includes(k))) });
const assign = (why: string, patch: fc.Arbitrary<Args>): fc.Arbitrary<Poison> => patch.map((p) => ({ why: `${why}: ${show(p)}`, apply: (a) => ({ ...a, ...p }) }));

function show(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 60)}…(${x.length} chars)` : x));
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** restApiId takes a name too: what is refused is a blank value, a control character, or more than 1024 characters. */
const badApiRef = fc.oneof(
  fc.constantFrom('', ' ', '\t', '   ', 'ab\u0000', 'a\nb', 'x\u007f', 'x'.repeat(1025)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).filter((s) => /[\u0000-\u001f\u007f-\u009f]/.test(s) || !s.trim()),
  huge(),
  notString,
);
const badId = fc.oneof(
  fc.constantFrom('', '../x', 'a/b', 'a b', 'a-b', 'a_b', 'a.b', '~', '__proto__', 'x'.repeat(65), 'ab\u0000', 'é', '😀', '%41'),
  fc.string({ maxLength: 80 }).filter((s) => !ID.test(s)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).filter((s) => !ID.test(s)),
  huge(),
  notString,
);
const badApiName = fc.oneof(fc.constant(''), fc.integer({ min: 1025, max: 5000 }).map((n) => 'n'.repeat(n)), huge(), notString);
const badResourcePath = fc.oneof(
  fc.constantFrom('orders', '', ' /orders', '/orders /x', '/a\tb', '/a\nb', '/a\u00a0b', '/a\u2028b', 'x'.repeat(10), '\\orders'),
  fc.string({ maxLength: 30 }).filter((s) => !s.startsWith('/')),
  fc.integer({ min: 2049, max: 20_000 }).map((n) => '/' + 'p'.repeat(n)),
  notString,
);
const badVerb = fc.oneof(fc.constantFrom('get', 'Get', 'CONNECT', 'TRACE', '', ' GET', 'GET ', 'GET\u0000', 'ＧＥＴ', 'POST,GET'), notString);

function targetPoisons(ids: Ids, level: 'api' | 'method'): fc.Arbitrary<Poison>[] {
  const api = [
    set('restApiId is neither an id nor a name', 'restApiId', badApiRef),
    set('apiName is empty, too long or not a string', 'apiName', badApiName),
    srv(assign('both restApiId and apiName', fc.record({ restApiId: fc.constantFrom(ids.shop, 'abc123'), apiName: fc.constantFrom('shop', 'x') }))),
    srv(drop('neither restApiId nor apiName', 'restApiId', 'apiName')),
  ];
  if (level === 'api') return api;
  return [
    ...api,
    set('resourceId is not an id', 'resourceId', badId),
    set('resourcePath is not a path', 'resourcePath', badResourcePath),
    set('httpMethod is not a verb', 'httpMethod', badVerb),
    drop('httpMethod is missing', 'httpMethod'),
    srv(assign('both resourceId and resourcePath', fc.record({ resourceId: fc.constantFrom(ids.order, 'abc123'), resourcePath: fc.constantFrom('/orders/{id}', '/x') }))),
    srv(drop('neither resourceId nor resourcePath', 'resourceId', 'resourcePath')),
  ];
}

const writeFieldPoisons = [
  set('dryRun is not a boolean', 'dryRun', notBoolean),
  set('confirmation is not a string of at most 512', 'confirmation', fc.oneof(notString, fc.integer({ min: 513, max: 5000 }).map((n) => 'c'.repeat(n)))),
];

/** Whole numbers outside 50..900000 (the ceiling even with STREAM): the rules table refuses them. */
const timeoutOutOfRange = fc.oneof(fc.integer({ min: -1e9, max: 49 }), fc.integer({ min: 900_001, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(49, 0, -0, -1, 900_001));
/** Not a safe whole number: the schema refuses them. */
const timeoutNotInteger = fc.oneof(
  fc.double({ min: 50, max: 29000, noNaN: true }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom(1e308, -1e308, 2 ** 63, 49.999, 0.5, -0.5),
  notNumber,
);
/** A map whose entries are fine except one: `bad` gives the poisoned [key, value]. */
const mapWith = (good: fc.Arbitrary<Record<string, unknown>>, bad: fc.Arbitrary<[string, unknown]>) =>
  fc.tuple(good, bad, fc.boolean()).map(([g, [k, v], first]) => (first ? objectOf([[k, v], ...Object.entries(g)]) : objectOf([...Object.entries(g), [k, v]])));
/** Keys that are not content types (`__proto__` aside: see the dedicated test below). */
const notContentType = fc.oneof(
  fc.constantFrom(...HOSTILE_KEYS.filter((k) => k !== '__proto__'), 'application/json/x', 'application', 'application/', '/json', 'a b/c', 'application/js on', 'text/plain;charset=utf-8', 'application/~json', '~1/~0'),
  fc.string({ maxLength: 30 }).filter((k) => k !== '__proto__' && !/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+*-]+$/.test(k)),
);
const notRequestKey = fc.oneof(
  fc.constantFrom(...HOSTILE_KEYS.filter((k) => k !== '__proto__'), 'X-Trace', 'integration.request.header.', 'integration.request.body.x', 'method.request.header.X', 'integration.request.header.a b', 'integration.request.header.ü'),
  fc.string({ maxLength: 30 }).filter((k) => k !== '__proto__' && !/^integration\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.[A-Za-z0-9._$-]+$/.test(k)),
);
const notResponseKey = fc.oneof(
  fc.constantFrom(...HOSTILE_KEYS.filter((k) => k !== '__proto__'), 'X-Request-Id', 'method.response.header.', 'method.response.body', 'integration.response.header.X'),
  fc.string({ maxLength: 30 }).filter((k) => k !== '__proto__' && !/^method\.response\.header\.[A-Za-z0-9._$-]+$/.test(k)),
);
const refused = (resource: 'integration' | 'integrationResponse', op: PatchOperation) => checkPatch(resource, [op], { maxTimeoutMs: 29000 }).problems.length > 0;
const badRequestSource = fc.oneof(fc.constantFrom('', 'method.request.header', 'method.request.foo.x', "'unterminated", 'x', '$input.body', 'integration.response.header.X'), hostileString).filter((v) =>
  refused('integration', { op: 'add', path: '/requestParameters/integration.request.header.X', value: v }),
);
const badResponseSource = fc.oneof(fc.constantFrom('', 'integration.response.header', 'method.request.path.id', "'a'b'"), hostileString).filter((v) =>
  refused('integrationResponse', { op: 'add', path: '/responseParameters/method.response.header.X', value: v }),
);
const tooBigTemplate = fc.integer({ min: MAX_TEMPLATE_BYTES + 1, max: MAX_TEMPLATE_BYTES + 4096 }).map((n) => 't'.repeat(n));

const badUri = fc.oneof(
  fc.constantFrom('', 'ftp://x.example.com', 'not a url', 'http://', 'https:// x', 'arn:aws:s3:::bucket', 'arn:aws:apigateway:us-east-1:lambda', 'arn:aws:apigateway:us-east-1:lambda:foo/bar', 'arnx', '//x'),
  hostileString,
).filter((v) => refused('integration', { op: 'replace', path: '/uri', value: v }));

function integrationPoisons(): fc.Arbitrary<Poison>[] {
  return [
    srv(set('timeoutInMillis out of range', 'timeoutInMillis', timeoutOutOfRange)),
    set('timeoutInMillis fractional or not a number', 'timeoutInMillis', timeoutNotInteger),
    srv(set('uri of no valid shape', 'uri', badUri)),
    set('uri not a string', 'uri', notString),
    set('integrationHttpMethod is not a verb', 'integrationHttpMethod', badVerb),
    srv(set('credentials is not a role ARN', 'credentials', fc.constantFrom('', 'admin', 'arn:aws:iam::1:role/x', 'arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::*:user/x'))),
    set('credentials not a string', 'credentials', notString),
    set('passthroughBehavior outside its enum', 'passthroughBehavior', fc.oneof(fc.constantFrom('ALWAYS', 'never', ''), notString)),
    set('contentHandling outside its enum', 'contentHandling', fc.oneof(fc.constantFrom('CONVERT_TO_JSON', ''), notString)),
    set('responseTransferMode outside its enum', 'responseTransferMode', fc.oneof(fc.constantFrom('STREAMING', 'buffered'), notString)),
    srv(set('cacheNamespace empty or longer than 128', 'cacheNamespace', fc.oneof(fc.constant(''), fc.integer({ min: 129, max: 2000 }).map((n) => 'c'.repeat(n))))),
    srv(set('cacheKeyParameters with a name that is no method.request.* parameter', 'cacheKeyParameters',
      fc.tuple(fc.constantFrom('add', 'remove'), fc.oneof(hostileString, fc.constantFrom('id', 'method.request.path.', 'integration.request.path.id')).filter((k) => !/^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.[A-Za-z0-9._$-]+$/.test(k))).map(([side, k]) => ({ [side]: ['method.request.path.id', k] })))),
    set('cacheKeyParameters of the wrong shape', 'cacheKeyParameters', fc.oneof(notObject, fc.record({ add: notArray }), fc.record({ remove: fc.array(notString, { minLength: 1, maxLength: 2 }) }))),
    srv(set('requestParameters with a key that is no integration.request.* name', 'requestParameters', mapWith(fc.constant({}), fc.tuple(notRequestKey, fc.constantFrom("'x'", null, 'context.requestId'))))),
    srv(set('requestParameters with a source that is none', 'requestParameters', mapWith(fc.constant({ 'integration.request.header.A': "'ok'" }), fc.tuple(requestParamKey, badRequestSource)))),
    set('requestParameters of the wrong shape', 'requestParameters', fc.oneof(notObject, mapWith(fc.constant({}), fc.tuple(requestParamKey, fc.oneof(hostileNumber, fc.boolean(), hostileObject, deep))))),
    srv(set('requestTemplates with a key that is no content type', 'requestTemplates', mapWith(fc.constant({ 'application/json': '{}' }), fc.tuple(notContentType, fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)))))),
    srv(set('requestTemplates with a template over 300 KB', 'requestTemplates', mapWith(fc.constant({}), fc.tuple(contentType, tooBigTemplate)))),
    set('requestTemplates of the wrong shape', 'requestTemplates', fc.oneof(notObject, mapWith(fc.constant({}), fc.tuple(contentType, fc.oneof(hostileNumber, fc.boolean(), hostileObject, deep))))),
    srv(set('connection VPC_LINK without id, INTERNET with id, or a bad id', 'connection',
      fc.oneof(fc.constant({ type: 'VPC_LINK' }), fc.constant({ type: 'INTERNET', id: 'abc123' }), fc.record({ type: fc.constant('VPC_LINK'), id: fc.constantFrom('ABC!', 'a b', '${stageVariables.}', '') })))),
    set('connection of a bad type or shape', 'connection', fc.oneof(fc.record({ type: fc.constantFrom('vpc_link', 'PRIVATE', '') }), notObject)),
    set('tlsInsecureSkipVerification is not a boolean', 'tlsInsecureSkipVerification', notBoolean),
  ];
}
// Every field that changes an integration: `type` alone replaces it (PutIntegration), so it is one too.
const INTEGRATION_FIELDS = ['timeoutInMillis', 'uri', 'integrationHttpMethod', 'credentials', 'passthroughBehavior', 'contentHandling', 'cacheNamespace', 'cacheKeyParameters', 'requestParameters', 'requestTemplates', 'connection', 'tlsInsecureSkipVerification', 'responseTransferMode', 'type'];

function responsePoisons(): fc.Arbitrary<Poison>[] {
  return [
    set('statusCode is not 1xx..5xx', 'statusCode', fc.oneof(fc.constantFrom('600', '099', '20', '2000', ' 200', '2xx', '', '٢٠٠'), fc.integer({ min: 100, max: 599 }), notString)),
    drop('statusCode is missing', 'statusCode'),
    set('selectionPattern is not a string', 'selectionPattern', notString),
    set('contentHandling outside its enum', 'contentHandling', fc.oneof(fc.constantFrom('CONVERT_TO_JSON', ''), notString)),
    srv(set('responseTemplates with a key that is no content type', 'responseTemplates', mapWith(fc.constant({}), fc.tuple(notContentType, fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)))))),
    srv(set('responseTemplates with a template over 300 KB', 'responseTemplates', mapWith(fc.constant({}), fc.tuple(contentType, tooBigTemplate)))),
    srv(set('responseParameters with a key that is no method.response.header.*', 'responseParameters', mapWith(fc.constant({}), fc.tuple(notResponseKey, fc.constantFrom("'x'", null))))),
    srv(set('responseParameters with a source that is none', 'responseParameters', mapWith(fc.constant({}), fc.tuple(fc.constant('method.response.header.X-Request-Id'), badResponseSource)))),
    set('responseParameters of the wrong shape', 'responseParameters', fc.oneof(notObject, mapWith(fc.constant({}), fc.tuple(fc.constant('method.response.header.X'), fc.oneof(hostileNumber, fc.boolean(), hostileObject))))),
    set('create is not a boolean', 'create', notBoolean),
  ];
}

const badPath = fc
  .oneof(
    fc.constantFrom('', '/', '~', '~2', '//', '/..', '/.', 'timeoutInMillis', '/timeoutInMillis/', '/timeoutInMillis/x', '/TimeoutInMillis', '/requestTemplates', '/requestTemplates/',
      '/requestTemplates//json', '/requestTemplates/a~2b', '/requestTemplates/application~', '/requestTemplates/application~1json/x', '/tlsConfig', '/tlsConfig/insecureSkipVerification/x',
      '/requestParameters', '/type', '/integrationResponses/200', '/__proto__', '/constructor/prototype', '/requestTemplates/../uri', '/%2Furi', '/uri~1', '/ uri', '/uri\u0000'),
    fc.tuple(fc.constantFrom('/requestTemplates/', '/requestParameters/', '/cacheKeyParameters/', '/', ''), hostileString).map(([a, b]) => a + b),
  )
  .filter((p) => p.length <= 2048 && matchRule('integration', p) === undefined);
/** Ops the rules table refuses. */
const badOpServer: fc.Arbitrary<{ why: string; op: unknown }> = fc.oneof(
  fc.tuple(fc.oneof(fc.constantFrom('move', 'copy', 'test', '', 'ADD', 'Replace', 'delete', '__proto__', 'constructor', 'remove '), fc.string({ maxLength: 16 })).filter((o) => !['add', 'remove', 'replace'].includes(o)), fc.constantFrom('/timeoutInMillis', '/cacheNamespace', '/requestTemplates/application~1json'))
    .map(([op, path]) => ({ why: 'an unsupported op', op: { op, path, value: '1000', from: '/uri' } })),
  fc.tuple(fc.constantFrom('add', 'remove', 'replace'), badPath).map(([op, path]) => ({ why: 'a path no rule matches', op: { op, path, value: 'x' } })),
  fc.constantFrom(
    { op: 'add', path: '/timeoutInMillis', value: '1000' },
    { op: 'remove', path: '/timeoutInMillis' },
    { op: 'remove', path: '/uri' },
    { op: 'add', path: '/passthroughBehavior', value: 'NEVER' },
    { op: 'replace', path: '/cacheKeyParameters/method.request.path.id' },
    { op: 'add', path: '/tlsConfig/insecureSkipVerification', value: 'false' },
  ).map((op) => ({ why: 'an op the path does not allow', op })),
  fc.tuple(fc.constantFrom('requestTemplates', 'requestParameters', 'cacheKeyParameters'), fc.oneof(notContentType, notRequestKey)).filter(([field, key]) =>
    refused('integration', { op: 'add', path: toPointer(field, key), value: "'x'" }),
  ).map(([field, key]) => ({ why: 'a map key of the wrong shape', op: { op: 'add', path: toPointer(field, key), value: "'x'" } })),
  fc.oneof(
    fc.tuple(fc.constant('/timeoutInMillis'), fc.constantFrom('soon', '', '-1', '49', '12.5', '1e4', '9000001', ' 100', '0x100', '२०००')),
    fc.tuple(fc.constantFrom('/passthroughBehavior', '/contentHandling', '/responseTransferMode', '/connectionType'), fc.constantFrom('', 'ALWAYS', 'never', 'X')),
    fc.tuple(fc.constant('/tlsConfig/insecureSkipVerification'), fc.constantFrom('TRUE', '1', 'yes', '')),
    fc.tuple(fc.constant('/uri'), badUri),
    fc.tuple(fc.constant('/credentials'), fc.constantFrom('', 'admin', 'arn:aws:iam::1:role/x')),
    fc.tuple(fc.constant('/httpMethod'), badVerb.filter((v) => typeof v === 'string') as fc.Arbitrary<string>),
    fc.tuple(fc.constant('/connectionId'), fc.constantFrom('', 'ABC!', 'a b')),
    fc.tuple(fc.constant('/integrationTarget'), fc.constantFrom('', 'arn:aws:ec2:x')),
    fc.tuple(fc.constant('/cacheNamespace'), fc.constantFrom('', 'c'.repeat(129))),
    fc.tuple(fc.constant('/requestParameters/integration.request.header.X'), badRequestSource),
    fc.tuple(fc.constant('/requestTemplates/application~1json'), tooBigTemplate),
  ).map(([path, value]) => ({ why: 'a value the path does not take', op: { op: 'replace', path, value } })),
  fc.constantFrom('/timeoutInMillis', '/uri', '/passthroughBehavior', '/requestParameters/integration.request.header.X').map((path) => ({ why: 'a replace without value', op: { op: path.startsWith('/requestParameters') ? 'add' : 'replace', path } })),
);
/** Ops the schema refuses. */
const badOpSchema: fc.Arbitrary<{ why: string; op: unknown }> = fc.oneof(
  fc.record({ op: fc.constant('replace'), path: fc.constant('/timeoutInMillis'), value: notString }).map((op) => ({ why: 'a value that is not a string', op })),
  fc.record({ op: fc.constant('replace'), path: fc.constant('/cacheNamespace'), value: fc.constant('x'), from: notString }).map((op) => ({ why: 'a from that is not a string', op })),
  fc.record({ op: fc.constant('replace'), path: fc.constant('/timeoutInMillis'), value: fc.constant('1'.repeat(MAX_TEMPLATE_BYTES + 2)) }).map((op) => ({ why: 'a value longer than any template', op })),
  fc.record({ op: fc.constant('replace'), path: fc.integer({ min: 2049, max: 4000 }).map((n) => '/' + 'p'.repeat(n)) }).map((op) => ({ why: 'a path over 2048', op })),
  fc.oneof(notObject, fc.record({ path: fc.constant('/timeoutInMillis'), value: fc.constant('100') }), fc.record({ op: fc.constant('replace') }), fc.record({ op: notString, path: fc.constant('/timeoutInMillis') }), fc.record({ op: fc.constant('replace'), path: notString })).map((op) => ({ why: 'an op of the wrong shape', op })),
);

const withBadOp = (bad: fc.Arbitrary<{ why: string; op: unknown }>) =>
  fc.tuple(fc.array(validOp, { maxLength: 6 }), bad, fc.nat()).map(([ops, b, at]) => {
    const list: unknown[] = [...ops];
    list.splice(at % (ops.length + 1), 0, b.op);
    return { why: `patchOperations with ${b.why}: ${show(b.op)}`, apply: (a: Args) => ({ ...a, patchOperations: list }) };
  });

function patchPoisons(): fc.Arbitrary<Poison>[] {
  return [
    srv(withBadOp(badOpServer)),
    withBadOp(badOpSchema),
    set('patchOperations empty, too many, or not a list', 'patchOperations', fc.oneof(fc.constant([]), fc.array(validOp, { minLength: 101, maxLength: 120 }), notArray)),
    drop('patchOperations is missing', 'patchOperations'),
  ];
}

function specificPoisons(tool: string, ids: Ids): fc.Arbitrary<Poison>[] | undefined {
  switch (tool) {
    case 'list_integrations':
    case 'list_stages':
      return targetPoisons(ids, 'api');
    case 'diff_stage':
      return [...targetPoisons(ids, 'api'), set('stageName is not letters, digits, - and _', 'stageName', fc.oneof(fc.constantFrom('', 'a b', 'prod/1', 'x'.repeat(129)), notString)), drop('stageName is missing', 'stageName')];
    case 'get_integration':
      return targetPoisons(ids, 'method');
    case 'set_timeout':
      return [
        ...targetPoisons(ids, 'method'),
        ...writeFieldPoisons,
        srv(set('timeoutInMillis out of range', 'timeoutInMillis', fc.oneof(timeoutOutOfRange, fc.integer({ min: 29001, max: 900_000 })))),
        set('timeoutInMillis fractional or not a number', 'timeoutInMillis', timeoutNotInteger),
        drop('timeoutInMillis is missing', 'timeoutInMillis'),
      ];
    case 'set_tls_verification':
      return [...targetPoisons(ids, 'method'), ...writeFieldPoisons, set('insecureSkipVerification is not a boolean', 'insecureSkipVerification', notBoolean), drop('insecureSkipVerification is missing', 'insecureSkipVerification')];
    case 'update_integration':
      return [...targetPoisons(ids, 'method'), ...writeFieldPoisons, ...integrationPoisons(), srv(drop('nothing to change', ...INTEGRATION_FIELDS))];
    case 'update_integration_response':
      return [...targetPoisons(ids, 'method'), ...writeFieldPoisons, ...responsePoisons(), srv(fc.constant({ why: 'nothing to change (create absent)', apply: (a: Args) => Object.fromEntries(Object.entries(a).filter(([k]) => !['selectionPattern', 'contentHandling', 'responseTemplates', 'responseParameters', 'create'].includes(k))) }))];
    case 'patch_integration':
      return [...targetPoisons(ids, 'method'), ...writeFieldPoisons, ...patchPoisons()];
    case 'list_changes':
      return [
        set('restApiId longer than 1024 or not a string', 'restApiId', fc.oneof(fc.integer({ min: 1025, max: 3000 }).map((n) => 'r'.repeat(n)), notString)),
        set('apiName longer than 1024 or not a string', 'apiName', fc.oneof(fc.integer({ min: 1025, max: 3000 }).map((n) => 'n'.repeat(n)), notString)),
        set('since is not an ISO 8601 date or time', 'since', fc.oneof(fc.constantFrom('', 'yesterday', '2026-13-01', '2026-12-01 10:00', '1700000000'), notString)),
        set('until is not an ISO 8601 date or time', 'until', fc.oneof(fc.constantFrom('today', '01/12/2026', '2026-12-01T25:00:00Z'), notString)),
        set('limit outside 1..200 or not an integer', 'limit', fc.oneof(fc.integer({ min: -1e6, max: 0 }), fc.integer({ min: 201, max: 1e9 }), fc.constantFrom(1.5, 1e308), notNumber)),
      ];
    case 'undo_change':
      return [
        ...writeFieldPoisons,
        set('changeId is not chg_…', 'changeId', fc.oneof(fc.constantFrom('', 'chg_', 'CHG_abc', 'chg_ABC', 'chg_a b', 'chg_../x', '__proto__', 'chg_😀'), fc.string({ maxLength: 30 }).filter((s) => !/^chg_[a-z0-9_]+$/.test(s)), notString)),
        drop('changeId is missing', 'changeId'),
        srv(set('changeId of no change in the audit log', 'changeId', fc.string({ unit: fc.constantFrom(...'abc019_'), minLength: 1, maxLength: 20 }).map((s) => `chg_${s}`))),
      ];
    case 'deploy_api':
      return [
        ...targetPoisons(ids, 'api'),
        ...writeFieldPoisons,
        set('stageName is not letters, digits, - and _ (1..128)', 'stageName', fc.oneof(fc.constantFrom('', 'a b', 'prod/1', 'x'.repeat(129), 'prød', '$default', '..'), fc.string({ maxLength: 20 }).filter((s) => !/^[A-Za-z0-9_-]{1,128}$/.test(s)), notString)),
        drop('stageName is missing', 'stageName'),
        set('createStage is not a boolean', 'createStage', notBoolean),
        set('description longer than 1024 or not a string', 'description', fc.oneof(fc.integer({ min: 1025, max: 5000 }).map((n) => 'd'.repeat(n)), notString)),
      ];
    default:
      return undefined;
  }
}

/** For any tool: a property of the wrong JSON type, a string outside its enum, an integer out of range, a required one missing. */
function genericPoisons(tool: Tool): fc.Arbitrary<Poison>[] {
  const props = Object.entries<any>((tool.inputSchema as any).properties ?? {});
  const out: fc.Arbitrary<Poison>[] = [];
  for (const [name, schema] of props) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.length === 0) continue;
    const wrong: fc.Arbitrary<unknown>[] = [];
    if (!types.includes('string')) wrong.push(hostileString);
    if (!types.includes('number') && !types.includes('integer')) wrong.push(hostileNumber);
    if (!types.includes('boolean')) wrong.push(fc.boolean());
    if (!types.includes('null')) wrong.push(fc.constant(null));
    if (!types.includes('array')) wrong.push(fc.array(scalar, { maxLength: 2 }));
    if (!types.includes('object')) wrong.push(hostileObject);
    out.push(set(`${name} of the wrong JSON type (${types.join('|')})`, name, fc.oneof(...wrong)));
    if (schema.enum) out.push(set(`${name} outside its enum`, name, hostileString.filter((s) => !schema.enum.includes(s))));
    if (types.includes('integer')) out.push(set(`${name} not an integer`, name, fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n))));
  }
  for (const name of (tool.inputSchema as any).required ?? []) out.push(drop(`required ${name} is missing`, name));
  // Inputs are strict: an unknown (e.g. mistyped) field is refused, not ignored. Not `__proto__`: the MCP SDK's
  // request schema drops that key before any tool sees it (see the dedicated test).
  const known = new Set(props.map(([name]) => name));
  const unknownKey = fc
    .oneof(fc.constantFrom('profile', 'region', 'timeoutInMilis', 'restApiID', 'httpmethod', 'dryrun', 'patchOperation', ...HOSTILE_KEYS), fc.string({ maxLength: 16 }))
    .filter((k) => k !== '__proto__' && !known.has(k));
  out.push(fc.tuple(unknownKey, fc.oneof(hostileValue, fc.constantFrom(5000, 'GET', true, {}))).map(([k, v]) => ({ why: `unknown field ${show(k)}`, apply: (a: Args) => objectOf([...Object.entries(a), [k, v]]) })));
  return out;
}

interface Case {
  tool: string;
  why: string;
  args: Args;
}

/** Calls for one tool: filler (plausible or hostile values, unknown extra keys) with one poison applied last. */
function casesFor(tool: Tool, ids: Ids): fc.Arbitrary<Case> | undefined {
  if ((specificPoisons(tool.name, ids) ?? []).length + genericPoisons(tool).length === 0) return undefined;
  const props = Object.entries<any>((tool.inputSchema as any).properties ?? {});
  const good = plausible(ids);
  const required: string[] = (tool.inputSchema as any).required ?? [];
  // Clean filler always has the required fields; noisy filler may lack them too.
  const field = (name: string, schema: any, noise: number) => {
    const value = fc.oneof({ weight: 10 - noise, arbitrary: good[name] ?? byType(schema) }, { weight: noise, arbitrary: hostileValue });
    return noise === 0 && required.includes(name) ? value : fc.option(value, { nil: undefined, freq: 3 });
  };
  const filler = (noise: number) =>
    fc
      .tuple(
        fc.tuple(...props.map(([name, schema]) => field(name, schema, noise))),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), hostileValue), { maxLength: noise ? 3 : 0 }),
      )
      .map(([values, extras]) => objectOf([...extras, ...props.map(([name], i): [string, unknown] => [name, values[i]]).filter(([, v]) => v !== undefined)]));
  const specific = specificPoisons(tool.name, ids) ?? [];
  const generic = genericPoisons(tool);
  // The server's own checks get most of the draws; the schema is zod's, and well tried elsewhere.
  const weighted = (xs: fc.Arbitrary<Poison>[]) => fc.oneof(...xs.map((arbitrary) => ({ weight: SERVER.has(arbitrary) ? 4 : 1, arbitrary })));
  const poison = specific.length
    ? fc.oneof({ weight: 3, arbitrary: weighted(specific) }, { weight: 1, arbitrary: weighted(generic) })
    : weighted(generic);
  // Mostly clean filler, so that the poison is often the only thing wrong; sometimes noisy filler on top.
  return fc
    .tuple(fc.oneof({ weight: 4, arbitrary: filler(0) }, { weight: 1, arbitrary: filler(2) }), poison)
    .map(([base, p]) => {
      // Over the wire arguments are JSON: no undefined, no NaN, own `__proto__` keys kept.
      const args = JSON.parse(JSON.stringify(p.apply(base))) as Args;
      return { tool: tool.name, why: p.why, args, [fc.toStringMethod]: () => `${tool.name}(${show(args)}) — ${p.why}` } as Case;
    });
}

function allCases(tools: Tool[], ids: Ids): fc.Arbitrary<Case> {
  const per = tools.map((t) => casesFor(t, ids)).filter((a): a is fc.Arbitrary<Case> => a !== undefined);
  return fc.oneof(...per);
}

/**
 * One fuzz case: must resolve (no protocol error), be refused (isError), and send nothing to AWS. Returns who
 * refused it: the input schema, or the server's own checks (target, rules table, audit log).
 */
/**
 * Every tool got its share of the cases (at least a quarter of an even split), and many got past the schema to the
 * server's own checks: checked at every size, the one `npm test` runs included.
 */
function expectCoverage(tools: Tool[], counts: Map<string, number>, by: { schema: number; server: number }, runs: number): void {
  for (const t of tools) expect(counts.get(t.name) ?? 0, `${t.name}: ${JSON.stringify(Object.fromEntries(counts))}`).toBeGreaterThanOrEqual(Math.max(1, Math.floor(runs / tools.length / 4)));
  expect(by.server / runs, JSON.stringify(by)).toBeGreaterThan(0.15);
}

async function refusedLocally(client: Client, emu: Emulator, c: Case): Promise<'schema' | 'server'> {
  let r: any;
  try {
    r = await client.callTool({ name: c.tool, arguments: c.args });
  } catch (err) {
    throw new Error(`protocol error (${c.why}): ${(err as Error).message}`);
  }
  const text = (r.content ?? []).map((x: any) => x.text).join('\n');
  if (r.isError !== true) {
    // Reset first: what this case sent must not be blamed on the next one.
    emu.resetCalls();
    throw new Error(`not refused (${c.why}): ${c.tool} ${JSON.stringify(c.args).slice(0, 400)}: ${text.slice(0, 500)}`);
  }
  const calls = emu.calls();
  if (Object.keys(calls).length) {
    emu.resetCalls();
    throw new Error(`reached the emulator (${c.why}): ${JSON.stringify(calls)}; answer: ${text.slice(0, 300)}`);
  }
  return text.startsWith('Input validation error') ? 'schema' : 'server';
}

// ---------------------------------------------------------------------------------------------------------------

describe('fuzz: invalid and hostile tool calls are refused locally', () => {
  let emu: Emulator;
  let aws: APIGatewayClient;
  let ids: Ids;
  let stack: Awaited<ReturnType<typeof inProcess>>;
  let tools: Tool[];

  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    aws = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
    ids = await seededIds(aws);
    stack = await inProcess(emu);
    tools = (await stack.client.listTools()).tools;
    emu.resetCalls();
  });
  afterAll(async () => {
    await stack?.close();
    aws?.destroy();
    await emu?.close();
  });

  it('generates poisons for every tool the server lists', () => {
    expect(tools.filter((t) => !casesFor(t, ids)).map((t) => t.name)).toEqual([]);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_apis', 'list_integrations', 'get_integration', 'update_integration', 'set_timeout', 'set_tls_verification', 'update_integration_response', 'patch_integration']));
  });

  it(
    `${RUNS} calls in process: every one an isError result, no protocol error, no request to the emulator`,
    async () => {
      const counts = new Map<string, number>();
      const by = { schema: 0, server: 0 };
      await fc.assert(
        fc.asyncProperty(allCases(tools, ids), async (c) => {
          counts.set(c.tool, (counts.get(c.tool) ?? 0) + 1);
          by[await refusedLocally(stack.client, emu, c)]++;
        }),
        params(RUNS),
      );
      expect(emu.calls()).toEqual({});
      // Still serving: a ping and the catalog answer.
      await stack.client.ping();
      expect((await stack.client.listTools()).tools.length).toBe(tools.length);
      expectCoverage(tools, counts, by, RUNS);
      // Reached only when every case held: no crash, no protocol error, nothing sent to the emulator.
      process.stderr.write(`fuzz figures: ${JSON.stringify({ cases: RUNS, refusedBy: by, crashes: 0, protocolErrors: 0, requestsToEmulator: 0 })}\n`);
    },
    LONG,
  );

  it('refuses a "__proto__" map key instead of dropping it and applying the rest', async () => {
    // zod's z.record skips an own "__proto__" key; the tool schemas refuse the call instead (tools/tool.ts lean).
    const args = JSON.parse(`{"restApiId":"${ids.shop}","resourceId":"${ids.order}","httpMethod":"GET","requestTemplates":{"__proto__":{"polluted":true},"text/plain":"x"}}`);
    emu.resetCalls();
    const r: any = await stack.client.callTool({ name: 'update_integration', arguments: args });
    const calls = emu.calls();
    emu.resetCalls();
    expect({ isError: r.isError ?? false, reachedAws: calls }, `answer: ${JSON.stringify(r.content).slice(0, 300)}`).toEqual({ isError: true, reachedAws: {} });
  });
});

describe('fuzz over stdio (the real server process)', () => {
  let s: Stack;
  let ids: Ids;

  beforeAll(async () => {
    s = await startStack();
    ids = await seededIds(s.aws);
    s.emulator.resetCalls();
  });
  afterAll(() => s?.close());

  it(
    `${STDIO_RUNS} calls over stdio: all refused, the process still answers`,
    async () => {
      const tools = (await s.client.listTools()).tools;
      const counts = new Map<string, number>();
      const by = { schema: 0, server: 0 };
      await fc.assert(
        fc.asyncProperty(allCases(tools, ids), async (c) => {
          counts.set(c.tool, (counts.get(c.tool) ?? 0) + 1);
          by[await refusedLocally(s.client, s.emulator, c)]++;
        }),
        params(STDIO_RUNS),
      );
      expectCoverage(tools, counts, by, STDIO_RUNS);
      expect(s.emulator.calls()).toEqual({});
      await s.client.ping();
      expect((await s.client.listTools()).tools.length).toBe(tools.length);
      expect(s.stderr()).not.toMatch(/Unhandled|TypeError|RangeError|stack overflow/);
    },
    LONG,
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Differential: valid update_integration sequences; tool result == emulator == local patch model.

describe('differential: valid update_integration sequences', () => {
  let emu: Emulator;
  let aws: APIGatewayClient;
  let ids: Ids;
  let stack: Awaited<ReturnType<typeof inProcess>>;

  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    aws = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: CREDS });
    ids = await seededIds(aws);
    stack = await inProcess(emu);
    // The server logs every applied change to stderr; hundreds of them would bury the test output.
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await stack?.close();
    aws?.destroy();
    await emu?.close();
  });

  const integration = async (resourceId: string): Promise<Doc> => {
    const { $metadata: _, ...rest } = await aws.send(new GetIntegrationCommand({ restApiId: ids.shop, resourceId, httpMethod: 'GET' }));
    return rest;
  };

  /** Sources each method declares (GET /orders/{id}: path.id; GET /orders: querystring.status), and undeclared kinds. */
  const source = (declared: string) => fc.oneof(fc.constant(declared), fc.constantFrom('context.requestId', 'stageVariables.backend', 'method.request.body', 'method.request.body.a.b'), fc.string({ unit: fc.constantFrom(...'abc ~/+.{}"'), maxLength: 10 }).map((s) => `'${s}'`));
  const templateBody = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('', '{"a": "$input.params(\'x\')"}', '~0~1/~', '#set($x = 1)'));
  const intent = (declared: string) =>
    fc
      .record(
        {
          timeoutInMillis: fc.integer({ min: 50, max: 29000 }),
          requestTemplates: fc.dictionary(contentType, fc.option(templateBody, { nil: null, freq: 4 }), { minKeys: 1, maxKeys: 3 }),
          requestParameters: fc.dictionary(requestParamKey, fc.option(source(declared), { nil: null, freq: 4 }), { minKeys: 1, maxKeys: 3 }),
          passthroughBehavior: fc.constantFrom('WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'),
          cacheNamespace: fc.string({ unit: fc.constantFrom(...'abcXYZ019~/+.-_ é'), minLength: 1, maxLength: 40 }),
          tlsInsecureSkipVerification: fc.constant(false),
        },
        { requiredKeys: [] },
      )
      .filter((i) => Object.keys(i).length > 0);
  const step = fc.oneof(
    intent('method.request.path.id').map((i) => ({ resource: 'order' as const, intent: i })),
    intent('method.request.querystring.status').map((i) => ({ resource: 'orders' as const, intent: i })),
  );

  it(
    `${DIFF_RUNS} random sequences: after == GetIntegration == previous + patchOperations, and undo restores the start`,
    async () => {
      // What the sequences exercised, checked below at whatever size ran.
      const seen = new Map<string, number>();
      const bump = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
          const model: Record<'order' | 'orders', Doc> = { order: await integration(ids.order), orders: await integration(ids.orders) };
          const start = { ...model };
          const applied: string[] = [];
          for (const { resource, intent: i } of steps) {
            const resourceId = ids[resource];
            const args = JSON.parse(JSON.stringify({ restApiId: ids.shop, resourceId, httpMethod: 'GET', ...i }));
            const r: any = await stack.client.callTool({ name: 'update_integration', arguments: args });
            const text = r.content?.map((c: any) => c.text).join('\n');
            expect(r.isError, text).toBeFalsy();
            const out = r.structuredContent;
            expect(['applied', 'no_change'], text).toContain(out.status);
            expect(out.before).toEqual(model[resource]);
            expect(out.after).toEqual(await integration(resourceId));
            expect(applyPatch('integration', model[resource], out.patchOperations, { maxTimeoutMs: 29000 })).toEqual(out.after);
            model[resource] = out.after;
            if (out.status === 'applied') applied.push(out.changeId);
            bump(`status:${out.status}`);
            bump(`resource:${resource}`);
            for (const op of out.patchOperations as { op: string; path: string }[]) bump(`${op.op} /${op.path.split('/')[1]}`);
          }
          // Undoing every change, newest first, restores both integrations exactly (inverse ops).
          for (const changeId of applied.reverse()) {
            const u: any = await stack.client.callTool({ name: 'undo_change', arguments: { changeId } });
            expect(u.structuredContent?.status, u.content?.[0]?.text).toBe('applied');
          }
          expect(await integration(ids.order)).toEqual(start.order);
          expect(await integration(ids.orders)).toEqual(start.orders);
        }),
        params(DIFF_RUNS),
      );
      // Both integrations, and every kind of op the intents produce, were applied somewhere in the run.
      const kinds = ['status:applied', 'resource:order', 'resource:orders', 'replace /timeoutInMillis', 'replace /passthroughBehavior', 'replace /cacheNamespace', 'add /requestTemplates', 'add /requestParameters'];
      expect(kinds.filter((k) => !seen.has(k)), JSON.stringify(Object.fromEntries(seen))).toEqual([]);
    },
    LONG,
  );
});
