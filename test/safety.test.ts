// Human confirmation end to end, with real MCP clients of both eras and without elicitation, the approval page
// driven over HTTP and in a real headless browser, the audit log, undo, deploy_api, read-only and --allow-api.
// What reaches the emulator is counted: no risky change may arrive without a human's answer.
import { GetStagesCommand, UpdateIntegrationCommand } from '@aws-sdk/client-api-gateway';
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../src/patch/rules.js';
import { startStack, type Stack } from './harness.js';

const TLS_OFF = { httpMethod: 'GET', insecureSkipVerification: true };

async function orderTarget(s: Stack) {
  const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
  return { restApiId, resourceId, httpMethod: 'GET' };
}

/** Answers every elicitation with `answer`, and records the messages shown. */
function elicitingClient(answer: () => object | Promise<object>, shown: string[], era: 'legacy' | 'modern') {
  return {
    clientOptions: {
      capabilities: { elicitation: {} },
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
    setup: (client: any) =>
      client.setRequestHandler('elicitation/create', async (req: any) => {
        shown.push(req.params.message);
        return answer();
      }),
  } as const;
}

describe.each(['legacy', 'modern'] as const)('a %s-era client that can elicit', (era) => {
  let s: Stack;
  let answer: object = {};
  /** Runs while the human is deciding (once). */
  let meanwhile: (() => Promise<unknown>) | undefined;
  const shown: string[] = [];
  beforeAll(async () => {
    s = await startStack(
      elicitingClient(
        async () => {
          const run = meanwhile;
          meanwhile = undefined;
          await run?.();
          return answer;
        },
        shown,
        era,
      ),
    );
  });
  afterAll(() => s?.close());

  it('applies TLS verification off once the human accepts, after showing what, where and why', async () => {
    answer = { action: 'accept', content: { approve: true } };
    const t = await orderTarget(s);
    s.emulator.resetCalls();
    const r = await s.call('set_tls_verification', { ...t, insecureSkipVerification: true });
    expect(r.structured).toMatchObject({ status: 'applied', risk: 'confirm' });
    expect(shown.at(-1)!.startsWith('Turn off TLS certificate verification for GET /orders/{id} of API "shop"\nNeeds your approval because')).toBe(true);
    expect(shown.at(-1)).toContain('TLS certificate verification: verified (default) -> NOT verified (insecureSkipVerification: true)');
    expect(shown.at(-1)).not.toContain('undefined');
    expect(shown.at(-1)).toContain('man-in-the-middle');
    expect(shown.at(-1)).toContain('GET /orders/{id}');
    expect((await s.integration(t.restApiId, t.resourceId, 'GET')).tlsConfig).toEqual({ insecureSkipVerification: true });
    expect(s.emulator.calls().UpdateIntegration).toBe(1);
    const audit = readFileSync(s.auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ changeId: r.structured.changeId, confirmation: { via: 'elicitation' }, risk: 'confirm' });
  });

  it.each([
    ['declines', { action: 'decline' }],
    ['cancels', { action: 'cancel' }],
    ['answers false', { action: 'accept', content: { approve: false } }],
  ])('applies nothing when the human %s', async (_n, a) => {
    answer = a;
    const t = await orderTarget(s);
    s.emulator.resetCalls();
    const r = await s.call('update_integration', { ...t, uri: 'https://evil.example.com/{id}' });
    expect(r.structured.status).toBe('declined');
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    expect((await s.integration(t.restApiId, t.resourceId, 'GET')).uri).toBe('https://orders.example.com/orders/{id}');
  });

  it('never sends an accepted change over what someone else changed while the human was deciding', async () => {
    answer = { action: 'accept', content: { approve: true } };
    const t = await orderTarget(s);
    const theirs = 'https://theirs.example.com/orders/{id}';
    meanwhile = () => s.aws.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/uri', value: theirs }] }));
    const asked = shown.length;
    const r = await s.call('update_integration', { ...t, uri: 'https://ours.example.com/orders/{id}' });
    if (era === 'legacy') {
      // Asked during the call: the integration is read again before sending, and the change is not sent.
      expect(r.structured.status).toBe('conflict');
      expect(r.structured.message).toContain('changed while the human was deciding');
      expect((await s.integration(t.restApiId, t.resourceId, 'GET')).uri).toBe(theirs);
    } else {
      // Asked by input_required: the retry reads anew, sees another integration, and asks again about it.
      expect(shown.length - asked).toBe(2);
      expect(shown.at(-1)).toContain(theirs);
      expect(r.structured.status).toBe('applied');
    }
    await s.aws.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/uri', value: 'https://orders.example.com/orders/{id}' }] }));
  });

  it('asks nobody for a safe change', async () => {
    const before = shown.length;
    const r = await s.call('set_timeout', { ...(await orderTarget(s)), timeoutInMillis: 8000 });
    expect(r.structured.status).toBe('applied');
    expect(shown.length).toBe(before);
  });

  it('asks before a deployment, listing each difference that would go live without "undefined", and deploys nothing on decline', async () => {
    answer = { action: 'decline' };
    s.emulator.resetCalls();
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod' });
    expect(r.structured.status).toBe('declined');
    const d = r.structured.differences.find((x: any) => x.setting === '/tlsConfig/insecureSkipVerification');
    expect(d).toMatchObject({ method: 'GET /orders/{id}', working: true, madeBy: 'this server' });
    // The server's words first, then the differences (from AWS's own export) with the change that made each.
    expect(shown.at(-1)).toMatch(/^Deploy \d+ changes? to stage prod of [^\n]*\nNeeds your approval because/);
    expect(shown.at(-1)).toContain('GET /orders/{id}');
    expect(shown.at(-1)).toContain(d.changeId);
    expect(shown.at(-1)).not.toContain('undefined');
    expect(s.emulator.calls().CreateDeployment).toBeUndefined();
  });
});

