// The write pipeline every write tool goes through (DESIGN.md): check the ops locally, refuse what needs a
// human, resolve the target, read the Method once (it carries the integration, its responses and the declared
// parameters), check against the current state, diff, and send ONE update. Nothing is sent for bad input, for a
// change that is already so, or for a dry run.
import { z } from 'zod';
import type { Backend } from '../aws/backend.js';
import type { Gateway, MethodAddress } from '../aws/gateway.js';
import { outcomeUnknown } from '../aws/errors.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
import { diffDocs } from '../patch/diff.js';
import { maxRisk, riskOf, RiskLevel, type PatchOperation, type Resource } from '../patch/rules.js';
import { checkPatch, describeProblems, type FieldName, type MatchedOp } from '../patch/validate.js';
import { selectionPatternHolder, selectionPatternOf, type Doc, type RuleEnv } from '../patch/values.js';
import { checkTargetInput, explainMissingMethod, type ResolvedTarget, type TargetInput, type TargetResolver } from './target.js';
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import { opsBetween } from '../patch/inverse.js';
import { AuditLog, newChangeId, type AuditRecord } from '../safety/audit.js';
import type { CallInfo, Confirmer } from '../safety/confirm.js';
import { hashOf } from '../safety/hash.js';
import { needsHuman, type ConfirmPolicy } from '../safety/policy.js';
import type { StageCache, WriteScope } from '../safety/scope.js';
import { settle } from '../safety/verdict.js';

export const DocSchema = z.record(z.string(), z.unknown());

// Kept compact: every write tool lists this schema in the catalog a model reads on every conversation.
const Loose = z.record(z.string(), z.unknown());
export const WriteStatus = z.enum(['applied', 'no_change', 'dry_run', 'conflict', 'unknown_outcome', 'declined', 'approval_required', 'approval_pending', 'confirmation_required']);
export const WriteResultSchema = z.object({
  status: WriteStatus,
  message: z.string(),
  backend: z.string(),
  target: z.record(z.string(), z.string()),
  risk: RiskLevel,
  riskReasons: z.array(z.string()),
  patchOperations: z.array(z.unknown()),
  diff: z.array(z.unknown()),
  before: Loose,
  after: Loose,
  changeId: z.string().optional().describe('For undo_change'),
  approvalId: z.string().optional(),
  approvalUrl: z.string().optional(),
  confirmToken: z.string().optional(),
});
export type WriteResult = z.infer<typeof WriteResultSchema>;
export type WriteOutcome = WriteResult | InputRequiredResult;

export interface WriteContext {
  backend: Backend;
  resolver: TargetResolver;
  env: Pick<RuleEnv, 'maxTimeoutMs'>;
  policy: ConfirmPolicy;
  confirmer: Confirmer;
  audit: AuditLog;
  scope: WriteScope;
  stages: StageCache;
}

/** Ops for a change; given the current document, the minimal ops (add vs replace, nothing for what is already so). */
export type Planner = (current?: Doc) => PatchOperation[];

/** What differs between writing an integration and writing one of its integration responses. */
export interface Subject {
  resource: Resource;
  /** Names the thing in messages. */
  what: string;
  /** The current document, from the Method read once. */
  current(method: Doc): Doc | undefined;
  /** Rule context from the Method: declared parameters, the parent integration, the method response. */
  env(method: Doc): Omit<RuleEnv, 'maxTimeoutMs'>;
  /** Explains a missing document (and how to create it). */
  missing(method: Doc, target: ResolvedTarget): string;
  send(gateway: Gateway, address: MethodAddress, ops: PatchOperation[], after: Doc): Promise<Doc>;
  /** Creating a missing document is allowed (PutIntegrationResponse with create: true), starting from `blank`. */
  create?: (gateway: Gateway, address: MethodAddress, doc: Doc) => Promise<Doc>;
  /** Why the Method read says creating would be wrong (checked before any write), if it would. */
  cannotCreate?: (method: Doc, target: ResolvedTarget) => string | undefined;
  /** Why the planned document would collide with a sibling on the same method (checked before any write), if it would. */
  clashes?: (method: Doc, before: Doc | undefined, after: Doc) => string | undefined;
  blank?: Doc;
  extraTarget?: Record<string, string>;
}

export interface WriteOptions {
  dryRun?: boolean;
  call: CallInfo;
  /** Undo: the integration must still be exactly what the change left. */
  expect?: { after: Doc; changeId: string };
  /** Names the tool's own field behind an op, for tools without patchOperations (errors then speak its terms). */
  fields?: (op: PatchOperation) => FieldName | undefined;
}

