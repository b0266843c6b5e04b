import { TargetSchema } from '../src/intent/target.js';
import { StageCacheSchema, stageCachePlanner } from '../src/plan/planners/stageCache.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_stage_cache',
  description: "A stage's cache: the cluster and a method's caching and TTL, so cache keys take effect.",
  input: TargetSchema.pick({ restApiId: true, apiName: true }).extend(StageCacheSchema.shape).extend(writeFields),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, dryRun, confirmation, ...change } = args;
    return runPlan(ctx, stageCachePlanner({ restApiId, apiName }, change), { dryRun, call: { ...call, confirmation } });
  },
});
