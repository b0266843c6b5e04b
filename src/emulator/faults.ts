// Fault injection: throttling, 5xx, conflicts, latency, dropped connections and API Gateway's control-plane rate
// limits (apigw-spec.md §1.5, §6), so tests and people can see what a client does when AWS misbehaves.
// Configured at start (EmulatorOptions.faults, else the env var APIGW_EMULATOR_FAULTS as JSON) and at run time
// through GET / PUT / DELETE /__emulator/faults (loopback clients only).
//
// Every fault except `reset: after` and `tamper` is decided before the operation runs, so a throttled, 5xx or 409
// request changes nothing; `reset: after` lets the operation run and persist, then drops the connection instead of
// answering: the client cannot know whether its change was applied. `tamper` lets a write run, then changes one
// field of what it wrote, as another writer would have just then: the answer differs from what the client asked for.
import { z } from 'zod';
import { parsePointer } from '../patch/pointer.js';
import { ApiError } from './errors.js';
import { ROUTES } from './routes.js';

/** The AWS operation names the emulator serves, e.g. UpdateIntegration. */
export const OPERATIONS = [...new Set(ROUTES.map((r) => r.operation))] as [string, ...string[]];

const Operation = z.enum(OPERATIONS);
/** What every injected fault takes: how often, on which operations, and how many times at most. */
const rule = {
  /** Chance per matching request, 0..1; default 1 (every matching request). */
  probability: z.number().min(0).max(1).optional(),
  /** Only these operations (AWS names, e.g. UpdateIntegration); default all. */
  operations: z.array(Operation).min(1).optional(),
  /** Inject at most this many times ("the next 2 calls"); default unlimited. */
  count: z.number().int().min(0).optional(),
  /** Let the first `skip` matching requests through, then inject ("fail the 3rd write": skip 2, count 1). */
  skip: z.number().int().min(0).optional(),
};
/** Seconds, sent as the Retry-After header (fractions allowed, so tests can keep retries fast). */
const RetryAfterSeconds = z.number().min(0).max(3600);

export const FaultConfigSchema = z.strictObject({
  /** Seeds the random draws for `probability`, so a run can be repeated; default Math.random. */
  seed: z.number().int().optional(),
  /** 429 TooManyRequestsException "Too Many Requests", with Retry-After (default 1 s). */
  throttle: z.strictObject({ ...rule, retryAfterSeconds: RetryAfterSeconds.optional() }).optional(),
  /** 503 ServiceUnavailableException; Retry-After only if given. */
  unavailable: z.strictObject({ ...rule, retryAfterSeconds: RetryAfterSeconds.optional() }).optional(),
  /** 409 ConflictException, AWS's concurrent-modification text. */
  conflict: z.strictObject(rule).optional(),
  /** Waits `ms` before handling the request. */
  latency: z.strictObject({ ...rule, ms: z.number().int().min(0).max(600_000) }).optional(),
  /** Destroys the connection `before` running the operation, or `after` it ran and persisted (no answer is written). */
  reset: z.strictObject({ ...rule, when: z.enum(['before', 'after']) }).optional(),
  /**
   * After a write ran (and only if it succeeded), sets `path` (a JSON Pointer into the resource it answered with,
   * e.g. /timeoutInMillis) to `value` in the stored resource and in the answer, as a concurrent writer would.
   */
  tamper: z
    .strictObject({
      ...rule,
      path: z.string().refine((p) => (parsePointer(p)?.every((k) => k !== '') ?? false), 'a JSON Pointer such as /timeoutInMillis'),
      value: z.json(),
    })
    .optional(),
  /**
   * API Gateway's control-plane quotas as token buckets for the emulator's account (429 TooManyRequestsException
   * with Retry-After when a bucket is empty): `rate` requests/s with a bucket of `burst` for all operations
   * (default 10/s, burst 40), plus per-operation buckets of `requests` per `perSeconds` (default GetResources
   * 5 per 2 s, CreateDeployment 1 per 5 s; giving `operations` replaces the defaults, {} means none).
   */
  rateLimit: z
    .strictObject({
      rate: z.number().positive().max(1e6).optional(),
      burst: z.number().int().min(1).max(1e6).optional(),
      operations: z.partialRecord(Operation, z.strictObject({ requests: z.number().int().min(1), perSeconds: z.number().positive() })).optional(),
    })
    .optional(),
});

