// Applies validated patch operations to a local copy of an Integration / IntegrationResponse, the same way
// API Gateway does, so a preview's `after` and the emulator's stored state come from one function.
import type { PatchOperation, PatchRule } from './rules.js';
import { storedTemplate, type Doc } from './values.js';

/** Sets an own property even for keys such as `__proto__`, which plain assignment would treat specially. */
function setOwn(target: Doc, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function container(doc: Doc, field: readonly string[], make: () => unknown): Doc {
  let node = doc;
  for (const name of field.slice(0, -1)) {
    if (node[name] == null || typeof node[name] !== 'object') setOwn(node, name, {});
    node = node[name];
  }
  const last = field[field.length - 1];
  if (node[last] == null) setOwn(node, last, make());
  return node;
}

/** Applies one op (already matched to its rule and validated) to `doc` in place. */
export function applyOp(doc: Doc, rule: PatchRule, key: string | undefined, op: PatchOperation): void {
  const last = rule.field[rule.field.length - 1];
  if (rule.keyed?.kind === 'set') {
    const parent = container(doc, rule.field, () => []);
    const list: string[] = parent[last];
    if (op.op === 'remove') setOwn(parent, last, list.filter((m) => m !== key));
    else if (!list.includes(key!)) list.push(key!);
    return;
  }
  if (rule.keyed?.kind === 'map') {
    // Booleans (a required parameter or header) are stored decoded; an empty template (pass the body through) is
    // stored, and returned by AWS, as null (apigw-spec.md §1.4).
    const parent = container(doc, rule.field, () => ({}));
    const map: Doc = parent[last];
    if (op.op === 'remove') {
      delete map[key!];
      // AWS omits a map that has no entries left.
      if (Object.keys(map).length === 0) delete parent[last];
    } else setOwn(map, key!, rule.decode ? rule.decode(op.value ?? '') : storedTemplate(op.value));
    return;
  }
  const parent = container(doc, rule.field, () => undefined);
  if (op.op === 'remove') delete parent[last];
  else setOwn(parent, last, rule.decode ? rule.decode(op.value!) : op.value);
}
