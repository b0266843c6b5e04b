// deploy_api: CreateDeployment to a stage. The preview is the net difference between what the stage serves and the
// working definition, read from AWS (so outside changes show, and a change and its undo cancel out); a human's OK is
// bound to the hash of the working definition previewed, which is read again before CreateDeployment: if it moved,
// the answer is `conflict` with the new difference and nothing is sent. A stage is created only when asked to.
import { z } from 'zod';
import { outcomeUnknown } from '../aws/errors.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
import { newChangeId } from '../safety/audit.js';
import { writeAhead } from '../safety/writeAhead.js';
import type { CallInfo, Verdict } from '../safety/confirm.js';
import { hashOf } from '../safety/hash.js';
import { needsHuman } from '../safety/policy.js';
import { settle } from '../safety/verdict.js';
import { DifferenceSchema, type Difference } from '../stage/diff.js';
import { readStageDiff, readWorking } from '../stage/read.js';
import { deployView } from '../stage/view.js';
import type { WriteContext } from '../plan/context.js';

export const DeployResultSchema = z.object({
  status: z.enum(['applied', 'dry_run', 'no_change', 'declined', 'conflict', 'approval_required', 'approval_pending', 'confirmation_required']),
  message: z.string(),
  restApiId: z.string(),
  stageName: z.string(),
  /** false: the stage does not exist yet and this deploy creates it (createStage). */
  stageExists: z.boolean(),
  currentDeploymentId: z.string().optional(),
  deploymentId: z.string().optional(),
  /** Hash of the working definition this result was computed from (what a confirmation is bound to). */
  workingHash: z.string(),
  differences: z.array(DifferenceSchema).describe('live -> working, per method'),
  changeId: z.string().optional(),
  approvalId: z.string().optional(),
  approvalUrl: z.string().optional(),
  confirmToken: z.string().optional(),
});
export type DeployResult = z.infer<typeof DeployResultSchema>;

