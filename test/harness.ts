// End-to-end harness: a standalone emulator (in this process, so its call counts are visible), the real server
// spawned over stdio and driven by the SDK's real MCP Client, and an independent AWS SDK client to check results.
import { APIGatewayClient, GetIntegrationCommand, GetRestApisCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/emulator/server.js';

export const BIN = fileURLToPath(new URL('../bin/apigw-integration-mcp.js', import.meta.url));
export const CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Stack {
  emulator: Emulator;
  /** The server's audit log (under its XDG_STATE_HOME). */
  auditLog: string;
  client: Client;
  aws: APIGatewayClient;
  stderr: () => string;
  /** Calls a tool; returns the result with its structuredContent and text. */
  /** `text` is the message; a failure's closing `(code: ...)` line is in `code` (the raw text in `raw`). */
  call(name: string, args?: Record<string, unknown>): Promise<{ isError?: boolean; structured: any; text: string; code?: string; raw: string }>;
  /** Ids of a seeded method, looked up through the independent SDK client. */
  ids(apiName: string, path: string): Promise<{ restApiId: string; resourceId: string }>;
  integration(restApiId: string, resourceId: string, httpMethod: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * APIGW_TEST_IN_PROCESS=1 (the mutation run's config): the server runs in this process from src/, over an in-memory
 * pair routed through serveStdio (both protocol eras), instead of spawning bin/ (dist/), so a mutant of src/ is what
 * the tests exercise. Its logs then go to this process's stderr, and Stack.stderr() stays empty.
 */
const IN_PROCESS = process.env.APIGW_TEST_IN_PROCESS === '1';

async function connectInProcess(client: Client, args: string[], env: Record<string, string>): Promise<() => Promise<void>> {
  const [{ parseServerArgs }, { createContext }, { createServer }, { serveStdio }, { InMemoryTransport }] = await Promise.all([
    import('../src/options.js'),
    import('../src/context.js'),
    import('../src/server.js'),
    import('@modelcontextprotocol/server/stdio'),
    import('@modelcontextprotocol/server'),
  ]);
  // The SDK client and the retry settings read process.env (as they do in the spawned server).
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'APIGW_MCP_RETRY_BASE_MS']) if (env[key] !== undefined) process.env[key] = env[key];
  const ctx = createContext(parseServerArgs(args, { ...process.env, ...env }));
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio(() => createServer(ctx), { transport: serverSide });
  await client.connect(clientSide);
  return async () => {
    ctx.confirmer.withdraw();
    await handle.close().catch(() => undefined);
    for (const backend of ctx.backends()) await backend.close().catch(() => undefined);
    await ctx.confirmer.close().catch(() => undefined);
  };
}

export interface StackOptions {
  serverArgs?: string[];
  clientOptions?: ConstructorParameters<typeof Client>[1];
  /** Extra environment variables for the server process (e.g. APIGW_MCP_RETRY_BASE_MS). */
  env?: Record<string, string>;
  /** Options of the in-process emulator besides seed (e.g. faults). */
  emulator?: Omit<EmulatorOptions, 'seed'>;
  /** Runs before connecting, e.g. to register an elicitation handler. */
  setup?: (client: Client) => void;
}

/** A failed call's text ends with its code on a line of its own (src/server.ts errorResult). */
export function splitCode<T extends { raw: string; isError?: boolean }>(r: T): T & { text: string; code?: string } {
  const m = r.isError ? /\n\(code: ([a-z_]+)\)$/.exec(r.raw) : null;
  return { ...r, text: m ? r.raw.slice(0, m.index) : r.raw, ...(m ? { code: m[1] } : {}) };
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ ...opts.emulator, seed: true });
  const home = mkdtempSync(join(tmpdir(), 'apigw-e2e-'));
  // Every tool, the opt-in toolsets too (the default catalog has its own test).
  const args = ['--backend', 'aws', '--endpoint-url', emulator.url, '--region', 'us-east-1', '--toolsets', 'all', ...(opts.serverArgs ?? [])];
  // A stdio child gets only a few variables from the SDK client: pass the AWS settings explicitly.
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: join(home, 'state'), AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, ...opts.env };
  let err = '';
  const client = new Client({ name: 'e2e-test', version: '1.0.0' }, opts.clientOptions);
  opts.setup?.(client);
  let closeServer = async () => undefined as void;
  if (IN_PROCESS) closeServer = await connectInProcess(client, args, env);
  else {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env, stderr: 'pipe' });
    transport.stderr?.on('data', (d) => (err += String(d)));
    await client.connect(transport);
  }
  const aws = new APIGatewayClient({ endpoint: emulator.url, region: 'us-east-1', credentials: CREDS });

  return {
    emulator,
    auditLog: join(home, 'state', 'apigw-integration-mcp', 'audit.jsonl'),
    client,
    aws,
    stderr: () => err,
    async call(name, args = {}) {
      const r = (await client.callTool({ name, arguments: args })) as any;
      return splitCode({ isError: r.isError, structured: r.structuredContent, raw: r.content?.map((c: any) => c.text).join('\n') ?? '' });
    },
    async ids(apiName, path) {
      const apis = await aws.send(new GetRestApisCommand({}));
      const restApiId = apis.items!.find((a) => a.name === apiName)!.id!;
      const resources = await aws.send(new GetResourcesCommand({ restApiId }));
      return { restApiId, resourceId: resources.items!.find((r) => r.path === path)!.id! };
    },
    async integration(restApiId, resourceId, httpMethod) {
      const { $metadata: _, ...rest } = await aws.send(new GetIntegrationCommand({ restApiId, resourceId, httpMethod }));
      return rest;
    },
    async close() {
      await client.close();
      await closeServer();
      aws.destroy();
      await emulator.close();
    },
  };
}

export interface HttpServer {
  child: ChildProcess;
  url: string;
  /** The bearer token every request needs: the one passed with --auth-token, or the one the server generated. */
  token: string;
  /** Its state folder (XDG_STATE_HOME), where a generated token is kept. */
  home: string;
  stderr: () => string;
}

/** Client transport options that send the server's bearer token. */
export const bearer = (token: string) => ({ requestInit: { headers: { Authorization: `Bearer ${token}` } } });

/** Starts the real server over Streamable HTTP (any free port) against an endpoint; resolves once it listens. */
export async function startHttpServer(endpointUrl: string, args: string[] = []): Promise<HttpServer> {
  const home = mkdtempSync(join(tmpdir(), 'apigw-http-'));
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0', '--backend', 'aws', '--endpoint-url', endpointUrl, '--region', 'us-east-1', ...args], {
    env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: home, AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += String(d);
      const m = /Streamable HTTP at (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  const given = args.indexOf('--auth-token');
  // Without --auth-token the server generated one into its state folder (readable only by the user).
  const token = given >= 0 ? args[given + 1] : readFileSync(join(home, 'apigw-integration-mcp', 'http-token'), 'utf8').trim();
  return { child, url, token, home, stderr: () => err };
}

/**
 * A loopback proxy that adds the bearer token, for clients that cannot send a header (the conformance suite):
 * it stands for a client configured with the token.
 */
export async function tokenProxy(target: string, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const out = httpRequest({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host, authorization: `Bearer ${token}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${to.pathname}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
