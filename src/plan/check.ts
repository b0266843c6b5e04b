// The check against state: each step runs on the model in order and is checked against the state it starts from,
// as API Gateway would check it (the rules table, whole documents per type, selection patterns), plus what this
// server refuses although AWS would take it (removing what a mapping, cache key or integration response still uses).
// Nothing is sent here; a problem is a ToolError naming the step.
import { ToolError } from '../errors.js';
import { selectionPatternClash } from '../patch/documents.js';
import { checkPatch, describeProblems, type FieldName } from '../patch/validate.js';
import { selectionPatternOf, type Doc, type RuleEnv } from '../patch/values.js';
import { parsePointer } from '../patch/pointer.js';
import type { PatchOperation } from '../patch/rules.js';
import { applyStageOp, checkStagePatch } from '../patch/stageRules.js';
import { kindOf } from './kinds/index.js';
import type { Model } from './model.js';
import { declaredName } from './prerequisites.js';
import { stepRisk } from './risk.js';
import { headingOf, type CheckedStep, type Step } from './step.js';

/** How a tool names its own fields in problems (set_timeout's timeoutInMillis), for the step it asked for. */
export type FieldNamer = (step: Step) => ((op: import('../patch/rules.js').PatchOperation) => FieldName | undefined) | undefined;

/** A stage after its ops, checked with the stage rows (their paths name a method setting by its escaped path). */
function stageAfter(before: Doc, ops: readonly PatchOperation[]): Doc {
  const { problems, matched } = checkStagePatch(ops);
  if (problems.length) throw new ToolError(`Nothing was sent. ${problems.map((p) => p.message).join('; ')}`);
  const after = structuredClone(before);
  for (const m of matched) applyStageOp(after, m, m.op);
  return after;
}

/** What still uses a method request parameter on this method: mappings and cache keys of its integration. */
function usersOfParameter(method: Doc | undefined, name: string): string[] {
  const i = method?.methodIntegration;
  const mappings = Object.entries((i?.requestParameters ?? {}) as Record<string, string>).filter(([, src]) => declaredName(src) === name).map(([k]) => `mapping ${k}`);
  const keys = ((i?.cacheKeyParameters ?? []) as string[]).filter((k) => declaredName(k) === name).map((k) => `cache key ${k}`);
  return [...mappings, ...keys];
}

/** Refusals this server makes although AWS might not: removing what something still uses. */
function inUse(step: Step, method: Doc | undefined): string | undefined {
  const where = headingOf(step.resource, step.address);
  const code = step.address.statusCode;
  if (step.resource === 'method' && step.action === 'update')
    for (const op of step.ops ?? []) {
      const [field, name] = parsePointer(op.path) ?? [];
      if (op.op !== 'remove' || field !== 'requestParameters' || !name) continue;
      const users = usersOfParameter(method, name);
      if (users.length) return `${where}: ${name} is still used by ${users.join(', ')} of its integration; remove those first (update_integration with null / cacheKeyParameters.remove), or in the same call.`;
    }
  if (step.resource === 'methodResponse' && step.action === 'delete' && method?.methodIntegration?.integrationResponses?.[code!])
    return `${where} is still used by integration response ${code}; delete that first (or keep the method response).`;
  if (step.resource === 'methodResponse' && step.action === 'update')
    for (const op of step.ops ?? []) {
      const [field, name] = parsePointer(op.path) ?? [];
      const mapped = method?.methodIntegration?.integrationResponses?.[code!]?.responseParameters ?? {};
      if (op.op === 'remove' && field === 'responseParameters' && name && name in mapped)
        return `${where}: header ${name} is still mapped by integration response ${code}; remove that mapping first (update_integration_response responseParameters { "${name}": null }).`;
    }
  return undefined;
}

/**
 * Runs `steps` on a copy of the model, checking each. Returns the checked steps (with before, after and risk) and
 * the model as the plan leaves it. `env` holds the configured limits.
 */
export function checkSteps(model: Model, steps: readonly Step[], env: Pick<RuleEnv, 'maxTimeoutMs'>, names?: FieldNamer): { checked: CheckedStep[]; model: Model } {
  const work = model.clone();
  const checked: CheckedStep[] = [];
  for (const step of steps) {
    const kind = kindOf(step.resource);
    const method = work.method(step.address);
    const before = kind.read(method, step.address);
    const ruleEnv: RuleEnv = { ...env, ...kind.env(method, step.address) };
    const where = headingOf(step.resource, step.address);
    const refused = inUse(step, method);
    if (refused) throw new ToolError(`Nothing was sent. ${refused}`, 'conflict');
    let after: Doc | undefined;
    if (step.action === 'update' && step.resource === 'stage') {
      if (!before) throw new ToolError(`Nothing was sent. ${where} does not exist.`, 'not_found');
      after = stageAfter(before, step.ops ?? []);
    } else if (step.action === 'update') {
      if (!before) throw new ToolError(`Nothing was sent. ${where} does not exist.`, 'not_found');
      const r = checkPatch(step.resource, step.ops ?? [], ruleEnv, before);
      if (r.problems.length || !r.after) throw new ToolError(`Nothing was sent. ${describeProblems(r.problems, step.ops ?? [], names?.(step))}`);
      after = r.after;
    } else if (step.action === 'put') {
      const problem = kind.checkPut(step.document ?? {}, ruleEnv);
      if (problem) throw new ToolError(`Nothing was sent. ${where}: ${problem.message}`);
      after = kind.stored(step.document ?? {}, step.address);
    } else if (!before) throw new ToolError(`Nothing was sent. ${where} does not exist.`, 'not_found');
    if (step.resource === 'integrationResponse' && after && selectionPatternOf(after) !== selectionPatternOf(before)) {
      const other = selectionPatternClash(method?.methodIntegration?.integrationResponses, step.address.statusCode!, after);
      if (other) {
        const pattern = selectionPatternOf(after);
        const shown = pattern ? `selection pattern ${JSON.stringify(pattern)}` : 'no selection pattern (it is the default response)';
        throw new ToolError(
          `Integration response ${other} already has ${shown}; two integration responses of a method cannot share one (API Gateway answers 409). Give ${step.address.statusCode} another selectionPattern, or change ${other}'s first. Nothing was sent.`,
          'conflict',
        );
      }
    }
    // A put replaces the integration and its responses: the step remembers those it drops, so undo can bring them back.
    const dropped = step.resource === 'integration' && step.action !== 'update' ? method?.methodIntegration?.integrationResponses : undefined;
    const beforeRecorded = before && dropped ? { ...before, integrationResponses: dropped } : before;
    work.set(step.address, kind.write(method, step.address, after, step.action));
    checked.push({ ...step, ...(beforeRecorded && { before: beforeRecorded }), ...(after && { after }), ...stepRisk(step, before, after) });
  }
  return { checked, model: work };
}
