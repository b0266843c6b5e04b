// The emulator driven by the real AWS SDK v3: building an API, AWS's defaults, listing and paging, deployments,
// and the typed errors with AWS's texts.
import {
  BadRequestException,
  ConflictException,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationResponseCommand,
  paginateGetResources,
  paginateGetRestApis,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { failure, useEmulator } from './emulator-fixture.js';

const fx = useEmulator();


/** A new API with /orders GET (method only); returns the ids. */
async function newApi(name = 'orders-api') {
  const api = await fx.c.send(new CreateRestApiCommand({ name }));
  const orders = await fx.c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'orders' }));
  await fx.c.send(new PutMethodCommand({ restApiId: api.id!, resourceId: orders.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  return { restApiId: api.id!, rootId: api.rootResourceId!, resourceId: orders.id!, httpMethod: 'GET' };
}

describe('building an API', () => {
  it('creates a rest API with a 10-character id, a root resource only, and epoch-second dates', async () => {
    const api = await fx.c.send(new CreateRestApiCommand({ name: 'fresh', description: 'a test' }));
    expect(api.$metadata.httpStatusCode).toBe(201);
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api).toMatchObject({ name: 'fresh', description: 'a test', apiKeySource: 'HEADER', disableExecuteApiEndpoint: false });
    expect(api.createdDate).toBeInstanceOf(Date);
    expect(Math.abs(api.createdDate!.getTime() - Date.now())).toBeLessThan(24 * 3600 * 1000);
    const resources = await fx.c.send(new GetResourcesCommand({ restApiId: api.id }));
    expect(resources.items).toEqual([{ id: api.rootResourceId, path: '/' }]);
    expect((await fx.c.send(new GetRestApiCommand({ restApiId: api.id }))).name).toBe('fresh');
  });

  it('creates nested resources with their full path and refuses a duplicate path part', async () => {
    const { restApiId, resourceId } = await newApi();
    const child = await fx.c.send(new CreateResourceCommand({ restApiId, parentId: resourceId, pathPart: '{id}' }));
    expect(child.$metadata.httpStatusCode).toBe(201);
    expect(child).toMatchObject({ parentId: resourceId, pathPart: '{id}', path: '/orders/{id}' });
    expect(child.id).toMatch(/^[a-z0-9]{6,10}$/);
    const dup = await failure(fx.c.send(new CreateResourceCommand({ restApiId, parentId: resourceId, pathPart: '{id}' })));
    expect(dup).toBeInstanceOf(ConflictException);
    expect(dup.message).toBe('Another resource with the same parent already has this name: {id}');
  });

  it('fills in AWS defaults on PutIntegration for an HTTP integration', async () => {
    const t = await newApi();
    const put = await fx.c.send(new PutIntegrationCommand({ ...t, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://orders.example.com/orders' }));
    expect(put.$metadata.httpStatusCode).toBe(201);
    const { $metadata, ...integration } = put;
    expect(integration).toEqual({
      type: 'HTTP',
      httpMethod: 'GET',
      uri: 'https://orders.example.com/orders',
      connectionType: 'INTERNET',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: t.resourceId,
      cacheKeyParameters: [],
    });
  });

  it('drops the uri of a MOCK integration and gives it no connectionType', async () => {
    const t = await newApi();
    const put = await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK', uri: 'https://ignored.example.com', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    expect(put.uri).toBeUndefined();
    expect(put.connectionType).toBeUndefined();
    expect(put.requestTemplates).toEqual({ 'application/json': '{"statusCode": 200}' });
  });

  it('gives an AWS_PROXY Lambda integration no connectionType', async () => {
    const t = await newApi();
    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations';
    const put = await fx.c.send(new PutIntegrationCommand({ ...t, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }));
    expect(put).toMatchObject({ type: 'AWS_PROXY', uri, httpMethod: 'POST', timeoutInMillis: 29000 });
    expect(put.connectionType).toBeUndefined();
  });

  it('returns the Method with its integration, integration responses and method responses', async () => {
    const t = await newApi();
    const mr = await fx.c.send(new PutMethodResponseCommand({ ...t, statusCode: '200', responseParameters: { 'method.response.header.X-Id': false } }));
    expect(mr.$metadata.httpStatusCode).toBe(201);
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://orders.example.com/orders' }));
    const ir = await fx.c.send(
      new PutIntegrationResponseCommand({ ...t, statusCode: '200', selectionPattern: '', responseParameters: { 'method.response.header.X-Id': 'integration.response.header.X-Id' } }),
    );
    expect(ir.$metadata.httpStatusCode).toBe(201);
    expect(ir.selectionPattern).toBe('');

    const method = await fx.c.send(new GetMethodCommand(t));
    expect(method).toMatchObject({ httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false });
    expect(method.methodResponses).toEqual({ '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Id': false } } });
    expect(method.methodIntegration?.integrationResponses?.['200']).toMatchObject({ statusCode: '200', selectionPattern: '' });
    expect((await fx.c.send(new GetIntegrationCommand(t))).integrationResponses).toHaveProperty('200');
    expect((await fx.c.send(new GetMethodResponseCommand({ ...t, statusCode: '200' }))).statusCode).toBe('200');
    expect((await fx.c.send(new GetIntegrationResponseCommand({ ...t, statusCode: '200' }))).responseParameters).toEqual({
      'method.response.header.X-Id': 'integration.response.header.X-Id',
    });
  });

  it('answers 409 to a second integration response with the same selection pattern (no pattern: the default)', async () => {
    const t = await newApi('patterns');
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200' }));
    const e = await failure(fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '400' })));
    expect(e.name).toBe('ConflictException');
    expect(e.$metadata.httpStatusCode).toBe(409);
    expect(e.message).toBe('Integration response with selection pattern default already exists');
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '400', selectionPattern: '4\\d{2}' }));
    // Put again on the same status code overwrites it: no conflict with itself.
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200' }));
  });

  it('refuses to map a header through UpdateIntegrationResponse when the method has no method response for the code, as Put does', async () => {
    const t = await newApi('no-method-response');
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200' }));
    const e = await failure(
      fx.c.send(new UpdateIntegrationResponseCommand({ ...t, statusCode: '200', patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.X-Id', value: "'x'" }] })),
    );
    expect(e.name).toBe('BadRequestException');
    expect(e.message).toBe('Invalid mapping expression specified: Validation Result: warnings : [], errors : [No method response exists for method.]');
  });

  it('stores an empty template as null, as AWS returns it', async () => {
    const t = await newApi('empty-templates');
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK', requestTemplates: { 'application/json': '' } }));
    await fx.c.send(new PutMethodResponseCommand({ ...t, statusCode: '200' }));
    const r = await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200', responseTemplates: { 'application/json': '' } }));
    expect(r.responseTemplates).toEqual({ 'application/json': null });
    expect((await fx.c.send(new GetIntegrationCommand(t))).requestTemplates).toEqual({ 'application/json': null });
  });

  it('deletes an integration response and then the integration with 204', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200' }));
    const delIr = await fx.c.send(new DeleteIntegrationResponseCommand({ ...t, statusCode: '200' }));
    expect(delIr.$metadata.httpStatusCode).toBe(204);
    expect((await fx.c.send(new GetIntegrationCommand(t))).integrationResponses).toBeUndefined();
    const del = await fx.c.send(new DeleteIntegrationCommand(t));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect((await fx.c.send(new GetMethodCommand(t))).methodIntegration).toBeUndefined();
  });

  it('replaces the integration and drops its integration responses when PutIntegration runs again', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200' }));
    const again = await fx.c.send(new PutIntegrationCommand({ ...t, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://b.example.com' }));
    expect(again.$metadata.httpStatusCode).toBe(201);
    const got = await fx.c.send(new GetIntegrationCommand(t));
    expect(got).toMatchObject({ type: 'HTTP', uri: 'https://b.example.com' });
    expect(got.integrationResponses).toBeUndefined();
  });
});

describe('PutIntegration validation (texts recorded from AWS)', () => {
  const lambdaArn = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations';
  const cases: [string, Partial<PutIntegrationCommandInput>, string][] = [
    ['an HTTP integration without httpMethod', { type: 'HTTP', uri: 'https://a.example.com' }, 'Enumeration value for HttpMethod must be non-empty'],
    ['an AWS integration without httpMethod', { type: 'AWS', uri: lambdaArn }, 'Enumeration value for HttpMethod must be non-empty'],
    ['an HTTP uri that is not a URL', { type: 'HTTP', integrationHttpMethod: 'GET', uri: 'not a url' }, 'Invalid HTTP endpoint specified for URI'],
    ['an AWS uri that is not an ARN', { type: 'AWS', integrationHttpMethod: 'POST', uri: 'https://a.example.com' }, 'Invalid ARN specified in the request'],
    ['an AWS ARN without path or action', { type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:s3:bucket' }, 'AWS ARN for integration must contain path or action'],
    [
      'an AWS_PROXY integration to S3',
      { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k' },
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    ],
    ['a timeout of 10 ms', { type: 'MOCK', timeoutInMillis: 10 }, 'Timeout should be between 50 ms and 29000 ms'],
    [
      'a mapping from an undeclared method parameter',
      { type: 'MOCK', requestParameters: { 'integration.request.header.X-A': 'method.request.header.X-A' } },
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.request.header.X-A]',
    ],
  ];
  it.each(cases)('rejects %s with BadRequestException', async (_name, input, message) => {
    const t = await newApi();
    const err = await failure(fx.c.send(new PutIntegrationCommand({ ...t, ...input } as PutIntegrationCommandInput)));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(message);
  });

  it('rejects an unknown integration type with a ValidationException', async () => {
    const t = await newApi();
    const err = await failure(fx.c.send(new PutIntegrationCommand({ ...t, type: 'HTTPS_PROXY' as never })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
    );
  });

  // Recorded from AWS (LocalStack test_lifecycle_integration_response, apigw-spec.md §3.8): a method with no method
  // responses at all took PutIntegrationResponse 200 with 201. The tools refuse it (it maps to nothing); AWS does not.
  it('accepts an integration response without a method response when it maps no headers, as AWS does', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    const r = await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } }));
    expect(r.$metadata.httpStatusCode).toBe(201);
    expect((await fx.c.send(new GetMethodCommand(t))).methodResponses).toBeUndefined();
  });

  it('rejects integration response headers without a method response for that status', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    const err = await failure(fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200', responseParameters: { 'method.response.header.X': "'x'" } })));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toBe('Invalid mapping expression specified: Validation Result: warnings : [], errors : [No method response exists for method.]');
  });
});

