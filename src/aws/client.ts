// Creates the AWS SDK client. The SDK is imported on first use, not at start: a server start is paid every time
// a client launches the server, and most of its cost is loading the SDK.
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { NAME, VERSION } from '../version.js';

export interface ClientSettings {
  region?: string;
  profile?: string;
  endpoint?: string;
  /** Fixed credentials (the local emulator needs some, any will do); absent = the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export type Sdk = typeof import('@aws-sdk/client-api-gateway');

export async function createClient(settings: ClientSettings): Promise<{ client: APIGatewayClient; sdk: Sdk }> {
  // The SDK warns on stderr about Node 20 on every start; we support Node 20 on purpose (engines: >=20.19).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-api-gateway');
  const client = new sdk.APIGatewayClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Shows in CloudTrail which tool made a change.
    customUserAgent: `${NAME}/${VERSION}`,
  });
  return { client, sdk };
}
