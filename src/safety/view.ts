// What a human reads before approving a change: built by the server (plan engine, deploys), rendered by one
// renderer for the approval page, the elicitation question and the token message. Every string typed here as
// "server words" is the server's own text; agent-supplied and AWS-stored data travels only as `Shown.value`, which
// the renderer shows quoted, on one line, cut to size with its length and hash.
import type { RiskLevel } from '../patch/rules.js';

/**
 * A value as a person reads it. `value`: stored data (an agent's argument or what AWS holds), shown quoted.
 * `meaning`: the server's own words for what an absent or default setting does ("verified (default)", "not set").
 */
export type Shown = { value: unknown } | { meaning: string };

export interface ViewChange {
  /** Server words naming the setting: "TLS certificate verification", or the patch path. */
  setting: string;
  before: Shown;
  after: Shown;
}

export interface ViewGroup {
  /** Server words: "Integration of GET /orders/{id}", "Method response 404 of GET /orders/{id}", "Stage prod". */
  heading: string;
  action: 'create' | 'update' | 'replace' | 'delete';
  changes: ViewChange[];
}

export interface HumanView {
  /** Plain language, made by the server from the change: "Turn off TLS certificate verification for GET /orders/{id} of shop". */
  title: string;
  kind: 'change' | 'batch' | 'undo' | 'deploy';
  api: { id: string; name?: string };
  /** The backend label (local emulator, AWS, an endpoint), account, region and profile the change goes to. */
  backend: string;
  account?: string;
  region?: string;
  profile?: string;
  /** Stages serving the API (the renderer highlights a prod-like name); absent when unknown. */
  stages?: string[];
  /** The MCP client that asked (its clientInfo name: agent-supplied, so shown quoted). */
  client?: string;
  risk: RiskLevel;
  /** Why a human is asked, in the server's words, one per risky part ("turns off TLS certificate verification: ..."). */
  reasons: string[];
  /** Per resource, in the order the plan applies them. */
  groups: ViewGroup[];
  /** Batches: every target ("GET /orders/{id}"); collapsed beyond a screenful by the renderer, never cut silently. */
  targets?: string[];
  /** Further facts in server words, e.g. "also declares method.request.querystring.page on GET /orders". */
  notes?: string[];
}
