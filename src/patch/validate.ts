// Checks a list of patch operations against the rules table. Without the current document it checks what can be
// known locally (path, op, key and value shapes); with it, also type-specific rules and cross-field invariants,
// applying the ops one by one as API Gateway does (in list order).
import { applyOp } from './apply.js';
import { parsePointer } from './pointer.js';
import { INVARIANTS, RESOURCE_TITLES, rulesFor, type PatchOperation, type PatchRule, type Resource } from './rules.js';
import { show, type Doc, type Phrase, type RuleEnv } from './values.js';

export type ProblemKind = 'op' | 'path' | 'value' | 'type' | 'state';

export interface OpProblem {
  /** Index of the op in the list, or -1 for a problem of the whole result. */
  index: number;
  kind: ProblemKind;
  /** For the agent: what is wrong and what is valid. */
  message: string;
  /** What API Gateway answers (message) and whether as 404 rather than 400. */
  aws: string;
  notFound?: boolean;
  /** Worded for a tool that names the field itself (see describeProblems): about the map key or the value. */
  said?: Phrase & { about: 'key' | 'value' };
}

export interface MatchedOp {
  op: PatchOperation;
  rule: PatchRule;
  /** The unescaped map key or list member, for keyed paths. */
  key?: string;
}

export interface PatchCheck {
  problems: OpProblem[];
  matched: MatchedOp[];
  /** The document after the ops, when the current one was given and no problem was found. */
  after?: Doc;
}

const SUPPORTED_OPS = new Set(['add', 'remove', 'replace']);

/** Which RuleEnv member a resource's own document is, while it is patched. */
const OWN_ENV: Partial<Record<Resource, 'integration' | 'method' | 'methodResponse'>> = { integration: 'integration', method: 'method', methodResponse: 'methodResponse' };

/** Finds the row whose path pattern matches; `{name}` matches exactly one non-empty segment. */
export function matchRule(resource: Resource, path: string): { rule: PatchRule; key?: string } | undefined {
  const keys = parsePointer(path);
  if (!keys) return undefined;
  for (const rule of rulesFor(resource)) {
    const pattern = rule.path.slice(1).split('/');
    if (pattern.length !== keys.length) continue;
    let key: string | undefined;
    const fits = pattern.every((seg, i) => {
      if (seg !== '{name}') return seg === keys[i];
      key = keys[i];
      return keys[i].length > 0;
    });
    if (fits) return { rule, key };
  }
  return undefined;
}

export function patchablePaths(resource: Resource): string[] {
  return rulesFor(resource).map((r) => r.path);
}

function pathProblem(resource: Resource, path: string): string {
  const keys = parsePointer(path);
  const whole = keys && rulesFor(resource).find((r) => r.keyed && r.path.startsWith(`/${keys[0]}/`));
  if (keys && whole && keys.length === 1)
    return `path ${JSON.stringify(path)} names a whole map; patch one entry at a time: ${whole.path} (a "/" inside the key is written ~1)`;
  if (!keys) return `path ${JSON.stringify(path)} is not a JSON Pointer: it must start with "/" and write "~" as ~0 and "/" inside a key as ~1`;
  return `unknown path ${JSON.stringify(path)}; patchable paths: ${patchablePaths(resource).join(', ')}`;
}

