// update_integrations: one intent over many integrations of an API, as one plan. The API is read once (GetResources
// embed=methods, paged); each matched integration gets the steps update_integration would make for it (values may
// derive from its state: a uri rewrite that keeps the path), checked on its own; one that the change cannot apply to
// (a MOCK has no uri) is skipped with the reason. One confirmation, one record, one undo for the whole batch.
import { z } from 'zod';
import type { Gateway } from '../../aws/gateway.js';
import { ToolError } from '../../errors.js';
import { integrationResponseOps, type IntegrationIntent, type IntegrationResponseIntent } from '../../intent/intents.js';
import type { Doc } from '../../patch/values.js';
import { HTTP_VERBS, INTEGRATION_TYPES } from '../../patch/values.js';
import { checkSteps } from '../check.js';
import type { WriteContext } from '../context.js';
import { Model } from '../model.js';
import type { Built, Planner } from '../planner.js';
import { declareResponseHeaders } from '../prerequisites.js';
import { methodName, type Address, type Step } from '../step.js';
import { integrationPlanner, integrationSteps } from './integration.js';
import { integrationResponsePlanner } from './integrationResponse.js';
import { checkApiInput, normalizePath, TargetSchema } from '../../intent/target.js';

export const MatchSchema = z
  .object({
    paths: z.array(z.string().min(1).max(2048)).min(1).max(100).optional().describe('Exact or glob (* one segment, ** any)'),
    methods: z.array(z.enum(HTTP_VERBS)).min(1).optional().describe('Method verbs'),
    types: z.array(z.enum(INTEGRATION_TYPES)).min(1).optional().describe('Integration types'),
    uriPrefix: z.string().min(1).max(2048).optional().describe('uri starts with it'),
  })
  .describe('All filters given must match');
export type Match = z.infer<typeof MatchSchema>;

export const TargetRefSchema = z.object({
  resourcePath: TargetSchema.shape.resourcePath,
  resourceId: TargetSchema.shape.resourceId,
  httpMethod: z.enum(HTTP_VERBS).describe('Verb'),
});
export type TargetRef = z.infer<typeof TargetRefSchema>;

export const UriReplaceSchema = z.object({ from: z.string().min(1).max(2048).describe('Old uri prefix'), to: z.string().min(1).max(2048).describe('New prefix') }).describe('uri prefix from -> to, path kept');

export interface BatchChange {
  intent: IntegrationIntent;
  type?: string;
  uriReplace?: { from: string; to: string };
  /** An integration-response change for every target: its status code and fields. */
  response?: IntegrationResponseIntent & { statusCode: string };
}

export interface BatchOutcome {
  targets: string[];
  skipped: { target: string; reason: string }[];
  unchanged: string[];
}

