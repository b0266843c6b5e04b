import { z } from 'zod';
import { integrationFieldNames } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { integrationPlanner } from '../src/plan/planners/integration.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'set_timeout',
  description: 'Sets how long API Gateway waits for the backend.',
  input: TargetSchema.extend({
    timeoutInMillis: z.number().int().describe('ms, 50..29000'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: WRITE,
  async run({ timeoutInMillis, dryRun, confirmation, ...target }, ctx, call) {
    const intent = { timeoutInMillis };
    return runPlan(ctx, integrationPlanner(target, { intent }, ctx.env, integrationFieldNames(intent)), { dryRun, call: { ...call, confirmation } });
  },
});
