// What the current write pipeline and deploy_api show a human (a HumanView, rendered by src/safety/render.ts): a
// plain-language title made from the change, and effective values instead of storage details ("verified (default)"
// for a TLS setting that is absent). A stopgap adapter until the change-plan engine builds views itself; its table of
// setting names and defaults belongs in the rules table's rows.
import { parsePointer } from '../patch/pointer.js';
import type { PatchOperation, RiskLevel } from '../patch/rules.js';
import type { Change } from '../patch/diff.js';
import type { HumanView, Shown, ViewChange } from '../safety/view.js';

interface Setting {
  label: string;
  /** What it means when the field is absent (API Gateway's default). */
  absent: string;
  /** Server words for a value whose meaning is not the value itself. */
  meaning?: (v: unknown) => string | undefined;
}

const TLS_OFF = 'NOT verified (insecureSkipVerification: true)';

/** By the first path segment; `{key}` settings name the key (data, escaped by the renderer). */
const SETTINGS: Record<string, (key?: string) => Setting> = {
  tlsConfig: () => ({ label: 'TLS certificate verification', absent: 'verified (default)', meaning: (v) => (v === true || v === 'true' ? TLS_OFF : 'verified') }),
  timeoutInMillis: () => ({ label: 'Timeout', absent: '29000 ms (default)', meaning: (v) => `${String(v)} ms` }),
  uri: () => ({ label: 'Backend URL', absent: 'none' }),
  httpMethod: () => ({ label: 'Verb sent to the backend', absent: 'none' }),
  credentials: () => ({ label: 'IAM credentials used to call the backend', absent: 'none (default)' }),
  passthroughBehavior: () => ({ label: 'Unmapped request bodies', absent: 'WHEN_NO_MATCH (default)' }),
  contentHandling: () => ({ label: 'Body encoding', absent: 'passed through unchanged (default)' }),
  cacheNamespace: () => ({ label: 'Cache namespace', absent: 'the resource id (default)' }),
  cacheKeyParameters: () => ({ label: 'Cache key parameters', absent: 'none' }),
  requestParameters: (k) => ({ label: `Request parameter ${k ?? ''}`.trim(), absent: 'not mapped' }),
  requestTemplates: (k) => ({ label: `Request mapping template for ${k ?? ''}`.trim(), absent: 'none' }),
  connectionType: () => ({ label: 'Network path', absent: 'INTERNET (default)' }),
  connectionId: () => ({ label: 'VPC link', absent: 'none' }),
  responseTransferMode: () => ({ label: 'Response delivery', absent: 'BUFFERED (default)' }),
  integrationTarget: () => ({ label: 'Load balancer', absent: 'none' }),
  selectionPattern: () => ({ label: 'Selection pattern', absent: 'none: the default response' }),
  responseParameters: (k) => ({ label: `Response header mapping ${k ?? ''}`.trim(), absent: 'not mapped' }),
  responseTemplates: (k) => ({ label: `Response mapping template for ${k ?? ''}`.trim(), absent: 'none' }),
};

function settingOf(path: string): Setting {
  const [field, key] = parsePointer(path) ?? [];
  return SETTINGS[field ?? '']?.(key) ?? { label: path, absent: 'not set' };
}

const shown = (s: Setting, v: unknown, present: boolean): Shown => {
  if (!present) return { meaning: s.absent };
  const meaning = s.meaning?.(v);
  return meaning !== undefined ? { meaning } : { value: v };
};

/** A before/after diff as a person reads it. */
export function viewChanges(diff: Change[]): ViewChange[] {
  return diff.map((d) => {
    const s = settingOf(d.path);
    return { setting: s.label, before: shown(s, d.before, 'before' in d), after: shown(s, d.after, 'after' in d) };
  });
}

/** Patch ops as a person reads them, when only the ops are known (a recorded change). */
export function viewOps(ops: PatchOperation[], before: (path: string) => unknown): ViewChange[] {
  return ops.map((op) => {
    const s = settingOf(op.path);
    const was = before(op.path);
    const after: Shown = op.op === 'remove' ? { meaning: `${s.absent} (removed)` } : shown(s, op.value, true);
    return { setting: s.label, before: shown(s, was, was !== undefined), after };
  });
}