export interface DeployInput {
  restApiId?: string;
  apiName?: string;
  stageName: string;
  description?: string;
  createStage?: boolean;
  dryRun?: boolean;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function tally(differences: readonly Difference[]): string {
  const elsewhere = differences.filter((d) => d.madeBy === 'elsewhere').length;
  return `${count(differences.length, 'difference')} (${differences.length - elsewhere} made by this server, ${elsewhere} elsewhere)`;
}

/** A page approval or token given for this deploy as previewed against another working definition. */
const isStale = (v: Verdict) => v.kind === 'stale' || (v.kind === 'refused' && /as previewed earlier, but what it previewed has changed/.test(v.message));

export async function deploy(ctx: WriteContext, input: DeployInput, call: CallInfo) {
  const gateway = await ctx.backend.gateway();
  const api = await ctx.resolver.resolveApi(gateway, input);
  await ctx.scope.checkWrite(gateway, { restApiId: api.id, apiName: api.name });
  const apiLabel = api.name ? `${api.name} (${api.id})` : api.id;
  const stages = await gateway.getStages(api.id);
  const stage = stages.find((s) => s.stageName === input.stageName);
  const names = stages.map((s) => s.stageName as string).sort();
  if (!stage && !input.createStage)
    throw new ToolError(
      `API ${apiLabel} has no stage ${input.stageName}; its stages: ${names.join(', ') || 'none'}. Deploy to one of those, or pass createStage: true to create ${input.stageName} (it then serves the whole working definition). Nothing was sent.`,
      'not_found',
    );
  const history = () => ({ records: ctx.audit.read(), backend: ctx.backend.label });
  const preview = await readStageDiff(gateway, api.id, stage ? input.stageName : undefined, history());
  const base = {
    restApiId: api.id,
    stageName: input.stageName,
    stageExists: !!stage,
    ...(stage?.deploymentId ? { currentDeploymentId: stage.deploymentId as string } : {}),
    workingHash: preview.workingHash,
    differences: preview.differences,
  };
  const where = `stage ${input.stageName} of API ${apiLabel}`;
  if (stage && preview.differences.length === 0)
    return { status: 'no_change' as const, ...base, message: `${where[0].toUpperCase()}${where.slice(1)} already serves the working definition (integrations, integration responses, method request parameters and method responses compared; authorizers and models are not): nothing to deploy. Nothing was sent.` };
  const what = `${stage ? `Deploying to ${where}` : `Creating ${where}`} makes ${tally(preview.differences)} live for its callers at once.`;
  if (input.dryRun) return { status: 'dry_run' as const, ...base, message: `Preview only, nothing was sent. ${what}` };

  let confirmation: { via: string; id?: string } = { via: 'not_needed' };
  if (needsHuman('confirm', ctx.policy)) {
    const refusal = ctx.confirmer.refusesOutright(call);
    if (refusal) throw new ToolError(refusal, 'needs_human');
    const account = await ctx.backend.account();
    const view = deployView({
      api: { id: api.id, ...(api.name ? { name: api.name } : {}) },
      stageName: input.stageName,
      createStage: !stage,
      stages: names,
      differences: preview.differences,
      backend: ctx.backend.label,
      ...(account ? { account } : {}),
      ...(ctx.backend.region ? { region: ctx.backend.region } : {}),
      ...(ctx.backend.profile ? { profile: ctx.backend.profile } : {}),
    });
    const deployOf = { deploy: api.id, stage: input.stageName, description: input.description ?? '', createStage: !stage };
    // `change` names the deploy whatever it was previewed against; `binding` adds what it was previewed against.
    const proposal = {
      binding: hashOf({ ...deployOf, current: stage?.deploymentId ?? null, working: preview.workingHash }),
      change: hashOf(deployOf),
      view: { ...view, ...(call.client?.name !== undefined ? { client: call.client.name } : {}) },
    };
    const verdict = await ctx.confirmer.decide(proposal, call);
    if (isStale(verdict))
      return {
        status: 'conflict' as const,
        ...base,
        message: `The approval was given for this deploy as previewed against another working definition: it changed since (differences: what would go live now). Nothing was sent; review the differences, then call again without the confirmation field to preview and approve anew.`,
      };
    const settled = settle(verdict);
    if (settled.kind === 'ask') return settled.result;
    if (settled.kind === 'stop') return { ...base, ...settled.fields };
    confirmation = settled.confirmation;
  }

  // Read again: what the human approved must be what ships. A change made meanwhile (by anyone) stops the deploy.
  const [now, stagesNow] = await Promise.all([readWorking(gateway, api.id), gateway.getStages(api.id)]);
  const stageNow = stagesNow.find((s) => s.stageName === input.stageName);
  if (now.workingHash !== preview.workingHash || (stageNow?.deploymentId ?? null) !== (stage?.deploymentId ?? null)) {
    const fresh = await readStageDiff(gateway, api.id, stageNow ? input.stageName : undefined, history());
    return {
      status: 'conflict' as const,
      ...base,
      stageExists: !!stageNow,
      ...(stageNow?.deploymentId ? { currentDeploymentId: stageNow.deploymentId as string } : {}),
      workingHash: fresh.workingHash,
      differences: fresh.differences,
      message: `The working definition (or the stage) changed after it was previewed and approved, so nothing was sent: deploying now would ship what the human did not see. differences: what would go live now, ${tally(fresh.differences)}. Review them, then call again without the confirmation field.`,
    };
  }

  // Written ahead, like every change: a crash between the call and its record still leaves a trace.
  const changeId = newChangeId();
  const record = {
    changeId,
    time: new Date().toISOString(),
    kind: 'deployment' as const,
    backend: ctx.backend.label,
    ...(ctx.backend.region ? { region: ctx.backend.region } : {}),
    ...(ctx.backend.profile ? { profile: ctx.backend.profile } : {}),
    ...(await ctx.backend.account().then((account) => (account ? { account } : {}))),
    target: { restApiId: api.id, stageName: input.stageName, ...(api.name ? { apiName: api.name } : {}) },
    ops: [{ op: 'CreateDeployment', path: `/stages/${input.stageName}` }],
    undoBlocker: 'a deployment is not undone; deploy again after undoing the changes',
    afterHash: preview.workingHash,
    risk: 'confirm',
    confirmation,
  };
  const ahead = writeAhead(ctx.audit, record);
  const deployment = await gateway.createDeployment(api.id, input.stageName, input.description).catch((err) => {
    // Refused by AWS: nothing was deployed. A lost answer stays an intent (outcome unknown).
    if (!outcomeUnknown(err)) ahead.failed();
    throw err;
  });
  ctx.stages.forget(api.id);
  ahead.applied({ deploymentId: deployment.id as string });
  log(`${changeId}: deployed ${api.id} to stage ${input.stageName} as ${deployment.id} on ${ctx.backend.label}`);
  return {
    status: 'applied' as const,
    ...base,
    stageExists: true,
    currentDeploymentId: deployment.id as string,
    deploymentId: deployment.id as string,
    changeId,
    message: `Deployed as ${deployment.id} to ${where}${stage?.deploymentId ? ` (it served ${stage.deploymentId})` : ' (created)'}: ${tally(preview.differences)} went live, listed in differences.`,
  };
}
