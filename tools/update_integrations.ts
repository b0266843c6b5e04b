import { z } from 'zod';
import { IntegrationIntentSchema, IntegrationResponseIntentSchema, IntegrationTypeSchema } from '../src/intent/intents.js';
import { TargetSchema } from '../src/intent/target.js';
import { batchPlanner, MatchSchema, TargetRefSchema, UriReplaceSchema, type BatchOutcome } from '../src/plan/planners/batch.js';
import { WriteResultSchema, type WriteResult } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { ToolError } from '../src/errors.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

/** What a batch sets on each integration: update_integration's fields. */
const SetSchema = IntegrationIntentSchema.extend({ type: IntegrationTypeSchema.optional() });

/** A batch answers in a few lines (counts, the common ops, the first targets, every failure); structuredContent has all. */
function summary(r: WriteResult): string {
  const first = (xs: string[] | undefined, n = 10) => (xs?.length ? `${xs.slice(0, n).join(', ')}${xs.length > n ? `, … ${xs.length - n} more` : ''}` : 'none');
  const ops = [...new Set((r.steps ?? []).flatMap((s) => ((s.patchOperations ?? []) as { op: string; path: string }[]).map((o) => `${o.op} ${o.path}`)))];
  return [
    `${r.status}: ${r.message}`,
    `targets (${r.targets?.length ?? 0}): ${first(r.targets)}`,
    ...(ops.length ? [`ops: ${first(ops, 8)}`] : []),
    ...(r.skipped?.length ? [`skipped (${r.skipped.length}): ${r.skipped.map((x) => `${x.target}: ${x.reason}`).join('; ')}`] : []),
    ...(r.unchanged?.length ? [`already as asked (${r.unchanged.length}): ${first(r.unchanged)}`] : []),
    ...(r.failed?.length ? [`failed (${r.failed.length}): ${r.failed.map((x) => `${x.target}: ${x.error}`).join('; ')}`] : []),
    `risk: ${r.risk}${r.changeId ? `; changeId: ${r.changeId}` : ''}${r.approvalUrl ? `; approvalUrl: ${r.approvalUrl}; approvalId: ${r.approvalId}` : ''}${r.confirmToken ? `; confirmToken: ${r.confirmToken}` : ''}`,
    'The full list of steps and diffs is in structuredContent.',
  ].join('\n');
}

export default defineTool({
  name: 'update_integrations',
  description:
    "One change (set, uriReplace, response) over many integrations (match or targets): one read, one OK, one changeId; all or nothing unless keepGoing.",
  input: TargetSchema.pick({ restApiId: true, apiName: true })
    .extend({ match: MatchSchema.optional(), targets: z.array(TargetRefSchema).min(1).max(500).optional().describe('Instead of match') })
    .extend(SetSchema.shape)
    .extend({
      set: SetSchema.optional(),
      uriReplace: UriReplaceSchema.optional(),
      response: IntegrationResponseIntentSchema.extend({ statusCode: z.string().regex(/^[1-5]\d\d$/, 'a status code is 100..599').describe('e.g. "200"') })
        .optional()
        .describe('An integration response of each'),
      keepGoing: z.boolean().optional().describe('Keep what succeeded on a failure'),
      ...writeFields,
    }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  text: summary,
  brief: { uriReplace: '{from, to}: uri prefix from -> to, path kept', set: "update_integration's fields, set on each", response: '{statusCode, update_integration_response fields}' },
  // Taken at the top level too, as before `set` (listing them again would double the catalog).
  unlisted: Object.keys(SetSchema.shape),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, ctx, call) {
    const { restApiId, apiName, match, targets, set, uriReplace, response, keepGoing, dryRun, confirmation, ...top } = args;
    const twice = Object.keys(set ?? {}).filter((k) => (top as Record<string, unknown>)[k] !== undefined);
    if (twice.length) throw new ToolError(`Give ${twice.join(', ')} once, in set.`);
    const { type, ...intent } = { ...top, ...set };
    const outcome: BatchOutcome = { targets: [], skipped: [], unchanged: [] };
    const planner = { ...batchPlanner({ restApiId, apiName }, { match, targets }, { intent, type, uriReplace, response: response as never }, ctx.env, outcome), extra: () => ({ targets: [...outcome.targets], skipped: [...outcome.skipped], unchanged: [...outcome.unchanged]
    }) };
    return runPlan(ctx, planner, { dryRun, keepGoing, call: { ...call, confirmation }, progress: call.progress });
  },
});
