import { z } from 'zod';
import { integrationOps } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { INTEGRATION, WriteResultSchema, write } from '../src/intent/write.js';
import { defineTool, writeFields, WRITE, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'set_tls_verification',
  description:
    "Backend TLS certificate checks on or off (HTTP*). Off invites man-in-the-middle attacks: needs a human's OK.",
  input: TargetSchema.extend({
    insecureSkipVerification: z.boolean().describe('false: verify (safe); true: skip (risky)'),
    ...writeFields,
  }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: WRITE,
  async run({ insecureSkipVerification, dryRun, confirmation, ...target }, ctx, call) {
    return write(ctx, INTEGRATION, target, (current) => integrationOps({ tlsInsecureSkipVerification: insecureSkipVerification }, current), { dryRun, call: { ...call, confirmation } });
  },
});
