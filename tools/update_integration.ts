import { IntegrationIntentSchema, integrationOps } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { INTEGRATION, WriteResultSchema, write } from '../src/intent/write.js';
import { defineTool, dryRunField } from './tool.js';

export default defineTool({
  name: 'update_integration',
  description:
    'Changes any mix of integration settings in one call: give only what changes. Validated first; returns before/after/diff. uri, verb, credentials, connection and TLS-off need a human: refused for now.',
  input: TargetSchema.extend(IntegrationIntentSchema.shape).extend({ dryRun: dryRunField }),
  output: WriteResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx) {
    const { restApiId, apiName, resourceId, resourcePath, httpMethod, dryRun, ...intent } = args;
    return write(ctx, INTEGRATION, { restApiId, apiName, resourceId, resourcePath, httpMethod }, (current) => integrationOps(intent, current), { dryRun });
  },
});
