// The audit's fixes: ready only when the tool would accept them as given; otherwise what they need first.
import { describe, expect, it } from 'vitest';
import { findingsFor } from '../src/intent/findings.js';

const env = { maxTimeoutMs: 29000 };
const at = { restApiId: 'a1', resourceId: 'r1', resourcePath: '/x', httpMethod: 'GET' };
const mapped = { type: 'HTTP', uri: 'https://a.example.com', passthroughBehavior: 'WHEN_NO_TEMPLATES', timeoutInMillis: 5000 };
const one = (integration: object, method: object = {}, e = env) => {
  const found = findingsFor(integration, e, { method, at });
  expect(found).toHaveLength(1);
  return found[0];
};

describe('no-integration-responses', () => {
  it('is ready when the method declares method response 200', () => {
    const f = one(mapped, { methodResponses: { '200': { statusCode: '200' }, '500': { statusCode: '500' } } });
    expect(f).toMatchObject({ ready: true, fix: { tool: 'update_integration_response', arguments: { statusCode: '200', selectionPattern: '', create: true } } });
    expect(f.needs).toBeUndefined();
  });

  it('maps the default to the 2xx the method declares when 200 is not one', () => {
    expect(one(mapped, { methodResponses: { '201': {}, '400': {} } }).fix.arguments.statusCode).toBe('201');
  });

  it('without a 2xx method response, is ready too: the fix creates method response 200 with the integration response', () => {
    const f = one(mapped, { methodResponses: { '500': {} } });
    expect(f).toMatchObject({ ready: true, fix: { arguments: { statusCode: '200', create: true } } });
    expect(f.needs).toBeUndefined();
    expect(findingsFor(mapped, env)[0]).toMatchObject({ check: 'no-integration-responses', ready: true });
  });
});

describe('private-backend-over-internet', () => {
  it('leaves the VPC link id to a human, says where to find it, and sends no placeholder', () => {
    const f = one({ type: 'HTTP_PROXY', uri: 'http://db.internal/x', timeoutInMillis: 5000 });
    expect(f.ready).toBe(false);
    expect(f.needs).toMatchObject({ kind: 'value', argument: 'connection.id' });
    expect(f.needs!.what).toContain('db.internal');
    expect(f.needs!.where).toMatch(/console > VPC links.*aws apigateway get-vpc-links/);
    expect(f.fix).toEqual({ tool: 'update_integration', arguments: { connection: { type: 'VPC_LINK' } } });
  });
});

describe('timeout-at-maximum', () => {
  const proxy = { type: 'HTTP_PROXY', uri: 'https://a.example.com' };

  it('uses the ceiling the write checks: STREAM allows 15 minutes, so 29 s is not its maximum', () => {
    expect(findingsFor({ ...proxy, timeoutInMillis: 29000, responseTransferMode: 'STREAM' }, env)).toEqual([]);
    expect(one({ ...proxy, timeoutInMillis: 900000, responseTransferMode: 'STREAM' }).fix.arguments).toEqual({ timeoutInMillis: 10000 });
  });

  it('suggests a timeout within a configured maximum lower than 10 s', () => {
    const f = one({ ...proxy, timeoutInMillis: 8000 }, {}, { maxTimeoutMs: 8000 });
    expect(f).toMatchObject({ ready: true, fix: { tool: 'set_timeout', arguments: { timeoutInMillis: 4000 } } });
  });
});

it('every ready fix carries no needs, every other one does', () => {
  const all = [
    ...findingsFor({ type: 'HTTP', uri: 'http://10.0.0.1/', tlsConfig: { insecureSkipVerification: true }, timeoutInMillis: 29000, requestTemplates: { 'application/json': '{}' } }, env, { at }),
    ...findingsFor({ type: 'HTTP', uri: 'https://a.example.com', requestTemplates: { 'application/json': '{}' } }, env, { method: { methodResponses: { '200': {} } }, at }),
  ];
  expect(new Set(all.map((f) => f.check)).size).toBe(5);
  for (const f of all) expect(f.ready, f.check).toBe(f.needs === undefined);
});
