// The MCP client's name in the user agent of the AWS requests made for it, so CloudTrail shows which agent host
// made each change. The SDK client caches its middleware chain per command class (`cacheMiddleware`, a cost paid
// on every call otherwise), so the name cannot be a per-command middleware: it rides on the command's input under
// a symbol (the SDK serializes only modelled members) and one client-level middleware reads it.

import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';

/** A user-agent token: letters, digits and a few marks only. */
export const userAgentToken = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64) || 'unknown';

const CALLER = Symbol('mcpClient');

/** Marks a command's input with the MCP client it is sent for. */
export function tagCaller<C extends { input: object }>(command: C, name: string): C {
  Object.defineProperty(command.input, CALLER, { value: `mcp-client/${userAgentToken(name)}`, enumerable: false });
  return command;
}

type Handler = (args: { input: object; request: unknown }) => Promise<unknown>;

/** An SDK finalizeRequest middleware that appends `mcp-client/<name>` to the user agent of tagged commands. */
const callerUserAgent = (next: Handler): Handler => async (args) => {
  const token = (args.input as { [CALLER]?: string })[CALLER];
  const req = args.request as { headers?: Record<string, string> };
  if (token && req.headers) req.headers['user-agent'] = `${req.headers['user-agent'] ?? ''} ${token}`.trim();
  return next(args);
};

/** Adds the middleware to an SDK client (once, at creation). */
export function addCallerUserAgent(client: APIGatewayClient): void {
  client.middlewareStack.add(callerUserAgent as never, { step: 'finalizeRequest', name: 'mcpClientUserAgent', priority: 'high' });
}
