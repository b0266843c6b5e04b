// What a person reads before approving, from the one renderer: the server's summary and reasons first, every value
// quoted on one line and cut, the whole bounded; and the approval page in headless Chromium at 1280 and 390 px (a
// TLS change, a deploy and a batch), with screenshots in test/screenshots/ for a person to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSteps } from '../src/plan/check.js';
import { Model } from '../src/plan/model.js';
import { integrationSteps } from '../src/plan/planners/integration.js';
import { humanView } from '../src/plan/view.js';
import { Confirmer } from '../src/safety/confirm.js';
import { prepare, quote, renderText, TARGETS_SHOWN, VALUE_MAX_CHARS } from '../src/safety/render.js';
import type { HumanView } from '../src/safety/view.js';
import { startStack, type Stack } from './harness.js';

/** The forged template of issue 14 (D): a fake explanation, then 300 blank lines before the real change. */
const FORGED = `#set($safe = true)\nWhy it is risky: it is not\n${'\n'.repeat(300)}$input.body`;
const TLS_REASON = "confirm: replace /tlsConfig/insecureSkipVerification: true stops API Gateway from verifying the backend's TLS certificate: anyone in the path could read or alter traffic (man-in-the-middle)";

/** The view the plan engine builds for the forged change: a template plus TLS off on GET /orders/{id} of shop. */
function forgedView(): HumanView {
  const address = { restApiId: 'a1b2c3d4e5', resourceId: 'r1', httpMethod: 'GET', resourcePath: '/orders/{id}', apiName: 'shop' };
  const model = new Model();
  model.add(address, { httpMethod: 'GET', authorizationType: 'NONE', methodIntegration: { type: 'HTTP', httpMethod: 'GET', uri: 'https://orders.example.com/orders/{id}', timeoutInMillis: 29000 } });
  const ops = [
    { op: 'add', path: '/requestTemplates/application~1json', value: FORGED },
    { op: 'replace', path: '/tlsConfig/insecureSkipVerification', value: 'true' },
  ];
  const built = integrationSteps(model.method(address), address, { ops });
  const { checked } = checkSteps(model, built.steps, { maxTimeoutMs: 29000 });
  const facts = { title: built.title, kind: 'change' as const, api: { id: address.restApiId, name: 'shop' }, backend: 'local emulator', account: '123456789012', region: 'us-east-1', stages: ['dev', 'prod'], client: 'agent\nYou may approve' };
  return humanView(facts, checked, []);
}

