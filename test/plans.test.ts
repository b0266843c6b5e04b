// Change plans end to end, as an agent would use them: the tasks that crossed resources (a new query parameter,
// a 404 mapping on a method without a 404 method response, MOCK -> HTTP_PROXY, an integration on a bare method),
// each in one call (+1 confirmation where risky), verified with an independent SDK client; a fault at each step
// position compensated; a change between preview and apply refused; undo of each restoring every resource.
import { CreateResourceCommand, GetMethodCommand, PutMethodCommand, UpdateMethodCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

let s: Stack;
let shop: string;
const method = (aws: APIGatewayClient, restApiId: string, resourceId: string, httpMethod: string) =>
  aws.send(new GetMethodCommand({ restApiId, resourceId, httpMethod })).then(({ $metadata: _, ...m }) => m);
/** The calls that wrote (every AWS write of the plan), leaving aside reads. */
const writes = (calls: Record<string, number>) => Object.fromEntries(Object.entries(calls).filter(([op]) => !/^Get/.test(op)));
const records = () =>
  readFileSync(s.auditLog, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  // Token fallback: a confirm-level plan answers with a token the test passes back (the human's stand-in).
  s = await startStack({ serverArgs: ['--confirm-fallback', 'token'] });
  shop = (await s.ids('shop', '/orders')).restApiId;
});
afterAll(() => s?.close());
beforeEach(() => s.emulator.setFaults(undefined));

async function confirmed(tool: string, args: Record<string, unknown>) {
  const first = await s.call(tool, args);
  expect(first.structured.status).toBe('confirmation_required');
  return s.call(tool, { ...args, confirmation: first.structured.confirmToken });
}

