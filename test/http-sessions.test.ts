// The bounds on 2025-era HTTP sessions: the least recently used one makes room (never one with a call waiting for
// a human), an idle one expires, and an ended session answers 404 so its client starts a new one. Real SDK servers and transports, fetch-shaped requests.
import { McpServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LegacySessions, SESSION_LIMITS } from '../src/httpSessions.js';

const URL_ = 'http://127.0.0.1/mcp';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
const factory = () => new McpServer({ name: 't', version: '1' }, { capabilities: { tools: {} } });

const post = (sessions: LegacySessions, body: unknown, id?: string) =>
  sessions.fetch(new Request(URL_, { method: 'POST', headers: { ...HEADERS, ...(id ? { 'mcp-session-id': id } : {}) }, body: JSON.stringify(body) }));

async function open(sessions: LegacySessions): Promise<string> {
  const r = await post(sessions, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
  expect(r.status).toBe(200);
  await r.text();
  const id = r.headers.get('mcp-session-id')!;
  expect((await post(sessions, { jsonrpc: '2.0', method: 'notifications/initialized' }, id)).status).toBe(202);
  return id;
}

const ping = async (sessions: LegacySessions, id: string) => {
  const r = await post(sessions, { jsonrpc: '2.0', id: 9, method: 'ping' }, id);
  await r.text();
  return r.status;
};

let live: LegacySessions[] = [];
const make = (limits: Partial<typeof SESSION_LIMITS>) => {
  const s = new LegacySessions(factory, { ...SESSION_LIMITS, ...limits });
  live.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(live.map((s) => s.close()));
  live = [];
});

describe('2025-era HTTP sessions', () => {
  it('closes the least recently used session to make room; its client gets 404', async () => {
    const sessions = make({ maxSessions: 2 });
    const a = await open(sessions);
    const b = await open(sessions);
    expect(await ping(sessions, a)).toBe(200); // a is now more recent than b
    const c = await open(sessions);
    expect(sessions.size).toBe(2);
    expect(await ping(sessions, b)).toBe(404);
    expect(await ping(sessions, a)).toBe(200);
    expect(await ping(sessions, c)).toBe(200);
  });

  it('never evicts nor idles out a session with a call waiting for a human: the next least recent goes instead', async () => {
    const waiting = new Set<string>();
    const sessions = make({ maxSessions: 2, keep: (id) => waiting.has(id) });
    const a = await open(sessions);
    waiting.add(a);
    const b = await open(sessions);
    const c = await open(sessions);
    expect(await ping(sessions, a)).toBe(200);
    expect(await ping(sessions, b)).toBe(404);
    expect(await ping(sessions, c)).toBe(200);
    const idle = make({ idleMs: 30, keep: (id) => waiting.has(id) });
    const d = await open(idle);
    waiting.add(d);
    const e = await open(idle);
    await vi.waitFor(() => expect(idle.size).toBe(1), { timeout: 5000, interval: 20 });
    expect(await ping(idle, e)).toBe(404);
    expect(await ping(idle, d)).toBe(200);
  });

  it('closes a session idle for longer than the limit', async () => {
    const sessions = make({ idleMs: 30 });
    const a = await open(sessions);
    await vi.waitFor(() => expect(sessions.size).toBe(0), { timeout: 5000, interval: 20 });
    expect(await ping(sessions, a)).toBe(404);
  });

  it('opens no session for a refused initialize', async () => {
    const sessions = make({});
    const r = await post(sessions, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } });
    await r.text();
    expect(r.headers.get('mcp-session-id')).toBeNull();
    expect(sessions.size).toBe(0);
  });

  it('ends every session on close', async () => {
    const sessions = make({});
    const a = await open(sessions);
    await sessions.close();
    expect(sessions.size).toBe(0);
    expect(await ping(sessions, a)).toBe(404);
  });
});