describe('a 2026-07-28 client that answers without being asked (manual mode)', () => {
  let s: Stack;
  const ACCEPT = { confirm: { action: 'accept', content: { approve: true } } };
  beforeAll(async () => {
    s = await startStack({
      clientOptions: { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } }, inputRequired: { autoFulfill: false } } as never,
    });
  });
  afterAll(() => s?.close());

  const raw = (params: Record<string, unknown>) => s.client.callTool(params as never, { allowInputRequired: true } as never) as Promise<any>;

  it('takes an accept sent with the first call for no answer: it asks, and sends no update', async () => {
    const t = await orderTarget(s);
    s.emulator.resetCalls();
    const r = await raw({ name: 'set_tls_verification', arguments: { ...t, ...TLS_OFF }, inputResponses: ACCEPT });
    expect(r.inputRequests?.confirm).toBeDefined();
    expect(typeof r.requestState).toBe('string');
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('takes a forged state for no answer', async () => {
    const t = await orderTarget(s);
    s.emulator.resetCalls();
    const r = await raw({ name: 'set_tls_verification', arguments: { ...t, ...TLS_OFF }, inputResponses: ACCEPT, requestState: 'v1.eyJwIjp7fX0.AAAA' });
    expect(r.inputRequests?.confirm).toBeDefined();
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('applies on its own state with an accept, once: the same state replayed is asked again', async () => {
    const t = await orderTarget(s);
    // Undo restores a value, not an absent field: start from verification explicitly on (the tool sees no change in that).
    await s.aws.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'false' }] }));
    const asked = await raw({ name: 'set_tls_verification', arguments: { ...t, ...TLS_OFF } });
    const answer = { name: 'set_tls_verification', arguments: { ...t, ...TLS_OFF }, inputResponses: ACCEPT, requestState: asked.requestState };
    const original = await s.integration(t.restApiId, t.resourceId, 'GET');
    const applied = await raw(answer);
    expect(applied.structuredContent?.status).toBe('applied');
    // Back to exactly the state the answer was bound to: only single use can refuse the replay now.
    expect((await s.call('undo_change', { changeId: applied.structuredContent.changeId })).structured.status).toBe('applied');
    expect(await s.integration(t.restApiId, t.resourceId, 'GET')).toEqual(original);
    s.emulator.resetCalls();
    const replay = await raw(answer);
    expect(replay.inputRequests?.confirm).toBeDefined();
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('takes a state minted for another change for no answer', async () => {
    const t = await orderTarget(s);
    const asked = await raw({ name: 'update_integration', arguments: { ...t, uri: 'https://harmless.example.com/{id}' } });
    s.emulator.resetCalls();
    const r = await raw({ name: 'set_tls_verification', arguments: { ...t, ...TLS_OFF }, inputResponses: ACCEPT, requestState: asked.requestState });
    expect(r.inputRequests?.confirm).toBeDefined();
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });
});

