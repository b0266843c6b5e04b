// Builds the MCP server from the tool catalog. Every failure becomes a tool result with isError: true that says
// what to do, never a protocol error or a crash. Read-only mode registers no write tool at all.
import { CLIENT_CAPABILITIES_META_KEY, isInputRequiredResult, McpServer, type ClientCapabilities, type ServerContext as McpContext } from '@modelcontextprotocol/server';
import { TOOLS } from '../tools/index.js';
import { lean } from '../tools/tool.js';
import { fromAwsError } from './aws/errors.js';
import type { ServerContext } from './context.js';
import { ToolError } from './errors.js';
import { instructions } from './guidance/instructions.js';
import { registerPrompts } from './guidance/prompts.js';
import { registerResources } from './guidance/resources.js';
import type { CallInfo } from './safety/confirm.js';
import { NAME, VERSION } from './version.js';

/** Form-mode elicitation: declared per request (2026-07-28) or at initialize (2025 era); `{}` means form. */
function canElicit(server: McpServer, req: McpContext): boolean {
  const caps = (req.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY as never] as ClientCapabilities | undefined) ?? server.server.getClientCapabilities();
  const e = caps?.elicitation as Record<string, unknown> | undefined;
  return !!e && (Object.keys(e).length === 0 || e.form !== undefined);
}

function callInfo(server: McpServer, req: McpContext): CallInfo {
  const state = req.mcpReq.requestState();
  return {
    canElicit: canElicit(server, req),
    ...(typeof state === 'string' ? { requestState: state } : {}),
    ...(req.mcpReq.inputResponses ? { inputResponses: req.mcpReq.inputResponses } : {}),
  };
}

export function createServer(ctx: ServerContext): McpServer {
  const server = new McpServer(
    { name: NAME, version: VERSION },
    { capabilities: { tools: {}, prompts: {}, resources: {} }, instructions: instructions(ctx.config, ctx.backend.label) },
  );
  registerPrompts(server, ctx.config.readOnly);
  registerResources(server, ctx);
  for (const tool of TOOLS) {
    if (ctx.config.readOnly && !tool.annotations.readOnlyHint) continue;
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: lean(tool.input), outputSchema: lean(tool.output, tool.listed), annotations: tool.annotations },
      async (args: unknown, req: McpContext) => {
        try {
          const out = await tool.run(args, ctx, callInfo(server, req));
          if (isInputRequiredResult(out)) return out;
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
