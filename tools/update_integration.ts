import { IntegrationIntentSchema, integrationFieldNames, integrationOps } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { INTEGRATION, WriteResultSchema, write } from '../src/intent/write.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'update_integration',
  description:
    "Changes any mix of integration settings in one call (give only what changes); returns before/after/diff. uri, verb, credentials, connection, TLS-off need a human's OK.",
  input: TargetSchema.extend(IntegrationIntentSchema.shape).extend(writeFields),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, dryRun, confirmation, ...intent } = args;
    return write(ctx, INTEGRATION, { restApiId, apiName, resourceId, resourcePath, httpMethod }, (current) => integrationOps(intent, current), {
      dryRun,
      call: { ...call, confirmation },
      fields: integrationFieldNames(intent),
    });
  },
});
