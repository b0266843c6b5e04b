// Issue 14 (B), as a figure: many risky previews of ~0.9 MB each (three 300 KB templates plus TLS off) from several
// HTTP clients that never decide. Each client keeps at most its cap of approvals, compact; the rest are refused
// (throttled), and the server's memory stays bounded while it keeps answering. Prints the figure; the only
// assertions are on behaviour and on the memory ceiling, none on time. `npm run test:soak` runs 5,000 previews.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { bearer, startHttpServer, type HttpServer } from './harness.js';

const RUNS = Number(process.env.PREVIEW_RUNS ?? 24);
const CLIENTS = 8;
const TARGET = { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' };

/** The server process's resident memory, in MB (Linux). */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe.skipIf(!existsSync('/proc/self/status'))(`${RUNS} risky previews of ~0.9 MB from ${CLIENTS} clients that never decide`, () => {
  let emu: Emulator;
  let srv: HttpServer;
  beforeAll(async () => {
    emu = await startEmulator({ seed: true });
    srv = await startHttpServer(emu.url);
  });
  afterAll(async () => {
    srv?.child.kill();
    await emu?.close();
  });

  it('keeps each client within its cap, refuses the rest, stays under 300 MB and keeps answering', { timeout: 3_600_000 }, async () => {
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const c = new Client({ name: `previewer-${i}`, version: '1' });
        await c.connect(new StreamableHTTPClientTransport(new URL(srv.url), bearer(srv.token)));
        return c;
      }),
    );
    const big = 'x'.repeat(300_000);
    const counts = { approval_required: 0, throttled: 0, other: 0 };
    let next = 0;
    let peak = 0;
    const sample = () => (peak = Math.max(peak, rssMb(srv.child.pid!)));
    await Promise.all(
      clients.map(async (c) => {
        for (let i = next++; i < RUNS; i = next++) {
          const r = (await c.callTool({
            name: 'update_integration',
            arguments: { ...TARGET, tlsInsecureSkipVerification: true, requestTemplates: { 'application/json': `${big}${i}`, 'text/plain': big, 'application/xml': big } },
          })) as any;
          if (r.structuredContent?.status === 'approval_required') counts.approval_required++;
          else if (r.isError && /waiting for a human/.test(r.content[0].text)) counts.throttled++;
          else counts.other++;
          if (i % 50 === 0) sample();
        }
      }),
    );
    sample();
    const answering = (await clients[0].callTool({ name: 'list_apis', arguments: {} })) as any;
    process.stderr.write(
      `[figure] ${RUNS} risky previews of ~0.9 MB from ${CLIENTS} clients: ${counts.approval_required} kept as approvals, ${counts.throttled} refused (throttled), ${counts.other} other; server RSS peak ${peak.toFixed(0)} MB, at the end ${rssMb(srv.child.pid!).toFixed(0)} MB; still answering: ${!answering.isError}\n`,
    );
    expect(counts.other).toBe(0);
    expect(counts.approval_required).toBe(Math.min(RUNS, CLIENTS * 32));
    expect(answering.isError).toBeFalsy();
    expect(peak).toBeLessThan(300);
    expect(emu.calls().UpdateIntegration).toBeUndefined();
    await Promise.all(clients.map((c) => c.close()));
  });
});
