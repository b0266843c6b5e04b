// The audit log as a file: a torn last line (a crash mid-write) costs that line only, never the next record.
import { appendFileSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { AuditLog, newChangeId, type AuditRecord } from '../src/safety/audit.js';

const record = (): AuditRecord => ({
  changeId: newChangeId(),
  time: new Date().toISOString(),
  kind: 'integration',
  backend: 'test',
  target: { restApiId: 'a1', resourceId: 'r1', httpMethod: 'GET' },
  ops: [{ op: 'replace', path: '/timeoutInMillis', value: '5000' }],
  beforeHash: 'x',
  afterHash: 'y',
  risk: 'safe',
  confirmation: { via: 'not_needed' },
});

it('starts a new line after a torn last line, so the next record is kept', () => {
  const log = new AuditLog(join(mkdtempSync(join(tmpdir(), 'apigw-audit-')), 'audit.jsonl'));
  const first = record();
  log.append(first);
  appendFileSync(log.path, '{"changeId":"chg_torn","time":"2026-');
  const next = record();
  log.append(next);
  expect(log.read().map((r) => r.changeId)).toEqual([first.changeId, next.changeId]);
  expect(log.find(next.changeId)).toBeDefined();
  expect(readFileSync(log.path, 'utf8').endsWith('\n')).toBe(true);
});

it('keeps a change written ahead as of unknown outcome until its outcome is written; a failed one leaves nothing', () => {
  const log = new AuditLog(join(mkdtempSync(join(tmpdir(), 'apigw-audit-')), 'audit.jsonl'));
  const crashed = record();
  log.append({ ...crashed, phase: 'intent' });
  const refused = record();
  log.append({ ...refused, phase: 'intent' });
  log.append({ ...refused, phase: 'failed' });
  const applied = record();
  log.append({ ...applied, phase: 'intent' });
  log.append({ ...applied, afterHash: 'z' });
  expect(log.read().map((r) => [r.changeId, r.phase])).toEqual([
    [crashed.changeId, 'intent'],
    [applied.changeId, undefined],
  ]);
});

it('reads what other writers appended since the last read, and starts over when the file is replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-audit-'));
  const mine = new AuditLog(join(dir, 'audit.jsonl'));
  const theirs = new AuditLog(join(dir, 'audit.jsonl'));
  const a = record();
  mine.append(a);
  expect(mine.read().map((r) => r.changeId)).toEqual([a.changeId]);
  const b = record();
  theirs.append(b);
  expect(mine.read().map((r) => r.changeId)).toEqual([a.changeId, b.changeId]);
  // A line still being written is taken once its newline arrives.
  const c = record();
  const line = JSON.stringify(c);
  appendFileSync(mine.path, line.slice(0, 20));
  expect(mine.read().map((r) => r.changeId)).toEqual([a.changeId, b.changeId]);
  appendFileSync(mine.path, `${line.slice(20)}\n`);
  expect(mine.read().map((r) => r.changeId)).toEqual([a.changeId, b.changeId, c.changeId]);
  // Rotated: a new file under the same name.
  renameSync(mine.path, `${mine.path}.1`);
  const d = record();
  theirs.append(d);
  expect(mine.read().map((r) => r.changeId)).toEqual([d.changeId]);
});