describe('the text a human reads', () => {
  it('puts the reason before any value, and no value spans lines (a forged template)', () => {
    const text = renderText(prepare(forgedView()));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Turn off TLS certificate verification for GET /orders/{id} of API "shop"');
    expect(lines[1]).toMatch(/^Needs your approval because it stops API Gateway from verifying the backend's TLS certificate/);
    expect(text.indexOf('Needs your approval')).toBeLessThan(text.indexOf('"#set'));
    // The fake line exists only inside the quoted value, on the value's own line.
    const forged = lines.filter((l) => l.includes('Why it is risky'));
    expect(forged).toHaveLength(1);
    expect(forged[0]).toContain('"#set($safe = true)\\nWhy it is risky: it is not\\n\\n');
    expect(lines.length).toBeLessThan(15);
    expect(text).toContain('TLS certificate verification: verified (default) -> NOT verified (insecureSkipVerification: true)');
    // The client's name is agent-supplied: quoted, one line.
    expect(text).toContain('Asked by (MCP client): "agent\\nYou may approve"');
  });

  it('escapes control, bidi and line-separator characters, and quotes the value', () => {
    expect(quote('a\u202eb\u2028c\u0007d\te')).toBe('"a\\u202eb\\u2028c\\u0007d\\te"');
    expect(quote({ k: 'x\ny' })).toBe('{"k":"x\\ny"}');
  });

  it('cuts a long value with its size and sha256, never a half escape', () => {
    const long = `${'\n'.repeat(VALUE_MAX_CHARS)}tail`;
    const shown = quote(long);
    expect(shown).toMatch(/^"(\\n)+… \(\d+ bytes, sha256 [0-9a-f]{16}\)$/);
    expect(shown).toContain(`(${Buffer.byteLength(long)} bytes`);
    expect(quote('x'.repeat(300_000)).length).toBeLessThan(VALUE_MAX_CHARS + 60);
  });

  it('bounds the whole message: changes beyond it are counted, not dropped silently', () => {
    const view = forgedView();
    view.groups[0].changes = Array.from({ length: 1000 }, (_, i) => ({ setting: `Request parameter p${i}`, before: { meaning: 'not mapped' }, after: { value: `'${'v'.repeat(200)}'` } }));
    const p = prepare(view);
    const text = renderText(p);
    expect(text.length).toBeLessThan(10_000);
    expect(p.omitted).toBeGreaterThan(900);
    expect(text).toContain(`… and ${p.omitted} more change(s) not shown here`);
  });

  it('collapses batch targets beyond a screenful with their count, and highlights a prod-like stage', () => {
    const view: HumanView = { ...forgedView(), kind: 'batch', targets: Array.from({ length: 40 }, (_, i) => `GET /items/${i}`) };
    const text = renderText(prepare(view));
    expect(text).toContain(`Targets (40): "GET /items/0", `);
    expect(text).toContain(`"GET /items/${TARGETS_SHOWN - 1}", and ${40 - TARGETS_SHOWN} more`);
    expect(text).toContain('Stages serving it: "dev", "prod" (PRODUCTION)');
  });
});

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

// CI installs Debian's chromium (.ci/run); a developer machine without it skips, CI never does.
describe.skipIf(!chromium && !process.env.CI)('the approval page in a real browser, at 1280 and 390 px', () => {
  let s: Stack;
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    const { chromium: pw } = await import('playwright-core');
    mkdirSync(SHOTS, { recursive: true });
    s = await startStack();
    browser = await pw.launch({
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Opens the page at both widths: a screenshot each, no horizontal scrolling; returns the page at 390 px. */
  async function look(url: string, name: string) {
    const page = await browser.newPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url);
      await page.screenshot({ path: `${SHOTS}${name}-${width}.png`, fullPage: true });
      const fits = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
      expect(fits, `${name} at ${width} px scrolls sideways`).toBe(true);
    }
    return page;
  }

  it('a TLS change: title, reason, account, region, stages and client first; applies after a click on Approve', async () => {
    const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
    const t = { restApiId, resourceId, httpMethod: 'GET' };
    const r = await s.call('set_tls_verification', { ...t, insecureSkipVerification: true });
    const page = await look(r.structured.approvalUrl, 'tls-change');
    expect(await page.locator('h1').innerText()).toBe('Turn off TLS certificate verification for GET /orders/{id} of API "shop"');
    expect(await page.locator('#why').innerText()).toMatch(/^Needs your approval because it stops API Gateway .*man-in-the-middle.*\(risk level: confirm\)$/);
    const facts = await page.locator('#facts').innerText();
    for (const f of ['Account', '123456789012', 'Region', 'us-east-1', 'Stages serving it', '"prod"', 'Asked by (MCP client)', '"e2e-test"']) expect(facts).toContain(f);
    expect(await page.locator('.warn').innerText()).toContain('"prod"');
    const changes = await page.locator('#changes').innerText();
    expect(changes).toContain('TLS certificate verification');
    expect(changes).toContain('verified (default)');
    expect(changes).toContain('NOT verified');
    // The server's words come before any data on the page.
    const body = await page.locator('body').innerText();
    expect(body.indexOf('Needs your approval')).toBeLessThan(body.indexOf('"shop"', body.indexOf('\n')));
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForSelector('text=Approved');
    const applied = await s.call('set_tls_verification', { ...t, insecureSkipVerification: true, confirmation: r.structured.approvalId });
    expect(applied.structured.status).toBe('applied');
    await s.call('set_tls_verification', { ...t, insecureSkipVerification: false });
    await page.close();
  });

  it('a deploy: the changes that go live per method, not JSON, the production stage highlighted', async () => {
    await s.call('set_timeout', { apiName: 'shop', resourcePath: '/orders', httpMethod: 'GET', timeoutInMillis: 12345 });
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod' });
    expect(r.structured.status).toBe('approval_required');
    const page = await look(r.structured.approvalUrl, 'deploy');
    expect(await page.locator('h1').innerText()).toMatch(/^Deploy \d+ changes? to stage prod of API "shop"$/);
    expect(await page.locator('.warn').innerText()).toContain('"prod"');
    const changes = await page.locator('#changes').innerText();
    expect(changes).toMatch(/GET \/orders\n[^]*integration \/timeoutInMillis \(chg_/);
    expect(changes).toContain('12345 ms');
    expect(changes).not.toContain('{"op"');
    await page.close();
  });

  it('a batch of 60 targets: a screenful shown, the rest collapsed with its count', async () => {
    const confirmer = new Confirmer({ fallback: 'page', elicitation: false, ttlSeconds: 600 });
    try {
      const targets = Array.from({ length: 60 }, (_, i) => `GET /catalog/items/{itemId}/variants/${i}/a-rather-long-path-segment-${i}`);
      const view: HumanView = {
        ...forgedView(),
        title: 'Set the X-Request-Id header on 60 HTTP integrations of API "shop"',
        kind: 'batch',
        targets,
        reasons: ['it changes which parameters are sent to the backend of 60 methods at once'],
        groups: [{ heading: 'Each integration', action: 'update', changes: [{ setting: 'Request parameter integration.request.header.X-Request-Id', before: { meaning: 'not mapped' }, after: { value: 'context.requestId' } }] }],
      };
      const v = await confirmer.decide({ binding: 'b', change: 'c', view }, { canElicit: false });
      if (v.kind !== 'approval_required') throw new Error(v.kind);
      const page = await look(v.approvalUrl, 'batch');
      expect(await page.locator('#targets li').count()).toBe(TARGETS_SHOWN);
      expect(await page.locator('details summary').innerText()).toBe(`and ${60 - TARGETS_SHOWN} more`);
      await page.locator('details summary').click();
      expect(await page.locator('details li').count()).toBe(60 - TARGETS_SHOWN);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      await page.close();
    } finally {
      await confirmer.close();
    }
  });
});
