// The confirmation state machine on its own: an answer counts only for the very question it was asked for,
// once, unexpired and untampered. Attacks an agent (or a hostile client) could try are listed one per test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/server';
import { ApprovalPage } from '../src/safety/approvalPage.js';
import { Confirmer, type Proposal } from '../src/safety/confirm.js';
import { prepare } from '../src/safety/render.js';
import type { HumanView } from '../src/safety/view.js';
import { needsHuman } from '../src/safety/policy.js';
import { settle } from '../src/safety/verdict.js';

const backendView = (uri: string): HumanView => ({
  title: `Point GET /orders of API "shop" at a different backend (${uri})`,
  kind: 'change',
  api: { id: 'a1', name: 'shop' },
  backend: 'b',
  risk: 'confirm',
  reasons: ['it points the method at a different backend'],
  groups: [{ heading: 'Integration of GET /orders', action: 'update', changes: [{ setting: 'Backend URL', before: { value: 'https://old' }, after: { value: uri } }] }],
});
const view = backendView('https://x');
/** `binding` differs for the same change previewed against another state; `change` stays. */
const proposal = (binding = 'b1'): Proposal => ({ binding, change: 'c1', view });
/** Another change: other ops on the same method. */
const otherChange = (binding = 'b2'): Proposal => ({ binding, change: 'c2', view: backendView('https://y') });
const messageOf = (v: { kind: string }) => (v as { message?: string }).message ?? '';
const accept = { confirm: { action: 'accept', content: { approve: true } } };
const elicit = (extra = {}) => ({ canElicit: true, ...extra });

afterEach(() => vi.useRealTimers());

async function askedState(c: Confirmer, p = proposal()): Promise<string> {
  const v = await c.decide(p, elicit());
  if (v.kind !== 'ask') throw new Error(`expected ask, got ${v.kind}`);
  return v.result.requestState!;
}

describe('policy', () => {
  it('asks for confirm-level changes under risky, for all under always, for none under never', () => {
    expect([needsHuman('safe', 'risky'), needsHuman('review', 'risky'), needsHuman('confirm', 'risky')]).toEqual([false, false, true]);
    expect(needsHuman('safe', 'always')).toBe(true);
    expect(needsHuman('confirm', 'never')).toBe(false);
  });
});

