import { z } from 'zod';
import { explainMissingMethod, ResolvedTargetSchema, TargetSchema } from '../src/intent/target.js';
import { DocSchema } from '../src/plan/result.js';
import { defineTool, READ } from './tool.js';

export default defineTool({
  name: 'get_integration',
  description: "A method's integration as API Gateway returns it, with its integration responses.",
  input: TargetSchema,
  output: z.object({ backend: z.string(), target: ResolvedTargetSchema, integration: DocSchema }),
  listed: [],
  annotations: READ,
  async run(args, ctx) {
    const gateway = await ctx.backend.gateway();
    const target = await ctx.resolver.resolve(gateway, args);
    const integration = await gateway.getIntegration(target).catch((err) => {
      throw explainMissingMethod(err, target, ctx.backend.label);
    });
    return { backend: ctx.backend.label, target, integration };
  },
});
