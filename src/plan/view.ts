// The view a human reads before approving a plan (src/safety/view.ts): the server's title and reasons, then one
// group per resource with its before -> after in words from the rules table: a setting's label, what its absence
// means ("verified (default)"), and what a stored value means where the value reads badly.
import { boundValue } from '../patch/bounded.js';
import { diffDocs, type Change } from '../patch/diff.js';
import { maxRisk, RISK_ORDER, type PatchOperation, type Resource } from '../patch/rules.js';
import { matchRule } from '../patch/validate.js';
import type { Doc } from '../patch/values.js';
import type { HumanView, Shown, ViewChange, ViewGroup } from '../safety/view.js';
import { headingOf, resourceKey, type CheckedStep } from './step.js';

/** A setting as a person names it, from its row (the path itself where no row has a label). */
function settingOf(resource: Resource, path: string) {
  const match = matchRule(resource, path);
  const rule = match?.rule;
  const label = rule?.label ? (rule.keyed && match?.key !== undefined ? `${rule.label} ${match.key}` : rule.label) : path;
  return { label, absent: rule?.absentMeaning ?? 'not set', meaning: rule?.meaning };
}

function shown(s: ReturnType<typeof settingOf>, value: unknown, present: boolean): Shown {
  if (!present) return { meaning: s.absent };
  const meaning = s.meaning?.(value);
  return meaning !== undefined ? { meaning } : { value: boundValue(value) };
}

/** One value of a setting as a person reads it: its meaning where the rules give one, else the value itself. */
export const shownSetting = (resource: Resource, path: string, value: unknown, present: boolean): Shown => shown(settingOf(resource, path), value, present);

/** A before/after diff of one resource as a person reads it. */
export function viewChanges(resource: Resource, diff: Change[]): ViewChange[] {
  return diff.map((d) => {
    const s = settingOf(resource, d.path);
    return { setting: s.label, before: shown(s, d.before, 'before' in d), after: shown(s, d.after, 'after' in d) };
  });
}

/** The start of a title from what the riskiest op with a title does ("Turn off TLS certificate verification for"). */
export function titleVerb(resource: Resource, ops: readonly PatchOperation[]): string | undefined {
  const titled = ops.flatMap((op) => {
    const rule = matchRule(resource, op.path)?.rule;
    const does = rule?.does?.[op.value ?? ''] ?? rule?.does?.['*'];
    return does && rule ? [{ does, level: RISK_ORDER.indexOf(rule.riskByValue?.[op.value ?? ''] ?? rule.risk) }] : [];
  });
  return titled.sort((a, b) => b.level - a.level)[0]?.does;
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
    changes: viewChanges(g.resource, diffDocs(g.before, g.after)),
  }));
}

export type ViewFacts = Omit<HumanView, 'groups' | 'risk' | 'reasons' | 'notes'>;

export function humanView(facts: ViewFacts, steps: readonly CheckedStep[], notes: string[]): HumanView {
  const risk = maxRisk(steps.map((s) => s.risk));
  const reasons = [...new Set(steps.filter((s) => s.risk === risk).flatMap((s) => s.plain))];
  return { ...facts, risk, reasons, groups: viewGroups(steps), ...(notes.length ? { notes } : {}) };
}
