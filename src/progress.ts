// A long call's progress (a batch over many integrations): MCP `notifications/progress` when the client asked for
// them (a progressToken in the request's _meta), and a line on stderr either way. Never fails the call.
import type { ServerContext as McpContext } from '@modelcontextprotocol/server';
import { log } from './log.js';

export type Progress = (done: number, total: number, message: string) => void;

export function progressReporter(req: McpContext, tool: string): Progress {
  const token = req.mcpReq._meta?.progressToken;
  // The spec wants progress to increase with each notification: a repeated or smaller count is logged only.
  let last = -Infinity;
  return (done, total, message) => {
    log(`${tool}: ${done}/${total} ${message}`);
    if (token === undefined || !(done > last)) return;
    last = done;
    // Through a promise, so a transport that throws at once cannot fail the call either; the order is kept.
    Promise.resolve()
      .then(() => req.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message } }))
      .catch((err: Error) => log(`${tool}: progress notification not sent: ${err?.message ?? err}`));
  };
}
