// The export normaliser against the shapes AWS documents for an exported API (x-amazon-apigateway-integration and
// its responses object, OpenAPI 3.0 and Swagger 2.0 parameters and responses), and the per-method diff with its
// attribution to this server's changes.
import { describe, expect, it } from 'vitest';
import { attribute, diffDefinitions, touchesOf } from '../src/stage/diff.js';
import { exportedMethods, workingMethods } from '../src/stage/shape.js';
import type { AuditRecord } from '../src/safety/audit.js';

// The documented example of the integration object (an AWS-type Lambda integration with templates, parameter
// mappings and responses keyed by selection pattern), inside an OpenAPI 3.0 operation.
const LAMBDA_ARN = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:012345678901:function:HelloWorld/invocations';
const documented = {
  type: 'aws',
  uri: LAMBDA_ARN,
  httpMethod: 'POST',
  credentials: 'arn:aws:iam::012345678901:role/apigateway-invoke-lambda-exec-role',
  requestTemplates: { 'application/json': '{"stage": "$root.name"}', 'application/xml': '<stage>$root.name</stage>' },
  requestParameters: { 'integration.request.path.stage': 'method.request.querystring.version', 'integration.request.querystring.provider': 'method.request.querystring.vendor' },
  cacheNamespace: 'cache namespace',
  cacheKeyParameters: [],
  passthroughBehavior: 'when_no_templates',
  responses: {
    '2\\d{2}': { statusCode: '200', responseTemplates: { 'application/json': '{"stage": "$root.name"}' } },
    '302': { statusCode: '302', responseParameters: { 'method.response.header.Location': 'integration.response.body.redirect.url' } },
    default: { statusCode: '400' },
  },
};

const oas30 = {
  openapi: '3.0.1',
  paths: {
    '/greeting': {
      get: {
        parameters: [
          { name: 'version', in: 'query', schema: { type: 'string' } },
          { name: 'vendor', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: '200 response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } } },
          '302': { description: '302 response', headers: { Location: { schema: { type: 'string' } } } },
        },
        'x-amazon-apigateway-integration': documented,
      },
    },
  },
};

const working = [
  {
    id: 'r1',
    path: '/greeting',
    resourceMethods: {
      GET: {
        httpMethod: 'GET',
        requestParameters: { 'method.request.querystring.version': false, 'method.request.querystring.vendor': true },
        methodResponses: { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } }, '302': { statusCode: '302', responseParameters: { 'method.response.header.Location': false } } },
        methodIntegration: {
          type: 'AWS',
          uri: LAMBDA_ARN,
          httpMethod: 'POST',
          credentials: documented.credentials,
          requestTemplates: documented.requestTemplates,
          requestParameters: documented.requestParameters,
          cacheNamespace: 'cache namespace',
          cacheKeyParameters: [],
          passthroughBehavior: 'WHEN_NO_TEMPLATES',
          integrationResponses: {
            '200': { statusCode: '200', selectionPattern: '2\\d{2}', responseTemplates: { 'application/json': '{"stage": "$root.name"}' } },
            '302': { statusCode: '302', selectionPattern: '302', responseParameters: { 'method.response.header.Location': 'integration.response.body.redirect.url' } },
            '400': { statusCode: '400', selectionPattern: '' },
          },
        },
      },
    },
  },
];

describe('the export normaliser', () => {
  it('reads the documented integration object into the Integration shape: upper-case types, responses by status code', () => {
    const m = exportedMethods(oas30).get('GET /greeting')!;
    expect(m.integration).toMatchObject({ type: 'AWS', passthroughBehavior: 'WHEN_NO_TEMPLATES', httpMethod: 'POST', uri: LAMBDA_ARN, cacheNamespace: 'cache namespace' });
    expect(m.integration!.cacheKeyParameters).toBeUndefined();
    expect(m.integrationResponses).toEqual({
      '200': { selectionPattern: '2\\d{2}', responseTemplates: { 'application/json': '{"stage": "$root.name"}' } },
      '302': { selectionPattern: '302', responseParameters: { 'method.response.header.Location': 'integration.response.body.redirect.url' } },
      // "default" is the empty selection pattern.
      '400': {},
    });
    expect(m.requestParameters).toEqual({ 'method.request.querystring.version': false, 'method.request.querystring.vendor': true });
    expect(m.methodResponses).toEqual({ '200': { models: { 'application/json': 'Empty' } }, '302': { headers: ['Location'] } });
  });

  it('finds no difference between that export and the same method as GetResources embed=methods returns it', () => {
    const live = exportedMethods(oas30);
    const work = workingMethods(working);
    expect(diffDefinitions(live, work)).toEqual([]);
  });

  it('reads Swagger 2.0 parameters, schemas (by produces) and the any-method key', () => {
    const swagger = {
      swagger: '2.0',
      paths: {
        '/items/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
          'x-amazon-apigateway-any-method': {
            produces: ['application/xml'],
            parameters: [{ name: 'X-Trace', in: 'header', type: 'string' }],
            responses: { '200': { description: '200 response', schema: { $ref: '#/definitions/Item' }, headers: { 'X-Trace': { type: 'string' } } } },
            'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri: 'https://example.com/{id}', tlsConfig: { insecureSkipVerification: true }, passthroughBehavior: 'when_no_match' },
          },
        },
      },
    };
    const m = exportedMethods(swagger).get('ANY /items/{id}')!;
    expect(m.requestParameters).toEqual({ 'method.request.path.id': true, 'method.request.header.X-Trace': false });
    expect(m.methodResponses['200']).toEqual({ headers: ['X-Trace'], models: { 'application/xml': 'Item' } });
    expect(m.integration).toMatchObject({ type: 'HTTP_PROXY', tlsConfig: { insecureSkipVerification: true } });
  });

  it('fills in what API Gateway defaults, so a setting an export leaves out equals its default stated elsewhere', () => {
    const live = exportedMethods({ paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'GET', uri: 'https://a.example.com' } } } } });
    const work = workingMethods([
      { id: 'res1', path: '/a', resourceMethods: { GET: { methodIntegration: { type: 'HTTP', httpMethod: 'GET', uri: 'https://a.example.com', connectionType: 'INTERNET', passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, cacheNamespace: 'res1', cacheKeyParameters: [] } } } },
    ]);
    expect(diffDefinitions(live, work)).toEqual([]);
  });

  it('treats notations of the same setting alike: null and "" templates, absent and false TLS verification', () => {
    const live = exportedMethods({ paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '' }, tlsConfig: {} } } } } });
    const work = workingMethods([{ id: 'a', path: '/a', resourceMethods: { GET: { methodIntegration: { type: 'MOCK', requestTemplates: { 'application/json': null }, tlsConfig: { insecureSkipVerification: false } } } } }]);
    expect(diffDefinitions(live, work)).toEqual([]);
  });
});

