import { z } from 'zod';
import { integrationFieldNames } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { integrationPlanner } from '../src/plan/planners/integration.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import type { PatchOperation } from '../src/patch/rules.js';
import { defineTool, writeFields, WRITE, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'set_tls_verification',
  description: "Backend TLS certificate checks on or off (HTTP*). Off allows man-in-the-middle: human OK.",
  input: TargetSchema.extend({
    insecureSkipVerification: z.boolean().describe('false: verify (safe); true: skip (risky)'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: WRITE,
  async run({ insecureSkipVerification, dryRun, confirmation, ...target }, ctx, call) {
    const intent = { tlsInsecureSkipVerification: insecureSkipVerification };
    // Errors name this tool's field (insecureSkipVerification), not the intent's or a patch op.
    const named = integrationFieldNames(intent);
    const fields = (op: PatchOperation) => {
      const f = named(op);
      return f && { ...f, name: 'insecureSkipVerification', container: 'insecureSkipVerification' };
    };
    return runPlan(ctx, integrationPlanner(target, { intent }, ctx.env, fields), { dryRun, call: { ...call, confirmation } });
  },
});
