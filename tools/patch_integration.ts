import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { PatchOperationSchema } from '../src/patch/rules.js';
import { integrationPlanner } from '../src/plan/planners/integration.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'patch_integration',
  description: 'Raw UpdateIntegration patchOperations (as boto3 takes them), validated. Prefer update_integration.',
  input: TargetSchema.extend({
    patchOperations: z.array(PatchOperationSchema).min(1).max(100).describe('Applied in order'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  toolset: 'raw',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run({ patchOperations, dryRun, confirmation, ...target }, ctx, call) {
    return runPlan(ctx, integrationPlanner(target, { ops: patchOperations }, ctx.env), { dryRun, call: { ...call, confirmation } });
  },
});
