// Which MCP client a call comes from, carried to the AWS SDK's user agent without threading it through every
// function: CloudTrail then shows which agent host made each change.
import { AsyncLocalStorage } from 'node:async_hooks';

export const mcpClient = new AsyncLocalStorage<string>();

/** A user-agent token: letters, digits and a few marks only. */
export const userAgentToken = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64) || 'unknown';