/** Checks one op against its rule; the current document (if any) is `env.integration` or `current`. */
function checkOne(resource: Resource, op: PatchOperation, env: RuleEnv, current: Doc | undefined): Omit<OpProblem, 'index'> | MatchedOp {
  if (typeof op.path !== 'string') return { kind: 'path', message: 'every op needs a path, e.g. /timeoutInMillis', aws: 'Invalid patch path null' };
  const match = matchRule(resource, op.path);
  if (!SUPPORTED_OPS.has(op.op)) {
    const allowed = match ? match.rule.ops : ['add', 'remove', 'replace'];
    return { kind: 'op', message: `op "${op.op}" is not supported on a ${RESOURCE_TITLES[resource]}; use ${allowed.join(' or ')}`, aws: `Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]` };
  }
  if (!match) return { kind: 'path', message: pathProblem(resource, op.path), aws: `Invalid patch path ${op.path}` };
  const { rule, key } = match;
  if (!rule.ops.includes(op.op as never))
    return { kind: 'op', message: `op "${op.op}" is not allowed on ${rule.path}; allowed: ${rule.ops.join(', ')}`, aws: `Invalid patch operation specified. Must be one of: [${rule.ops.join(', ')}]` };
  const type = env.integration?.type;
  if (type && rule.types && !rule.types.includes(type)) {
    const text = `applies only to ${rule.types.join(', ')} integrations; this one is ${type}`;
    return { kind: 'type', message: `${rule.path} ${text}`, aws: `Invalid patch path ${op.path}`, said: { about: 'value', text, got: false } };
  }
  if (rule.keyed && key !== undefined) {
    const p = rule.keyed.check(key, env);
    if (p) return { kind: 'value', message: `${rule.path.replace('{name}', '{key}')}: ${p.message}`, aws: p.aws ?? `Invalid patch path ${op.path}`, said: { about: 'key', text: p.message, got: false } };
  }
  if (op.op !== 'remove' && rule.keyed?.kind !== 'set') {
    if (op.value === undefined && !rule.valueOptional)
      return { kind: 'value', message: `${op.op} ${rule.path} needs a value: ${rule.value}`, aws: `Invalid null or empty value in ${rule.field[0]}` };
    const p = op.value === undefined ? undefined : rule.check(op.value, env);
    if (p) return { kind: 'value', message: p.message, aws: p.aws ?? p.message, ...(p.phrase ? { said: { about: 'value' as const, ...p.phrase } } : {}) };
  }
  if (current && rule.keyed && (op.op === 'remove' || (op.op === 'replace' && rule.replaceNeedsKey))) {
    const container = rule.field.reduce<any>((node, name) => node?.[name], current);
    const present = rule.keyed.kind === 'set' ? Array.isArray(container) && container.includes(key) : container != null && Object.prototype.hasOwnProperty.call(container, key!);
    if (!present) {
      const existing = rule.keyed.kind === 'set' ? (container ?? []) : Object.keys(container ?? {});
      return {
        kind: 'state',
        message: `nothing to ${op.op} at ${op.path}${op.op === 'replace' ? ' (use add for a new key)' : ''}; present: ${existing.length ? existing.join(', ') : 'none'}`,
        aws: rule.missingKey ?? 'Invalid parameter name specified',
        notFound: true,
      };
    }
  }
  return { op, rule, key };
}

/**
 * Checks `ops` for `resource`. Give `current` (the document as it is now) to check type rules and invariants and to
 * get `after`. For an integration response, `env.integration` is the parent integration and stays fixed.
 */
export function checkPatch(resource: Resource, ops: readonly PatchOperation[], env: RuleEnv, current?: Doc): PatchCheck {
  const problems: OpProblem[] = [];
  const matched: MatchedOp[] = [];
  // Without the current document, ops still apply to an empty one, so a later op sees what an earlier one set
  // (STREAM then a 15-minute timeout); checks that need the real state run only when it is known.
  const known = current !== undefined;
  const working: Doc = structuredClone(current ?? {});
  // The document being patched is also what its own checks see (an integration's type, a method's parameters).
  const own = OWN_ENV[resource];
  const envNow = (): RuleEnv => (own ? { ...env, [own]: working } : env);
  ops.forEach((op, index) => {
    const r = checkOne(resource, op, envNow(), known ? working : undefined);
    if (!('rule' in r)) return void problems.push({ index, ...r });
    matched.push(r);
    if (problems.length === 0) applyOp(working, r.rule, r.key, op);
  });
  if (known && problems.length === 0)
    for (const inv of INVARIANTS.filter((i) => i.resource === resource)) {
      const message = inv.check(working, env);
      if (message) problems.push({ index: -1, kind: 'value', message, aws: message });
    }
  return { problems, matched, ...(known && problems.length === 0 ? { after: working } : {}) };
}

/** A tool's own field behind an op: `timeoutInMillis` = 10, `requestTemplates["application/json"]` in `requestTemplates`. */
export interface FieldName {
  name: string;
  /** The map or list the entry belongs to, for problems with its key. */
  container: string;
  /** The value as the tool took it (a number stays a number). */
  value: unknown;
}

function inFieldTerms(p: OpProblem, f: FieldName): string {
  const s = p.said;
  if (s?.about === 'key') return `${f.container}: ${s.text}`;
  if (!s) return `${f.name}: ${p.message}`;
  return `${f.name} ${s.text}${s.got === false ? '' : `; got ${show(f.value)}`}${s.hint ? ` (${s.hint})` : ''}`;
}

/**
 * One line per problem. By default it names the op by its index (patch_integration's patchOperations[i]); a tool
 * whose fields map to ops passes `field` to name its own field and value instead, as the agent wrote them.
 */
export function describeProblems(problems: readonly OpProblem[], ops: readonly PatchOperation[], field?: (op: PatchOperation) => FieldName | undefined): string {
  return problems
    .map((p) => {
      if (p.index < 0) return p.message;
      const op = ops[p.index];
      const f = field?.(op);
      return f ? inFieldTerms(p, f) : `patchOperations[${p.index}] (${op.op} ${op.path}): ${p.message}`;
    })
    .join('\n');
}

/** Applies ops that are known to be valid; throws with the problems otherwise. */
export function applyPatch(resource: Resource, doc: Doc, ops: readonly PatchOperation[], env: RuleEnv): Doc {
  const { problems, after } = checkPatch(resource, ops, env, doc);
  if (problems.length || !after) throw new Error(describeProblems(problems, ops));
  return after;
}
