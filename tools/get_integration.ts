import { z } from 'zod';
import { ResolvedTargetSchema, TargetSchema } from '../src/intent/target.js';
import { DocSchema } from '../src/intent/write.js';
import { defineTool, READ } from './tool.js';

export default defineTool({
  name: 'get_integration',
  description: "A method's integration as API Gateway returns it, with its integrationResponses.",
  input: TargetSchema,
  output: z.object({ backend: z.string(), target: ResolvedTargetSchema, integration: DocSchema }),
  listed: ['integration'],
  annotations: READ,
  async run(args, ctx) {
    const gateway = await ctx.backend.gateway();
    const target = await ctx.resolver.resolve(gateway, args);
    return { backend: ctx.backend.label, target, integration: await gateway.getIntegration(target) };
  },
});
