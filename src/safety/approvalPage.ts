// The local approval page, for clients that cannot ask a human (Claude Desktop, the Inspector CLI): a loopback
// page with an unguessable id that shows the change and its risk, where a person clicks Approve or Reject.
// Approving takes a POST carrying the page's own token from the same origin; Host and Origin are checked so
// another site (DNS rebinding, a cross-site form) cannot approve.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ToolError } from '../errors.js';
import type { Change } from '../patch/diff.js';

export interface ApprovalView {
  title: string;
  where: string;
  backend: string;
  risk: string;
  reasons: string[];
  diff: Change[];
  ops: { op: string; path: string; value?: string }[];
}

export interface Approval {
  id: string;
  /** Binds the approval to the exact target, ops and previewed state. */
  binding: string;
  view: ApprovalView;
  status: 'pending' | 'approved' | 'rejected';
  expiresAt: number;
  /** The per-page token the form posts back; the agent never sees it. */
  token: string;
}

/** What a human or agent sees for a field that is not set, before or after a change (never `undefined`). */
export const ABSENT = '(absent)';

/** A before/after value as text: JSON, or ABSENT. */
export const showValue = (v: unknown): string => (v === undefined ? ABSENT : JSON.stringify(v));

/** Why an approval id is no longer usable: applied, rejected, or spent on a retry that found the state changed. */
export type SpentAs = 'used' | 'rejected' | 'stale';

/** Spent ids remembered at most (ids only, each for one TTL): enough to explain retries, bounded whatever happens. */
const MAX_SPENT = 10_000;

const esc = (s: unknown) =>
  String(typeof s === 'string' ? s : JSON.stringify(s)).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(a: Approval, note = ''): string {
  const rows = a.view.diff.map((d) => `<tr><td><code>${esc(d.path)}</code></td><td class="old">${d.before === undefined ? `<i>${ABSENT}</i>` : `<code>${esc(d.before)}</code>`}</td><td class="new">${d.after === undefined ? `<i>${ABSENT}</i>` : `<code>${esc(d.after)}</code>`}</td></tr>`).join('');
  const ops = a.view.ops.map((o) => `<li><code>${esc(o.op)} ${esc(o.path)}${o.value !== undefined ? ` = ${esc(o.value)}` : ''}</code></li>`).join('');
  const form =
    a.status === 'pending' && Date.now() < a.expiresAt
      ? `<form method="post"><input type="hidden" name="token" value="${esc(a.token)}">
         <button name="decision" value="approve" class="approve">Approve</button>
         <button name="decision" value="reject" class="reject">Reject</button></form>`
      : `<p class="status">This request is <b>${Date.now() >= a.expiresAt && a.status === 'pending' ? 'expired' : esc(a.status)}</b>.</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Approve change: ${esc(a.view.title)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}.old{background:#fee}.new{background:#efe}
.risk{font-weight:bold;color:#a00}button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}.approve{background:#2a7}.reject{background:#c44;color:#fff}</style></head>
<body><h1>Approve a change to API Gateway?</h1>${note ? `<p class="status">${esc(note)}</p>` : ''}
<p><b>${esc(a.view.title)}</b><br>${esc(a.view.where)}<br>Backend: ${esc(a.view.backend)}</p>
<p class="risk">Risk: ${esc(a.view.risk)}</p><ul>${a.view.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<h2>Before / after</h2><table id="diff"><tr><th>path</th><th>before</th><th>after</th></tr>${rows}</table>
<h2>Operations</h2><ul>${ops}</ul>${form}
<p><small>Approval id ${esc(a.id)}; expires ${new Date(a.expiresAt).toISOString()}. After deciding, return to your agent: it applies the change only when it calls the tool again with this approval id.</small></p>
</body></html>`;
}

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
  async create(binding: string, view: ApprovalView): Promise<{ approval: Approval; url: string }> {
    this.sweep();
    const approval: Approval = {
      id: `apr_${randomBytes(18).toString('base64url')}`,
      binding,
      view,
      status: 'pending',
      expiresAt: Date.now() + this.ttlMs,
      token: randomBytes(24).toString('base64url'),
    };
    this.approvals.set(approval.id, approval);
    return { approval, url: await this.urlFor(approval.id) };
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
    for (const [id, a] of this.approvals) if (now >= a.expiresAt + this.ttlMs) this.approvals.delete(id);
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
    if (spent) return send(410, spent === 'rejected' ? 'This request was rejected; nothing was applied.' : 'This approval was already used.');
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
