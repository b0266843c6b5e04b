// The steps that undo one applied step, from the resource before and after it: an update's inverse ops (the rules
// table), a delete for what was created, a put of the old document for what was replaced or deleted (and, for an
// integration, a put of each integration response the replacement dropped). Compensation and undo both use it.
import { opsBetween } from '../patch/inverse.js';
import { inverseStageOps } from '../patch/stageRules.js';
import type { Doc } from '../patch/values.js';
import { kindOf } from './kinds/index.js';
import type { Action, Address, Step } from './step.js';
import type { Resource } from '../patch/rules.js';

export interface DoneStep {
  resource: Resource;
  address: Address;
  action: Action;
  /** What was sent: an update's ops, a put's document (for the record and history). */
  ops?: import('../patch/rules.js').PatchOperation[];
  document?: Doc;
  before?: Doc;
  after?: Doc;
}

/** The inverse steps, in the order to apply them; `blocker` says why there is none. */
export function inverseOf(s: DoneStep): { steps: Step[]; blocker?: string } {
  const kind = kindOf(s.resource);
  if (s.action === 'update' && s.resource === 'stage') {
    if (!s.before || !s.ops) return { steps: [], blocker: 'its stage before the change was not recorded' };
    const ops = inverseStageOps(s.before, s.ops);
    return { steps: ops.length ? [{ resource: 'stage', address: s.address, action: 'update', ops }] : [] };
  }
  if (s.action === 'update') {
    if (!s.before || !s.after) return { steps: [], blocker: 'its state before or after was not recorded' };
    const { ops, blockers } = opsBetween(s.resource, s.after, s.before);
    if (blockers.length) return { steps: [], blocker: blockers.join('; ') };
    return { steps: ops.length ? [{ resource: s.resource, address: s.address, action: 'update', ops }] : [] };
  }
  if (!s.before) return { steps: s.after ? [{ resource: s.resource, address: s.address, action: 'delete' }] : [] };
  const { integrationResponses, ...before } = s.before;
  const restore: Step[] = [{ resource: s.resource, address: s.address, action: 'put', document: kind.document(s.resource === 'integration' ? before : s.before) }];
  if (s.resource === 'integration')
    for (const [statusCode, r] of Object.entries((integrationResponses ?? {}) as Record<string, Doc>))
      restore.push({ resource: 'integrationResponse', address: { ...s.address, statusCode }, action: 'put', document: kindOf('integrationResponse').document(r) });
  return { steps: restore };
}

/** The plan that undoes applied steps: their inverses, newest step first. */
export function undoSteps(done: readonly DoneStep[]): { steps: Step[]; blockers: string[] } {
  const steps: Step[] = [];
  const blockers: string[] = [];
  for (const s of [...done].reverse()) {
    const inv = inverseOf(s);
    if (inv.blocker) blockers.push(inv.blocker);
    steps.push(...inv.steps);
  }
  return { steps, blockers };
}
