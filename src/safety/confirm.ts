// Asks a human before a change that needs one, in whatever way the client allows:
// 1. MCP elicitation (2026-07-28 `input_required`, or `elicitation/create` through the SDK's legacy shim),
// 2. otherwise the local approval page, or a bound token (weaker), or a refusal, per --confirm-fallback.
// Every answer is bound to a signed, single-use state naming the exact target, ops and previewed integration:
// an "accept" sent with a first call, or with a replayed, expired, tampered or foreign state, is not an answer.
import { createRequestStateCodec, inputRequired, inputResponse, type InputRequiredResult } from '@modelcontextprotocol/server';
import { randomBytes } from 'node:crypto';
import { ApprovalPage, type ApprovalView } from './approvalPage.js';
import type { ConfirmFallback } from './policy.js';

export interface ConfirmSettings {
  fallback: ConfirmFallback;
  /** false (--no-elicitation): never elicit, even when the client declares it (hosts that never show it). */
  elicitation: boolean;
  ttlSeconds: number;
}

/** What the human is asked about; `binding` is a hash of target + ops + the previewed integration. */
export interface Proposal {
  binding: string;
  view: ApprovalView;
}

/** What the current tool call carries that may answer an earlier question. */
export interface CallInfo {
  canElicit: boolean;
  requestState?: string;
  inputResponses?: Record<string, unknown>;
  /** approvalId (page) or confirmToken (token fallback) from an earlier result. */
  confirmation?: string;
}

export type Verdict =
  | { kind: 'approved'; via: 'elicitation' | 'approval_page' | 'token'; id: string }
  | { kind: 'declined'; via: 'elicitation' | 'approval_page'; id: string }
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

/** Hand-written (not zod-converted) so strict hosts see no `$schema` key. */
const CONFIRM_SCHEMA = {
  type: 'object' as const,
  properties: { approve: { type: 'boolean' as const, title: 'Apply this change', description: 'Check to apply; leave unchecked or decline to apply nothing' } },
  required: ['approve'],
};

export class Confirmer {
  private readonly codec;
  /** Nonces minted and not yet used: each question can be answered once. */
  private readonly open = new Map<string, number>();
  readonly page: ApprovalPage;

  constructor(private readonly settings: ConfirmSettings) {
    // A per-process key: one process serves every round of a flow (stdio, and this server's HTTP sessions).
    this.codec = createRequestStateCodec<Sealed>({ key: randomBytes(32), ttlSeconds: settings.ttlSeconds });
    this.page = new ApprovalPage(settings.ttlSeconds * 1000);
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

  async close(): Promise<void> {
    await this.page.close();
  }

  private async seal(binding: string): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    this.open.set(nonce, Date.now() + this.settings.ttlSeconds * 1000);
    for (const [n, exp] of this.open) if (exp < Date.now()) this.open.delete(n);
    return this.codec.mint({ binding, nonce });
  }

  /** The sealed state if it is genuine, unexpired, unused and for this very proposal; it is used up either way. */
  private async unseal(state: string | undefined, binding: string): Promise<boolean> {
    if (!state) return false;
    const sealed = await this.codec.verify(state, undefined as never).catch(() => undefined);
    if (!sealed || !this.open.delete(sealed.nonce)) return false;
    return sealed.binding === binding;
  }

  private async viaElicitation(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (await this.unseal(call.requestState, p.binding)) {
      const answer = inputResponse(call.inputResponses, 'confirm');
      const id = p.binding.slice(0, 16);
      if (answer.kind === 'elicit') {
        return answer.action === 'accept' && answer.content?.approve === true
          ? { kind: 'approved', via: 'elicitation', id }
          : { kind: 'declined', via: 'elicitation', id };
      }
    }
    // No genuine answer to this very question yet (first call, replay, tampering, another change): ask.
    const v = p.view;
    const message = [
      `Confirm a risky change (${v.risk}) on ${v.backend}.`,
      `Where: ${v.where}`,
      `What: ${v.ops.map((o) => `${o.op} ${o.path}${o.value !== undefined ? ` = ${o.value}` : ''}`).join('; ')}`,
      `Why it is risky: ${v.reasons.join('; ')}`,
      `Change: ${v.diff.map((d) => `${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`).join('; ') || '(none)'}`,
    ].join('\n');
    return {
      kind: 'ask',
      result: inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message, requestedSchema: CONFIRM_SCHEMA }) }, requestState: await this.seal(p.binding) }),
    };
  }

  private async viaToken(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (call.confirmation?.startsWith('v1.')) {
      if (await this.unseal(call.confirmation, p.binding)) return { kind: 'approved', via: 'token', id: p.binding.slice(0, 16) };
      return { kind: 'refused', message: 'confirmToken is not valid for this change (used, expired, or issued for different arguments or a since-changed integration). Call again without it for a new one.' };
    }
    return { kind: 'confirmation_required', confirmToken: await this.seal(p.binding) };
  }

  private async viaPage(p: Proposal, call: CallInfo): Promise<Verdict> {
    if (call.confirmation?.startsWith('apr_')) {
      const a = this.page.get(call.confirmation);
      if (!a) return { kind: 'refused', message: `approvalId ${call.confirmation} is unknown or expired. Call again without approvalId to request a new approval.` };
      const url = await this.page.urlFor(a.id);
      if (a.status === 'pending') return { kind: 'approval_pending', approvalId: a.id, approvalUrl: url };
      this.page.consume(a.id);
      if (a.status === 'rejected') return { kind: 'declined', via: 'approval_page', id: a.id };
      if (a.binding !== p.binding)
        return { kind: 'stale', message: 'The approved change no longer matches: the arguments differ, or the integration changed since it was previewed. Nothing was sent; call again without approvalId to preview and approve anew.' };
      return { kind: 'approved', via: 'approval_page', id: a.id };
    }
    const { approval, url } = await this.page.create(p.binding, p.view);
    return { kind: 'approval_required', approvalId: approval.id, approvalUrl: url };
  }
}