describe('not-found errors (texts recorded from AWS)', () => {
  it('names the account and id for an unknown rest API', async () => {
    const err = await failure(fx.c.send(new GetRestApiCommand({ restApiId: 'nope123456' })));
    expect(err).toBeInstanceOf(NotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.message).toBe('Invalid API identifier specified 123456789012:nope123456');
  });

  it('reports an unknown API or resource on integration calls as an invalid resource', async () => {
    const t = await newApi();
    for (const input of [{ ...t, restApiId: 'nope123456' }, { ...t, resourceId: 'nope12' }]) {
      const err = await failure(fx.c.send(new GetIntegrationCommand(input)));
      expect(err).toBeInstanceOf(NotFoundException);
      expect(err.message).toBe('Invalid Resource identifier specified');
    }
  });

  it('tells a missing method from a missing integration and a missing response', async () => {
    const t = await newApi();
    expect((await failure(fx.c.send(new GetIntegrationCommand({ ...t, httpMethod: 'POST' })))).message).toBe('Invalid Method identifier specified');
    expect((await failure(fx.c.send(new GetIntegrationCommand(t)))).message).toBe('Invalid Integration identifier specified');
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    const err = await failure(fx.c.send(new GetIntegrationResponseCommand({ ...t, statusCode: '404' })));
    expect(err).toBeInstanceOf(NotFoundException);
    expect(err.message).toBe('Invalid Response status code specified');
  });

  it('rejects a status code outside [1-5]\\d\\d with a ValidationException', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    const err = await failure(fx.c.send(new GetIntegrationResponseCommand({ ...t, statusCode: 'wrong' })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
    );
  });
});

