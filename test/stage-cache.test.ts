// Cache that caches: the per-stage warnings for a method whose cache keys do nothing (no cache cluster, or caching
// off for the method), with the call that fixes it; and the stage rows' risk: creating or resizing a cache cluster
// needs a human (billed by the hour), method caching is a review.
import { GetStagesCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { needsHuman } from '../src/safety/policy.js';
import { checkStagePatch, matchStageRule, stageOpRisk } from '../src/patch/stageRules.js';
import { cacheWarnings } from '../src/stage/cache.js';
import { useEmulator } from './emulator-fixture.js';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';

const fx = useEmulator();

async function apiWithStages() {
  const c = fx.c;
  const api = await c.send(new CreateRestApiCommand({ name: 'cached' }));
  const res = await c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'orders' }));
  const id = await c.send(new CreateResourceCommand({ restApiId: api.id!, parentId: res.id!, pathPart: '{id}' }));
  await c.send(new PutMethodCommand({ restApiId: api.id, resourceId: id.id, httpMethod: 'GET', authorizationType: 'NONE', requestParameters: { 'method.request.path.id': true } }));
  await c.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: id.id, httpMethod: 'GET', type: 'MOCK' }));
  for (const stageName of ['dev', 'prod', 'test']) await c.send(new CreateDeploymentCommand({ restApiId: api.id, stageName }));
  return api.id!;
}

const stagesOf = async (restApiId: string) => ((await fx.c.send(new GetStagesCommand({ restApiId }))).item ?? []) as Record<string, any>[];
const method = (restApiId: string) => ({ restApiId, resourcePath: '/orders/{id}', httpMethod: 'GET', cacheKeyParameters: ['method.request.path.id'] });

describe('cacheWarnings', () => {
  it('says, per stage, that nothing is cached without a cache cluster or with caching off, with the fixing call', async () => {
    const api = await apiWithStages();
    // prod: cluster and caching on for the method; test: cluster on, caching off; dev: nothing.
    await fx.c.send(new UpdateStageCommand({ restApiId: api, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/~1orders~1{id}/GET/caching/enabled', value: 'true' }] }));
    await fx.c.send(new UpdateStageCommand({ restApiId: api, stageName: 'test', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }] }));
    const warnings = cacheWarnings(await stagesOf(api), method(api));
    expect(warnings.map((w) => w.stageName).sort()).toEqual(['dev', 'test']);
    const dev = warnings.find((w) => w.stageName === 'dev')!;
    expect(dev.message).toContain('Stage dev has no cache cluster: nothing is cached');
    expect(dev.message).toContain('billed by the hour');
    expect(dev.fix).toEqual({
      tool: 'update_stage_cache',
      arguments: { restApiId: api, stageName: 'dev', cacheClusterEnabled: true, cacheClusterSize: '0.5', resourcePath: '/orders/{id}', httpMethod: 'GET', cachingEnabled: true },
    });
    const test = warnings.find((w) => w.stageName === 'test')!;
    expect(test.message).toContain('caching off for GET /orders/{id}');
    expect(test.fix.arguments).not.toHaveProperty('cacheClusterEnabled');
  });

  it('counts the stage-wide */* setting, and says nothing for a method without cache keys', async () => {
    const api = await apiWithStages();
    for (const stageName of ['dev', 'prod', 'test'])
      await fx.c.send(new UpdateStageCommand({ restApiId: api, stageName, patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/*/*/caching/enabled', value: 'true' }] }));
    expect(cacheWarnings(await stagesOf(api), method(api))).toEqual([]);
    expect(cacheWarnings(await stagesOf(api), { ...method(api), cacheKeyParameters: [] })).toEqual([]);
    // The method's own setting wins over */*.
    await fx.c.send(new UpdateStageCommand({ restApiId: api, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/~1orders~1{id}/GET/caching/enabled', value: 'false' }] }));
    expect(cacheWarnings(await stagesOf(api), method(api)).map((w) => w.stageName)).toEqual(['dev']);
  });
});

describe('stage rows of the rules table', () => {
  const risk = (path: string, value: string) => stageOpRisk(matchStageRule(path)!, { op: 'replace', path, value });
  it('rates creating or resizing a cache cluster confirm (a human must agree), method caching and TTL review', () => {
    expect(risk('/cacheClusterEnabled', 'true')).toBe('confirm');
    expect(needsHuman(risk('/cacheClusterEnabled', 'true'), 'risky')).toBe(true);
    expect(matchStageRule('/cacheClusterEnabled')!.rule.reason).toContain('billed by the hour');
    expect(risk('/cacheClusterSize', '6.1')).toBe('confirm');
    expect(risk('/cacheClusterEnabled', 'false')).toBe('review');
    expect(risk('/~1orders~1{id}/GET/caching/enabled', 'true')).toBe('review');
    expect(risk('/~1orders~1{id}/GET/caching/ttlInSeconds', '60')).toBe('review');
    expect(needsHuman('review', 'risky')).toBe(false);
  });

  it('keys method settings by the escaped path and verb as written, and refuses what is not a method', () => {
    expect(matchStageRule('/~1orders~1{id}/GET/caching/enabled')!.key).toBe('~1orders~1{id}/GET');
    expect(matchStageRule('/*/*/caching/ttlInSeconds')!.key).toBe('*/*');
    expect(matchStageRule('/orders/GET/caching/enabled')).toBeUndefined();
    expect(matchStageRule('/~1orders/FETCH/caching/enabled')).toBeUndefined();
    expect(matchStageRule('/*/GET/caching/enabled')).toBeUndefined();
    const { problems } = checkStagePatch([{ op: 'replace', path: '/variables/bad-name', value: 'x' }, { op: 'replace', path: '/cacheClusterEnabled' }]);
    expect(problems.map((p) => p.index)).toEqual([0, 1]);
    expect(problems[1].message).toContain('needs a value');
  });
});

describe('inverseStageOps', () => {
  it('puts back each setting the ops changed, from the stage before them', async () => {
    const { inverseStageOps, applyStageOp } = await import('../src/patch/stageRules.js');
    const before = { stageName: 'prod', cacheClusterEnabled: false, variables: { keep: 'a', gone: 'b' }, methodSettings: { '*/*': { cachingEnabled: false, cacheTtlInSeconds: 300 } } };
    const ops = [
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
      { op: 'replace', path: '/cacheClusterSize', value: '6.1' },
      { op: 'replace', path: '/~1orders~1{id}/GET/caching/enabled', value: 'true' },
      { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '60' },
      { op: 'add', path: '/variables/new', value: 'x' },
      { op: 'remove', path: '/variables/gone' },
      { op: 'replace', path: '/variables/keep', value: 'z' },
    ];
    const inverse = inverseStageOps(before, ops);
    expect(inverse).toEqual([
      { op: 'replace', path: '/cacheClusterEnabled', value: 'false' },
      { op: 'replace', path: '/~1orders~1{id}/GET/caching/enabled', value: 'false' },
      { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '300' },
      { op: 'remove', path: '/variables/new' },
      { op: 'add', path: '/variables/gone', value: 'b' },
      { op: 'replace', path: '/variables/keep', value: 'a' },
    ]);
    // Applied to the changed stage, they give back the settings that were there.
    const stage = structuredClone(before) as Record<string, any>;
    for (const op of [...ops, ...inverse]) applyStageOp(stage, matchStageRule(op.path)!, op);
    expect(stage.variables).toEqual(before.variables);
    expect(stage.methodSettings['*/*']).toMatchObject(before.methodSettings['*/*']);
    expect(stage.cacheClusterEnabled).toBe(false);
  });
});
