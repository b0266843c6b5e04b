// 2025-era clients over Streamable HTTP, with sessions (Mcp-Session-Id). Served statelessly, such a client's
// initialize reaches a server that is gone by its next request: the server would not know that the client can
// answer elicitation (so a risky change would fall back to the approval page) nor the client's name (for the
// user agent), and an elicitation answer would reach a server that never asked. So an `initialize` opens a session:
// one MCP server and the SDK's own sessionful transport, kept until the client ends it (DELETE), it idles out, or
// the oldest must make room. Requests without a session id that are not an initialize are still answered
// statelessly, as before (clients that never initialize, e.g. a curl).
import { isInitializeRequest, legacyStatelessFallback, WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';

export interface SessionLimits {
  /** Sessions kept at once; the least recently used is closed to make room (its client re-initializes on 404). */
  maxSessions: number;
  /** A session with no request for this long is closed. */
  idleMs: number;
  maxRequestBodySize: number;
  /** A session this says to keep (a call of it waits for a human's answer) is never evicted nor idled out. */
  keep?: (sessionId: string) => boolean;
}

export const SESSION_LIMITS: SessionLimits = { maxSessions: 256, idleMs: 30 * 60_000, maxRequestBodySize: 4 * 1024 * 1024 };

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  seen: number;
}

/** The JSON body, or undefined when there is none or it does not parse (the handlers then answer the error). */
export async function jsonOf(request: Request): Promise<unknown> {
  try {
    return await request.clone().json();
  } catch {
    return undefined;
  }
}

/** The spec's answer to an unknown or expired session id: 404, so the client starts a new session. */
const sessionNotFound = () =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found (ended, expired or evicted): initialize again' }, id: null }), {
    status: 404,
    headers: { 'Content-Type': 'application/json' },
  });

/** What the HTTP layer hands on: the body it already parsed, if it parsed. */
export interface RequestOptions {
  parsedBody?: unknown;
}

export class LegacySessions {
  // Map order is recency order: a request moves its session to the end.
  private readonly sessions = new Map<string, Session>();
  private readonly stateless: ReturnType<typeof legacyStatelessFallback>;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly factory: () => McpServer,
    private readonly limits: SessionLimits = SESSION_LIMITS,
    private readonly onerror?: (error: Error) => void,
  ) {
    this.stateless = legacyStatelessFallback(factory, onerror, { maxRequestBodySize: limits.maxRequestBodySize });
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, limits.idleMs)).unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  async fetch(request: Request, options?: RequestOptions): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    if (id) {
      const session = this.sessions.get(id);
      if (!session) return sessionNotFound();
      this.sessions.delete(id);
      this.sessions.set(id, { ...session, seen: Date.now() });
      return session.transport.handleRequest(request, options);
    }
    if (request.method === 'POST' && isInitializeRequest(options?.parsedBody ?? (await jsonOf(request)))) return this.open(request, options);
    return this.stateless(request, options);
  }

  private async open(request: Request, options?: RequestOptions): Promise<Response> {
    const server = this.factory();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { server, transport, seen: Date.now() });
        this.makeRoom();
      },
      // The client ended it (DELETE).
      onsessionclosed: (id) => void this.end(id),
    });
    if (this.onerror) transport.onerror = this.onerror;
    await server.connect(transport);
    const response = await transport.handleRequest(request, options);
    // A refused initialize (a bad request) opens nothing.
    if (!transport.sessionId) await server.close();
    return response;
  }

  /** Closes the least recently used sessions beyond the limit, skipping any with a call waiting for a human. */
  private makeRoom(): void {
    let excess = this.sessions.size - this.limits.maxSessions;
    for (const id of this.sessions.keys()) {
      if (excess <= 0) break;
      if (this.limits.keep?.(id)) continue;
      this.end(id);
      excess--;
    }
  }

  private end(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    session.server.close().catch((err: Error) => this.onerror?.(err));
  }

  private sweep(): void {
    const before = Date.now() - this.limits.idleMs;
    for (const [id, s] of this.sessions) if (s.seen < before && !this.limits.keep?.(id)) this.end(id);
  }

  /** Ends every session (their open streams close). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => s.server.close()));
  }
}