describe('a client without elicitation: the approval page', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(() => s?.close());

  async function requestApproval() {
    const t = await orderTarget(s);
    const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF });
    expect(r.structured.status).toBe('approval_required');
    return { t, id: r.structured.approvalId as string, url: r.structured.approvalUrl as string };
  }

  async function decide(url: string, decision: 'approve' | 'reject', headers: Record<string, string> = {}, token?: string) {
    const html = await (await fetch(url)).text();
    const pageToken = token ?? /name="token" value="([^"]+)"/.exec(html)![1];
    const origin = new URL(url).origin;
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers }, body: new URLSearchParams({ token: pageToken, decision }) });
  }

  it('shows the target, the diff, the risk and its reason on a loopback page', async () => {
    const { url } = await requestApproval();
    const html = await (await fetch(url)).text();
    expect(html).toContain('Turn off TLS certificate verification for GET /orders/{id} of API &quot;shop&quot;');
    expect(html).toContain('<div class="setting">TLS certificate verification</div><div><span class="old"><i>verified (default)</i></span>');
    expect(html).not.toContain('undefined');
    expect(html).toContain('man-in-the-middle');
    expect(html).toContain('GET /orders/{id}');
    expect(html).toContain('Approve');
  });

  it('says pending until decided, applies once approved, and the approval cannot be used twice', async () => {
    const { t, id, url } = await requestApproval();
    s.emulator.resetCalls();
    const pending = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(pending.structured.status).toBe('approval_pending');
    expect((await decide(url, 'approve')).status).toBe(200);
    const applied = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(applied.structured.status).toBe('applied');
    expect(s.emulator.calls().UpdateIntegration).toBe(1);
    const again = await s.call('set_tls_verification', { ...t, insecureSkipVerification: false, confirmation: id });
    expect(again.structured.status).toBe('applied'); // turning it back on needs nobody
    const replay = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(replay.isError).toBe(true);
    expect(replay.text).toContain(`approvalId ${id} was already used for the change it approved`);
    expect(replay.text).not.toContain('restart');
    // The page says so too, instead of "may have expired".
    const page = await fetch(url);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('already used');
  });

  it('applies nothing when the human rejects', async () => {
    const { t, id, url } = await requestApproval();
    await decide(url, 'reject');
    s.emulator.resetCalls();
    const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(r.structured.status).toBe('declined');
    const again = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(again.isError).toBe(true);
    expect(again.text).toContain(`approvalId ${id} was rejected by the human`);
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('refuses an approval for different arguments, or after the integration changed', async () => {
    const { t, id, url } = await requestApproval();
    await decide(url, 'approve');
    await s.call('set_timeout', { ...t, timeoutInMillis: 7777 });
    s.emulator.resetCalls();
    const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(r.structured.status).toBe('conflict');
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('refuses a retry with other arguments without using up the approval: the approved arguments still apply', async () => {
    const { t, id, url } = await requestApproval();
    await decide(url, 'approve');
    s.emulator.resetCalls();
    const wrong = await s.call('update_integration', { ...t, uri: 'https://other.example.com/{id}', confirmation: id });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toContain(`approvalId ${id} is for a different change`);
    expect(wrong.text).toContain('is for a different change: Turn off TLS certificate verification for GET /orders/{id} of API "shop"');
    expect(wrong.text).toContain('stays valid');
    const right = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(right.structured.status).toBe('applied');
    expect(s.emulator.calls().UpdateIntegration).toBe(1);
    await s.call('set_tls_verification', { ...t, insecureSkipVerification: false });
  });

  it('says a pending approval used on another method is for another change, and it stays pending', async () => {
    const { t, id, url } = await requestApproval();
    const r = await s.call('set_tls_verification', { ...t, httpMethod: 'DELETE', insecureSkipVerification: true, confirmation: id });
    expect(r.isError).toBe(true);
    expect(r.text).toContain(`approvalId ${id} is for a different change`);
    expect(r.text).not.toContain('Not decided yet');
    expect(await (await fetch(url)).text()).toContain('name="decision"'); // still pending
    expect((await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id })).structured.status).toBe('approval_pending');
  });

  it('says an unknown approvalId does not survive a restart, and names the confirmation field', async () => {
    const t = await orderTarget(s);
    const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: 'apr_AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('do not survive a restart');
    expect(r.text).toContain('without the confirmation field');
  });

  /** POSTs a decision with exactly these headers (node:http: fetch cannot set Host); answers the status code. */
  async function post(url: string, headers: Record<string, string | undefined>, body: string): Promise<number> {
    const http = await import('node:http');
    const u = new URL(url);
    const sent = Object.fromEntries(Object.entries({ host: u.host, 'content-type': 'application/x-www-form-urlencoded', ...headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return new Promise<number>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: sent }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The page's token, from its form (attribute order does not matter). */
  async function pageToken(url: string): Promise<string> {
    const html = await (await fetch(url)).text();
    const input = /<input\b[^>]*\bname="token"[^>]*>/.exec(html)![0];
    return /\bvalue="([^"]+)"/.exec(input)![1];
  }

  // Each case differs from an accepted POST in one header or field only, so it is that one guard that refuses it.
  it.each([
    ['no Origin', { origin: undefined }, undefined],
    ['a foreign Origin', { origin: 'http://evil.example' }, undefined],
    ['Origin "null" (a sandboxed or no-referrer form)', { origin: 'null' }, undefined],
    ['a foreign Host (DNS rebinding), with the right Origin', { host: 'evil.example' }, undefined],
    ['a foreign Host on the right port, with the right Origin', { host: 'evil.example:PORT' }, undefined],
    ['a wrong page token', {}, 'wrong-token'],
    ['no page token', {}, null],
  ] as const)('refuses an approval POST with %s, and nothing gets approved', async (_n, headers, token) => {
    const { t, id, url } = await requestApproval();
    const right = await pageToken(url);
    const u = new URL(url);
    const good = { origin: u.origin, host: u.host };
    const tweaked = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v?.replace('PORT', u.port)]));
    const form = (tok: string | null) => new URLSearchParams(tok === null ? { decision: 'approve' } : { token: tok, decision: 'approve' }).toString();
    expect(await post(url, { ...good, ...tweaked }, form(token === undefined ? right : token))).toBe(403);
    s.emulator.resetCalls();
    const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id });
    expect(r.structured?.status, r.text).toBe('approval_pending');
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    // The same POST with that one thing right is accepted: the refusal above was that guard's.
    expect(await post(url, good, form(right))).toBe(200);
    expect((await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id })).structured?.status).toBe('applied');
    await s.call('set_tls_verification', { ...t, insecureSkipVerification: false });
  });

  it('never lets an op that needs a human reach UpdateIntegration without an answer (every confirm row of the rules table)', async () => {
    const t = await orderTarget(s);
    const risky = RULES.filter((r) => r.resource === 'integration' && (r.risk === 'confirm' || r.riskByValue));
    const values: Record<string, string> = {
      '/uri': 'https://other.example.com/{id}',
      '/httpMethod': 'POST',
      '/credentials': 'arn:aws:iam::123456789012:role/x',
      '/connectionType': 'VPC_LINK',
      '/connectionId': 'abc123',
      '/tlsConfig/insecureSkipVerification': 'true',
      '/integrationTarget': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1',
    };
    s.emulator.resetCalls();
    for (const rule of risky) {
      const ops = [{ op: 'replace', path: rule.path, value: values[rule.path] }];
      // A VPC link needs both fields; each row is still the one under test (the other is the same in both cases).
      if (rule.path === '/connectionId') ops.unshift({ op: 'replace', path: '/connectionType', value: 'VPC_LINK' });
      if (rule.path === '/connectionType') ops.push({ op: 'replace', path: '/connectionId', value: 'abc123' });
      const r = await s.call('patch_integration', { ...t, patchOperations: ops });
      expect(r.structured?.status, `${rule.path}: ${r.text}`).toBe('approval_required');
    }
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });
});