// The ops decide, undo included: undoing "TLS verification off" turns it on (safe); undoing a new backend points
// the method at the old one, which the rules rate as risky as any other backend change.
function risksOf(matched: MatchedOp[], policy: ConfirmPolicy) {
  const levels = matched.map((m) => ({ m, level: riskOf(m.rule, m.op) }));
  const risk = maxRisk(['safe', ...levels.map((l) => l.level)]);
  return {
    risk,
    reasons: levels.filter((l) => l.level !== 'safe').map((l) => `${l.level}: ${l.m.op.op} ${l.m.op.path}: ${l.m.rule.reason}`),
    human: needsHuman(risk, policy),
  };
}

const showOp = (op: PatchOperation) => `${op.op} ${op.path}${op.value !== undefined ? ` = ${JSON.stringify(op.value)}` : ''}`;
const where = (t: ResolvedTarget & { statusCode?: string }) =>
  `${t.httpMethod} ${t.resourcePath ?? `resource ${t.resourceId}`} of API ${t.apiName ? `${t.apiName} (${t.restApiId})` : t.restApiId}${t.statusCode ? `, integration response ${t.statusCode}` : ''}`;

export async function write(ctx: WriteContext, subject: Subject, target: TargetInput, plan: Planner, opts: WriteOptions): Promise<WriteOutcome> {
  // 1. Everything that can be checked without AWS, before any call.
  checkTargetInput(target);
  const draft = plan();
  if (draft.length === 0 && !subject.create) throw new ToolError('Nothing to change: give at least one field to set.');
  const env = { maxTimeoutMs: ctx.env.maxTimeoutMs };
  const local = checkPatch(subject.resource, draft, env);
  if (local.problems.length) throw new ToolError(`Nothing was sent. ${describeProblems(local.problems, draft, opts.fields)}`);
  if (risksOf(local.matched, ctx.policy).human && !opts.dryRun) {
    const refusal = ctx.confirmer.refusesOutright(opts.call);
    if (refusal) throw new ToolError(`${refusal} Needs a human: ${local.matched.map((m) => showOp(m.op)).join('; ')}.`, 'needs_human');
  }

  // 2. Resolve, check the scope, and read the current state once.
  const gateway = await ctx.backend.gateway();
  const resolved = await ctx.resolver.resolve(gateway, target);
  await ctx.scope.checkWrite(gateway, resolved);
  const method = await gateway.getMethod(resolved).catch((err) => {
    throw explainMissingMethod(err, resolved, ctx.backend.label);
  });
  const current = subject.current(method);
  if (!current && !subject.create) throw new ToolError(subject.missing(method, resolved), 'not_found');
  if (!current && !method.methodIntegration) throw new ToolError(INTEGRATION.missing(method, resolved), 'not_found');
  const refusal = current ? undefined : subject.cannotCreate?.(method, resolved);
  if (refusal) throw new ToolError(refusal);
  const before = current ?? { ...subject.blank };
  const fullTarget = { ...resolved, ...subject.extraTarget };

  if (opts.expect && hashOf(before) !== hashOf(opts.expect.after))
    return {
      status: 'conflict',
      backend: ctx.backend.label,
      target: fullTarget,
      risk: 'safe',
      riskReasons: [],
      patchOperations: [],
      before: opts.expect.after,
      after: before,
      diff: diffDocs(opts.expect.after, before),
      message: `The ${subject.what} changed after ${opts.expect.changeId}; undoing it now would overwrite those changes (diff: what it left -> what it is now). Nothing was sent.`,
    };

  // 3. The minimal ops against the current state, checked as API Gateway would, and the preview.
  const ops = plan(before);
  const planned = checkPatch(subject.resource, ops, { ...env, ...subject.env(method) }, before);
  if (planned.problems.length || !planned.after) throw new ToolError(`Nothing was sent. ${describeProblems(planned.problems, ops, opts.fields)}`);
  const clash = subject.clashes?.(method, current, planned.after);
  if (clash) throw new ToolError(clash);
  const { risk, reasons, human } = risksOf(planned.matched, ctx.policy);
  const after = planned.after;
  const diff = diffDocs(before, after);
  const base = { backend: ctx.backend.label, target: fullTarget, risk, riskReasons: reasons, patchOperations: ops, before, after, diff };
  if (current && diff.length === 0) return { status: 'no_change', ...base, patchOperations: [], message: `The ${subject.what} already has these values; nothing was sent.` };
  if (opts.dryRun) return { status: 'dry_run', ...base, message: `Preview only, nothing was sent.${human ? " Applying it needs a human's confirmation." : ''}` };

  // 4. A human's answer, bound to exactly this target, these ops and this previewed state.
  let confirmation: { via: string; id?: string } = { via: human ? 'unreachable' : ctx.policy === 'never' && risk === 'confirm' ? 'policy_never' : 'not_needed' };
  if (human) {
    // Ids, not the names the agent used: a retry naming the API by id instead of name is the same change.
    const address = { restApiId: resolved.restApiId, resourceId: resolved.resourceId, httpMethod: resolved.httpMethod, ...subject.extraTarget };
    const binding = hashOf({ target: address, resource: subject.resource, ops, before: hashOf(before) });
    // A human needs names, not ids: look them up (cached) when the agent gave ids.
    const named = {
      ...fullTarget,
      apiName: fullTarget.apiName ?? (await ctx.resolver.apiName(gateway, resolved.restApiId).catch(() => undefined)),
      resourcePath: fullTarget.resourcePath ?? (await ctx.resolver.pathOf(gateway, resolved.restApiId, resolved.resourceId).catch(() => undefined)),
    };
    const view = { title: `Change to the ${subject.what}`, where: where(named), backend: ctx.backend.label, risk, reasons, diff, ops };
    const settled = settle(await ctx.confirmer.decide({ binding, view }, opts.call));
    if (settled.kind === 'ask') return settled.result;
    if (settled.kind === 'stop') return { ...base, ...settled.fields };
    confirmation = settled.confirmation;
    // A 2025-era client was asked during this call, which waited for the human: read again before sending, or an
    // accept would overwrite whatever changed meanwhile (a retry, in the other ways of asking, reads anew anyway).
    if (confirmation.via === 'elicitation' && opts.call.elicit) {
      const now = subject.current(await gateway.getMethod(resolved));
      if (!now || hashOf(now) !== hashOf(before))
        return {
          status: 'conflict',
          ...base,
          before,
          after: now ?? {},
          diff: diffDocs(before, now),
          patchOperations: [],
          message: `The ${subject.what} changed while the human was deciding (diff: what was previewed -> what it is now); nothing was sent. Call again to preview the change against its current state.`,
        };
    }
  }

  // 5. One call with all ops; the answer must equal the preview, or someone changed it meanwhile.
  // Written ahead: should the process die between the call and its record, the log still shows the change was
  // attempted (list_changes: outcome unknown) instead of nothing.
  const changeId = newChangeId();
  const record = {
    changeId,
    time: new Date().toISOString(),
    kind: subject.resource,
    backend: ctx.backend.label,
    ...(ctx.backend.region ? { region: ctx.backend.region } : {}),
    ...(ctx.backend.profile ? { profile: ctx.backend.profile } : {}),
    ...(await ctx.backend.account().then((account) => (account ? { account } : {}))),
    // Names as well as ids where this process knows them (no call), so list_changes finds a change by name.
    target: { ...ctx.resolver.known(resolved.restApiId, resolved.resourceId), ...fullTarget },
    ops: ops as AuditRecord['ops'],
    beforeHash: hashOf(before),
    before,
    risk,
    confirmation,
    ...(opts.expect ? { undoes: opts.expect.changeId } : {}),
  };
  ctx.audit.append({ ...record, phase: 'intent' });
  let returned: Doc;
  let verified = false;
  try {
    returned = current ? await subject.send(gateway, resolved, ops, after) : await subject.create!(gateway, resolved, after);
  } catch (err) {
    // The request may have landed although its answer was lost (a dropped connection, a timeout, or a retry of
    // a change that had already applied): read back and tell the truth instead of guessing.
    const notApplied = () => {
      ctx.audit.append({ ...record, phase: 'failed' });
      return err;
    };
    if (!outcomeUnknown(err)) throw notApplied();
    const now = subject.current(await gateway.getMethod(resolved));
    if (now && hashOf(now) === hashOf(after)) {
      returned = now;
      verified = true;
    } else if (current && now && hashOf(now) === hashOf(before)) throw notApplied();
    else
      // The intent record stays: list_changes shows this change as of unknown outcome.
      return {
        status: 'unknown_outcome',
        ...base,
        after: now ?? {},
        diff: diffDocs(before, now),
        changeId,
        message: `The update's answer was lost (${(err as Error).message}) and the ${subject.what} now matches neither the preview nor the state before: someone else may have changed it. Review it with get_integration before retrying.`,
      };
  }
  const undo = opsBetween(subject.resource, returned, before);
  ctx.audit.append({
    ...record,
    ...(current && undo.blockers.length === 0 ? { inverseOps: undo.ops as AuditRecord['ops'] } : { undoBlocker: current ? undo.blockers.join('; ') : 'it was created; delete it to undo' }),
    afterHash: hashOf(returned),
    after: returned,
  });
  log(`${changeId}: ${current ? 'updated' : 'created'} ${subject.what} of ${where(fullTarget)} on ${ctx.backend.label}: ${JSON.stringify(ops)}`);
  const deploy = await deployNote(ctx, gateway, resolved.restApiId);
  const drift = diffDocs(after, returned);
  if (drift.length)
    return {
      status: 'conflict',
      ...base,
      after: returned,
      diff: diffDocs(before, returned),
      changeId,
      message: `Applied (${changeId}), but API Gateway's result differs from the preview at ${drift.map((d) => d.path).join(', ')}: someone else changed this ${subject.what} meanwhile. Review it with get_integration. ${deploy}`,
    };
  const how = verified ? "applied; its answer was lost, so it was verified by reading it back" : `applied with one ${current ? 'update' : 'PutIntegrationResponse'} call`;
  return { status: 'applied', ...base, after: returned, changeId, message: `${how[0].toUpperCase()}${how.slice(1)}, as ${changeId}. ${deploy}` };
}

