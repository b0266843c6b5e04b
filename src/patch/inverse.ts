// The ops that turn one document into another, row by row of the rules table: used to record how to undo a change.
// Where API Gateway offers no op for the way back (a field that can be replaced but not removed), it says so.
import { toPointer } from './pointer.js';
import { rulesFor, type PatchOperation, type Resource } from './rules.js';
import type { Doc } from './values.js';

const at = (doc: Doc, field: readonly string[]) => field.reduce<any>((node, name) => node?.[name], doc);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function opsBetween(resource: Resource, from: Doc, to: Doc): { ops: PatchOperation[]; blockers: string[] } {
  const ops: PatchOperation[] = [];
  const blockers: string[] = [];
  for (const rule of rulesFor(resource)) {
    const a = at(from, rule.field);
    const b = at(to, rule.field);
    if (same(a, b)) continue;
    const base = rule.field[0];
    if (rule.keyed?.kind === 'set') {
      const x: string[] = a ?? [];
      const y: string[] = b ?? [];
      for (const k of y) if (!x.includes(k)) ops.push({ op: 'add', path: toPointer(base, k) });
      for (const k of x) if (!y.includes(k)) ops.push({ op: 'remove', path: toPointer(base, k) });
    } else if (rule.keyed?.kind === 'map') {
      const x: Doc = a ?? {};
      const y: Doc = b ?? {};
      for (const k of Object.keys(x)) if (!(k in y)) ops.push({ op: 'remove', path: toPointer(base, k) });
      for (const [k, v] of Object.entries(y)) if (!(k in x)) ops.push({ op: 'add', path: toPointer(base, k), value: String(v ?? '') });
      else if (!same(x[k], v)) ops.push({ op: 'replace', path: toPointer(base, k), value: String(v ?? '') });
    } else if (b === undefined) {
      // Going back to absence: possible where absence means a value (the rule says which); otherwise not.
      if (rule.absent === undefined) blockers.push(`${rule.path} was unset before, and API Gateway cannot unset it (only ${rule.ops.join(', ')})`);
      else if (String(a) !== rule.absent) ops.push({ op: 'replace', path: rule.path, value: rule.absent });
    } else ops.push({ op: 'replace', path: rule.path, value: String(b) });
  }
  return { ops, blockers };
}