/** The configuration as given (JSON: the option, the env var and PUT /__emulator/faults all take this shape). */
export type FaultConfig = z.input<typeof FaultConfigSchema>;
type Parsed = z.output<typeof FaultConfigSchema>;

export const FAULT_KINDS = ['throttle', 'unavailable', 'conflict', 'latency', 'reset', 'tamper', 'rateLimit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** Faults injected per kind; kinds that never fired are absent (like calls()). */
export type FaultCounters = Partial<Record<FaultKind, number>>;
type RuleKind = Exclude<FaultKind, 'rateLimit'>;
const RULE_KINDS: readonly RuleKind[] = ['throttle', 'unavailable', 'conflict', 'latency', 'reset', 'tamper'];

export const DEFAULT_RATE_LIMIT = {
  rate: 10,
  burst: 40,
  operations: { GetResources: { requests: 5, perSeconds: 2 }, CreateDeployment: { requests: 1, perSeconds: 5 } },
} as const;

export const THROTTLE_MESSAGE = 'Too Many Requests';
export const UNAVAILABLE_MESSAGE = 'Service Unavailable';
export const CONFLICT_MESSAGE = 'Unable to complete operation due to concurrent modification. Please try again later.';

/** Thrown for a configuration that does not fit FaultConfigSchema; the message says what is wrong. */
export class FaultConfigError extends Error {}

export function parseFaultConfig(input: unknown, source = 'fault configuration'): Parsed {
  const r = FaultConfigSchema.safeParse(input);
  if (!r.success) throw new FaultConfigError(`${source} is not valid: ${z.prettifyError(r.error).replace(/\n\s*/g, ' ')}`);
  return r.data;
}

/** The configuration in APIGW_EMULATOR_FAULTS (JSON), or undefined when unset or empty. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Parsed | undefined {
  const text = env.APIGW_EMULATOR_FAULTS;
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FaultConfigError(`APIGW_EMULATOR_FAULTS is not JSON: ${(err as Error).message}`);
  }
  return parseFaultConfig(json, 'APIGW_EMULATOR_FAULTS');
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** mulberry32: a small seeded generator, so a configuration with `seed` draws the same faults every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A token bucket: `capacity` tokens, refilled at `perMs` tokens per millisecond. */
class Bucket {
  private tokens: number;
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private last: number,
  ) {
    this.tokens = capacity;
  }
  /** Milliseconds until a token is available (0: now). */
  wait(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.last) * this.perMs);
    this.last = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }
  take(): void {
    this.tokens -= 1;
  }
}

/** What to do with one request instead of (or besides) answering it normally. */
export interface FaultPlan {
  /** Answer this error without running the operation. */
  error?: ApiError;
  /** Destroy the connection before running the operation, or after it ran instead of answering. */
  reset?: 'before' | 'after';
}

export interface FaultSnapshot {
  /** The configuration in force (as parsed), or null when none. */
  config: Parsed | null;
  /** For faults given a `count`: how many injections are left. */
  remaining: Partial<Record<RuleKind, number>>;
  /** For faults given a `skip`: how many matching requests still pass before the first injection. */
  skipping: Partial<Record<RuleKind, number>>;
  injected: FaultCounters;
}

export class Faults {
  private config: Parsed | undefined;
  private remaining: Partial<Record<RuleKind, number>> = {};
  private skipping: Partial<Record<RuleKind, number>> = {};
  private random: () => number = Math.random;
  private account: Bucket | undefined;
  private perOperation = new Map<string, Bucket>();
  private readonly counters = new Map<FaultKind, number>();

  constructor(config?: FaultConfig) {
    if (config !== undefined) this.set(config);
  }

  /** Replaces the configuration (validated; throws FaultConfigError) and refills the rate-limit buckets. */
  set(input: unknown, now = Date.now()): void {
    const config = parseFaultConfig(input);
    this.config = config;
    this.random = config.seed === undefined ? Math.random : seeded(config.seed);
    this.remaining = {};
    this.skipping = {};
    for (const kind of RULE_KINDS) {
      const count = config[kind]?.count;
      if (count !== undefined) this.remaining[kind] = count;
      const skip = config[kind]?.skip;
      if (skip) this.skipping[kind] = skip;
    }
    this.perOperation.clear();
    this.account = undefined;
    if (config.rateLimit) {
      const rate = config.rateLimit.rate ?? DEFAULT_RATE_LIMIT.rate;
      this.account = new Bucket(config.rateLimit.burst ?? DEFAULT_RATE_LIMIT.burst, rate / 1000, now);
      const ops: Record<string, { requests: number; perSeconds: number } | undefined> = config.rateLimit.operations ?? DEFAULT_RATE_LIMIT.operations;
      for (const [op, q] of Object.entries(ops)) if (q) this.perOperation.set(op, new Bucket(q.requests, q.requests / (q.perSeconds * 1000), now));
    }
  }

