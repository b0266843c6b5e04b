// How a plan ends, one builder per way: already so, previewed, the state moved, stopped for a human, applied,
// applied over someone else's change, answer lost, failed (with what compensation did). Each is the preview plus
// what that ending adds, so every result has the same shape and the wording lives in one place.
import { ToolError } from '../errors.js';
import type { Doc } from '../patch/values.js';
import type { StopFields } from '../safety/verdict.js';
import type { ApplyOutcome } from './apply.js';
import type { DoneStep } from './inverse.js';
import { subjectView, type WriteResult } from './result.js';
import { headingOf } from './step.js';

/** The plan as checked, before anything is sent: what every ending starts from. */
export type Preview = Omit<WriteResult, 'status' | 'message'>;
/** The preview once applied: the subject as AWS now holds it, the changeId, any cache warnings. */
export type Applied = Preview & { changeId: string };

const doneList = (done: readonly DoneStep[]) => done.map((d) => `${d.action} ${headingOf(d.resource, d.address)}`);

export const outcome = {
  noChange: (preview: Preview, already?: string): WriteResult => ({ status: 'no_change', ...preview, message: already ?? 'Already as asked; nothing was sent.' }),

  dryRun: (preview: Preview, writes: number, human: boolean): WriteResult => ({
    status: 'dry_run',
    ...preview,
    message: `Preview only, nothing was sent: ${writes} write(s).${human ? " Applying it needs a human's confirmation." : ''}`,
  }),

  /** Before planning: the resource is not as the plan needs it (undo: changed since); nothing was sent. */
  moved: (base: Pick<Preview, 'backend' | 'target'>, before: Doc | undefined, after: Doc | undefined, message: string): WriteResult => ({
    status: 'conflict',
    ...base,
    risk: 'safe',
    riskReasons: [],
    patchOperations: [],
    ...subjectView(before, after),
    message,
  }),

  /** The human was asked during the call, and what the plan read changed meanwhile: previewed -> now. */
  changedWhileAsked: (preview: Preview, previewed: Doc | undefined, now: Doc | undefined): WriteResult => ({
    status: 'conflict',
    ...preview,
    ...subjectView(previewed, now),
    patchOperations: [],
    message:
      'What the plan read changed while the human was deciding (diff: what was previewed -> what it is now); nothing was sent. Call again to preview the change against its current state.',
  }),

  /** No human answer to apply it with (declined, pending, asked by page or token...): the preview and why. */
  stopped: (preview: Preview, fields: StopFields): WriteResult => ({ ...preview, ...fields }),

  applied: (applied: Applied, writes: number, verified: boolean, deploy: string): WriteResult => {
    const how = verified ? 'Applied; an answer was lost, so it was verified by reading it back' : `Applied with ${writes} write${writes === 1 ? '' : 's'}`;
    const note = applied.warnings?.length ? ` Note: ${applied.warnings.join(' ')}` : '';
    return { status: 'applied', ...applied, message: `${how}, as ${applied.changeId}. ${deploy}${note}` };
  },

  /** Applied, but AWS's answers differ from the preview: another writer changed those resources meanwhile. */
  drifted: (applied: Applied, drift: readonly string[], deploy: string): WriteResult => ({
    status: 'conflict',
    ...applied,
    message: `Applied (${applied.changeId}), but API Gateway's answer differs from the preview for ${drift.join(', ')}: someone else changed it meanwhile. Review it with get_integration. ${deploy}`,
  }),

  /** keepGoing: what stayed applied (at least one target), what failed and why, and any drift. */
  kept: (applied: Applied, r: { applied: string[]; of: number; failed: { target: string; error: string }[]; drift: readonly string[] }, deploy: string): WriteResult => ({
    ...applied,
    status: r.drift.length ? 'conflict' : 'applied',
    targets: r.applied,
    ...(r.failed.length ? { failed: r.failed } : {}),
    message: `${r.applied.length} of ${r.of} target(s) applied as ${applied.changeId}; ${r.failed.length} failed${r.failed.length ? `: ${r.failed.map((f) => `${f.target}: ${f.error}`).join('; ')}` : ''}.${r.drift.length ? ` API Gateway's answer differs from the preview for ${r.drift.join(', ')}: someone else changed it meanwhile.` : ''} ${deploy}`,
  }),

  /** A write's answer was lost and the resource matches neither side; the intent record stays (outcome unknown). */
  unknown: (preview: Preview, changeId: string, o: Extract<ApplyOutcome, { kind: 'unknown' }>): WriteResult => ({
    status: 'unknown_outcome',
    ...preview,
    changeId,
    message: `${o.failedAt}: its answer was lost (${(o.error as Error).message}) and the resource now matches neither the preview nor the state before: someone else may have changed it. ${o.done.length ? `Applied before it: ${doneList(o.done).join('; ')}. ` : ''}Review it (get_integration) before retrying.`,
  }),

  /** What the audit record keeps of a failed plan: where it failed and what compensation did. */
  rollback: (o: Extract<ApplyOutcome, { kind: 'failed' }>) => ({ failedAt: o.failedAt, applied: doneList(o.done), rolledBack: o.rolledBack, left: o.left }),

  /** A step failed: AWS's own error (its code kept), at which step, and what became of the steps before it. */
  failed: (aws: ToolError, o: Extract<ApplyOutcome, { kind: 'failed' }>, changeId: string, steps: number): ToolError => {
    if (!o.done.length) return aws;
    const story = o.left.length
      ? `Compensation rolled back ${o.rolledBack.length} of ${o.done.length} applied step(s) and then failed: ${o.left.join('; ')}. Recorded as ${changeId} (partly applied).`
      : `The ${o.done.length} step(s) applied before it were rolled back (${o.rolledBack.join('; ')}): everything is as it was.`;
    return new ToolError(`${aws.message} (at step ${o.done.length + 1} of ${steps}: ${o.failedAt}). ${story}`, aws.code);
  },
};
