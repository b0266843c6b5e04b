import { describe, expect, it } from 'vitest';
import { applyOp } from '../src/patch/apply.js';
import { diffDocs } from '../src/patch/diff.js';
import { escapeSegment, parsePointer, toPointer, unescapeSegment } from '../src/patch/pointer.js';
import { maxRisk, PatchOperationSchema, riskOf, RULES, type PatchOperation, RESOURCES } from '../src/patch/rules.js';
import { applyPatch, checkPatch, describeProblems, matchRule } from '../src/patch/validate.js';

const env = { maxTimeoutMs: 29000 };
const httpIntegration = () => ({
  type: 'HTTP',
  httpMethod: 'GET',
  uri: 'https://orders.example.com/orders/{id}',
  connectionType: 'INTERNET',
  timeoutInMillis: 29000,
  passthroughBehavior: 'WHEN_NO_MATCH',
  cacheNamespace: 'abc123',
  cacheKeyParameters: [] as string[],
  requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
  requestTemplates: { 'application/json': '{"id": "$input.params(\'id\')"}' },
});
const method = { httpMethod: 'GET', requestParameters: { 'method.request.path.id': true, 'method.request.header.X-Trace': false } };

describe('JSON Pointer', () => {
  it.each([
    ['application/json', 'application~1json'],
    ['a~b', 'a~0b'],
    ['~/', '~0~1'],
    ['integration.request.header.x-id', 'integration.request.header.x-id'],
  ])('escapes %j as %j and back', (raw, escaped) => {
    expect(escapeSegment(raw)).toBe(escaped);
    expect(unescapeSegment(escaped)).toBe(raw);
  });

  it('does not turn ~01 into a slash: ~0 is undone last', () => {
    expect(unescapeSegment('~01')).toBe('~1');
  });

  it('rejects a ~ that is not ~0 or ~1, and paths without a leading slash', () => {
    expect(unescapeSegment('a~2')).toBeUndefined();
    expect(parsePointer('requestTemplates/application~1json')).toBeUndefined();
    expect(parsePointer('/a/b~')).toBeUndefined();
  });

  it('round-trips keys through toPointer and parsePointer', () => {
    expect(parsePointer(toPointer('requestTemplates', 'application/vnd.api+json'))).toEqual(['requestTemplates', 'application/vnd.api+json']);
  });
});

describe('rules table', () => {
  it('gives every row a known resource, at least one op, a risk and a reason', () => {
    for (const r of RULES) {
      expect(RESOURCES).toContain(r.resource);
      expect(r.ops.length).toBeGreaterThan(0);
      expect(r.reason.length).toBeGreaterThan(10);
      expect(r.path.startsWith('/')).toBe(true);
    }
  });

  it('matches escaped map keys and keys with dots to their row', () => {
    expect(matchRule('integration', '/requestTemplates/application~1json')).toMatchObject({ key: 'application/json', rule: { path: '/requestTemplates/{name}' } });
    expect(matchRule('integration', '/requestParameters/integration.request.header.X-Trace')?.key).toBe('integration.request.header.X-Trace');
    expect(matchRule('integration', '/tlsConfig/insecureSkipVerification')?.rule.field).toEqual(['tlsConfig', 'insecureSkipVerification']);
    expect(matchRule('integration', '/requestTemplates/')).toBeUndefined();
    expect(matchRule('integration', '/nope')).toBeUndefined();
  });

  it('rates turning TLS verification off as confirm and on as safe', () => {
    const tls = matchRule('integration', '/tlsConfig/insecureSkipVerification')!.rule;
    expect(riskOf(tls, { op: 'replace', value: 'true' }).risk).toBe('confirm');
    expect(riskOf(tls, { op: 'replace', value: 'false' }).risk).toBe('safe');
  });

  it('rates a fixed Host, Authorization, X-Api-Key, Cookie or X-Forwarded-* header confirm, and a pass-through of the caller\'s own review', () => {
    const { rule } = matchRule('integration', '/requestParameters/integration.request.header.Host')!;
    for (const header of ['Host', 'authorization', 'X-Api-Key', 'Cookie', 'X-Forwarded-For'])
      for (const value of ["'evil.example.com'", 'stageVariables.target']) {
        const r = riskOf(rule, { op: 'add', value }, `integration.request.header.${header}`);
        expect(r.risk).toBe('confirm');
        expect(r.reason).toMatch(/re-routes or re-authenticates/);
      }
    expect(riskOf(rule, { op: 'add', value: 'method.request.header.Authorization' }, 'integration.request.header.Authorization').risk).toBe('review');
    expect(riskOf(rule, { op: 'add', value: "'x'" }, 'integration.request.header.X-Trace').risk).toBe('review');
    expect(riskOf(rule, { op: 'remove' }, 'integration.request.header.Host').risk).toBe('review');
    expect(maxRisk(['safe', 'confirm', 'review'])).toBe('confirm');
    expect(maxRisk([])).toBe('safe');
  });
});

