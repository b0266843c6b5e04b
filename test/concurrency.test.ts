// Concurrent writers on one integration: two clients of one HTTP server and a second server over stdio, at once.
// No write reported applied may be lost silently, and a write that saw someone else's change in API Gateway's
// answer is reported as a conflict, with the diff, never as plain success. Whether any interleaving happens is up
// to the scheduler: test/write-outcomes.test.ts makes the conflict happen deterministically (the `tamper` fault).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, startHttpServer, startStack, type Stack } from './harness.js';

let s: Stack;
let httpUrl: string;
let httpToken: string;
let kill: () => void;

beforeAll(async () => {
  s = await startStack();
  const srv = await startHttpServer(s.emulator.url);
  kill = () => srv.child.kill();
  httpUrl = srv.url;
  httpToken = srv.token;
});
afterAll(async () => {
  kill?.();
  await s?.close();
});

it('loses no applied write and reports interleavings as conflicts', async () => {
  const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
  const target = { restApiId, resourceId, httpMethod: 'GET' };
  const httpClient = async (name: string) => {
    const c = new Client({ name, version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(httpUrl), bearer(httpToken)));
    return (tool: string, args: object) => c.callTool({ name: tool, arguments: args }) as Promise<any>;
  };
  const writers = [await httpClient('http-a'), await httpClient('http-b'), (tool: string, args: object) => s.client.callTool({ name: tool, arguments: args }) as Promise<any>];
  const reported: { key: string; status: string; diff: unknown[] }[] = [];
  await Promise.all(
    writers.map(async (call, w) => {
      for (let i = 0; i < 15; i++) {
        const key = `application/x-w${w}-${i}`;
        const r = await call('update_integration', { ...target, requestTemplates: { [key]: `w${w} #${i}` } });
        reported.push({ key, status: r.structuredContent?.status ?? `error: ${r.content?.[0]?.text}`, diff: r.structuredContent?.diff ?? [] });
      }
    }),
  );
  const final = (await s.integration(restApiId, resourceId, 'GET')).requestTemplates as Record<string, string>;
  for (const r of reported) {
    expect(['applied', 'conflict'], r.status).toContain(r.status);
    expect(final[r.key], `${r.key} (${r.status}) is in the final integration`).toBeDefined();
  }
  // A conflict says what else changed: its diff has more than the one key it added.
  for (const r of reported.filter((x) => x.status === 'conflict')) expect(r.diff.length).toBeGreaterThan(1);
  expect(s.emulator.calls().UpdateIntegration).toBe(45);
  process.stderr.write(`concurrent writes: ${reported.filter((r) => r.status === 'applied').length} applied, ${reported.filter((r) => r.status === 'conflict').length} reported as conflicts\n`);
});
