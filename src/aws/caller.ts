// The MCP client's name in the user agent of the AWS requests made for it, so CloudTrail shows which agent host
// made each change. Added per command (Gateway.as), not through async context: that costs every call.

/** A user-agent token: letters, digits and a few marks only. */
export const userAgentToken = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64) || 'unknown';

type Handler = (args: { request: unknown }) => Promise<unknown>;

/** An SDK finalizeRequest middleware that appends `mcp-client/<name>` to the user agent. */
export function callerUserAgent(name: string): (next: Handler) => Handler {
  const token = `mcp-client/${userAgentToken(name)}`;
  return (next) => async (args) => {
    const req = args.request as { headers?: Record<string, string> };
    if (req.headers) req.headers['user-agent'] = `${req.headers['user-agent'] ?? ''} ${token}`.trim();
    return next(args);
  };
}
