// A failure the agent can act on: what was wrong, the valid choices, and what to call instead, with a stable
// machine-readable code. Tools turn it into an MCP result with isError: true; it never becomes a protocol error.

/** Stable codes an agent (or a check) can branch on; the message says the rest. */
export const ERROR_CODES = [
  'invalid_argument', // bad input, refused before any AWS call
  'not_found', // the API, resource, method, change... does not exist
  'needs_human', // a human must agree and cannot be asked this way
  'scope_denied', // outside what this server may touch (--allow-api, profiles, regions, read-only)
  'conflict', // the state moved (lost update, approval for another state, resource in use)
  'throttled', // AWS throttled, or a limit of this server (waiting questions, memory) was reached
  'aws_error', // AWS refused or failed the call
  'state_file', // the local state or audit file cannot be used
  'internal', // a bug of this server
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'invalid_argument',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}
