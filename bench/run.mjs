// `npm run bench`: figures, not assertions. Each figure is printed next to a baseline measured in the same run,
// on this machine, against a standalone emulator (its own process) on loopback. Bounded loops; stops by itself.
// Writes bench/results.json and prints a Markdown table (BENCHMARKS.md records one run).
//
//   node bench/run.mjs [--quick] [--only batch]
//     --quick: fewer iterations (a smoke run, about 20 s, plus a batch of 50)
//     --only batch: just the batch figures (about a minute), merged into bench/results.json
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetRestApisCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'apigw-integration-mcp.js');
const QUICK = process.argv.includes('--quick');
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (ONLY !== undefined && ONLY !== 'batch') throw new Error(`--only takes batch, got ${ONLY}`);
const N = {
  /** Integrations in the generated API of the batch figures. */
  batch: QUICK ? 50 : 100,
  cold: QUICK ? 5 : 11,
  perCall: QUICK ? 300 : 2000,
  warmup: QUICK ? 50 : 200,
  httpSeconds: QUICK ? 1.5 : 4,
  emulatorSeconds: QUICK ? 1.5 : 3,
  memory: QUICK ? 2000 : 10_000,
};
const CREDS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };

const say = (s) => process.stderr.write(`${s}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const median = (xs) => pct(xs, 50);
const r1 = (x) => Math.round(x * 10) / 10;
const r2 = (x) => Math.round(x * 100) / 100;
const r3 = (x) => Math.round(x * 1000) / 1000;

/** A temp HOME per process: state and audit log never touch the user's. */
const tempHome = () => mkdtempSync(join(tmpdir(), 'apigw-bench-'));
const cleanEnv = (extra = {}) => ({ PATH: process.env.PATH ?? '', HOME: tempHome(), ...extra });
const awsEnv = (extra = {}) => cleanEnv({ AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra });

/** Starts a child and resolves with what `pattern` captured on its stderr. */
function startAndCapture(args, env, pattern) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = pattern.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
  return { child, ready };
}

async function startEmulator() {
  const { child, ready } = startAndCapture([BIN, 'emulator', '--port', '0'], cleanEnv(), /listening on (http:\/\/\S+)/);
  const url = await ready;
  return {
    url,
    child,
    async calls() {
      return (await fetch(`${url}/__emulator/calls`)).json();
    },
    async reset() {
      await fetch(`${url}/__emulator/reset-calls`, { method: 'POST' });
    },
    /** Replaces the fault configuration (its rate-limit buckets start full). */
    async setFaults(config) {
      const r = await fetch(`${url}/__emulator/faults`, { method: 'PUT', body: JSON.stringify(config) });
      if (!r.ok) throw new Error(`PUT /__emulator/faults: ${r.status} ${await r.text()}`);
    },
    /** Faults injected per kind since the last reset, e.g. {rateLimit: 3}. */
    async faults() {
      return (await (await fetch(`${url}/__emulator/faults`)).json()).injected;
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** Spawns `args`, writes `lines` to stdin, and measures the time to the first stdout line that `done` accepts. */
function timeToLine(args, env, lines, done = () => true) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    for (const l of lines) child.stdin.write(`${JSON.stringify(l)}\n`);
    let buf = '';
    let settled = false;
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!settled && done(line)) {
          settled = true;
          resolve(now() - t0);
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => settled || reject(new Error(`${args.join(' ')} exited ${code} before answering`)));
  });
}

// The empty process: reads one line and answers it, nothing loaded.
const EMPTY = `process.stdin.once('data', () => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }) + '\\n'))`;

/** Bundles `source` (an ESM module next to our node_modules) and minifies it like ours; returns the file. */
async function bundle(name, source) {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), `apigw-bench-${name}-`));
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, source);
  await build({ entryPoints: [entry], outfile: join(dir, `${name}.js`), bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, nodePaths: [join(ROOT, 'node_modules')], logLevel: 'error',
    banner: { js: 'const require=globalThis.process.getBuiltinModule("module").createRequire(import.meta.url);' } });
  return join(dir, `${name}.js`);
}

/** The smallest server the MCP SDK makes (McpServer with no tools + serveStdio), bundled and minified like ours. */
const buildSdkFloor = () =>
  bundle('floor', "import { McpServer } from '@modelcontextprotocol/server';\nimport { serveStdio } from '@modelcontextprotocol/server/stdio';\nserveStdio(() => new McpServer({ name: 'floor', version: '1' }, { capabilities: { tools: {} } }));\n");

/**
 * The smallest MCP SDK v2 server with one `get_integration` tool (same input fields, an output schema, the JSON
 * as text and as structuredContent, like ours), bundled like ours. `sdk`: the tool makes the GetIntegration with a
 * default AWS SDK client (endpoint from FLOOR_ENDPOINT); otherwise it answers FLOOR_DOC, making no call at all.
 */
const buildToolFloor = (sdk) =>
  bundle(sdk ? 'floor-sdk' : 'floor-echo', `
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
${sdk ? "import { APIGatewayClient, GetIntegrationCommand } from '@aws-sdk/client-api-gateway';\nconst aws = new APIGatewayClient({ endpoint: process.env.FLOOR_ENDPOINT, region: '" + REGION + "' });" : 'const doc = JSON.parse(process.env.FLOOR_DOC);'}
serveStdio(() => {
  const server = new McpServer({ name: 'floor', version: '1' }, { capabilities: { tools: {} } });
  server.registerTool('get_integration', { description: 'floor', inputSchema: z.object({ restApiId: z.string(), resourceId: z.string(), httpMethod: z.string() }), outputSchema: z.object({ integration: z.record(z.string(), z.unknown()) }) },
    async (args) => {
      ${sdk ? 'const { $metadata, ...doc } = await aws.send(new GetIntegrationCommand(args));' : ''}
      const out = { integration: doc };
      return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
    });
  return server;
});
`);

async function coldStart(emu) {
  say(`cold start: ${N.cold} runs each, interleaved`);
  const floorJs = await buildSdkFloor();
  const floor = [];
  const empty = [];
  const init = [];
  const ready = [];
  const firstTool = [];
  const bareSdk = [];
  const toolLines = [
    INIT,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_apis', arguments: {} } },
  ];
  // The same GetRestApis from a cold process with nothing but the AWS SDK.
  const BARE = `import('@aws-sdk/client-api-gateway').then(async (s) => { const c = new s.APIGatewayClient({ endpoint: ${JSON.stringify(emu.url)}, region: '${REGION}' }); const r = await c.send(new s.GetRestApisCommand({})); process.stdout.write(JSON.stringify({ id: 2, n: r.items.length }) + '\\n'); })`;
  for (let i = 0; i < N.cold; i++) {
    empty.push(await timeToLine(['-e', EMPTY], cleanEnv(), [INIT]));
    init.push(await timeToLine([BIN], cleanEnv(), [INIT]));
    // Ready to serve: the answer to tools/list, sent right after initialize (the whole server loaded).
    ready.push(await timeToLine([BIN], cleanEnv(), [INIT, { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' }], (l) => l.includes('"id":2')));
    floor.push(await timeToLine([floorJs], cleanEnv(), [INIT]));
    firstTool.push(await timeToLine([BIN, '--backend', 'aws', '--endpoint-url', emu.url, '--region', REGION], awsEnv(), toolLines, (l) => l.includes('"id":2')));
    bareSdk.push(await timeToLine(['--input-type=module', '-e', BARE], { ...awsEnv(), NODE_PATH: join(ROOT, 'node_modules') }, [], (l) => l.includes('"id":2')));
  }
  return {
    runs: N.cold,
    emptyNodeMs: r1(median(empty)),
    initializeMs: r1(median(init)),
    initializeRatio: r2(median(init) / median(empty)),
    toolsListMs: r1(median(ready)),
    toolsListRatio: r2(median(ready) / median(empty)),
    sdkFloorMs: r1(median(floor)),
    sdkFloorRatio: r2(median(floor) / median(empty)),
    bareSdkFirstCallMs: r1(median(bareSdk)),
    firstToolResultMs: r1(median(firstTool)),
    firstToolRatio: r2(median(firstTool) / median(bareSdk)),
  };
}

/** For the sections that measure the server itself: every AWS call is paced at 10/s otherwise. */
const UNPACED = ['--aws-rate-limit', 'off'];

async function stdioClient(emu, extraArgs = [], command = [BIN, '--backend', 'aws', '--endpoint-url', emu.url, '--region', REGION], env = awsEnv()) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [...command, ...extraArgs], env, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return { client, transport };
}

async function ids(aws, apiName, path) {
  const restApiId = (await aws.send(new GetRestApisCommand({}))).items.find((a) => a.name === apiName).id;
  const resourceId = (await aws.send(new GetResourcesCommand({ restApiId }))).items.find((r) => r.path === path).id;
  return { restApiId, resourceId, httpMethod: 'GET' };
}

async function perCall(emu, aws, target) {
  say(`per-call overhead: ${N.perCall} get_integration through MCP (stdio) vs the same GetIntegration by a bare AWS SDK client, and two floors`);
  const { $metadata: _, ...doc } = await aws.send(new GetIntegrationCommand(target));
  const [echoJs, sdkJs] = await Promise.all([buildToolFloor(false), buildToolFloor(true)]);
  const viaMcp = async (client) => {
    const r = await client.callTool({ name: 'get_integration', arguments: target });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  const clients = {
    // Unpaced: this measures the server's own cost per call, not API Gateway's rate limit (the batch section does).
    ours: (await stdioClient(emu, UNPACED)).client,
    echo: (await stdioClient(emu, [], [echoJs], cleanEnv({ FLOOR_DOC: JSON.stringify(doc) }))).client,
    floor: (await stdioClient(emu, [], [sdkJs], awsEnv({ FLOOR_ENDPOINT: emu.url }))).client,
  };
  const cases = {
    sdk: () => aws.send(new GetIntegrationCommand(target)),
    ...Object.fromEntries(Object.entries(clients).map(([k, c]) => [k, () => viaMcp(c)])),
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const run of Object.values(cases)) for (let i = 0; i < N.warmup; i++) await run();
  // Alternating blocks of 100, so drift (other load on the machine) hits every case alike.
  for (let done = 0; done < N.perCall; done += 100) {
    for (const [k, run] of Object.entries(cases)) {
      for (let i = 0; i < 100; i++) {
        const t = now();
        await run();
        times[k].push(now() - t);
      }
    }
  }
  await Promise.all(Object.values(clients).map((c) => c.close()));
  const { sdk, ours, echo, floor } = times;
  return {
    iterations: ours.length,
    mcpMedianMs: r3(median(ours)),
    mcpP99Ms: r3(pct(ours, 99)),
    bareSdkMedianMs: r3(median(sdk)),
    bareSdkP99Ms: r3(pct(sdk, 99)),
    ratioMedian: r2(median(ours) / median(sdk)),
    ratioP99: r2(pct(ours, 99) / pct(sdk, 99)),
    mcpRoundTripMedianMs: r3(median(echo)),
    floorMedianMs: r3(median(floor)),
    floorRatio: r2(median(floor) / median(sdk)),
    oursOverFloor: r2(median(ours) / median(floor)),
  };
}

async function callsPerIntent(emu, aws) {
  say('AWS calls per intent (emulator call counts)');
  // Setup outside the counts: TLS verification off on GET /orders, so turning it on is a real (safe) change.
  const orders = await ids(aws, 'shop', '/orders');
  await aws.send(new UpdateIntegrationCommand({ ...orders, patchOperations: [{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' }] }));
  // A bare method (no integration yet), for creating one.
  const { id: rootId } = (await aws.send(new GetResourcesCommand({ restApiId: orders.restApiId }))).items.find((r) => r.path === '/');
  const { id: bare } = await aws.send(new CreateResourceCommand({ restApiId: orders.restApiId, parentId: rootId, pathPart: `bare${Date.now()}` }));
  await aws.send(new PutMethodCommand({ restApiId: orders.restApiId, resourceId: bare, httpMethod: 'GET', authorizationType: 'NONE' }));
  // Counted as applied: nobody is asked here (--confirm never), every toolset listed.
  const { client } = await stdioClient(emu, ['--confirm', 'never', '--toolsets', 'all', ...UNPACED]);
  const byName = { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET' };
  const order = { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' };
  const cases = [
    ['set_timeout (first write: resolves apiName and resourcePath)', 'set_timeout', { ...byName, timeoutInMillis: 12000 }],
    ['set_timeout (same target again: resolution cached)', 'set_timeout', { ...byName, timeoutInMillis: 13000 }],
    ['update_integration (timeout + template + passthrough)', 'update_integration', { ...byName, timeoutInMillis: 14000, passthroughBehavior: 'WHEN_NO_TEMPLATES', requestTemplates: { 'application/xml': '#set($x = 1)' } }],
    ['set_tls_verification (verify on: insecureSkipVerification false)', 'set_tls_verification', { ...byName, insecureSkipVerification: false }],
    ['update_integration_response (200: selectionPattern)', 'update_integration_response', { ...byName, statusCode: '200', selectionPattern: '2\\d{2}' }],
    ['patch_integration (raw op)', 'patch_integration', { ...byName, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '15000' }] }],
    ['set_timeout, same value again (no_change)', 'set_timeout', { ...byName, timeoutInMillis: 15000 }],
    ['plan: map a new query parameter (declares it on the method, then maps it)', 'update_integration', { ...byName, requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page' } }],
    ['plan: 404 with a body template on a method without a 404 method response', 'update_integration_response', { ...order, statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"message": "no such order"}' } }],
    ['plan: a CORS-style header the method response does not declare', 'update_integration_response', { ...byName, statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } }],
    ['plan: MOCK -> HTTP_PROXY on /health (PutIntegration)', 'update_integration', { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'https://health.example.com/ping' }],
    ['plan: an integration on a bare method', 'update_integration', { restApiId: orders.restApiId, resourceId: bare, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'https://bare.example.com/' }],
    ['plan: CORS on /orders/{id} (GET HTTP + DELETE HTTP_PROXY)', 'enable_cors', { apiName: 'shop', resourcePath: '/orders/{id}', allowOrigin: 'https://app.example.com' }],
    ['plan: a header on every HTTP integration of shop (batch)', 'update_integrations', { apiName: 'shop', match: { types: ['HTTP'] }, requestParameters: { 'integration.request.header.X-Request-Id': 'context.requestId' } }],
    ['rejected: set_timeout 10 ms (below 50)', 'set_timeout', { ...byName, timeoutInMillis: 10 }],
    ['rejected: patch_integration of an unknown path', 'patch_integration', { ...byName, patchOperations: [{ op: 'replace', path: '/bogus', value: 'x' }] }],
  ];
  const rows = [];
  for (const [label, tool, args] of cases) {
    await emu.reset();
    const r = await client.callTool({ name: tool, arguments: args });
    const calls = await emu.calls();
    const status = r.isError ? 'isError' : (r.structuredContent?.status ?? 'ok');
    rows.push({ intent: label, tool, status, calls, total: Object.values(calls).reduce((a, b) => a + b, 0) });
  }
  await client.close();
  return rows;
}

async function httpThroughput(emu, target) {
  // HTTP always needs a bearer token: give one, as a long-running deployment would.
  const token = randomBytes(24).toString('hex');
  const { child, ready } = startAndCapture([BIN, '--http', '--port', '0', '--auth-token', token, '--backend', 'aws', '--endpoint-url', emu.url, '--region', REGION, ...UNPACED], awsEnv(), /Streamable HTTP at (http:\/\/\S+)/);
  const url = await ready;
  const levels = [];
  // 2025-era clients (initialize; what most hosts speak today) each get a session, every response framed as an SSE
  // stream; 2026-07-28 clients get plain JSON bodies.
  for (const [era, concurrency] of ['2025-11-25', '2026-07-28'].flatMap((e) => [1, 8, 32].map((c) => [e, c]))) {
    say(`HTTP transport (${era} client): ${concurrency} concurrent client(s) for ${N.httpSeconds} s`);
    const clients = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const c = new Client({ name: 'bench-http', version: '1' }, era === '2026-07-28' ? { versionNegotiation: { mode: { pin: era } } } : undefined);
        await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
        await c.callTool({ name: 'get_integration', arguments: target }); // warm
        return c;
      }),
    );
    const lat = [];
    let errors = 0;
    const t0 = now();
    const end = t0 + N.httpSeconds * 1000;
    await Promise.all(
      clients.map(async (c) => {
        while (now() < end) {
          const t = now();
          const r = await c.callTool({ name: 'get_integration', arguments: target }).catch(() => ({ isError: true }));
          if (r.isError) errors++;
          lat.push(now() - t);
        }
      }),
    );
    const seconds = (now() - t0) / 1000;
    await Promise.all(clients.map((c) => c.close()));
    levels.push({ era, concurrency, calls: lat.length, errors, callsPerSecond: Math.round(lat.length / seconds), p50Ms: r2(median(lat)), p99Ms: r2(pct(lat, 99)) });
  }
  child.kill('SIGTERM');
  return levels;
}

async function emulatorRate(emu, target) {
  say(`emulator: bare SDK GetIntegration, concurrency 8, ${N.emulatorSeconds} s`);
  const aws = new APIGatewayClient({ endpoint: emu.url, region: REGION, credentials: CREDS });
  for (let i = 0; i < 50; i++) await aws.send(new GetIntegrationCommand(target));
  const lat = [];
  const t0 = now();
  const end = t0 + N.emulatorSeconds * 1000;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (now() < end) {
        const t = now();
        await aws.send(new GetIntegrationCommand(target));
        lat.push(now() - t);
      }
    }),
  );
  const seconds = (now() - t0) / 1000;
  aws.destroy();
  return { concurrency: 8, requests: lat.length, requestsPerSecond: Math.round(lat.length / seconds), p50Ms: r2(median(lat)), p99Ms: r2(pct(lat, 99)) };
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: r1(kb('VmRSS') / 1024), peakMB: r1(kb('VmHWM') / 1024) };
}

async function memory(emu, target) {
  say(`memory: ${N.memory} get_integration calls over stdio (4 in flight), RSS sampled`);
  const { client, transport } = await stdioClient(emu, UNPACED);
  const pid = transport.pid;
  const samples = [{ calls: 0, ...memoryOf(pid) }];
  let started = 0;
  let finished = 0;
  const marks = new Set([1000, Math.round(N.memory / 2), N.memory]);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (started < N.memory) {
        started++;
        const r = await client.callTool({ name: 'get_integration', arguments: target });
        if (r.isError) throw new Error(JSON.stringify(r.content));
        if (marks.has(++finished)) samples.push({ calls: finished, ...memoryOf(pid) });
      }
    }),
  );
  await client.close();
  samples.sort((a, b) => a.calls - b.calls);
  return { calls: N.memory, samples };
}

// ---------------------------------------------------------------------------------------------------------------
// Batch over many integrations under API Gateway's rate limit (issue 12): a generated API with N HTTP integrations
// in its own standalone emulator with `rateLimit` on (10/s, burst 40; GetResources 5 per 2 s), the same change
// (a new timeout) made per route, each route against full buckets and a fresh process. Floor: N writes after one
// read cannot go faster than max(0, N - 40) / 10 s.

/** Creates API `bench-batch` with resources /items/i0../items/i{n-1}, each GET with an HTTP integration. */
async function generateApi(aws, n) {
  const { id: restApiId } = await aws.send(new CreateRestApiCommand({ name: 'bench-batch' }));
  const rootId = (await aws.send(new GetResourcesCommand({ restApiId }))).items.find((r) => r.path === '/').id;
  const { id: itemsId } = await aws.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: 'items' }));
  const resources = [];
  for (let i = 0; i < n; i++) {
    const { id: resourceId } = await aws.send(new CreateResourceCommand({ restApiId, parentId: itemsId, pathPart: `i${i}` }));
    await aws.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await aws.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'HTTP', integrationHttpMethod: 'GET', uri: `https://backend.example.com/items/${i}` }));
    resources.push({ resourceId, path: `/items/i${i}` });
  }
  return { restApiId, resources };
}

