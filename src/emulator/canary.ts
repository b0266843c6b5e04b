// CreateDeployment's canary rules: a canary release goes to a stage that already exists (recorded AWS texts).
import { badRequest } from './errors.js';
import { has, type Doc } from './state.js';
import { bool, double, mapOf, obj, str } from './wire.js';

const INVALID = 'Invalid deployment content specified.';

/** Throws AWS's answer when a body with `canarySettings` names no stage, or one that is not created yet. */
export function checkCanaryDeployment(body: Doc, stages: Record<string, Doc>): void {
  if (!obj(body, 'canarySettings')) return;
  const stageName = str(body, 'stageName');
  if (!stageName) throw badRequest(`${INVALID}Non null and non empty stageName must be provided for canary deployment. Provided value is ${stageName ?? 'null'}`);
  if (!has(stages, stageName)) throw badRequest(`${INVALID}Stage ${stageName} must already be created before making a canary release deployment`);
}

/**
 * A canary release leaves the stage on its deployment and points the canary at the new one, with the body's
 * traffic share and overrides (recorded: GetStage after CreateDeployment with canarySettings).
 */
export function canaryOf(body: Doc, deploymentId: string): Doc | undefined {
  const canary = obj(body, 'canarySettings');
  if (!canary) return undefined;
  const overrides = mapOf(canary, 'stageVariableOverrides', 'String');
  return { deploymentId, percentTraffic: double(canary, 'percentTraffic') ?? 0, ...(overrides && { stageVariableOverrides: overrides }), useStageCache: bool(canary, 'useStageCache') ?? false };
}
