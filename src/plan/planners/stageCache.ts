// update_stage_cache: a stage's cache settings as a plan step (UpdateStage): the cache cluster (on/off, size) and a
// method's caching (on/off, TTL). Creating or resizing a cluster is billed by the hour: the stage rows rate it
// confirm. Only what differs from the stage as read is sent.
import { z } from 'zod';
import { ToolError } from '../../errors.js';
import { CACHE_CLUSTER_SIZES, MAX_CACHE_TTL_SECONDS, METHOD_SETTING_DEFAULTS, methodSettingKey, methodSettingPath } from '../../patch/stageRules.js';
import type { PatchOperation } from '../../patch/rules.js';
import type { Doc } from '../../patch/values.js';
import { HTTP_VERBS } from '../../patch/values.js';
import { Model } from '../model.js';
import type { Planner } from '../planner.js';
import type { Address } from '../step.js';
import { checkApiInput, normalizePath, TargetSchema } from '../../intent/target.js';

export const StageCacheSchema = z.object({
  stageName: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a stage name is letters, digits, - and _').describe('e.g. prod'),
  cacheClusterEnabled: z.boolean().optional().describe('Billed hourly: human OK'),
  cacheClusterSize: z.enum(CACHE_CLUSTER_SIZES).optional().describe('GB'),
  resourcePath: TargetSchema.shape.resourcePath.describe('With httpMethod; absent: all methods'),
  httpMethod: z.enum(HTTP_VERBS).optional().describe('Verb'),
  cachingEnabled: z.boolean().optional().describe("The method's caching"),
  cacheTtlInSeconds: z.number().int().min(0).max(MAX_CACHE_TTL_SECONDS).optional().describe('Seconds'),
});
export type StageCache = z.infer<typeof StageCacheSchema>;

export function stageCachePlanner(api: { restApiId?: string; apiName?: string }, change: StageCache): Planner {
  const method = change.resourcePath !== undefined || change.httpMethod !== undefined;
  return {
    kind: 'change',
    checkLocally() {
      checkApiInput(api);
      if (method && (change.resourcePath === undefined || change.httpMethod === undefined)) throw new ToolError('A method setting needs both resourcePath and httpMethod (or neither, for every method).');
      const settings = [change.cacheClusterEnabled, change.cacheClusterSize, change.cachingEnabled, change.cacheTtlInSeconds];
      if (settings.every((x) => x === undefined)) throw new ToolError('Nothing to change: give cacheClusterEnabled, cacheClusterSize, cachingEnabled or cacheTtlInSeconds.');
      return change.cacheClusterEnabled || change.cacheClusterSize ? 'confirm' : 'review';
    },
    async read(ctx, gateway) {
      const resolved = await ctx.resolver.resolveApi(gateway, api);
      await ctx.scope.checkWrite(gateway, { restApiId: resolved.id, apiName: resolved.name });
      const stage = await gateway.getStage(resolved.id, change.stageName).catch(async (err: { name?: string }) => {
        if (err?.name !== 'NotFoundException') throw err;
        const names = (await gateway.getStages(resolved.id)).map((s) => s.stageName as string).sort();
        throw new ToolError(`API ${resolved.name ?? resolved.id} has no stage ${change.stageName}; its stages: ${names.join(', ') || 'none'} (deploy_api with createStage: true creates one). Nothing was sent.`, 'not_found');
      });
      const model = new Model();
      model.add({ restApiId: resolved.id, resourceId: '', httpMethod: '', stageName: change.stageName, ...(resolved.name ? { apiName: resolved.name } : {}) }, stage);
      return model;
    },
    target: (model) => ({ restApiId: model.addresses[0].restApiId, stageName: change.stageName, ...(model.addresses[0].apiName ? { apiName: model.addresses[0].apiName } : {}) }),
    build(model) {
      const address: Address = model.addresses[0];
      const stage = model.method(address) as Doc;
      const ops: PatchOperation[] = [];
      const set = (path: string, now: unknown, want: unknown) => {
        if (want !== undefined && String(now) !== String(want)) ops.push({ op: 'replace', path, value: String(want) });
      };
      set('/cacheClusterEnabled', stage.cacheClusterEnabled ?? false, change.cacheClusterEnabled);
      set('/cacheClusterSize', stage.cacheClusterSize, change.cacheClusterSize);
      const [path, verb] = method ? [normalizePath(change.resourcePath!), change.httpMethod!] : ['*', '*'];
      const current = { ...METHOD_SETTING_DEFAULTS, ...stage.methodSettings?.[method ? methodSettingKey(path, verb) : '*/*'] } as Doc;
      set(method ? methodSettingPath(path, verb, 'caching/enabled') : '/*/*/caching/enabled', current.cachingEnabled, change.cachingEnabled);
      set(method ? methodSettingPath(path, verb, 'caching/ttlInSeconds') : '/*/*/caching/ttlInSeconds', current.cacheTtlInSeconds, change.cacheTtlInSeconds);
      const where = `stage ${change.stageName} of API ${address.apiName !== undefined ? JSON.stringify(address.apiName) : address.restApiId}`;
      return {
        steps: ops.length ? [{ resource: 'stage', address, action: 'update', ops }] : [],
        subject: { resource: 'stage' as never, address },
        title: change.cacheClusterEnabled ? `Create a cache cluster (billed by the hour) for ${where}` : `Change the cache settings of ${where}`,
        already: `The stage's cache settings are already as asked; nothing was sent.`,
      };
    },
  };
}
