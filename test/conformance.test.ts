// The official MCP conformance suite (@modelcontextprotocol/conformance 0.1.13, pinned: later versions crash on
// Node 20) against the Streamable HTTP server. Many scenarios call the suite's own fixture tools, prompts and
// resources, or capabilities this server does not declare: those are listed, each with its reason, in
// test/conformance-expected-failures.json, which the suite itself checks as its baseline. Any other failure, or
// a listed scenario that starts passing, fails this test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { startHttpServer, tokenProxy } from './harness.js';

const require = createRequire(import.meta.url);
const pkgJson = require.resolve('@modelcontextprotocol/conformance/package.json');
const CONFORMANCE = join(dirname(pkgJson), JSON.parse(readFileSync(pkgJson, 'utf8')).bin.conformance);
const EXPECTED = fileURLToPath(new URL('./conformance-expected-failures.json', import.meta.url));

let emu: Emulator;
let child: ChildProcess;
let url: string;
let proxy: Awaited<ReturnType<typeof tokenProxy>>;

beforeAll(async () => {
  emu = await startEmulator({ seed: true });
  const srv = await startHttpServer(emu.url);
  child = srv.child;
  // The suite cannot send a header: a proxy adds the server's token, as a configured client would.
  proxy = await tokenProxy(srv.url, srv.token);
  url = proxy.url;
});

afterAll(async () => {
  await proxy?.close();
  child?.kill('SIGTERM');
  await emu?.close();
});

/** Per scenario: the checks that did not succeed, from the suite's saved results. */
function failures(outDir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const dir of readdirSync(outDir)) {
    const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT.*$/, '');
    const checks = JSON.parse(readFileSync(join(outDir, dir, 'checks.json'), 'utf8')) as { status: string; description?: string; errorMessage?: string; details?: { message?: string } }[];
    const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
    if (bad.length) out[scenario] = bad.map((c) => `${c.status}: ${c.errorMessage ?? c.details?.message ?? c.description}`);
  }
  return out;
}

describe('MCP conformance suite (server, over Streamable HTTP)', () => {
  it('every expected failure has a reason', () => {
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as { server: string[]; why: Record<string, string> };
    for (const s of expected.server) expect(expected.why[s], s).toBeTruthy();
    expect(Object.keys(expected.why).sort()).toEqual([...expected.server].sort());
  });

  it('fails only the scenarios listed as expected', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'apigw-conformance-out-'));
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const p = spawn(process.execPath, [CONFORMANCE, 'server', '--url', url, '--expected-failures', EXPECTED, '-o', outDir], {
        env: { PATH: process.env.PATH ?? '', HOME: outDir, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stdout += d));
      const timer = setTimeout(() => p.kill('SIGKILL'), 50_000);
      p.on('error', reject);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout });
      });
    });
    const summary = run.stdout.slice(run.stdout.indexOf('=== SUMMARY ==='));
    const expected = new Set((JSON.parse(readFileSync(EXPECTED, 'utf8')) as { server: string[] }).server);
    const failed = failures(outDir);
    // Said per scenario, so a failure names what broke.
    const unexpected = Object.fromEntries(Object.entries(failed).filter(([s]) => !expected.has(s)));
    const nowPassing = [...expected].filter((s) => !(s in failed));
    expect(unexpected, summary).toEqual({});
    expect(nowPassing, `listed as expected failures but now pass: remove them from ${EXPECTED}`).toEqual([]);
    expect(Object.keys(failed).length).toBeGreaterThan(0); // the suite did run
    expect(run.code, summary).toBe(0);
  }, 60_000);
});
