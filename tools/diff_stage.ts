import { z } from 'zod';
import { ToolError } from '../src/errors.js';
import { TargetSchema } from '../src/intent/target.js';
import { DifferenceSchema } from '../src/stage/diff.js';
import { readStageDiff } from '../src/stage/read.js';
import { defineTool, READ } from './tool.js';

export default defineTool({
  name: 'diff_stage',
  description:
    'What deploy_api would put live on a stage: per method, served vs working API, each difference with its changeId or made elsewhere.',
  input: TargetSchema.pick({ restApiId: true, apiName: true }).extend({ stageName: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).describe('list_stages') }),
  output: z.object({ restApiId: z.string(), stageName: z.string(), workingHash: z.string(), differences: z.array(DifferenceSchema), message: z.string() }),
  listed: [],
  toolset: 'audit',
  annotations: READ,
  async run({ stageName, ...target }, ctx) {
    const gateway = await ctx.backend.gateway();
    const api = await ctx.resolver.resolveApi(gateway, target);
    const names = (await gateway.getStages(api.id)).map((s) => s.stageName as string).sort();
    ctx.stages.remember(api.id, names);
    if (!names.includes(stageName)) throw new ToolError(`API ${api.name ?? api.id} has no stage ${stageName}; its stages: ${names.join(', ') || 'none'}.`, 'not_found');
    const d = await readStageDiff(gateway, api.id, stageName, { records: ctx.audit.read(), backend: ctx.backend.label });
    const elsewhere = d.differences.filter((x) => x.madeBy === 'elsewhere').length;
    const message = d.differences.length
      ? `Stage ${stageName} serves an older definition: ${d.differences.length} difference(s) go live with the next deploy_api (${elsewhere} made elsewhere).`
      : `Stage ${stageName} serves the working definition: nothing to deploy.`;
    return { restApiId: api.id, stageName, workingHash: d.workingHash, differences: d.differences, message };
  },
});
