// Integration-response intents (update_integration_response): one UpdateIntegrationResponse with the minimal ops,
// or a PutIntegrationResponse for a status code that has none; the method response it maps onto is created, and
// the headers it maps are declared on it, when missing.
import { ToolError } from '../../errors.js';
import { checkTargetInput, type TargetInput } from '../../intent/target.js';
import { integrationResponseOps, type IntegrationResponseIntent } from '../../intent/intents.js';
import { maxRisk, riskOf } from '../../patch/rules.js';
import { checkPatch, describeProblems } from '../../patch/validate.js';
import type { Doc } from '../../patch/values.js';
import { INTEGRATION_RESPONSE } from '../kinds/integrationResponse.js';
import type { Planner } from '../planner.js';
import { declareResponseHeaders } from '../prerequisites.js';
import type { Step } from '../step.js';
import { fieldNames } from '../../intent/intents.js';
import { readTarget, targetOf, whereOf } from './read.js';

/** The new response's document: what the intent sets (nulls remove nothing from nothing). */
function documentOf(intent: IntegrationResponseIntent): Doc {
  const entries = (m?: Record<string, string | null>) => m && Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null));
  return Object.fromEntries(
    Object.entries({
      selectionPattern: intent.selectionPattern,
      contentHandling: intent.contentHandling,
      responseTemplates: entries(intent.responseTemplates),
      responseParameters: entries(intent.responseParameters),
    }).filter(([, v]) => v !== undefined && !(typeof v === 'object' && Object.keys(v).length === 0)),
  );
}

/**
 * `create`: true creates a missing response, false refuses to; absent creates it too (the preview says so), since
 * asking for a response of a status code is asking for it to exist.
 */
export function integrationResponsePlanner(target: TargetInput, statusCode: string, intent: IntegrationResponseIntent, create: boolean | undefined, env: { maxTimeoutMs: number }): Planner {
  const names = fieldNames('integrationResponse', intent);
  return {
    kind: 'change',
    names: (step) => (step.resource === 'integrationResponse' ? names : undefined),
    checkLocally() {
      checkTargetInput(target);
      const ops = integrationResponseOps(intent);
      if (ops.length === 0 && !create) throw new ToolError('Nothing to change: give at least one field to set (or create: true for an empty response).');
      const local = checkPatch('integrationResponse', ops, env);
      if (local.problems.length) throw new ToolError(`Nothing was sent. ${describeProblems(local.problems, ops, names)}`);
      return maxRisk(local.matched.map((m) => riskOf(m.rule, m.op, m.key).risk));
    },
    read: (ctx, gateway) => readTarget(ctx, gateway, target),
    target: (model) => targetOf(model.addresses[0], { statusCode }),
    build(model) {
      const address = { ...model.addresses[0], statusCode };
      const method = model.method(address);
      const where = whereOf(address);
      const subject = { resource: 'integrationResponse' as const, address };
      if (!method?.methodIntegration)
        throw new ToolError(`${where} has no integration, so it has no integration responses; create the integration first (update_integration with type). Nothing was sent.`, 'not_found');
      const current = INTEGRATION_RESPONSE.read(method, address);
      if (!current && create === false)
        throw new ToolError(
          `${where} has no integration response ${statusCode}; it has: ${Object.keys(method.methodIntegration.integrationResponses ?? {}).join(', ') || 'none'}. Omit create (or pass create: true) to create it.`,
          'not_found',
        );
      const user = `integration response ${statusCode}`;
      if (!current) {
        const document = documentOf(intent);
        const mr = declareResponseHeaders(method, address, statusCode, Object.keys(document.responseParameters ?? {}), user);
        const steps: Step[] = [...(mr ? [mr] : []), { resource: 'integrationResponse', address, action: 'put', document }];
        return { steps, subject, title: `Create integration response ${statusCode} for ${where}` };
      }
      const ops = integrationResponseOps(intent, current);
      if (ops.length === 0) return { steps: [], subject, title: '', already: `Integration response ${statusCode} already has these values; nothing was sent.` };
      const mapped = Object.entries(intent.responseParameters ?? {}).filter(([, v]) => v !== null).map(([k]) => k);
      const mr = declareResponseHeaders(method, address, statusCode, mapped, user);
      return { steps: [...(mr ? [mr] : []), { resource: 'integrationResponse', address, action: 'update', ops }], subject, title: `Change integration response ${statusCode} of ${where}` };
    },
  };
}
