// A stage as an agent needs it for integration work: what it serves (deployment id, date, description), whether
// anything is cached (cache cluster, per-method caching and TTL), throttling, stage variables and a canary.
import { z } from 'zod';
import { unescapeSegment } from '../patch/pointer.js';
import type { Doc } from './shape.js';

export const StageSummarySchema = z.object({
  stageName: z.string(),
  description: z.string().optional(),
  deployment: z.object({ id: z.string(), createdDate: z.string().optional(), description: z.string().optional() }),
  cacheCluster: z.object({ enabled: z.boolean(), size: z.string().optional(), status: z.string().optional() }),
  /** Per method ("GET /orders/{id}", or "*\/*" for all), only the settings that matter for integrations. */
  methodSettings: z.array(
    z.object({
      method: z.string(),
      cachingEnabled: z.boolean().optional(),
      cacheTtlInSeconds: z.number().optional(),
      throttlingRateLimit: z.number().optional(),
      throttlingBurstLimit: z.number().optional(),
    }),
  ),
  variables: z.record(z.string(), z.string()).optional(),
  canary: z.record(z.string(), z.unknown()).optional(),
  lastUpdatedDate: z.string().optional(),
});
export type StageSummary = z.infer<typeof StageSummarySchema>;

/** Dates arrive as Date objects from the SDK (epoch seconds on the wire). */
export const isoDate = (d: unknown): string | undefined =>
  d instanceof Date ? d.toISOString() : typeof d === 'number' ? new Date(d * 1000).toISOString() : typeof d === 'string' ? d : undefined;

/** `~1orders~1{id}/GET` -> `GET /orders/{id}`; `*\/*` stays. */
export function methodOfSettingKey(key: string): string {
  if (key === '*/*') return key;
  const cut = key.lastIndexOf('/');
  return `${key.slice(cut + 1)} ${unescapeSegment(key.slice(0, cut)) ?? key.slice(0, cut)}`;
}

const pick = (o: Doc, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

export function summariseStage(stage: Doc, deployments: ReadonlyMap<string, Doc>): StageSummary {
  const d = deployments.get(stage.deploymentId);
  const created = isoDate(d?.createdDate);
  return {
    stageName: stage.stageName,
    ...(stage.description ? { description: stage.description } : {}),
    deployment: { id: stage.deploymentId, ...(created ? { createdDate: created } : {}), ...(d?.description ? { description: d.description } : {}) },
    cacheCluster: { enabled: stage.cacheClusterEnabled === true, ...(stage.cacheClusterSize ? { size: stage.cacheClusterSize } : {}), ...(stage.cacheClusterStatus ? { status: stage.cacheClusterStatus } : {}) },
    methodSettings: Object.entries((stage.methodSettings ?? {}) as Record<string, Doc>).map(([key, s]) => ({
      method: methodOfSettingKey(key),
      ...pick(s, ['cachingEnabled', 'cacheTtlInSeconds', 'throttlingRateLimit', 'throttlingBurstLimit']),
    })),
    ...(stage.variables && Object.keys(stage.variables).length ? { variables: stage.variables } : {}),
    ...(stage.canarySettings ? { canary: stage.canarySettings } : {}),
    ...(isoDate(stage.lastUpdatedDate) ? { lastUpdatedDate: isoDate(stage.lastUpdatedDate) } : {}),
  };
}
