import { z } from 'zod';
import { MethodIntentSchema, MethodResponseIntentSchema } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { methodPlanner } from '../src/plan/planners/method.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_method',
  description:
    "Declares/removes request parameters; creates, changes, deletes method responses. Nothing else of a method.",
  input: TargetSchema.extend({
    ...MethodIntentSchema.shape,
    methodResponses: z
      .record(z.string().regex(/^[1-5]\d\d$/, 'a status code is 100..599, e.g. "404"'), MethodResponseIntentSchema.nullable())
      .optional()
      .describe('status code -> headers/models; null deletes it'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  // A map of small objects, listed by its shape in words (validated in full).
  brief: { methodResponses: 'status code -> {responseParameters: method.response.header.* -> required, responseModels: content type -> model}; null removes' },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, dryRun, confirmation, ...change } = args;
    return runPlan(ctx, methodPlanner({ restApiId, apiName, resourceId, resourcePath, httpMethod }, change, ctx.env), { dryRun, call: { ...call, confirmation } });
  },
});
