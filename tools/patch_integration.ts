import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { WriteResultSchema, writeIntegration } from '../src/intent/writeIntegration.js';
import { PatchOperationSchema } from '../src/patch/rules.js';
import { defineTool } from './tool.js';

export default defineTool({
  name: 'patch_integration',
  title: 'Patch an integration (raw ops)',
  description:
    "Applies raw UpdateIntegration patchOperations (as boto3's update_integration takes them), validated against API Gateway's rules first; all sent in one call. Risky ops (e.g. insecureSkipVerification true, uri, credentials) need a human and are refused.",
  input: TargetSchema.extend({
    patchOperations: z.array(PatchOperationSchema).min(1).max(100).describe('Applied in order'),
    dryRun: z.boolean().optional().describe('Preview only; send nothing'),
  }),
  output: WriteResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run({ patchOperations, dryRun, ...target }, ctx) {
    return writeIntegration(ctx, target, patchOperations, { dryRun });
  },
});
