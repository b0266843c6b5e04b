// What guides an agent: the instructions at initialize, the prompts, the resources, and audit_integrations on an
// API seeded with known problems.
import { ERROR_CODES } from '../src/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

let s: Stack;
let legacyApi: string;

beforeAll(async () => {
  s = await startStack();
  // The emulator's demo data has an API with one known problem per integration (src/emulator/seed.ts).
  legacyApi = (await s.ids('legacy-billing', '/tls')).restApiId;
});
afterAll(() => s?.close());

describe('instructions', () => {
  it('say what the server is for, the safe way to work, deployments, and how confirmation works', () => {
    const text = s.client.getInstructions() ?? '';
    expect(text).toContain('API Gateway');
    expect(text).toMatch(/dryRun.*deploy_api/s);
    expect(text).toContain('only after deploy_api');
    expect(text).toContain('approval_required');
    // A confirm-level write previews and asks by itself: a dry run first would cost a call for nothing.
    expect(text).toMatch(/safe \(.*\) and review \(.*\) apply at once.*confirm needs a person's OK: the call previews and asks by itself, no dry run needed/);
    for (const code of ERROR_CODES) expect(text).toContain(code);
    expect(text.length).toBeLessThan(1500);
  });
});

describe('prompts', () => {
  it('lists both prompts with their arguments', async () => {
    const { prompts } = await s.client.listPrompts();
    const byName = Object.fromEntries(prompts.map((p) => [p.name, p.arguments?.map((a) => a.name)]));
    expect(byName['change-integration-safely']).toEqual(['api', 'path', 'method', 'change']);
    expect(byName['audit-api-integrations']).toEqual(['api']);
  });

  it('change-integration-safely walks look -> preview -> confirm -> apply -> deploy -> verify with the tools', async () => {
    const p = await s.client.getPrompt({ name: 'change-integration-safely', arguments: { api: 'shop', path: '/orders/{id}', method: 'get', change: 'a 10 s timeout' } });
    const text = (p.messages[0].content as { text: string }).text;
    const steps = ['get_integration', 'dryRun: true', 'confirm', 'without dryRun', 'deploy_api', 'Verify'];
    let at = -1;
    for (const step of steps) {
      const next = text.indexOf(step, at + 1);
      expect(next, step).toBeGreaterThan(at);
      at = next;
    }
    expect(text).toContain('restApiId: "shop", resourcePath: "/orders/{id}", httpMethod: "GET"');
  });

  it('audit-api-integrations reviews without applying', async () => {
    const p = await s.client.getPrompt({ name: 'audit-api-integrations', arguments: { api: 'legacy-billing' } });
    const text = (p.messages[0].content as { text: string }).text;
    expect(text).toContain('audit_integrations { restApiId: "legacy-billing" }');
    expect(text).toContain('Apply nothing');
  });
});

describe('resources', () => {
  it('lists the rules and the audit log, and a template for integrations', async () => {
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['apigw://changes', 'apigw://rules']);
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['apigw://{restApiId}/{resourceId}/{httpMethod}/integration']);
  });

  it('reads the rules table', async () => {
    const r = await s.client.readResource({ uri: 'apigw://rules' });
    expect((r.contents[0] as { text: string }).text).toContain('`/tlsConfig/insecureSkipVerification`');
  });

  it('reads an integration through the template', async () => {
    const { restApiId, resourceId } = await s.ids('shop', '/health');
    const r = await s.client.readResource({ uri: `apigw://${restApiId}/${resourceId}/GET/integration` });
    expect(JSON.parse((r.contents[0] as { text: string }).text).type).toBe('MOCK');
  });

  it('reads the audit log with the latest change first', async () => {
    const { restApiId, resourceId } = await s.ids('shop', '/orders/{id}');
    const w = await s.call('set_timeout', { restApiId, resourceId, httpMethod: 'GET', timeoutInMillis: 9500 });
    const r = await s.client.readResource({ uri: 'apigw://changes' });
    expect(JSON.parse((r.contents[0] as { text: string }).text)[0].changeId).toBe(w.structured.changeId);
  });
});

