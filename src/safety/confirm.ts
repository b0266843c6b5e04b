// Asks a human before a change that needs one, in whatever way the client allows:
// 1. MCP elicitation: 2026-07-28 clients get an `input_required` result; 2025-era clients get `elicitation/create`
//    sent from the call itself (see elicit.ts), its wait bounded by the approval TTL,
// 2. otherwise the local approval page, or a bound token (weaker), or a refusal, per --confirm-fallback.
// Every answer is bound to a signed, single-use state naming the exact target, ops and previewed integration:
// an "accept" sent with a first call, or with a replayed, expired, tampered or foreign state, is not an answer.
// Only an answer to this very change is used up: one given for another change stays valid for that change.
// A question still waiting when the server stops is withdrawn: its call answers `declined` before the transports close.
import { createRequestStateCodec, inputRequired, inputResponse, SdkErrorCode, type ElicitRequestFormParams, type ElicitResult, type InputRequiredResult } from '@modelcontextprotocol/server';
import { randomBytes } from 'node:crypto';
import type { ErrorCode } from '../errors.js';
import { ApprovalPage, type Approval, type SpentAs } from './approvalPage.js';
import { WAITING_LIMITS, type WaitingLimits } from './limits.js';
import type { ConfirmFallback } from './policy.js';
import { prepare, renderText, sizeOf, words, type Prepared } from './render.js';
import type { HumanView } from './view.js';

export interface ConfirmSettings {
  fallback: ConfirmFallback;
  /** false (--no-elicitation): never elicit, even when the client declares it (hosts that never show it). */
  elicitation: boolean;
  ttlSeconds: number;
  /** Caps on what waits for a human (defaults: WAITING_LIMITS). */
  limits?: Partial<WaitingLimits>;
  /** The approval page's port on 127.0.0.1 (--approval-port); absent: any free port. */
  port?: number;
}

/**
 * What the human is asked about. `binding`: a hash of the whole change and every state it read (an answer applies
 * only to an exact match). `change`: a hash equal for the same change previewed against another state.
 */
export interface Proposal {
  binding: string;
  change: string;
  view: HumanView;
}

/** The question, as an `elicitation/create` request (embedded in `input_required`, or sent as is). */
export interface ElicitRequest {
  method: 'elicitation/create';
  params: ElicitRequestFormParams;
}

/** What the current tool call carries that may answer an earlier question. */
export interface CallInfo {
  canElicit: boolean;
  requestState?: string;
  inputResponses?: Record<string, unknown>;
  /** approvalId (page) or confirmToken (token fallback) from an earlier result. */
  confirmation?: string;
  /** Who asks: `key` (an HTTP session, or the connection) is what the caps count; `name` its clientInfo name (agent-supplied). */
  client?: { key: string; name?: string };
  /**
   * 2025-era connections: sends the question to the client now and waits at most `timeoutMs` for the answer, or
   * until `signal` withdraws it. Absent on 2026-07-28 requests, which get an `input_required` result instead
   * (nothing waits on the server).
   */
  elicit?: (request: ElicitRequest, timeoutMs: number, signal: AbortSignal) => Promise<ElicitResult>;
  /** Reports a long call's progress: MCP progress notifications when the client sent a token, and stderr. */
  progress?: (done: number, total: number, message: string) => void;
}

export type Verdict =
  | { kind: 'approved'; via: 'elicitation' | 'approval_page' | 'token'; id: string }
  | { kind: 'declined'; via: 'elicitation' | 'approval_page'; id: string }
  | { kind: 'unanswered'; seconds: number }
  | { kind: 'withdrawn' }
  | { kind: 'ask'; result: InputRequiredResult }
  | { kind: 'approval_required'; approvalId: string; approvalUrl: string; title: string }
  | { kind: 'approval_pending'; approvalId: string; approvalUrl: string }
  | { kind: 'confirmation_required'; confirmToken: string; text: string }
  | { kind: 'stale'; message: string }
  | { kind: 'refused'; message: string; code?: ErrorCode };

interface Sealed {
  binding: string;
  nonce: string;
}

/** An open question (a sealed state not yet answered): compact, whatever the change's size. */
interface OpenQuestion {
  expiresAt: number;
  change: string;
  title: string;
  client: string;
}

/** A sealed state checked against a proposal: used up only when it is for this very change. */
type Unsealed = { kind: 'ok' } | { kind: 'invalid' } | { kind: 'other'; title: string; sameChange: boolean };

/** Hand-written (not zod-converted) so strict hosts see no `$schema` key. */
const CONFIRM_SCHEMA = {
  type: 'object' as const,
  properties: { approve: { type: 'boolean' as const, title: 'Apply this change', description: 'Check to apply; leave unchecked or decline to apply nothing' } },
  required: ['approve'],
};

