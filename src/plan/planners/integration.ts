// Integration intents (update_integration, set_timeout, set_tls_verification, patch_integration): one UpdateIntegration
// with the minimal ops, or, with `type`, a PutIntegration that replaces or creates the integration and re-puts the
// integration responses the new type still uses. Undeclared method.request.* sources are declared first.
import { ToolError } from '../../errors.js';
import { checkTargetInput, type TargetInput } from '../../intent/target.js';
import { integrationDocument, integrationOps, type IntegrationIntent } from '../../intent/intents.js';
import { checkIntegrationDocument, storedIntegration, usesIntegrationResponses } from '../../patch/documents.js';
import { maxRisk, riskOf, type PatchOperation } from '../../patch/rules.js';
import { titleVerb } from '../view.js';
import { checkPatch, describeProblems, type FieldName } from '../../patch/validate.js';
import type { Doc } from '../../patch/values.js';
import { hashOf } from '../../safety/hash.js';
import { INTEGRATION } from '../kinds/integration.js';
import type { Planner } from '../planner.js';
import { declareParameters, parametersUsed } from '../prerequisites.js';
import type { Address, Step } from '../step.js';
import { readTarget, targetOf, whereOf } from './read.js';

export interface IntegrationChange {
  /** Typed intent fields; with `type`, the settings of the new integration. */
  intent?: IntegrationIntent;
  /** Raw ops instead of an intent (patch_integration). */
  ops?: PatchOperation[];
  /** Replace (or create) the integration with one of this type. */
  type?: string;
}

/** The human's title, in the server's words, from what the riskiest op does. */
function titleOf(ops: readonly PatchOperation[], where: string): string {
  const verb = titleVerb('integration', ops);
  return verb ? `${verb} ${where}` : `Change ${ops.length} setting${ops.length === 1 ? '' : 's'} of the integration of ${where}`;
}

/** The method.request.* parameters that ops add as mapping sources or cache keys. */
function sourcesOf(ops: readonly PatchOperation[]): string[] {
  return parametersUsed(
    ops.filter((o) => o.op !== 'remove').flatMap((o) => (o.path.startsWith('/requestParameters/') ? [o.value ?? ''] : o.path.startsWith('/cacheKeyParameters/') ? [decodeURIComponent(o.path.slice('/cacheKeyParameters/'.length)).replace(/~1/g, '/').replace(/~0/g, '~')] : [])),
  );
}

export function integrationPlanner(target: TargetInput, change: IntegrationChange, env: { maxTimeoutMs: number }, names?: (op: PatchOperation) => FieldName | undefined): Planner {
  const draft = (): PatchOperation[] => change.ops ?? integrationOps(change.intent ?? {});
  return {
    kind: 'change',
    names: (step) => (step.resource === 'integration' && step.action === 'update' ? names : undefined),
    checkLocally() {
      checkTargetInput(target);
      if (change.type) {
        // A new integration starts empty: there is nothing to remove, so a null (or a removal) is a mistake to name.
        const i = change.intent ?? {};
        const nulls = (['requestParameters', 'requestTemplates'] as const).flatMap((f) => Object.entries(i[f] ?? {}).filter(([, v]) => v === null).map(([k]) => `${f}[${JSON.stringify(k)}]`));
        if (nulls.length || i.cacheKeyParameters?.remove?.length)
          throw new ToolError(`With type, give only what the new integration has: ${[...nulls, ...(i.cacheKeyParameters?.remove?.length ? ['cacheKeyParameters.remove'] : [])].join(', ')} remove${nulls.length === 1 ? 's' : ''} nothing from a new integration. Nothing was sent.`);
        // AWS drops a MOCK's uri without a word; an agent that gives one expects it to matter.
        if (change.type === 'MOCK' && i.uri !== undefined) throw new ToolError('Nothing was sent. The new MOCK integration: a MOCK integration has no uri (it answers itself); leave uri out.');
        const problem = checkIntegrationDocument(storedIntegration(integrationDocument(change.type, change.intent ?? {}), 'local'), env);
        if (problem) throw new ToolError(`Nothing was sent. The new ${change.type} integration: ${problem.message}`);
        return 'confirm';
      }
      const ops = draft();
      if (ops.length === 0) throw new ToolError('Nothing to change: give at least one field to set (or type, to replace the integration).');
      const local = checkPatch('integration', ops, env);
      if (local.problems.length) throw new ToolError(`Nothing was sent. ${describeProblems(local.problems, ops, names)}`);
      return maxRisk(local.matched.map((m) => riskOf(m.rule, m.op, m.key).risk));
    },
    read: (ctx, gateway) => readTarget(ctx, gateway, target),
    target: (model) => targetOf(model.addresses[0]),
    build(model) {
      const address = model.addresses[0];
      return integrationSteps(model.method(address), address, change);
    },
  };
}

/**
 * The steps of an integration change on one method: an update with the minimal ops (and the parameters it needs
 * declared), or with `type` a replacement. Also what the batch planner builds per target.
 */
export function integrationSteps(method: Doc | undefined, address: Address, change: IntegrationChange) {
  const current = INTEGRATION.read(method, address);
  const where = whereOf(address);
  const subject = { resource: 'integration' as const, address };
  if (change.type) return replace(method, current, address, change.type, change.intent ?? {});
  if (!current)
    throw new ToolError(
      `${where} has no integration to change. To create one, call update_integration with type (e.g. type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: "https://..."). Nothing was sent.`,
      'not_found',
    );
  const ops = change.ops ?? integrationOps(change.intent ?? {}, current);
  if (ops.length === 0) return { steps: [], subject, title: '', already: 'The integration already has these values; nothing was sent.' };
  const declare = declareParameters(method, address, sourcesOf(ops), 'the integration');
  const steps: Step[] = [...(declare ? [declare] : []), { resource: 'integration', address, action: 'update', ops }];
  return { steps, subject, title: titleOf(ops, where), notes: [] as string[] };
}

/** PutIntegration of a new document, the responses the new type uses re-put, the ones it drops named. */
function replace(method: Doc | undefined, current: Doc | undefined, address: Address, type: string, intent: IntegrationIntent) {
  const where = whereOf(address);
  const subject = { resource: 'integration' as const, address };
  const document = integrationDocument(type, intent);
  if (current && hashOf(storedIntegration(document, address.resourceId)) === hashOf(current))
    return { steps: [], subject, title: '', already: 'The integration is already exactly this; nothing was sent.' };
  const declare = declareParameters(method, address, parametersUsed([...Object.values((document.requestParameters ?? {}) as Record<string, string>), ...((document.cacheKeyParameters ?? []) as string[])]), 'the new integration');
  const responses = Object.entries((method?.methodIntegration?.integrationResponses ?? {}) as Record<string, Doc>);
  const keep = usesIntegrationResponses(type);
  const steps: Step[] = [
    ...(declare ? [declare] : []),
    { resource: 'integration', address, action: 'put', document },
    ...(keep
      ? responses.map(([statusCode, r]): Step => {
          const { statusCode: _, ...doc } = r;
          return { resource: 'integrationResponse', address: { ...address, statusCode }, action: 'put', document: doc, because: `re-puts integration response ${statusCode}, which PutIntegration drops` };
        })
      : []),
  ];
  const notes = !keep && responses.length ? [`drops integration responses ${responses.map(([c]) => c).join(', ')}: a ${type} integration passes the backend's answer through`] : [];
  const title = current ? `Replace the ${current.type} integration of ${where} with a ${type} integration` : `Create a ${type} integration for ${where}`;
  return { steps, subject, title, notes };
}