describe('audit_integrations', () => {
  it('finds each known problem once, with severity, reason and the exact fixing call', async () => {
    s.emulator.resetCalls();
    const r = await s.call('audit_integrations', { restApiId: legacyApi });
    expect(r.isError).toBeFalsy();
    expect(r.structured.checked).toBe(5);
    const got = r.structured.findings.map((f: any) => `${f.resourcePath} ${f.check} ${f.severity}`).sort();
    expect(got).toEqual([
      '/mapped no-integration-responses medium',
      '/mapped passthrough-with-templates medium',
      '/private private-backend-over-internet high',
      '/slow timeout-at-maximum medium',
      '/tls tls-verification-off high',
    ]);
    const tls = r.structured.findings.find((f: any) => f.check === 'tls-verification-off');
    expect(tls.reason).toContain('man-in-the-middle');
    expect(tls.fix).toEqual({ tool: 'set_tls_verification', arguments: { restApiId: legacyApi, resourcePath: '/tls', httpMethod: 'GET', insecureSkipVerification: false } });
    expect(r.structured.findings[0].severity).toBe('high');
    expect(s.emulator.calls()).toEqual({ GetResources: 1 });
  });

  it('does not say a MOCK integration reaches a backend: /health of shop has templates and WHEN_NO_MATCH', async () => {
    const r = await s.call('audit_integrations', { apiName: 'shop' });
    expect(r.isError).toBeFalsy();
    const health = r.structured.findings.filter((f: any) => f.resourcePath === '/health').map((f: any) => f.check);
    expect(health).not.toContain('passthrough-with-templates');
    expect(r.structured.findings.map((f: any) => `${f.resourcePath} ${f.check}`)).toContain('/orders passthrough-with-templates');
  });

  it('marks the fix it cannot run as given with what it needs: a VPC link id from a human', async () => {
    const r = await s.call('audit_integrations', { restApiId: legacyApi });
    const by = (check: string) => r.structured.findings.find((f: any) => f.check === check);
    const ready = r.structured.findings.filter((f: any) => f.ready).map((f: any) => f.check).sort();
    expect(ready).toEqual(['no-integration-responses', 'passthrough-with-templates', 'timeout-at-maximum', 'tls-verification-off']);

    const vpc = by('private-backend-over-internet');
    expect(vpc.ready).toBe(false);
    expect(vpc.needs).toMatchObject({ kind: 'value', argument: 'connection.id', where: expect.stringContaining('aws apigateway get-vpc-links') });
    expect(vpc.needs.what).toContain('10.0.3.7');
    // No placeholder to run by mistake: the id is left for the human's value.
    expect(vpc.fix).toEqual({ tool: 'update_integration', arguments: { restApiId: legacyApi, resourcePath: '/private', httpMethod: 'GET', connection: { type: 'VPC_LINK' } } });

    // The integration response fix creates the method response it needs (a plan step), so it is ready as given.
    expect(by('no-integration-responses')).toMatchObject({ ready: true, fix: { tool: 'update_integration_response', arguments: { statusCode: '200', create: true } } });
  });

  it('gives ready fixes that the tools accept as given; what is left needs a human', async () => {
    const r = await s.call('audit_integrations', { restApiId: legacyApi });
    for (const f of r.structured.findings.filter((f: any) => f.ready)) {
      const applied = await s.call(f.fix.tool, f.fix.arguments);
      expect(applied.isError, `${f.check}: ${applied.text}`).toBeFalsy();
      expect(applied.structured.status, f.check).toBe('applied');
    }
    const again = await s.call('audit_integrations', { restApiId: legacyApi });
    expect(again.structured.findings.map((f: any) => `${f.resourcePath} ${f.check} ${f.ready} ${f.needs.kind}`).sort()).toEqual(['/private private-backend-over-internet false value']);
  });


});
