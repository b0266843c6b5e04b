import { z } from 'zod';
import { IntegrationResponseIntentSchema, integrationResponseFieldNames, integrationResponseOps } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { integrationResponse, WriteResultSchema, write } from '../src/intent/write.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_integration_response',
  description:
    'Changes one integration response in one call (create: true if missing); returns before/after/diff.',
  input: TargetSchema.extend({
    statusCode: z.string().regex(/^[1-5]\d\d$/, 'a status code is 100..599, e.g. "200"').describe('e.g. "200"'),
    ...IntegrationResponseIntentSchema.shape,
    create: z.boolean().optional().describe('Create if missing'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, statusCode, create, dryRun, confirmation, ...intent } = args;
    return write(ctx, integrationResponse(statusCode, create ?? false), { restApiId, apiName, resourceId, resourcePath, httpMethod }, (current) => integrationResponseOps(intent, current), {
      dryRun,
      call: { ...call, confirmation },
      fields: integrationResponseFieldNames(intent),
    });
  },
});