const isThrottleText = (text) => /TooManyRequests|throttl|rate limit/i.test(text ?? '');
const toolText = (r) => r?.content?.map((c) => c.text).join('\n') ?? '';

/** One route against full buckets: wall time, the 429s the emulator sent, throttling surfaced to the caller, AWS calls. */
async function measureRoute(emu, label, run) {
  await emu.setFaults({ rateLimit: {} });
  await emu.reset();
  say(`batch: ${label}`);
  const t0 = now();
  const out = await run();
  // The calls themselves: a route that starts a server times what it asks of it, not the server's start.
  const seconds = out.seconds ?? (now() - t0) / 1000;
  const calls = await emu.calls();
  const faults = await emu.faults();
  const { GetCallerIdentity: sts = 0, ...apigw } = calls;
  return {
    route: label,
    seconds: r2(seconds),
    toolCalls: out.toolCalls,
    failed: out.failed,
    throttledSurfaced: out.surfaced,
    throttledByApiGateway: faults.rateLimit ?? 0,
    awsCalls: Object.values(apigw).reduce((a, b) => a + b, 0),
    awsCallsByOperation: apigw,
    stsCalls: sts,
  };
}

/** The naive route an agent takes today: one set_timeout tool call per integration, through the MCP server (stdio). */
async function naiveRoute(emu, api, timeoutInMillis) {
  const { client } = await stdioClient(emu);
  try {
    let failed = 0;
    let surfaced = 0;
    const t0 = now();
    for (const { resourceId } of api.resources) {
      const r = await client.callTool({ name: 'set_timeout', arguments: { restApiId: api.restApiId, resourceId, httpMethod: 'GET', timeoutInMillis } });
      if (r.isError || r.structuredContent?.status !== 'applied') failed++;
      if (r.isError && isThrottleText(toolText(r))) surfaced++;
    }
    return { toolCalls: api.resources.length, failed, surfaced, seconds: (now() - t0) / 1000 };
  } finally {
    await client.close();
  }
}

