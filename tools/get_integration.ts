import { z } from 'zod';
import { explainMissingMethod, ResolvedTargetSchema, TargetSchema } from '../src/intent/target.js';
import { boundDoc } from '../src/patch/bounded.js';
import { MAX_TEMPLATE_BYTES } from '../src/patch/values.js';
import { DocSchema } from '../src/plan/result.js';
import { defineTool, READ } from './tool.js';

/** Values up to this many bytes come whole by default; a larger one as {sha256, bytes, head} unless asked for. */
export const DEFAULT_VALUE_BYTES = 64 * 1024;

export default defineTool({
  name: 'get_integration',
  description: "A method's integration as AWS returns it, with its integration responses.",
  input: TargetSchema.extend({
    maxValueBytes: z.number().int().min(256).max(MAX_TEMPLATE_BYTES).optional().describe('Longer ones as {sha256, bytes, head}'),
  }),
  output: z.object({ backend: z.string(), target: ResolvedTargetSchema, integration: DocSchema }),
  listed: [],
  annotations: READ,
  async run({ maxValueBytes, ...args }, ctx) {
    const gateway = await ctx.backend.gateway();
    const target = await ctx.resolver.resolve(gateway, args);
    const integration = await gateway.getIntegration(target).catch((err) => {
      throw explainMissingMethod(err, target, ctx.backend.label);
    });
    // Bounded: eight 300 KB templates answered twice (text and structured) would pass a stdio client's 10 MiB line.
    return { backend: ctx.backend.label, target, integration: boundDoc(integration, maxValueBytes ?? DEFAULT_VALUE_BYTES) };
  },
});
