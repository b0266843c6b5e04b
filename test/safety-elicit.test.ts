// Elicitation through the real SDK on both eras: a 2025-era client is sent `elicitation/create` from the tool call,
// and a client that never answers gets `declined` once the approval TTL runs out (not a call that hangs); a
// 2026-07-28 client gets `input_required` at once, so nothing waits on the server.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer, isInputRequiredResult } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { Confirmer } from '../src/safety/confirm.js';
import { pushElicitation } from '../src/safety/elicit.js';
import { settle } from '../src/safety/verdict.js';
import type { HumanView } from '../src/safety/view.js';

const proposal = {
  binding: 'b1',
  change: 'c1',
  view: {
    title: 'Point GET /orders of API "shop" at a different backend',
    kind: 'change',
    api: { id: 'a1', name: 'shop' },
    backend: 'b',
    risk: 'confirm',
    reasons: ['it points the method at a different backend'],
    groups: [{ heading: 'Integration of GET /orders', action: 'update', changes: [{ setting: 'Backend URL', before: { value: 'https://old' }, after: { value: 'https://x' } }] }],
  } satisfies HumanView,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server with one tool that asks through the Confirmer the way write tools do, and a connected client. */
async function connect(answer: (req: any, ctx: any) => Promise<object>, clientOptions: object = {}) {
  const confirmer = new Confirmer({ fallback: 'page', elicitation: true, ttlSeconds: 1 });
  // One factory for both eras, served the way the CLI serves stdio (the opening message picks the era).
  const factory = () => {
    const server = new McpServer({ name: 't', version: '1' }, { capabilities: { tools: {} } });
    server.registerTool('risky', { description: 'asks first' }, async (ctx) => {
      const state = ctx.mcpReq.requestState();
      const settled = settle(
        await confirmer.decide(proposal, {
          canElicit: true,
          ...(typeof state === 'string' ? { requestState: state } : {}),
          ...(ctx.mcpReq.inputResponses ? { inputResponses: ctx.mcpReq.inputResponses } : {}),
          ...pushElicitation(server, ctx),
        }),
      );
      if (settled.kind === 'ask') return settled.result;
      const out = settled.kind === 'go' ? { status: 'applied', message: 'ok' } : settled.fields;
      return { content: [{ type: 'text' as const, text: JSON.stringify(out) }], structuredContent: out };
    });
    return server;
  };
  const client = new Client({ name: 't', version: '1' }, { capabilities: { elicitation: {} }, ...clientOptions } as never);
  client.setRequestHandler('elicitation/create', answer as never);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(factory, { transport: a });
  await client.connect(b);
  closers.push(() => client.close(), () => served.close(), () => confirmer.close());
  return client;
}

describe('a 2025-era client', () => {
  it('gets declined, with how to retry, when nobody answers within the approval TTL; the question is withdrawn', async () => {
    const asked: AbortSignal[] = [];
    const client = await connect((_req, ctx) => {
      asked.push(ctx.mcpReq.signal);
      return new Promise(() => {}); // shown, never answered
    });
    const r = (await client.callTool({ name: 'risky', arguments: {} })) as any;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.status).toBe('declined');
    expect(r.structuredContent.message).toContain('No answer to the confirmation question within 1 s (--approval-ttl), so nothing was sent');
    expect(r.structuredContent.message).toContain('call this tool again with the same arguments');
    expect(asked).toHaveLength(1);
    expect(asked[0].aborted).toBe(true);
  });

  it.each([
    ['accepts', { action: 'accept', content: { approve: true } }, 'applied'],
    ['declines', { action: 'decline' }, 'declined'],
    ['accepts without the field', { action: 'accept', content: {} }, 'declined'],
  ])('is asked in the same call and the answer counts when the human %s', async (_n, answer, status) => {
    const shown: string[] = [];
    const client = await connect(async (req) => {
      shown.push(req.params.message);
      return answer;
    });
    const r = (await client.callTool({ name: 'risky', arguments: {} })) as any;
    expect(r.structuredContent.status).toBe(status);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('Backend URL: "https://old" -> "https://x"');
  });

  it('gets an error result that says what to do when the client fails to show the question', async () => {
    const client = await connect(async () => {
      throw new Error('no dialog here');
    });
    const r = (await client.callTool({ name: 'risky', arguments: {} })) as any;
    // settle throws a ToolError for a refusal; this bare server turns it into the SDK's error result.
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toContain('--no-elicitation');
  });
});

describe('a 2026-07-28 client', () => {
  it('gets input_required at once: the server sends no request and waits for nothing', async () => {
    let asked = 0;
    const client = await connect(
      async () => {
        asked++;
        return {};
      },
      { versionNegotiation: { mode: { pin: '2026-07-28' } }, inputRequired: { autoFulfill: false } },
    );
    const r = await client.callTool({ name: 'risky', arguments: {} } as never, { allowInputRequired: true } as never);
    expect(isInputRequiredResult(r)).toBe(true);
    expect((r as any).inputRequests.confirm.params.message).toContain('GET /orders of API "shop"');
    expect(asked).toBe(0);
  });
});
