// What goes live: the per-method difference between what a stage serves and the working definition, each
// difference marked with the change of this server's audit log that made it, or as made elsewhere (console,
// Terraform, another tool). A change and its undo leave no difference: only the net state is compared.
import { z } from 'zod';
import { boundDoc } from '../patch/bounded.js';
import { diffDocs } from '../patch/diff.js';
import { escapeSegment } from '../patch/pointer.js';
import { standingUndos, type AuditRecord, type StepRecord } from '../safety/audit.js';
import { canonicalIntegration, canonicalIntegrationResponse, canonicalMethodResponse, type Doc, type MethodShape } from './shape.js';

export const PART = ['method', 'integration', 'integrationResponse', 'requestParameter', 'methodResponse'] as const;

export const DifferenceSchema = z.object({
  method: z.string().describe('"GET /orders/{id}"'),
  part: z.enum(PART),
  /** The status code (responses) or parameter name. */
  key: z.string().optional(),
  /** Where inside the part, as a pointer (/timeoutInMillis); absent when the whole part is added or removed. */
  setting: z.string().optional(),
  change: z.enum(['added', 'removed', 'changed']).describe('added: in the working definition, not live yet'),
  live: z.unknown().optional(),
  working: z.unknown().optional(),
  madeBy: z.enum(['this server', 'elsewhere']),
  changeId: z.string().optional(),
});
export type Difference = z.infer<typeof DifferenceSchema>;

type Raw = Omit<Difference, 'madeBy' | 'changeId'>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (d: Doc): Doc => Object.fromEntries(Object.entries(d).sort(([a], [b]) => a.localeCompare(b)));

/** One difference per setting when a part changed; one for the whole part when it was added or removed. */
function partDiff(out: Raw[], base: Pick<Raw, 'method' | 'part' | 'key'>, live: Doc | undefined, working: Doc | undefined): void {
  if (same(live, working)) return;
  if (live === undefined) return void out.push({ ...base, change: 'added', working });
  if (working === undefined) return void out.push({ ...base, change: 'removed', live });
  for (const d of diffDocs(live, working))
    out.push({ ...base, setting: d.path, change: d.before === undefined ? 'added' : d.after === undefined ? 'removed' : 'changed', ...(d.before !== undefined ? { live: d.before } : {}), ...(d.after !== undefined ? { working: d.after } : {}) });
}

function keyedDiff(out: Raw[], method: string, part: Raw['part'], live: Doc, working: Doc): void {
  for (const key of [...new Set([...Object.keys(live), ...Object.keys(working)])].sort()) partDiff(out, { method, part, key }, live[key], working[key]);
}

function methodSummary(m: MethodShape): Doc {
  return { ...(m.integration ? { integration: { type: m.integration.type, ...(m.integration.uri ? { uri: m.integration.uri } : {}) } } : {}) };
}

