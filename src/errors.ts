// A failure the agent can act on: what was wrong, the valid choices, and what to call instead. Tools turn it into
// an MCP result with isError: true; it never becomes a protocol error.
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
