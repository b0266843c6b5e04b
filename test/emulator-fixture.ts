// What the emulator tests share: an empty in-process emulator with a bare SDK client (no retries, so each
// failure is the emulator's own answer), and a way to catch what the SDK raised.
import { APIGatewayClient, type APIGatewayServiceException } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Starts an empty emulator and a client for the file's tests; read `.emu` and `.c` inside tests. */
export function useEmulator(): { emu: Emulator; c: APIGatewayClient } {
  const fixture = {} as { emu: Emulator; c: APIGatewayClient };
  beforeAll(async () => {
    fixture.emu = await startEmulator({ seed: false });
    fixture.c = new APIGatewayClient({ endpoint: fixture.emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    fixture.c.destroy();
    await fixture.emu.close();
  });
  return fixture;
}

/** What the SDK raised, for assertions on its class, name, status and message. */
export async function failure(p: Promise<unknown>): Promise<APIGatewayServiceException> {
  try {
    await p;
  } catch (err) {
    return err as APIGatewayServiceException;
  }
  throw new Error('expected the call to fail');
}
