// What every tool handler gets: the backend, the name/path resolver (its cache lives as long as the process),
// the limits from the configuration, and the safety machinery (confirmation, audit log, write scope).
import type { Backend } from './aws/backend.js';
import type { Config } from './config.js';
import { TargetResolver } from './intent/target.js';
import type { WriteContext } from './intent/write.js';
import { AuditLog } from './safety/audit.js';
import { Confirmer } from './safety/confirm.js';
import { StageCache, WriteScope } from './safety/scope.js';

export interface ServerContext extends WriteContext {
  config: Config;
}

export function createContext(config: Config, backend: Backend): ServerContext {
  const resolver = new TargetResolver();
  return {
    config,
    backend,
    resolver,
    env: { maxTimeoutMs: config.maxTimeoutMs },
    policy: config.confirm,
    confirmer: new Confirmer({ fallback: config.confirmFallback, elicitation: config.elicitation, ttlSeconds: config.approvalTtlSeconds }),
    audit: new AuditLog(config.auditLog),
    scope: new WriteScope(config.allowApis, resolver),
    stages: new StageCache(),
  };
}
