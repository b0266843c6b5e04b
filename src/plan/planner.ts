// What a write tool hands the pipeline: how to check its input without AWS, what to read, and how to turn the read
// state into steps. One planner per kind of intent (src/plan/planners/).
import type { Gateway } from '../aws/gateway.js';
import type { RiskLevel } from '../patch/rules.js';
import type { Doc } from '../patch/values.js';
import type { FieldNamer } from './check.js';
import type { WriteContext } from './context.js';
import type { Model } from './model.js';
import type { Address, Step } from './step.js';
import type { HumanView } from '../safety/view.js';

export interface Built {
  steps: Step[];
  /** The resource the agent asked about: its before/after/diff head the result. */
  subject: { resource: 'method' | 'methodResponse' | 'integration' | 'integrationResponse'; address: Address };
  /** Server words for the human's title: "Turn off TLS certificate verification for GET /orders/{id} of shop". */
  title: string;
  /** Further facts in server words (what the plan drops, what the agent should know). */
  notes?: string[];
  /** Batches: every target, for the human's view (collapsed beyond a screenful, never cut). */
  targets?: string[];
  /** Why the plan is empty when the state already is as asked (no_change message). */
  already?: string;
}

export interface Planner {
  kind: HumanView['kind'];
  /** Checks what can be checked without AWS (throws ToolError); the risk the input carries whatever the state. */
  checkLocally(): RiskLevel;
  /** Resolves names, checks the write scope and reads what the plan needs (one GetMethod per method). */
  read(ctx: WriteContext, gateway: Gateway): Promise<Model>;
  /** The steps, against the read state (throws ToolError for what the state rules out). */
  build(model: Model): Built;
  /** The target as results name it. */
  target(model: Model): Record<string, string>;
  /** Names a tool's own fields in problems. */
  names?: FieldNamer;
  /** Further result fields the plan knows after build (a batch's targets, skipped and unchanged). */
  extra?(): Record<string, unknown>;
  /** A conflict to answer instead of building (undo: a resource moved since the change), or nothing. */
  moved?(model: Model): { message: string; before: Doc; after: Doc } | undefined;
}
