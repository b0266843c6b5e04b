// Builds the MCP server from the tool catalog. Every failure becomes a tool result with isError: true that says
// what to do, never a protocol error or a crash.
import { McpServer } from '@modelcontextprotocol/server';
import { TOOLS } from '../tools/index.js';
import { lean } from '../tools/tool.js';
import { fromAwsError } from './aws/errors.js';
import type { ServerContext } from './context.js';
import { ToolError } from './errors.js';
import { NAME, VERSION } from './version.js';

export function createServer(ctx: ServerContext): McpServer {
  const server = new McpServer({ name: NAME, version: VERSION }, { capabilities: { tools: {} } });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: lean(tool.input), outputSchema: lean(tool.output), annotations: tool.annotations },
      async (args: unknown) => {
        try {
          const out = await tool.run(args, ctx);
          return { content: [{ type: 'text' as const, text: JSON.stringify(out) }], structuredContent: out };
        } catch (err) {
          const e = err instanceof ToolError ? err : fromAwsError(err, ctx.backend.label);
          return { content: [{ type: 'text' as const, text: e.message }], isError: true };
        }
      },
    );
  }
  return server;
}
