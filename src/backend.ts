// Which API Gateway the server talks to, connected on first use: the embedded emulator (default), AWS, or any
// endpoint (LocalStack, a standalone emulator). Nothing is started or written until a tool needs it.
import type { AccountChoice, Backend } from './aws/backend.js';
import type { Config } from './config.js';
import { ToolError } from './errors.js';
import { log } from './log.js';
import { createClient, type ClientSettings } from './aws/client.js';
import { Gateway } from './aws/gateway.js';
import { callerAccount } from './aws/identity.js';
import { pacingKey, sharedPacer } from './aws/pacing.js';


/** A profile and region other than the start-up ones (per-call, from the allowlist). */

/**
 * A profile's own `endpoint_url` from the AWS config file. The SDK applies it for AWS_PROFILE but not for a profile
 * named in the client's options, which is how per-call profiles are chosen; --endpoint-url and AWS_ENDPOINT_URL*
 * still come first, as in the SDK's own precedence.
 */
async function profileEndpoint(profile: string | undefined): Promise<string | undefined> {
  if (!profile || process.env.AWS_ENDPOINT_URL_API_GATEWAY || process.env.AWS_ENDPOINT_URL) return undefined;
  const mod: any = await import('@smithy/core/config');
  // Bundled, this CommonJS module arrives as a default export (see client.ts).
  const { configFile } = await (mod.loadSharedConfigFiles ?? mod.default.loadSharedConfigFiles)();
  return configFile[profile]?.endpoint_url;
}

/** An endpoint as models, logs, pages and the audit log see it: a user or password in the URL is left out. */
function shownEndpoint(url: string): string {
  const u = new URL(url);
  return u.username || u.password ? `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}` : url;
}

export function describeBackend(config: Config, choice: AccountChoice = {}): string {
  if (config.backend === 'local') return `local emulator (state ${config.statePath})`;
  const where = config.endpointUrl ? `endpoint ${shownEndpoint(config.endpointUrl)}` : 'AWS';
  const profile = choice.profile ?? config.profile;
  return `${where}, region ${choice.region ?? config.region ?? '(from AWS config)'}${profile ? `, profile ${profile}` : ''}`;
}

export function createBackend(config: Config, choice: AccountChoice = {}): Backend {
  let ready: Promise<Gateway> | undefined;
  let settings: ClientSettings | undefined;
  let account: Promise<string | undefined> | undefined;
  let stopEmulator: (() => Promise<void>) | undefined;
  const region = choice.region ?? (config.backend === 'local' ? (config.region ?? 'us-east-1') : config.region);
  const profile = choice.profile ?? config.profile;
  /** The region the SDK settled on (from the profile's config when none was given), once connected. */
  let resolvedRegion: string | undefined;
  // Every API Gateway call waits on the process's pacer, keyed by account (once STS told it) else profile, and region.
  let knownAccount: string | undefined;
  const pacer = config.awsRateLimit ? sharedPacer(config.awsRateLimit) : undefined;
  const key = () => pacingKey(resolvedRegion ?? region, { account: knownAccount, profile });
  const pacing = pacer ? { pacer, key } : undefined;

  async function connect(): Promise<Gateway> {
    if (config.backend === 'aws') {
      settings = { region, profile, endpoint: config.endpointUrl ?? (await profileEndpoint(profile)) };
      const { client, sdk } = await createClient(settings, pacing);
      resolvedRegion = region ?? (await client.config.region().catch(() => undefined));
      if (resolvedRegion && !settings.region) settings = { ...settings, region: resolvedRegion };
      return new Gateway(client, sdk);
    }
    const { startEmulator } = await import('./emulator/server.js');
    const emulator = await startEmulator({ statePath: config.statePath, seed: true, port: config.emulatorPort ?? 0 }).catch((err) => {
      if (err?.code !== 'EADDRINUSE') throw err;
      throw new ToolError(`The embedded emulator cannot listen on 127.0.0.1:${config.emulatorPort}: the port is in use (another copy of this server?). Start it with another --emulator-port, or 0 for any free port.`, 'conflict');
    });
    stopEmulator = () => emulator.close();
    log(`embedded emulator listening on ${emulator.url} (state ${config.statePath})`);
    settings = { region, endpoint: emulator.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const { client, sdk } = await createClient(settings, pacing);
    return new Gateway(client, sdk);
  }

  return {
    // Getters: a region that came from the profile's config is known once connected, and named from then on.
    get label() {
      return describeBackend(config, resolvedRegion ? { ...choice, region: resolvedRegion } : choice);
    },
    get region() {
      return resolvedRegion ?? region;
    },
    ...(profile ? { profile } : {}),
    account() {
      if (!settings) return Promise.resolve(undefined);
      account ??= callerAccount(settings).then(
        (id) => {
          // Profiles of one account share its buckets from now on.
          const before = key();
          knownAccount = id;
          pacer?.merge(before, key());
          return id;
        },
        (err) => {
          log(`could not tell the AWS account (STS GetCallerIdentity): ${err?.message ?? err}`);
          return undefined;
        },
      );
      return account;
    },
    gateway() {
      // A failed start is not cached: the next call tries again.
      ready ??= connect().catch((err) => {
        ready = undefined;
        throw err;
      });
      return ready;
    },
    async close() {
      await stopEmulator?.();
    },
  };
}