describe('fallbacks: token and deny', () => {
  it('token: applies only with the bound one-time token', async () => {
    const s = await startStack({ serverArgs: ['--confirm-fallback', 'token'] });
    try {
      const t = await orderTarget(s);
      // Undo restores a value, not an absent field: start from verification explicitly on (the tool sees no change in that).
      await s.aws.send(new UpdateIntegrationCommand({ ...t, patchOperations: [{ op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'false' }] }));
      const first = await s.call('set_tls_verification', { ...t, ...TLS_OFF });
      expect(first.structured.status).toBe('confirmation_required');
      const original = await s.integration(t.restApiId, t.resourceId, 'GET');
      const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: first.structured.confirmToken });
      expect(r.structured.status).toBe('applied');
      // Back to exactly the state the token was bound to, so the replay is not a no_change: only single use refuses it.
      expect((await s.call('undo_change', { changeId: r.structured.changeId })).structured.status).toBe('applied');
      expect(await s.integration(t.restApiId, t.resourceId, 'GET')).toEqual(original);
      s.emulator.resetCalls();
      const replay = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: first.structured.confirmToken });
      expect(replay.isError).toBe(true);
      expect(replay.text).toMatch(/confirmToken is unknown, used or expired/);
      expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('deny: refuses before any AWS call', async () => {
    const s = await startStack({ serverArgs: ['--confirm-fallback', 'deny'] });
    try {
      const t = await orderTarget(s);
      s.emulator.resetCalls();
      const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('--confirm-fallback deny');
      expect(s.emulator.calls()).toEqual({});
    } finally {
      await s.close();
    }
  });
});

