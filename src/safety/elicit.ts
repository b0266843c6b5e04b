// How a 2025-era connection is asked: the tool call itself sends `elicitation/create` and waits for the answer, at
// most the approval TTL. (The SDK's input-required shim would send it too, but waits up to 10 minutes whatever
// --approval-ttl says, and reports a timeout as an error.) 2026-07-28 requests get no sender: they are answered
// with an `input_required` result, and nothing waits on the server for the client's retry.
import { PROTOCOL_VERSION_META_KEY, type McpServer, type ServerContext as McpContext } from '@modelcontextprotocol/server';
import type { CallInfo } from './confirm.js';

/** Protocol revisions from this one on have no server-to-client requests (the SDK compares the same way). */
const FIRST_MODERN_REVISION = '2026-07-28';

/** `elicit` for a CallInfo on a 2025-era connection; nothing on a 2026-07-28 request or before initialize. */
export function pushElicitation(server: McpServer, req: McpContext): Pick<CallInfo, 'elicit'> {
  const revision = (req.mcpReq.envelope?.[PROTOCOL_VERSION_META_KEY as never] as string | undefined) ?? server.server.getNegotiatedProtocolVersion();
  if (!revision || revision >= FIRST_MODERN_REVISION) return {};
  // Sent as related to the tool call (HTTP puts it on that call's stream); cancelling the call cancels the question,
  // and so does the Confirmer withdrawing it (the server stops).
  return { elicit: (request, timeoutMs, signal) => req.mcpReq.send(request, { timeout: timeoutMs, signal: AbortSignal.any([req.mcpReq.signal, signal]) }) };
}
