// What a write reports when API Gateway's answer is not the plain success it previewed, driven through the MCP
// tools against the emulator with deterministic faults (no races): another writer's change in the answer
// (`tamper`) is a conflict; an answer lost with the state matching neither side is an unknown outcome that
// list_changes keeps; and the audit log is written ahead of the AWS call and completed before the tool answers.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

let s: Stack;
let target: { restApiId: string; resourceId: string; httpMethod: string };

/** The audit log's lines (objects), or [] before the first write. */
function auditLines(): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(s.auditLog, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** Waits (polling the event loop) until `ready` holds; the test's own timeout bounds it. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 5));
}

beforeAll(async () => {
  // Fast SDK retries in the server process.
  s = await startStack({ env: { APIGW_MCP_RETRY_BASE_MS: '1' } });
  const ids = await s.ids('shop', '/orders/{id}');
  target = { ...ids, httpMethod: 'GET' };
});
afterAll(() => s?.close());
beforeEach(() => {
  s.emulator.setFaults();
  s.emulator.resetCalls();
});

describe("API Gateway's answer differs from the preview", () => {
  it('reports conflict, with the other writer\'s value, when the update landed alongside a change nobody previewed', async () => {
    s.emulator.setFaults({ tamper: { operations: ['UpdateIntegration'], path: '/cacheNamespace', value: 'other-writer', count: 1 } });
    const r = await s.call('set_timeout', { ...target, timeoutInMillis: 8100 });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured.status).toBe('conflict');
    // The agent is shown what someone else changed.
    expect(JSON.stringify(r.structured)).toContain('other-writer');
    expect(s.emulator.calls().UpdateIntegration).toBe(1);
    expect(await s.integration(target.restApiId, target.resourceId, 'GET')).toMatchObject({ timeoutInMillis: 8100, cacheNamespace: 'other-writer' });
  });

  it('reports applied for the same write when the answer is the preview (the fault is what makes the conflict)', async () => {
    const r = await s.call('set_timeout', { ...target, timeoutInMillis: 8200 });
    expect(r.structured?.status, r.text).toBe('applied');
  });
});

describe('an answer that was lost', () => {
  it('is unknown_outcome when the state reads back as neither the preview nor the state before, and list_changes keeps it', async () => {
    // Every UpdateIntegration runs and loses its answer (the SDK's retries included); the first one also meets
    // another writer, so what reads back is neither what was previewed nor what was there before.
    s.emulator.setFaults({
      reset: { when: 'after', operations: ['UpdateIntegration'] },
      tamper: { operations: ['UpdateIntegration'], path: '/cacheNamespace', value: 'lost-answer-writer', count: 1 },
    });
    const r = await s.call('set_timeout', { ...target, timeoutInMillis: 8300 });
    s.emulator.setFaults();
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured.status).toBe('unknown_outcome');
    expect(s.emulator.faults()).toMatchObject({ tamper: 1 });
    expect(await s.integration(target.restApiId, target.resourceId, 'GET')).toMatchObject({ timeoutInMillis: 8300, cacheNamespace: 'lost-answer-writer' });
    // The change may have landed: it must not vanish from the history.
    const changes = (await s.call('list_changes', { restApiId: target.restApiId, limit: 200 })).structured.changes as Record<string, unknown>[];
    const listed = changes.filter((c) => JSON.stringify(c).includes('"8300"'));
    expect(listed, JSON.stringify(changes.slice(0, 3))).toHaveLength(1);
    if (r.structured.changeId !== undefined) expect(listed[0].changeId).toBe(r.structured.changeId);
    expect(JSON.stringify(listed[0])).toMatch(/unknown/i);
  });

  it('is an error, recorded as nothing applied, when the state reads back as before (the update never ran)', async () => {
    const before = await s.integration(target.restApiId, target.resourceId, 'GET');
    s.emulator.setFaults({ reset: { when: 'before', operations: ['UpdateIntegration'] } });
    const r = await s.call('set_timeout', { ...target, timeoutInMillis: 8400 });
    s.emulator.setFaults();
    expect(r.isError).toBe(true);
    expect(await s.integration(target.restApiId, target.resourceId, 'GET')).toEqual(before);
    const changes = (await s.call('list_changes', { restApiId: target.restApiId, limit: 200 })).structured.changes as Record<string, unknown>[];
    expect(changes.filter((c) => JSON.stringify(c).includes('"8400"') && c.undoable === true)).toEqual([]);
  });
});

describe('undo that fails', () => {
  it('leaves the change undoable: a refused undo does not mark it as undone', async () => {
    const r = await s.call('set_timeout', { ...target, timeoutInMillis: 8600 });
    expect(r.structured?.status, r.text).toBe('applied');
    s.emulator.setFaults({ conflict: { operations: ['UpdateIntegration'], count: 1 } });
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    s.emulator.setFaults();
    expect(undo.isError || undo.structured?.status !== 'applied', undo.text).toBe(true);
    const listed = (await s.call('list_changes', { restApiId: target.restApiId, limit: 200 })).structured.changes.find((c: any) => c.changeId === r.structured.changeId);
    expect(listed).toMatchObject({ undoable: true });
    expect(listed.undoneBy).toBeUndefined();
    // And it can still be undone.
    expect((await s.call('undo_change', { changeId: r.structured.changeId })).structured?.status).toBe('applied');
  });
});

describe('an undo whose answer was lost', () => {
  it('does not mark the change as undone while the undo\'s outcome is unknown', async () => {
    const r = await s.call('set_timeout', { ...target, timeoutInMillis: 8700 });
    expect(r.structured?.status, r.text).toBe('applied');
    s.emulator.setFaults({
      reset: { when: 'after', operations: ['UpdateIntegration'] },
      tamper: { operations: ['UpdateIntegration'], path: '/cacheNamespace', value: 'lost-undo-writer', count: 1 },
    });
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    s.emulator.setFaults();
    expect(undo.structured?.status, undo.text).toBe('unknown_outcome');
    const listed = (await s.call('list_changes', { restApiId: target.restApiId, limit: 200 })).structured.changes.find((c: any) => c.changeId === r.structured.changeId);
    expect(listed.undoneBy).toBeUndefined();
  });
});

describe('the audit log is written ahead', () => {
  it('holds the intent while UpdateIntegration is in flight, and the outcome as soon as the tool has answered', async () => {
    // The update waits in the emulator long enough for the log to be read meanwhile; nothing here is timed.
    s.emulator.setFaults({ latency: { ms: 3000, operations: ['UpdateIntegration'], count: 1 } });
    const pending = s.call('set_timeout', { ...target, timeoutInMillis: 8500 });
    await until(() => s.emulator.calls().UpdateIntegration === 1);
    const inFlight = auditLines().filter((l) => JSON.stringify(l).includes('"8500"'));
    expect(inFlight.map((l) => l.phase)).toEqual(['intent']);
    const r = await pending;
    expect(r.structured?.status, r.text).toBe('applied');
    // Read at once, before any other call: the outcome is already there, under the change's id.
    const done = auditLines().filter((l) => JSON.stringify(l).includes('"8500"'));
    expect(done).toHaveLength(2);
    expect(done[1].phase).not.toBe('intent');
    expect(done[1].changeId).toBe(r.structured.changeId);
    expect(done[0].changeId).toBe(r.structured.changeId);
  });
});