describe('listing', () => {
  it('lists methods as empty objects without embed and as full methods with embed=methods', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    const plain = await fx.c.send(new GetResourcesCommand({ restApiId: t.restApiId }));
    const root = plain.items!.find((r) => r.path === '/')!;
    expect(root.resourceMethods).toBeUndefined();
    expect(plain.items!.find((r) => r.path === '/orders')!.resourceMethods).toEqual({ GET: {} });
    const embedded = await fx.c.send(new GetResourcesCommand({ restApiId: t.restApiId, embed: ['methods'] }));
    const get = embedded.items!.find((r) => r.path === '/orders')!.resourceMethods!.GET;
    expect(get).toMatchObject({ httpMethod: 'GET', methodIntegration: { type: 'MOCK' } });
    const one = await fx.c.send(new GetResourceCommand({ restApiId: t.restApiId, resourceId: t.resourceId, embed: ['methods'] }));
    expect(one.resourceMethods?.GET?.methodIntegration?.type).toBe('MOCK');
  });

  it('pages resources through the SDK paginator with a small page size', async () => {
    const { restApiId, rootId } = await newApi('paged');
    for (let i = 0; i < 6; i++) await fx.c.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: `p${i}` }));
    fx.emu.resetCalls();
    const pages = [];
    for await (const p of paginateGetResources({ client: fx.c, pageSize: 3 }, { restApiId })) pages.push(p.items ?? []);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    const paths = pages.flat().map((r) => r.path);
    expect(new Set(paths).size).toBe(8);
    expect(paths).toContain('/p5');
    expect(fx.emu.calls()).toEqual({ GetResources: 3 });
  });

  it('pages rest APIs with an opaque position token', async () => {
    const first = await fx.c.send(new GetRestApisCommand({ limit: 1 }));
    expect(first.items).toHaveLength(1);
    expect(first.position).toEqual(expect.any(String));
    const all = [];
    for await (const p of paginateGetRestApis({ client: fx.c, pageSize: 2 }, {})) all.push(...(p.items ?? []));
    expect(all.length).toBeGreaterThan(1);
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
  });
});

