// Every tool through a real MCP client over stdio, against the emulator reached with --backend aws
// --endpoint-url, checked through an independent AWS SDK client and the emulator's own call counts.
import { GetIntegrationResponseCommand, GetMethodCommand } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

let s: Stack;
let shop: string;
let orders: string;
let order: string;
let payments: string;
let health: string;

beforeAll(async () => {
  s = await startStack();
  ({ restApiId: shop, resourceId: orders } = await s.ids('shop', '/orders'));
  order = (await s.ids('shop', '/orders/{id}')).resourceId;
  payments = (await s.ids('shop', '/payments')).resourceId;
  health = (await s.ids('shop', '/health')).resourceId;
});
afterAll(() => s?.close());
beforeEach(() => s.emulator.resetCalls());

describe('read tools', () => {
  it('list_apis lists the seeded APIs and names the backend', async () => {
    const r = await s.call('list_apis');
    expect(r.isError).toBeFalsy();
    expect(r.structured.apis.map((a: any) => a.name).sort()).toEqual(['inventory', 'legacy-billing', 'shop']);
    expect(r.structured.apis.find((a: any) => a.name === 'shop')).toMatchObject({ id: shop, endpointType: 'EDGE' });
    expect(r.structured.backend).toContain(s.emulator.url);
    expect(JSON.parse(r.text)).toEqual(r.structured);
  });

  it('get_integration by name and path returns the integration as AWS returns it', async () => {
    const r = await s.call('get_integration', { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' });
    expect(r.isError).toBeFalsy();
    expect(r.structured.target).toMatchObject({ restApiId: shop, resourceId: order, httpMethod: 'GET', apiName: 'shop', resourcePath: '/orders/{id}' });
    expect(r.structured.integration).toEqual(await s.integration(shop, order, 'GET'));
    expect(r.structured.integration.integrationResponses['200']).toBeDefined();
  });

  it('resolves names and paths once, then from its cache', async () => {
    await s.call('get_integration', { apiName: 'inventory', resourcePath: '/items', httpMethod: 'GET' });
    s.emulator.resetCalls();
    await s.call('get_integration', { apiName: 'inventory', resourcePath: '/items/', httpMethod: 'GET' });
    expect(s.emulator.calls()).toEqual({ GetIntegration: 1 });
  });

  it('list_integrations shows every method of the API with its integration in brief', async () => {
    const r = await s.call('list_integrations', { apiName: 'shop' });
    const rows = r.structured.methods.map((m: any) => `${m.httpMethod} ${m.path} ${m.integration?.type}`);
    expect(rows).toEqual(['GET /health MOCK', 'GET /orders HTTP', 'DELETE /orders/{id} HTTP_PROXY', 'GET /orders/{id} HTTP', 'POST /payments AWS_PROXY']);
    const get = r.structured.methods.find((m: any) => m.path === '/orders' && m.httpMethod === 'GET');
    expect(get.integration).toMatchObject({ uri: 'https://orders.example.com/orders', requestTemplates: ['application/json'], integrationResponses: ['200', '500'] });
    // One GetResources with embed=methods; the API name may already be cached from an earlier call.
    expect(s.emulator.calls().GetResources).toBe(1);
    expect(Object.keys(s.emulator.calls()).every((op) => ['GetRestApis', 'GetResources'].includes(op))).toBe(true);
  });

  it('refreshes cached names on list_apis: a second API with the same name then makes the name ambiguous', async () => {
    const first = await s.call('list_integrations', { apiName: 'inventory' });
    expect(first.isError).toBeFalsy();
    const { CreateRestApiCommand } = await import('@aws-sdk/client-api-gateway');
    const twin = await s.aws.send(new CreateRestApiCommand({ name: 'inventory' }));
    await s.call('list_apis');
    const r = await s.call('list_integrations', { restApiId: 'inventory' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('is ambiguous');
    expect(r.text).toContain(twin.id!);
    expect(r.text).toContain('Give one of those ids as restApiId');
  });

  it('takes the API by name in restApiId, a name that looks like an id too (AWS answers not found for it as an id)', async () => {
    const byName = await s.call('get_integration', { restApiId: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' });
    expect(byName.structured.target).toMatchObject({ restApiId: shop, resourceId: order, apiName: 'shop' });
    const { CreateRestApiCommand, GetResourcesCommand, PutMethodCommand, PutIntegrationCommand } = await import('@aws-sdk/client-api-gateway');
    // "production" is 10 lowercase letters, the shape of an id: tried as one first (no listing), then as a name.
    const prod = await s.aws.send(new CreateRestApiCommand({ name: 'production' }));
    const root = (await s.aws.send(new GetResourcesCommand({ restApiId: prod.id! }))).items![0].id!;
    await s.aws.send(new PutMethodCommand({ restApiId: prod.id!, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await s.aws.send(new PutIntegrationCommand({ restApiId: prod.id!, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
    s.emulator.resetCalls();
    const r = await s.call('get_integration', { restApiId: 'production', resourcePath: '/', httpMethod: 'GET' });
    expect(r.isError).toBeFalsy();
    expect(r.structured.target).toMatchObject({ restApiId: prod.id, resourceId: root, apiName: 'production' });
    expect(s.emulator.calls()).toEqual({ GetResources: 2, GetRestApis: 1, GetIntegration: 1 });
    // Known by name now: no second try as an id.
    s.emulator.resetCalls();
    await s.call('get_integration', { restApiId: 'production', resourcePath: '/', httpMethod: 'GET' });
    expect(s.emulator.calls()).toEqual({ GetIntegration: 1 });
    // A whole-API tool too, for another id-shaped name.
    await s.aws.send(new CreateRestApiCommand({ name: 'stagingapi' }));
    s.emulator.resetCalls();
    const stages = await s.call('list_stages', { restApiId: 'stagingapi' });
    expect(stages.isError).toBeFalsy();
    expect(stages.structured.apiName).toBe('stagingapi');
    expect(s.emulator.calls()).toMatchObject({ GetRestApis: 1 });
  });

  it('answers an id that is no API\'s id or name with AWS\'s words and that restApiId takes either (after one listing)', async () => {
    const r = await s.call('list_integrations', { restApiId: 'nosuchapi1' });
    expect(r).toMatchObject({ isError: true, code: 'not_found' });
    expect(r.text).toContain('Invalid API identifier specified');
    expect(r.text).toContain('No REST API has that id, nor that name. list_apis lists every API with its id and name; restApiId takes either.');
  });

  it('tries an id-shaped restApiId as a name only when AWS says no such API: another failure, or a path the API lacks, is answered as it is', async () => {
    const { CreateRestApiCommand } = await import('@aws-sdk/client-api-gateway');
    const api = await s.aws.send(new CreateRestApiCommand({ name: 'fresh' }));
    s.emulator.resetCalls();
    s.emulator.setFaults({ conflict: { operations: ['GetResources'], count: 1 } });
    const failed = await s.call('get_integration', { restApiId: api.id, resourcePath: '/', httpMethod: 'GET' });
    s.emulator.setFaults();
    expect(failed).toMatchObject({ isError: true, code: 'conflict' });
    expect(s.emulator.calls().GetRestApis).toBeUndefined();
    s.emulator.resetCalls();
    const lacks = await s.call('get_integration', { restApiId: api.id, resourcePath: '/nope', httpMethod: 'GET' });
    expect(lacks).toMatchObject({ isError: true, code: 'not_found' });
    expect(lacks.text).toContain('has no resource "/nope"');
    expect(s.emulator.calls()).toEqual({ GetResources: 1 });
  });

  it('still takes apiName and resourceId, which tools/list no longer lists', async () => {
    const r = await s.call('get_integration', { apiName: 'shop', resourceId: order, httpMethod: 'GET' });
    expect(r.structured.target).toMatchObject({ restApiId: shop, resourceId: order });
    const listed = (await s.client.listTools()).tools.find((t) => t.name === 'get_integration')!;
    expect(Object.keys(listed.inputSchema.properties!)).not.toContain('apiName');
    expect(Object.keys(listed.inputSchema.properties!)).not.toContain('resourceId');
  });

  it('looks a restApiId that is no id up as a name, and says so when no API has it', async () => {
    const r = await s.call('get_integration', { restApiId: '../x', resourcePath: '/orders', httpMethod: 'GET' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('No REST API has the id or name "../x"');
    expect(s.emulator.calls()).toEqual({ GetRestApis: 1 });
  });

  it('names the candidates when an API name is unknown', async () => {
    const r = await s.call('list_integrations', { restApiId: 'shopp' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('No REST API has the id or name "shopp"');
    expect(r.text).toContain(`shop (${shop})`);
    expect(r.text).toContain('list_apis');
  });

  it('lists the paths when a resource path is unknown', async () => {
    const r = await s.call('get_integration', { restApiId: shop, resourcePath: '/order', httpMethod: 'GET' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('/orders/{id}');
  });

  it("keeps AWS's message when API Gateway answers not found", async () => {
    const r = await s.call('get_integration', { restApiId: 'nosuchapi1', resourceId: 'abc123', httpMethod: 'GET' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/NotFoundException \(HTTP 404\): Invalid (Resource|API) identifier specified/);
  });

  it("names a path's methods when asked for one it lacks, from the listing that resolved the path", async () => {
    // A path the server has not listed yet, so resolving it lists the API's resources (with their methods) now.
    const { CreateResourceCommand, PutIntegrationCommand, PutMethodCommand } = await import('@aws-sdk/client-api-gateway');
    const fresh = await s.aws.send(new CreateResourceCommand({ restApiId: shop, parentId: (await s.ids('shop', '/')).resourceId, pathPart: 'carts' }));
    await s.aws.send(new PutMethodCommand({ restApiId: shop, resourceId: fresh.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await s.aws.send(new PutIntegrationCommand({ restApiId: shop, resourceId: fresh.id!, httpMethod: 'GET', type: 'MOCK' }));
    s.emulator.resetCalls();
    const r = await s.call('get_integration', { apiName: 'shop', resourcePath: '/carts', httpMethod: 'POST' });
    expect(r.isError).toBe(true);
    expect(r.text).toBe(`/carts has no POST method (API ${shop}); /carts has: GET. Give one of those as httpMethod; list_integrations shows the methods of every path.`);
    expect(s.emulator.calls().GetResources).toBe(1);
    expect(s.emulator.calls().GetIntegration).toBeUndefined();
  });

  it('refreshes a cached listing once before refusing a method, so one added meanwhile is found', async () => {
    const { PutIntegrationCommand, PutMethodCommand } = await import('@aws-sdk/client-api-gateway');
    await s.call('list_integrations', { apiName: 'shop' });
    await s.aws.send(new PutMethodCommand({ restApiId: shop, resourceId: health, httpMethod: 'OPTIONS', authorizationType: 'NONE' }));
    await s.aws.send(new PutIntegrationCommand({ restApiId: shop, resourceId: health, httpMethod: 'OPTIONS', type: 'MOCK' }));
    s.emulator.resetCalls();
    const r = await s.call('get_integration', { apiName: 'shop', resourcePath: '/health', httpMethod: 'OPTIONS' });
    expect(r.isError).toBeFalsy();
    expect(r.structured.integration.type).toBe('MOCK');
    expect(s.emulator.calls()).toEqual({ GetResources: 1, GetIntegration: 1 });
    s.emulator.resetCalls();
    await s.call('get_integration', { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET' });
    expect(s.emulator.calls()).toEqual({ GetIntegration: 1 });
  });

  it("says to call list_integrations when AWS answers that the method does not exist on a resource it has not listed", async () => {
    const { CreateResourceCommand, CreateRestApiCommand, PutMethodCommand } = await import('@aws-sdk/client-api-gateway');
    const api = await s.aws.send(new CreateRestApiCommand({ name: 'unlisted' }));
    const res = await s.aws.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'things' }));
    await s.aws.send(new PutMethodCommand({ restApiId: api.id!, resourceId: res.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    s.emulator.resetCalls();
    const r = await s.call('get_integration', { restApiId: api.id, resourceId: res.id, httpMethod: 'POST' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('NotFoundException: Invalid Method identifier specified');
    expect(r.text).toContain(`Call list_integrations { restApiId: "${api.id}" } to see the methods of each path.`);
    expect(s.emulator.calls()).toEqual({ GetIntegration: 1 });
    const w = await s.call('set_timeout', { restApiId: api.id, resourceId: res.id, httpMethod: 'POST', timeoutInMillis: 1000 });
    expect(w.text).toContain(`resource ${res.id} has no POST method. Call list_integrations`);
  });
});

describe('set_timeout', () => {
  it('applies with exactly one read and one UpdateIntegration, and reports before and after', async () => {
    const r = await s.call('set_timeout', { restApiId: shop, resourceId: order, httpMethod: 'GET', timeoutInMillis: 12000 });
    expect(r.isError).toBeFalsy();
    expect(r.structured).toMatchObject({
      status: 'applied',
      risk: 'safe',
      patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '12000' }],
      diff: [{ path: '/timeoutInMillis', before: 10000, after: 12000 }],
    });
    expect(r.structured.before.timeoutInMillis).toBe(10000);
    expect(r.structured.message).toContain('only after deploy_api to a stage. Stages serving this API: prod.');
    // The first write to an API also reads its stage names once, for that reminder.
    expect(s.emulator.calls()).toEqual({ GetMethod: 1, UpdateIntegration: 1, GetStages: 1 });
    s.emulator.resetCalls();
    await s.call('set_timeout', { restApiId: shop, resourceId: order, httpMethod: 'GET', timeoutInMillis: 12500 });
    expect(s.emulator.calls()).toEqual({ GetMethod: 1, UpdateIntegration: 1 });
    expect((await s.integration(shop, order, 'GET')).timeoutInMillis).toBe(12500);
  });

  it('sends nothing for a value that is already so', async () => {
    await s.call('set_timeout', { restApiId: shop, resourceId: order, httpMethod: 'GET', timeoutInMillis: 15000 });
    s.emulator.resetCalls();
    const r = await s.call('set_timeout', { restApiId: shop, resourceId: order, httpMethod: 'GET', timeoutInMillis: 15000 });
    expect(r.structured).toMatchObject({ status: 'no_change', patchOperations: [], diff: [] });
    expect(s.emulator.calls()).toEqual({ GetMethod: 1 });
  });

  it('previews with dryRun and changes nothing', async () => {
    const before = await s.integration(shop, orders, 'GET');
    s.emulator.resetCalls();
    const r = await s.call('set_timeout', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', timeoutInMillis: 5000, dryRun: true });
    expect(r.structured).toMatchObject({ status: 'dry_run', diff: [{ path: '/timeoutInMillis', before: 29000, after: 5000 }] });
    expect(r.structured.after.timeoutInMillis).toBe(5000);
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    expect(await s.integration(shop, orders, 'GET')).toEqual(before);
  });
});

describe('empty templates', () => {
  it('sets a pass-through (empty) template without a false conflict, and asking again changes nothing', async () => {
    const target = { restApiId: shop, resourceId: order, httpMethod: 'GET', requestTemplates: { 'text/plain': '' } };
    const r = await s.call('update_integration', target);
    expect(r.structured.status).toBe('applied');
    expect(r.structured.after.requestTemplates['text/plain']).toBeNull();
    expect((await s.integration(shop, order, 'GET')).requestTemplates['text/plain']).toBeNull();
    expect((await s.call('update_integration', target)).structured.status).toBe('no_change');
    await s.call('update_integration', { ...target, requestTemplates: { 'text/plain': null } });
  });
});

describe('integration responses', () => {
  it('refuses a selection pattern another integration response of the method has, naming it, and updates nothing', async () => {
    s.emulator.resetCalls();
    const r = await s.call('update_integration_response', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', statusCode: '500', selectionPattern: '' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Integration response 200 already has no selection pattern (it is the default response)');
    expect(s.emulator.calls().UpdateIntegrationResponse).toBeUndefined();
  });
});

describe('bad input is refused before any AWS call', () => {
  const target = () => ({ restApiId: shop, resourceId: order, httpMethod: 'GET' });
  const cases: [string, string, () => Record<string, unknown>, RegExp][] = [
    ['a timeout of 10 ms', 'set_timeout', () => ({ ...target(), timeoutInMillis: 10 }), /^Nothing was sent\. timeoutInMillis must be from 50 to 29000 ms; got 10$/],
    ['a timeout of 30000 ms', 'set_timeout', () => ({ ...target(), timeoutInMillis: 30000 }), /^Nothing was sent\. timeoutInMillis must be from 50 to 29000 ms; got 30000 \(longer needs a raised quota, see --max-timeout-ms, or responseTransferMode STREAM, up to 900000\)$/],
    ['a timeout of 10 ms among other fields', 'update_integration', () => ({ ...target(), cacheNamespace: 'x', timeoutInMillis: 10 }), /^Nothing was sent\. timeoutInMillis must be from 50 to 29000 ms; got 10$/],
    ['a backend that is not a URL', 'update_integration', () => ({ ...target(), uri: 'orders.example.com' }), /^Nothing was sent\. uri of an HTTP integration must be an absolute http\(s\) URL.*; got "orders\.example\.com"$/],
    ['a timeout string of 10 ms', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '10' }] }), /^Nothing was sent\. patchOperations\[0\] \(replace \/timeoutInMillis\): timeoutInMillis must be from 50 to 29000 ms; got "10"$/],
    ['an unknown field in an op', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/cacheNamespace', value: 'x', extra: 1 }] }), /unknown field\(s\) in a patch operation: extra; an operation has only op, path, value, from/],
    ['a fractional timeout', 'set_timeout', () => ({ ...target(), timeoutInMillis: 100.5 }), /timeoutInMillis/],
    ['an unknown path', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/type', value: 'MOCK' }] }), /unknown path "\/type"; patchable paths: .*\/timeoutInMillis/],
    ['a move op', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'move', path: '/timeoutInMillis', from: '/cacheNamespace' }] }), /op "move" is not supported.*use replace/],
    ['a copy op', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'copy', path: '/cacheNamespace', from: '/uri' }] }), /op "copy"/],
    ['a test op', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'test', path: '/timeoutInMillis', value: '1' }] }), /op "test"/],
    ['an op that is no op at all', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'delete', path: '/cacheNamespace' }] }), /op "delete"/],
    ['add on a replace-only path', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'add', path: '/passthroughBehavior', value: 'NEVER' }] }), /allowed: replace/],
    ['a malformed enum value', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/passthroughBehavior', value: 'ALWAYS' }] }), /WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER/],
    ['a non-numeric timeout string', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: 'soon' }] }), /whole number/],
    ['an unescaped content type', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'add', path: '/requestTemplates/application/json', value: '{}' }] }), /unknown path/],
    ['a whole-map path', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/requestParameters', value: '{}' }] }), /patch one entry at a time/],
    ['a bad pointer escape', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'add', path: '/requestTemplates/a~2b', value: '' }] }), /not a JSON Pointer/],
    ['an empty op list', 'patch_integration', () => ({ ...target(), patchOperations: [] }), /patchOperations/],
    ['a value that is not a string', 'patch_integration', () => ({ ...target(), patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: 12000 }] }), /value/],
    ['a missing target', 'set_timeout', () => ({ httpMethod: 'GET', timeoutInMillis: 1000 }), /Missing target: give restApiId \(the API's id or exact name\)/],
    ['a missing resource', 'set_timeout', () => ({ restApiId: shop, httpMethod: 'GET', timeoutInMillis: 1000 }), /Missing target: give resourcePath \(e\.g\. \/orders\/\{id\}\)/],
    ['both id and name', 'set_timeout', () => ({ ...target(), apiName: 'shop', timeoutInMillis: 1000 }), /Give the API once: restApiId takes its id or its exact name/],
    ['both resource path and id', 'set_timeout', () => ({ ...target(), resourcePath: '/orders/{id}', timeoutInMillis: 1000 }), /Give resourcePath or resourceId, not both/],
    ['a missing httpMethod', 'set_timeout', () => ({ restApiId: shop, resourceId: order, timeoutInMillis: 1000 }), /httpMethod/],
    ['a lowercase verb', 'get_integration', () => ({ restApiId: shop, resourceId: order, httpMethod: 'get' }), /GET/],
    ['a stage-cache resource path without a slash', 'update_stage_cache', () => ({ restApiId: shop, stageName: 'prod', resourcePath: 'orders', httpMethod: 'GET', cachingEnabled: true }), /starts with \//],
    ['a resource path without a slash', 'get_integration', () => ({ restApiId: shop, resourcePath: 'orders', httpMethod: 'GET' }), /starts with \//],
    ['a VPC link without its id', 'update_integration', () => ({ ...target(), connection: { type: 'VPC_LINK' } }), /needs its id/],
    // Found by the fuzz (seeds -1253371709, 456266798): AWS drops a MOCK's uri, so it was accepted and ignored.
    ['a uri for a new MOCK integration', 'update_integration', () => ({ ...target(), type: 'MOCK', uri: '' }), /a MOCK integration has no uri/],
    // Found by the fuzz (seed -1593883956): the whole-document path (type) skipped the check the ops path made.
    ['an internet connection with an id, replacing the integration', 'update_integration', () => ({ ...target(), type: 'HTTP', uri: 'https://orders.example.com/x', integrationHttpMethod: 'GET', connection: { type: 'INTERNET', id: 'abc123' } }), /connection INTERNET takes no id/],
    ['a bad request-parameter key', 'update_integration', () => ({ ...target(), requestParameters: { 'X-Trace': 'method.request.header.X-Trace' } }), /^Nothing was sent\. requestParameters: the key must be integration\.request\.\{path\|querystring\|header\}/],
    ['a bad request-parameter source', 'update_integration', () => ({ ...target(), requestParameters: { 'integration.request.header.X-A': 'header.X-A' } }), /^Nothing was sent\. requestParameters\["integration\.request\.header\.X-A"\] must be a source: .*; got "header\.X-A"$/],
    ['a bad status code', 'update_integration_response', () => ({ ...target(), statusCode: '600', selectionPattern: '' }), /status code/],
    ['nothing to change', 'update_integration', () => target(), /Nothing to change/],
  ];

  it.each(cases)('refuses %s with a message that says what is valid', async (_name, tool, args, message) => {
    const r = await s.call(tool, args());
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
    expect(s.emulator.calls()).toEqual({});
  });
});

describe('risky changes are not applied without a human', () => {
  // This client declares no elicitation, so the server falls back to its approval page (see safety tests).
  it('asks for approval before turning TLS verification off, and sends no update', async () => {
    const r = await s.call('set_tls_verification', { restApiId: shop, resourceId: order, httpMethod: 'GET', insecureSkipVerification: true });
    expect(r.structured).toMatchObject({ status: 'approval_required', risk: 'confirm' });
    expect(r.structured.approvalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/approve\/apr_/);
    expect(r.structured.riskReasons.join(' ')).toContain('man-in-the-middle');
    expect(s.emulator.calls()).toEqual({ GetMethod: 1 });
  });

  it.each([
    ['a different backend', { op: 'replace', path: '/uri', value: 'https://evil.example.com/' }],
    ['new credentials', { op: 'replace', path: '/credentials', value: 'arn:aws:iam::123456789012:role/admin' }],
    ['a different integration verb', { op: 'replace', path: '/httpMethod', value: 'POST' }],
    ['TLS off among safe ops', { op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' }],
  ])('holds %s sent through patch_integration for approval', async (_name, op) => {
    const r = await s.call('patch_integration', { restApiId: shop, resourceId: order, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/cacheNamespace', value: 'x' }, op] });
    expect(r.structured.status).toBe('approval_required');
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('lets a human-needing change be previewed with dryRun, marked confirm', async () => {
    const r = await s.call('update_integration', { restApiId: shop, resourceId: order, httpMethod: 'GET', uri: 'https://orders-v2.example.com/orders/{id}', dryRun: true });
    expect(r.structured).toMatchObject({ status: 'dry_run', risk: 'confirm' });
    expect(r.structured.message).toContain("needs a human's confirmation");
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('takes an integration without tlsConfig as verifying certificates: turning verification on sends nothing', async () => {
    const r = await s.call('set_tls_verification', { restApiId: shop, resourceId: order, httpMethod: 'GET', insecureSkipVerification: false });
    expect(r.structured).toMatchObject({ status: 'no_change', risk: 'safe' });
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('refuses TLS settings on a Lambda integration after one read', async () => {
    const r = await s.call('set_tls_verification', { restApiId: shop, resourceId: payments, httpMethod: 'POST', insecureSkipVerification: false });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('applies only to HTTP, HTTP_PROXY integrations; this one is AWS_PROXY');
    expect(s.emulator.calls()).toEqual({ GetMethod: 1 });
  });
});

describe('update_integration', () => {
  it('applies several intents as one UpdateIntegration with the minimal ops', async () => {
    const r = await s.call('update_integration', {
      apiName: 'shop',
      resourcePath: '/orders',
      httpMethod: 'GET',
      timeoutInMillis: 10000,
      requestTemplates: { 'application/xml': '<status>$input.params("status")</status>', 'application/json': null },
      requestParameters: { 'integration.request.header.X-Status': 'method.request.querystring.status' },
      passthroughBehavior: 'NEVER',
    });
    expect(r.isError).toBeFalsy();
    expect(r.structured.status).toBe('applied');
    expect(r.structured.patchOperations).toEqual([
      { op: 'replace', path: '/timeoutInMillis', value: '10000' },
      { op: 'replace', path: '/passthroughBehavior', value: 'NEVER' },
      { op: 'add', path: '/requestParameters/integration.request.header.X-Status', value: 'method.request.querystring.status' },
      { op: 'add', path: '/requestTemplates/application~1xml', value: '<status>$input.params("status")</status>' },
      { op: 'remove', path: '/requestTemplates/application~1json' },
    ]);
    const now = await s.integration(shop, orders, 'GET');
    expect(now).toEqual(r.structured.after);
    expect(now.requestTemplates).toEqual({ 'application/xml': '<status>$input.params("status")</status>' });
    expect(s.emulator.calls().UpdateIntegration).toBe(1);
    expect(s.emulator.calls().GetMethod).toBe(1);
  });

  it('declares an undeclared mapping source on the method in the same call, and says so', async () => {
    const args = { restApiId: shop, resourceId: order, httpMethod: 'GET', requestParameters: { 'integration.request.header.X-Trace': 'method.request.header.X-Trace' } };
    const dry = await s.call('update_integration', { ...args, dryRun: true });
    expect(dry.structured.status).toBe('dry_run');
    expect(dry.structured.notes.join(' ')).toContain('also declares method.request.header.X-Trace');
    expect(dry.structured.steps.map((x: any) => [x.resource, x.action])).toEqual([
      [expect.stringMatching(/^Method GET /), 'update'],
      [expect.stringMatching(/^Integration of GET /), 'update'],
    ]);
    s.emulator.resetCalls();
    const r = await s.call('update_integration', args);
    expect(r.structured.status).toBe('applied');
    // One read, one write per step (the stage names are read once per process, for the deploy reminder).
    const { GetStages: _, ...calls } = s.emulator.calls();
    expect(calls).toEqual({ GetMethod: 1, UpdateMethod: 1, UpdateIntegration: 1 });
    const method = await s.aws.send(new GetMethodCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET' }));
    expect(method.requestParameters).toEqual({ 'method.request.path.id': true, 'method.request.header.X-Trace': false });
    expect(method.methodIntegration?.requestParameters?.['integration.request.header.X-Trace']).toBe('method.request.header.X-Trace');
    // One change, undone as one: the mapping goes, then the declaration.
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    const back = await s.aws.send(new GetMethodCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET' }));
    expect(back.requestParameters).toEqual({ 'method.request.path.id': true });
    expect(back.methodIntegration?.requestParameters).toEqual({ 'integration.request.path.id': 'method.request.path.id' });
  });

  it('refuses a uri on a MOCK integration', async () => {
    const r = await s.call('update_integration', { restApiId: shop, resourceId: health, httpMethod: 'GET', uri: 'https://x.example.com', dryRun: true });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/uri/);
  });
});

describe('update_integration_response', () => {
  it('changes a selection pattern and a template in one UpdateIntegrationResponse', async () => {
    const r = await s.call('update_integration_response', {
      restApiId: shop, resourceId: orders, httpMethod: 'GET', statusCode: '500',
      selectionPattern: '5\\d{2}|429', responseTemplates: { 'application/json': '{"message": "try later"}' },
    });
    expect(r.structured).toMatchObject({ status: 'applied', target: { statusCode: '500' } });
    expect(s.emulator.calls()).toEqual({ GetMethod: 1, UpdateIntegrationResponse: 1 });
    const ir = await s.aws.send(new GetIntegrationResponseCommand({ restApiId: shop, resourceId: orders, httpMethod: 'GET', statusCode: '500' }));
    expect(ir.selectionPattern).toBe('5\\d{2}|429');
    expect(ir.responseTemplates).toEqual({ 'application/json': '{"message": "try later"}' });
  });

  it('creates a missing integration response and the method response it maps onto, in one call', async () => {
    const args = { restApiId: shop, resourceId: order, httpMethod: 'GET', statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"message": "no such order"}' } };
    const refused = await s.call('update_integration_response', { ...args, create: false });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('it has: 200. Omit create');
    s.emulator.resetCalls();
    const r = await s.call('update_integration_response', args);
    expect(r.structured).toMatchObject({ status: 'applied', after: { statusCode: '404', selectionPattern: '404' } });
    expect(r.structured.notes.join(' ')).toContain('also creates method response 404');
    const { GetStages: _, ...calls } = s.emulator.calls();
    expect(calls).toEqual({ GetMethod: 1, PutMethodResponse: 1, PutIntegrationResponse: 1 });
    const method = await s.aws.send(new GetMethodCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET' }));
    expect(method.methodResponses?.['404']).toEqual({ statusCode: '404' });
    expect(method.methodIntegration?.integrationResponses?.['404']?.responseTemplates).toEqual({ 'application/json': '{"message": "no such order"}' });
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    const back = await s.aws.send(new GetMethodCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET' }));
    expect(Object.keys(back.methodResponses ?? {})).toEqual(['200']);
    expect(Object.keys(back.methodIntegration?.integrationResponses ?? {})).toEqual(['200']);
  });

  it('declares a mapped header on the method response that lacks it (a CORS-style header), in one call', async () => {
    const r = await s.call('update_integration_response', {
      restApiId: shop, resourceId: orders, httpMethod: 'GET', statusCode: '200',
      responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" },
    });
    expect(r.structured.status).toBe('applied');
    const method = await s.aws.send(new GetMethodCommand({ restApiId: shop, resourceId: orders, httpMethod: 'GET' }));
    expect(method.methodResponses?.['200']?.responseParameters).toEqual({ 'method.response.header.X-Request-Id': false, 'method.response.header.Access-Control-Allow-Origin': false });
    expect(method.methodIntegration?.integrationResponses?.['200']?.responseParameters?.['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
    await s.call('undo_change', { changeId: r.structured.changeId });
    const back = await s.aws.send(new GetMethodCommand({ restApiId: shop, resourceId: orders, httpMethod: 'GET' }));
    expect(back.methodResponses?.['200']?.responseParameters).toEqual({ 'method.response.header.X-Request-Id': false });
  });
});