/** A bare AWS SDK loop: GetMethod + UpdateIntegration per integration, the SDK's default retry, no pacing. */
async function bareSdkRoute(emu, api, timeoutInMillis) {
  const aws = new APIGatewayClient({ endpoint: emu.url, region: REGION, credentials: CREDS });
  let failed = 0;
  let surfaced = 0;
  try {
    for (const { resourceId } of api.resources) {
      const target = { restApiId: api.restApiId, resourceId, httpMethod: 'GET' };
      try {
        await aws.send(new GetMethodCommand(target));
        await aws.send(new UpdateIntegrationCommand({ ...target, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: String(timeoutInMillis) }] }));
      } catch (err) {
        failed++;
        if (isThrottleText(`${err?.name} ${err?.message}`)) surfaced++;
      }
    }
  } finally {
    aws.destroy();
  }
  return { toolCalls: 0, failed, surfaced };
}

// ===============================================================================================================
// THE ONE-CALL BATCH ROW (the lead adds it here). `call(name, args)` is a tool call through a fresh MCP server
// (stdio, default pacing) and returns the SDK client's result; `api` is {restApiId, resources: [{resourceId, path}]}
// and every GET integration of it is to get `timeoutInMillis`. Return the tool result, or null while the batch tool
// does not exist (the row is then left out). E.g.:
//   return call('update_integrations', { restApiId: api.restApiId, match: { paths: ['/items/*'] }, timeoutInMillis });
async function batchTool(call, api, timeoutInMillis) {
  // Every GET integration of the generated API, in one plan: one GetResources, then one UpdateIntegration each.
  return call('update_integrations', { restApiId: api.restApiId, match: { paths: ['/items/*'], methods: ['GET'] }, timeoutInMillis });
}
// ===============================================================================================================

