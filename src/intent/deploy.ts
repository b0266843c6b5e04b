// deploy_api: CreateDeployment to a stage, always previewed (the stage, its current deployment, the changes this
// server recorded since) and always confirmed by a human: a deployment puts every pending change live at once.
import { z } from 'zod';
import { outcomeUnknown } from '../aws/errors.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
import { newChangeId } from '../safety/audit.js';
import type { CallInfo } from '../safety/confirm.js';
import { hashOf } from '../safety/hash.js';
import { needsHuman } from '../safety/policy.js';
import { settle } from '../safety/verdict.js';
import type { WriteContext } from './write.js';

export const DeployResultSchema = z.object({
  status: z.enum(['applied', 'dry_run', 'declined', 'conflict', 'approval_required', 'approval_pending', 'confirmation_required']),
  message: z.string(),
  restApiId: z.string(),
  stageName: z.string(),
  currentDeploymentId: z.string().optional(),
  deploymentId: z.string().optional(),
  undeployedChanges: z.array(z.unknown()).describe('Changes this server recorded since the stage was last deployed'),
  approvalId: z.string().optional(),
  approvalUrl: z.string().optional(),
  confirmToken: z.string().optional(),
});
export type DeployResult = z.infer<typeof DeployResultSchema>;

const seconds = (d: unknown) => (d instanceof Date ? d.getTime() : typeof d === 'number' ? d * 1000 : 0);

export async function deploy(
  ctx: WriteContext,
  input: { restApiId?: string; apiName?: string; stageName: string; description?: string; dryRun?: boolean },
  call: CallInfo,
) {
  const gateway = await ctx.backend.gateway();
  const api = await ctx.resolver.resolveApi(gateway, input);
  await ctx.scope.checkWrite(gateway, { restApiId: api.id, apiName: api.name });
  const stage = (await gateway.getStages(api.id)).find((s) => s.stageName === input.stageName);
  const since = seconds(stage?.lastUpdatedDate ?? stage?.createdDate);
  const undeployed = ctx.audit
    .read()
    .filter((r) => r.kind !== 'deployment' && r.target.restApiId === api.id && Date.parse(r.time) >= since)
    .map((r) => ({ changeId: r.changeId, time: r.time, target: r.target, ops: r.ops }));
  const base = {
    restApiId: api.id,
    stageName: input.stageName,
    ...(stage?.deploymentId ? { currentDeploymentId: stage.deploymentId as string } : {}),
    undeployedChanges: undeployed,
  };
  const what = `${stage ? 'Redeploy' : 'Create stage'} ${input.stageName} of API ${api.name ? `${api.name} (${api.id})` : api.id}: every change to the API's working definition goes live for callers of that stage (${undeployed.length} recorded by this server since the last deployment).`;
  if (input.dryRun) return { status: 'dry_run' as const, ...base, message: `Preview only, nothing was sent. ${what}` };

  let confirmation: { via: string; id?: string } = { via: 'not_needed' };
  if (needsHuman('confirm', ctx.policy)) {
    const refusal = ctx.confirmer.refusesOutright(call);
    if (refusal) throw new ToolError(refusal, 'needs_human');
    const binding = hashOf({ deploy: api.id, stage: input.stageName, description: input.description ?? '', current: stage?.deploymentId ?? null });
    const view = {
      title: `Deploy API to stage ${input.stageName}`,
      where: what,
      backend: ctx.backend.label,
      risk: 'confirm',
      reasons: ['a deployment makes every pending change live for callers at once'],
      diff: undeployed.map((u) => ({ path: `${u.changeId} ${u.target.httpMethod ?? ''} ${u.target.resourcePath ?? u.target.resourceId ?? ''}`, after: u.ops })),
      ops: [{ op: 'CreateDeployment', path: `/stages/${input.stageName}` }],
    };
    const settled = settle(await ctx.confirmer.decide({ binding, view }, call));
    if (settled.kind === 'ask') return settled.result;
    if (settled.kind === 'stop') return { ...base, ...settled.fields };
    confirmation = settled.confirmation;
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
    risk: 'confirm',
    confirmation,
  };
  ctx.audit.append({ ...record, phase: 'intent' });
  const deployment = await gateway.createDeployment(api.id, input.stageName, input.description).catch((err) => {
    // Refused by AWS: nothing was deployed. A lost answer stays an intent (outcome unknown).
    if (!outcomeUnknown(err)) ctx.audit.append({ ...record, phase: 'failed' });
    throw err;
  });
  ctx.stages.forget(api.id);
  ctx.audit.append({ ...record, deploymentId: deployment.id as string });
  log(`${changeId}: deployed ${api.id} to stage ${input.stageName} as ${deployment.id} on ${ctx.backend.label}`);
  // The stage now serves the new deployment, and the changes listed before are live: none is undeployed any more.
  return {
    status: 'applied' as const,
    ...base,
    currentDeploymentId: deployment.id as string,
    deploymentId: deployment.id as string,
    undeployedChanges: [],
    message: `Deployed as ${deployment.id} to stage ${input.stageName}${stage?.deploymentId ? ` (it served ${stage.deploymentId})` : ''}; callers of that stage now see the API as it is, with the ${undeployed.length} change(s) this server had recorded since the last deployment.`,
  };
}
