// Every shell block of the README as a new user copies it after the Quick start: each command's program exists
// (a script of this clone, an npm script, a package the Inspector runs from node_modules, or a tool the README says
// to install), and the blocks that can run offline are run: the Inspector CLI on stdio, the emulator alone with the
// server and the Inspector against it, and the HTTP server with a token and the Inspector over HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const PLACEHOLDER = '/path/to/apigw-integration-mcp';
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** Tools the README uses that a user installs themselves, each named in the README with where it comes from. */
const USER_TOOLS: Record<string, RegExp> = { claude: /Claude Code/, aws: /AWS CLI/ };
/** POSIX utilities every shell that runs the README has. */
const POSIX = new Set(['cat']);

/** The README's ```sh blocks, each as its commands: continuations joined, comments dropped, `&&` split. */
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
  m[1]
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .flatMap((l) => l.split(' && ')),
);

/** Shell words, quotes kept whole (enough for the README's commands). */
function words(command: string): string[] {
  return command.match(/(?:"[^"]*"|'[^']*'|[^\s"'])+/g) ?? [];
}

/** The program and its arguments, leading VAR=value assignments skipped; a bare VAR=$(...) is its inner command. */
function programOf(command: string): string[] {
  const inner = /^[A-Z_]+=\$\((.*)\)$/.exec(command);
  if (inner) return words(inner[1]);
  const w = words(command.replace(/\s*&$/, ''));
  while (w.length > 1 && /^[A-Z_]+=/.test(w[0])) w.shift();
  return w;
}

/** What is wrong with a command as written, if anything. */
function problemOf(command: string): string | undefined {
  const [program, ...args] = programOf(command);
  const fill = (p: string) => resolve(ROOT, p.split(PLACEHOLDER).join(ROOT));
  switch (program) {
    case 'node':
      return args[0] === '-e' || existsSync(fill(args[0])) ? undefined : `no script ${args[0]}`;
    case 'npm': {
      const [sub, name] = args;
      if (['install', 'ci', 'link', 'pack'].includes(sub)) return undefined;
      const script = sub === 'run' ? name : sub;
      return scripts[script] ? undefined : `no npm script ${script}`;
    }
    case 'npx': {
      const pkg = args.find((a) => !a.startsWith('-'))!;
      return existsSync(join(ROOT, 'node_modules', pkg, 'package.json')) ? undefined : `npx ${pkg} is not a dependency (it would be downloaded)`;
    }
    default:
      if (POSIX.has(program)) return undefined;
      if (USER_TOOLS[program]) return USER_TOOLS[program].test(readme) ? undefined : `${program}: the README does not say where it comes from`;
      return `unknown program ${program}`;
  }
}

const spawned: ChildProcess[] = [];
afterAll(() => {
  // Each was started in its own process group (npm runs its script in a shell): the group goes with it.
  for (const child of spawned) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const home = mkdtempSync(join(tmpdir(), 'apigw-readme-'));
const ENV = { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: join(home, 'state'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Runs one README command in bash from the clone, as written but for `edit` (ports), and waits for it. */
function run(command: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-c', command.split(PLACEHOLDER).join(ROOT)], { cwd: ROOT, env: { ...ENV, ...env }, encoding: 'utf8', input: '', timeout: 90_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** Starts a long-running README command (a server) and resolves once its stderr says `ready`. */
function start(command: string, ready: RegExp, env: Record<string, string> = {}): Promise<string> {
  const child = spawn('bash', ['-c', `exec ${command.replace(/\s*&$/, '').split(PLACEHOLDER).join(ROOT)}`], { cwd: ROOT, env: { ...ENV, ...env }, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  spawned.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      if (ready.test(err)) resolve(err);
    });
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${err}`)));
  });
}

const blockWith = (text: string) => blocks.find((b) => b.some((c) => c.includes(text)))!;

describe('the README shell blocks', () => {
  it('name only programs that exist after the Quick start', () => {
    const all = blocks.flat();
    expect(all.length).toBeGreaterThan(10);
    const problems = all.map((c) => [c, problemOf(c)]).filter(([, p]) => p);
    expect(problems).toEqual([]);
  });

  it('say apigw-integration-mcp only where it is a command: after npm link, in paths, or as the package', () => {
    for (const c of blocks.flat()) expect(programOf(c)[0], c).not.toBe('apigw-integration-mcp');
    for (const m of readme.matchAll(/`apigw-integration-mcp [^`]*`/g)) expect(readme.slice(m.index! - 200, m.index! + m[0].length + 200), m[0]).toMatch(/npm link|npx|\$ /);
  });

  it('the Inspector CLI commands of the Quick start run as written, offline', () => {
    const [list, call] = blockWith('--method tools/list');
    const listed = run(list);
    expect(listed.status, listed.err).toBe(0);
    expect(listed.out).toContain('"get_integration"');
    const got = run(call);
    expect(got.status, got.err).toBe(0);
    expect(got.out).toContain('https://orders.example.com/orders');
  }, 120_000);

  it('the emulator alone, with the server and the Inspector CLI against it, runs as written (on a free port)', async () => {
    const port = String(await freePort());
    const block = blockWith('npm run emulator').map((c) => c.split('4599').join(port));
    await start(block[0], /listening on http/);
    for (const command of block.slice(1)) {
      const program = programOf(command)[0];
      // The AWS CLI is the user's own: run where it works, as test/emulator-cli.test.ts does.
      if (program === 'aws' && spawnSync('aws', ['--version']).status !== 0) continue;
      const r = run(command);
      expect(r.status, `${command}\n${r.err}`).toBe(0);
      if (program === 'npx') expect(r.out).toContain('"list_apis"');
      if (program === 'aws') expect(r.out).toContain('shop');
    }
  }, 120_000);

  it('the HTTP server with a token, and the Inspector CLI over HTTP, run as written (on a free port)', async () => {
    const port = String(await freePort());
    const [tokenLine, serverLine] = blockWith('--auth-token "$TOKEN"');
    const token = run(`${tokenLine} && echo "$TOKEN"`).out.trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const log = await start(serverLine.split('3000').join(port), /serving MCP over Streamable HTTP/, { TOKEN: token });
    expect(log).toContain(`http://127.0.0.1:${port}/mcp (bearer token required)`);
    const inspector = blockWith('claude mcp add --transport http').find((c) => c.startsWith('npx'))!;
    const r = run(inspector.split('3000').join(port), { TOKEN: token });
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('"update_integration"');
  }, 120_000);
});