  clear(): void {
    this.config = undefined;
    this.remaining = {};
    this.skipping = {};
    this.account = undefined;
    this.perOperation.clear();
  }

  injected(): FaultCounters {
    return Object.fromEntries(this.counters);
  }

  resetCounters(): void {
    this.counters.clear();
  }

  snapshot(): FaultSnapshot {
    return { config: this.config ?? null, remaining: { ...this.remaining }, skipping: { ...this.skipping }, injected: this.injected() };
  }

  private count(kind: FaultKind): void {
    this.counters.set(kind, (this.counters.get(kind) ?? 0) + 1);
  }

  /** Whether a rule fires for this operation; a skipped request uses up one `skip`, a fired rule one `count`. */
  private fires(kind: RuleKind, operation: string): boolean {
    const r = this.config?.[kind];
    if (!r) return false;
    if (r.operations && !r.operations.includes(operation)) return false;
    const skip = this.skipping[kind];
    if (skip) {
      this.skipping[kind] = skip - 1;
      return false;
    }
    const left = this.remaining[kind];
    if (left !== undefined && left <= 0) return false;
    const p = r.probability ?? 1;
    if (p < 1 && !(this.random() < p)) return false;
    if (left !== undefined) this.remaining[kind] = left - 1;
    this.count(kind);
    return true;
  }

  /** Milliseconds to wait before handling this request (0: none). */
  delay(operation: string): number {
    return this.fires('latency', operation) ? this.config!.latency!.ms : 0;
  }

  /** Decides, before the operation runs, what happens to this request. */
  decide(operation: string, now = Date.now()): FaultPlan {
    if (!this.config) return {};
    const limited = this.rateLimited(operation, now);
    if (limited) return { error: limited };
    const when = this.config.reset?.when;
    if (when === 'before' && this.fires('reset', operation)) return { reset: 'before' };
    if (this.fires('throttle', operation)) return { error: tooManyRequests(this.config.throttle!.retryAfterSeconds ?? 1) };
    if (this.fires('unavailable', operation)) {
      const after = this.config.unavailable!.retryAfterSeconds;
      return { error: new ApiError('ServiceUnavailableException', UNAVAILABLE_MESSAGE, after === undefined ? {} : { 'Retry-After': String(after) }) };
    }
    if (this.fires('conflict', operation)) return { error: new ApiError('ConflictException', CONFLICT_MESSAGE) };
    // Drawn last, so it is counted only when the operation really runs.
    if (when === 'after' && this.fires('reset', operation)) return { reset: 'after' };
    return {};
  }

  /**
   * Called after a write succeeded, with the resource it answered with (the stored object itself, so a change
   * here is persisted and answered): applies a firing `tamper` rule to it.
   */
  tamper(operation: string, written: unknown): void {
    if (written === null || typeof written !== 'object' || !this.fires('tamper', operation)) return;
    const { path, value } = this.config!.tamper!;
    const keys = parsePointer(path)!;
    let doc = written as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      if (doc[key] === null || typeof doc[key] !== 'object') doc[key] = {};
      doc = doc[key] as Record<string, unknown>;
    }
    doc[keys.at(-1)!] = structuredClone(value);
  }

  /** Takes a token from the account bucket and the operation's own; when one is empty, the 429 to answer. */
  private rateLimited(operation: string, now: number): ApiError | undefined {
    if (!this.account) return undefined;
    const own = this.perOperation.get(operation);
    const wait = Math.max(this.account.wait(now), own?.wait(now) ?? 0);
    if (wait > 0) {
      this.count('rateLimit');
      // Whole seconds, as HTTP's Retry-After takes them; at least 1.
      return tooManyRequests(Math.max(1, Math.ceil(wait / 1000)));
    }
    this.account.take();
    own?.take();
    return undefined;
  }
}

function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError('TooManyRequestsException', THROTTLE_MESSAGE, { 'Retry-After': String(retryAfterSeconds) });
}
