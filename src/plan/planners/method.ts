// Method-level intents (update_method): declare or remove method request parameters (and whether required), and
// create, change or delete method responses and their headers. Nothing else of a method is changed by this server.
import { ToolError } from '../../errors.js';
import { checkTargetInput, type TargetInput } from '../../intent/target.js';
import { fieldNames, methodOps, methodResponseOps, type MethodIntent, type MethodResponseIntent } from '../../intent/intents.js';
import { maxRisk, riskOf, type RiskLevel } from '../../patch/rules.js';
import { checkPatch, describeProblems } from '../../patch/validate.js';
import type { Doc } from '../../patch/values.js';
import { METHOD } from '../kinds/method.js';
import { METHOD_RESPONSE } from '../kinds/methodResponse.js';
import type { Planner } from '../planner.js';
import type { Step } from '../step.js';
import { readTarget, targetOf, whereOf } from './read.js';

export interface MethodChange extends MethodIntent {
  /** status code -> its declared headers and models, or null to delete the method response. */
  methodResponses?: Record<string, MethodResponseIntent | null>;
}

const documentOf = (r: MethodResponseIntent): Doc => {
  const entries = (m?: Record<string, unknown>) => m && Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null));
  const responseParameters = entries(r.responseParameters);
  const responseModels = entries(r.responseModels);
  return { ...(responseParameters && Object.keys(responseParameters).length ? { responseParameters } : {}), ...(responseModels && Object.keys(responseModels).length ? { responseModels } : {}) };
};

export function methodPlanner(target: TargetInput, change: MethodChange, env: { maxTimeoutMs: number }): Planner {
  const { methodResponses = {}, ...intent } = change;
  return {
    kind: 'change',
    names: (step) => (step.resource === 'method' ? fieldNames('method', intent) : step.resource === 'methodResponse' ? fieldNames('methodResponse', methodResponses[step.address.statusCode!] ?? {}) : undefined),
    checkLocally() {
      checkTargetInput(target);
      const levels: RiskLevel[] = [];
      const check = (resource: 'method' | 'methodResponse', ops: ReturnType<typeof methodOps>, names: ReturnType<typeof fieldNames>, prefix = '') => {
        const local = checkPatch(resource, ops, env);
        if (local.problems.length) throw new ToolError(`Nothing was sent. ${prefix}${describeProblems(local.problems, ops, names)}`);
        levels.push(...local.matched.map((m) => riskOf(m.rule, m.op, m.key).risk));
      };
      const ops = methodOps(intent);
      check('method', ops, fieldNames('method', intent));
      for (const [code, r] of Object.entries(methodResponses)) if (r) check('methodResponse', methodResponseOps(r), fieldNames('methodResponse', r), `methodResponses["${code}"]: `);
      if (!ops.length && !Object.keys(methodResponses).length) throw new ToolError('Nothing to change: give requestParameters or methodResponses.');
      return maxRisk(levels);
    },
    read: (ctx, gateway) => readTarget(ctx, gateway, target),
    target: (model) => targetOf(model.addresses[0]),
    build(model) {
      const address = model.addresses[0];
      const method = model.method(address);
      const steps: Step[] = [];
      const ops = methodOps(intent, METHOD.read(method, address));
      if (ops.length) steps.push({ resource: 'method', address, action: 'update', ops });
      for (const [statusCode, r] of Object.entries(methodResponses)) {
        const at = { ...address, statusCode };
        const current = METHOD_RESPONSE.read(method, at);
        if (r === null) {
          if (current) steps.push({ resource: 'methodResponse', address: at, action: 'delete' });
        } else if (!current) steps.push({ resource: 'methodResponse', address: at, action: 'put', document: documentOf(r) });
        else {
          const mrOps = methodResponseOps(r, current);
          if (mrOps.length) steps.push({ resource: 'methodResponse', address: at, action: 'update', ops: mrOps });
        }
      }
      return {
        steps,
        subject: { resource: 'method', address },
        title: `Change the request parameters and method responses of ${whereOf(address)}`,
        already: 'The method already declares these; nothing was sent.',
      };
    },
  };
}
