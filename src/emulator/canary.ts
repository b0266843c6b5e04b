// CreateDeployment's canary rules: a canary release goes to a stage that already exists (recorded AWS texts).
import { badRequest } from './errors.js';
import { has, type Doc } from './state.js';
import { obj, str } from './wire.js';

const INVALID = 'Invalid deployment content specified.';

/** Throws AWS's answer when a body with `canarySettings` names no stage, or one that is not created yet. */
export function checkCanaryDeployment(body: Doc, stages: Record<string, Doc>): void {
  if (!obj(body, 'canarySettings')) return;
  const stageName = str(body, 'stageName');
  if (!stageName) throw badRequest(`${INVALID}Non null and non empty stageName must be provided for canary deployment. Provided value is ${stageName ?? 'null'}`);
  if (!has(stages, stageName)) throw badRequest(`${INVALID}Stage ${stageName} must already be created before making a canary release deployment`);
}
