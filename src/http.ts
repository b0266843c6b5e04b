// MCP over Streamable HTTP at /mcp, both protocol eras: 2026-07-28 requests by the SDK's per-request handler,
// 2025-era clients in sessions (./httpSessions.ts), routed by the SDK's own classifier. In front, the guards a
// network listener needs: Host and Origin allowlists (DNS rebinding), a bearer token on every request (given, or
// generated at start: see httpToken.ts; compared in constant time), a request body limit and a bound on requests at
// once. Unauthenticated requests reach nothing: no session, no tool, no question.
// Shutdown stops accepting, lets in-flight calls finish, then closes.
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type McpServer } from '@modelcontextprotocol/server';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonOf, LegacySessions, SESSION_LIMITS } from './httpSessions.js';
import { log } from './log.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Every request must carry it (`Authorization: Bearer ...`). */
  authToken: string;
  /** Host header names allowed (no port). */
  allowedHosts: string[];
  /** Origin hostnames allowed for browser callers; requests without Origin (non-browser clients) pass. */
  allowedOrigins: string[];
  maxBodyBytes: number;
  /** Requests served at once (a session's open GET stream aside); more get 503 + Retry-After. */
  maxConcurrent: number;
  /** Whether a session has a call waiting for a human's answer: such a session is never evicted to make room. */
  holdsQuestion?: (sessionId: string) => boolean;
}


/** A JSON-RPC response (or a batch of them): a client answering a request of the server. */
const isAnswer = (body: unknown): boolean =>
  Array.isArray(body) ? body.length > 0 && body.every(isAnswer) : !!body && typeof body === 'object' && !('method' in body) && ('result' in body || 'error' in body);

/** Hashing first makes the comparison constant-time whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}

export interface HttpServerHandle {
  url: string;
  close(): Promise<void>;
}

export async function serveHttp(factory: () => McpServer, opts: HttpOptions): Promise<HttpServerHandle> {
  if (!opts.authToken) throw new Error('HTTP needs a bearer token (see httpToken.ts)');
  const onerror = (e: Error) => log(`http: ${e.message}`);
  const modern = createMcpHandler(factory, { legacy: 'reject', maxRequestBodySize: opts.maxBodyBytes, onerror });
  const legacy = new LegacySessions(factory, { ...SESSION_LIMITS, maxRequestBodySize: opts.maxBodyBytes, ...(opts.holdsQuestion ? { keep: opts.holdsQuestion } : {}) }, onerror);
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const busy = () =>
    new Response(JSON.stringify({ error: 'busy', error_description: `more than ${opts.maxConcurrent} requests at once; retry` }), { status: 503, headers: { 'Retry-After': '1', 'Content-Type': 'application/json' } });
  // The body is parsed once, here, and handed on: the limit needs to see it, and so does the era classifier.
  const route = async (request: Request): Promise<Response> => {
    const parsedBody = request.method === 'POST' ? await jsonOf(request) : undefined;
    // A client's answer to the server's own question (elicitation) lets a call in flight finish: never refused.
    if (request.method === 'POST' && inFlight > opts.maxConcurrent && !isAnswer(parsedBody)) return busy();
    const options = parsedBody === undefined ? undefined : { parsedBody };
    return (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: opts.maxBodyBytes })) ? legacy.fetch(request, options) : modern.fetch(request, options);
  };
  const mcp = toNodeHandler({ fetch: route }, { maxRequestBodySize: opts.maxBodyBytes, onerror });
  const checkHost = hostHeaderValidation(opts.allowedHosts);
  const checkOrigin = originValidation(opts.allowedOrigins);

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (!checkHost(req, res) || !checkOrigin(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/mcp') return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the MCP endpoint is /mcp\n');
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m || !sameSecret(m[1], opts.authToken))
      return void res
        .writeHead(401, { 'WWW-Authenticate': 'Bearer realm="apigw-integration-mcp"', 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'unauthorized', error_description: 'A valid bearer token is required (the server printed where it is at start)' }));
    // A session's GET stream stays open while its client is connected: bounded by the session limit instead.
    if (req.method === 'GET') return void (await mcp(req, res));
    inFlight++;
    res.on('close', () => {
      if (--inFlight === 0) drained?.();
    });
    await mcp(req, res);
  });
  server.requestTimeout = 0; // SSE streams and confirmations may stay open; idle sockets still time out.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shown}:${port}/mcp`,
    async close() {
      // Stop accepting; let calls in flight finish (nothing half-written), then tear down.
      server.close();
      server.closeIdleConnections();
      // Bounded: a long-lived stream (a subscription) must not hold the shutdown forever.
      if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      await Promise.all([modern.close(), legacy.close()]);
      server.closeAllConnections();
    },
  };
}
