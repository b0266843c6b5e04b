// Stages and what goes live, end to end: the real server over stdio driven by a real MCP client against the
// emulator, with changes made through our tools and directly through the AWS SDK (as the console or Terraform would).
import { GetStagesCommand, UpdateIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.js';

const ORDER = { apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET' };

async function ids(s: Stack) {
  const order = await s.ids('shop', '/orders/{id}');
  const orders = await s.ids('shop', '/orders');
  return { shop: order.restApiId, order: order.resourceId, orders: orders.resourceId };
}

describe('stages, the stage diff, deploys and history (token confirmation)', () => {
  let s: Stack;
  let shop: string;
  let orders: string;
  let order: string;
  beforeAll(async () => {
    s = await startStack({ serverArgs: ['--confirm-fallback', 'token'] });
    ({ shop, order, orders } = await ids(s));
  });
  afterAll(() => s?.close());

  it('list_stages shows each stage with its deployment, cache cluster and settings, in one GetStages and one GetDeployments', async () => {
    await s.aws.send(new UpdateStageCommand({ restApiId: shop, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/~1orders~1{id}/GET/caching/ttlInSeconds', value: '60' }] }));
    s.emulator.resetCalls();
    const r = await s.call('list_stages', { restApiId: shop });
    expect(r.isError).toBeFalsy();
    const [prod] = r.structured.stages;
    expect(prod).toMatchObject({
      stageName: 'prod',
      deployment: { description: 'Initial deployment' },
      cacheCluster: { enabled: false, status: 'NOT_AVAILABLE' },
      methodSettings: [{ method: 'GET /orders/{id}', cachingEnabled: false, cacheTtlInSeconds: 60, throttlingBurstLimit: 5000 }],
    });
    expect(Date.parse(prod.deployment.createdDate)).toBeGreaterThan(0);
    const { GetCallerIdentity: _, ...calls } = s.emulator.calls();
    expect(calls).toEqual({ GetStages: 1, GetDeployments: 1 });
  });

  it('a change and its undo show as no difference', async () => {
    expect((await s.call('diff_stage', { apiName: 'shop', stageName: 'prod' })).structured.differences).toEqual([]);
    const set = await s.call('set_timeout', { ...ORDER, timeoutInMillis: 9000 });
    expect(set.structured.status).toBe('applied');
    const pending = (await s.call('diff_stage', { apiName: 'shop', stageName: 'prod' })).structured.differences;
    expect(pending).toEqual([expect.objectContaining({ method: 'GET /orders/{id}', part: 'integration', setting: '/timeoutInMillis', live: 10000, working: 9000, madeBy: 'this server', changeId: set.structured.changeId })]);
    expect((await s.call('undo_change', { changeId: set.structured.changeId })).structured.status).toBe('applied');
    const preview = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', dryRun: true });
    expect(preview.structured).toMatchObject({ status: 'no_change', differences: [] });
  });

  it('a change through our tools and one made directly through the AWS SDK both show, the second as made elsewhere', async () => {
    const mine = await s.call('set_timeout', { ...ORDER, timeoutInMillis: 8000 });
    await s.aws.send(new UpdateIntegrationCommand({ restApiId: shop, resourceId: orders, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/uri', value: 'https://orders-v2.example.com/orders' }] }));
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', dryRun: true });
    expect(r.structured.status).toBe('dry_run');
    expect(r.structured.differences).toEqual([
      { method: 'GET /orders', part: 'integration', setting: '/uri', change: 'changed', live: 'https://orders.example.com/orders', working: 'https://orders-v2.example.com/orders', madeBy: 'elsewhere' },
      { method: 'GET /orders/{id}', part: 'integration', setting: '/timeoutInMillis', change: 'changed', live: 10000, working: 8000, madeBy: 'this server', changeId: mine.structured.changeId },
    ]);
    expect(r.structured.message).toContain('2 differences (1 made by this server, 1 elsewhere)');
  });

  it('refuses a deploy to a missing stage without createStage, listing the stages, and sends nothing', async () => {
    s.emulator.resetCalls();
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'staging' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('has no stage staging; its stages: prod');
    expect(r.text).toContain('createStage: true');
    expect(s.emulator.calls().CreateDeployment).toBeUndefined();
    const create = await s.call('deploy_api', { apiName: 'shop', stageName: 'staging', createStage: true, dryRun: true });
    expect(create.structured).toMatchObject({ status: 'dry_run', stageExists: false });
    expect(create.structured.differences.every((d: any) => d.part === 'method' && d.change === 'added')).toBe(true);
    expect(create.structured.differences.map((d: any) => d.method)).toContain('GET /orders/{id}');
  });

  it('a deploy approved, then a change made before the retry: conflict with the new diff, nothing deployed', async () => {
    const first = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', description: 'ship it' });
    expect(first.structured.status).toBe('confirmation_required');
    await s.aws.send(new UpdateIntegrationCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/cacheNamespace', value: 'slipped-in' }] }));
    s.emulator.resetCalls();
    const retry = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', description: 'ship it', confirmation: first.structured.confirmToken });
    expect(retry.structured.status).toBe('conflict');
    expect(retry.structured.differences.find((d: any) => d.setting === '/cacheNamespace')).toMatchObject({ working: 'slipped-in', madeBy: 'elsewhere' });
    expect(s.emulator.calls().CreateDeployment).toBeUndefined();
  });

  it('ships what was previewed: the result names the deployment, the stage and exactly the differences that went live', async () => {
    const first = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', description: 'ship it' });
    s.emulator.resetCalls();
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', description: 'ship it', confirmation: first.structured.confirmToken });
    expect(r.structured.status).toBe('applied');
    expect(r.structured.differences).toEqual(first.structured.differences);
    expect(r.structured.differences).toHaveLength(3);
    expect(s.emulator.calls().CreateDeployment).toBe(1);
    const stages = await s.aws.send(new GetStagesCommand({ restApiId: shop }));
    expect(stages.item!.find((x) => x.stageName === 'prod')!.deploymentId).toBe(r.structured.deploymentId);
    expect(r.structured.message).toContain(`Deployed as ${r.structured.deploymentId} to stage prod of API shop`);
    expect(r.structured.message).toContain('3 differences (1 made by this server, 2 elsewhere) went live');
    expect((await s.call('diff_stage', { apiName: 'shop', stageName: 'prod' })).structured.differences).toEqual([]);
  });

  it('list_changes shows before -> after per op, filters by since/until, and which stages serve each change', async () => {
    const start = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const later = await s.call('set_timeout', { ...ORDER, timeoutInMillis: 7000 });
    const recent = await s.call('list_changes', { apiName: 'shop', since: start });
    expect(recent.structured.changes.map((c: any) => c.changeId)).toEqual([later.structured.changeId]);
    expect(recent.structured.changes[0]).toMatchObject({ ops: [{ op: 'replace', path: '/timeoutInMillis', value: '7000', before: 8000, after: 7000 }], stages: { serving: [], notServing: ['prod'] } });
    const older = await s.call('list_changes', { apiName: 'shop', until: start, limit: 200 });
    const shipped = older.structured.changes.find((c: any) => c.kind === 'plan' && c.ops[0]?.after === 8000);
    expect(shipped.stages).toEqual({ serving: ['prod'], notServing: [] });
    expect(older.structured.changes.some((c: any) => c.changeId === later.structured.changeId)).toBe(false);
    const none = await s.call('list_changes', { since: '2099-01-01' });
    expect(none.structured.changes).toEqual([]);
    const bad = await s.call('list_changes', { since: 'yesterday' });
    expect(bad.isError).toBe(true);
  });
});

describe('a deploy approved by in-call elicitation (2025-era client)', () => {
  let s: Stack;
  let meanwhile: (() => Promise<unknown>) | undefined;
  const shown: string[] = [];
  beforeAll(async () => {
    s = await startStack({
      clientOptions: { capabilities: { elicitation: {} } },
      setup: (client: any) =>
        client.setRequestHandler('elicitation/create', async (req: any) => {
          shown.push(req.params.message);
          await meanwhile?.();
          meanwhile = undefined;
          return { action: 'accept', content: { approve: true } };
        }),
    });
  });
  afterAll(() => s?.close());

  it('shows the net diff per method, and refuses with conflict when the API changes while the human decides', async () => {
    const { shop, order } = await ids(s);
    await s.call('set_timeout', { ...ORDER, timeoutInMillis: 6000 });
    meanwhile = () => s.aws.send(new UpdateIntegrationCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/uri', value: 'https://sneaky.example.com/{id}' }] }));
    s.emulator.resetCalls();
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod' });
    expect(shown.at(-1)).toContain('Deploy 1 change to stage prod of API "shop"');
    expect(shown.at(-1)).toMatch(/GET \/orders\/\{id\}:\n\s+integration \/timeoutInMillis \(chg_[a-z0-9_]+\): 10000 ms -> 6000 ms/);
    expect(r.structured.status).toBe('conflict');
    expect(r.structured.differences.map((d: any) => d.setting)).toEqual(['/timeoutInMillis', '/uri']);
    expect(s.emulator.calls().CreateDeployment).toBeUndefined();
    // Asked again about what is there now, and approved: that deploys.
    const again = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod' });
    expect(again.structured).toMatchObject({ status: 'applied' });
    expect(again.structured.differences).toHaveLength(2);
  });
});

describe('a deploy approved on the approval page (client without elicitation)', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(() => s?.close());

  async function approve(url: string) {
    const html = await (await fetch(url)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1];
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin }, body: new URLSearchParams({ token, decision: 'approve' }) });
    return html;
  }

  it('shows the differences on the page; a change slipped in after approval makes the retry a conflict and nothing is deployed', async () => {
    const { shop, order } = await ids(s);
    await s.call('set_timeout', { ...ORDER, timeoutInMillis: 5000 });
    const first = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod' });
    expect(first.structured.status).toBe('approval_required');
    const html = await approve(first.structured.approvalUrl);
    expect(html).toContain('Deploy 1 change to stage prod of API &quot;shop&quot;');
    expect(html).toContain('<h3>GET /orders/{id}</h3>');
    expect(html).toContain('integration /timeoutInMillis');
    await s.aws.send(new UpdateIntegrationCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '4000' }] }));
    s.emulator.resetCalls();
    const retry = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod', confirmation: first.structured.approvalId });
    expect(retry.structured.status).toBe('conflict');
    expect(retry.structured.differences).toEqual([expect.objectContaining({ setting: '/timeoutInMillis', working: 4000, madeBy: 'elsewhere' })]);
    expect(s.emulator.calls().CreateDeployment).toBeUndefined();
  });
});

describe('a deploy asked by input_required (2026-07-28 client)', () => {
  let s: Stack;
  let meanwhile: (() => Promise<unknown>) | undefined;
  const shown: string[] = [];
  beforeAll(async () => {
    s = await startStack({
      clientOptions: { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } } as never,
      setup: (client: any) =>
        client.setRequestHandler('elicitation/create', async (req: any) => {
          shown.push(req.params.message);
          await meanwhile?.();
          meanwhile = undefined;
          return { action: 'accept', content: { approve: true } };
        }),
    });
  });
  afterAll(() => s?.close());

  it('never ships what the human did not see: a change made while asked is asked about again before anything is deployed', async () => {
    const { shop, order } = await ids(s);
    await s.call('set_timeout', { ...ORDER, timeoutInMillis: 6500 });
    meanwhile = () => s.aws.send(new UpdateIntegrationCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/uri', value: 'https://late.example.com/{id}' }] }));
    const asked = shown.length;
    const r = await s.call('deploy_api', { apiName: 'shop', stageName: 'prod' });
    // The retry carried an answer about the first state: the server read again and asked about the new one.
    expect(shown.length - asked).toBe(2);
    expect(shown[asked]).toContain('Deploy 1 change to stage prod of API "shop"');
    expect(shown.at(-1)).toContain('Deploy 2 changes to stage prod of API "shop"');
    expect(shown.at(-1)).toContain('https://late.example.com/{id}');
    expect(r.structured.status).toBe('applied');
    expect(r.structured.differences.map((d: any) => d.setting)).toEqual(['/timeoutInMillis', '/uri']);
  });
});
