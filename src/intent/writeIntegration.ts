// The write pipeline every integration write goes through (DESIGN.md): check the ops locally, refuse what needs a
// human, resolve the target, read the Method once, check against the current state, diff, and send ONE
// UpdateIntegration. Nothing is sent for bad input, for a change that is already so, or for a dry run.
import { z } from 'zod';
import type { Backend } from '../aws/backend.js';
import type { Gateway } from '../aws/gateway.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
import { diffDocs } from '../patch/diff.js';
import { maxRisk, PatchOperationSchema, riskOf, RiskLevel, type PatchOperation } from '../patch/rules.js';
import { checkPatch, describeProblems, type MatchedOp } from '../patch/validate.js';
import type { Doc, RuleEnv } from '../patch/values.js';
import { checkTargetInput, ResolvedTargetSchema, type TargetInput, type TargetResolver } from './target.js';

export const DocSchema = z.record(z.string(), z.unknown());

export const ChangeSchema = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const WriteResultSchema = z.object({
  status: z.enum(['applied', 'no_change', 'dry_run', 'conflict']).describe('conflict: applied, but the result differs from the preview (someone else changed it)'),
  backend: z.string(),
  target: ResolvedTargetSchema,
  risk: RiskLevel,
  riskReasons: z.array(z.string()),
  patchOperations: z.array(PatchOperationSchema).describe('Sent, or that would be sent'),
  diff: z.array(ChangeSchema),
  before: DocSchema,
  after: DocSchema,
  message: z.string(),
});
export type WriteResult = z.infer<typeof WriteResultSchema>;

export interface WriteContext {
  backend: Backend;
  resolver: TargetResolver;
  env: Pick<RuleEnv, 'maxTimeoutMs'>;
}

/** A level that needs a human's answer. Until the server can ask (MCP elicitation / approval page), it refuses. */
const needsHuman = (level: RiskLevel) => level === 'confirm';

function risksOf(matched: MatchedOp[]) {
  const levels = matched.map((m) => ({ m, level: riskOf(m.rule, m.op) }));
  const risk = maxRisk(levels.map((l) => l.level));
  const reasons = levels.filter((l) => l.level !== 'safe').map((l) => `${l.m.op.op} ${l.m.op.path}: ${l.m.rule.reason}`);
  return { risk, reasons, human: levels.filter((l) => needsHuman(l.level)) };
}

const DEPLOY_NOTE = 'Callers see the change only after the API is deployed to a stage (CreateDeployment).';

export async function writeIntegration(ctx: WriteContext, target: TargetInput, ops: PatchOperation[], opts: { dryRun?: boolean } = {}): Promise<WriteResult> {
  // 1. Everything that can be checked without AWS, before any call.
  checkTargetInput(target);
  if (ops.length === 0) throw new ToolError('Nothing to change: give at least one change.');
  const local = checkPatch('integration', ops, { maxTimeoutMs: ctx.env.maxTimeoutMs });
  if (local.problems.length) throw new ToolError(`Nothing was sent. ${describeProblems(local.problems, ops)}`);
  const { risk, reasons, human } = risksOf(local.matched);
  if (human.length && !opts.dryRun)
    throw new ToolError(
      `Refused, nothing was sent: ${human.map((h) => `${h.m.op.op} ${h.m.op.path}${h.m.op.value !== undefined ? ` = ${JSON.stringify(h.m.op.value)}` : ''} needs a human's confirmation (${h.m.rule.reason})`).join('; ')}. ` +
        'This server cannot ask for confirmation yet; a person must make this change (AWS console or CLI). Use dryRun: true to preview it.',
    );

  // 2. Resolve and read the current state once (GetMethod carries the integration and the declared parameters).
  const gateway: Gateway = await ctx.backend.gateway();
  const resolved = await ctx.resolver.resolve(gateway, target);
  const method = await gateway.getMethod(resolved);
  const before = method.methodIntegration as Doc | undefined;
  if (!before)
    throw new ToolError(`${resolved.httpMethod} on resource ${resolved.resourcePath ?? resolved.resourceId} has no integration to change (create one with PutIntegration first).`);
  const { methodIntegration: _, ...methodOnly } = method;

  // 3. Check against the current state and compute the preview.
  const planned = checkPatch('integration', ops, { maxTimeoutMs: ctx.env.maxTimeoutMs, method: methodOnly }, before);
  if (planned.problems.length || !planned.after) throw new ToolError(`Nothing was sent. ${describeProblems(planned.problems, ops)}`);
  const after = planned.after;
  const diff = diffDocs(before, after);
  const base = { backend: ctx.backend.label, target: resolved, risk, riskReasons: reasons, patchOperations: ops, before, after };
  if (diff.length === 0) return { status: 'no_change', ...base, diff, message: 'The integration already has these values; nothing was sent.' };
  if (opts.dryRun)
    return {
      status: 'dry_run',
      ...base,
      diff,
      message: `Preview only, nothing was sent.${human.length ? " Applying this needs a human's confirmation, which this server cannot ask for yet." : ''}`,
    };

  // 4. One UpdateIntegration with all ops; the answer must equal the preview, or someone changed it meanwhile.
  const returned = await gateway.updateIntegration(resolved, ops);
  const drift = diffDocs(after, returned);
  log(`applied to ${resolved.restApiId}/${resolved.resourceId}/${resolved.httpMethod} on ${ctx.backend.label}: ${JSON.stringify(ops)}`);
  if (drift.length)
    return {
      status: 'conflict',
      ...base,
      after: returned,
      diff: diffDocs(before, returned),
      message: `Applied, but API Gateway's result differs from the preview at ${drift.map((d) => d.path).join(', ')}: someone else changed this integration meanwhile. Review it with get_integration.`,
    };
  return { status: 'applied', ...base, after: returned, diff, message: `Applied with one UpdateIntegration. ${DEPLOY_NOTE}` };
}
