import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { INTEGRATION, WriteResultSchema, write } from '../src/intent/write.js';
import { PatchOperationSchema } from '../src/patch/rules.js';
import { defineTool, dryRunField } from './tool.js';

export default defineTool({
  name: 'patch_integration',
  description:
    "Raw UpdateIntegration patchOperations (as boto3 takes them), validated first, sent in one call. Prefer update_integration. Risky ops need a human: refused for now.",
  input: TargetSchema.extend({
    patchOperations: z.array(PatchOperationSchema).min(1).max(100).describe('Applied in order'),
    dryRun: dryRunField,
  }),
  output: WriteResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run({ patchOperations, dryRun, ...target }, ctx) {
    return write(ctx, INTEGRATION, target, () => patchOperations, { dryRun });
  },
});