/** Live (what the stage serves) against working (what the next deployment would ship), per method. */
export function diffDefinitions(live: Map<string, MethodShape>, working: Map<string, MethodShape>): Raw[] {
  const out: Raw[] = [];
  for (const key of [...new Set([...live.keys(), ...working.keys()])]) {
    const l = live.get(key);
    const w = working.get(key);
    if (!l || !w) {
      out.push({ method: key, part: 'method', change: l ? 'removed' : 'added', ...(l ? { live: methodSummary(l) } : { working: methodSummary(w!) }) });
      continue;
    }
    for (const name of [...new Set([...Object.keys(l.requestParameters), ...Object.keys(w.requestParameters)])].sort()) {
      const [a, b] = [l.requestParameters[name], w.requestParameters[name]];
      if (a !== b) out.push({ method: key, part: 'requestParameter', key: name, change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed', ...(a !== undefined ? { live: { required: a } } : {}), ...(b !== undefined ? { working: { required: b } } : {}) });
    }
    keyedDiff(out, key, 'methodResponse', l.methodResponses, w.methodResponses);
    // The cache namespace defaults to the resource id, which only the working side knows.
    const liveIntegration = l.integration && w.integration && l.integration.cacheNamespace === undefined ? { ...l.integration, cacheNamespace: w.resourceId } : l.integration;
    partDiff(out, { method: key, part: 'integration' }, liveIntegration && sorted(liveIntegration), w.integration && sorted(w.integration));
    keyedDiff(out, key, 'integrationResponse', l.integrationResponses, w.integrationResponses);
  }
  return out;
}

// --- which change made it ---

/** One resource write of this server: an old single-resource record, or one step of a plan. */
interface Touch {
  changeId: string;
  resource: StepRecord['resource'];
  address: Record<string, string>;
  before?: Doc;
  after?: Doc;
}

/** The writes of standing changes (applied, not undone) on one API, newest first. */
export function touchesOf(records: readonly AuditRecord[], restApiId: string, backend: string): Touch[] {
  const undone = standingUndos([...records]);
  const out: Touch[] = [];
  for (const r of records) {
    if (r.phase || r.kind === 'deployment' || undone.has(r.changeId) || r.target.restApiId !== restApiId || r.backend !== backend) continue;
    if (r.kind === 'plan') for (const s of r.steps ?? []) out.push({ changeId: r.changeId, resource: s.resource, address: s.address, before: s.before, after: s.after });
    else out.push({ changeId: r.changeId, resource: r.kind, address: r.target, before: r.before, after: r.after });
  }
  return out.reverse();
}

/** A resource document in the form the difference compares, for each kind a difference can be about. */
const CANONICAL: Partial<Record<Raw['part'], { resource: Touch['resource']; of: (d: Doc) => Doc }>> = {
  integration: { resource: 'integration', of: canonicalIntegration },
  integrationResponse: { resource: 'integrationResponse', of: canonicalIntegrationResponse },
  methodResponse: { resource: 'methodResponse', of: canonicalMethodResponse },
  requestParameter: { resource: 'method', of: (m) => m.requestParameters ?? {} },
};

const at = (doc: Doc | undefined, pointer: string | undefined): unknown => {
  if (doc === undefined || !pointer) return doc;
  let node: any = doc;
  for (const seg of pointer.slice(1).split('/')) node = node?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
};

/** The value a difference's working side has, in the same terms as `at(canonical(after), pointer)`. */
function pointerAndWorking(d: Raw): { pointer: string | undefined; working: unknown } {
  if (d.part === 'requestParameter') return { pointer: `/${escapeSegment(d.key!)}`, working: (d.working as Doc | undefined)?.required };
  return { pointer: d.setting, working: d.working };
}

/**
 * Marks each difference with the newest standing change of this server that wrote that resource and left it as the
 * working definition has it (and changed that very setting); any other difference was made elsewhere.
 */
export function attribute(raw: readonly Raw[], working: Map<string, MethodShape>, touches: readonly Touch[]): Difference[] {
  return raw.map((d) => {
    const how = CANONICAL[d.part];
    const m = working.get(d.method);
    const { pointer, working: value } = pointerAndWorking(d);
    const hit =
      how && m?.resourceId
        ? touches.find((t) => {
            if (t.resource !== how.resource || t.address.resourceId !== m.resourceId || t.address.httpMethod !== m.httpMethod) return false;
            if ((d.part === 'integrationResponse' || d.part === 'methodResponse') && t.address.statusCode !== d.key) return false;
            const after = t.after && Object.keys(t.after).length ? at(how.of(t.after), pointer) : undefined;
            const before = t.before && Object.keys(t.before).length ? at(how.of(t.before), pointer) : undefined;
            return same(after, value) && !same(before, after);
          })
        : undefined;
    return { ...d, ...(d.live !== undefined ? { live: boundDoc(d.live) } : {}), ...(d.working !== undefined ? { working: boundDoc(d.working) } : {}), ...(hit ? { madeBy: 'this server' as const, changeId: hit.changeId } : { madeBy: 'elsewhere' as const }) };
  });
}