/** Bytes an open question keeps (its title, ids and hashes). */
const QUESTION_BYTES = 512;

/** Page approvals and tokens (per-process key) live in this process only. */
const LOST_ON_RESTART =
  'Approvals live in the server process and do not survive a restart: a client that starts a new server per call (like the MCP Inspector CLI on stdio) cannot complete one; run the server with --http, or use a client that can elicit.';

/** Why an approval id that is no longer usable cannot be used, by how it was used up. */
const SPENT: Record<SpentAs, (id: string) => string> = {
  used: (id) => `approvalId ${id} was already used for the change it approved (an approval applies once; list_changes shows what was applied). Nothing was sent; to change it again, call again without the confirmation field to request a new approval.`,
  rejected: (id) => `approvalId ${id} was rejected by the human. Nothing was sent; only if the human wants this change after all, call again without the confirmation field to request a new approval.`,
  stale: (id) => `approvalId ${id} was already used up: when it was retried, what it previewed had changed, so nothing was applied with it. Nothing was sent; review the current state, then call again without the confirmation field to preview and approve anew.`,
  expired: (id) => `approvalId ${id} expired (--approval-ttl) before it was used. Nothing was sent; call again without the confirmation field to request a new approval.`,
};

/** What happens to an approval given for another change, by its status. */
const STANDING: Record<Approval['status'], (a: Approval, url: string) => string> = {
  pending: (_a, url) => `It was not used: it still waits for the human at ${url} and stays valid for that change.`,
  approved: (a) => `It was not used and stays valid for a retry of that change with its original arguments until ${new Date(a.expiresAt).toISOString()}.`,
  rejected: () => 'The human rejected that change.',
};

const NO_CLIENT = 'connection';

export class Confirmer {
  private readonly codec;
  /** Nonces minted and not yet used, with when they expire and what they are for: each question is answered once. */
  private readonly open = new Map<string, OpenQuestion>();
  /** Questions sent from a call that waits for the answer (2025 era), with the client asked: withdrawn when the server stops. */
  private readonly waiting = new Map<AbortController, string>();
  private stopping = false;
  private readonly limits: WaitingLimits;
  readonly page: ApprovalPage;

  constructor(private readonly settings: ConfirmSettings) {
    // A per-process key: one process serves every round of a flow (stdio, and this server's HTTP sessions).
    this.codec = createRequestStateCodec<Sealed>({ key: randomBytes(32), ttlSeconds: settings.ttlSeconds });
    this.page = new ApprovalPage(settings.ttlSeconds * 1000, undefined, settings.port);
    this.limits = { ...WAITING_LIMITS, ...settings.limits };
  }

  /** Calls of this client now waiting for a human's answer (its HTTP session must not be evicted meanwhile). */
  waitingFor(client: string): number {
    let n = 0;
    for (const c of this.waiting.values()) if (c === client) n++;
    return n;
  }

  /** Whether this call can be answered by elicitation; otherwise the fallback decides. */
  private usesElicitation(call: CallInfo): boolean {
    return call.canElicit && this.settings.elicitation;
  }

  /** Decided before any AWS call: a human is needed and there is no way to ask one. */
  refusesOutright(call: CallInfo): string | undefined {
    if (this.usesElicitation(call) || this.settings.fallback !== 'deny') return undefined;
    return "This change needs a human's confirmation, and this client cannot ask for it (no MCP elicitation); the server is configured to refuse then (--confirm-fallback deny). Nothing was sent.";
  }

  async decide(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (this.usesElicitation(call)) return this.viaElicitation(p, call);
    if (this.settings.fallback === 'deny') return { kind: 'refused', code: 'needs_human', message: this.refusesOutright(call)! };
    if (this.settings.fallback === 'token') return this.viaToken(p, call);
    return this.viaPage(p, call);
  }

  /**
   * The server is stopping: every question a call waits on is withdrawn (the call answers `declined` at once, so
   * that answer can still reach the client), and no call asks one anymore.
   */
  withdraw(): void {
    this.stopping = true;
    for (const question of this.waiting.keys()) question.abort(new Error('the server is stopping'));
  }

  async close(): Promise<void> {
    await this.page.close();
  }