describe('validation', () => {
  const check = (ops: PatchOperation[], current?: object, extra = {}) => checkPatch('integration', ops, { ...env, ...extra }, current as never);

  it('accepts a timeout replace and applies it as a number', () => {
    const r = check([{ op: 'replace', path: '/timeoutInMillis', value: '10000' }], httpIntegration());
    expect(r.problems).toEqual([]);
    expect(r.after?.timeoutInMillis).toBe(10000);
  });

  it.each(['10', '29001', '-5', '1e4', '', 'ten'])('rejects a timeout of %j with the range and AWS text', (value) => {
    const [p] = check([{ op: 'replace', path: '/timeoutInMillis', value }]).problems;
    expect(p.kind).toBe('value');
    expect(p.message).toContain('from 50 to 29000');
    expect(p.aws).toBe('Timeout should be between 50 ms and 29000 ms');
  });

  it.each([
    ['10', false],
    ['ten', false],
    ['29001', true],
  ])('adds the raised-quota hint to a timeout of %j only when it is too long (%s)', (value, hinted) => {
    const [p] = check([{ op: 'replace', path: '/timeoutInMillis', value }]).problems;
    expect(p.message.includes('raised quota')).toBe(hinted);
    expect(p.said?.hint !== undefined).toBe(hinted);
  });

  it('refuses unknown fields in a patch operation, naming them and the fields an operation has', () => {
    const r = PatchOperationSchema.safeParse({ op: 'replace', path: '/cacheNamespace', value: 'x', extra: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe('unknown field(s) in a patch operation: extra; an operation has only op, path, value, from');
    expect(PatchOperationSchema.safeParse({ op: 'replace', path: '/cacheNamespace', value: 'x', from: '/a' }).success).toBe(true);
  });

  it('allows a higher timeout when the configured maximum is raised', () => {
    expect(checkPatch('integration', [{ op: 'replace', path: '/timeoutInMillis', value: '60000' }], { maxTimeoutMs: 120000 }).problems).toEqual([]);
  });

  it('allows up to 900000 ms when the same call switches an HTTP_PROXY integration to STREAM', () => {
    const proxy = { ...httpIntegration(), type: 'HTTP_PROXY' };
    const ops: PatchOperation[] = [
      { op: 'replace', path: '/responseTransferMode', value: 'STREAM' },
      { op: 'replace', path: '/timeoutInMillis', value: '600000' },
    ];
    expect(check(ops, proxy).problems).toEqual([]);
  });

  it.each(['move', 'copy', 'test'] as const)('rejects op %s and names the allowed ops', (op) => {
    const [p] = check([{ op, path: '/timeoutInMillis', value: '1000', from: '/cacheNamespace' }]).problems;
    expect(p.kind).toBe('op');
    expect(p.message).toContain('replace');
    expect(p.aws).toBe('Invalid patch operation specified. Must be one of: [replace]');
  });

  it('rejects add on a replace-only path', () => {
    const [p] = check([{ op: 'add', path: '/uri', value: 'https://x.example.com' }]).problems;
    expect(p.message).toBe('op "add" is not allowed on /uri; allowed: replace');
  });

  it('rejects an unknown path and lists the patchable ones', () => {
    const [p] = check([{ op: 'replace', path: '/type', value: 'MOCK' }]).problems;
    expect(p.kind).toBe('path');
    expect(p.message).toContain('/timeoutInMillis');
    expect(p.aws).toBe('Invalid patch path /type');
  });

  it('rejects a whole-map path and shows the keyed form', () => {
    const [p] = check([{ op: 'replace', path: '/requestTemplates', value: '{}' }]).problems;
    expect(p.message).toContain('/requestTemplates/{name}');
  });

  it('rejects an unescaped slash in a content type (it reads as an extra segment)', () => {
    expect(check([{ op: 'add', path: '/requestTemplates/application/json', value: '' }]).problems[0].kind).toBe('path');
  });

  it.each([
    ['/requestTemplates/json', 'content type'],
    ['/requestParameters/integration.request.body.x', 'integration.request.'],
    ['/requestParameters/__proto__', 'integration.request.'],
    ['/cacheKeyParameters/id', 'method.request.path.id'],
  ])('rejects the malformed key in %s', (path, hint) => {
    const [p] = check([{ op: 'add', path, value: "'x'" }]).problems;
    expect(p.kind).toBe('value');
    expect(p.message).toContain(hint);
  });

  it('requires a value for replace', () => {
    expect(check([{ op: 'replace', path: '/passthroughBehavior' }]).problems[0].message).toContain('needs a value');
  });

  it.each([
    ['/passthroughBehavior', 'SOMETIMES'],
    ['/contentHandling', 'CONVERT_TO_JSON'],
    ['/tlsConfig/insecureSkipVerification', 'yes'],
    ['/connectionType', 'PRIVATE'],
    ['/httpMethod', 'FETCH'],
    ['/credentials', 'my-role'],
    ['/uri', 'orders.example.com'],
    ['/connectionId', 'has space'],
  ])('rejects %s = %j and says what is valid', (path, value) => {
    const [p] = check([{ op: 'replace', path, value }]).problems;
    expect(p.kind).toBe('value');
    expect(p.message).toMatch(/must|one of/);
  });

  it('checks the uri shape by integration type', () => {
    const lambda = { type: 'AWS_PROXY', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/f/invocations' };
    expect(check([{ op: 'replace', path: '/uri', value: 'https://example.com' }], lambda).problems[0].aws).toBe('Invalid ARN specified in the request');
    expect(check([{ op: 'replace', path: '/uri', value: 'arn:aws:apigateway:us-east-1:s3:path/bucket/key' }], lambda).problems[0].message).toContain('Lambda invoke ARN');
    expect(check([{ op: 'replace', path: '/uri', value: 'arn:aws:apigateway:us-east-1:s3:path/b' }], httpIntegration()).problems[0].aws).toBe('Invalid HTTP endpoint specified for URI');
    expect(check([{ op: 'replace', path: '/uri', value: 'https://x.example.com' }], { type: 'MOCK' }).problems[0].message).toContain('MOCK');
  });

  it('rejects TLS settings on a non-HTTP integration', () => {
    const [p] = check([{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'false' }], { type: 'AWS_PROXY' }).problems;
    expect(p.kind).toBe('type');
    expect(p.message).toBe('/tlsConfig/insecureSkipVerification applies only to HTTP, HTTP_PROXY integrations; this one is AWS_PROXY');
  });

  it('requires a connectionId when switching to VPC_LINK', () => {
    const [p] = check([{ op: 'replace', path: '/connectionType', value: 'VPC_LINK' }], httpIntegration()).problems;
    expect(p.message).toContain('connectionId');
    expect(check([{ op: 'replace', path: '/connectionType', value: 'VPC_LINK' }, { op: 'replace', path: '/connectionId', value: 'vl1234' }], httpIntegration()).problems).toEqual([]);
  });

  it('requires method.request sources to be declared on the method, once the method is known', () => {
    const op: PatchOperation = { op: 'add', path: '/requestParameters/integration.request.querystring.page', value: 'method.request.querystring.page' };
    expect(check([op]).problems).toEqual([]);
    const [p] = check([op], httpIntegration(), { method }).problems;
    expect(p.message).toContain('not declared on the method');
    expect(p.message).toContain('method.request.path.id');
    expect(p.aws).toContain('Invalid mapping expression parameter specified: method.request.querystring.page');
    expect(check([{ ...op, value: 'method.request.header.X-Trace' }], httpIntegration(), { method }).problems).toEqual([]);
  });

  it('takes a multivalue source of a declared querystring or header parameter (the method declares the name once)', () => {
    const declaredOnes = { requestParameters: { 'method.request.querystring.tag': false, 'method.request.header.X-Trace': false } };
    const map = (key: string, value: string): PatchOperation => ({ op: 'add', path: `/requestParameters/${key}`, value });
    expect(check([map('integration.request.multivaluequerystring.tag', 'method.request.multivaluequerystring.tag')], httpIntegration(), { method: declaredOnes }).problems).toEqual([]);
    expect(check([map('integration.request.multivalueheader.X-Trace', 'method.request.multivalueheader.X-Trace')], httpIntegration(), { method: declaredOnes }).problems).toEqual([]);
    const [p] = check([map('integration.request.multivaluequerystring.q', 'method.request.multivaluequerystring.q')], httpIntegration(), { method: declaredOnes }).problems;
    expect(p.message).toContain('not declared on the method');
  });

  it('reports removing a map key that is not there as not found', () => {
    const [p] = check([{ op: 'remove', path: '/requestTemplates/text~1xml' }], httpIntegration()).problems;
    expect(p).toMatchObject({ kind: 'state', notFound: true, aws: 'Invalid parameter name specified' });
    expect(p.message).toContain('application/json');
  });

  it('names every bad op by index', () => {
    const ops: PatchOperation[] = [
      { op: 'replace', path: '/timeoutInMillis', value: '5' },
      { op: 'replace', path: '/cacheNamespace', value: 'ok' },
      { op: 'move', path: '/uri', from: '/x' },
    ];
    const text = describeProblems(check(ops).problems, ops);
    expect(text).toContain('patchOperations[0] (replace /timeoutInMillis)');
    expect(text).toContain('patchOperations[2] (move /uri)');
    expect(text).not.toContain('patchOperations[1]');
  });

  it('validates integration-response paths with their own rows', () => {
    const ir = { statusCode: '200', responseTemplates: { 'application/json': '' } };
    const mr = { statusCode: '200', responseParameters: { 'method.response.header.X-Id': false } };
    const ok = checkPatch('integrationResponse', [{ op: 'add', path: '/responseParameters/method.response.header.X-Id', value: 'integration.response.header.id' }], { ...env, methodResponse: mr }, ir);
    expect(ok.problems).toEqual([]);
    expect(ok.after?.responseParameters).toEqual({ 'method.response.header.X-Id': 'integration.response.header.id' });
    const bad = checkPatch('integrationResponse', [{ op: 'add', path: '/responseParameters/method.response.header.Other', value: "'x'" }], { ...env, methodResponse: mr }, ir);
    expect(bad.problems[0].message).toContain('not declared on method response 200');
    expect(checkPatch('integrationResponse', [{ op: 'replace', path: '/timeoutInMillis', value: '100' }], env).problems[0].kind).toBe('path');
  });
});

describe('validation at the edges of each check (boundaries, anchors, per-type rules)', () => {
  const proxy = () => ({ ...httpIntegration(), type: 'HTTP_PROXY' });
  const aws = () => ({ ...httpIntegration(), type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k', connectionType: undefined });
  const problems = (ops: PatchOperation[], current: object = httpIntegration(), extra = {}) =>
    checkPatch('integration', ops, { ...env, method, ...extra }, current as never).problems.map((p) => p.kind);
  const one = (path: string, value: string, current?: object, op: PatchOperation['op'] = 'replace') => problems([{ op, path, value }], current);

  it.each([
    ['/timeoutInMillis', '50', true],
    ['/timeoutInMillis', '49', false],
    ['/timeoutInMillis', '29000', true],
    ['/connectionId', 'abc123', true],
    ['/connectionId', '${stageVariables.vpcLinkId}', true],
    ['/connectionId', 'x${stageVariables.vpcLinkId}', false],
    ['/connectionId', '${stageVariables.vpcLinkId}x', false],
    ['/integrationTarget', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1', true],
    ['/integrationTarget', 'xarn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1', false],
    ['/integrationTarget', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/', false],
    ['/credentials', 'arn:aws:iam::*:user/*', true],
    ['/credentials', 'arn:aws:iam::123456789012:role/x', true],
    ['/credentials', 'arn:aws:iam::*:user/me', false],
    ['/requestParameters/integration.request.header.x', 'method.request.body.a', true],
    ['/requestParameters/integration.request.header.x', 'xmethod.request.body.a', false],
    ['/requestParameters/integration.request.header.x', 'method.request.body.a b', false],
    ['/requestParameters/integration.request.header.x', 'method.request.body', true],
    ['/requestTemplates/application~1json', 'x'.repeat(300 * 1024), true],
    ['/requestTemplates/application~1json', 'x'.repeat(300 * 1024 + 1), false],
    ['/requestTemplates/x~1application~1json', 'x', false],
  ])('%s = %j: accepted %s', (path, value, ok) => {
    expect(one(path, value, undefined, path.startsWith('/requestTemplates') || path.startsWith('/requestParameters') ? 'add' : 'replace')).toEqual(ok ? [] : ['value']);
  });

  it('takes the uri of the integration\'s type: a URL for HTTP, an apigateway ARN for AWS, none for MOCK', () => {
    expect(one('/uri', 'https://x.example.com')).toEqual([]);
    expect(one('/uri', 'xarn:aws:apigateway:us-east-1:s3:path/b/k', aws())).toEqual(['value']);
    expect(one('/uri', 'arn:aws:apigateway:us-east-1:s3:path/b/k', aws())).toEqual([]);
    expect(one('/uri', 'arn:aws:iam::123456789012:role/x', aws())).toEqual(['value']);
    expect(problems([{ op: 'replace', path: '/uri', value: 'https://x.example.com' }], { type: 'MOCK', timeoutInMillis: 29000 })).not.toEqual([]);
  });

  it('allows responseTransferMode STREAM only on proxy integrations; BUFFERED anywhere', () => {
    expect(one('/responseTransferMode', 'STREAM', proxy())).toEqual([]);
    expect(one('/responseTransferMode', 'STREAM')).toEqual(['value']);
    expect(one('/responseTransferMode', 'BUFFERED')).toEqual([]);
    expect(one('/responseTransferMode', 'FAST', proxy())).toEqual(['value']);
  });

  it('refuses going back to BUFFERED while the timeout is above the BUFFERED ceiling, unless the same call lowers it', () => {
    const streaming = { ...proxy(), responseTransferMode: 'STREAM', timeoutInMillis: 600000 };
    expect(problems([{ op: 'replace', path: '/responseTransferMode', value: 'BUFFERED' }], streaming)).toEqual(['value']);
    expect(
      problems(
        [
          { op: 'replace', path: '/responseTransferMode', value: 'BUFFERED' },
          { op: 'replace', path: '/timeoutInMillis', value: '29000' },
        ],
        streaming,
      ),
    ).toEqual([]);
  });
});

describe('apply', () => {
  it('adds and removes request templates, dropping the map when it empties', () => {
    const after = applyPatch('integration', httpIntegration(), [
      { op: 'add', path: '/requestTemplates/application~1xml', value: '<a/>' },
      { op: 'remove', path: '/requestTemplates/application~1json' },
    ], env);
    expect(after.requestTemplates).toEqual({ 'application/xml': '<a/>' });
    const emptied = applyPatch('integration', after, [{ op: 'remove', path: '/requestTemplates/application~1xml' }], env);
    expect(emptied).not.toHaveProperty('requestTemplates');
  });

  it('stores a template added without a value, or empty, as null (pass-through), as AWS returns it', () => {
    expect(applyPatch('integration', httpIntegration(), [{ op: 'add', path: '/requestTemplates/text~1plain' }], env).requestTemplates['text/plain']).toBeNull();
    expect(applyPatch('integration', httpIntegration(), [{ op: 'add', path: '/requestTemplates/text~1plain', value: '' }], env).requestTemplates['text/plain']).toBeNull();
  });

  it('treats cacheKeyParameters as a set addressed by value', () => {
    const doc = applyPatch('integration', httpIntegration(), [
      { op: 'add', path: '/cacheKeyParameters/method.request.path.id' },
      { op: 'add', path: '/cacheKeyParameters/method.request.path.id' },
    ], env);
    expect(doc.cacheKeyParameters).toEqual(['method.request.path.id']);
    expect(applyPatch('integration', doc, [{ op: 'remove', path: '/cacheKeyParameters/method.request.path.id' }], env).cacheKeyParameters).toEqual([]);
  });

  it('creates nested objects for tlsConfig and stores a boolean', () => {
    expect(applyPatch('integration', httpIntegration(), [{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'false' }], env).tlsConfig).toEqual({ insecureSkipVerification: false });
  });

  it('does not change the input document', () => {
    const doc = httpIntegration();
    applyPatch('integration', doc, [{ op: 'replace', path: '/timeoutInMillis', value: '100' }], env);
    expect(doc.timeoutInMillis).toBe(29000);
  });

  it('keeps a __proto__ key as plain data rather than a prototype', () => {
    const doc: Record<string, any> = {};
    const rule = matchRule('integration', '/requestTemplates/a~1b')!.rule;
    applyOp(doc, rule, '__proto__', { op: 'add', path: '/requestTemplates/__proto__', value: 'x' });
    expect(Object.getPrototypeOf(doc.requestTemplates)).toBe(Object.prototype);
    expect(Object.keys(doc.requestTemplates)).toEqual(['__proto__']);
  });

  it('refuses to apply invalid ops', () => {
    expect(() => applyPatch('integration', httpIntegration(), [{ op: 'replace', path: '/type', value: 'MOCK' }], env)).toThrow('unknown path');
  });
});

describe('diff', () => {
  it('lists changed, added and removed leaves by escaped pointer', () => {
    const before = httpIntegration();
    const after = applyPatch('integration', before, [
      { op: 'replace', path: '/timeoutInMillis', value: '10000' },
      { op: 'add', path: '/requestTemplates/application~1xml', value: '<x/>' },
      { op: 'remove', path: '/requestParameters/integration.request.path.id' },
    ], env);
    expect(diffDocs(before, after)).toEqual([
      { path: '/requestParameters/integration.request.path.id', before: 'method.request.path.id' },
      { path: '/requestTemplates/application~1xml', after: '<x/>' },
      { path: '/timeoutInMillis', before: 29000, after: 10000 },
    ]);
  });

  it('is empty for equal documents', () => {
    expect(diffDocs(httpIntegration(), httpIntegration())).toEqual([]);
  });
});
