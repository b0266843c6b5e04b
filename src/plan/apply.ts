// Applies a checked plan in order, one AWS write per step. When step k fails, the inverses of steps k-1..1 are
// applied newest first (compensation); if an inverse fails too, it stops there and says exactly what is left and the
// call that would fix it by hand. A write whose answer was lost is read back: landed, not landed, or unknown.
import { outcomeUnknown } from '../aws/errors.js';
import type { Gateway } from '../aws/gateway.js';
import type { Doc } from '../patch/values.js';
import { hashOf } from '../safety/hash.js';
import { inverseOf, type DoneStep } from './inverse.js';
import { kindOf } from './kinds/index.js';
import { describeStep, headingOf, type Address, type CheckedStep, type Step } from './step.js';

export type ApplyOutcome =
  | { kind: 'applied'; done: DoneStep[]; drift: string[]; verified: boolean }
  | { kind: 'failed'; error: unknown; failedAt: string; done: DoneStep[]; rolledBack: string[]; left: string[] }
  | { kind: 'unknown'; error: unknown; failedAt: string; done: DoneStep[]; now?: Doc };

/** Reads one method again (GetMethod), for a step whose answer was lost. */
export type Reread = (a: Address) => Promise<Doc | undefined>;

/** An update's answer must equal the preview; a put's must hold every field the preview has (AWS may add defaults). */
function matches(step: CheckedStep, answer: Doc | undefined): boolean {
  const comparable = kindOf(step.resource).comparable ?? ((d: Doc | undefined) => d);
  const want = comparable(step.after);
  const got = comparable(answer);
  if (!want || !got) return !want && !got;
  if (step.action === 'update') return hashOf(got) === hashOf(want);
  return Object.entries(want).every(([k, v]) => hashOf(got[k]) === hashOf(v));
}

async function send(gateway: Gateway, step: Step): Promise<Doc | undefined> {
  return kindOf(step.resource).send(gateway, step);
}

/** What is left of an applied step when its inverse cannot be sent, with the call that fixes it. */
const leftOver = (d: DoneStep) => {
  const inv = inverseOf(d);
  return `${d.action} ${headingOf(d.resource, d.address)} is still applied; ${inv.steps.length ? `to revert it by hand: ${inv.steps.map(describeStep).join(', then ')}` : `it cannot be reverted (${inv.blocker})`}`;
};

/** Compensation: the inverses of the applied steps, newest first, stopping at the first that fails. */
async function compensate(gateway: Gateway, done: DoneStep[]): Promise<{ rolledBack: string[]; left: string[] }> {
  const rolledBack: string[] = [];
  for (let i = done.length - 1; i >= 0; i--) {
    const d = done[i];
    const inv = inverseOf(d);
    try {
      if (inv.blocker) throw new Error(inv.blocker);
      for (const s of inv.steps) await send(gateway, s);
      rolledBack.push(`${d.action} ${headingOf(d.resource, d.address)}`);
    } catch (err) {
      const left = done.slice(0, i + 1).reverse().map(leftOver);
      left[0] += ` (its inverse failed: ${(err as Error).message})`;
      return { rolledBack, left };
    }
  }
  return { rolledBack, left: [] };
}

export async function applySteps(gateway: Gateway, steps: readonly CheckedStep[], reread: Reread, progress?: (done: number, total: number, message: string) => void): Promise<ApplyOutcome> {
  const done: DoneStep[] = [];
  const drift: string[] = [];
  let verified = false;
  for (const [i, step] of steps.entries()) {
    let got: Doc | undefined;
    try {
      got = await send(gateway, step);
    } catch (error) {
      const failedAt = describeStep(step);
      let landed = false;
      // The request may have landed although its answer was lost: read back and tell the truth.
      if (outcomeUnknown(error)) {
        const now = kindOf(step.resource).read(await reread(step.address).catch(() => undefined), step.address);
        const { integrationResponses: _, ...before } = step.before ?? {};
        const unchanged = step.before ? hashOf(now) === hashOf(step.resource === 'integration' ? before : step.before) : now === undefined;
        if (matches(step, now)) {
          got = now;
          landed = verified = true;
        } else if (!unchanged) return { kind: 'unknown', error, failedAt, done, ...(now && { now }) };
      }
      if (!landed) {
        const { rolledBack, left } = await compensate(gateway, done);
        return { kind: 'failed', error, failedAt, done, rolledBack, left };
      }
    }
    // An update answers with the resource it left: a difference from the preview means another writer was there.
    if (step.action !== 'delete' && !matches(step, got)) drift.push(headingOf(step.resource, step.address));
    done.push({ resource: step.resource, address: step.address, action: step.action, ...(step.ops && { ops: step.ops }), ...(step.document && { document: step.document }), ...(step.before && { before: step.before }), ...(got && { after: got }) });
    progress?.(i + 1, steps.length, describeStep(step));
  }
  return { kind: 'applied', done, drift, verified };
}

export interface GroupOutcome {
  done: DoneStep[];
  failed: { target: string; error: unknown; rolledBack: string[]; left: string[] }[];
  unknown: { target: string; error: unknown }[];
  drift: string[];
}

/**
 * keepGoing: each group (one target's steps) applied on its own; a group that fails is compensated alone and the
 * others go on. What applied and what did not is reported per target.
 */
export async function applyGroups(gateway: Gateway, groups: { target: string; steps: CheckedStep[] }[], reread: Reread, progress?: (done: number, total: number, message: string) => void): Promise<GroupOutcome> {
  const out: GroupOutcome = { done: [], failed: [], unknown: [], drift: [] };
  for (const [i, g] of groups.entries()) {
    const r = await applySteps(gateway, g.steps, reread);
    if (r.kind === 'applied') {
      out.done.push(...r.done);
      out.drift.push(...r.drift);
    } else if (r.kind === 'failed') {
      out.failed.push({ target: g.target, error: r.error, rolledBack: r.rolledBack, left: r.left });
      // What compensation could not take back stays applied, and is recorded as such.
      if (r.left.length) out.done.push(...r.done.slice(0, r.done.length - r.rolledBack.length));
    } else {
      out.unknown.push({ target: g.target, error: r.error });
      out.done.push(...r.done);
    }
    progress?.(i + 1, groups.length, g.target);
  }
  return out;
}
