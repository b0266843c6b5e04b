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
import { ApprovalPage, showValue, type Approval, type ApprovalView, type SpentAs } from './approvalPage.js';
import type { ConfirmFallback } from './policy.js';

export interface ConfirmSettings {
  fallback: ConfirmFallback;
  /** false (--no-elicitation): never elicit, even when the client declares it (hosts that never show it). */
  elicitation: boolean;
  ttlSeconds: number;
  /** The approval page's port on 127.0.0.1 (--approval-port); absent: any free port. */
  port?: number;
}

/** What the human is asked about; `binding` is a hash of target + ops + the previewed integration. */
export interface Proposal {
  binding: string;
  view: ApprovalView;
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
  /**
   * 2025-era connections: sends the question to the client now and waits at most `timeoutMs` for the answer, or
   * until `signal` withdraws it. Absent on 2026-07-28 requests, which get an `input_required` result instead
   * (nothing waits on the server).
   */
  elicit?: (request: ElicitRequest, timeoutMs: number, signal: AbortSignal) => Promise<ElicitResult>;
}

export type Verdict =
  | { kind: 'approved'; via: 'elicitation' | 'approval_page' | 'token'; id: string }
  | { kind: 'declined'; via: 'elicitation' | 'approval_page'; id: string }
  | { kind: 'unanswered'; seconds: number }
  | { kind: 'withdrawn' }
  | { kind: 'ask'; result: InputRequiredResult }
  | { kind: 'approval_required'; approvalId: string; approvalUrl: string }
  | { kind: 'approval_pending'; approvalId: string; approvalUrl: string }
  | { kind: 'confirmation_required'; confirmToken: string }
  | { kind: 'stale'; message: string }
  | { kind: 'refused'; message: string };

interface Sealed {
  binding: string;
  nonce: string;
}

/** A sealed state checked against a proposal: used up only when it is for this very change. */
type Unsealed = { kind: 'ok' } | { kind: 'invalid' } | { kind: 'other'; summary: string };

/** Hand-written (not zod-converted) so strict hosts see no `$schema` key. */
const CONFIRM_SCHEMA = {
  type: 'object' as const,
  properties: { approve: { type: 'boolean' as const, title: 'Apply this change', description: 'Check to apply; leave unchecked or decline to apply nothing' } },
  required: ['approve'],
};

const showOps = (v: ApprovalView) => v.ops.map((o) => `${o.op} ${o.path}${o.value !== undefined ? ` = ${o.value}` : ''}`).join('; ');

/** Names a change for the agent: what, where, which ops. */
const summary = (v: ApprovalView) => `${v.title}: ${v.where}: ${showOps(v)}`;

/** The same target and ops; only the state they were previewed against may differ. */
const sameChange = (a: ApprovalView, b: ApprovalView) => summary(a) === summary(b) && a.backend === b.backend;

/** Page approvals and tokens (per-process key) live in this process only. */
const LOST_ON_RESTART =
  'Approvals live in the server process and do not survive a restart: a client that starts a new server per call (like the MCP Inspector CLI on stdio) cannot complete one; run the server with --http, or use a client that can elicit.';

/** Why an approval id that is no longer usable cannot be used, by how it was used up. */
const SPENT: Record<SpentAs, (id: string) => string> = {
  used: (id) => `approvalId ${id} was already used for the change it approved (an approval applies once; list_changes shows what was applied). Nothing was sent; to change it again, call again without the confirmation field to request a new approval.`,
  rejected: (id) => `approvalId ${id} was rejected by the human. Nothing was sent; only if the human wants this change after all, call again without the confirmation field to request a new approval.`,
  stale: (id) => `approvalId ${id} was already used up: when it was retried, what it previewed had changed, so nothing was applied with it. Nothing was sent; review the current state, then call again without the confirmation field to preview and approve anew.`,
};

/** What happens to an approval given for another change, by its status. */
const STANDING: Record<Approval['status'], (a: Approval, url: string) => string> = {
  pending: (_a, url) => `It was not used: it still waits for the human at ${url} and stays valid for that change.`,
  approved: (a) => `It was not used and stays valid for a retry of that change with its original arguments until ${new Date(a.expiresAt).toISOString()}.`,
  rejected: () => 'The human rejected that change.',
};

export class Confirmer {
  private readonly codec;
  /** Nonces minted and not yet used, with when they expire and what they are for: each question is answered once. */
  private readonly open = new Map<string, { expiresAt: number; summary: string }>();
  /** Questions sent from a call that waits for the answer (2025 era): withdrawn when the server stops. */
  private readonly waiting = new Set<AbortController>();
  private stopping = false;
  readonly page: ApprovalPage;

  constructor(private readonly settings: ConfirmSettings) {
    // A per-process key: one process serves every round of a flow (stdio, and this server's HTTP sessions).
    this.codec = createRequestStateCodec<Sealed>({ key: randomBytes(32), ttlSeconds: settings.ttlSeconds });
    this.page = new ApprovalPage(settings.ttlSeconds * 1000, undefined, settings.port);
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
    if (this.settings.fallback === 'deny') return { kind: 'refused', message: this.refusesOutright(call)! };
    if (this.settings.fallback === 'token') return this.viaToken(p, call);
    return this.viaPage(p, call);
  }

