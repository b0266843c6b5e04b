// Control characters in a value that is one line by nature (a uri, an ARN, a header name, a map key) are refused
// before any AWS call, naming their position; the emulator applies the same checks, so it refuses them too.
import { BadRequestException, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand, UpdateIntegrationCommand, type PatchOperation } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPatch } from '../src/patch/validate.js';
import { controlCharacter } from '../src/patch/values.js';
import { failure, useEmulator } from './emulator-fixture.js';
import { startStack, type Stack } from './harness.js';

describe('controlCharacter', () => {
  it('names the first control character by code point and position', () => {
    expect(controlCharacter('uri', 'https://exa\u0000mple.com/')?.message).toBe('uri must not contain control characters; U+0000 at position 11; got "https://exa\\u0000mple.com/"');
    expect(controlCharacter('uri', 'a\tb\u007f')?.message).toMatch(/U\+0009 at position 1/);
    expect(controlCharacter('uri', 'x\u0085')?.message).toMatch(/U\+0085 at position 1/);
    expect(controlCharacter('uri', 'https://example.com/ünïcode')).toBeUndefined();
  });

  it.each<[string, PatchOperation]>([
    ['an http uri', { op: 'replace', path: '/uri', value: 'https://exa\u0000mple.com/' }],
    ['a uri with a newline', { op: 'replace', path: '/uri', value: 'https://example.com/a\nb' }],
    ['a header name in a key', { op: 'add', path: '/requestParameters/integration.request.header.X\u0001A', value: "'v'" }],
    ['a literal value', { op: 'add', path: '/requestParameters/integration.request.header.X-A', value: "'a\r\nSet-Cookie: x'" }],
    ['a credentials ARN', { op: 'replace', path: '/credentials', value: 'arn:aws:iam::123456789012:role/r\u0000' }],
    ['a cache namespace', { op: 'replace', path: '/cacheNamespace', value: 'ns\u001b' }],
  ])('refuses %s in a patch, naming the position', (_, op) => {
    const { problems } = checkPatch('integration', [op], { maxTimeoutMs: 29000, integration: { type: 'HTTP' } }, { type: 'HTTP', uri: 'https://example.com' });
    expect(problems.map((p) => p.message).join(' ')).toMatch(/must not contain control characters; U\+00[0-9A-F]{2} at position \d+/);
  });

  it('keeps newlines in a mapping template (VTL is many lines)', () => {
    const { problems } = checkPatch('integration', [{ op: 'add', path: '/requestTemplates/application~1json', value: '{\n  "a": 1\n}' }], { maxTimeoutMs: 29000 }, { type: 'HTTP', uri: 'https://example.com' });
    expect(problems).toEqual([]);
  });
});

describe('through the tools', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(() => s?.close());

  it('update_integration refuses a uri with a NUL before any AWS call', async () => {
    const { restApiId, resourceId } = await s.ids('shop', '/orders');
    s.emulator.resetCalls();
    const r = await s.call('update_integration', { restApiId, resourceId, httpMethod: 'GET', uri: 'https://exa\u0000mple.com/' });
    expect(r).toMatchObject({ isError: true, code: 'invalid_argument' });
    expect(r.text).toMatch(/uri must not contain control characters; U\+0000 at position 11/);
    expect(s.emulator.calls()).toEqual({});
  });
});

describe('the emulator', () => {
  const fx = useEmulator();

  async function method() {
    const api = await fx.c.send(new CreateRestApiCommand({ name: 'control-chars' }));
    const r = await fx.c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'x' }));
    const t = { restApiId: api.id!, resourceId: r.id!, httpMethod: 'GET' };
    await fx.c.send(new PutMethodCommand({ ...t, authorizationType: 'NONE' }));
    return t;
  }

  it('refuses them on PutIntegration and UpdateIntegration as AWS does (400, its text for the field)', async () => {
    const t = await method();
    const put = await failure(fx.c.send(new PutIntegrationCommand({ ...t, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://exa\u0000mple.com/' })));
    expect(put).toBeInstanceOf(BadRequestException);
    expect(put.message).toBe('Invalid HTTP endpoint specified for URI');
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'https://example.com/' }));
    const upd = await failure(fx.c.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/uri', value: 'https://example.com/\u0007' }] })));
    expect(upd).toBeInstanceOf(BadRequestException);
    expect(upd.message).toBe('Invalid HTTP endpoint specified for URI');
  });
});
