// What every tool handler gets: the account it works on (backend, name/path resolver, stage names, write scope;
// one of each per profile and region, created on first use and reused), the limits from the configuration, and
// the safety machinery shared by all accounts (confirmation, audit log).
import type { AccountChoice, Backend } from './aws/backend.js';
import { createBackend } from './backend.js';
import type { Config } from './config.js';
import { ToolError } from './errors.js';
import { TargetResolver } from './intent/target.js';
import type { WriteContext } from './plan/context.js';
import { AuditLog } from './safety/audit.js';
import { Confirmer } from './safety/confirm.js';
import { waitingLimitsFor } from './safety/limits.js';
import { StageCache, WriteScope } from './safety/scope.js';

export interface ServerContext extends WriteContext {
  config: Config;
  /** The context for a call that names a profile and/or region; refused unless allowed at start. */
  forCall(choice: AccountChoice): ServerContext;
  /** Every backend created so far (to stop embedded emulators). */
  backends(): Backend[];
}

/** The values a call may name: the start-up one first, then the allowlist. */
export function allowedChoices(config: Config): { profiles: string[]; regions: string[] } {
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];
  return { profiles: uniq([config.profile, ...config.allowProfiles]), regions: uniq([config.region, ...config.allowRegions]) };
}

export function createContext(config: Config, makeBackend: (config: Config, choice: AccountChoice) => Backend = createBackend): ServerContext {
  const shared = {
    config,
    env: { maxTimeoutMs: config.maxTimeoutMs },
    policy: config.confirm,
    confirmer: new Confirmer({ fallback: config.confirmFallback, elicitation: config.elicitation, ttlSeconds: config.approvalTtlSeconds, limits: waitingLimitsFor(config.http?.maxConcurrent), port: config.approvalPort }),
    audit: new AuditLog(config.auditLog),
  };
  const allowed = allowedChoices(config);
  const accounts = new Map<string, ServerContext>();

  function account(choice: AccountChoice): ServerContext {
    const key = `${choice.profile ?? ''}\0${choice.region ?? ''}`;
    let ctx = accounts.get(key);
    if (!ctx) {
      const resolver = new TargetResolver();
      ctx = {
        ...shared,
        backend: makeBackend(config, choice),
        resolver,
        scope: new WriteScope(config.allowApis, resolver, choice.profile || choice.region ? ` (${[choice.profile && `profile ${choice.profile}`, choice.region && `region ${choice.region}`].filter(Boolean).join(', ')})` : ''),
        stages: new StageCache(),
        forCall,
        backends: () => [...accounts.values()].map((a) => a.backend),
      };
      accounts.set(key, ctx);
    }
    return ctx;
  }

  function forCall(choice: AccountChoice): ServerContext {
    const { profile, region } = choice;
    if (profile !== undefined && profile !== config.profile && !allowed.profiles.includes(profile))
      throw new ToolError(`Profile ${JSON.stringify(profile)} is not allowed on this server; allowed: ${allowed.profiles.join(', ') || '(the start-up profile only)'}. Start it with --allow-profile to add one.`, 'scope_denied');
    if (region !== undefined && region !== config.region && !allowed.regions.includes(region))
      throw new ToolError(`Region ${JSON.stringify(region)} is not allowed on this server; allowed: ${allowed.regions.join(', ') || '(the start-up region only)'}. Start it with --allow-region to add one.`, 'scope_denied');
    // The start-up values mean the default account: one client, one cache.
    return account({ ...(profile && profile !== config.profile ? { profile } : {}), ...(region && region !== config.region ? { region } : {}) });
  }

  return account({});
}
