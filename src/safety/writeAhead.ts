// The write-ahead sequence every change follows, in one place: an intent line before the first AWS call, then the
// outcome (the applied record, `failed` when nothing stayed applied, or `partial`), so a crash between a call and
// its record shows in list_changes as a change of unknown outcome instead of vanishing.
import type { AuditLog, AuditRecord } from './audit.js';

export type AheadRecord = Omit<AuditRecord, 'phase'>;

export interface WriteAhead {
  readonly changeId: string;
  /** The change applied: the full record (what was sent, what AWS answered, how to undo it). */
  applied(fields: Partial<AuditRecord>): void;
  /** Nothing of it stayed applied (AWS refused it, or compensation rolled everything back). */
  failed(fields?: Partial<AuditRecord>): void;
  /** Some of it stayed applied although it failed (an inverse failed too). */
  partial(fields: Partial<AuditRecord>): void;
}

/** Writes the intent line now and returns how to write the outcome. */
export function writeAhead(audit: AuditLog, record: AheadRecord): WriteAhead {
  audit.append({ ...record, phase: 'intent' });
  return {
    changeId: record.changeId,
    applied: (fields) => audit.append({ ...record, ...fields }),
    failed: (fields = {}) => audit.append({ ...record, ...fields, phase: 'failed' }),
    partial: (fields) => audit.append({ ...record, ...fields, phase: 'partial' }),
  };
}
