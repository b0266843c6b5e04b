// The approval page at the HTTP level (status codes, headers, and what the agent can then apply), for the guards a
// mutation run found unguarded: a decision is final, only POST decides, only "approve" or "reject" is a decision,
// the body is bounded, unknown paths are 404, and the page cannot be framed or cached.
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

let s: Stack;
let t: { restApiId: string; resourceId: string; httpMethod: string };
const TLS_OFF = { insecureSkipVerification: true };

beforeAll(async () => {
  s = await startStack();
  const ids = await s.ids('shop', '/orders/{id}');
  t = { ...ids, httpMethod: 'GET' };
});
afterAll(() => s?.close());

async function requestApproval(): Promise<{ id: string; url: string; token: string }> {
  // Verification back on first, so every test asks about the same change.
  await s.call('set_tls_verification', { ...t, insecureSkipVerification: false });
  const r = await s.call('set_tls_verification', { ...t, ...TLS_OFF });
  expect(r.structured.status).toBe('approval_required');
  const url = r.structured.approvalUrl as string;
  const html = await (await fetch(url)).text();
  const input = /<input\b[^>]*\bname="token"[^>]*>/.exec(html)![0];
  return { id: r.structured.approvalId, url, token: /\bvalue="([^"]+)"/.exec(input)![1] };
}

/** Sends `method` to the page with the right Host and Origin; answers the status code. */
function send(url: string, method: string, body: string, path?: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: path ?? u.pathname, method, headers: { host: u.host, origin: u.origin, 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const form = (token: string, decision: string) => new URLSearchParams({ token, decision }).toString();
const agentRetry = async (id: string) => (await s.call('set_tls_verification', { ...t, ...TLS_OFF, confirmation: id })).structured?.status;

it('a decision is final: a reject after the approve is refused with 409, and the approval still applies', async () => {
  const { id, url, token } = await requestApproval();
  expect(await send(url, 'POST', form(token, 'approve'))).toBe(200);
  expect(await send(url, 'POST', form(token, 'reject'))).toBe(409);
  expect(await agentRetry(id)).toBe('applied');
});

it('an approve after a reject is refused with 409, and nothing is applied', async () => {
  const { id, url, token } = await requestApproval();
  expect(await send(url, 'POST', form(token, 'reject'))).toBe(200);
  expect(await send(url, 'POST', form(token, 'approve'))).toBe(409);
  s.emulator.resetCalls();
  expect(await agentRetry(id)).toBe('declined');
  expect(s.emulator.calls().UpdateIntegration).toBeUndefined();
});

it('only POST decides: a PUT with the right token, Host and Origin is 405, and the request stays pending', async () => {
  const { id, url, token } = await requestApproval();
  expect(await send(url, 'PUT', form(token, 'approve'))).toBe(405);
  expect(await agentRetry(id)).toBe('approval_pending');
});

it('a decision other than approve or reject is 400, and the request stays pending', async () => {
  const { id, url, token } = await requestApproval();
  expect(await send(url, 'POST', form(token, 'maybe'))).toBe(400);
  expect(await agentRetry(id)).toBe('approval_pending');
});

it('an oversized body is not read as a decision, and the request stays pending', async () => {
  const { id, url, token } = await requestApproval();
  const status = await send(url, 'POST', `${form(token, 'approve')}&pad=${'x'.repeat(8192)}`).catch(() => 0);
  expect(status).not.toBe(200);
  expect(await agentRetry(id)).toBe('approval_pending');
});

it('answers 404 for an unknown approval and for paths around a real one', async () => {
  const { id, url, token } = await requestApproval();
  const path = new URL(url).pathname;
  expect(await send(url, 'POST', form(token, 'approve'), '/approve/apr_AAAAAAAAAAAAAAAAAAAAAAAA')).toBe(404);
  expect(await send(url, 'POST', form(token, 'approve'), `/x${path}`)).toBe(404);
  expect(await send(url, 'POST', form(token, 'approve'), `${path}/x`)).toBe(404);
  expect(await agentRetry(id)).toBe('approval_pending');
});

it('serves the page so that it cannot be framed (clickjacking) or cached', async () => {
  const { url } = await requestApproval();
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
});
