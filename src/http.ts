// MCP over Streamable HTTP at /mcp, with the SDK's handler (both protocol eras: 2026-07-28 per request, 2025-era
// clients served statelessly) behind the guards a network listener needs: Host and Origin allowlists (DNS
// rebinding), a bearer token (required off loopback, compared in constant time), and a request body limit.
// Shutdown stops accepting, lets in-flight calls finish, then closes.
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from './log.js';
import { isLoopback } from './loopback.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Required when binding anything but loopback. */
  authToken?: string;
  /** Host header names allowed (no port). */
  allowedHosts: string[];
  /** Origin hostnames allowed for browser callers; requests without Origin (non-browser clients) pass. */
  allowedOrigins: string[];
  maxBodyBytes: number;
  /** Requests served at once; more get 503 + Retry-After (each 2025-era request is its own session here). */
  maxConcurrent: number;
}


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
  if (!isLoopback(opts.host) && !opts.authToken)
    throw new Error(`binding ${opts.host} (not loopback) needs a bearer token: --auth-token or APIGW_MCP_AUTH_TOKEN`);
  const handler = createMcpHandler(factory, { maxRequestBodySize: opts.maxBodyBytes, onerror: (e) => log(`http: ${e.message}`) });
  const mcp = toNodeHandler(handler, { maxRequestBodySize: opts.maxBodyBytes, onerror: (e) => log(`http: ${e.message}`) });
  const checkHost = hostHeaderValidation(opts.allowedHosts);
  const checkOrigin = originValidation(opts.allowedOrigins);
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (!checkHost(req, res) || !checkOrigin(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/mcp') return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the MCP endpoint is /mcp\n');
    if (opts.authToken) {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !sameSecret(m[1], opts.authToken))
        return void res
          .writeHead(401, { 'WWW-Authenticate': 'Bearer realm="apigw-integration-mcp"', 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: 'unauthorized', error_description: 'A valid bearer token is required' }));
    }
    if (inFlight >= opts.maxConcurrent)
      return void res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'busy', error_description: `more than ${opts.maxConcurrent} requests at once; retry` }));
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
      await handler.close();
      server.closeAllConnections();
    },
  };
}
