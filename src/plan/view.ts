// The view a human reads before approving a plan (src/safety/view.ts): the server's title and reasons, then one
// group per resource with its before -> after, effective values where a setting is absent ("verified (default)").
import { diffDocs } from '../patch/diff.js';
import { matchRule } from '../patch/validate.js';
import type { Doc } from '../patch/values.js';
import type { HumanView, Shown, ViewGroup } from '../safety/view.js';
import { boundValue } from '../patch/bounded.js';
import { headingOf, resourceKey, type CheckedStep } from './step.js';
import type { Resource } from '../patch/rules.js';

/** A value, or what its absence means in the rule's words. */
function shown(resource: Resource, path: string, value: unknown): Shown {
  if (value !== undefined) return { value: boundValue(value) };
  return { meaning: matchRule(resource, path)?.rule.absentMeaning ?? 'not set' };
}

/** The plan's resources, each once, from its first before to its last after, in the order first touched. */
export function groupsOf(steps: readonly CheckedStep[]): { resource: Resource; key: string; heading: string; before?: Doc; after?: Doc; actions: string[] }[] {
  const groups = new Map<string, { resource: Resource; key: string; heading: string; before?: Doc; after?: Doc; actions: string[] }>();
  for (const s of steps) {
    const key = resourceKey(s.resource, s.address);
    const { integrationResponses: _, ...before } = s.before ?? {};
    const g = groups.get(key) ?? { resource: s.resource, key, heading: headingOf(s.resource, s.address), ...(s.before && { before: s.resource === 'integration' ? before : s.before }), actions: [] };
    g.after = s.after;
    g.actions.push(s.action);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export function viewGroups(steps: readonly CheckedStep[]): ViewGroup[] {
  return groupsOf(steps).map((g) => ({
    heading: g.heading,
    action: !g.before ? 'create' : !g.after ? 'delete' : g.actions.includes('put') ? 'replace' : 'update',
    changes: diffDocs(g.before, g.after).map((c) => ({ setting: c.path, before: shown(g.resource, c.path, c.before), after: shown(g.resource, c.path, c.after) })),
  }));
}

export type ViewFacts = Omit<HumanView, 'groups' | 'risk' | 'reasons' | 'notes'>;

export function humanView(facts: ViewFacts, steps: readonly CheckedStep[], risk: HumanView['risk'], reasons: string[], notes: string[]): HumanView {
  return { ...facts, risk, reasons, groups: viewGroups(steps), ...(notes.length ? { notes } : {}) };
}