/** "confirm: replace /uri: points the method at ..." -> "it points the method at ..." (after "needs your approval because"). */
const plainReason = (r: string) => {
  const bare = r.replace(/^\w+: (add|remove|replace) \S+: /, '');
  return /^true stops/.test(bare) ? bare.replace(/^true/, 'it') : `it ${bare}`;
};

/** The value at a JSON Pointer in a recorded document (undefined: not there). */
function valueAt(doc: unknown, path: string): unknown {
  let at = doc;
  for (const key of parsePointer(path) ?? []) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/** What the change does, in a few words, by its riskiest op. */
function doing(ops: PatchOperation[]): string | undefined {
  const has = (path: string, value?: string) => ops.some((o) => o.path === path && (value === undefined || o.value === value));
  if (has('/tlsConfig/insecureSkipVerification', 'true')) return 'Turn off TLS certificate verification for';
  if (has('/uri')) return 'Point at a different backend:';
  if (has('/credentials')) return 'Change the IAM credentials of';
  if (has('/integrationTarget')) return 'Send to a different load balancer:';
  if (has('/connectionType') || has('/connectionId')) return 'Change the network path (VPC link) of';
  if (has('/httpMethod')) return 'Change the verb sent to the backend by';
  if (has('/tlsConfig/insecureSkipVerification', 'false')) return 'Turn on TLS certificate verification for';
  return undefined;
}

export interface WriteViewInput {
  what: string;
  method: string;
  path?: string;
  api: { id: string; name?: string };
  ops: PatchOperation[];
  diff: Change[];
  risk: RiskLevel;
  reasons: string[];
  undoes?: string;
  where: Pick<HumanView, 'backend' | 'account' | 'region' | 'profile' | 'stages' | 'client'>;
}

/** The view of one integration (or integration response) write. */
export function writeView(w: WriteViewInput): HumanView {
  const on = `${w.method} ${w.path ?? '(resource)'} of API ${w.api.name !== undefined ? JSON.stringify(w.api.name) : w.api.id}`;
  const verb = doing(w.ops);
  const title = w.undoes
    ? `Undo ${w.undoes} on ${on}`
    : verb
      ? `${verb} ${on}`
      : `Change ${w.diff.length} setting(s) of the ${w.what} of ${on}`;
  return {
    title,
    kind: w.undoes ? 'undo' : 'change',
    api: w.api,
    ...w.where,
    risk: w.risk,
    // Reasons in plain words: the rule's reason, without the storage path.
    reasons: w.reasons.map(plainReason),
    groups: [{ heading: `${w.what[0].toUpperCase()}${w.what.slice(1)} of ${w.method} ${w.path ?? '(resource)'}`, action: 'update', changes: viewChanges(w.diff) }],
  };
}

export interface DeployViewInput {
  api: { id: string; name?: string };
  stageName: string;
  exists: boolean;
  changes: { changeId: string; target: Record<string, string | undefined>; ops: PatchOperation[]; before?: Record<string, unknown> }[];
  where: Pick<HumanView, 'backend' | 'account' | 'region' | 'profile' | 'client'>;
}

/** The view of a deployment: each undeployed change recorded by this server, per method. */
export function deployView(d: DeployViewInput): HumanView {
  const of = `of API ${d.api.name !== undefined ? JSON.stringify(d.api.name) : d.api.id}`;
  return {
    title: d.exists
      ? `Deploy ${d.changes.length} change(s) to stage ${d.stageName} ${of}`
      : `Create stage ${d.stageName} ${of} and deploy ${d.changes.length} change(s) to it`,
    kind: 'deploy',
    api: d.api,
    ...d.where,
    stages: [d.stageName],
    risk: 'confirm',
    reasons: [`a deployment makes every change to the API's working definition live for callers of stage ${d.stageName} at once`],
    groups: d.changes.map((c) => ({
      heading: `${c.target.httpMethod ?? ''} ${c.target.resourcePath ?? c.target.resourceId ?? ''}${c.target.statusCode ? `, integration response ${c.target.statusCode}` : ''}, recorded as ${c.changeId}`.trim(),
      action: 'update' as const,
      changes: viewOps(c.ops, (path) => valueAt(c.before, path)),
    })),
    notes: d.exists ? [] : [`stage ${d.stageName} does not exist yet: it is created`],
  };
}
