// Turns a human's verdict into what a write does next: go ahead (and record how it was confirmed), stop with a
// result the agent can act on, or hand the SDK an input-required result to ask the question.
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import { ToolError } from '../errors.js';
import type { Verdict } from './confirm.js';

export type StopStatus = 'conflict' | 'declined' | 'approval_required' | 'approval_pending' | 'confirmation_required';

/** What a result says when no human answer lets the change go ahead. */
export interface StopFields {
  status: StopStatus;
  message: string;
  approvalId?: string;
  approvalUrl?: string;
  confirmToken?: string;
}

export type Settled =
  | { kind: 'go'; confirmation: { via: string; id?: string } }
  | { kind: 'stop'; fields: StopFields }
  | { kind: 'ask'; result: InputRequiredResult };

export function settle(v: Verdict): Settled {
  switch (v.kind) {
    case 'ask':
      return { kind: 'ask', result: v.result };
    case 'refused':
      throw new ToolError(v.message, v.code ?? 'invalid_argument');
    case 'stale':
      return { kind: 'stop', fields: { status: 'conflict', message: v.message } };
    case 'declined':
      return { kind: 'stop', fields: { status: 'declined', message: `Declined by the human (${v.via}); nothing was sent.` } };
    case 'unanswered':
      return {
        kind: 'stop',
        fields: {
          status: 'declined',
          message: `No answer to the confirmation question within ${v.seconds} s (--approval-ttl), so nothing was sent. To retry, call this tool again with the same arguments when the human can answer the client's prompt; if this client never shows it, run the server with --no-elicitation (approval page instead).`,
        },
      };
    case 'withdrawn':
      return {
        kind: 'stop',
        fields: {
          status: 'declined',
          message: 'The server is stopping, so the confirmation question was withdrawn; nothing was sent. Call this tool again with the same arguments when the server is back.',
        },
      };
    case 'approval_required':
      return {
        kind: 'stop',
        fields: {
          status: 'approval_required',
          approvalId: v.approvalId,
          approvalUrl: v.approvalUrl,
          message: `A human must approve "${v.title}" at ${v.approvalUrl} (a local page: give them the link). Then call this tool again with the same arguments and confirmation: "${v.approvalId}". Nothing was sent.`,
        },
      };
    case 'approval_pending':
      return {
        kind: 'stop',
        fields: { status: 'approval_pending', approvalId: v.approvalId, approvalUrl: v.approvalUrl, message: `Not decided yet at ${v.approvalUrl}. Call again with confirmation: "${v.approvalId}" once the human has approved. Nothing was sent.` },
      };
    case 'confirmation_required':
      return {
        kind: 'stop',
        fields: {
          status: 'confirmation_required',
          confirmToken: v.confirmToken,
          // Starts with what the human must read (the server's summary and reasons first), then what to do.
          message: `${v.text}\n\nShow the text above to the human; only if they agree, call again with the same arguments and confirmation set to confirmToken. Nothing was sent.`,
        },
      };
    case 'approved':
      return { kind: 'go', confirmation: { via: v.via, id: v.id } };
  }
}