describe('elicitation', () => {
  const c = () => new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });

  it('asks with a message that says what, where and why, and a boolean', async () => {
    const v = await c().decide(proposal(), elicit());
    expect(v.kind).toBe('ask');
    const req = (v as any).result.inputRequests.confirm;
    const message = req.params.message as string;
    expect(message.startsWith(view.title)).toBe(true);
    expect(message).toContain('Needs your approval because it points the method at a different backend');
    expect(message).toContain('Backend URL: "https://old" -> "https://x"');
    expect(message.indexOf('Needs your approval')).toBeLessThan(message.indexOf('"https://x"'));
    expect(req.params.requestedSchema.properties.approve.type).toBe('boolean');
    expect(JSON.stringify(req.params.requestedSchema)).not.toContain('$schema');
  });

  it("shows a setting that is not set by what it means (the server's words, unquoted), never undefined", async () => {
    const changes = [
      { setting: 'TLS certificate verification', before: { meaning: 'verified (default)' }, after: { meaning: 'NOT verified' } },
      { setting: 'VPC link', before: { value: 'abc' }, after: { meaning: 'none' } },
    ];
    const v = await c().decide({ binding: 'b1', change: 'c1', view: { ...view, groups: [{ heading: 'Integration of GET /orders', action: 'update', changes }] } }, elicit());
    const message = (v as any).result.inputRequests.confirm.params.message as string;
    expect(message).toContain('TLS certificate verification: verified (default) -> NOT verified');
    expect(message).toContain('VPC link: "abc" -> none');
    expect(message).not.toContain('undefined');
  });

  it('applies on accept + true with its own state', async () => {
    const confirmer = c();
    const state = await askedState(confirmer);
    expect(await confirmer.decide(proposal(), elicit({ requestState: state, inputResponses: accept }))).toMatchObject({ kind: 'approved', via: 'elicitation' });
  });

  it.each([
    ['decline', { confirm: { action: 'decline' } }],
    ['cancel', { confirm: { action: 'cancel' } }],
    ['accept with false', { confirm: { action: 'accept', content: { approve: false } } }],
    ['accept without the field', { confirm: { action: 'accept', content: {} } }],
    // Only an accept counts: content that says yes under another action is not one.
    ['decline carrying approve: true', { confirm: { action: 'decline', content: { approve: true } } }],
    ['accept with the string "true"', { confirm: { action: 'accept', content: { approve: 'true' } } }],
  ])('treats %s as declined', async (_n, inputResponses) => {
    const confirmer = c();
    const state = await askedState(confirmer);
    expect((await confirmer.decide(proposal(), elicit({ requestState: state, inputResponses }))).kind).toBe('declined');
  });

  it('ignores an accept supplied with the first call (no state): it asks', async () => {
    expect((await c().decide(proposal(), elicit({ inputResponses: accept }))).kind).toBe('ask');
  });

  it('ignores a replayed state: each question is answered once', async () => {
    const confirmer = c();
    const state = await askedState(confirmer);
    expect((await confirmer.decide(proposal(), elicit({ requestState: state, inputResponses: accept }))).kind).toBe('approved');
    expect((await confirmer.decide(proposal(), elicit({ requestState: state, inputResponses: accept }))).kind).toBe('ask');
  });

  it('ignores a tampered state', async () => {
    const confirmer = c();
    const state = await askedState(confirmer);
    const [v, body, mac] = state.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.p.binding = 'other';
    const forged = [v, Buffer.from(JSON.stringify(payload)).toString('base64url'), mac].join('.');
    expect((await confirmer.decide(proposal('other'), elicit({ requestState: forged, inputResponses: accept }))).kind).toBe('ask');
    expect((await confirmer.decide(proposal(), elicit({ requestState: state.slice(0, -2) + 'xx', inputResponses: accept }))).kind).toBe('ask');
  });

  it('ignores a state minted for another change (foreign binding)', async () => {
    const confirmer = c();
    const state = await askedState(confirmer, proposal('harmless'));
    expect((await confirmer.decide(proposal('risky'), elicit({ requestState: state, inputResponses: accept }))).kind).toBe('ask');
  });

  it('ignores a state minted by another server process (another key)', async () => {
    const state = await askedState(c());
    expect((await c().decide(proposal(), elicit({ requestState: state, inputResponses: accept }))).kind).toBe('ask');
  });

  it('ignores an expired state', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const confirmer = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 60 });
    const state = await askedState(confirmer);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await confirmer.decide(proposal(), elicit({ requestState: state, inputResponses: accept }))).kind).toBe('ask');
  });

  describe('sent in the call itself (2025-era connections)', () => {
    it('waits at most the approval TTL, then declines with how to retry, as a result and not an error', async () => {
      const waited: number[] = [];
      const neverAnswered = async (_q: unknown, timeoutMs: number) => {
        waited.push(timeoutMs);
        throw new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out');
      };
      const v = await new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 10 }).decide(proposal(), elicit({ elicit: neverAnswered }));
      expect(waited).toEqual([10_000]);
      expect(v).toEqual({ kind: 'unanswered', seconds: 10 });
      const s = settle(v);
      expect(s).toMatchObject({ kind: 'stop', fields: { status: 'declined' } });
      expect((s as any).fields.message).toContain('within 10 s (--approval-ttl), so nothing was sent');
    });

    it.each([
      [{ action: 'accept', content: { approve: true } }, 'approved'],
      [{ action: 'decline' }, 'declined'],
      [{ action: 'accept', content: { approve: false } }, 'declined'],
    ])('takes the answer %j as %s, asking with the same question', async (answer, kind) => {
      const asked: any[] = [];
      const v = await c().decide(proposal(), elicit({ elicit: async (q: any) => (asked.push(q), answer) }));
      expect(v.kind).toBe(kind);
      expect(asked[0].method).toBe('elicitation/create');
      expect(asked[0].params.message).toContain('Backend URL: "https://old" -> "https://x"');
    });

    it('withdraws a waiting question when the server stops: declined at once with why, and no question is sent after', async () => {
      const confirmer = c();
      const signals: AbortSignal[] = [];
      // As the SDK does: an aborted request rejects, reported as a timeout.
      const waitsForever = (_q: unknown, _ms: number, signal: AbortSignal) => {
        signals.push(signal);
        return new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new SdkError(SdkErrorCode.RequestTimeout, String(signal.reason)))));
      };
      const waiting = confirmer.decide(proposal(), elicit({ elicit: waitsForever }));
      await vi.waitFor(() => expect(signals).toHaveLength(1));
      confirmer.withdraw();
      const v = await waiting;
      expect(v).toEqual({ kind: 'withdrawn' });
      expect(signals[0].aborted).toBe(true);
      const s = settle(v);
      expect(s).toMatchObject({ kind: 'stop', fields: { status: 'declined' } });
      expect((s as any).fields.message).toContain('The server is stopping, so the confirmation question was withdrawn; nothing was sent');
      expect((s as any).fields.message).toContain('when the server is back');
      // A call that reaches its question while the server stops is not asked at all.
      expect(await confirmer.decide(proposal('b2'), elicit({ elicit: waitsForever }))).toEqual({ kind: 'withdrawn' });
      expect(signals).toHaveLength(1);
    });

    it('refuses, saying what to do, when the client fails to show the question', async () => {
      const v = await c().decide(proposal(), elicit({ elicit: async () => Promise.reject(new Error('Method not found')) }));
      expect(v.kind).toBe('refused');
      expect(messageOf(v)).toContain('--no-elicitation');
    });
  });

  it('does not elicit with --no-elicitation, falling back instead', async () => {
    const v = await new Confirmer({ fallback: 'token', elicitation: false, ttlSeconds: 600 }).decide(proposal(), elicit());
    expect(v.kind).toBe('confirmation_required');
  });
});

