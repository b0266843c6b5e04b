import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { WriteResultSchema, writeIntegration } from '../src/intent/writeIntegration.js';
import { defineTool } from './tool.js';

export default defineTool({
  name: 'set_timeout',
  title: 'Set integration timeout',
  description: 'Sets how long API Gateway waits for the backend (timeoutInMillis, 50..29000 ms unless raised). Shows before/after; one UpdateIntegration.',
  input: TargetSchema.extend({
    timeoutInMillis: z.number().int().describe('Milliseconds, 50..29000 (higher only with a raised quota or STREAM)'),
    dryRun: z.boolean().optional().describe('Preview only; send nothing'),
  }),
  output: WriteResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async run({ timeoutInMillis, dryRun, ...target }, ctx) {
    return writeIntegration(ctx, target, [{ op: 'replace', path: '/timeoutInMillis', value: String(timeoutInMillis) }], { dryRun });
  },
});
