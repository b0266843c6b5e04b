// History as a person asks for it: each op of a recorded change with the value before and after it (from the
// record itself), and which stages already serve the change (a deployment made after it) and which do not yet.
import type { Backend } from '../aws/backend.js';
import type { Gateway } from '../aws/gateway.js';
import { boundDoc } from '../patch/bounded.js';
import { parsePointer } from '../patch/pointer.js';
import type { AuditRecord } from '../safety/audit.js';
import type { Doc } from './shape.js';

type Op = AuditRecord['ops'][number];

/** The value at a patch path of a document; a path into a list (a cache key) gives the whole list. */
function valueAt(doc: Doc | undefined, path: string): unknown {
  let node: any = doc;
  for (const key of parsePointer(path) ?? []) {
    if (node === undefined || node === null || Array.isArray(node)) return node ?? undefined;
    node = node[key];
  }
  return node ?? undefined;
}

const withValues = (ops: readonly Op[], before: Doc | undefined, after: Doc | undefined) =>
  ops.map((op) => boundDoc({ ...op, before: valueAt(before, op.path), after: valueAt(after, op.path) }));

/** Ops with before -> after values: a plan's from each step, an older record's from its own before/after. */
export function opsWithValues(r: AuditRecord): { ops: Doc[]; steps?: Doc[] } {
  if (r.kind !== 'plan' || !r.steps) return { ops: withValues(r.ops, r.before, r.after) };
  return {
    // Every op of the plan with its before -> after at a glance; `steps` says which resource each belongs to.
    ops: r.steps.flatMap((s) => (s.ops?.length ? withValues(s.ops, s.before, s.after) : [])),
    steps: r.steps.map((s) => ({
      resource: s.resource,
      address: s.address,
      action: s.action,
      // A put or delete of a whole document shows the documents; an update its ops with their values.
      ...(s.ops?.length ? { ops: withValues(s.ops, s.before, s.after) } : { ...(s.before ? { before: boundDoc(s.before) } : {}), ...(s.after ? { after: boundDoc(s.after) } : {}) }),
    })),
  };
}

export interface Serving {
  serving: string[];
  notServing: string[];
}

/**
 * For each API: a function telling, for a change made at `time`, which stages serve it. A stage serves it when its
 * current deployment was made after the change: known exactly when this server recorded that deployment, else from
 * the deployment's date (whole seconds: a deployment in the same second counts as not serving, the safe side).
 */
export async function servingOf(gateway: Gateway, restApiId: string, records: readonly AuditRecord[]): Promise<(time: string) => Serving> {
  const [stages, deployments] = await Promise.all([gateway.getStages(restApiId), gateway.listDeployments(restApiId)]);
  const created = new Map(deployments.map((d) => [d.id as string, d.createdDate instanceof Date ? d.createdDate.getTime() : Number(d.createdDate) * 1000]));
  const ours = new Map(records.filter((r) => r.kind === 'deployment' && r.deploymentId).map((r) => [r.deploymentId!, Date.parse(r.time)]));
  return (time) => {
    const t = Date.parse(time);
    const out: Serving = { serving: [], notServing: [] };
    for (const s of [...stages].sort((a, b) => String(a.stageName).localeCompare(String(b.stageName)))) {
      const at = ours.get(s.deploymentId);
      const after = at !== undefined ? at > t : (created.get(s.deploymentId) ?? 0) >= Math.ceil(t / 1000) * 1000 && (created.get(s.deploymentId) ?? 0) > t;
      (after ? out.serving : out.notServing).push(s.stageName as string);
    }
    return out;
  };
}

/** Which stages serve each listed change, read once per API of this backend; absent where it cannot be told. */
export async function stagesServing(picked: readonly AuditRecord[], records: readonly AuditRecord[], backend: Backend): Promise<(r: AuditRecord) => Serving | undefined> {
  const ids = [...new Set(picked.filter((r) => r.kind !== 'deployment' && r.backend === backend.label).map((r) => r.target.restApiId))];
  const byApi = new Map<string, (time: string) => Serving>();
  if (ids.length) {
    const gateway = await backend.gateway();
    // An API deleted since (or unreadable) leaves its changes without stage facts rather than failing the list.
    await Promise.all(ids.map((id) => servingOf(gateway, id, records).then((f) => void byApi.set(id, f), () => undefined)));
  }
  return (r) => (r.backend === backend.label ? byApi.get(r.target.restApiId)?.(r.time) : undefined);
}
