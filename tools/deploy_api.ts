import { z } from 'zod';
import { DeployResultSchema, deploy } from '../src/intent/deploy.js';
import { TargetSchema } from '../src/intent/target.js';
import { defineTool, writeFields } from './tool.js';

export default defineTool({
  name: 'deploy_api',
  description:
    "Deploys the API to a stage; previews what goes live, from AWS itself. Always needs a human OK.",
  input: TargetSchema.pick({ restApiId: true, apiName: true }).extend({
    stageName: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a stage name is letters, digits, - and _').describe('e.g. prod'),
    description: z.string().max(1024).optional().describe('Deployment description'),
    createStage: z.boolean().optional().describe('Create the stage if missing'),
    ...writeFields,
  }),
  output: DeployResultSchema,
  listed: [],
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run({ confirmation, ...input }, ctx, call) {
    return deploy(ctx, input, { ...call, confirmation });
  },
});