async function batchRoute(emu, api, timeoutInMillis) {
  const { client } = await stdioClient(emu);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    let toolCalls = 0;
    const call = (name, args) => {
      toolCalls++;
      return client.callTool({ name, arguments: args });
    };
    const t0 = now();
    const r = await batchTool(call, api, timeoutInMillis);
    const seconds = (now() - t0) / 1000;
    if (r === null) return null;
    const text = toolText(r);
    return { toolCalls, failed: r.isError ? api.resources.length : 0, surfaced: r.isError && isThrottleText(text) ? 1 : 0, tools, seconds };
  } finally {
    await client.close();
  }
}

async function batchFigures() {
  const emu = await startEmulator();
  const aws = new APIGatewayClient({ endpoint: emu.url, region: REGION, credentials: CREDS });
  try {
    say(`batch: generating an API with ${N.batch} HTTP integrations`);
    const api = await generateApi(aws, N.batch);
    const floorSeconds = Math.max(0, N.batch - 40) / 10;
    const rows = [];
    // A different timeout per route, so every write is a real change.
    const batch = await measureRoute(emu, `one batch tool call (update_integrations)`, async () => (await batchRoute(emu, api, 20_000)) ?? { skipped: true });
    if (batch.toolCalls !== undefined) rows.push(batch);
    else say('batch: no batch tool yet (bench/run.mjs batchTool returns null); its row is left out');
    rows.push(await measureRoute(emu, `naive: one set_timeout call per integration (MCP server, stdio)`, () => naiveRoute(emu, api, 21_000)));
    rows.push(await measureRoute(emu, `bare AWS SDK loop: GetMethod + UpdateIntegration each, default retry, no pacing`, () => bareSdkRoute(emu, api, 22_000)));
    for (const r of rows) r.ratioToFloor = floorSeconds > 0 ? r2(r.seconds / floorSeconds) : null;
    return { integrations: N.batch, faults: { rateLimit: 'defaults: 10/s, burst 40; GetResources 5 per 2 s; CreateDeployment 1 per 5 s' }, floorSeconds, rows };
  } finally {
    aws.destroy();
    emu.stop();
  }
}

