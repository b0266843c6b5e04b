import { z } from 'zod';
import { defineTool } from './tool.js';

export default defineTool({
  name: 'list_changes',
  description: 'Changes this server applied (audit log), newest first: how confirmed, whether undo_change can revert it.',
  input: z.object({
    restApiId: z.string().max(64).optional().describe('Only this API'),
    apiName: z.string().max(1024).optional().describe('Only this API'),
    limit: z.number().int().min(1).max(200).optional().describe('Max (20)'),
  }),
  output: z.object({ auditLog: z.string(), changes: z.array(z.record(z.string(), z.unknown())) }),
  listed: ['changes'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ restApiId, apiName, limit }, ctx) {
    const changes = ctx.audit
      .read()
      .filter((r) => (!restApiId || r.target.restApiId === restApiId) && (!apiName || r.target.apiName === apiName))
      .reverse()
      .slice(0, limit ?? 20)
      .map((r) => ({
        changeId: r.changeId,
        time: r.time,
        kind: r.kind,
        target: r.target,
        ops: r.ops,
        risk: r.risk,
        confirmedBy: r.confirmation.via,
        undoable: r.inverseOps !== undefined,
        ...(r.undoBlocker ? { undoBlocker: r.undoBlocker } : {}),
        ...(r.undoes ? { undoes: r.undoes } : {}),
        ...(r.deploymentId ? { deploymentId: r.deploymentId } : {}),
      }));
    return { auditLog: ctx.audit.path, changes };
  },
});
