// The UpdateStage rows of the patch-rules table, in the shape of rules.ts: which stage path takes which op, what
// value, and how risky it is. The emulator validates UpdateStage with them and the change-plan engine plans stage
// steps from them. Sources: apigw-spec.md §9.5; AWS CLI `update-stage` reference (method setting paths and fields).
import { parsePointer } from './pointer.js';
import type { PatchOperation, PatchRule } from './rules.js';
import * as v from './values.js';
import type { Check } from './values.js';

/** Cache cluster sizes in GB, as the Stage model lists them. */
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;
/** API Gateway's TTL range for cached responses (0 turns caching off in effect). */
export const MAX_CACHE_TTL_SECONDS = 3600;

/** `{method}` in a row's path and field: a method setting key, `{escaped resource path}/{VERB}` or `*\/*`. */
export const METHOD_KEY = '{method}';

const intIn = (min: number, max: number, what: string): Check => (s) =>
  /^-?\d+$/.test(s) && Number(s) >= min && Number(s) <= max ? undefined : v.need(undefined, `must be an integer ${what} from ${min} to ${max}`, s);
const nonNegativeNumber: Check = (s) => (/^\d+(\.\d+)?$/.test(s) ? undefined : v.need(undefined, 'must be a number >= 0', s));
// Stage variable names and values as the Stage model documents them.
const variableName: Check = (k) => (/^[A-Za-z0-9_]+$/.test(k) ? undefined : v.need('a stage variable name', 'has only letters, digits and _', k));
const variableValue: Check = (s) =>
  /^[A-Za-z0-9\-._~:/?#&=,]+$/.test(s) ? undefined : v.need(undefined, 'must match [A-Za-z0-9-._~:/?#&=,]+', s);

const BILLED = 'a cache cluster is billed by the hour for as long as it exists: enabling or resizing one is a cost decision';

export const STAGE_RULES: readonly PatchRule[] = [
  { resource: 'stage', path: '/cacheClusterEnabled', field: ['cacheClusterEnabled'], ops: ['replace'], value: '"true" | "false"',
    check: v.booleanText, decode: (s) => s === 'true', risk: 'review', riskByValue: { true: 'confirm' },
    reason: `true creates the stage's cache cluster (${BILLED}); false deletes it and every cached response` },
  { resource: 'stage', path: '/cacheClusterSize', field: ['cacheClusterSize'], ops: ['replace'], value: `GB: ${CACHE_CLUSTER_SIZES.join(' | ')}`,
    check: v.oneOf(CACHE_CLUSTER_SIZES), risk: 'confirm', reason: `resizes the cache cluster (${BILLED}); the cache is emptied` },
  { resource: 'stage', path: `/${METHOD_KEY}/caching/enabled`, field: ['methodSettings', METHOD_KEY, 'cachingEnabled'], ops: ['replace'],
    value: '"true" | "false" (caches only while the stage has a cache cluster)', check: v.booleanText, decode: (s) => s === 'true',
    risk: 'review', reason: 'changes whether callers get cached (possibly stale) responses' },
  { resource: 'stage', path: `/${METHOD_KEY}/caching/ttlInSeconds`, field: ['methodSettings', METHOD_KEY, 'cacheTtlInSeconds'], ops: ['replace'],
    value: `seconds, 0..${MAX_CACHE_TTL_SECONDS} (default 300)`, check: intIn(0, MAX_CACHE_TTL_SECONDS, 'of seconds'), decode: Number,
    risk: 'review', reason: 'changes how stale a cached response may be' },
  { resource: 'stage', path: `/${METHOD_KEY}/throttling/rateLimit`, field: ['methodSettings', METHOD_KEY, 'throttlingRateLimit'], ops: ['replace'],
    value: 'requests per second (a number)', check: nonNegativeNumber, decode: Number, risk: 'review', reason: 'changes how many requests callers may make before they get 429' },
  { resource: 'stage', path: `/${METHOD_KEY}/throttling/burstLimit`, field: ['methodSettings', METHOD_KEY, 'throttlingBurstLimit'], ops: ['replace'],
    value: 'requests (an integer)', check: intIn(0, 2_147_483_647, 'of requests'), decode: Number, risk: 'review', reason: 'changes how many requests callers may make before they get 429' },
  { resource: 'stage', path: '/variables/{name}', field: ['variables'], keyed: { kind: 'map', check: variableName }, ops: ['add', 'remove', 'replace'],
    value: 'text matching [A-Za-z0-9-._~:/?#&=,]+', check: variableValue, risk: 'review', reason: 'integrations may read stage variables (a backend URL, a Lambda alias): it can change where calls go' },
  { resource: 'stage', path: '/description', field: ['description'], ops: ['replace'], value: 'text', check: v.anyText, risk: 'safe', reason: 'only describes the stage' },
];

/** AWS's defaults for a method setting it creates on the first patch of that key (AWS CLI update-stage output). */
export const METHOD_SETTING_DEFAULTS = {
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
} as const;

export interface StageMatch {
  rule: PatchRule;
  /** The map key (variables) or the method setting key (`~1orders~1{id}/GET`, `*\/*`). */
  key?: string;
}

/**
 * Finds the row of a stage patch path. A method setting path starts with two segments, the resource path escaped
 * (`~1orders~1{id}`) and the verb, or `*` and `*`; its key in `methodSettings` is those two segments as written.
 */
export function matchStageRule(path: string): StageMatch | undefined {
  const keys = parsePointer(path);
  if (!keys) return undefined;
  const raw = path.slice(1).split('/');
  for (const rule of STAGE_RULES) {
    const pattern = rule.path.slice(1).split('/');
    if (pattern[0] === METHOD_KEY) {
      if (keys.length !== pattern.length + 1 || !pattern.slice(1).every((seg, i) => seg === keys[i + 2])) continue;
      const [resourcePath, verb] = keys;
      const all = resourcePath === '*' && verb === '*';
      const one = resourcePath.startsWith('/') && (v.HTTP_VERBS as readonly string[]).includes(verb);
      if (all || one) return { rule, key: `${raw[0]}/${raw[1]}` };
      continue;
    }
    if (pattern.length !== keys.length) continue;
    let key: string | undefined;
    const fits = pattern.every((seg, i) => (seg === '{name}' ? ((key = keys[i]), keys[i].length > 0) : seg === keys[i]));
    if (fits) return { rule, key };
  }
  return undefined;
}

/** The method setting key for a resource path and verb, as UpdateStage paths and `methodSettings` write it. */
export const methodSettingKey = (resourcePath: string, httpMethod: string) => `${resourcePath.replace(/~/g, '~0').replace(/\//g, '~1')}/${httpMethod}`;

/** The UpdateStage path of one method setting (`/~1orders~1{id}/GET/caching/enabled`). */
export const methodSettingPath = (resourcePath: string, httpMethod: string, setting: 'caching/enabled' | 'caching/ttlInSeconds') =>
  `/${methodSettingKey(resourcePath, httpMethod)}/${setting}`;

export interface StageOpProblem {
  index: number;
  message: string;
  /** The text AWS answers with ([I] where no recorded text is known: the patterns of UpdateIntegration's). */
  aws: string;
  notFound?: boolean;
}

/** Checks stage ops against the rows; the same checks for the tool (before any call) and the emulator. */
export function checkStagePatch(ops: readonly PatchOperation[]): { problems: StageOpProblem[]; matched: (StageMatch & { op: PatchOperation })[] } {
  const problems: StageOpProblem[] = [];
  const matched: (StageMatch & { op: PatchOperation })[] = [];
  ops.forEach((op, index) => {
    const m = matchStageRule(op.path);
    if (!m) {
      const paths = STAGE_RULES.map((r) => r.path).join(', ');
      return void problems.push({ index, message: `unknown stage path ${JSON.stringify(op.path)}; patchable: ${paths} ({method} = the resource path with "/" as ~1, then the verb, e.g. ~1orders~1{id}/GET, or */*)`, aws: `Invalid patch path ${op.path}` });
    }
    if (!m.rule.ops.includes(op.op as never))
      return void problems.push({ index, message: `op "${op.op}" is not allowed on ${m.rule.path}; allowed: ${m.rule.ops.join(', ')}`, aws: `Invalid patch operation specified. Must be one of: [${m.rule.ops.join(', ')}]` });
    if (m.rule.keyed && m.key !== undefined) {
      const p = m.rule.keyed.check(m.key, { maxTimeoutMs: 0 });
      if (p) return void problems.push({ index, message: p.message, aws: p.aws ?? p.message });
    }
    if (op.op !== 'remove') {
      if (op.value === undefined) return void problems.push({ index, message: `${op.op} ${m.rule.path} needs a value: ${m.rule.value}`, aws: `Invalid null or empty value in ${m.rule.field.at(-1)}` });
      const p = m.rule.check(op.value, { maxTimeoutMs: 0 });
      if (p) return void problems.push({ index, message: `${m.rule.path}: ${p.message}`, aws: p.aws ?? p.message });
    }
    matched.push({ ...m, op });
  });
  return { problems, matched };
}

/** Applies one matched op to a Stage document in place (a new method setting starts from AWS's defaults). */
export function applyStageOp(stage: Record<string, any>, m: StageMatch, op: PatchOperation): void {
  const { rule, key } = m;
  if (rule.field[1] === METHOD_KEY) {
    stage.methodSettings ??= {};
    const setting = (stage.methodSettings[key!] ??= { ...METHOD_SETTING_DEFAULTS });
    setting[rule.field[2]] = rule.decode ? rule.decode(op.value!) : op.value;
    return;
  }
  if (rule.keyed) {
    const field = rule.field[0];
    if (op.op === 'remove') {
      if (stage[field]) delete stage[field][key!];
      if (stage[field] && Object.keys(stage[field]).length === 0) delete stage[field];
    } else Object.defineProperty((stage[field] ??= {}), key!, { value: op.value, enumerable: true, writable: true, configurable: true });
    return;
  }
  stage[rule.field[0]] = rule.decode ? rule.decode(op.value!) : op.value;
}

/** The level of a stage op (the row's, or the level its value calls for). */
export function stageOpRisk(m: StageMatch, op: PatchOperation): PatchRule['risk'] {
  return (op.op !== 'remove' && op.value !== undefined && m.rule.riskByValue?.[op.value]) || m.rule.risk;
}

/** A stage setting's value in a Stage document, by its matched row (method settings under their key). */
function stageValue(stage: Record<string, any> | undefined, m: StageMatch): unknown {
  const f = m.rule.field;
  if (f[1] === METHOD_KEY) return stage?.methodSettings?.[m.key!]?.[f[2]];
  if (m.rule.keyed) return stage?.[f[0]]?.[m.key!];
  return stage?.[f[0]];
}

/**
 * The ops that put back what `ops` changed, read from the stage before them (for an undo step): each setting goes
 * back to its value, a method setting the stage did not have to AWS's default, an added variable is removed again.
 * A cluster size is restored only where the cluster stays enabled (disabling it drops the size).
 */
export function inverseStageOps(before: Record<string, any>, ops: readonly PatchOperation[]): PatchOperation[] {
  const out: PatchOperation[] = [];
  const seen = new Set<string>();
  for (const op of ops) {
    const m = matchStageRule(op.path);
    if (!m || seen.has(op.path)) continue;
    seen.add(op.path);
    const old = stageValue(before, m);
    if (m.rule.keyed) out.push(old === undefined ? { op: 'remove', path: op.path } : { op: op.op === 'remove' ? 'add' : 'replace', path: op.path, value: String(old) });
    else if (m.rule.field[0] === 'cacheClusterSize' && before.cacheClusterEnabled !== true) continue;
    else {
      const fallback = m.rule.field[1] === METHOD_KEY ? (METHOD_SETTING_DEFAULTS as Record<string, unknown>)[m.rule.field[2]] : undefined;
      const value = old ?? fallback;
      if (value !== undefined) out.push({ op: 'replace', path: op.path, value: String(value) });
    }
  }
  // The cluster is switched back before its size is restored.
  return out.sort((a, b) => Number(b.path === '/cacheClusterEnabled') - Number(a.path === '/cacheClusterEnabled'));
}
