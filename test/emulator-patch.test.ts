// UpdateIntegration / UpdateIntegrationResponse / UpdateMethod through the real AWS SDK: the emulator validates and
// applies patches with the project's rules table and answers with AWS's error types and texts.
import {
  BadRequestException,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetIntegrationCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { failure, useEmulator } from './emulator-fixture.js';

const fx = useEmulator();


type Target = { restApiId: string; resourceId: string; httpMethod: string };

/** /orders/{id} GET with an integration of the given type; the method declares method.request.path.id. */
async function withIntegration(integration: Record<string, unknown>): Promise<Target> {
  const api = await fx.c.send(new CreateRestApiCommand({ name: 'patch-test' }));
  const orders = await fx.c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'orders' }));
  const order = await fx.c.send(new CreateResourceCommand({ restApiId: api.id, parentId: orders.id, pathPart: '{id}' }));
  const t = { restApiId: api.id!, resourceId: order.id!, httpMethod: 'GET' };
  await fx.c.send(new PutMethodCommand({ ...t, authorizationType: 'NONE', requestParameters: { 'method.request.path.id': true } }));
  await fx.c.send(new PutIntegrationCommand({ ...t, ...integration } as never));
  return t;
}

const http = () => withIntegration({ type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://orders.example.com/orders/{id}' });
const lambda = () =>
  withIntegration({
    type: 'AWS_PROXY',
    integrationHttpMethod: 'POST',
    uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations',
  });
const update = (t: Target, patchOperations: PatchOperation[]) => fx.c.send(new UpdateIntegrationCommand({ ...t, patchOperations }));

describe('UpdateIntegration', () => {
  it('changes the timeout, a request template and the TLS flag of an HTTP integration in one call', async () => {
    const t = await http();
    const out = await update(t, [
      { op: 'replace', path: '/timeoutInMillis', value: '12000' },
      { op: 'add', path: '/requestTemplates/application~1json', value: '{"id": "$input.params(\'id\')"}' },
      { op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' },
    ]);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.timeoutInMillis).toBe(12000);
    expect(out.requestTemplates).toEqual({ 'application/json': '{"id": "$input.params(\'id\')"}' });
    expect(out.tlsConfig).toEqual({ insecureSkipVerification: true });
    const stored = await fx.c.send(new GetIntegrationCommand(t));
    expect(stored).toMatchObject({ timeoutInMillis: 12000, tlsConfig: { insecureSkipVerification: true } });
  });

  it('maps a declared method parameter and removes the mapping again', async () => {
    const t = await http();
    const added = await update(t, [{ op: 'add', path: '/requestParameters/integration.request.path.id', value: 'method.request.path.id' }]);
    expect(added.requestParameters).toEqual({ 'integration.request.path.id': 'method.request.path.id' });
    const removed = await update(t, [{ op: 'remove', path: '/requestParameters/integration.request.path.id' }]);
    expect(removed.requestParameters).toBeUndefined();
  });

  const rejections: [string, () => Promise<Target>, PatchOperation[], string][] = [
    ['an unknown path', http, [{ op: 'replace', path: '/nope', value: 'x' }], 'Invalid patch path /nope'],
    ['a move op', http, [{ op: 'move', path: '/timeoutInMillis', from: '/cacheNamespace' }], 'Invalid patch operation specified. Must be one of: [replace]'],
    ['a timeout of 10 ms', http, [{ op: 'replace', path: '/timeoutInMillis', value: '10' }], 'Timeout should be between 50 ms and 29000 ms'],
    ['a timeout of 30000 ms without a raised quota', http, [{ op: 'replace', path: '/timeoutInMillis', value: '30000' }], 'Timeout should be between 50 ms and 29000 ms'],
    ['the TLS flag on a Lambda proxy', lambda, [{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' }], 'Invalid patch path /tlsConfig/insecureSkipVerification'],
    ['a uri that is not a URL', http, [{ op: 'replace', path: '/uri', value: 'orders' }], 'Invalid HTTP endpoint specified for URI'],
    [
      'a mapping from an undeclared method parameter',
      http,
      [{ op: 'add', path: '/requestParameters/integration.request.header.X-A', value: 'method.request.header.X-A' }],
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.request.header.X-A]',
    ],
  ];
  it.each(rejections)('rejects %s with BadRequestException and AWS text', async (_name, make, ops, message) => {
    const t = await make();
    const before = await fx.c.send(new GetIntegrationCommand(t));
    const err = await failure(update(t, ops));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(message);
    const after = await fx.c.send(new GetIntegrationCommand(t));
    expect({ ...after, $metadata: undefined }).toEqual({ ...before, $metadata: undefined });
  });

  it('rejects an op outside the enum with a ValidationException naming its 1-based position', async () => {
    const t = await http();
    const err = await failure(
      update(t, [
        { op: 'replace', path: '/timeoutInMillis', value: '1000' },
        { op: 'wrong_op' as never, path: '/timeoutInMillis', value: '1000' },
      ]),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      "1 validation error detected: Value 'wrong_op' at 'updateIntegrationInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
  });

  it('changes nothing when a later op in the same call fails', async () => {
    const t = await http();
    const err = await failure(
      update(t, [
        { op: 'replace', path: '/timeoutInMillis', value: '5000' },
        { op: 'replace', path: '/nope', value: 'x' },
      ]),
    );
    expect(err).toBeInstanceOf(BadRequestException);
    expect((await fx.c.send(new GetIntegrationCommand(t))).timeoutInMillis).toBe(29000);
  });

  it('answers 404 NotFoundException when removing a template that is not there', async () => {
    const t = await http();
    const err = await failure(update(t, [{ op: 'remove', path: '/requestTemplates/application~1xml' }]));
    expect(err).toBeInstanceOf(NotFoundException);
    expect(err.message).toBe('Invalid parameter name specified');
  });

  it('answers 404 for a method without an integration', async () => {
    const api = await fx.c.send(new CreateRestApiCommand({ name: 'no-integration' }));
    await fx.c.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    const err = await failure(update({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' }, [{ op: 'replace', path: '/timeoutInMillis', value: '1000' }]));
    expect(err).toBeInstanceOf(NotFoundException);
    expect(err.message).toBe('Invalid Integration identifier specified');
  });
});

describe('UpdateIntegrationResponse', () => {
  async function withResponse() {
    const t = await http();
    await fx.c.send(new PutMethodResponseCommand({ ...t, statusCode: '200', responseParameters: { 'method.response.header.X-Id': false } }));
    await fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200', selectionPattern: '' }));
    return t;
  }

  it('changes the selection pattern, a declared header mapping and a response template', async () => {
    const t = await withResponse();
    const out = await fx.c.send(
      new UpdateIntegrationResponseCommand({
        ...t,
        statusCode: '200',
        patchOperations: [
          { op: 'replace', path: '/selectionPattern', value: '2\\d{2}' },
          { op: 'add', path: '/responseParameters/method.response.header.X-Id', value: 'integration.response.header.X-Id' },
          { op: 'add', path: '/responseTemplates/application~1json', value: '$input.json(\'$\')' },
        ],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out).toMatchObject({
      statusCode: '200',
      selectionPattern: '2\\d{2}',
      responseParameters: { 'method.response.header.X-Id': 'integration.response.header.X-Id' },
      responseTemplates: { 'application/json': "$input.json('$')" },
    });
    expect((await fx.c.send(new GetIntegrationCommand(t))).integrationResponses?.['200']?.selectionPattern).toBe('2\\d{2}');
  });

  it('rejects a header the method response does not declare', async () => {
    const t = await withResponse();
    const err = await failure(
      fx.c.send(
        new UpdateIntegrationResponseCommand({
          ...t,
          statusCode: '200',
          patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.Location', value: "'x'" }],
        }),
      ),
    );
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toBe(
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.response.header.Location]',
    );
  });

  it('uses updateIntegrationResponseInput in the op enum error and 404s an unknown status code', async () => {
    const t = await withResponse();
    const bad = await failure(fx.c.send(new UpdateIntegrationResponseCommand({ ...t, statusCode: '200', patchOperations: [{ op: 'nope' as never, path: '/selectionPattern' }] })));
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toContain("at 'updateIntegrationResponseInput.patchOperations.1.member.op'");
    const missing = await failure(fx.c.send(new UpdateIntegrationResponseCommand({ ...t, statusCode: '404', patchOperations: [] })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing.message).toBe('Invalid Response status code specified');
  });
});

describe('UpdateMethod', () => {
  it('declares a method request parameter that an integration can then map', async () => {
    const t = await http();
    const method = await fx.c.send(new UpdateMethodCommand({ ...t, patchOperations: [{ op: 'add', path: '/requestParameters/method.request.header.X-Trace', value: 'false' }] }));
    expect(method.requestParameters).toEqual({ 'method.request.path.id': true, 'method.request.header.X-Trace': false });
    const out = await update(t, [{ op: 'add', path: '/requestParameters/integration.request.header.X-Trace', value: 'method.request.header.X-Trace' }]);
    expect(out.requestParameters).toEqual({ 'integration.request.header.X-Trace': 'method.request.header.X-Trace' });
  });

  it('answers AWS texts for an unknown path and a wrong op', async () => {
    const t = await http();
    const path = await failure(fx.c.send(new UpdateMethodCommand({ ...t, patchOperations: [{ op: 'replace', path: '/httpMethod', value: 'POST' }] })));
    expect(path).toBeInstanceOf(BadRequestException);
    expect(path.message).toBe('Invalid patch path /httpMethod');
    const op = await failure(fx.c.send(new UpdateMethodCommand({ ...t, patchOperations: [{ op: 'add', path: '/operationName', value: 'x' }] })));
    expect(op.message).toBe('Invalid patch operation specified. Must be one of: [replace]');
  });
});