  /**
   * The server is stopping: every question a call waits on is withdrawn (the call answers `declined` at once, so
   * that answer can still reach the client), and no call asks one anymore.
   */
  withdraw(): void {
    this.stopping = true;
    for (const question of this.waiting) question.abort(new Error('the server is stopping'));
  }

  async close(): Promise<void> {
    await this.page.close();
  }

  private async seal(p: Proposal): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    for (const [n, o] of this.open) if (o.expiresAt < Date.now()) this.open.delete(n);
    this.open.set(nonce, { expiresAt: Date.now() + this.settings.ttlSeconds * 1000, summary: summary(p.view) });
    return this.codec.mint({ binding: p.binding, nonce });
  }

  /** Whether the sealed state is genuine, unexpired, unused and for this very proposal; used up only then. */
  private async unseal(state: string | undefined, binding: string): Promise<Unsealed> {
    if (!state) return { kind: 'invalid' };
    const sealed = await this.codec.verify(state, undefined as never).catch(() => undefined);
    const open = sealed && this.open.get(sealed.nonce);
    if (!sealed || !open) return { kind: 'invalid' };
    if (sealed.binding !== binding) return { kind: 'other', summary: open.summary };
    this.open.delete(sealed.nonce);
    return { kind: 'ok' };
  }

  private async viaElicitation(p: Proposal, call: CallInfo): Promise<Verdict> {
    const id = p.binding.slice(0, 16);
    if ((await this.unseal(call.requestState, p.binding)).kind === 'ok') {
      const answer = inputResponse(call.inputResponses, 'confirm');
      if (answer.kind === 'elicit') return this.verdictOf(answer, id);
    }
    // No genuine answer to this very question yet (first call, replay, tampering, another change): ask.
    const v = p.view;
    const message = [
      `Confirm a risky change (${v.risk}) on ${v.backend}.`,
      `Where: ${v.where}`,
      `What: ${showOps(v)}`,
      `Why it is risky: ${v.reasons.join('; ')}`,
      `Change: ${v.diff.map((d) => `${d.path}: ${showValue(d.before)} -> ${showValue(d.after)}`).join('; ') || '(none)'}`,
    ].join('\n');
    const question = inputRequired.elicit({ message, requestedSchema: CONFIRM_SCHEMA }) as ElicitRequest;
    if (call.elicit) return this.askNow(question, call.elicit, id);
    return { kind: 'ask', result: inputRequired({ inputRequests: { confirm: question }, requestState: await this.seal(p) }) };
  }

  private verdictOf(answer: { action: string; content?: Record<string, unknown> }, id: string): Verdict {
    return answer.action === 'accept' && answer.content?.approve === true ? { kind: 'approved', via: 'elicitation', id } : { kind: 'declined', via: 'elicitation', id };
  }

  /** 2025 era: the question goes out now, and the call waits for the answer no longer than an approval lives. */
  private async askNow(question: ElicitRequest, elicit: NonNullable<CallInfo['elicit']>, id: string): Promise<Verdict> {
    if (this.stopping) return { kind: 'withdrawn' };
    const asked = new AbortController();
    this.waiting.add(asked);
    try {
      return this.verdictOf(await elicit(question, this.settings.ttlSeconds * 1000, asked.signal), id);
    } catch (err) {
      // Checked first: the SDK reports an aborted request as a timeout.
      if (asked.signal.aborted) return { kind: 'withdrawn' };
      if ((err as { code?: unknown }).code === SdkErrorCode.RequestTimeout) return { kind: 'unanswered', seconds: this.settings.ttlSeconds };
      return {
        kind: 'refused',
        message: `The client failed to show the confirmation question (${(err as Error).message}). Nothing was sent. If this host declares elicitation but cannot show it, run the server with --no-elicitation to use the approval page instead.`,
      };
    } finally {
      this.waiting.delete(asked);
    }
  }

  private async viaToken(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (!call.confirmation?.startsWith('v1.')) return { kind: 'confirmation_required', confirmToken: await this.seal(p) };
    const token = await this.unseal(call.confirmation, p.binding);
    if (token.kind === 'ok') return { kind: 'approved', via: 'token', id: p.binding.slice(0, 16) };
    const refused = (message: string): Verdict => ({ kind: 'refused', message: `${message} Nothing was sent; call again without the confirmation field to get a new token for this change.` });
    if (token.kind === 'invalid') return refused(`This confirmToken is unknown, used or expired. ${LOST_ON_RESTART}`);
    if (token.summary === summary(p.view)) return refused('This confirmToken is for this change as previewed earlier, but what it previewed has changed since: review the current state first.');
    return refused(`This confirmToken is for a different change: ${token.summary}. It was not used and stays valid for that change.`);
  }

  private async viaPage(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (!call.confirmation?.startsWith('apr_')) {
      const { approval, url } = await this.page.create(p.binding, p.view);
      return { kind: 'approval_required', approvalId: approval.id, approvalUrl: url };
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
    if (!exact && !sameChange(a.view, p.view))
      return {
        kind: 'refused',
        message: `approvalId ${a.id} is for a different change: ${summary(a.view)}. ${STANDING[a.status](a, url)} Nothing was sent; for this change, call again without the confirmation field to request its own approval.`,
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
