// Intent -> ops, one case per patchable row of the rules table: the op chosen by whether a key exists, nothing for
// a value that is already so, keys escaped as JSON Pointer segments.
import { describe, expect, it } from 'vitest';
import { findingsFor } from '../src/intent/findings.js';
import { integrationFieldNames, integrationOps, integrationResponseFieldNames, integrationResponseOps, type IntegrationIntent } from '../src/intent/intents.js';
import { RULES } from '../src/patch/rules.js';
import { checkPatch, describeProblems, matchRule } from '../src/patch/validate.js';

const current = {
  type: 'HTTP_PROXY',
  httpMethod: 'GET',
  uri: 'https://a.example.com/x',
  timeoutInMillis: 29000,
  passthroughBehavior: 'WHEN_NO_MATCH',
  cacheNamespace: 'abc',
  cacheKeyParameters: ['method.request.path.id'],
  connectionType: 'INTERNET',
  requestParameters: { 'integration.request.header.X-Id': 'method.request.path.id' },
  requestTemplates: { 'application/json': '{}' },
  responseTransferMode: 'BUFFERED',
};

const cases: [string, IntegrationIntent, { op: string; path: string; value?: string }[]][] = [
  ['timeoutInMillis', { timeoutInMillis: 10000 }, [{ op: 'replace', path: '/timeoutInMillis', value: '10000' }]],
  ['uri', { uri: 'https://b.example.com/x' }, [{ op: 'replace', path: '/uri', value: 'https://b.example.com/x' }]],
  ['integrationHttpMethod', { integrationHttpMethod: 'POST' }, [{ op: 'replace', path: '/httpMethod', value: 'POST' }]],
  ['credentials', { credentials: 'arn:aws:iam::123456789012:role/r' }, [{ op: 'replace', path: '/credentials', value: 'arn:aws:iam::123456789012:role/r' }]],
  ['passthroughBehavior', { passthroughBehavior: 'NEVER' }, [{ op: 'replace', path: '/passthroughBehavior', value: 'NEVER' }]],
  ['contentHandling', { contentHandling: 'CONVERT_TO_TEXT' }, [{ op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_TEXT' }]],
  ['cacheNamespace', { cacheNamespace: 'ns2' }, [{ op: 'replace', path: '/cacheNamespace', value: 'ns2' }]],
  [
    'cacheKeyParameters add and remove',
    { cacheKeyParameters: { add: ['method.request.header.X-Tenant'], remove: ['method.request.path.id'] } },
    [
      { op: 'add', path: '/cacheKeyParameters/method.request.header.X-Tenant' },
      { op: 'remove', path: '/cacheKeyParameters/method.request.path.id' },
    ],
  ],
  [
    'requestParameters: add a new key with dots, replace, remove',
    { requestParameters: { 'integration.request.querystring.page': "'1'", 'integration.request.header.X-Id': 'context.requestId' } },
    [
      { op: 'add', path: '/requestParameters/integration.request.querystring.page', value: "'1'" },
      { op: 'replace', path: '/requestParameters/integration.request.header.X-Id', value: 'context.requestId' },
    ],
  ],
  ['requestParameters: null removes', { requestParameters: { 'integration.request.header.X-Id': null } }, [{ op: 'remove', path: '/requestParameters/integration.request.header.X-Id' }]],
  [
    'requestTemplates: escaped content types',
    { requestTemplates: { 'application/vnd.api+json': '{"a":1}', 'application/json': null } },
    [
      { op: 'add', path: '/requestTemplates/application~1vnd.api+json', value: '{"a":1}' },
      { op: 'remove', path: '/requestTemplates/application~1json' },
    ],
  ],
  [
    'connection VPC_LINK with its id',
    { connection: { type: 'VPC_LINK', id: 'vl123' } },
    [
      { op: 'replace', path: '/connectionType', value: 'VPC_LINK' },
      { op: 'replace', path: '/connectionId', value: 'vl123' },
    ],
  ],
  ['tlsInsecureSkipVerification', { tlsInsecureSkipVerification: true }, [{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' }]],
  [
    'responseTransferMode before a longer timeout',
    { timeoutInMillis: 600000, responseTransferMode: 'STREAM' },
    [
      { op: 'replace', path: '/responseTransferMode', value: 'STREAM' },
      { op: 'replace', path: '/timeoutInMillis', value: '600000' },
    ],
  ],
];

describe('integration intents', () => {
  it.each(cases)('%s', (_name, intent, ops) => {
    expect(integrationOps(intent, current)).toEqual(ops);
    // Every case is valid as API Gateway would check it.
    expect(checkPatch('integration', ops, { maxTimeoutMs: 29000, method: { requestParameters: { 'method.request.path.id': true, 'method.request.header.X-Tenant': false } } }, current).problems).toEqual([]);
  });

  it('covers every integration row of the rules table that an intent can reach', () => {
    const reached = new Set(cases.flatMap(([, , ops]) => ops.map((o) => matchRule('integration', o.path)!.rule.path)));
    const rows = RULES.filter((r) => r.resource === 'integration' && r.path !== '/integrationTarget').map((r) => r.path);
    expect([...reached].sort()).toEqual(rows.sort());
  });

  it('sends nothing for values that are already so, and nothing to remove a key that is not there', () => {
    expect(
      integrationOps({ timeoutInMillis: 29000, tlsInsecureSkipVerification: false, passthroughBehavior: 'WHEN_NO_MATCH', requestTemplates: { 'application/json': '{}', 'text/xml': null }, cacheKeyParameters: { add: ['method.request.path.id'] } }, current),
    ).toEqual([]);
  });

  it('without the current state, yields the op each field would need at most (for the check before any call)', () => {
    expect(integrationOps({ requestTemplates: { 'text/plain': 'x', 'text/xml': null } })).toEqual([
      { op: 'add', path: '/requestTemplates/text~1plain', value: 'x' },
      { op: 'remove', path: '/requestTemplates/text~1xml' },
    ]);
  });

  it('escapes ~ in a key as ~0 (and the rules then refuse it as a content type)', () => {
    const [op] = integrationOps({ requestTemplates: { 'text/x~y': 'z' } });
    expect(op.path).toBe('/requestTemplates/text~1x~0y');
    expect(checkPatch('integration', [op], { maxTimeoutMs: 29000 }).problems[0].message).toContain('content type');
  });
});

describe('integration response intents', () => {
  const ir = { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '{}' }, responseParameters: { 'method.response.header.X-Id': 'integration.response.header.id' } };
  it.each([
    ['selectionPattern', { selectionPattern: '2\\d{2}' }, [{ op: 'replace', path: '/selectionPattern', value: '2\\d{2}' }]],
    ['contentHandling', { contentHandling: 'CONVERT_TO_BINARY' as const }, [{ op: 'replace', path: '/contentHandling', value: 'CONVERT_TO_BINARY' }]],
    ['responseTemplates', { responseTemplates: { 'application/xml': '<a/>' } }, [{ op: 'add', path: '/responseTemplates/application~1xml', value: '<a/>' }]],
    ['responseParameters', { responseParameters: { 'method.response.header.X-Id': null } }, [{ op: 'remove', path: '/responseParameters/method.response.header.X-Id' }]],
  ])('%s', (_n, intent, ops) => {
    expect(integrationResponseOps(intent, ir)).toEqual(ops);
  });
});

describe('errors in the terms of the tool that took the intent', () => {
  const env = { maxTimeoutMs: 29000 };
  /** What write() says for an intent checked before any call, in field terms and in patch-op terms. */
  const said = (intent: IntegrationIntent, doc?: object) => {
    const ops = integrationOps(intent, doc);
    const { problems } = checkPatch('integration', ops, env, doc);
    return { field: describeProblems(problems, ops, integrationFieldNames(intent)), op: describeProblems(problems, ops) };
  };

  it('names the field and shows a number as a number, with the quota hint only for a timeout that is too long', () => {
    expect(said({ timeoutInMillis: 10 }).field).toBe('timeoutInMillis must be from 50 to 29000 ms; got 10');
    expect(said({ timeoutInMillis: 30000 }).field).toBe(
      'timeoutInMillis must be from 50 to 29000 ms; got 30000 (longer needs a raised quota, see --max-timeout-ms, or responseTransferMode STREAM, up to 900000)',
    );
    // Already at STREAM's ceiling: no quota raises it further.
    expect(said({ responseTransferMode: 'STREAM', timeoutInMillis: 900001 }).field).toBe('timeoutInMillis must be from 50 to 900000 ms; got 900001');
  });

  it('keeps the patchOperations[i] wording (and the value as the string it is) when no field names are given', () => {
    expect(said({ timeoutInMillis: 10 }).op).toBe('patchOperations[0] (replace /timeoutInMillis): timeoutInMillis must be from 50 to 29000 ms; got "10"');
  });

  it('names map entries by key, list edits by add/remove, and renamed fields by the intent name', () => {
    expect(said({ requestParameters: { 'integration.request.header.X': 'nope' } }).field).toMatch(/^requestParameters\["integration\.request\.header\.X"\] must be a source: .*; got "nope"$/);
    expect(said({ requestTemplates: { json: '{}' } }).field).toMatch(/^requestTemplates: the key must be a content type/);
    expect(said({ cacheKeyParameters: { add: ['id'] } }).field).toMatch(/^cacheKeyParameters\.add: a cache key must be a method request parameter.*; got "id"$/);
    expect(said({ integrationHttpMethod: 'GET' }, { type: 'AWS_PROXY', httpMethod: 'POST' }).field).toBe(
      'integrationHttpMethod must be POST: a Lambda (AWS_PROXY) integration is always called with POST; got "GET"',
    );
    expect(said({ connection: { type: 'VPC_LINK', id: 'link1' } }, { type: 'AWS' }).field).toBe(
      'connection.type applies only to HTTP, HTTP_PROXY integrations; this one is AWS\nconnection.id applies only to HTTP, HTTP_PROXY integrations; this one is AWS',
    );
  });

  it('names integration response fields too', () => {
    const intent = { responseParameters: { 'method.response.header.X': 'body' } };
    const ops = integrationResponseOps(intent);
    const { problems } = checkPatch('integrationResponse', ops, env);
    expect(describeProblems(problems, ops, integrationResponseFieldNames(intent))).toMatch(/^responseParameters\["method\.response\.header\.X"\] must be integration\.response\.header.*; got "body"$/);
  });
});

describe('audit findings', () => {
  const env = { maxTimeoutMs: 29000 };
  const templated = { requestTemplates: { 'application/json': '{}' }, passthroughBehavior: 'WHEN_NO_MATCH', integrationResponses: { '200': {} } };
  const checks = (i: object) => findingsFor(i, env).map((f) => f.check);

  it('flags unmapped passthrough only where a backend receives the body: HTTP and AWS', () => {
    expect(checks({ ...templated, type: 'HTTP', uri: 'https://a.example.com' })).toContain('passthrough-with-templates');
    expect(checks({ ...templated, type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:sqs:path/q' })).toContain('passthrough-with-templates');
    // A MOCK answers itself (the seeded /health): it has no backend for a body to reach.
    expect(checks({ ...templated, type: 'MOCK' })).not.toContain('passthrough-with-templates');
    expect(checks({ ...templated, type: 'HTTP_PROXY', uri: 'https://a.example.com' })).not.toContain('passthrough-with-templates');
  });
});
