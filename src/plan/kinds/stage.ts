// A stage's cache settings (UpdateStage): the cache cluster and per-method caching. A stage is read with GetStage and
// written only by updates; its cache status and dates change by themselves and are not compared.
import type { Doc } from '../../patch/values.js';
import type { Kind } from './kind.js';

const strip = (d: Doc | undefined): Doc | undefined => {
  if (!d) return d;
  const { cacheClusterStatus: _s, lastUpdatedDate: _u, createdDate: _c, cacheClusterSize, ...rest } = d;
  // A disabled cluster has no size (AWS drops it).
  return { ...rest, ...(d.cacheClusterEnabled === true && cacheClusterSize !== undefined ? { cacheClusterSize } : {}) };
};

export const STAGE: Kind = {
  resource: 'stage',
  read: (m) => m,
  write: (_m, _a, doc) => doc,
  stored: (d) => d,
  document: (d) => d,
  checkPut: () => ({ message: 'a stage is changed only by updates here' }),
  env: () => ({}),
  comparable: strip,
  async send(g, s) {
    if (s.action !== 'update') throw new Error('plan bug: a stage step is an update');
    return g.updateStage(s.address.restApiId, s.address.stageName!, s.ops!);
  },
};
