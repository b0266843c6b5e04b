// Creates the AWS SDK client. The SDK is imported on first use, not at start: a server start is paid every time
// a client launches the server, and most of its cost is loading the SDK.
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { log } from '../log.js';
import { addCallerUserAgent } from './caller.js';
import { addPacing, type Pacer } from './pacing.js';
import { NAME, VERSION } from '../version.js';

export interface ClientSettings {
  region?: string;
  profile?: string;
  endpoint?: string;
  /** Fixed credentials (the local emulator needs some, any will do); absent = the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export type Sdk = typeof import('@aws-sdk/client-api-gateway');

/** Which pacer the client's calls wait on, and under which key (account or profile, and region; see pacing.ts). */
export interface Pacing {
  pacer: Pacer;
  key: () => string;
}

// Retries are the SDK's own (its retry middleware and standard strategy); we only set the numbers.
//
// - What is retried: throttling (429 TooManyRequestsException / LimitExceededException), 5xx (503
//   ServiceUnavailableException...), timeouts and connection errors (ECONNRESET, ECONNREFUSED...). Not 4xx such as
//   409 ConflictException or 400 BadRequestException: those reach the agent at once.
// - Waits (SDK standard mode): full-jitter exponential backoff, random(0..base * 2^retry) ms, base 50 ms for 5xx
//   and network errors and 1 s for throttling. A Retry-After header is honoured: the wait becomes
//   max(backoff, min(Retry-After, backoff + 5 s)) (@smithy/core retry: StandardRetryStrategy).
// - Pacing (./pacing.ts) sits below the retry middleware: every attempt, retries included, waits for its token,
//   and a wait beyond the pacer's bound fails the call `throttled` (never retried) instead of waiting on.
// - Bound per AWS call: MAX_ATTEMPTS attempts of at most REQUEST_TIMEOUT_MS each, plus at most 3 waits:
//   5xx/network <= 50+100+200 ms; throttling <= 1+2+4 s, or <= 22 s when API Gateway asks for a long Retry-After.
//   Worst case 4 x 10 s + 22 s = 62 s; a throttled call that then succeeds typically takes a few seconds. Each
//   attempt may first wait for a pacing token, at most the pacer's bound (--aws-rate-limit wait=, 30 s).
//   A write tool makes at most 4 calls (GetRestApis, GetResources to resolve names, GetMethod, one update).
// - Retrying an update after a timeout or a dropped connection may send it twice; our updates are idempotent
//   (replace / add of a value) except `remove` of a map key, whose repeat answers 404 NotFound.
// - APIGW_MCP_RETRY_BASE_MS (tests): the SDK's ConfiguredRetryStrategy with waits of base * 2^(retry-1) ms for
//   every error type (Retry-After still honoured), so fault tests do not sleep for seconds.

/** Attempts per AWS call, the first included (the SDK's default is 3). */
export const MAX_ATTEMPTS = 4;
/** Per attempt, connecting included; an attempt that takes longer fails with TimeoutError and is retried. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const CONNECTION_TIMEOUT_MS = 3_000;

/** The test-only base delay from APIGW_MCP_RETRY_BASE_MS, or undefined for the SDK's standard waits. */
function retryBaseMs(env = process.env): number | undefined {
  const text = env.APIGW_MCP_RETRY_BASE_MS;
  if (text === undefined || text.trim() === '') return undefined;
  const ms = Number(text);
  if (Number.isFinite(ms) && ms >= 0 && ms <= 20_000) return ms;
  log(`ignoring APIGW_MCP_RETRY_BASE_MS=${JSON.stringify(text)}: expected milliseconds from 0 to 20000`);
  return undefined;
}

async function retryStrategy() {
  const base = retryBaseMs();
  if (base === undefined) return undefined;
  // @smithy/core is the SDK's own runtime (a dependency of @aws-sdk/client-api-gateway). A bundler may hand a
  // dynamic import of its CommonJS build over as `default` only, hence the fallback.
  const mod: Partial<typeof import('@smithy/core/retry')> & { default?: typeof import('@smithy/core/retry') } = await import('@smithy/core/retry');
  const ConfiguredRetryStrategy = mod.ConfiguredRetryStrategy ?? mod.default!.ConfiguredRetryStrategy;
  return new ConfiguredRetryStrategy(MAX_ATTEMPTS, (retry) => base * 2 ** Math.max(0, retry - 1));
}

export async function createClient(settings: ClientSettings, pacing?: Pacing): Promise<{ client: APIGatewayClient; sdk: Sdk }> {
  // The SDK warns on stderr about Node 20 on every start; we support Node 20 on purpose (engines: >=20.19).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [sdk, strategy] = await Promise.all([import('@aws-sdk/client-api-gateway'), retryStrategy()]);
  const client = new sdk.APIGatewayClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Shows in CloudTrail which tool made a change.
    customUserAgent: `${NAME}/${VERSION}`,
    retryMode: 'standard',
    maxAttempts: MAX_ATTEMPTS,
    ...(strategy ? { retryStrategy: strategy } : {}),
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    // The SDK resolves a command's middleware chain on every send unless asked to keep it per command class:
    // about a tenth of a local call. Nothing here adds middleware per command (see ./caller.ts).
    cacheMiddleware: true,
  });
  addCallerUserAgent(client);
  if (pacing) {
    addPacing(client, pacing.pacer, pacing.key);
    // A mistyped operation in --aws-rate-limit would never match a call: said once per client.
    const unknown = Object.keys(pacing.pacer.limits.operations).filter((op) => !(`${op}Command` in sdk));
    if (unknown.length) log(`--aws-rate-limit: ${unknown.join(', ')} is not an API Gateway operation; its quota is never applied`);
  }
  return { client, sdk };
}
