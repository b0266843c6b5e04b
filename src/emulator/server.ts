// An API Gateway (REST, v1) control-plane emulator on node:http, speaking the rest-json wire protocol so the
// unmodified AWS SDK v3 and AWS CLI work against it. Any credentials are accepted (SigV4 is not verified).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, badRequest, errorBody, serialization } from './errors.js';
import { FaultConfigError, Faults, faultsFromEnv, isLoopback, type FaultConfig, type FaultCounters } from './faults.js';
import { matchRoute } from './routes.js';
import { isStsRequest, stsReply } from './sts.js';
import { seedDemo } from './seed.js';
import type { Context, Doc, State } from './state.js';
import { Store } from './store.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** JSON state file; undefined = in memory only. */
  statePath?: string;
  /** Default true: seed the demo APIs on first use when the state is empty or absent. */
  seed?: boolean;
  /** Default '123456789012'. */
  accountId?: string;
  /** Default 'us-east-1'. */
  region?: string;
  /**
   * Faults to inject (throttling, 5xx, conflicts, latency, dropped connections, tampered writes, rate limits; see
   * faults.ts).
   * Absent: the JSON in the env var APIGW_EMULATOR_FAULTS, if set. Changeable at run time through
   * GET / PUT / DELETE /__emulator/faults (loopback clients only) or setFaults().
   */
  faults?: FaultConfig;
}

export interface Emulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Count per AWS operation name, e.g. {GetIntegration: 2, UpdateIntegration: 1}. */
  calls(): Record<string, number>;
  /** The user-agent header of the last API Gateway request (to test what CloudTrail would show). */
  lastUserAgent(): string | undefined;
  /** Zeroes calls() and faults(). */
  resetCalls(): void;
  /** Faults injected per kind since start or resetCalls(), e.g. {throttle: 2}; kinds that never fired are absent. */
  faults(): FaultCounters;
  /** Replaces the fault configuration (validated: throws on a bad one); undefined clears it. */
  setFaults(config?: FaultConfig): void;
}

/** Request bodies above this are refused; the largest legitimate body is a 300 KB mapping template. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function send(res: ServerResponse, status: number, body?: unknown, errorType?: string, extra: Readonly<Record<string, string>> = {}): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID(), ...extra };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  const text = body === undefined ? '' : JSON.stringify(body);
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers).end(text);
}

/** An unexpected failure on stderr (stdout belongs to MCP): one line, the stack only when asked for (APIGW_MCP_DEBUG=1, --debug). */
const logFailure = (err: unknown) =>
  process.stderr.write(`apigw emulator: ${(process.env.APIGW_MCP_DEBUG ? (err as Error)?.stack : (err as Error)?.message) ?? String(err)}\n`);

const sendError = (res: ServerResponse, err: ApiError) => send(res, err.status, errorBody(err), err.type, err.headers);