  /** What is kept for a client and in total (expired questions swept first), to refuse what would pass a cap. */
  private held(client: string): { mine: number; mineBytes: number; all: number; allBytes: number; titles: string[] } {
    const now = Date.now();
    for (const [n, o] of this.open) if (o.expiresAt < now) this.open.delete(n);
    const held = { mine: 0, mineBytes: 0, all: 0, allBytes: 0, titles: [] as string[] };
    const add = (owner: string, bytes: number, title: string) => {
      held.all++;
      held.allBytes += bytes;
      if (owner !== client) return;
      held.mine++;
      held.mineBytes += bytes;
      if (held.titles.length < 3) held.titles.push(title);
    };
    for (const o of this.open.values()) add(o.client, QUESTION_BYTES, `question "${o.title}"`);
    for (const a of this.page.live()) add(a.client, a.bytes, `"${a.shown.title}" (${a.status === 'pending' ? `waiting at approvalId ${a.id}` : `approved, not yet applied: approvalId ${a.id}`})`);
    return held;
  }

  /** Refuses (ToolError 'throttled') what would pass a cap: nothing is kept for it. */
  private admit(client: string, bytes: number): Verdict | undefined {
    const h = this.held(client);
    const l = this.limits;
    const open = h.titles.length ? ` Open: ${h.titles.join('; ')}${h.mine > h.titles.length ? `; and ${h.mine - h.titles.length} more` : ''}.` : '';
    const after = ` Nothing was sent and nothing was kept. Ask the human to answer or reject the open ones (or wait until they expire: --approval-ttl ${this.settings.ttlSeconds} s), then call again.`;
    if (h.mine + 1 > l.perClient || h.mineBytes + bytes > l.perClientBytes)
      return { kind: 'refused', code: 'throttled', message: `This client already has ${h.mine} change(s) waiting for a human (${h.mineBytes} bytes kept), the most one client may have open (${l.perClient}, ${l.perClientBytes} bytes).${open}${after}` };
    if (h.all + 1 > l.total || h.allBytes + bytes > l.totalBytes)
      return { kind: 'refused', code: 'throttled', message: `This server already keeps ${h.all} change(s) waiting for a human (${h.allBytes} bytes), its limit (${l.total}, ${l.totalBytes} bytes).${open}${after}` };
    return undefined;
  }