/** A path glob as a regex: `*` one segment (or part of one), `**` any number of segments. */
export function pathPattern(glob: string): RegExp {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${body}$`);
}

const integrationOf = (m: Doc | undefined) => m?.methodIntegration as Doc | undefined;

/** Which methods of the API a selection names, and the ones it names that are not there. */
function select(model: Model, match: Match | undefined, targets: TargetRef[] | undefined): Address[] {
  if (targets) {
    const missing: string[] = [];
    const found = targets.map((t) => {
      const a = model.addresses.find((x) => x.httpMethod === t.httpMethod && (t.resourceId ? x.resourceId === t.resourceId : x.resourcePath === normalizePath(t.resourcePath!)));
      if (!a) missing.push(`${t.httpMethod} ${t.resourcePath ?? `resource ${t.resourceId}`}`);
      return a;
    });
    if (missing.length) throw new ToolError(`No such method: ${missing.join(', ')}. Methods: ${model.addresses.map(methodName).join(', ')}. Nothing was sent.`, 'not_found');
    return found as Address[];
  }
  const globs = match?.paths?.map(pathPattern);
  return model.addresses.filter((a) => {
    const i = integrationOf(model.method(a));
    return (
      (!globs || globs.some((g) => g.test(a.resourcePath ?? ''))) &&
      (!match?.methods || match.methods.includes(a.httpMethod as never)) &&
      (!match?.types || match.types.includes(i?.type)) &&
      (!match?.uriPrefix || String(i?.uri ?? '').startsWith(match.uriPrefix))
    );
  });
}

/** What exists, for an error that says why nothing matched. */
const inventory = (model: Model) =>
  model.addresses
    .slice(0, 40)
    .map((a) => {
      const i = integrationOf(model.method(a));
      return `${methodName(a)} (${i ? `${i.type}${i.uri ? ` ${i.uri}` : ''}` : 'no integration'})`;
    })
    .join(', ') + (model.addresses.length > 40 ? `, … ${model.addresses.length - 40} more` : '');

/** Reads every method of the API once: GetResources embed=methods, paged. */
export async function readApi(ctx: WriteContext, gateway: Gateway, api: { restApiId?: string; apiName?: string }): Promise<Model> {
  const resolved = await ctx.resolver.resolveApi(gateway, api);
  await ctx.scope.checkWrite(gateway, { restApiId: resolved.id, apiName: resolved.name });
  const resources = await gateway.listResources(resolved.id, true);
  ctx.resolver.rememberPaths(resolved.id, resources);
  const model = new Model();
  for (const r of [...resources].sort((a, b) => String(a.path).localeCompare(String(b.path))))
    for (const [httpMethod, method] of Object.entries((r.resourceMethods ?? {}) as Record<string, Doc>).sort(([a], [b]) => a.localeCompare(b)))
      model.add({ restApiId: resolved.id, resourceId: r.id, httpMethod, resourcePath: r.path, ...(resolved.name ? { apiName: resolved.name } : {}) }, method);
  return model;
}

export function batchPlanner(
  api: { restApiId?: string; apiName?: string },
  selection: { match?: Match; targets?: TargetRef[] },
  change: BatchChange,
  env: { maxTimeoutMs: number },
  outcome: BatchOutcome,
): Planner {
  const intent: IntegrationIntent = { ...change.intent, ...(change.uriReplace ? { uri: change.uriReplace.to } : {}) };
  const hasIntegrationChange = change.type !== undefined || Object.values(change.intent).some((v) => v !== undefined) || change.uriReplace !== undefined;
  return {
    kind: 'batch',
    checkLocally() {
      checkApiInput(api);
      if ((selection.match === undefined) === (selection.targets === undefined)) throw new ToolError('Give match (filters) or targets (a list), one of them.');
      if (selection.match && Object.values(selection.match).every((v) => v === undefined)) throw new ToolError('match needs at least one filter: paths, methods, types or uriPrefix.');
      for (const t of selection.targets ?? []) if ((t.resourceId === undefined) === (t.resourcePath === undefined)) throw new ToolError('Each target needs one resourcePath (not resourceId too) and its httpMethod.');
      if (change.uriReplace && change.intent.uri !== undefined) throw new ToolError('Give uri or uriReplace, not both.');
      if (!hasIntegrationChange && !change.response) throw new ToolError('Nothing to change: give set (update_integration\'s fields), uriReplace or response.');
      // The same local checks update_integration makes, once for all targets (a uri rewrite is checked per target).
      let risk = 'safe' as ReturnType<Planner['checkLocally']>;
      const probe = { restApiId: 'local', resourceId: 'local', httpMethod: 'GET' as const };
      if (hasIntegrationChange && (change.type || Object.values(change.intent).some((v) => v !== undefined))) risk = integrationPlanner(probe, { intent: change.intent, type: change.type }, env).checkLocally();
      if (change.uriReplace) risk = 'confirm';
      if (change.response) {
        const { statusCode, ...r } = change.response;
        const level = integrationResponsePlanner(probe, statusCode, r, undefined, env).checkLocally();
        if (level === 'confirm' || (level === 'review' && risk === 'safe')) risk = level;
      }
      return risk;
    },
    read: (ctx, gateway) => readApi(ctx, gateway, api),
    target: (model) => ({ restApiId: model.addresses[0]?.restApiId ?? api.restApiId ?? '', ...(model.addresses[0]?.apiName ? { apiName: model.addresses[0].apiName } : {}) }),
    build(model): Built {
      const selected = select(model, selection.match, selection.targets);
      if (!selected.length) throw new ToolError(`No integration matches ${JSON.stringify(selection.match)}. The API has: ${inventory(model) || 'no methods'}. Nothing was sent.`, 'not_found');
      const steps: Step[] = [];
      outcome.targets.length = outcome.skipped.length = outcome.unchanged.length = 0;
      for (const a of selected) {
        const name = methodName(a);
        const method = model.method(a);
        const i = integrationOf(method);
        try {
          const own: Step[] = [];
          if (hasIntegrationChange) {
            if (!i && !change.type) throw new ToolError('it has no integration');
            let targetIntent = intent;
            if (change.uriReplace) {
              const uri = String(i?.uri ?? '');
              if (i?.type === 'MOCK') throw new ToolError('a MOCK integration has no uri');
              if (!uri.startsWith(change.uriReplace.from)) throw new ToolError(`its uri ${JSON.stringify(uri)} does not start with ${JSON.stringify(change.uriReplace.from)}`);
              targetIntent = { ...intent, uri: change.uriReplace.to + uri.slice(change.uriReplace.from.length) };
            }
            own.push(...integrationSteps(method, a, { intent: targetIntent, type: change.type }).steps);
          }
          if (change.response) {
            const { statusCode, ...r } = change.response;
            own.push(...responseSteps(method, { ...a, statusCode }, r));
          }
          // Checked on its own: a change that cannot apply to this one skips it, with AWS's reason.
          checkSteps(model, own, env);
          if (own.length === 0) outcome.unchanged.push(name);
          else {
            outcome.targets.push(name);
            steps.push(...own);
          }
        } catch (err) {
          if (!(err instanceof ToolError)) throw err;
          outcome.skipped.push({ target: name, reason: err.message.replace(/^Nothing was sent\. /, '').replace(/ Nothing was sent\.$/, '') });
        }
      }
      const first = selected[0];
      const notes = outcome.skipped.map((x) => `skips ${x.target}: ${x.reason}`);
      return {
        steps,
        subject: { resource: 'integration', address: first },
        title: `Change ${outcome.targets.length} integration${outcome.targets.length === 1 ? '' : 's'} of API ${first.apiName !== undefined ? JSON.stringify(first.apiName) : first.restApiId}`,
        notes,
        targets: [...outcome.targets],
        already: `Nothing to change: ${outcome.unchanged.length} already as asked${outcome.skipped.length ? `, ${outcome.skipped.length} skipped (${notes.join('; ')})` : ''}; nothing was sent.`,
      };
    },
  };
}

/** An integration-response change on one method, as update_integration_response plans it. */
function responseSteps(method: Doc | undefined, address: Address, intent: IntegrationResponseIntent): Step[] {
  const i = integrationOf(method);
  if (!i) throw new ToolError('it has no integration');
  const current = i.integrationResponses?.[address.statusCode!];
  const user = `integration response ${address.statusCode}`;
  if (!current) throw new ToolError(`it has no integration response ${address.statusCode} (it has: ${Object.keys(i.integrationResponses ?? {}).join(', ') || 'none'})`);
  const ops = integrationResponseOps(intent, current);
  if (!ops.length) return [];
  const mapped = Object.entries(intent.responseParameters ?? {}).filter(([, v]) => v !== null).map(([k]) => k);
  const mr = declareResponseHeaders(method, address, address.statusCode!, mapped, user);
  return [...(mr ? [mr] : []), { resource: 'integrationResponse', address, action: 'update', ops }];
}
