// A resource read that names nothing is "not found" with a way forward, not an internal error.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s?.close());

it('answers a read of an integration that does not exist with resource-not-found, naming the tools that list ids', async () => {
  const err = (await s.client.readResource({ uri: 'apigw://nosuchapi/nosuchres/GET/integration' }).catch((e: unknown) => e)) as { code?: number; message?: string };
  // The SDK's resource-not-found code (-32602 in its current wire format; -32002 in older specs), not -32603.
  expect([-32002, -32602]).toContain(err.code);
  expect(err.message).toMatch(/No integration at apigw:\/\/nosuchapi.*list_integrations/);
});