/** Drops the connection without an answer: the client sees a reset socket. */
function dropConnection(req: IncomingMessage): void {
  req.socket.destroy();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw serialization(`Request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): Doc {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw serialization(`Could not parse the request body as JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw serialization('The request body must be a JSON object');
  return parsed as Doc;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const ctx: Context = { accountId: opts.accountId ?? '123456789012', region: opts.region ?? 'us-east-1' };
  const store = new Store({ statePath: opts.statePath, seed: opts.seed === false ? undefined : (state) => seedDemo(state, ctx) });
  const counts = new Map<string, number>();
  const calls = () => Object.fromEntries(counts);
  const fromEnv = opts.faults === undefined ? faultsFromEnv() : undefined;
  if (fromEnv) process.stderr.write(`apigw emulator: injecting faults from APIGW_EMULATOR_FAULTS: ${JSON.stringify(fromEnv)}\n`);
  const faults = new Faults(opts.faults ?? fromEnv);
  // Injected latency: cleared on close, so a long one does not keep the process alive.
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** GET / PUT / DELETE /__emulator/faults: loopback clients only, as it changes how every request is answered. */
  async function faultControl(req: IncomingMessage, res: ServerResponse, verb: string): Promise<void> {
    const text = await readBody(req);
    if (!isLoopback(req.socket.remoteAddress))
      return sendError(res, new ApiError('AccessDeniedException', `The fault control endpoint answers loopback clients only; ${req.socket.remoteAddress} is not one`));
    if (verb === 'PUT') {
      try {
        faults.set(text.trim() === '' ? {} : JSON.parse(text));
      } catch (err) {
        if (err instanceof FaultConfigError || err instanceof SyntaxError) throw badRequest(err.message);
        throw err;
      }
    } else if (verb === 'DELETE') faults.clear();
    else if (verb !== 'GET') return sendError(res, new ApiError('UnknownOperationException', `No operation matches ${verb} /__emulator/faults; use GET, PUT or DELETE`));
    send(res, 200, faults.snapshot());
  }

  let lastUa: string | undefined;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const verb = req.method ?? 'GET';
    // Harness endpoints: let an external process count what a server under test sent.
    if (url.pathname === '/__emulator/calls' && verb === 'GET') return send(res, 200, calls());
    if (url.pathname === '/__emulator/reset-calls' && verb === 'POST') {
      counts.clear();
      faults.resetCounters();
      return send(res, 200, {});
    }
    if (url.pathname === '/__emulator/faults') return faultControl(req, res, verb);
    if (isStsRequest(verb, url.pathname, req.headers['content-type'])) {
      const form = new URLSearchParams(await readBody(req));
      counts.set(form.get('Action') ?? 'StsUnknown', (counts.get(form.get('Action') ?? 'StsUnknown') ?? 0) + 1);
      const reply = stsReply(form, ctx.accountId);
      return void res.writeHead(reply.status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() }).end(reply.xml);
    }
    const match = matchRoute(verb, url.pathname);
    if (!match) {
      await readBody(req).catch(() => '');
      return sendError(res, new ApiError('UnknownOperationException', `No operation matches ${verb} ${url.pathname}`));
    }
    const { route, p } = match;
    lastUa = [req.headers['user-agent'], req.headers['x-amz-user-agent']].filter(Boolean).join(' | ');
    // Every recognised request counts, faulted ones included, so tests can count retries.
    counts.set(route.operation, (counts.get(route.operation) ?? 0) + 1);
    const text = await readBody(req);
    const delay = faults.delay(route.operation);
    if (delay > 0) await sleep(delay);
    // Decided before the operation runs: a throttled, 5xx or 409 request changes nothing.
    const plan = faults.decide(route.operation);
    if (plan.reset === 'before') return dropConnection(req);
    if (plan.error) return sendError(res, plan.error);
    const run = () => {
      const body = parseBody(text);
      const input = (state: State) => route.run({ p, query: url.searchParams, body, state, ctx });
      if (!route.mutates) return store.read(input);
      return store.write((state) => {
        const reply = input(state);
        // Inside the write, so the tampered resource is what gets persisted and answered.
        faults.tamper(route.operation, reply.body);
        return reply;
      });
    };
    if (plan.reset === 'after') {
      // The operation runs (and persists); the client never learns the outcome, success or error.
      try {
        run();
      } catch (err) {
        if (!(err instanceof ApiError)) logFailure(err);
      }
      return dropConnection(req);
    }
    const reply = run();
    send(res, reply.status, reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ApiError) return sendError(res, err);
      // A bug or an unreadable state file: say so on stderr (stdout belongs to MCP) and answer like AWS's 500.
      logFailure(err);
      if (!res.headersSent) sendError(res, new ApiError('InternalFailure', `Internal error: ${(err as Error)?.message ?? String(err)}`));
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    calls,
    lastUserAgent: () => lastUa,
    resetCalls: () => {
      counts.clear();
      faults.resetCounters();
    },
    faults: () => faults.injected(),
    setFaults: (config) => (config === undefined ? faults.clear() : faults.set(config)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
