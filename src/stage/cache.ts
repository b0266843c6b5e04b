// Cache that caches: a method's cacheKeyParameters take effect only on a stage whose cache cluster is enabled and
// whose method setting (or the stage-wide "*/*" one) has caching on (apigw-spec.md §9.5). A write that sets cache
// keys calls this with the API's stages to say, per stage, why nothing is cached there and which call fixes it.
import { methodSettingKey } from '../patch/stageRules.js';
import type { Doc } from './shape.js';

export interface CacheWarning {
  stageName: string;
  /** Server words, for the result and the agent. */
  message: string;
  /** The call that fixes it (a stage-cache change; it needs a human where it creates a cache cluster). */
  fix: { tool: 'update_stage_cache'; arguments: Record<string, unknown> };
}

/** The method's own setting wins over the stage-wide one, as API Gateway applies them. */
function cachingOn(stage: Doc, resourcePath: string, httpMethod: string): boolean {
  const own = stage.methodSettings?.[methodSettingKey(resourcePath, httpMethod)]?.cachingEnabled;
  return (own ?? stage.methodSettings?.['*/*']?.cachingEnabled) === true;
}

/**
 * Per stage of the API, why cache keys of `method` do nothing there, with the fixing call; empty when every stage
 * caches the method (or the method sets no cache key).
 */
export function cacheWarnings(
  stages: readonly Doc[],
  method: { restApiId: string; resourcePath: string; httpMethod: string; cacheKeyParameters: readonly string[] },
): CacheWarning[] {
  if (method.cacheKeyParameters.length === 0) return [];
  const target = `${method.httpMethod} ${method.resourcePath}`;
  const out: CacheWarning[] = [];
  for (const stage of stages) {
    const cluster = stage.cacheClusterEnabled === true;
    const caching = cachingOn(stage, method.resourcePath, method.httpMethod);
    if (cluster && caching) continue;
    const why = !cluster
      ? `stage ${stage.stageName} has no cache cluster: nothing is cached, so the cache key${method.cacheKeyParameters.length === 1 ? '' : 's'} ${method.cacheKeyParameters.join(', ')} of ${target} have no effect there`
      : `stage ${stage.stageName} has caching off for ${target}: its cache keys have no effect there`;
    const fix = {
      restApiId: method.restApiId,
      stageName: stage.stageName,
      ...(!cluster ? { cacheClusterEnabled: true, cacheClusterSize: '0.5' } : {}),
      resourcePath: method.resourcePath,
      httpMethod: method.httpMethod,
      cachingEnabled: true,
    };
    out.push({
      stageName: stage.stageName,
      message: `${why[0].toUpperCase()}${why.slice(1)}.${!cluster ? ' Creating a cache cluster is billed by the hour and needs a human.' : ''}`,
      fix: { tool: 'update_stage_cache', arguments: fix },
    });
  }
  return out;
}
