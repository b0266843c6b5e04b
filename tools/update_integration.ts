import { IntegrationIntentSchema, IntegrationTypeSchema, integrationFieldNames } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { integrationPlanner } from '../src/plan/planners/integration.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_integration',
  description:
    "Changes integration settings, declaring the method.request.* sources it maps; type replaces or creates it. One preview, one OK.",
  input: TargetSchema.extend(IntegrationIntentSchema.shape).extend({ type: IntegrationTypeSchema.optional() }).extend(writeFields),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  brief: { cacheKeyParameters: '{add, remove}: method.request.* names (declared if missing)' },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, dryRun, confirmation, type, ...intent } = args;
    const planner = integrationPlanner({ restApiId, apiName, resourceId, resourcePath, httpMethod }, { intent, type }, ctx.env, integrationFieldNames(intent));
    return runPlan(ctx, planner, { dryRun, call: { ...call, confirmation } });
  },
});
