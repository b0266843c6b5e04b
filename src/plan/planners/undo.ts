// undo_change: the inverse steps of a recorded change, newest first, applied as a plan, but only if every resource
// it touched is still exactly as the change left it (otherwise `conflict`, naming the resource that moved).
import { ToolError } from '../../errors.js';
import type { Resource } from '../../patch/rules.js';
import type { Doc } from '../../patch/values.js';
import type { AuditRecord } from '../../safety/audit.js';
import { hashOf } from '../../safety/hash.js';
import type { DoneStep } from '../inverse.js';
import { undoSteps } from '../inverse.js';
import { kindOf } from '../kinds/index.js';
import { Model } from '../model.js';
import type { Planner } from '../planner.js';
import { headingOf, methodKey, resourceKey, type Address } from '../step.js';
import { readApi } from './batch.js';
import { targetOf, whereOf } from './read.js';

const withoutResponses = (d: Doc | undefined) => {
  if (!d) return d;
  const { integrationResponses: _, ...rest } = d;
  return rest;
};

/** A record's writes as steps: a plan's own, or the one write an older record describes. */
export function doneSteps(record: AuditRecord): DoneStep[] {
  if (record.steps)
    return record.steps.map((s) => ({ resource: s.resource as Resource, address: s.address as unknown as Address, action: s.action, ...(s.ops && { ops: s.ops }), ...(s.document && { document: s.document }), before: s.before, after: s.after }));
  const { restApiId, resourceId, httpMethod, statusCode } = record.target;
  const address: Address = { restApiId, resourceId, httpMethod, ...(statusCode ? { statusCode } : {}) };
  if (record.kind === 'integrationResponse') {
    // An older record of a created response kept a blank `before` ({statusCode}) and said it was created.
    const created = !record.inverseOps && /created/.test(record.undoBlocker ?? '');
    return [{ resource: 'integrationResponse', address, action: created ? 'put' : 'update', ...(created ? {} : { before: record.before }), after: record.after }];
  }
  return [{ resource: 'integration', address, action: 'update', before: withoutResponses(record.before), after: withoutResponses(record.after) }];
}

/** Each resource the change touched, with the state it left (its last step's after). */
function leftBy(done: readonly DoneStep[]): Map<string, DoneStep> {
  const last = new Map<string, DoneStep>();
  for (const d of done) last.set(resourceKey(d.resource, d.address), d);
  return last;
}

export function undoPlanner(record: AuditRecord): Planner {
  const done = doneSteps(record);
  const first = done[0].address;
  return {
    kind: 'undo',
    checkLocally() {
      const { blockers } = undoSteps(done);
      if (blockers.length) throw new ToolError(`${record.changeId} cannot be undone: ${blockers.join('; ')}. Nothing was sent.`);
      return 'safe';
    },
    async read(ctx, gateway) {
      // Many methods of one API (a batch, CORS): read the API once, as the change did, instead of a GetMethod each.
      const methods = new Set(done.filter((d) => d.address.stageName === undefined).map((d) => methodKey(d.address)));
      const apis = new Set(done.map((d) => d.address.restApiId));
      if (methods.size > 3 && apis.size === 1 && done.every((d) => d.address.stageName === undefined)) {
        const model = await readApi(ctx, gateway, { restApiId: first.restApiId });
        // A method the change created and something deleted since reads as absent, as a GetMethod would say.
        for (const d of done) if (!model.has(d.address)) model.add({ ...d.address, statusCode: undefined }, undefined);
        return model;
      }
      const model = new Model();
      for (const d of done) {
        if (model.has(d.address)) continue;
        await ctx.scope.checkWrite(gateway, { restApiId: d.address.restApiId });
        const missing = (err: { name?: string }) => (err?.name === 'NotFoundException' ? undefined : Promise.reject(err));
        const method = await (d.address.stageName !== undefined ? gateway.getStage(d.address.restApiId, d.address.stageName) : gateway.getMethod(d.address)).catch(missing);
        model.add({ ...ctx.resolver.known(d.address.restApiId, d.address.resourceId), ...d.address, statusCode: undefined }, method);
      }
      return model;
    },
    target: () => targetOf({ ...first, ...(record.target.apiName ? { apiName: record.target.apiName } : {}), ...(record.target.resourcePath ? { resourcePath: record.target.resourcePath } : {}) }, first.statusCode ? { statusCode: first.statusCode } : {}),
    moved(model) {
      for (const d of leftBy(done).values()) {
        const comparable = kindOf(d.resource).comparable ?? ((x: Doc | undefined) => x);
        const now = comparable(d.resource === 'integration' ? withoutResponses(model.read(d.resource, d.address)) : model.read(d.resource, d.address));
        const left = comparable(d.resource === 'integration' ? withoutResponses(d.after) : d.after);
        if (hashOf(now ?? null) !== hashOf(left ?? null))
          return {
            message: `The ${headingOf(d.resource, { ...d.address, ...model.addresses.find((a) => methodKey(a) === methodKey(d.address)) })} changed after ${record.changeId}; undoing it now would overwrite those changes (diff: what it left -> what it is now). Nothing was sent.`,
            before: left ?? {},
            after: now ?? {},
          };
      }
      return undefined;
    },
    build(model) {
      const { steps } = undoSteps(done);
      // Names for people, from what the read found.
      const named = steps.map((s) => ({ ...s, address: { ...model.addresses.find((a) => methodKey(a) === methodKey(s.address)), ...s.address } }));
      const subject = named[0] ?? { resource: done[0].resource, address: first };
      return {
        steps: named,
        subject: { resource: subject.resource as 'integration', address: subject.address },
        title: `Undo ${record.changeId} on ${whereOf(subject.address)}`,
        already: `${record.changeId} changed nothing that could be reverted; nothing was sent.`,
      };
    },
  };
}