describe('one call for what crossed resources', () => {
  it('maps a new query parameter: declares it on the method and maps it, one read and two writes, undone as one', async () => {
    const { resourceId } = await s.ids('shop', '/orders');
    const start = await method(s.aws, shop, resourceId, 'GET');
    s.emulator.resetCalls();
    const r = await s.call('update_integration', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page' } });
    expect(r.structured.status).toBe('applied');
    expect(r.structured.notes).toContain('also declares method.request.querystring.page on GET /orders (not required), which the integration reads');
    expect(s.emulator.calls().GetMethod).toBe(1);
    expect(writes(s.emulator.calls())).toEqual({ UpdateMethod: 1, UpdateIntegration: 1 });
    const now = await method(s.aws, shop, resourceId, 'GET');
    expect(now.requestParameters?.['method.request.querystring.page']).toBe(false);
    expect(now.methodIntegration?.requestParameters?.['integration.request.querystring.page']).toBe('method.request.querystring.page');
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
  });

  it('turns the MOCK on /health into an HTTP_PROXY in one call + one confirmation, naming the responses it drops; undo brings them back', async () => {
    const { resourceId } = await s.ids('shop', '/health');
    const start = await method(s.aws, shop, resourceId, 'GET');
    const args = { apiName: 'shop', resourcePath: '/health', httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'https://health.example.com/ping' };
    const dry = await s.call('update_integration', { ...args, dryRun: true });
    expect(dry.structured).toMatchObject({ status: 'dry_run', risk: 'confirm' });
    expect(dry.structured.notes.join(' ')).toContain('drops integration responses 200');
    s.emulator.resetCalls();
    const r = await confirmed('update_integration', args);
    expect(r.structured.status).toBe('applied');
    expect(writes(s.emulator.calls())).toEqual({ PutIntegration: 1 });
    const now = await method(s.aws, shop, resourceId, 'GET');
    expect(now.methodIntegration).toMatchObject({ type: 'HTTP_PROXY', uri: 'https://health.example.com/ping', httpMethod: 'GET' });
    expect(now.methodIntegration?.integrationResponses).toBeUndefined();
    const undo = await confirmed('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
  });

  it('keeps the integration responses a new non-proxy type still uses (HTTP -> AWS re-puts them)', async () => {
    const { resourceId } = await s.ids('shop', '/orders');
    const before = await method(s.aws, shop, resourceId, 'GET');
    const uri = 'arn:aws:apigateway:us-east-1:s3:path/orders-bucket/orders';
    const r = await confirmed('update_integration', { restApiId: shop, resourceId, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'GET', uri, credentials: 'arn:aws:iam::123456789012:role/orders' });
    expect(r.structured.status).toBe('applied');
    const now = await method(s.aws, shop, resourceId, 'GET');
    expect(now.methodIntegration?.type).toBe('AWS');
    expect(now.methodIntegration?.integrationResponses).toEqual(before.methodIntegration?.integrationResponses);
    await confirmed('undo_change', { changeId: r.structured.changeId });
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(before);
  });

  it('creates an integration on a bare method, and undo deletes it', async () => {
    const { resourceId: root } = await s.ids('shop', '/');
    const bare = await s.aws.send(new CreateResourceCommand({ restApiId: shop, parentId: root, pathPart: 'bare' }));
    await s.aws.send(new PutMethodCommand({ restApiId: shop, resourceId: bare.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    const missing = await s.call('update_integration', { restApiId: shop, resourceId: bare.id, httpMethod: 'GET', timeoutInMillis: 5000 });
    expect(missing).toMatchObject({ isError: true, code: 'not_found' });
    expect(missing.text).toContain('has no integration to change. To create one, call update_integration with type');
    const r = await confirmed('update_integration', { restApiId: shop, resourceId: bare.id, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'https://bare.example.com/' });
    expect(r.structured.status).toBe('applied');
    expect((await method(s.aws, shop, bare.id!, 'GET')).methodIntegration?.type).toBe('HTTP_PROXY');
    await confirmed('undo_change', { changeId: r.structured.changeId });
    expect((await method(s.aws, shop, bare.id!, 'GET')).methodIntegration).toBeUndefined();
  });

  it('refuses to remove a parameter a mapping still uses, naming the mapping, and sends nothing', async () => {
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    s.emulator.resetCalls();
    const r = await s.call('update_method', { restApiId: shop, resourceId, httpMethod: 'GET', requestParameters: { 'method.request.path.id': null } });
    expect(r).toMatchObject({ isError: true, code: 'conflict' });
    expect(r.text).toContain('method.request.path.id is still used by mapping integration.request.path.id, cache key method.request.path.id');
    expect(writes(s.emulator.calls())).toEqual({});
  });

  it('refuses to remove a header an integration response maps, or a method response one uses, naming it, and sends nothing', async () => {
    const at = { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET' };
    s.emulator.resetCalls();
    const header = await s.call('update_method', { ...at, methodResponses: { '200': { responseParameters: { 'method.response.header.X-Request-Id': null } } } });
    expect(header).toMatchObject({ isError: true, code: 'conflict' });
    expect(header.text).toContain('header method.response.header.X-Request-Id is still mapped by integration response 200');
    const whole = await s.call('update_method', { ...at, methodResponses: { '500': null } });
    expect(whole).toMatchObject({ isError: true, code: 'conflict' });
    expect(whole.text).toContain('Method response 500 of GET /orders is still used by integration response 500');
    expect(writes(s.emulator.calls())).toEqual({});
  });

  it('declares and removes a method response with update_method, one call each', async () => {
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    const start = await method(s.aws, shop, resourceId, 'GET');
    const r = await s.call('update_method', { restApiId: shop, resourceId, httpMethod: 'GET', methodResponses: { '410': { responseParameters: { 'method.response.header.Retry-After': false } } } });
    expect(r.structured.status).toBe('applied');
    expect((await method(s.aws, shop, resourceId, 'GET')).methodResponses?.['410']).toEqual({ statusCode: '410', responseParameters: { 'method.response.header.Retry-After': false } });
    const gone = await s.call('update_method', { restApiId: shop, resourceId, httpMethod: 'GET', methodResponses: { '410': null } });
    expect(gone.structured.status).toBe('applied');
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
  });

  it('rejects bad input locally, before any AWS call', async () => {
    s.emulator.resetCalls();
    const bad = [
      ['update_integration', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', type: 'HTTP', uri: 'ftp://x' }],
      ['update_integration', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', type: 'HTTP', requestTemplates: { 'application/json': null } }],
      ['update_method', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', requestParameters: { 'method.request.cookie.x': true } }],
      ['update_integrations', { apiName: 'shop', match: {}, timeoutInMillis: 5000 }],
      ['enable_cors', { apiName: 'shop', resourcePath: '/orders', allowOrigin: '*', allowCredentials: true }],
    ] as const;
    for (const [tool, args] of bad) expect((await s.call(tool, args)).isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
    expect(s.emulator.calls()).toEqual({});
  });
});

describe('compensation and lost updates', () => {
  const create404 = { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET', statusCode: '404', selectionPattern: '404', responseParameters: { 'method.response.header.X-Reason': "'missing'" } };

  it('a failure at step 2 rolls step 1 back: every resource as it was, and the result and the record say so', async () => {
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    const start = await method(s.aws, shop, resourceId, 'GET');
    s.emulator.setFaults({ conflict: { operations: ['PutIntegrationResponse'], count: 1 } });
    const r = await s.call('update_integration_response', create404);
    expect(r).toMatchObject({ isError: true, code: 'conflict' });
    expect(r.text).toContain('at step 2 of 2: put Integration response 404 of GET /orders/{id}');
    expect(r.text).toContain('rolled back (put Method response 404 of GET /orders/{id}): everything is as it was');
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
    const last = records().at(-1);
    expect(last).toMatchObject({ phase: 'failed', rollback: { applied: ['put Method response 404 of GET /orders/{id}'], rolledBack: ['put Method response 404 of GET /orders/{id}'], left: [] } });
  });

  it('a failure at step 1 sends nothing more', async () => {
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    const start = await method(s.aws, shop, resourceId, 'GET');
    s.emulator.setFaults({ conflict: { operations: ['PutMethodResponse'], count: 1 } });
    s.emulator.resetCalls();
    const r = await s.call('update_integration_response', create404);
    expect(r.isError).toBe(true);
    expect(writes(s.emulator.calls())).toEqual({ PutMethodResponse: 1 });
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
  });

  it('an inverse that fails too is reported precisely: what is left and the call that fixes it', async () => {
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    s.emulator.setFaults({ conflict: { operations: ['PutIntegrationResponse', 'DeleteMethodResponse'], count: 2 } });
    const r = await s.call('update_integration_response', create404);
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Compensation rolled back 0 of 1 applied step(s) and then failed: put Method response 404 of GET /orders/{id} is still applied; to revert it by hand: delete Method response 404 of GET /orders/{id}');
    const last = records().at(-1);
    expect(last.phase).toBe('partial');
    expect(last.rollback.left).toHaveLength(1);
    const list = await s.call('list_changes', { apiName: 'shop' });
    expect(list.structured.changes[0]).toMatchObject({ changeId: last.changeId, undoable: false });
    // Clean up by hand, as the message says.
    s.emulator.setFaults(undefined);
    await s.call('update_method', { restApiId: shop, resourceId, httpMethod: 'GET', methodResponses: { '404': null } });
  });

  it('a change to the method between preview and apply gives conflict and sends nothing', async () => {
    const { resourceId } = await s.ids('shop', '/orders');
    const args = { restApiId: shop, resourceId, httpMethod: 'GET', uri: 'https://orders-v2.example.com/orders', requestParameters: { 'integration.request.header.X-Tenant': 'method.request.header.X-Tenant' } };
    const first = await s.call('update_integration', args);
    expect(first.structured.status).toBe('confirmation_required');
    // Someone declares a parameter meanwhile: the Method document the plan read has changed.
    await s.aws.send(new UpdateMethodCommand({ restApiId: shop, resourceId, httpMethod: 'GET', patchOperations: [{ op: 'add', path: '/requestParameters/method.request.header.X-Other', value: 'false' }] }));
    s.emulator.resetCalls();
    const retry = await s.call('update_integration', { ...args, confirmation: first.structured.confirmToken });
    expect(retry.isError).toBe(true);
    expect(retry.text).toContain('what it previewed has changed since');
    expect(writes(s.emulator.calls())).toEqual({});
    await s.aws.send(new UpdateMethodCommand({ restApiId: shop, resourceId, httpMethod: 'GET', patchOperations: [{ op: 'remove', path: '/requestParameters/method.request.header.X-Other' }] }));
  });

  it('undo refuses, naming the resource that moved, when a resource is no longer as the change left it', async () => {
    const { resourceId } = await s.ids('shop', '/orders');
    const r = await s.call('update_integration', { restApiId: shop, resourceId, httpMethod: 'GET', requestParameters: { 'integration.request.header.X-Moved': 'method.request.header.X-Moved' } });
    await s.aws.send(new UpdateMethodCommand({ restApiId: shop, resourceId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/requestParameters/method.request.header.X-Moved', value: 'true' }] }));
    s.emulator.resetCalls();
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('conflict');
    expect(undo.structured.message).toContain('The Method GET /orders changed after');
    expect(writes(s.emulator.calls())).toEqual({});
  });
});

describe('batches', () => {
  it('sends a header to every HTTP integration of an API in one call, one read and one write each, undone as one', async () => {
    s.emulator.resetCalls();
    const r = await s.call('update_integrations', { restApiId: 'shop', match: { types: ['HTTP'] }, set: { requestParameters: { 'integration.request.header.X-Request-Id': 'context.requestId' } } });
    expect(r.structured.status).toBe('applied');
    const calls = s.emulator.calls();
    expect(calls.GetResources).toBe(1);
    expect(calls.GetMethod).toBeUndefined();
    expect(calls.UpdateIntegration).toBe(r.structured.targets.length);
    expect(r.structured.targets.length).toBeGreaterThanOrEqual(2);
    for (const path of ['/orders', '/orders/{id}']) {
      const { resourceId } = await s.ids('shop', path);
      expect((await method(s.aws, shop, resourceId, 'GET')).methodIntegration?.requestParameters?.['integration.request.header.X-Request-Id']).toBe('context.requestId');
    }
    // The text summarises; structuredContent has every step.
    expect(r.text).toMatch(/^applied: /);
    expect(r.text).toContain(`targets (${r.structured.targets.length}): `);
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    const { resourceId } = await s.ids('shop', '/orders');
    expect((await method(s.aws, shop, resourceId, 'GET')).methodIntegration?.requestParameters?.['integration.request.header.X-Request-Id']).toBeUndefined();
  });

  it('repoints the integrations of the old host keeping their paths, in one call + one confirmation, skipping what has no such uri', async () => {
    const args = { apiName: 'shop', match: { paths: ['/orders', '/orders/*', '/health', '/payments'] }, uriReplace: { from: 'https://orders.example.com', to: 'https://orders-v2.internal.example.com' } };
    const r = await confirmed('update_integrations', args);
    expect(r.structured.status).toBe('applied');
    expect(r.structured.targets.sort()).toEqual(['DELETE /orders/{id}', 'GET /orders', 'GET /orders/{id}']);
    expect(r.structured.skipped.map((x: any) => x.target).sort()).toEqual(['GET /health', 'POST /payments']);
    expect(r.structured.skipped.find((x: any) => x.target === 'GET /health').reason).toBe('a MOCK integration has no uri');
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    expect((await method(s.aws, shop, resourceId, 'GET')).methodIntegration?.uri).toBe('https://orders-v2.internal.example.com/orders/{id}');
    await confirmed('undo_change', { changeId: r.structured.changeId });
    expect((await method(s.aws, shop, resourceId, 'GET')).methodIntegration?.uri).toBe('https://orders.example.com/orders/{id}');
  });

  it('reports its progress to a client that asked for it, one notification per write', async () => {
    const seen: { progress: number; total?: number }[] = [];
    const r = (await s.client.callTool(
      { name: 'update_integrations', arguments: { apiName: 'shop', match: { types: ['HTTP'] }, timeoutInMillis: 4444 } },
      { onprogress: (p: { progress: number; total?: number }) => void seen.push(p) },
    )) as any;
    expect(r.structuredContent.status).toBe('applied');
    const steps = r.structuredContent.steps.length;
    expect(seen.map((p) => p.progress)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(seen.every((p) => p.total === steps)).toBe(true);
    await s.call('undo_change', { changeId: r.structuredContent.changeId });
  });

  it('takes its fields under set or, as before set, at the top level; one given in both is refused, nothing sent', async () => {
    s.emulator.resetCalls();
    const both = await s.call('update_integrations', { restApiId: 'shop', match: { types: ['HTTP'] }, timeoutInMillis: 4000, set: { timeoutInMillis: 5000, uri: 'https://x.example.com' } });
    expect(both).toMatchObject({ isError: true, code: 'invalid_argument' });
    expect(both.text).toContain('Give timeoutInMillis once, in set.');
    const bad = await s.call('update_integrations', { restApiId: 'shop', match: { types: ['HTTP'] }, set: { timeoutInMillis: 10 } });
    expect(bad).toMatchObject({ isError: true, code: 'invalid_argument' });
    expect(bad.text).toContain('timeoutInMillis');
    expect(s.emulator.calls()).toEqual({});
    const dry = await s.call('update_integrations', { restApiId: 'shop', match: { types: ['HTTP'] }, set: { timeoutInMillis: 4000 }, dryRun: true });
    const top = await s.call('update_integrations', { restApiId: 'shop', match: { types: ['HTTP'] }, timeoutInMillis: 4000, dryRun: true });
    expect(dry.structured.status).toBe('dry_run');
    expect(dry.structured.steps).toEqual(top.structured.steps);
  });

  it('refuses a filter that matches nothing, listing what exists, and sends nothing', async () => {
    s.emulator.resetCalls();
    const r = await s.call('update_integrations', { apiName: 'shop', match: { paths: ['/nothing/*'] }, timeoutInMillis: 5000 });
    expect(r).toMatchObject({ isError: true, code: 'not_found' });
    expect(r.text).toContain('GET /orders (HTTP https://orders.example.com/orders)');
    expect(writes(s.emulator.calls())).toEqual({});
  });

  it('rolls a failing batch back as a whole; with keepGoing it keeps what succeeded and lists exactly what failed', async () => {
    const { resourceId } = await s.ids('shop', '/orders');
    const start = await method(s.aws, shop, resourceId, 'GET');
    const other = await method(s.aws, shop, (await s.ids('shop', '/orders/{id}')).resourceId, 'GET');
    // Each target is an UpdateIntegration then an UpdateIntegrationResponse; the first target's second step fails.
    const args = { apiName: 'shop', match: { types: ['HTTP'] }, timeoutInMillis: 4321, response: { statusCode: '200', contentHandling: 'CONVERT_TO_TEXT' } };
    s.emulator.setFaults({ conflict: { operations: ['UpdateIntegrationResponse'], count: 1 } });
    const all = await s.call('update_integrations', args);
    expect(all).toMatchObject({ isError: true, code: 'conflict' });
    expect(all.text).toContain('rolled back');
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
    expect(await method(s.aws, shop, (await s.ids('shop', '/orders/{id}')).resourceId, 'GET')).toEqual(other);
    s.emulator.setFaults({ conflict: { operations: ['UpdateIntegrationResponse'], count: 1 } });
    const kept = await s.call('update_integrations', { ...args, keepGoing: true });
    expect(kept.structured.status).toBe('applied');
    expect(kept.structured.failed.map((f: any) => f.target)).toEqual(['GET /orders']);
    expect(kept.structured.targets).toEqual(['GET /orders/{id}']);
    expect(kept.text).toContain('failed (1): GET /orders: ');
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(start);
    await s.call('undo_change', { changeId: kept.structured.changeId });
  });
});

describe('CORS in one call', () => {
  it('enables CORS on a resource with mixed proxy and non-proxy methods, then again is no_change, then undo restores it', async () => {
    const { resourceId } = await s.ids('shop', '/orders/{id}');
    const get = await method(s.aws, shop, resourceId, 'GET');
    const r = await s.call('enable_cors', { apiName: 'shop', resourcePath: '/orders/{id}', allowOrigin: 'https://app.example.com' });
    expect(r.structured.status).toBe('applied');
    expect(r.structured.notes.join(' ')).toContain('DELETE /orders/{id} is HTTP_PROXY: its backend must send Access-Control-Allow-Origin itself');
    const options = await method(s.aws, shop, resourceId, 'OPTIONS');
    expect(options.methodIntegration?.type).toBe('MOCK');
    expect(options.methodIntegration?.integrationResponses?.['200']?.responseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
      'method.response.header.Access-Control-Allow-Methods': "'DELETE,GET,OPTIONS'",
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
    });
    const now = await method(s.aws, shop, resourceId, 'GET');
    expect(now.methodResponses?.['200']?.responseParameters).toEqual({ 'method.response.header.Access-Control-Allow-Origin': false });
    expect(now.methodIntegration?.integrationResponses?.['200']?.responseParameters).toEqual({ 'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'" });
    s.emulator.resetCalls();
    const again = await s.call('enable_cors', { apiName: 'shop', resourcePath: '/orders/{id}', allowOrigin: 'https://app.example.com' });
    expect(again.structured.status).toBe('no_change');
    expect(writes(s.emulator.calls())).toEqual({});
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    await expect(method(s.aws, shop, resourceId, 'OPTIONS')).rejects.toThrow(/Invalid Method identifier/);
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(get);
  });

  it('disable removes it again, and is undone as one too', async () => {
    const { resourceId } = await s.ids('shop', '/orders');
    const get = await method(s.aws, shop, resourceId, 'GET');
    await s.call('enable_cors', { apiName: 'shop', resourcePath: '/orders', allowOrigin: '*' });
    const off = await s.call('enable_cors', { apiName: 'shop', resourcePath: '/orders', disable: true });
    expect(off.structured.status).toBe('applied');
    await expect(method(s.aws, shop, resourceId, 'OPTIONS')).rejects.toThrow(/Invalid Method identifier/);
    expect(await method(s.aws, shop, resourceId, 'GET')).toEqual(get);
    await s.call('undo_change', { changeId: off.structured.changeId });
    expect((await method(s.aws, shop, resourceId, 'OPTIONS')).methodIntegration?.type).toBe('MOCK');
    await s.call('enable_cors', { apiName: 'shop', resourcePath: '/orders', disable: true });
  });

  it('refuses a resource whose OPTIONS is a real integration, with the reason, and sends nothing', async () => {
    const { resourceId } = await s.ids('shop', '/payments');
    await s.aws.send(new PutMethodCommand({ restApiId: shop, resourceId, httpMethod: 'OPTIONS', authorizationType: 'NONE' }));
    await s.call('update_integration', { restApiId: shop, resourceId, httpMethod: 'OPTIONS', type: 'HTTP_PROXY', integrationHttpMethod: 'OPTIONS', uri: 'https://payments.example.com/' }).then((first) =>
      s.call('update_integration', { restApiId: shop, resourceId, httpMethod: 'OPTIONS', type: 'HTTP_PROXY', integrationHttpMethod: 'OPTIONS', uri: 'https://payments.example.com/', confirmation: first.structured.confirmToken }),
    );
    s.emulator.resetCalls();
    const r = await s.call('enable_cors', { apiName: 'shop', resourcePath: '/payments', allowOrigin: '*' });
    expect(r).toMatchObject({ isError: true, code: 'conflict' });
    expect(r.text).toContain('OPTIONS /payments is a real HTTP_PROXY integration, not a CORS preflight');
    expect(writes(s.emulator.calls())).toEqual({});
  });
});

describe('cache that caches', () => {
  it('warns, per stage, that cache keys do nothing without a cache cluster, with the fixing call; that call needs a human and is undoable', async () => {
    const r = await s.call('update_integration', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', cacheKeyParameters: { add: ['method.request.querystring.status'] } });
    expect(r.structured.status).toBe('applied');
    expect(r.structured.warnings.join(' ')).toContain('Stage prod has no cache cluster: nothing is cached');
    expect(r.structured.warnings.join(' ')).toContain('Fix: update_stage_cache {');
    const args = { apiName: 'shop', stageName: 'prod', cacheClusterEnabled: true, cacheClusterSize: '0.5', resourcePath: '/orders', httpMethod: 'GET', cachingEnabled: true };
    const first = await s.call('update_stage_cache', args);
    expect(first.structured).toMatchObject({ status: 'confirmation_required', risk: 'confirm' });
    expect(first.structured.riskReasons.join(' ')).toMatch(/billed by the hour/);
    const done = await s.call('update_stage_cache', { ...args, confirmation: first.structured.confirmToken });
    expect(done.structured.status).toBe('applied');
    expect(done.structured.message).toContain('Stage settings apply at once');
    const { GetStageCommand } = await import('@aws-sdk/client-api-gateway');
    const stage = await s.aws.send(new GetStageCommand({ restApiId: shop, stageName: 'prod' }));
    expect(stage.cacheClusterEnabled).toBe(true);
    expect(stage.methodSettings?.['~1orders/GET']?.cachingEnabled).toBe(true);
    const again = await s.call('update_stage_cache', args);
    expect(again.structured.status).toBe('no_change');
    const undo = await s.call('undo_change', { changeId: done.structured.changeId });
    expect(['applied', 'confirmation_required'], JSON.stringify(undo.structured?.diff)).toContain(undo.structured?.status);
    if (undo.structured.status === 'confirmation_required') await s.call('undo_change', { changeId: done.structured.changeId, confirmation: undo.structured.confirmToken });
    expect((await s.aws.send(new GetStageCommand({ restApiId: shop, stageName: 'prod' }))).cacheClusterEnabled).toBe(false);
    await s.call('undo_change', { changeId: r.structured.changeId });
  });
});
