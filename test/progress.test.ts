// Progress of a long call (CallInfo.progress, filled by src/server.ts with progressReporter): MCP progress
// notifications through the real SDK client's `onprogress`, on both protocol eras, and a line on stderr.
// No tool reports progress yet (the batch tool will), so a test tool calls the same reporter server.ts hands tools.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from '../src/progress.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  vi.restoreAllMocks();
});

/** A server whose `batch` tool reports 1/3, 2/3, a repeated 2/3 (not notified: progress must increase), 3/3. */
async function connect(clientOptions: object = {}) {
  const factory = () => {
    const server = new McpServer({ name: 't', version: '1' }, { capabilities: { tools: {} } });
    server.registerTool('batch', { description: 'reports progress' }, async (ctx) => {
      const progress = progressReporter(ctx, 'batch');
      for (const [done, message] of [[1, 'GET /a'], [2, 'GET /b'], [2, 'GET /b again'], [3, 'GET /c']] as const) progress(done, 3, message);
      return { content: [{ type: 'text' as const, text: 'done' }] };
    });
    return server;
  };
  const client = new Client({ name: 't', version: '1' }, clientOptions as never);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(factory, { transport: a });
  await client.connect(b);
  closers.push(() => client.close(), () => served.close());
  return client;
}

const eras = [
  ['a 2025-era client', {}],
  ['a 2026-07-28 client', { versionNegotiation: { mode: { pin: '2026-07-28' } } }],
] as const;

describe.each(eras)('%s', (_era, options) => {
  it('gets every step as a progress notification, in order, when it passed onprogress', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const client = await connect(options);
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const r = await client.callTool({ name: 'batch', arguments: {} }, { onprogress: (p) => seen.push({ progress: p.progress, total: p.total, message: p.message }) });
    expect((r as any).content[0].text).toBe('done');
    expect(seen).toEqual([
      { progress: 1, total: 3, message: 'GET /a' },
      { progress: 2, total: 3, message: 'GET /b' },
      { progress: 3, total: 3, message: 'GET /c' },
    ]);
    // Every step on stderr too, the repeated one included.
    const lines = stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('batch: '));
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('batch: 3/3 GET /c');
  });

  it('without onprogress (no progress token) sends no notification, and still logs on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const client = await connect(options);
    const notified: unknown[] = [];
    client.fallbackNotificationHandler = async (n) => void notified.push(n);
    const r = await client.callTool({ name: 'batch', arguments: {} });
    expect((r as any).content[0].text).toBe('done');
    expect(notified.filter((n: any) => n.method === 'notifications/progress')).toEqual([]);
    expect(stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('batch: '))).toHaveLength(4);
  });
});