describe('audit log, undo and deploy', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ serverArgs: ['--confirm-fallback', 'token'] });
  });
  afterAll(() => s?.close());

  it('lists applied changes newest first, and undo restores the exact previous integration', async () => {
    const t = await orderTarget(s);
    const original = await s.integration(t.restApiId, t.resourceId, 'GET');
    const r = await s.call('update_integration', { ...t, timeoutInMillis: 9000, requestTemplates: { 'text/plain': 'x' }, cacheKeyParameters: { remove: ['method.request.path.id'] } });
    expect(r.structured.status).toBe('applied');
    const list = await s.call('list_changes', { restApiId: t.restApiId });
    expect(list.structured.changes[0]).toMatchObject({ changeId: r.structured.changeId, undoable: true, confirmedBy: 'not_needed' });
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('applied');
    expect(await s.integration(t.restApiId, t.resourceId, 'GET')).toEqual(original);
    s.emulator.resetCalls();
    const twice = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(twice.isError).toBe(true);
    expect(twice.text).toContain(`${r.structured.changeId} was already undone by ${undo.structured.changeId}`);
    expect(s.emulator.calls()).toEqual({});
    // list_changes says so too; the change was made by id, and is found by the API's name as well.
    await s.call('set_timeout', { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET', timeoutInMillis: 9100 });
    const byName = await s.call('list_changes', { apiName: 'shop', limit: 200 });
    expect(byName.structured.changes.find((c: any) => c.changeId === r.structured.changeId)).toMatchObject({ undoable: false, undoneBy: undo.structured.changeId });
    const none = await s.call('list_changes', { apiName: 'no-such-api' });
    expect(none.structured.changes).toEqual([]);
    expect(none.structured.message).toMatch(new RegExp(`No change recorded for no-such-api. APIs with recorded changes: shop \\(${t.restApiId}\\)`));
  });

  it('undoes a change again once its undo was itself undone', async () => {
    const t = await orderTarget(s);
    const r = await s.call('set_timeout', { ...t, timeoutInMillis: 6100 });
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    const redo = await s.call('undo_change', { changeId: undo.structured.changeId });
    expect(redo.structured.status).toBe('applied');
    expect((await s.integration(t.restApiId, t.resourceId, 'GET')).timeoutInMillis).toBe(6100);
    expect((await s.call('undo_change', { changeId: r.structured.changeId })).structured.status).toBe('applied');
  });

  it('records a change refused by AWS as nothing, and one whose outcome was never written as unknown (not undoable)', async () => {
    const t = await orderTarget(s);
    s.emulator.setFaults({ conflict: { operations: ['UpdateIntegration'], count: 1 } });
    const refused = await s.call('set_timeout', { ...t, timeoutInMillis: 7100 });
    s.emulator.setFaults(undefined);
    expect(refused.isError).toBe(true);
    const listed = (await s.call('list_changes', { limit: 200 })).structured.changes;
    expect(listed.some((c: any) => c.ops?.[0]?.value === '7100')).toBe(false);
    // A crash between the AWS call and its record leaves the intent line only.
    const lines = readFileSync(s.auditLog, 'utf8').trim().split('\n');
    const last = { ...JSON.parse(lines.at(-1)!), changeId: 'chg_crashed_000000000000', phase: 'intent' };
    appendFileSync(s.auditLog, `${JSON.stringify(last)}\n`);
    const crashed = (await s.call('list_changes', {})).structured.changes[0];
    expect(crashed).toMatchObject({ changeId: 'chg_crashed_000000000000', undoable: false });
    expect(crashed.outcome).toMatch(/^unknown/);
    const undo = await s.call('undo_change', { changeId: 'chg_crashed_000000000000' });
    expect(undo.isError).toBe(true);
    expect(undo.text).toContain('has no recorded outcome');
  });

  it('refuses to undo a change whose integration changed since', async () => {
    const t = await orderTarget(s);
    const r = await s.call('set_timeout', { ...t, timeoutInMillis: 4000 });
    await s.call('set_timeout', { ...t, timeoutInMillis: 4100 });
    s.emulator.resetCalls();
    const undo = await s.call('undo_change', { changeId: r.structured.changeId });
    expect(undo.structured.status).toBe('conflict');
    expect(undo.structured.diff).toEqual([{ path: '/timeoutInMillis', before: 4000, after: 4100 }]);
    expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
  });

  it('takes a confirmation given for names on a retry that uses ids: the same change', async () => {
    const t = await orderTarget(s);
    await s.call('set_tls_verification', { ...t, insecureSkipVerification: false });
    const ask = await s.call('set_tls_verification', { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET', ...TLS_OFF });
    expect(ask.structured.status).toBe('confirmation_required');
    const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: ask.structured.confirmToken });
    expect(r.structured.status).toBe('applied');
    expect((await s.call('set_tls_verification', { ...t, insecureSkipVerification: false })).structured.status).toBe('applied');
  });

  it('rates an undo by what it sends: undoing "TLS off" asks nobody; undoing a new backend asks a human', async () => {
    const t = await orderTarget(s);
    const ask = await s.call('set_tls_verification', { ...t, ...TLS_OFF });
    const off = await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: ask.structured.confirmToken });
    expect(off.structured.status).toBe('applied');
    const on = await s.call('undo_change', { changeId: off.structured.changeId });
    expect(on.structured).toMatchObject({ status: 'applied', risk: 'safe' });

    const original = (await s.integration(t.restApiId, t.resourceId, 'GET')).uri;
    const moveAsk = await s.call('update_integration', { ...t, uri: 'https://new.example.com/orders/{id}' });
    const moved = await s.call('update_integration', { ...t, uri: 'https://new.example.com/orders/{id}', confirmation: moveAsk.structured.confirmToken });
    expect(moved.structured.status).toBe('applied');
    const preview = await s.call('undo_change', { changeId: moved.structured.changeId, dryRun: true });
    expect(preview.structured).toMatchObject({ status: 'dry_run', risk: 'confirm' });
    expect(preview.structured.riskReasons.join(' ')).toContain('/uri');
    const back = await s.call('undo_change', { changeId: moved.structured.changeId });
    expect(back.structured.status).toBe('confirmation_required');
    const done = await s.call('undo_change', { changeId: moved.structured.changeId, confirmation: back.structured.confirmToken });
    expect(done.structured.status).toBe('applied');
    expect((await s.integration(t.restApiId, t.resourceId, 'GET')).uri).toBe(original);
  });

  it('deploys only with a human OK, listing the differences that go live', async () => {
    const { restApiId } = await orderTarget(s);
    const first = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', description: 'ship it' });
    expect(first.structured.status).toBe('confirmation_required');
    expect(first.structured.differences.length).toBeGreaterThan(0);
    s.emulator.resetCalls();
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', description: 'ship it', confirmation: first.structured.confirmToken });
    expect(r.structured.status).toBe('applied');
    expect(s.emulator.calls().CreateDeployment).toBe(1);
    const stages = await s.aws.send(new GetStagesCommand({ restApiId }));
    expect(stages.item!.find((x) => x.stageName === 'prod')!.deploymentId).toBe(r.structured.deploymentId);
    // Recorded once, as applied (the intent line written ahead is superseded).
    const deployments = (await s.call('list_changes', { limit: 200 })).structured.changes.filter((c: any) => c.kind === 'deployment');
    expect(deployments.filter((c: any) => c.changeId === r.structured.changeId || c.deploymentId === r.structured.deploymentId)).toHaveLength(1);
    expect(deployments.some((c: any) => c.outcome)).toBe(false);
    // The result describes the stage as it is now: serving the new deployment, nothing left undeployed.
    expect(r.structured).toMatchObject({ currentDeploymentId: r.structured.deploymentId, differences: first.structured.differences });
    expect(r.structured.message).toContain(`${first.structured.differences.length} difference`);
  });
});

