// What a write needs from the server: the account (backend, resolver, scope, stage names), the limits, and the
// safety machinery (policy, confirmer, audit log).
import type { Backend } from '../aws/backend.js';
import type { TargetResolver } from '../intent/target.js';
import type { RuleEnv } from '../patch/values.js';
import type { AuditLog } from '../safety/audit.js';
import type { Confirmer } from '../safety/confirm.js';
import type { ConfirmPolicy } from '../safety/policy.js';
import type { StageCache, WriteScope } from '../safety/scope.js';

export interface WriteContext {
  backend: Backend;
  resolver: TargetResolver;
  env: Pick<RuleEnv, 'maxTimeoutMs'>;
  policy: ConfirmPolicy;
  confirmer: Confirmer;
  audit: AuditLog;
  scope: WriteScope;
  stages: StageCache;
  /** The MCP client's name (clientInfo), for the human's view. */
  client?: string;
}