describe('fallbacks for clients that cannot elicit', () => {
  it('deny refuses, and says so before any AWS call', async () => {
    const c = new Confirmer({ fallback: 'deny', elicitation: true, ttlSeconds: 600 });
    expect(c.refusesOutright({ canElicit: false })).toContain('--confirm-fallback deny');
    expect(c.refusesOutright({ canElicit: true })).toBeUndefined();
    expect((await c.decide(proposal(), { canElicit: false })).kind).toBe('refused');
  });

  it("token: the message the agent shows starts with the server's title and reasons, then says what to do", async () => {
    const v = await new Confirmer({ fallback: 'token', elicitation: false, ttlSeconds: 600 }).decide(proposal(), { canElicit: false });
    const s = settle(v);
    if (s.kind !== 'stop') throw new Error(s.kind);
    const lines = s.fields.message.split('\n');
    expect(lines[0]).toBe(view.title);
    expect(lines[1]).toMatch(/^Needs your approval because it points the method at a different backend\. \(risk level: confirm\)$/);
    expect(s.fields.message).toContain('Backend URL: "https://old" -> "https://x"');
    expect(s.fields.message).toMatch(/Show the text above to the human; only if they agree, call again .*Nothing was sent\.$/);
  });

  it('token: a bound, single-use token', async () => {
    const c = new Confirmer({ fallback: 'token', elicitation: true, ttlSeconds: 600 });
    const first = await c.decide(proposal(), { canElicit: false });
    expect(first.kind).toBe('confirmation_required');
    const token = (first as any).confirmToken;
    expect((await c.decide(proposal('other'), { canElicit: false, confirmation: token })).kind).toBe('refused');
    const again = await c.decide(proposal(), { canElicit: false });
    const token2 = (again as any).confirmToken;
    expect((await c.decide(proposal(), { canElicit: false, confirmation: token2 })).kind).toBe('approved');
    expect((await c.decide(proposal(), { canElicit: false, confirmation: token2 })).kind).toBe('refused');
  });

  it('page: pending until a human decides; an approval is used once and only for its own change', async () => {
    const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
    try {
      const first = await c.decide(proposal(), { canElicit: false });
      expect(first.kind).toBe('approval_required');
      const id = (first as any).approvalId as string;
      expect(id).toMatch(/^apr_[A-Za-z0-9_-]{24}$/);
      expect((await c.decide(proposal(), { canElicit: false, confirmation: id })).kind).toBe('approval_pending');
      c.page.get(id)!.status = 'approved';
      expect((await c.decide(proposal('changed'), { canElicit: false, confirmation: id })).kind).toBe('stale');
      expect((await c.decide(proposal(), { canElicit: false, confirmation: id })).kind).toBe('refused');
      expect((await c.decide(proposal(), { canElicit: false, confirmation: 'apr_made_up_by_the_agent_00' })).kind).toBe('refused');
    } finally {
      await c.close();
    }
  });

  it('page: a retry for a different change is refused, names the approved change, and leaves the approval for its own', async () => {
    const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
    try {
      const id = ((await c.decide(proposal(), { canElicit: false })) as any).approvalId as string;
      c.page.get(id)!.status = 'approved';
      const wrong = await c.decide(otherChange(), { canElicit: false, confirmation: id });
      expect(wrong.kind).toBe('refused');
      expect(messageOf(wrong)).toContain(`approvalId ${id} is for a different change: ${view.title}.`);
      expect(messageOf(wrong)).toContain('stays valid for a retry of that change with its original arguments');
      expect(messageOf(wrong)).toContain('without the confirmation field');
      expect(await c.decide(proposal(), { canElicit: false, confirmation: id })).toMatchObject({ kind: 'approved', via: 'approval_page', id });
      expect((await c.decide(proposal(), { canElicit: false, confirmation: id })).kind).toBe('refused'); // still used once
    } finally {
      await c.close();
    }
  });

  it('page: a pending approval used for another change says so (not "not decided yet") and stays pending', async () => {
    const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
    try {
      const id = ((await c.decide(proposal(), { canElicit: false })) as any).approvalId as string;
      const other = { binding: 'b3', change: 'c3', view: { ...view, title: 'Point POST /payments of API "shop" at a different backend' } };
      const v = await c.decide(other, { canElicit: false, confirmation: id });
      expect(v.kind).toBe('refused');
      expect(messageOf(v)).toContain(`is for a different change: ${view.title}`);
      expect(messageOf(v)).toContain('still waits for the human');
      expect(c.page.get(id)!.status).toBe('pending');
      expect((await c.decide(proposal(), { canElicit: false, confirmation: id })).kind).toBe('approval_pending');
    } finally {
      await c.close();
    }
  });

  describe('page: a retry with an approval that is used up says how it was used up', () => {
    const retry = async (c: Confirmer, id: string, p = proposal()) => messageOf(await c.decide(p, { canElicit: false, confirmation: id }));
    const approvalFor = async (c: Confirmer, status: 'approved' | 'rejected') => {
      const id = ((await c.decide(proposal(), { canElicit: false })) as any).approvalId as string;
      c.page.get(id)!.status = status;
      return id;
    };

    it('used for its change', async () => {
      const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
      try {
        const id = await approvalFor(c, 'approved');
        expect((await c.decide(proposal(), { canElicit: false, confirmation: id })).kind).toBe('approved');
        const again = await retry(c, id);
        expect(again).toContain(`approvalId ${id} was already used for the change it approved`);
        expect(again).toContain('without the confirmation field');
        expect(again).not.toContain('unknown or expired');
        expect(again).not.toContain('restart');
      } finally {
        await c.close();
      }
    });

    it('rejected by the human', async () => {
      const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
      try {
        const id = await approvalFor(c, 'rejected');
        expect((await c.decide(proposal(), { canElicit: false, confirmation: id })).kind).toBe('declined');
        const again = await retry(c, id);
        expect(again).toContain(`approvalId ${id} was rejected by the human`);
        expect(again).not.toContain('unknown or expired');
      } finally {
        await c.close();
      }
    });

    it('spent on a retry that found the previewed state changed', async () => {
      const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
      try {
        const id = await approvalFor(c, 'approved');
        expect((await c.decide(proposal('changed'), { canElicit: false, confirmation: id })).kind).toBe('stale');
        const again = await retry(c, id);
        expect(again).toContain(`approvalId ${id} was already used up`);
        expect(again).toContain('nothing was applied with it');
      } finally {
        await c.close();
      }
    });

    it('only for a TTL: after that it is unknown or expired again', async () => {
      vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 60 });
      try {
        const id = await approvalFor(c, 'approved');
        await c.decide(proposal(), { canElicit: false, confirmation: id });
        vi.setSystemTime(Date.now() + 59_000);
        expect(await retry(c, id)).toContain('already used');
        vi.setSystemTime(Date.now() + 2_000);
        expect(await retry(c, id)).toContain('unknown or expired');
      } finally {
        await c.close();
      }
    });

    it('keeps a bounded number of spent ids, forgetting the oldest first', async () => {
      const page = new ApprovalPage(60_000, 2);
      try {
        const ids = [];
        for (let i = 0; i < 3; i++) ids.push((await page.create({ binding: `b${i}`, change: `c${i}`, shown: prepare(view), client: 'connection' })).approval.id);
        page.consume(ids[0], 'used');
        page.consume(ids[1], 'rejected');
        page.consume(ids[2], 'stale');
        expect(ids.map((id) => page.spentAs(id))).toEqual([undefined, 'rejected', 'stale']);
      } finally {
        await page.close();
      }
    });
  });

  it('page: an unknown approvalId says approvals do not survive a restart and names the confirmation field', async () => {
    const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 600 });
    const v = await c.decide(proposal(), { canElicit: false, confirmation: 'apr_from_a_previous_process_' });
    expect(v.kind).toBe('refused');
    expect(messageOf(v)).toContain('unknown or expired');
    expect(messageOf(v)).toContain('do not survive a restart');
    expect(messageOf(v)).toContain('--http');
    expect(messageOf(v)).toContain('without the confirmation field');
    expect(messageOf(v)).not.toContain('without approvalId');
  });

  it('token: a token for another change is refused without being used up; an unknown one mentions restarts', async () => {
    const c = new Confirmer({ fallback: 'token', elicitation: true, ttlSeconds: 600 });
    const token = ((await c.decide(proposal(), { canElicit: false })) as any).confirmToken as string;
    const wrong = await c.decide(otherChange(), { canElicit: false, confirmation: token });
    expect(wrong.kind).toBe('refused');
    expect(messageOf(wrong)).toContain(`is for a different change: ${view.title}`);
    expect((await c.decide(proposal(), { canElicit: false, confirmation: token })).kind).toBe('approved');
    const unknown = await new Confirmer({ fallback: 'token', elicitation: true, ttlSeconds: 600 }).decide(proposal(), { canElicit: false, confirmation: token });
    expect(messageOf(unknown)).toContain('do not survive a restart');
    expect(messageOf(unknown)).toContain('without the confirmation field');
  });
});

