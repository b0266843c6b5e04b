// Before/after diff of two documents, addressed with the same JSON Pointers that patch paths use.
import { escapeSegment } from './pointer.js';
import type { Doc } from './values.js';

export type Change = {
  path: string;
  before?: unknown;
  after?: unknown;
};

const isPlainObject = (x: unknown): x is Doc => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Flattens nested objects to pointer -> leaf; arrays and scalars are leaves. */
function flatten(doc: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isPlainObject(doc)) {
    for (const [k, val] of Object.entries(doc)) flatten(val, `${prefix}/${escapeSegment(k)}`, out);
  } else if (doc !== undefined) out.set(prefix, doc);
  return out;
}

export function diffDocs(before: Doc | undefined, after: Doc | undefined): Change[] {
  const a = flatten(before ?? {}, '', new Map());
  const b = flatten(after ?? {}, '', new Map());
  const changes: Change[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    changes.push({ path, ...(a.has(path) ? { before: x } : {}), ...(b.has(path) ? { after: y } : {}) });
  }
  return changes;
}