describe('deployments', () => {
  it('refuses to deploy an API without methods or with a method lacking an integration', async () => {
    const empty = await fx.c.send(new CreateRestApiCommand({ name: 'empty' }));
    const none = await failure(fx.c.send(new CreateDeploymentCommand({ restApiId: empty.id, stageName: 'dev' })));
    expect(none).toBeInstanceOf(BadRequestException);
    expect(none.message).toBe("The REST API doesn't contain any methods");
    const t = await newApi();
    const bare = await failure(fx.c.send(new CreateDeploymentCommand({ restApiId: t.restApiId, stageName: 'dev' })));
    expect(bare.message).toBe('No integration defined for method');
  });

  it('creates a deployment and its stage, then moves the stage on redeploy', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    const d1 = await fx.c.send(new CreateDeploymentCommand({ restApiId: t.restApiId, stageName: 'dev', description: 'first' }));
    expect(d1.$metadata.httpStatusCode).toBe(201);
    expect(d1.id).toMatch(/^[a-z0-9]{6,10}$/);
    expect(d1.createdDate).toBeInstanceOf(Date);
    const stages = await fx.c.send(new GetStagesCommand({ restApiId: t.restApiId }));
    expect(stages.item).toHaveLength(1);
    expect(stages.item![0]).toMatchObject({
      stageName: 'dev',
      deploymentId: d1.id,
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: {},
      tracingEnabled: false,
    });
    const d2 = await fx.c.send(new CreateDeploymentCommand({ restApiId: t.restApiId, stageName: 'dev' }));
    expect((await fx.c.send(new GetStagesCommand({ restApiId: t.restApiId }))).item!.map((s) => s.deploymentId)).toEqual([d2.id]);
    const deployments = await fx.c.send(new GetDeploymentsCommand({ restApiId: t.restApiId }));
    expect(deployments.items!.map((d) => d.id)).toEqual([d1.id, d2.id]);
    expect(deployments.items![0]).toMatchObject({ description: 'first', apiSummary: { '/orders': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } } });
  });
});
