// Every isError result carries a stable code, in structuredContent ({code, message}) and on the text's last line,
// whoever refused: this server's checks, the SDK's input validation, or AWS (through the emulator's answers).
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromAwsError } from '../src/aws/errors.js';
import { ERROR_CODES } from '../src/errors.js';
import { BIN, startStack, type Stack } from './harness.js';

let s: Stack;
let shop: string;
let order: string;
const target = () => ({ restApiId: shop, resourceId: order, httpMethod: 'GET' });

beforeAll(async () => {
  s = await startStack({ serverArgs: ['--confirm-fallback', 'deny'], env: { APIGW_MCP_RETRY_BASE_MS: '1' } });
  ({ restApiId: shop, resourceId: order } = await s.ids('shop', '/orders/{id}'));
});
afterAll(() => s?.close());
beforeEach(() => {
  s.emulator.setFaults();
  s.emulator.resetCalls();
});

/** The code a failed call carries, checked to be the same in the text and in structuredContent. */
async function codeOf(tool: string, args: Record<string, unknown>): Promise<string | undefined> {
  const r = await s.call(tool, args);
  expect(r.isError, r.raw).toBe(true);
  expect(r.structured).toEqual({ code: r.code, message: r.text });
  expect(ERROR_CODES).toContain(r.code);
  return r.code;
}

describe('error codes on isError results', () => {
  it.each<[string, string, () => Record<string, unknown>]>([
    ['invalid_argument', 'set_timeout', () => ({ ...target(), timeoutInMillis: 10 })],
    ['not_found', 'get_integration', () => ({ apiName: 'no-such-api', resourcePath: '/x', httpMethod: 'GET' })],
    ['not_found', 'set_timeout', () => ({ apiName: 'shop', resourcePath: '/carts', httpMethod: 'POST', timeoutInMillis: 1000 })],
    ['not_found', 'undo_change', () => ({ changeId: 'chg_nothing_here' })],
    ['needs_human', 'set_tls_verification', () => ({ ...target(), insecureSkipVerification: true })],
  ])('%s from %s, and no AWS write', async (code, tool, args) => {
    expect(await codeOf(tool, args())).toBe(code);
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('invalid_argument when the SDK refuses the arguments against the inputSchema (a wrong type, an unknown field)', async () => {
    expect(await codeOf('set_timeout', { ...target(), timeoutInMillis: 'soon' })).toBe('invalid_argument');
    expect(await codeOf('get_integration', { ...target(), bogus: 1 })).toBe('invalid_argument');
  });

  it.each<[string, object]>([
    ['throttled', { throttle: { operations: ['GetIntegration'], retryAfterSeconds: 0 } }],
    ['conflict', { conflict: { operations: ['GetIntegration'] } }],
    ['aws_error', { unavailable: { operations: ['GetIntegration'], retryAfterSeconds: 0 } }],
  ])('%s from what AWS answers', async (code, faults) => {
    s.emulator.setFaults(faults as never);
    expect(await codeOf('get_integration', target())).toBe(code);
  });

  it('not_found from AWS itself (an id that does not exist)', async () => {
    expect(await codeOf('get_integration', { restApiId: shop, resourceId: 'zzzzzz', httpMethod: 'GET' })).toBe('not_found');
  });

  it('maps AWS error names to codes, anything unknown to aws_error', () => {
    const aws = (name: string) => fromAwsError(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: 400 } }), { label: 'AWS' }).code;
    expect(['NotFoundException', 'ConflictException', 'TooManyRequestsException', 'LimitExceededException', 'BadRequestException', 'AccessDeniedException', 'SomethingNew'].map(aws)).toEqual([
      'not_found',
      'conflict',
      'throttled',
      'throttled',
      'aws_error',
      'aws_error',
      'aws_error',
    ]);
    expect(fromAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), { label: 'AWS' }).code).toBe('aws_error');
  });
});

describe('a 2026-07-28 client', () => {
  it('gets the same code in structuredContent and the text (its SDK client accepts structuredContent on an error)', async () => {
    const modern = await startStack({ clientOptions: { versionNegotiation: { mode: { pin: '2026-07-28' } } } as never });
    try {
      const r = await modern.call('get_integration', { apiName: 'no-such-api', resourcePath: '/x', httpMethod: 'GET' });
      expect(r).toMatchObject({ isError: true, code: 'not_found', structured: { code: 'not_found' } });
      const bad = await modern.call('set_timeout', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', timeoutInMillis: 'soon' });
      expect(bad).toMatchObject({ isError: true, code: 'invalid_argument', structured: { code: 'invalid_argument' } });
    } finally {
      await modern.close();
    }
  });
});

describe('scope_denied', () => {
  it('a write outside --allow-api', async () => {
    const home = mkdtempSync(join(tmpdir(), 'apigw-codes-'));
    const client = new Client({ name: 'codes', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, '--endpoint-url', s.emulator.url, '--region', 'us-east-1', '--allow-api', 'inventory'],
        env: { PATH: process.env.PATH ?? '', HOME: home, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
        stderr: 'ignore',
      }),
    );
    const write = (await client.callTool({ name: 'set_timeout', arguments: { ...target(), timeoutInMillis: 1000 } })) as any;
    expect(write.structuredContent).toMatchObject({ code: 'scope_denied' });
    expect(write.content[0].text).toMatch(/--allow-api[\s\S]*\n\(code: scope_denied\)$/);
    await client.close();
  });
});
