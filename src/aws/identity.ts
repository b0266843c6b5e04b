// Which AWS account a backend touches: STS GetCallerIdentity, once per backend, so every result can name it.
// Loaded on first use, like the API Gateway client.
import type { ClientSettings } from './client.js';

export async function callerAccount(settings: ClientSettings): Promise<string | undefined> {
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({
    region: settings.region ?? 'us-east-1',
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: 2,
  });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } finally {
    sts.destroy();
  }
}