describe('bounded waiting state: caps per client and in total (issue 14 B, E)', () => {
  const page = (limits: object) => new Confirmer({ fallback: 'page', elicitation: false, ttlSeconds: 60, limits });
  const from = (key: string) => ({ canElicit: false, client: { key, name: key } });
  const ask = (c: Confirmer, i: number, key = 'a') => c.decide({ binding: `b${i}`, change: `c${i}`, view: backendView(`https://x/${i}`) }, from(key));

  it("refuses a client's approval beyond its cap with 'throttled', naming the open ones, and keeps nothing for it", async () => {
    const c = page({ perClient: 2 });
    try {
      expect((await ask(c, 1)).kind).toBe('approval_required');
      expect((await ask(c, 2)).kind).toBe('approval_required');
      const v = await ask(c, 3);
      expect(v.kind).toBe('refused');
      expect(v).toMatchObject({ code: 'throttled' });
      expect(messageOf(v)).toContain('This client already has 2 change(s) waiting for a human');
      expect(messageOf(v)).toContain('Ask the human to answer or reject the open ones');
      expect(messageOf(v)).toContain(backendView('https://x/1').title);
      expect(c.page.live()).toHaveLength(2);
      expect(() => settle(v)).toThrow(expect.objectContaining({ code: 'throttled' }));
      // Another client is not held back by this one.
      expect((await ask(c, 4, 'b')).kind).toBe('approval_required');
    } finally {
      await c.close();
    }
  });

  it('asked again for the same change, gives the same approval instead of keeping another', async () => {
    const c = page({ perClient: 1 });
    try {
      const first = await ask(c, 1);
      const again = await ask(c, 1);
      expect(again).toEqual(first);
      expect(c.page.live()).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it('caps the whole server, by count and by bytes kept', async () => {
    const byCount = page({ total: 2 });
    const byBytes = page({ perClientBytes: 10 * 1024 * 1024, totalBytes: 1500 });
    try {
      await ask(byCount, 1, 'a');
      await ask(byCount, 2, 'b');
      expect(messageOf(await ask(byCount, 3, 'c'))).toContain('This server already keeps 2 change(s) waiting for a human');
      expect((await ask(byBytes, 1, 'a')).kind).toBe('approval_required');
      const refused = await ask(byBytes, 2, 'b');
      expect(refused).toMatchObject({ kind: 'refused', code: 'throttled' });
      expect(messageOf(refused)).toMatch(/bytes\)\./);
    } finally {
      await byCount.close();
      await byBytes.close();
    }
  });

  it('keeps an approval compact: a 300 KB value costs the same few KB as a short one', async () => {
    const c = page({});
    try {
      await c.decide({ binding: 'small', change: 'small', view: backendView('https://x') }, from('a'));
      await c.decide({ binding: 'big', change: 'big', view: backendView(`https://x/${'t'.repeat(300_000)}`) }, from('a'));
      const [small, big] = c.page.live().map((a) => a.bytes);
      expect(big).toBeLessThan(small + 1000); // the title and the value, each cut
      expect(big).toBeLessThan(4096);
    } finally {
      await c.close();
    }
  });

  it('frees the room of an approval once it expires', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const c = page({ perClient: 1 });
    try {
      await ask(c, 1);
      expect((await ask(c, 2)).kind).toBe('refused');
      vi.setSystemTime(Date.now() + 61_000);
      expect((await ask(c, 2)).kind).toBe('approval_required');
    } finally {
      await c.close();
    }
  });

  it('caps open questions (2026-07-28 input_required, token fallback) the same way', async () => {
    const modern = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 60, limits: { perClient: 1 } });
    const token = new Confirmer({ fallback: 'token', elicitation: false, ttlSeconds: 60, limits: { perClient: 1 } });
    const p = (i: number) => ({ binding: `b${i}`, change: `c${i}`, view });
    expect((await modern.decide(p(1), { canElicit: true, client: { key: 'a' } })).kind).toBe('ask');
    expect(await modern.decide(p(2), { canElicit: true, client: { key: 'a' } })).toMatchObject({ kind: 'refused', code: 'throttled' });
    expect((await token.decide(p(1), { canElicit: false, client: { key: 'a' } })).kind).toBe('confirmation_required');
    expect(await token.decide(p(2), { canElicit: false, client: { key: 'a' } })).toMatchObject({ kind: 'refused', code: 'throttled' });
  });

  it('lets one client hold only a few calls waiting on a question, and all clients together only some', async () => {
    const c = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 60, limits: { waitingPerClient: 2, waitingTotal: 3 } });
    const answers: ((r: object) => void)[] = [];
    const waits = async () => new Promise<any>((resolve) => answers.push(resolve));
    const call = (key: string) => c.decide(proposal(), { canElicit: true, client: { key }, elicit: waits });
    const a1 = call('a');
    const a2 = call('a');
    const a3 = await call('a');
    expect(a3).toMatchObject({ kind: 'refused', code: 'throttled' });
    expect(messageOf(a3)).toContain('This client already has 2 call(s) waiting for a human');
    expect(messageOf(a3)).toContain('Answer or cancel the open questions');
    expect(c.waitingFor('a')).toBe(2);
    const b1 = call('b');
    expect(messageOf(await call('b'))).toContain("3 calls are already waiting for a human's answer on this server");
    for (const answer of answers) answer({ action: 'decline' });
    expect((await Promise.all([a1, a2, b1])).map((v) => v.kind)).toEqual(['declined', 'declined', 'declined']);
    expect(c.waitingFor('a')).toBe(0);
  });
});
