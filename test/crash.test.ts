// Crash safety: kill -9 the emulator and the MCP server in the middle of write loops, at random points, again and
// again. The emulator's state file and the audit log must always parse (no torn line), and the last change the
// server acknowledged must be there. CRASH_ROUNDS (default 6) makes a soak run; it prints its figures.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BIN, CREDS } from './harness.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 6);
const dir = mkdtempSync(join(tmpdir(), 'apigw-crash-'));
const statePath = join(dir, 'emulator.json');
const auditLog = join(dir, 'audit.jsonl');
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts the standalone emulator on the shared state file; resolves with its URL. */
function startEmulatorProcess(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', String(port), '--state', statePath], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${err}`)));
  });
}

async function connectServer(url: string): Promise<{ client: Client; pid: number }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--backend', 'aws', '--endpoint-url', url, '--region', 'us-east-1', '--audit-log', auditLog],
    env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_STATE_HOME: dir, AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, APIGW_MCP_RETRY_BASE_MS: '5' },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'crash-test', version: '1' });
  await client.connect(transport);
  return { client, pid: transport.pid! };
}

const linesOf = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);
const target = { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' };

it(`survives ${ROUNDS} rounds of kill -9 of the server and the emulator mid-write: files parse, the last acknowledged change is kept`, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  let emulator = await startEmulatorProcess(port);
  let lastAcked: { value: number; changeId: string } | undefined;
  const figures = { rounds: ROUNDS, writesAcked: 0, serverKills: 0, emulatorKills: 0 };

  for (let round = 0; round < ROUNDS; round++) {
    const { client, pid } = await connectServer(emulator.url);
    // A write loop; somewhere in it, one of the two processes is killed without warning.
    const victim = round % 2 === 0 ? 'server' : 'emulator';
    // Armed once the round's first write is acknowledged, so every round kills mid-loop, not mid-start.
    let killer: NodeJS.Timeout | undefined;
    const arm = () =>
      (killer ??= setTimeout(() => {
        if (victim === 'server') process.kill(pid, 'SIGKILL');
        else emulator.child.kill('SIGKILL');
      }, 5 + Math.floor(Math.random() * 60)));
    let lastError: string | undefined;
    for (let i = 0; i < 200; i++) {
      // Increasing across rounds and within the 29000 ms limit for up to 140 rounds.
      const value = 100 + round * 200 + i;
      try {
        const r = (await client.callTool({ name: 'set_timeout', arguments: { ...target, timeoutInMillis: value } })) as any;
        if (r.isError) {
          lastError = r.content?.[0]?.text;
          if (killer) break; // its emulator is gone: this round is over
          continue; // not killed yet: a passing error (e.g. a write racing the previous round's kill); try again
        }
        if (r.structuredContent?.status === 'applied') {
          lastAcked = { value, changeId: r.structuredContent.changeId };
          figures.writesAcked++;
          arm();
        }
      } catch {
        break; // the server is gone: this round is over
      }
    }
    clearTimeout(killer);
    expect(killer, `a write was acknowledged in round ${round}; last error: ${lastError}`).toBeDefined();
    victim === 'server' ? figures.serverKills++ : figures.emulatorKills++;
    await client.close().catch(() => undefined);

    // After every crash the files parse, line by line.
    expect(() => JSON.parse(readFileSync(statePath, 'utf8'))).not.toThrow();
    for (const line of linesOf(auditLog)) expect(() => JSON.parse(line), line.slice(0, 80)).not.toThrow();
    if (victim === 'emulator') emulator = await startEmulatorProcess(port);
  }

  // The last acknowledged change is in the audit log and in the emulator's state.
  expect(lastAcked).toBeDefined();
  expect(linesOf(auditLog).map((l) => JSON.parse(l).changeId)).toContain(lastAcked!.changeId);
  const { client } = await connectServer(emulator.url);
  const now = (await client.callTool({ name: 'get_integration', arguments: target })) as any;
  await client.close();
  // A write whose answer the client never got may have landed after the last acknowledged one: never an older one.
  expect(now.structuredContent.integration.timeoutInMillis).toBeGreaterThanOrEqual(lastAcked!.value);
  process.stderr.write(`crash figures: ${JSON.stringify(figures)}\n`);
}, 120_000);
