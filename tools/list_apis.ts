import { z } from 'zod';
import { defineTool, READ } from './tool.js';

const Api = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  endpointType: z.string().optional().describe('EDGE, REGIONAL or PRIVATE'),
});

export default defineTool({
  name: 'list_apis',
  description: 'REST APIs (id, name, endpoint type).',
  input: z.object({}),
  output: z.object({ backend: z.string(), apis: z.array(Api) }),
  listed: [],
  annotations: READ,
  async run(_args, ctx) {
    const apis = await (await ctx.backend.gateway()).listApis();
    ctx.resolver.rememberApis(apis);
    return {
      backend: ctx.backend.label,
      apis: apis.map((a) => ({
        id: a.id,
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        ...(a.endpointConfiguration?.types?.[0] ? { endpointType: a.endpointConfiguration.types[0] } : {}),
      })),
    };
  },
});
