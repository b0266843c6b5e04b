// GetStages, GetStage, UpdateStage. UpdateStage is validated with the stage rows of the rules table
// (src/patch/stageRules.ts), so the emulator refuses exactly what the server's own checks refuse.
// A cache cluster takes minutes to create on AWS; here it is CREATE_IN_PROGRESS in UpdateStage's answer and
// AVAILABLE from the next read on (DELETE_IN_PROGRESS -> NOT_AVAILABLE likewise), so tests stay deterministic.
import { applyStageOp, checkStagePatch } from '../patch/stageRules.js';
import { badRequest, notFound } from './errors.js';
import { apiOr404, has, nowSeconds, type ApiRecord, type Context, type Doc, type State } from './state.js';
import { readPatchOperations } from './wire.js';

/** Where a cache cluster's status goes once the work AWS does in the background is done. */
const SETTLED: Record<string, string> = { CREATE_IN_PROGRESS: 'AVAILABLE', DELETE_IN_PROGRESS: 'NOT_AVAILABLE', FLUSH_IN_PROGRESS: 'AVAILABLE' };

/** The stage as a read sees it: a status in progress has finished by then. */
export function settled(stage: Doc): Doc {
  const next = SETTLED[stage.cacheClusterStatus];
  return next ? { ...stage, cacheClusterStatus: next } : stage;
}

export function stageOr404(api: ApiRecord, stageName: string): Doc {
  // AWS's text for an unknown stage (recorded in LocalStack's AWS-validated snapshots).
  if (!has(api.stages, stageName)) throw notFound('Invalid stage identifier specified');
  return api.stages[stageName];
}

/** Not paged: AWS answers with every stage under `item`. */
export function getStages(state: State, ctx: Context, restApiId: string, query: URLSearchParams): Doc {
  const api = apiOr404(state, ctx, restApiId);
  const deploymentId = query.get('deploymentId');
  return { item: Object.values(api.stages).filter((s) => !deploymentId || s.deploymentId === deploymentId).map(settled) };
}

export function getStage(state: State, ctx: Context, restApiId: string, stageName: string): Doc {
  return settled(stageOr404(apiOr404(state, ctx, restApiId), stageName));
}

export function updateStage(state: State, ctx: Context, restApiId: string, stageName: string, body: Doc): Doc {
  const ops = readPatchOperations(body, 'updateStageInput');
  const api = apiOr404(state, ctx, restApiId);
  const { problems, matched } = checkStagePatch(ops);
  if (problems.length) throw badRequest(problems[0].aws);
  const stage = structuredClone(settled(stageOr404(api, stageName)));
  const wasEnabled = stage.cacheClusterEnabled === true;
  const oldSize = stage.cacheClusterSize;
  for (const m of matched) applyStageOp(stage, m, m.op);
  if (stage.cacheClusterEnabled) {
    // A new cluster is 0.5 GB unless a size is given; a resize rebuilds it.
    stage.cacheClusterSize ??= '0.5';
    if (!wasEnabled || stage.cacheClusterSize !== oldSize) stage.cacheClusterStatus = 'CREATE_IN_PROGRESS';
  } else if (wasEnabled) {
    stage.cacheClusterStatus = 'DELETE_IN_PROGRESS';
    delete stage.cacheClusterSize;
  } else if (stage.cacheClusterSize !== oldSize) {
    // [I] AWS's text for sizing a stage without a cache cluster is unknown; refused rather than stored unused.
    throw badRequest('Cache cluster size can be set only when the cache cluster is enabled (replace /cacheClusterEnabled "true" in the same call)');
  }
  stage.lastUpdatedDate = nowSeconds();
  api.stages[stageName] = stage;
  return stage;
}