/** Every applied write says that callers see it only after a deployment, and which stages serve the API. */
async function deployNote(ctx: WriteContext, gateway: Gateway, restApiId: string): Promise<string> {
  const stages = await ctx.stages.names(gateway, restApiId).catch(() => undefined);
  const which = stages === undefined ? '' : stages.length ? ` Stages serving this API: ${stages.join(', ')}.` : ' The API has no stage yet.';
  return `Callers see it only after deploy_api to a stage.${which}`;
}

/** The integration of a method, changed with UpdateIntegration. */
export const INTEGRATION: Subject = {
  resource: 'integration',
  what: 'integration',
  current: (m) => m.methodIntegration,
  env: ({ methodIntegration: _, ...method }) => ({ method }),
  missing: (_m, t) => `${t.httpMethod} on resource ${t.resourcePath ?? t.resourceId} has no integration to change (create one with PutIntegration first).`,
  send: (g, a, ops) => g.updateIntegration(a, ops),
};

/** One integration response (by status code), changed with UpdateIntegrationResponse or created with Put. */
export function integrationResponse(statusCode: string, create: boolean): Subject {
  return {
    resource: 'integrationResponse',
    what: `integration response ${statusCode}`,
    extraTarget: { statusCode },
    current: (m) => m.methodIntegration?.integrationResponses?.[statusCode],
    env: ({ methodIntegration, methodResponses, ...method }) => ({ integration: methodIntegration, method, methodResponse: methodResponses?.[statusCode] }),
    missing: (m, t) =>
      m.methodIntegration
        ? `${t.httpMethod} ${t.resourcePath ?? t.resourceId} has no integration response ${statusCode}; it has: ${Object.keys(m.methodIntegration.integrationResponses ?? {}).join(', ') || 'none'}. Pass create: true to create it.`
        : INTEGRATION.missing(m, t),
    send: (g, a, ops) => g.updateIntegrationResponse({ ...a, statusCode }, ops),
    ...(create ? { create: (g: Gateway, a: MethodAddress, doc: Doc) => g.putIntegrationResponse({ ...a, statusCode }, doc), blank: { statusCode } } : {}),
    cannotCreate: (m, t) => (m.methodResponses?.[statusCode] ? undefined : noMethodResponse(m, t, statusCode)),
    clashes: (m, before, after) => {
      const pattern = selectionPatternOf(after);
      if (before && selectionPatternOf(before) === pattern) return undefined;
      const other = selectionPatternHolder(m.methodIntegration?.integrationResponses, statusCode, pattern);
      if (!other) return undefined;
      const shown = pattern ? `selection pattern ${JSON.stringify(pattern)}` : 'no selection pattern (it is the default response)';
      return `Integration response ${other} already has ${shown}; two integration responses of a method cannot share one (API Gateway answers 409). Give ${statusCode} another selectionPattern, or change ${other}'s first. Nothing was sent.`;
    },
  };
}

/**
 * An integration response maps a backend answer to a method response of the same status code. AWS accepts one
 * without it (apigw-spec.md §3.8), but then every call it selects fails with a 500 ("Output mapping refers to an
 * invalid method response"), so it is refused here with the codes that do exist.
 */
function noMethodResponse(m: Doc, t: ResolvedTarget, statusCode: string): string {
  const codes = Object.keys(m.methodResponses ?? {}).sort();
  return (
    `${t.httpMethod} ${t.resourcePath ?? `resource ${t.resourceId}`} has no method response ${statusCode}, so integration response ${statusCode} ` +
    `would map to nothing (callers would get a 500). Method responses: ${codes.length ? codes.join(', ') : 'none'}. ` +
    `Use one of those as statusCode, or declare method response ${statusCode} on the method first (PutMethodResponse; this server does not change methods). Nothing was sent.`
  );
}
