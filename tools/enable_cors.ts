import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { CorsSchema, corsPlanner, type CorsOutcome } from '../src/plan/planners/cors.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'enable_cors',
  description:
    "CORS as the console sets it: an OPTIONS preflight (MOCK), Allow-Origin on the other non-proxy 2xx responses; disable removes it.",
  input: TargetSchema.pick({ restApiId: true, apiName: true, resourceId: true, resourcePath: true })
    .extend({ match: z.object({ paths: z.array(z.string().min(1).max(2048)).min(1).max(100).describe('Exact or globs (* one segment, ** any)') }).optional().describe('Several resources') })
    .extend(CorsSchema.shape)
    .extend(writeFields),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  brief: { match: '{paths}: several resources, exact or globs (* one segment, ** any)' },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, match, dryRun, confirmation, ...cors } = args;
    const out: CorsOutcome = { resources: [], notes: [] };
    return runPlan(ctx, corsPlanner({ restApiId, apiName, resourceId, resourcePath, paths: match?.paths }, cors, out), { dryRun, call: { ...call, confirmation } });
  },
});
