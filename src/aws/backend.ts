// Which API Gateway the server talks to, connected on first use: the embedded emulator (default), AWS, or any
// endpoint (LocalStack, a standalone emulator). Nothing is started or written until a tool needs it.
import type { Config } from '../config.js';
import { log } from '../log.js';
import { createClient } from './client.js';
import { Gateway } from './gateway.js';

export interface Backend {
  /** Named in every tool result, so the agent and the human know what was touched. */
  readonly label: string;
  /** The region, where known at start (recorded in the audit log). */
  readonly region?: string;
  gateway(): Promise<Gateway>;
  close(): Promise<void>;
}

export function describeBackend(config: Config): string {
  if (config.backend === 'local') return `local emulator (state ${config.statePath})`;
  const where = config.endpointUrl ? `endpoint ${config.endpointUrl}` : 'AWS';
  return `${where}, region ${config.region ?? '(from AWS config)'}${config.profile ? `, profile ${config.profile}` : ''}`;
}

export function createBackend(config: Config): Backend {
  let ready: Promise<Gateway> | undefined;
  let stopEmulator: (() => Promise<void>) | undefined;

  async function connect(): Promise<Gateway> {
    if (config.backend === 'aws') {
      const { client, sdk } = await createClient({ region: config.region, profile: config.profile, endpoint: config.endpointUrl });
      return new Gateway(client, sdk);
    }
    const { startEmulator } = await import('../emulator/server.js');
    const emulator = await startEmulator({ statePath: config.statePath, seed: true });
    stopEmulator = () => emulator.close();
    log(`embedded emulator listening on ${emulator.url} (state ${config.statePath})`);
    const { client, sdk } = await createClient({
      region: config.region ?? 'us-east-1',
      endpoint: emulator.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return new Gateway(client, sdk);
  }

  return {
    label: describeBackend(config),
    region: config.backend === 'local' ? (config.region ?? 'us-east-1') : config.region,
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
