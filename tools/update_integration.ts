import { IntegrationIntentSchema, IntegrationTypeSchema, integrationFieldNames } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { integrationPlanner } from '../src/plan/planners/integration.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_integration',
  description:
    "Changes any mix of integration settings in one call (give only what changes), declaring on the method any method.request.* parameter a mapping or cache key needs; `type` replaces or creates the whole integration (PutIntegration), re-putting the integration responses it keeps. One preview, one confirmation: uri, verb, credentials, connection, type, TLS-off need a human's OK.",
  input: TargetSchema.extend(IntegrationIntentSchema.shape).extend({ type: IntegrationTypeSchema.optional() }).extend(writeFields),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, dryRun, confirmation, type, ...intent } = args;
    const planner = integrationPlanner({ restApiId, apiName, resourceId, resourcePath, httpMethod }, { intent, type }, ctx.env, integrationFieldNames(intent));
    return runPlan(ctx, planner, { dryRun, call: { ...call, confirmation } });
  },
});
