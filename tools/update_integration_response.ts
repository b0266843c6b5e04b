import { z } from 'zod';
import { IntegrationResponseIntentSchema } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { integrationResponsePlanner } from '../src/plan/planners/integrationResponse.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_integration_response',
  description:
    'Changes an integration response, creating it and its method response (with the mapped headers) if missing.',
  input: TargetSchema.extend({
    statusCode: z.string().regex(/^[1-5]\d\d$/, 'a status code is 100..599, e.g. "200"').describe('e.g. "404"'),
    ...IntegrationResponseIntentSchema.shape,
    create: z.boolean().optional().describe('false: refuse if missing'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, statusCode, create, dryRun, confirmation, ...intent } = args;
    const planner = integrationResponsePlanner({ restApiId, apiName, resourceId, resourcePath, httpMethod }, statusCode, intent, create, ctx.env);
    return runPlan(ctx, planner, { dryRun, call: { ...call, confirmation } });
  },
});
