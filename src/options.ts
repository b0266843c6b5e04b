// The server's command line and environment -> a validated Config. Loaded after the CLI entry has started
// reading stdin, since validation needs zod (src/cli.ts answers an early initialize without it).
import { dirname, basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigSchema, type Config } from './config.js';
import { DEFAULT_MAX_TIMEOUT_MS, defaultStateDir, dropEmptySettings } from './defaults.js';
import { LOOPBACK_NAMES } from './loopback.js';
import { parseRateLimit, type RateLimits } from './aws/pacing.js';
import { fail, integer } from './usage.js';

/** The option behind each Config field, so a bad value is named as the user typed it. */
const OPTION_OF: Record<string, string> = {
  'http.host': '--host',
  'http.port': '--port',
  'http.authToken': '--auth-token (or APIGW_MCP_AUTH_TOKEN)',
  'http.allowedHosts': '--allowed-hosts',
  'http.allowedOrigins': '--allowed-origins',
  'http.maxBodyBytes': '--max-body-bytes',
  'http.maxConcurrent': '--max-concurrent',
  backend: '--backend',
  statePath: '--state',
  endpointUrl: '--endpoint-url (or AWS_ENDPOINT_URL)',
  region: '--region (or AWS_REGION)',
  profile: '--profile (or AWS_PROFILE)',
  maxTimeoutMs: '--max-timeout-ms (or APIGW_MCP_MAX_TIMEOUT_MS)',
  confirm: '--confirm (or APIGW_MCP_CONFIRM)',
  confirmFallback: '--confirm-fallback (or APIGW_MCP_CONFIRM_FALLBACK)',
  approvalTtlSeconds: '--approval-ttl',
  auditLog: '--audit-log',
  emulatorPort: '--emulator-port',
  approvalPort: '--approval-port',
  allowApis: '--allow-api',
  toolsets: '--toolsets (or APIGW_MCP_TOOLSETS: raw, audit or all)',
  allowProfiles: '--allow-profile',
  allowRegions: '--allow-region',
  awsRateLimit: '--aws-rate-limit (or APIGW_MCP_AWS_RATE_LIMIT)',
};

/** `http.port` -> `--port`; list items by their list's option. */
const optionOf = (path: PropertyKey[]) => {
  const key = path[0] === 'http' ? `http.${String(path[1])}` : String(path[0]);
  return OPTION_OF[key] ?? (key || 'option');
};

/**
 * The local backend's log lives beside its state file (`emulator-state.json` -> `emulator-state.audit.jsonl`):
 * changes to one emulator's state are listed and undone against that state, not another's or AWS's.
 */
export function defaultAuditLog(backend: string, statePath: string, stateDir: string): string {
  return backend === 'local' ? join(dirname(statePath), `${basename(statePath).replace(/\.json$/, '')}.audit.jsonl`) : join(stateDir, 'audit.jsonl');
}

/** Options that mean AWS, refused alike on the local backend (the emulator is one account, in us-east-1). */
function checkLocalOnly(backend: string, values: { 'endpoint-url'?: string; profile?: string; region?: string }): void {
  if (backend !== 'local') return;
  if (values['endpoint-url']) fail('--endpoint-url needs --backend aws (the local backend runs its own emulator)');
  for (const o of ['profile', 'region'] as const)
    if (values[o] !== undefined) fail(`--${o} needs --backend aws (the local emulator is one account, in us-east-1, with no AWS profiles)`);
}

/** A URL without its scheme parses as something else (`localhost:4566` has the scheme `localhost:`): say so. */
function checkEndpointUrl(url: string, source: string): void {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) fail(`${source} needs a scheme: http://${url.replace(/^\/*/, '')}, got ${JSON.stringify(url)}`);
}