describe('scope controls', () => {
  it('--read-only registers no write tool', async () => {
    const s = await startStack({ serverArgs: ['--read-only'] });
    try {
      const names = (await s.client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(['audit_integrations', 'diff_stage', 'get_integration', 'list_apis', 'list_changes', 'list_integrations', 'list_stages']);
      // The audit still says what to fix, but offers no call this server could make.
      const audit = await s.call('audit_integrations', { apiName: 'legacy-billing' });
      expect(audit.structured.findings.length).toBeGreaterThan(0);
      for (const f of audit.structured.findings) expect(f).toMatchObject({ ready: false, needs: { kind: expect.any(String) } });
      expect(audit.structured.findings.some((f: any) => /--read-only/.test(f.needs.what))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('--allow-api refuses writes to other APIs and allows the named one', async () => {
    const s = await startStack({ serverArgs: ['--allow-api', 'shop'] });
    try {
      const inv = await s.call('set_timeout', { apiName: 'inventory', resourcePath: '/items', httpMethod: 'GET', timeoutInMillis: 5000 });
      expect(inv.isError).toBe(true);
      expect(inv.text).toContain('not allowed by this server (--allow-api): allowed: shop');
      const ok = await s.call('set_timeout', { ...(await orderTarget(s)), timeoutInMillis: 5000 });
      expect(ok.structured.status).toBe('applied');
    } finally {
      await s.close();
    }
  });
});

// The approval page in a real browser (two widths, screenshots, Approve clicked): test/approval-page.test.ts.
