// The early stdio transport on its own, with in-memory streams: what it answers before the SDK is there, what
// it hands the SDK, and that the SDK's own initialize answer is checked and not sent twice.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarlyStdio, initializeResult, MAX_LINE_CHARS } from '../src/earlyStdio.js';

const init = (id: number, protocolVersion = '2025-06-18') => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 't', version: '1' } } });

function rig() {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: any[] = [];
  output.on('data', (d) => String(d).split('\n').filter(Boolean).forEach((l) => written.push(JSON.parse(l))));
  const t = new EarlyStdio(input, output);
  const received: any[] = [];
  t.onmessage = (m) => received.push(m);
  const feed = (...ms: object[]) => input.write(ms.map((m) => JSON.stringify(m) + '\n').join(''));
  const tick = () => new Promise((r) => setImmediate(r));
  return { input, t, written, received, feed, tick };
}

afterEach(() => vi.restoreAllMocks());

describe('EarlyStdio', () => {
  it('answers a first initialize at once, and hands every message to the SDK in order once started', async () => {
    const { t, written, received, feed, tick } = rig();
    feed(init(1), { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await tick();
    expect(written).toEqual([{ jsonrpc: '2.0', id: 1, result: initializeResult('2025-06-18') }]);
    expect(received).toEqual([]);
    await t.start();
    expect(received.map((m) => m.method)).toEqual(['initialize', 'notifications/initialized', 'tools/list']);
  });

  it("drops the SDK's equal answer to that initialize, and says so when it differs", async () => {
    const { t, written, feed, tick } = rig();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    feed(init(7));
    await tick();
    await t.start();
    await t.send({ jsonrpc: '2.0', id: 7, result: initializeResult('2025-06-18') } as never);
    expect(written).toHaveLength(1);
    expect(stderr).not.toHaveBeenCalled();
    const other = rig();
    other.feed(init(8));
    await other.tick();
    await other.t.start();
    await other.t.send({ jsonrpc: '2.0', id: 8, result: { ...initializeResult('2025-06-18'), capabilities: {} } } as never);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('early initialize answer differs');
    expect(other.written).toHaveLength(1);
  });

  it('does not answer when the first message is not initialize (a 2026-07-28 opening), nor a later initialize', async () => {
    const { t, written, received, feed, tick } = rig();
    feed({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} }, init(2));
    await tick();
    expect(written).toEqual([]);
    await t.start();
    expect(received).toHaveLength(2);
    await t.send({ jsonrpc: '2.0', id: 2, result: { x: 1 } } as never);
    expect(written).toEqual([{ jsonrpc: '2.0', id: 2, result: { x: 1 } }]);
  });

  it('answers a line that is not JSON with a JSON-RPC parse error, and goes on', async () => {
    const { input, t, written, received, feed, tick } = rig();
    const errors: Error[] = [];
    t.onerror = (e) => errors.push(e);
    input.write('this is not json\n');
    feed(init(3));
    await tick();
    expect(written[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(written[1]).toMatchObject({ id: 3, result: { protocolVersion: '2025-06-18' } });
    expect(errors).toHaveLength(1);
    await t.start();
    expect(received.map((m) => m.method)).toEqual(['initialize']);
  });

  it('refuses a line over the limit with a parse error, drops it to its end, and goes on', async () => {
    const { input, t, written, received, feed, tick } = rig();
    const big = 'x'.repeat(1024 * 1024);
    for (let i = 0; i <= MAX_LINE_CHARS / big.length; i++) input.write(big);
    input.write('still the same line\n');
    feed(init(4));
    await tick();
    expect(written[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(written[1]).toMatchObject({ id: 4, result: { protocolVersion: '2025-06-18' } });
    expect(written).toHaveLength(2);
    await t.start();
    expect(received.map((m) => m.method)).toEqual(['initialize']);
  });

  it('keeps a character that arrives split across two chunks', async () => {
    const { input, t, received, tick } = rig();
    const bytes = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/x', params: { s: 'é😀' } }) + '\n');
    const cut = bytes.indexOf(Buffer.from('😀')) + 2;
    input.write(bytes.subarray(0, cut));
    input.write(bytes.subarray(cut));
    await tick();
    await t.start();
    expect(received[0].params.s).toBe('é😀');
  });

  it('negotiates like the SDK: a supported version is kept, another gets the newest', () => {
    expect(initializeResult('2024-11-05').protocolVersion).toBe('2024-11-05');
    expect(initializeResult('2030-01-01').protocolVersion).toBe('2025-11-25');
    expect(initializeResult(undefined).protocolVersion).toBe('2025-11-25');
  });

  it('reports stdin closed before the SDK started once it starts', async () => {
    const { input, t, tick } = rig();
    const closed = vi.fn();
    t.onclose = closed;
    input.end();
    await tick();
    expect(closed).not.toHaveBeenCalled();
    await t.start();
    expect(closed).toHaveBeenCalledOnce();
  });
});
