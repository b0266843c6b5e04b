// How much waiting-for-a-human state one client, and the whole server, may hold: pending approvals and open
// questions by count and bytes, and calls held open on a question (2025-era elicitation). Beyond a cap the call is
// refused (ToolError 'throttled', saying to answer or reject the open ones), never kept, so no client can exhaust
// the server's memory or its --max-concurrent slots.

export interface WaitingLimits {
  /** Approvals and open questions one client (an HTTP session, the stdio connection) may have at once. */
  perClient: number;
  perClientBytes: number;
  /** The same for the whole server. */
  total: number;
  totalBytes: number;
  /** Calls of one client held open while the human is asked (2025-era elicitation): each holds an HTTP slot. */
  waitingPerClient: number;
  waitingTotal: number;
}

export const WAITING_LIMITS: WaitingLimits = {
  perClient: 32,
  perClientBytes: 1024 * 1024,
  total: 1024,
  totalBytes: 32 * 1024 * 1024,
  waitingPerClient: 4,
  waitingTotal: 16,
};

/**
 * Over HTTP, calls waiting for a human stay well below --max-concurrent: one client at most an eighth of it (4 of
 * the default 64), all clients together half of it, so the other half keeps serving everyone else.
 */
export function waitingLimitsFor(maxConcurrent?: number): WaitingLimits {
  if (maxConcurrent === undefined) return WAITING_LIMITS;
  return {
    ...WAITING_LIMITS,
    waitingPerClient: Math.max(1, Math.min(WAITING_LIMITS.waitingPerClient, Math.floor(maxConcurrent / 8))),
    waitingTotal: Math.max(1, Math.floor(maxConcurrent / 2)),
  };
}

/**
 * The client a call comes from: its HTTP session; else the connection (stdio: one client), told apart by the
 * client's name for requests without a session (2026-07-28 over HTTP), so honest clients do not share one cap
 * (the total cap still bounds a client that changes its name).
 */
export const clientKeyOf = (sessionId: string | undefined, name?: string) => (sessionId ? `session:${sessionId}` : `connection${name ? `:${name}` : ''}`);