describe('the stage diff', () => {
  const base = workingMethods(working);
  const changed = structuredClone(working);
  (changed[0].resourceMethods.GET.methodIntegration as any).timeoutInMillis = 5000;
  (changed[0].resourceMethods.GET.methodIntegration as any).uri = 'https://other.example.com';
  delete (changed[0].resourceMethods.GET.methodIntegration.integrationResponses as any)['302'];
  const work = workingMethods(changed);
  const record = (changeId: string, after: object, extra: Partial<AuditRecord> = {}): AuditRecord => ({
    changeId,
    time: new Date().toISOString(),
    kind: 'integration',
    backend: 'b',
    target: { restApiId: 'api', resourceId: 'r1', httpMethod: 'GET' },
    ops: [],
    risk: 'safe',
    confirmation: { via: 'not_needed' },
    before: working[0].resourceMethods.GET.methodIntegration,
    after,
    ...extra,
  });

  it('lists each setting that differs with its live and working value', () => {
    const raw = diffDefinitions(base, work);
    expect(raw).toEqual([
      { method: 'GET /greeting', part: 'integration', setting: '/timeoutInMillis', change: 'changed', live: 29000, working: 5000 },
      { method: 'GET /greeting', part: 'integration', setting: '/uri', change: 'changed', live: LAMBDA_ARN, working: 'https://other.example.com' },
      expect.objectContaining({ method: 'GET /greeting', part: 'integrationResponse', key: '302', change: 'removed' }),
    ]);
  });

  it("marks a difference with the change that left it so, and the others as made elsewhere", () => {
    const mine = record('chg_mine', { ...working[0].resourceMethods.GET.methodIntegration, timeoutInMillis: 5000 });
    const other = record('chg_other', { ...working[0].resourceMethods.GET.methodIntegration, timeoutInMillis: 5000 }, { backend: 'another backend' });
    const out = attribute(diffDefinitions(base, work), work, touchesOf([mine, other], 'api', 'b'));
    expect(out.map((d) => [d.setting ?? d.key, d.madeBy, d.changeId])).toEqual([
      ['/timeoutInMillis', 'this server', 'chg_mine'],
      ['/uri', 'elsewhere', undefined],
      ['302', 'elsewhere', undefined],
    ]);
  });

  it('does not credit an undone change, nor one whose value was changed again elsewhere', () => {
    const undone = record('chg_a', { ...working[0].resourceMethods.GET.methodIntegration, timeoutInMillis: 5000 });
    const undo = record('chg_b', working[0].resourceMethods.GET.methodIntegration, { undoes: 'chg_a' });
    const stale = record('chg_c', { ...working[0].resourceMethods.GET.methodIntegration, uri: 'https://mine.example.com' });
    const out = attribute(diffDefinitions(base, work), work, touchesOf([undone, undo, stale], 'api', 'b'));
    expect(out.every((d) => d.madeBy === 'elsewhere')).toBe(true);
  });

  it('bounds a large value to its hash, size and head', () => {
    const big = structuredClone(working);
    (big[0].resourceMethods.GET.methodIntegration.requestTemplates as any)['application/json'] = 'x'.repeat(10_000);
    const out = attribute(diffDefinitions(base, workingMethods(big)), workingMethods(big), []);
    expect(out[0].working).toMatchObject({ bytes: 10_000, head: 'x'.repeat(160) });
  });
});
