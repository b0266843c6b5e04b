import { z } from 'zod';
import { standingUndos } from '../src/safety/audit.js';
import { opsWithValues, stagesServing } from '../src/stage/history.js';
import { ApiRefSchema } from '../src/intent/target.js';
import { ToolError } from '../src/errors.js';
import { defineTool } from './tool.js';

// A date or a date-time, checked as zod's ISO formats (listed as a plain string: the description says the format).
const isoWhen = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const When = z.string().refine((v) => isoWhen.safeParse(v).success, 'an ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T09:00:00Z');

export default defineTool({
  name: 'list_changes',
  description:
    'This server\'s changes, newest first: ops before -> after, how confirmed, undoable, stages serving each.',
  input: z.object({
    restApiId: ApiRefSchema.optional().describe('Only this API (id or name)'),
    apiName: ApiRefSchema.optional().describe('Only this API (restApiId takes a name too)'),
    since: When.optional().describe('ISO 8601 date or time'),
    until: When.optional().describe('ISO 8601, exclusive'),
    limit: z.number().int().min(1).max(200).optional().describe('Max (20)'),
  }),
  output: z.object({ auditLog: z.string(), changes: z.array(z.record(z.string(), z.unknown())), message: z.string().optional() }),
  listed: [],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async run({ restApiId, apiName, since, until, limit }, ctx) {
    if (restApiId !== undefined && apiName !== undefined) throw new ToolError('Give the API once: restApiId takes its id or its name.');
    const records = ctx.audit.read();
    // A change made by id names no API; any change made by name tells which id the name is. restApiId is either.
    const api = restApiId ?? apiName;
    const ids = api === undefined ? undefined : new Set([...(restApiId ? [restApiId] : []), ...records.filter((r) => r.target.apiName === api).map((r) => r.target.restApiId)]);
    const [from, to] = [since ? Date.parse(since) : -Infinity, until ? Date.parse(until) : Infinity];
    const undone = standingUndos(records);
    const picked = records
      .filter((r) => !ids || ids.has(r.target.restApiId))
      .filter((r) => Date.parse(r.time) >= from && Date.parse(r.time) < to)
      .reverse()
      .slice(0, limit ?? 20);
    const serving = await stagesServing(picked, records, ctx.backend);
    const changes = picked.map((r) => ({
      changeId: r.changeId,
      time: r.time,
      kind: r.kind,
      target: r.target,
      // Where it was made: undo_change must be called there (profile / region).
      ...(r.profile ? { profile: r.profile } : {}),
      ...(r.region ? { region: r.region } : {}),
      ...(r.account ? { account: r.account } : {}),
      ...opsWithValues(r),
      risk: r.risk,
      confirmedBy: r.confirmation.via,
      // Only the intent line was written: the server stopped between the AWS call and its answer.
      ...(r.phase === 'intent' ? { outcome: 'unknown: the server stopped before the answer was recorded; check with get_integration' } : {}),
      undoable: r.phase === undefined && r.kind !== 'deployment' && (r.inverseOps !== undefined || r.steps !== undefined) && !undone.has(r.changeId),
      ...(undone.has(r.changeId) ? { undoneBy: undone.get(r.changeId) } : {}),
      ...(r.undoBlocker ? { undoBlocker: r.undoBlocker } : {}),
      ...(r.undoes ? { undoes: r.undoes } : {}),
      ...(r.deploymentId ? { deploymentId: r.deploymentId } : {}),
      ...(r.kind !== 'deployment' && serving(r) ? { stages: serving(r) } : {}),
    }));
    if (changes.length || (!restApiId && !apiName && !since && !until)) return { auditLog: ctx.audit.path, changes };
    if (!restApiId && !apiName) return { auditLog: ctx.audit.path, changes, message: `No change recorded in that time (${since ?? '…'} to ${until ?? 'now'}).` };
    const names = new Map(records.filter((r) => r.target.apiName).map((r) => [r.target.restApiId, r.target.apiName]));
    const apis = [...new Set(records.map((r) => r.target.restApiId))].map((id) => (names.has(id) ? `${names.get(id)} (${id})` : id));
    return { auditLog: ctx.audit.path, changes, message: `No change recorded for ${restApiId ?? apiName}${since || until ? ' in that time' : ''}. APIs with recorded changes: ${apis.join(', ') || 'none'}.` };
  },
});
