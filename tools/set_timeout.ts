import { z } from 'zod';
import { TargetSchema } from '../src/intent/target.js';
import { INTEGRATION, WriteResultSchema, write } from '../src/intent/write.js';
import { integrationFieldNames, integrationOps } from '../src/intent/intents.js';
import { defineTool, writeFields, WRITE, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'set_timeout',
  description: 'Sets how long API Gateway waits for the backend. Returns before/after.',
  input: TargetSchema.extend({
    timeoutInMillis: z.number().int().describe('ms, 50..29000'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: WRITE,
  async run({ timeoutInMillis, dryRun, confirmation, ...target }, ctx, call) {
    const intent = { timeoutInMillis };
    return write(ctx, INTEGRATION, target, (current) => integrationOps(intent, current), { dryRun, call: { ...call, confirmation }, fields: integrationFieldNames(intent) });
  },
});