export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  env = dropEmptySettings({ ...env });
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      backend: { type: 'string' },
      state: { type: 'string' },
      'endpoint-url': { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      'max-timeout-ms': { type: 'string' },
      confirm: { type: 'string' },
      'confirm-fallback': { type: 'string' },
      'no-elicitation': { type: 'boolean' },
      'approval-ttl': { type: 'string' },
      'audit-log': { type: 'string' },
      'read-only': { type: 'boolean' },
      toolsets: { type: 'string' },
      'allow-api': { type: 'string', multiple: true },
      'allow-profile': { type: 'string', multiple: true },
      'allow-region': { type: 'string', multiple: true },
      'aws-rate-limit': { type: 'string' },
      http: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      'auth-token': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      'allowed-origins': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'max-concurrent': { type: 'string' },
      'emulator-port': { type: 'string' },
      'approval-port': { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const stateDir = defaultStateDir(env);
  const endpointUrl = values['endpoint-url'] ?? (env.AWS_ENDPOINT_URL_API_GATEWAY || env.AWS_ENDPOINT_URL || undefined);
  const backend = values.backend ?? env.APIGW_MCP_BACKEND ?? (endpointUrl ? 'aws' : 'local');
  if (backend !== 'local' && backend !== 'aws') fail(`--backend must be local or aws, got ${JSON.stringify(backend)}`);
  if (backend === 'aws' && values['emulator-port'] !== undefined) fail('--emulator-port needs --backend local (the embedded emulator)');
  checkLocalOnly(backend, values);
  if (backend === 'aws' && endpointUrl !== undefined)
    checkEndpointUrl(endpointUrl, values['endpoint-url'] !== undefined ? '--endpoint-url' : env.AWS_ENDPOINT_URL_API_GATEWAY ? 'AWS_ENDPOINT_URL_API_GATEWAY' : 'AWS_ENDPOINT_URL');
  const list = (text: string | undefined) => text?.split(',').map((x) => x.trim()).filter(Boolean);
  const httpOnly = ['host', 'port', 'auth-token', 'allowed-hosts', 'allowed-origins', 'max-body-bytes', 'max-concurrent'] as const;
  if (!values.http) for (const o of httpOnly) if (values[o] !== undefined) fail(`--${o} needs --http`);
  const host = values.host ?? '127.0.0.1';
  const rateText = values['aws-rate-limit'] ?? (env.APIGW_MCP_AWS_RATE_LIMIT || undefined);
  let awsRateLimit: RateLimits | null | undefined;
  try {
    awsRateLimit = rateText === undefined ? undefined : parseRateLimit(rateText);
  } catch (err) {
    fail(`${OPTION_OF.awsRateLimit}: ${(err as Error).message}`);
  }
  const statePath = resolve(values.state ?? env.APIGW_MCP_STATE ?? join(stateDir, 'emulator-state.json'));
  const parsed = ConfigSchema.safeParse({
    http: values.http
      ? {
          host,
          port: integer(values.port, '--port') ?? 3000,
          authToken: values['auth-token'] ?? (env.APIGW_MCP_AUTH_TOKEN || undefined),
          allowedHosts: list(values['allowed-hosts']) ?? [...new Set([...LOOPBACK_NAMES, host.includes(':') ? `[${host}]` : host])],
          allowedOrigins: list(values['allowed-origins']) ?? LOOPBACK_NAMES,
          maxBodyBytes: integer(values['max-body-bytes'], '--max-body-bytes') ?? 1024 * 1024,
          maxConcurrent: integer(values['max-concurrent'], '--max-concurrent') ?? 64,
        }
      : undefined,
    backend,
    statePath,
    endpointUrl: backend === 'aws' ? endpointUrl : undefined,
    // The local emulator is one account in us-east-1: a region or profile from the environment means AWS.
    region: backend === 'aws' ? (values.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined)) : undefined,
    profile: backend === 'aws' ? (values.profile ?? (env.AWS_PROFILE || undefined)) : undefined,
    maxTimeoutMs: integer(values['max-timeout-ms'] ?? env.APIGW_MCP_MAX_TIMEOUT_MS, '--max-timeout-ms') ?? DEFAULT_MAX_TIMEOUT_MS,
    confirm: values.confirm ?? env.APIGW_MCP_CONFIRM,
    confirmFallback: values['confirm-fallback'] ?? env.APIGW_MCP_CONFIRM_FALLBACK,
    elicitation: !values['no-elicitation'],
    approvalTtlSeconds: integer(values['approval-ttl'], '--approval-ttl'),
    auditLog: resolve(values['audit-log'] ?? env.APIGW_MCP_AUDIT_LOG ?? defaultAuditLog(backend, statePath, stateDir)),
    emulatorPort: integer(values['emulator-port'], '--emulator-port'),
    approvalPort: integer(values['approval-port'], '--approval-port'),
    debug: values.debug ?? ['1', 'true'].includes(env.APIGW_MCP_DEBUG ?? ''),
    readOnly: values['read-only'] ?? ['1', 'true'].includes(env.APIGW_MCP_READ_ONLY ?? ''),
    toolsets: ((t) => (t.includes('all') ? ['raw', 'audit'] : t))(list(values.toolsets ?? env.APIGW_MCP_TOOLSETS) ?? []),
    allowApis: values['allow-api'] ?? list(env.APIGW_MCP_ALLOW_API) ?? [],
    allowProfiles: values['allow-profile'] ?? list(env.APIGW_MCP_ALLOW_PROFILES) ?? [],
    allowRegions: values['allow-region'] ?? list(env.APIGW_MCP_ALLOW_REGIONS) ?? [],
    awsRateLimit,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(`${optionOf(issue.path)}: ${issue.message}`);
  }
  if (parsed.data.backend === 'local' && (parsed.data.allowProfiles.length || parsed.data.allowRegions.length))
    fail('--allow-profile and --allow-region need --backend aws (the local emulator is one account)');
  return parsed.data;
}

