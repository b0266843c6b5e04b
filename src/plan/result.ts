// What a write tool answers: one result for the whole plan. `before`/`after`/`diff`/`patchOperations` describe the
// resource the agent asked about (the integration, with its responses; or the integration response...), `steps`
// every write of the plan grouped per resource with its diff. Large values are summarised (hash, size, head).
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { boundDoc } from '../patch/bounded.js';
import { diffDocs, type Change } from '../patch/diff.js';
import { RiskLevel } from '../patch/rules.js';

export const DocSchema = z.record(z.string(), z.unknown());
// Kept compact: every write tool lists this schema in the catalog a model reads on every conversation.
const Loose = z.record(z.string(), z.unknown());
export const WriteStatus = z.enum(['applied', 'no_change', 'dry_run', 'conflict', 'unknown_outcome', 'declined', 'approval_required', 'approval_pending', 'confirmation_required']);
export const StepResultSchema = z.object({
  resource: z.string(),
  action: z.enum(['put', 'update', 'delete']),
  because: z.string().optional(),
  patchOperations: z.array(z.unknown()).optional(),
  diff: z.array(z.unknown()),
});
export const WriteResultSchema = z.object({
  status: WriteStatus,
  message: z.string(),
  backend: z.string(),
  target: z.record(z.string(), z.string()),
  risk: RiskLevel,
  riskReasons: z.array(z.string()),
  patchOperations: z.array(z.unknown()),
  diff: z.array(z.unknown()),
  before: Loose,
  after: Loose,
  steps: z.array(StepResultSchema).optional(),
  notes: z.array(z.string()).optional(),
  warnings: z.array(z.string()).optional(),
  /** Batches: the integrations changed, skipped (with why), already as asked, and (keepGoing) failed. */
  targets: z.array(z.string()).optional(),
  skipped: z.array(z.object({ target: z.string(), reason: z.string() })).optional(),
  unchanged: z.array(z.string()).optional(),
  failed: z.array(z.object({ target: z.string(), error: z.string() })).optional(),
  changeId: z.string().optional().describe('For undo_change'),
  approvalId: z.string().optional(),
  approvalUrl: z.string().optional(),
  confirmToken: z.string().optional(),
});
export type WriteResult = z.infer<typeof WriteResultSchema>;
export type StepResult = z.infer<typeof StepResultSchema>;
export type WriteOutcome = WriteResult | InputRequiredResult;

/** A diff with large values summarised. */
export const boundDiff = (changes: Change[]): Change[] => changes.map((c) => boundDoc(c));

/** The subject's before/after and diff, bounded. */
export function subjectView(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined) {
  return { before: boundDoc(before ?? {}), after: boundDoc(after ?? {}), diff: boundDiff(diffDocs(before, after)) };
}
