// The audit log: JSON lines, flushed to disk before the tool returns, so every change can be listed and undone. A
// change is written ahead (an intent line before the AWS call, then its outcome), so a crash between the call and
// its record still leaves a trace. Appends are single writes to a file opened for appending; a line torn by a crash is skipped
// on reading, never fatal.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../errors.js';

/** A file error as the agent gets it: the file, what failed, and where to choose another. */
const fileError = (path: string, what: string, err: unknown) =>
  new ToolError(`Audit log ${path} cannot be ${what}: ${(err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message}. Fix its permissions, or choose another file with --audit-log.`, 'state_file');

const OpRecordSchema = z.object({ op: z.string(), path: z.string(), value: z.string().optional() });
const DocRecordSchema = z.record(z.string(), z.unknown());

/**
 * One AWS write of a change plan, as recorded: which resource, the call (put a whole document, update with ops, or
 * delete), and the resource before and after it (absent before: it was created; absent after: it was deleted).
 * A plan's record lists its steps in the order they were applied; its undo applies their inverses newest first.
 */
export const StepRecordSchema = z.object({
  resource: z.enum(['method', 'methodResponse', 'integration', 'integrationResponse', 'stage']),
  /** restApiId, resourceId, httpMethod; statusCode for responses, stageName for a stage; names where known. */
  address: z.record(z.string(), z.string()),
  action: z.enum(['put', 'update', 'delete']),
  ops: z.array(OpRecordSchema).optional(),
  document: DocRecordSchema.optional(),
  before: DocRecordSchema.optional(),
  after: DocRecordSchema.optional(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const AuditRecordSchema = z.object({
  changeId: z.string(),
  time: z.string(),
  /** `plan`: a change plan (its `steps`); the older single-resource kinds are still read. */
  kind: z.enum(['plan', 'integration', 'integrationResponse', 'deployment']),
  backend: z.string(),
  region: z.string().optional(),
  profile: z.string().optional(),
  account: z.string().optional(),
  target: z.record(z.string(), z.string()),
  ops: z.array(OpRecordSchema),
  /** Ops that turn `after` back into `before`; absent when API Gateway cannot express the way back. */
  inverseOps: z.array(OpRecordSchema).optional(),
  /** A plan's writes, in the order applied (kind `plan`). */
  steps: z.array(StepRecordSchema).optional(),
  undoBlocker: z.string().optional(),
  beforeHash: z.string().optional(),
  afterHash: z.string().optional(),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
  risk: z.string(),
  confirmation: z.object({ via: z.string(), id: z.string().optional() }),
  /** For undo records: the change this one undid. */
  undoes: z.string().optional(),
  deploymentId: z.string().optional(),
  /**
   * Written ahead of the AWS call: `intent` before it, then the full record (no phase) once it applied, or `failed`
   * when AWS refused it. An intent with nothing after it is a change of unknown outcome (the process died).
   */
  phase: z.enum(['intent', 'failed', 'partial']).optional(),
  /**
   * A plan that failed at a step: what it had applied, what compensation rolled back, and what is left (`partial`:
   * an inverse failed too, so the change is partly in place and listed as such).
   */
  rollback: z.object({ failedAt: z.string(), applied: z.array(z.string()), rolledBack: z.array(z.string()), left: z.array(z.string()) }).optional(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export function newChangeId(): string {
  return `chg_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}

export class AuditLog {
  constructor(readonly path: string) {}

  /** Appends one record and waits until it is on disk. */
  append(record: AuditRecord): void {
    let fd: number;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      fd = openSync(this.path, 'a+', 0o600);
    } catch (err) {
      throw fileError(this.path, 'written', err);
    }
    try {
      // A crash mid-write leaves a torn last line without its newline: start on a line of our own, or this record
      // would be glued to it and skipped with it.
      const size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
      writeSync(fd, (torn ? '\n' : '') + JSON.stringify(AuditRecordSchema.parse(record)) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** What has been read of the file so far: a long log is parsed once, then only what was appended since. */
  private seen = { ino: -1, offset: 0, rest: Buffer.alloc(0), byId: new Map<string, AuditRecord>() };

  /** Every readable record, oldest first; unreadable lines (a torn last line after a crash) are skipped. */
  read(): AuditRecord[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(this.path, 'read', e);
      this.seen = { ino: -1, offset: 0, rest: Buffer.alloc(0), byId: new Map() };
      return [];
    }
    try {
      const { ino, size } = fstatSync(fd);
      // Replaced or cut short (rotated, edited): start over.
      if (ino !== this.seen.ino || size < this.seen.offset) this.seen = { ino, offset: 0, rest: Buffer.alloc(0), byId: new Map() };
      if (size > this.seen.offset) {
        const added = Buffer.alloc(size - this.seen.offset);
        try {
          readSync(fd, added, 0, added.length, this.seen.offset);
        } catch (err) {
          throw fileError(this.path, 'read', err);
        }
        this.seen.offset = size;
        const bytes = Buffer.concat([this.seen.rest, added]);
        // Whole lines only; a line still being written (or torn) waits for its newline.
        const end = bytes.lastIndexOf(0x0a) + 1;
        this.seen.rest = bytes.subarray(end);
        for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) this.take(line);
      }
    } finally {
      closeSync(fd);
    }
    return [...this.seen.byId.values()];
  }

  /** The last record of a change stands (intent, then applied or failed); a failed one leaves nothing. */
  private take(line: string): void {
    if (!line.trim()) return;
    try {
      const r = AuditRecordSchema.safeParse(JSON.parse(line));
      if (!r.success) return;
      this.seen.byId.delete(r.data.changeId);
      if (r.data.phase !== 'failed') this.seen.byId.set(r.data.changeId, r.data);
    } catch {
      // a torn line
    }
  }

  find(changeId: string): AuditRecord | undefined {
    return this.read().find((r) => r.changeId === changeId);
  }

  /** The undo that reverted `changeId` and still stands (was not itself undone), if any. */
  undoneBy(changeId: string): AuditRecord | undefined {
    const records = this.read();
    const undo = standingUndos(records).get(changeId);
    return undo ? records.find((r) => r.changeId === undo) : undefined;
  }
}

/**
 * changeId -> the undo that reverted it and still stands. An undo of an undo puts the change back: only the newest
 * undo of a change counts, and only while it is not itself undone.
 */
export function standingUndos(records: AuditRecord[]): Map<string, string> {
  const newest = new Map<string, string>();
  // An undo of unknown outcome (intent only) does not count as done.
  for (const r of records) if (r.undoes && r.phase !== 'intent') newest.set(r.undoes, r.changeId);
  const memo = new Map<string, string | undefined>();
  const undoneBy = (id: string): string | undefined => {
    if (!memo.has(id)) {
      const undo = newest.get(id);
      memo.set(id, undo && !undoneBy(undo) ? undo : undefined);
    }
    return memo.get(id);
  };
  const out = new Map<string, string>();
  for (const id of newest.keys()) {
    const undo = undoneBy(id);
    if (undo) out.set(id, undo);
  }
  return out;
}
