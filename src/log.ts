// Stdout belongs to the MCP protocol on stdio: every log line goes to stderr.
export function log(message: string): void {
  process.stderr.write(`[apigw-integration-mcp] ${message}\n`);
}
