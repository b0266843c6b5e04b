// Builds the MCP server from the tool catalog. Every failure becomes a tool result with isError: true that says
// what to do, never a protocol error or a crash. Read-only mode registers no write tool at all.
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, isInputRequiredResult, McpServer, type ClientCapabilities, type ServerContext as McpContext } from '@modelcontextprotocol/server';
import { TOOLS } from '../tools/index.js';
import { lean } from '../tools/tool.js';
import type { Backend } from './aws/backend.js';
import { fromAwsError } from './aws/errors.js';
import { allowedChoices, type ServerContext } from './context.js';
import { z } from 'zod';
import { ToolError, type ErrorCode } from './errors.js';
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

/**
 * A failure as the agent gets it: the message, then its stable code, in the text and in structuredContent (the SDK
 * and its client validate structuredContent against the outputSchema only when isError is not set).
 */
export function errorResult(message: string, code: ErrorCode) {
  return { content: [{ type: 'text' as const, text: `${message}\n(code: ${code})` }], structuredContent: { code, message }, isError: true as const };
}

/** What the SDK refuses itself (arguments that fail the inputSchema, a result that fails the outputSchema). */
const sdkErrorCode = (message: string): ErrorCode => (/^(MCP error -?\d+: )?Output validation/.test(message) ? 'internal' : 'invalid_argument');

/**
 * The SDK answers arguments that fail the inputSchema with an isError result of its own, without a code; its
 * private hook is wrapped so those carry one too (test/error-codes.test.ts fails if the SDK renames it).
 */
function codeSdkErrors(server: McpServer): void {
  const inner = server as unknown as { createToolError?: (message: string) => unknown };
  if (typeof inner.createToolError !== 'function') throw new Error('MCP SDK: McpServer.createToolError is gone; update codeSdkErrors');
  inner.createToolError = (message: string) => errorResult(message, sdkErrorCode(message));
}

/**
 * Why no tool can work right now (a state or audit file that cannot be used, see src/stateFiles.ts), answered to
 * every call with code state_file instead of an emulator failure per call.
 */
export interface FileCheck {
  /** The problem known now, if any (checked again while there is one, so a fixed file works without a restart). */
  blocked(): string | undefined;
  /** Checked again after a call failed unexpectedly: another process may have broken the file since. */
  recheck(): string | undefined;
}

const NO_FILES: FileCheck = { blocked: () => undefined, recheck: () => undefined };

export function createServer(ctx: ServerContext, files: FileCheck = NO_FILES): McpServer {
  const server = new McpServer(
    { name: NAME, version: VERSION },
    { capabilities: CAPABILITIES, instructions: INSTRUCTIONS },
  );
  codeSdkErrors(server);
  registerPrompts(server, ctx.config.readOnly, ctx.config.toolsets.includes('audit'));
  registerResources(server, ctx);
  const extra = accountFields(ctx);
  for (const tool of TOOLS) {
    // Read-only lists every read tool (its catalog is small); otherwise an opt-in toolset must be asked for.
    if (ctx.config.readOnly ? !tool.annotations.readOnlyHint : tool.toolset && !ctx.config.toolsets.includes(tool.toolset)) continue;
    server.registerTool(
      tool.name,
      // list_changes reads the local audit log, whatever the account: it takes no profile or region.
      { description: tool.description, inputSchema: lean(strictInput(tool.input.shape, tool.annotations.openWorldHint ? extra : {}), 'input', undefined, tool.brief, tool.unlisted), outputSchema: lean(tool.output, 'output', tool.listed), annotations: tool.annotations },
      async ({ profile, region, ...args }: { profile?: string; region?: string }, req: McpContext) => {
        let scoped = ctx;
        const problem = files.blocked();
        if (problem) return errorResult(problem, 'state_file');
        try {
          scoped = ctx.forCall({ profile, region });
          const run = () => tool.run(args, forClient(scoped, clientName(server, req)), callInfo(server, req, tool.name));
          // restApiId of an id's shape is tried as an id; a name of that shape ("production") is found the second time.
          const out = await run().catch(async (err) => ((await scoped.resolver.namedAfterAll(() => scoped.backend.gateway(), err, args)) ? run() : Promise.reject(err)));
          if (isInputRequiredResult(out)) return out;
          // Every result names the account, region and profile it touched.
          const account = await scoped.backend.account();
          const named = { ...out, ...(account ? { account } : {}), ...(scoped.backend.region ? { region: scoped.backend.region } : {}), ...(scoped.backend.profile ? { profile: scoped.backend.profile } : {}) };
          return { content: [{ type: 'text' as const, text: tool.text ? tool.text(named as never) : JSON.stringify(named) }], structuredContent: named };
        } catch (err) {
          const broken = err instanceof ToolError ? undefined : files.recheck();
          if (broken) return errorResult(broken, 'state_file');
          const e = err instanceof ToolError ? err : fromAwsError(err, scoped.backend);
          return errorResult(e.message, e.code);
        }
      },
    );
  }
  return server;
}
