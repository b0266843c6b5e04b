import { z } from 'zod';
import { ToolError } from '../src/errors.js';
import { undoPlanner } from '../src/plan/planners/undo.js';
import { WriteResultSchema } from '../src/plan/result.js';
import { runPlan } from '../src/plan/run.js';
import { defineTool, writeFields, WRITE_LISTED } from './tool.js';

export default defineTool({
  name: 'undo_change',
  description: "Reverts a change from list_changes as a whole, if nothing changed since (a human OK if risky).",
  input: z.object({ changeId: z.string().regex(/^chg_[a-z0-9_]+$/, 'a changeId looks like chg_…, from list_changes').describe('From list_changes'), ...writeFields }),
  output: WriteResultSchema,
  listed: WRITE_LISTED,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run({ changeId, dryRun, confirmation }, ctx, call) {
    const record = ctx.audit.find(changeId);
    if (!record) throw new ToolError(`No change ${changeId} in the audit log (${ctx.audit.path}); list_changes lists them.`, 'not_found');
    if (record.phase === 'intent')
      throw new ToolError(
        `${changeId} has no recorded outcome (the server stopped before AWS's answer was written), so there is nothing known to undo. Check the integration with get_integration and change it back with the write tools if needed.`,
        'conflict',
      );
    if (record.phase === 'partial')
      throw new ToolError(`${changeId} failed part-way and is only partly in place: ${record.rollback?.left.join('; ')}. Revert what is left as it says; undo_change cannot.`, 'conflict');
    if (record.kind === 'deployment') throw new ToolError(`${changeId} is a deployment: ${record.undoBlocker ?? 'a deployment is not undone'}.`);
    if (!record.steps && (!record.inverseOps || !record.after)) throw new ToolError(`${changeId} cannot be undone: ${record.undoBlocker ?? 'no inverse was recorded'}.`);
    // Undone where it was made: the same ids in another account, region or emulator address something else, or nothing.
    await ctx.backend.gateway();
    const here = { profile: ctx.backend.profile, region: ctx.backend.region, account: await ctx.backend.account() };
    const elsewhere = record.profile !== here.profile || (record.region ?? here.region) !== here.region || (record.account !== undefined && here.account !== undefined && record.account !== here.account);
    if (elsewhere) {
      const name = (w: { profile?: string; region?: string; account?: string }) => `profile ${w.profile ?? '(default)'}, region ${w.region ?? '(from AWS config)'}${w.account ? `, account ${w.account}` : ''}`;
      const args = [`changeId: "${changeId}"`, ...(record.profile ? [`profile: "${record.profile}"`] : []), ...(record.region ? [`region: "${record.region}"`] : [])].join(', ');
      throw new ToolError(`${changeId} was made on ${name(record)}; this call is on ${name(here)}. Nothing was sent. Call undo_change { ${args} }.`, 'scope_denied');
    }
    if (record.backend !== ctx.backend.label)
      throw new ToolError(`${changeId} was made on another backend (${record.backend}); this server talks to ${ctx.backend.label}. Nothing was sent: undo it from a server started on that backend.`, 'scope_denied');
    // Said before any AWS call: otherwise the state check reports it as someone else's change (conflict).
    const undo = ctx.audit.undoneBy(changeId);
    if (undo) throw new ToolError(`${changeId} was already undone by ${undo.changeId} (${undo.time}); nothing was sent. To apply it again, undo ${undo.changeId}.`, 'conflict');
    return runPlan(ctx, undoPlanner(record), { dryRun, call: { ...call, confirmation }, undoes: changeId });
  },
});
