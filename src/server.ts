// Builds the MCP server from the tool catalog. Every failure becomes a tool result with isError: true that says
// what to do, never a protocol error or a crash. Read-only mode registers no write tool at all.
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, isInputRequiredResult, McpServer, type ClientCapabilities, type ServerContext as McpContext } from '@modelcontextprotocol/server';
import { TOOLS } from '../tools/index.js';
import { lean } from '../tools/tool.js';
import type { Backend } from './aws/backend.js';
import { fromAwsError } from './aws/errors.js';
import { allowedChoices, type ServerContext } from './context.js';
import { z } from 'zod';
import { ToolError } from './errors.js';
import { CAPABILITIES, INSTRUCTIONS } from './guidance/instructions.js';
import { registerPrompts } from './guidance/prompts.js';
import { registerResources } from './guidance/resources.js';
import type { CallInfo } from './safety/confirm.js';
import { pushElicitation } from './safety/elicit.js';
import { progressReporter } from './progress.js';
import { clientKeyOf } from './safety/limits.js';
import { NAME, VERSION } from './version.js';

/** Form-mode elicitation: declared per request (2026-07-28) or at initialize (2025 era); `{}` means form. */
function canElicit(server: McpServer, req: McpContext): boolean {
  const caps = (req.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY as never] as ClientCapabilities | undefined) ?? server.server.getClientCapabilities();
  const e = caps?.elicitation as Record<string, unknown> | undefined;
  return !!e && (Object.keys(e).length === 0 || e.form !== undefined);
}

/** The MCP client's name: per request (2026-07-28) or from initialize (2025 era). */
function clientName(server: McpServer, req: McpContext): string {
  const info = req.mcpReq.envelope?.[CLIENT_INFO_META_KEY as never] as { name?: string } | undefined;
  return info?.name ?? server.server.getClientVersion()?.name ?? 'unknown';
}

/** The account's context, with a gateway that names this MCP client in its requests' user agent. */
function forClient(ctx: ServerContext, name: string): ServerContext {
  const backend = ctx.backend;
  // Not a spread: label and region are getters that change once the backend has connected.
  const view: Backend = Object.create(backend);
  view.gateway = async () => (await backend.gateway()).as(name);
  return { ...ctx, backend: view, client: name };
}

function callInfo(server: McpServer, req: McpContext, tool: string): CallInfo {
  const state = req.mcpReq.requestState();
  return {
    progress: progressReporter(req, tool),
    canElicit: canElicit(server, req),
    client: { key: clientKeyOf(req.sessionId, clientName(server, req)), name: clientName(server, req) },
    ...(typeof state === 'string' ? { requestState: state } : {}),
    ...(req.mcpReq.inputResponses ? { inputResponses: req.mcpReq.inputResponses } : {}),
    ...pushElicitation(server, req),
  };
}

/** Per-call profile and region, listed only when the server allows some besides the start-up ones. */
function accountFields(ctx: ServerContext): Record<string, z.ZodType> {
  const { profiles, regions } = allowedChoices(ctx.config);
  return {
    ...(ctx.config.allowProfiles.length ? { profile: z.enum(profiles as [string, ...string[]]).optional() } : {}),
    ...(ctx.config.allowRegions.length ? { region: z.enum(regions as [string, ...string[]]).optional() } : {}),
  };
}

/** Unknown fields are refused, not ignored: a mistyped field must not turn into a change to something else. */
function strictInput(shape: z.ZodRawShape, extra: Record<string, z.ZodType>) {
  return z.strictObject(
    { ...shape, ...extra },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown field(s): ${iss.keys.join(', ')}${iss.keys.some((k) => k === 'profile' || k === 'region') ? ' (per-call profile and region need --allow-profile / --allow-region at start)' : ''}`
          : undefined,
    },
  );
}

export function createServer(ctx: ServerContext): McpServer {
  const server = new McpServer(
    { name: NAME, version: VERSION },
    { capabilities: CAPABILITIES, instructions: INSTRUCTIONS },
  );
  registerPrompts(server, ctx.config.readOnly);
  registerResources(server, ctx);
  const extra = accountFields(ctx);
  for (const tool of TOOLS) {
    if (ctx.config.readOnly && !tool.annotations.readOnlyHint) continue;
    server.registerTool(
      tool.name,
      // list_changes reads the local audit log, whatever the account: it takes no profile or region.
      { description: tool.description, inputSchema: lean(strictInput(tool.input.shape, tool.annotations.openWorldHint ? extra : {}), 'input'), outputSchema: lean(tool.output, 'output', tool.listed), annotations: tool.annotations },
      async ({ profile, region, ...args }: { profile?: string; region?: string }, req: McpContext) => {
        let scoped = ctx;
        try {
          scoped = ctx.forCall({ profile, region });
          const out = await tool.run(args, forClient(scoped, clientName(server, req)), callInfo(server, req, tool.name));
          if (isInputRequiredResult(out)) return out;
          // Every result names the account, region and profile it touched.
          const account = await scoped.backend.account();
          const named = { ...out, ...(account ? { account } : {}), ...(scoped.backend.region ? { region: scoped.backend.region } : {}), ...(scoped.backend.profile ? { profile: scoped.backend.profile } : {}) };
          return { content: [{ type: 'text' as const, text: tool.text ? tool.text(named as never) : JSON.stringify(named) }], structuredContent: named };
        } catch (err) {
          const e = err instanceof ToolError ? err : fromAwsError(err, scoped.backend);
          return { content: [{ type: 'text' as const, text: e.message }], isError: true };
        }
      },
    );
  }
  return server;
}
