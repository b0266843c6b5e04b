import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { StageSummarySchema, summariseStage } from '../src/stage/stages.js';
import { defineTool, READ } from './tool.js';

export default defineTool({
  name: 'list_stages',
  description:
    "An API's stages: deployment, cache cluster, method settings, variables, canary.",
  input: TargetSchema.pick({ restApiId: true, apiName: true }),
  output: z.object({ backend: z.string(), restApiId: z.string(), apiName: z.string().optional(), stages: z.array(StageSummarySchema) }),
  listed: [],
  annotations: READ,
  async run(args, ctx) {
    const gateway = await ctx.backend.gateway();
    const api = await ctx.resolver.resolveApi(gateway, args);
    const [stages, deployments] = await Promise.all([gateway.getStages(api.id), gateway.listDeployments(api.id)]);
    ctx.stages.remember(api.id, stages.map((s) => s.stageName as string));
    const byId = new Map(deployments.map((d) => [d.id as string, d]));
    return {
      backend: ctx.backend.label,
      restApiId: api.id,
      ...(api.name ? { apiName: api.name } : {}),
      stages: stages.map((s) => summariseStage(s, byId)).sort((a, b) => a.stageName.localeCompare(b.stageName)),
    };
  },
});
