import { z } from 'zod';
import { integrationOps } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { INTEGRATION, WriteResultSchema, write } from '../src/intent/write.js';
import { defineTool, dryRunField, WRITE } from './tool.js';

export default defineTool({
  name: 'set_tls_verification',
  description:
    "Turns checking of the backend's TLS certificate on or off (HTTP/HTTP_PROXY). Off invites man-in-the-middle attacks and needs a human: refused for now.",
  input: TargetSchema.extend({
    insecureSkipVerification: z.boolean().describe('false: verify (safe); true: skip (risky)'),
    dryRun: dryRunField,
  }),
  output: WriteResultSchema,
  annotations: WRITE,
  async run({ insecureSkipVerification, dryRun, ...target }, ctx) {
    return write(ctx, INTEGRATION, target, (current) => integrationOps({ tlsInsecureSkipVerification: insecureSkipVerification }, current), { dryRun });
  },
});
