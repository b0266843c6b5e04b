// The local approval page, for clients that cannot ask a human (Claude Desktop, the Inspector CLI): a loopback
// page with an unguessable id that shows the change and its risk, where a person clicks Approve or Reject.
// Approving takes a POST carrying the page's own token from the same origin; Host and Origin are checked so
// another site (DNS rebinding, a cross-site form) cannot approve.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderPage, sizeOf, type Prepared } from './render.js';
import { ToolError } from '../errors.js';

export interface Approval {
  id: string;
  /** Binds the approval to the exact change and every state it read. */
  binding: string;
  /** The same for the same change previewed against another state. */
  change: string;
  /** What the human reads, compact (values cut, the whole bounded): never the change's full documents. */
  shown: Prepared;
  /** The client (session or connection) that asked: what the caps count. */
  client: string;
  /** Bytes this approval keeps while it waits. */
  bytes: number;
  status: 'pending' | 'approved' | 'rejected';
  expiresAt: number;
  /** The per-page token the form posts back; the agent never sees it. */
  token: string;
}

/** Why an approval id is no longer usable: applied, rejected, or spent on a retry that found the state changed. */
export type SpentAs = 'used' | 'rejected' | 'stale' | 'expired';

/** Spent ids remembered at most (ids only, each for one TTL): enough to explain retries, bounded whatever happens. */
const MAX_SPENT = 10_000;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(a: Approval, note = ''): string {
  const open = a.status === 'pending' && Date.now() < a.expiresAt;
  const form = open
    ? `<form method="post"><input type="hidden" name="token" value="${esc(a.token)}">
<button name="decision" value="approve" class="approve">Approve</button><button name="decision" value="reject" class="reject">Reject</button></form>`
    : `<p class="status">This request is <b>${Date.now() >= a.expiresAt && a.status === 'pending' ? 'expired' : esc(a.status)}</b>.</p>`;
  const footer = `Approval id ${a.id}; expires ${new Date(a.expiresAt).toISOString()}. After deciding, return to your agent: it applies the change only when it calls the tool again with this approval id.`;
  return renderPage(a.shown, { form, footer, ...(note ? { note } : {}) });
}

const GONE: Record<SpentAs, string> = {
  used: 'This approval was already used.',
  stale: 'This approval was already used.',
  rejected: 'This request was rejected; nothing was applied.',
  expired: 'This request expired before it was used; nothing was applied.',
};

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
      if (body.length > 4096) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class ApprovalPage {
  private server?: Server;
  private started?: Promise<number>;
  private readonly approvals = new Map<string, Approval>();
  /** Ids used up, with why and until when that is remembered, so a retry with one is told what happened to it. */
  private readonly spent = new Map<string, { as: SpentAs; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSpent = MAX_SPENT,
    /** Fixed with --approval-port; 0: any free port. */
    private readonly port = 0,
  ) {}

  /** Registers a pending approval and returns it with the page's URL. */
  async create(p: { binding: string; change: string; shown: Prepared; client: string }): Promise<{ approval: Approval; url: string }> {
    this.sweep();
    const approval: Approval = {
      id: `apr_${randomBytes(18).toString('base64url')}`,
      ...p,
      bytes: sizeOf(p.shown) + 256,
      status: 'pending',
      expiresAt: Date.now() + this.ttlMs,
      token: randomBytes(24).toString('base64url'),
    };
    this.approvals.set(approval.id, approval);
    return { approval, url: await this.urlFor(approval.id) };
  }

  /** Approvals kept (pending, or approved and not yet used; expired ones swept first): what the caps count. */
  live(): Approval[] {
    this.sweep();
    return [...this.approvals.values()];
  }

  /** The pending approval this client already asked for this exact change, if any: asked again, it is reused. */
  pendingFor(binding: string, client: string): Approval | undefined {
    return this.live().find((a) => a.status === 'pending' && a.binding === binding && a.client === client);
  }

  get(id: string): Approval | undefined {
    const a = this.approvals.get(id);
    return a && Date.now() < a.expiresAt ? a : undefined;
  }

  /** An approval is used once: applied or declined for its own change, it is gone (a retry for another change leaves it). */
  consume(id: string, as: SpentAs): void {
    this.approvals.delete(id);
    this.spent.set(id, { as, until: Date.now() + this.ttlMs });
    // Map order is insertion order: the oldest goes first.
    while (this.spent.size > this.maxSpent) this.spent.delete(this.spent.keys().next().value!);
  }

  /** How an id that is no longer usable was used up, if that is still remembered. */
  spentAs(id: string): SpentAs | undefined {
    const s = this.spent.get(id);
    return s && Date.now() < s.until ? s.as : undefined;
  }

  async urlFor(id: string): Promise<string> {
    return `http://127.0.0.1:${await this.listen()}/approve/${id}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private sweep(): void {
    const now = Date.now();
    // An expired approval keeps only its id (to explain a late retry): its view is what takes room.
    for (const [id, a] of this.approvals) if (now >= a.expiresAt) this.consume(id, 'expired');
    for (const [id, s] of this.spent) if (now >= s.until) this.spent.delete(id);
  }

  private listen(): Promise<number> {
    this.started ??= new Promise((resolve, reject) => {
      this.server = createServer((req, res) => void this.handle(req, res));
      this.server.on('error', (err: NodeJS.ErrnoException) => {
        // Not cached: the next change that needs the page tries again (the port may be free by then).
        this.started = undefined;
        reject(
          err.code === 'EADDRINUSE'
            ? new ToolError(`The approval page cannot listen on 127.0.0.1:${this.port}: the port is in use (another copy of this server?). Start it with another --approval-port, or 0 for any free port. Nothing was sent.`, 'conflict')
            : err,
        );
      });
      // Loopback only (any free port unless --approval-port); it never keeps the process alive on its own.
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server!.unref();
        resolve((this.server!.address() as AddressInfo).port);
      });
    });
    return this.started;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const port = (this.server!.address() as AddressInfo).port;
    const send = (status: number, body: string): void =>
      void res
        .writeHead(status, {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'X-Frame-Options': 'DENY',
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
          // 'no-referrer' would make browsers send `Origin: null` with the form, which the Origin check must refuse.
          'Referrer-Policy': 'same-origin',
        })
        .end(body);
    // DNS rebinding: only our own loopback names may be asked for.
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!hosts.includes(req.headers.host ?? '')) return send(403, 'Forbidden host');
    const m = /^\/approve\/(apr_[A-Za-z0-9_-]{24})$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const a = m ? this.get(m[1]) : undefined;
    const spent = m && !a ? this.spentAs(m[1]) : undefined;
    if (spent) return send(410, GONE[spent]);
    if (!a) return send(404, 'No such approval request (it may have expired).');
    if (req.method === 'GET') return send(200, page(a));
    if (req.method !== 'POST') return send(405, 'Method not allowed');
    // A cross-site form or script cannot forge our origin; a form without one is refused too.
    if (!hosts.map((h) => `http://${h}`).includes(req.headers.origin ?? '')) return send(403, 'Forbidden origin');
    const form = await readForm(req).catch(() => undefined);
    if (!form || !sameToken(form.get('token') ?? '', a.token)) return send(403, 'Invalid or missing page token');
    if (a.status !== 'pending') return send(409, page(a, 'This request was already decided.'));
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'reject') return send(400, 'Unknown decision');
    a.status = decision === 'approve' ? 'approved' : 'rejected';
    send(200, page(a, decision === 'approve' ? 'Approved. Return to your agent to apply it.' : 'Rejected. Nothing will be applied.'));
  }
}