function batchMarkdown(b) {
  return [
    `Batch over ${b.integrations} HTTP integrations of a generated API, emulator \`rateLimit\` on (${b.faults.rateLimit}); floor max(0, N - 40) / 10 = ${b.floorSeconds} s for N = ${b.integrations} writes after one read:`,
    '',
    '| route | wall time | x floor | tool calls | AWS calls | 429s sent by API Gateway | throttling surfaced to the caller | failed |',
    '|---|---|---|---|---|---|---|---|',
    ...b.rows.map(
      (r) =>
        `| ${r.route} | ${r.seconds} s | ${r.ratioToFloor ?? '-'}x | ${r.toolCalls} | ${r.awsCalls} (${Object.entries(r.awsCallsByOperation).map(([k, v]) => `${k} ${v}`).join(', ')}) | ${r.throttledByApiGateway} | ${r.throttledSurfaced} | ${r.failed} |`,
    ),
  ].join('\n');
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // no nproc
  }
  return { nproc: Number(nproc), cpu, node: process.version, platform: `${process.platform} ${process.arch}`, date: new Date().toISOString(), quick: QUICK };
}

function markdown(res) {
  const m = res.machine;
  const c = res.coldStart;
  const p = res.perCall;
  const lines = [
    `Machine: ${m.nproc} cores (${m.cpu}), Node ${m.node}, ${m.platform}, ${m.date}${m.quick ? ' (--quick)' : ''}`,
    '',
    '| figure | this server | baseline (same run) | ratio |',
    '|---|---|---|---|',
    `| cold start: spawn -> \`initialize\` answered (median of ${c.runs}) | ${c.initializeMs} ms | empty \`node -e\` answering a line: ${c.emptyNodeMs} ms | ${c.initializeRatio}x |`,
    `| for scale: the smallest MCP SDK v2 stdio server (no tools), bundled the same way | | ${c.sdkFloorMs} ms | ${c.sdkFloorRatio}x the empty process |`,
    `| cold start: spawn -> \`tools/list\` answered (the server fully loaded) | ${c.toolsListMs} ms | empty \`node -e\`: ${c.emptyNodeMs} ms | ${c.toolsListRatio}x |`,
    `| cold start: spawn -> first tool result (\`list_apis\`, standalone emulator) | ${c.firstToolResultMs} ms | a cold \`node\` doing GetRestApis with the bare AWS SDK: ${c.bareSdkFirstCallMs} ms | ${c.firstToolRatio}x |`,
    `| per call: \`get_integration\` over stdio, median / p99 (${p.iterations} calls) | ${p.mcpMedianMs} / ${p.mcpP99Ms} ms | bare SDK GetIntegration: ${p.bareSdkMedianMs} / ${p.bareSdkP99Ms} ms | ${p.ratioMedian}x / ${p.ratioP99}x |`,
    `| for scale: an MCP round trip over stdio alone (the smallest SDK v2 server, a tool answering the same integration without any call), median | | ${p.mcpRoundTripMedianMs} ms | ${r2(p.mcpRoundTripMedianMs / p.bareSdkMedianMs)}x the bare SDK call |`,
    `| for scale: the floor, the smallest SDK v2 server whose tool makes the same GetIntegration with a default AWS SDK client, median | this server: ${p.oursOverFloor}x the floor | ${p.floorMedianMs} ms | ${p.floorRatio}x the bare SDK call |`,
    ...res.http.map((h) => `| HTTP transport, ${h.era} client, ${h.concurrency} concurrent: \`get_integration\` calls/s, p50 / p99 | ${h.callsPerSecond}/s, ${h.p50Ms} / ${h.p99Ms} ms${h.errors ? ` (${h.errors} errors)` : ''} | | |`),
    `| emulator alone: bare SDK GetIntegration, concurrency 8 | | ${res.emulator.requestsPerSecond} req/s, p50 ${res.emulator.p50Ms} / p99 ${res.emulator.p99Ms} ms | |`,
    `| memory over ${res.memory.calls} calls: RSS (peak) at ${res.memory.samples.map((s) => s.calls).join(' / ')} calls | ${res.memory.samples.map((s) => `${s.rssMB} (${s.peakMB})`).join(' / ')} MB | | |`,
    '',
    '| intent | status | AWS calls |',
    '|---|---|---|',
    ...res.callsPerIntent.map((r) => `| ${r.intent} | ${r.status} | ${r.total === 0 ? 'none' : Object.entries(r.calls).map(([k, v]) => `${k} ${v}`).join(', ')} |`),
    ...(res.batch ? ['', batchMarkdown(res.batch)] : []),
  ];
  return lines.join('\n');
}

const t0 = now();
if (ONLY === 'batch') {
  const file = join(ROOT, 'bench', 'results.json');
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  results.batch = { machine: machine(), ...(await batchFigures()) };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${batchMarkdown(results.batch)}\n\n(${r1((now() - t0) / 1000)} s; batch figures merged into bench/results.json)\n`);
  process.exit(0);
}
const emu = await startEmulator();
const aws = new APIGatewayClient({ endpoint: emu.url, region: REGION, credentials: CREDS });
try {
  const target = await ids(aws, 'shop', '/orders');
  const results = { machine: machine() };
  results.coldStart = await coldStart(emu);
  results.perCall = await perCall(emu, aws, target);
  results.callsPerIntent = await callsPerIntent(emu, aws);
  results.http = await httpThroughput(emu, target);
  results.emulator = await emulatorRate(emu, target);
  results.memory = await memory(emu, target);
  results.batch = await batchFigures();
  results.seconds = r1((now() - t0) / 1000);
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${markdown(results)}\n\n(${results.seconds} s; bench/results.json written)\n`);
} finally {
  aws.destroy();
  emu.stop();
}
