// The write pipeline every write tool goes through (DESIGN.md): check the ops locally, refuse what needs a
// human, resolve the target, read the Method once (it carries the integration, its responses and the declared
// parameters), check against the current state, diff, and send ONE update. Nothing is sent for bad input, for a
// change that is already so, or for a dry run.
import { z } from 'zod';
import type { Backend } from '../aws/backend.js';
import type { Gateway, MethodAddress } from '../aws/gateway.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
import { diffDocs } from '../patch/diff.js';
import { maxRisk, riskOf, RiskLevel, type PatchOperation, type Resource } from '../patch/rules.js';
import { checkPatch, describeProblems, type MatchedOp } from '../patch/validate.js';
import type { Doc, RuleEnv } from '../patch/values.js';
import { checkTargetInput, type ResolvedTarget, type TargetInput, type TargetResolver } from './target.js';

export const DocSchema = z.record(z.string(), z.unknown());

// Kept compact: every write tool lists this schema in the catalog a model reads on every conversation.
const Loose = z.record(z.string(), z.unknown());
export const WriteResultSchema = z.object({
  status: z.enum(['applied', 'no_change', 'dry_run', 'conflict']),
  backend: z.string(),
  target: z.record(z.string(), z.string()),
  risk: RiskLevel,
  riskReasons: z.array(z.string()),
  patchOperations: z.array(z.unknown()),
  diff: z.array(z.unknown()),
  before: Loose,
  after: Loose,
  message: z.string(),
});
export type WriteResult = z.infer<typeof WriteResultSchema>;

export interface WriteContext {
  backend: Backend;
  resolver: TargetResolver;
  env: Pick<RuleEnv, 'maxTimeoutMs'>;
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
  blank?: Doc;
  extraTarget?: Record<string, string>;
}

/** A level that needs a human's answer. Until the server can ask (MCP elicitation / approval page), it refuses. */
const needsHuman = (level: RiskLevel) => level === 'confirm';

function risksOf(matched: MatchedOp[]) {
  const levels = matched.map((m) => ({ m, level: riskOf(m.rule, m.op) }));
  return {
    risk: maxRisk(levels.map((l) => l.level)),
    reasons: levels.filter((l) => l.level !== 'safe').map((l) => `${l.level}: ${l.m.op.op} ${l.m.op.path}: ${l.m.rule.reason}`),
    human: levels.filter((l) => needsHuman(l.level)),
  };
}

const DEPLOY_NOTE = 'Callers see the change only after the API is deployed to a stage (CreateDeployment).';
const showOp = (op: PatchOperation) => `${op.op} ${op.path}${op.value !== undefined ? ` = ${JSON.stringify(op.value)}` : ''}`;

export async function write(ctx: WriteContext, subject: Subject, target: TargetInput, plan: Planner, opts: { dryRun?: boolean } = {}): Promise<WriteResult> {
  // 1. Everything that can be checked without AWS, before any call.
  checkTargetInput(target);
  const draft = plan();
  if (draft.length === 0 && !subject.create) throw new ToolError('Nothing to change: give at least one field to set.');
  const env = { maxTimeoutMs: ctx.env.maxTimeoutMs };
  const local = checkPatch(subject.resource, draft, env);
  if (local.problems.length) throw new ToolError(`Nothing was sent. ${describeProblems(local.problems, draft)}`);
  const draftRisk = risksOf(local.matched);
  if (draftRisk.human.length && !opts.dryRun)
    throw new ToolError(
      `Refused, nothing was sent: ${draftRisk.human.map((h) => `${showOp(h.m.op)} needs a human's confirmation (${h.m.rule.reason})`).join('; ')}. ` +
        'This server cannot ask for confirmation yet, so a person must make this change (AWS console or CLI). Use dryRun: true to preview it.',
    );

  // 2. Resolve, and read the current state once.
  const gateway = await ctx.backend.gateway();
  const resolved = await ctx.resolver.resolve(gateway, target);
  const method = await gateway.getMethod(resolved);
  const current = subject.current(method);
  if (!current && !subject.create) throw new ToolError(subject.missing(method, resolved));
  if (!current && !method.methodIntegration) throw new ToolError(INTEGRATION.missing(method, resolved));
  const before = current ?? { ...subject.blank };

  // 3. The minimal ops against the current state, checked as API Gateway would, and the preview.
  const ops = plan(before);
  const fullEnv = { ...env, ...subject.env(method) };
  const planned = checkPatch(subject.resource, ops, fullEnv, before);
  if (planned.problems.length || !planned.after) throw new ToolError(`Nothing was sent. ${describeProblems(planned.problems, ops)}`);
  const { risk, reasons, human } = risksOf(planned.matched);
  const after = planned.after;
  const diff = diffDocs(before, after);
  const base = { backend: ctx.backend.label, target: { ...resolved, ...subject.extraTarget }, risk, riskReasons: reasons, patchOperations: ops, before, after };
  if (current && diff.length === 0) return { status: 'no_change', ...base, patchOperations: [], diff, message: `The ${subject.what} already has these values; nothing was sent.` };
  if (opts.dryRun)
    return { status: 'dry_run', ...base, diff, message: `Preview only, nothing was sent.${human.length ? " Applying it needs a human's confirmation, which this server cannot ask for yet." : ''}` };

  // 4. One call with all ops; the answer must equal the preview, or someone changed it meanwhile.
  const returned = current ? await subject.send(gateway, resolved, ops, after) : await subject.create!(gateway, resolved, after);
  log(`${current ? 'updated' : 'created'} ${subject.what} of ${resolved.restApiId}/${resolved.resourceId}/${resolved.httpMethod} on ${ctx.backend.label}: ${JSON.stringify(ops)}`);
  const drift = diffDocs(after, returned);
  if (drift.length)
    return {
      status: 'conflict',
      ...base,
      after: returned,
      diff: diffDocs(before, returned),
      message: `Applied, but API Gateway's result differs from the preview at ${drift.map((d) => d.path).join(', ')}: someone else changed this ${subject.what} meanwhile. Review it with get_integration.`,
    };
  const how = current ? 'one update call' : 'one PutIntegrationResponse';
  return { status: 'applied', ...base, after: returned, diff, message: `Applied with ${how}. ${DEPLOY_NOTE}` };
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
  };
}