  private async seal(p: Proposal, client: string): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    this.open.set(nonce, { expiresAt: Date.now() + this.settings.ttlSeconds * 1000, change: p.change, title: words(p.view.title, 200), client });
    return this.codec.mint({ binding: p.binding, nonce });
  }

  /** Whether the sealed state is genuine, unexpired, unused and for this very proposal; used up only then. */
  private async unseal(state: string | undefined, p: Proposal): Promise<Unsealed> {
    if (!state) return { kind: 'invalid' };
    const sealed = await this.codec.verify(state, undefined as never).catch(() => undefined);
    const open = sealed && this.open.get(sealed.nonce);
    if (!sealed || !open) return { kind: 'invalid' };
    if (sealed.binding !== p.binding) return { kind: 'other', title: open.title, sameChange: open.change === p.change };
    this.open.delete(sealed.nonce);
    return { kind: 'ok' };
  }

  private async viaElicitation(p: Proposal, call: CallInfo): Promise<Verdict> {
    const id = p.binding.slice(0, 16);
    if ((await this.unseal(call.requestState, p)).kind === 'ok') {
      const answer = inputResponse(call.inputResponses, 'confirm');
      if (answer.kind === 'elicit') return this.verdictOf(answer, id);
    }
    // No genuine answer to this very question yet (first call, replay, tampering, another change): ask.
    const client = call.client?.key ?? NO_CLIENT;
    const question = inputRequired.elicit({ message: renderText(prepare(p.view)), requestedSchema: CONFIRM_SCHEMA }) as ElicitRequest;
    if (call.elicit) return this.askNow(question, call.elicit, id, client);
    const refused = this.admit(client, QUESTION_BYTES);
    if (refused) return refused;
    return { kind: 'ask', result: inputRequired({ inputRequests: { confirm: question }, requestState: await this.seal(p, client) }) };
  }

  private verdictOf(answer: { action: string; content?: Record<string, unknown> }, id: string): Verdict {
    return answer.action === 'accept' && answer.content?.approve === true ? { kind: 'approved', via: 'elicitation', id } : { kind: 'declined', via: 'elicitation', id };
  }

  /** 2025 era: the question goes out now, and the call waits for the answer no longer than an approval lives. */
  private async askNow(question: ElicitRequest, elicit: NonNullable<CallInfo['elicit']>, id: string, client: string): Promise<Verdict> {
    if (this.stopping) return { kind: 'withdrawn' };
    // Each waiting call holds an HTTP slot: one client may hold only a few, and all together at most half of them.
    const mine = this.waitingFor(client);
    const l = this.limits;
    if (mine >= l.waitingPerClient || this.waiting.size >= l.waitingTotal)
      return {
        kind: 'refused',
        code: 'throttled',
        message: `${mine >= l.waitingPerClient ? `This client already has ${mine} call(s) waiting for a human's answer to a question, the most one client may have (${l.waitingPerClient})` : `${this.waiting.size} calls are already waiting for a human's answer on this server, its limit (${l.waitingTotal})`}, so other clients keep being served. Nothing was sent. Answer or cancel the open questions in the client first, then call again.`,
      };
    const asked = new AbortController();
    this.waiting.set(asked, client);
    try {
      return this.verdictOf(await elicit(question, this.settings.ttlSeconds * 1000, asked.signal), id);
    } catch (err) {
      // Checked first: the SDK reports an aborted request as a timeout.
      if (asked.signal.aborted) return { kind: 'withdrawn' };
      if ((err as { code?: unknown }).code === SdkErrorCode.RequestTimeout) return { kind: 'unanswered', seconds: this.settings.ttlSeconds };
      return {
        kind: 'refused',
        code: 'needs_human',
        message: `The client failed to show the confirmation question (${(err as Error).message}). Nothing was sent. If this host declares elicitation but cannot show it, run the server with --no-elicitation to use the approval page instead.`,
      };
    } finally {
      this.waiting.delete(asked);
    }
  }

  private async viaToken(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (!call.confirmation?.startsWith('v1.')) {
      const client = call.client?.key ?? NO_CLIENT;
      const shown = prepare(p.view);
      const refused = this.admit(client, QUESTION_BYTES);
      if (refused) return refused;
      return { kind: 'confirmation_required', confirmToken: await this.seal(p, client), text: renderText(shown) };
    }
    const token = await this.unseal(call.confirmation, p);
    if (token.kind === 'ok') return { kind: 'approved', via: 'token', id: p.binding.slice(0, 16) };
    const refused = (message: string): Verdict => ({ kind: 'refused', message: `${message} Nothing was sent; call again without the confirmation field to get a new token for this change.` });
    if (token.kind === 'invalid') return refused(`This confirmToken is unknown, used or expired. ${LOST_ON_RESTART}`);
    if (token.sameChange) return refused('This confirmToken is for this change as previewed earlier, but what it previewed has changed since: review the current state first.');
    return refused(`This confirmToken is for a different change: ${token.title}. It was not used and stays valid for that change.`);
  }

  private async viaPage(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (!call.confirmation?.startsWith('apr_')) {
      const client = call.client?.key ?? NO_CLIENT;
      // Asked again for the same change before the human decided: the same page, not another one to keep.
      const again = this.page.pendingFor(p.binding, client);
      if (again) return { kind: 'approval_required', approvalId: again.id, approvalUrl: await this.page.urlFor(again.id), title: again.shown.title };
      const shown: Prepared = prepare(p.view);
      const refused = this.admit(client, sizeOf(shown) + 256);
      if (refused) return refused;
      const { approval, url } = await this.page.create({ binding: p.binding, change: p.change, shown, client });
      return { kind: 'approval_required', approvalId: approval.id, approvalUrl: url, title: shown.title };
    }
    const a = this.page.get(call.confirmation);
    if (!a) {
      const spent = this.page.spentAs(call.confirmation);
      if (spent) return { kind: 'refused', message: SPENT[spent](call.confirmation) };
      return { kind: 'refused', message: `approvalId ${call.confirmation} is unknown or expired. ${LOST_ON_RESTART} Nothing was sent; call again without the confirmation field to request a new approval.` };
    }
    const url = await this.page.urlFor(a.id);
    const exact = a.binding === p.binding;
    // Another target or other ops: refused, and the approval is left as it is for the change it was made for.
    if (!exact && a.change !== p.change)
      return {
        kind: 'refused',
        message: `approvalId ${a.id} is for a different change: ${a.shown.title}. ${STANDING[a.status](a, url)} Nothing was sent; for this change, call again without the confirmation field to request its own approval.`,
      };
    // The same change, but previewed against a state that has changed since: a decision on it is used up.
    const stale: Verdict = {
      kind: 'stale',
      message: `approvalId ${a.id} is for this change as previewed, but what it previewed has changed since (someone changed it meanwhile). Nothing was sent; review the current state, then call again without the confirmation field to preview and approve anew.`,
    };
    if (a.status === 'pending') return exact ? { kind: 'approval_pending', approvalId: a.id, approvalUrl: url } : stale;
    const spent: SpentAs = a.status === 'rejected' ? 'rejected' : exact ? 'used' : 'stale';
    this.page.consume(a.id, spent);
    if (spent === 'rejected') return { kind: 'declined', via: 'approval_page', id: a.id };
    return spent === 'used' ? { kind: 'approved', via: 'approval_page', id: a.id } : stale;
  }
}
