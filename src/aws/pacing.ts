// Paces every API Gateway call of the process under the account's control-plane quotas (apigw-spec.md §6), so a
// batch never storms the account into throttling: per (account, region) one account-wide bucket (10 requests/s,
// burst 40) and per-operation ones (GetResources 5 per 2 s, CreateDeployment 1 per 5 s), shared by every client.
// It is an SDK middleware below the retry middleware: every attempt, retries included, takes a token before it is
// signed and sent. Throttling that still happens is the SDK's to retry (backoff and Retry-After, see client.ts).
//
// - Tokens are reserved when a call asks (GCRA: a "theoretical arrival time" per bucket), so waiting calls go in
//   order and a call can tell at once how long it would wait. One that would wait longer than `maxWaitMs` fails
//   with a `throttled` ToolError without waiting or reserving anything.
// - API Gateway counts a request when it arrives, not when it was sent, and network delays vary: the pacer keeps a
//   margin of MARGIN_MS of the rate (2 requests of the default burst of 40), so arrivals bunched by up to that much
//   still fit the quota.
// - Waiting is a timer: calls of other accounts (other keys) go on meanwhile.
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { log } from '../log.js';

const Operation = z.string().regex(/^[A-Z][A-Za-z]+$/, 'an operation is an API Gateway name such as GetResources');

export const RateLimitSchema = z.object({
  /** Account-wide requests per second. */
  rate: z.number().positive().max(1e6),
  /** Account-wide burst (the bucket's size). */
  burst: z.number().int().min(1).max(1e6),
  /** Per-operation quotas: `requests` every `perSeconds` (the bucket holds `requests`). */
  operations: z.record(Operation, z.object({ requests: z.number().int().min(1).max(1e6), perSeconds: z.number().positive().max(86_400) })),
  /** The longest a call waits for a token; beyond it the call fails `throttled`. */
  maxWaitMs: z.number().int().min(0).max(600_000),
});
export type RateLimits = z.infer<typeof RateLimitSchema>;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  rate: 10,
  burst: 40,
  operations: { GetResources: { requests: 5, perSeconds: 2 }, CreateDeployment: { requests: 1, perSeconds: 5 } },
  maxWaitMs: 30_000,
};

/** How much earlier than scheduled a request may reach API Gateway, relative to the one before it. */
export const MARGIN_MS = 200;

export const RATE_LIMIT_FORMAT = 'off, or comma-separated items: RATE/s (account-wide), burst=N, wait=SECONDSs (longest wait for a token), Operation=N/SECONDSs or Operation=off; e.g. 10/s,burst=40,GetResources=5/2s,CreateDeployment=1/5s,wait=30s';

const N = String.raw`(\d+(?:\.\d+)?)`;
/** The items of the format: what each looks like, and what it sets. */
const ITEMS: { re: RegExp; set: (l: RateLimits, m: string[]) => void }[] = [
  { re: new RegExp(`^${N}/${N}?s$`), set: (l, m) => void (l.rate = Number(m[1]) / Number(m[2] ?? 1)) },
  { re: /^burst=(\d+)$/, set: (l, m) => void (l.burst = Number(m[1])) },
  { re: new RegExp(`^wait=${N}s$`), set: (l, m) => void (l.maxWaitMs = Math.round(Number(m[1]) * 1000)) },
  { re: /^([A-Z][A-Za-z]+)=off$/, set: (l, m) => void delete l.operations[m[1]] },
  { re: new RegExp(`^([A-Z][A-Za-z]+)=${N}/${N}?s$`), set: (l, m) => void (l.operations[m[1]] = { requests: Number(m[2]), perSeconds: Number(m[3] ?? 1) }) },
];

/**
 * `--aws-rate-limit` / APIGW_MCP_AWS_RATE_LIMIT -> limits (null: `off`, no pacing). Items not given keep the
 * defaults (DEFAULT_RATE_LIMITS). Throws an Error saying what is wrong and the format.
 */
export function parseRateLimit(text: string): RateLimits | null {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && items[0] === 'off') return null;
  if (!items.length) throw new Error(`is empty; expected ${RATE_LIMIT_FORMAT}`);
  const out: RateLimits = { ...DEFAULT_RATE_LIMITS, operations: { ...DEFAULT_RATE_LIMITS.operations } };
  for (const item of items) {
    const found = ITEMS.map((i) => ({ i, m: i.re.exec(item) })).find((x) => x.m);
    if (!found) throw new Error(`${JSON.stringify(item)} is not an item of: ${RATE_LIMIT_FORMAT}`);
    found.i.set(out, found.m!);
  }
  const r = RateLimitSchema.safeParse(out);
  if (!r.success) throw new Error(`${z.prettifyError(r.error).replace(/\n\s*/g, ' ')} (format: ${RATE_LIMIT_FORMAT})`);
  return r.data;
}

/** The limits in words (the start-up log, messages). */
export function describeRateLimit(l: RateLimits): string {
  const ops = Object.entries(l.operations).map(([op, q]) => `${op} ${q.requests} per ${q.perSeconds} s`);
  return [`${l.rate}/s, burst ${l.burst}`, ...ops].join('; ') + `; waits at most ${l.maxWaitMs / 1000} s`;
}

/** A bucket as GCRA: `tat` is when it would be full again; a request fits once `now >= tat - tolerance`. */
class Bucket {
  private tat = -Infinity;
  /** ms per token, and how far ahead of `tat` a request may go (burst - 1 tokens, less the margin). */
  private readonly interval: number;
  private readonly tolerance: number;
  constructor(requests: number, perMs: number) {
    this.interval = perMs / requests;
    const rate = requests / perMs;
    // The margin never takes more than half the burst (a burst of 1 stays usable).
    const burst = Math.max(requests - rate * MARGIN_MS, requests / 2);
    this.tolerance = (burst - 1) * this.interval;
  }
  /** The earliest time a request may go. */
  earliest(now: number): number {
    return Math.max(now, this.tat - this.tolerance);
  }
  take(at: number): void {
    this.tat = Math.max(this.tat, at) + this.interval;
  }
  /** Adds another bucket's outstanding use to this one (two keys found to be one account). */
  absorb(other: Bucket, now: number): void {
    this.tat = now + Math.max(0, this.tat - now) + Math.max(0, other.tat - now);
  }
}

interface Buckets {
  account: Bucket;
  operations: Map<string, Bucket>;
}

export interface PacingStats {
  /** Tokens taken (attempts let through, retries included). */
  taken: number;
  /** Attempts that had to wait, and for how long in all (ms). */
  waited: number;
  waitedMs: number;
  /** Calls refused because the wait would have exceeded maxWaitMs. */
  refused: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A call the pacer would have made wait too long; nothing was sent for this attempt. */
export class PacingRefusal extends ToolError {
  /** True on a call's first attempt: nothing at all reached AWS. */
  readonly nothingSent: boolean;
  constructor(message: string, nothingSent: boolean) {
    super(message, 'throttled');
    this.nothingSent = nothingSent;
  }
}

export class Pacer {
  private readonly keys = new Map<string, Buckets>();
  private readonly counters = new Map<string, PacingStats>();

  constructor(
    readonly limits: RateLimits,
    private readonly clock: Clock = realClock,
  ) {}

  private buckets(key: string): Buckets {
    let b = this.keys.get(key);
    if (!b) {
      b = { account: new Bucket(this.limits.burst, (this.limits.burst / this.limits.rate) * 1000), operations: new Map() };
      this.keys.set(key, b);
    }
    return b;
  }

  private own(b: Buckets, operation: string): Bucket | undefined {
    const q = this.limits.operations[operation];
    if (!q) return undefined;
    let bucket = b.operations.get(operation);
    if (!bucket) b.operations.set(operation, (bucket = new Bucket(q.requests, q.perSeconds * 1000)));
    return bucket;
  }

  stats(key: string): PacingStats {
    let s = this.counters.get(key);
    if (!s) this.counters.set(key, (s = { taken: 0, waited: 0, waitedMs: 0, refused: 0 }));
    return s;
  }

  /** Waits for a token of `key`'s account bucket and `operation`'s own; throws PacingRefusal rather than wait too long. */
  async acquire(key: string, operation: string, firstAttempt = true): Promise<void> {
    const now = this.clock.now();
    const b = this.buckets(key);
    const own = this.own(b, operation);
    const at = Math.max(b.account.earliest(now), own?.earliest(now) ?? now);
    const wait = at - now;
    const stats = this.stats(key);
    if (wait > this.limits.maxWaitMs) {
      stats.refused++;
      throw new PacingRefusal(
        `Not sent: ${operation} would wait ${(wait / 1000).toFixed(1)} s for API Gateway's rate limit (${describeRateLimit(this.limits)}; ${key}), longer than this server waits. Other calls of this account are queued; retry in a while, or make fewer calls at once (--aws-rate-limit sets the limits).`,
        firstAttempt,
      );
    }
    b.account.take(at);
    own?.take(at);
    stats.taken++;
    if (wait <= 0) return;
    stats.waited++;
    stats.waitedMs += wait;
    if (wait >= 1000) log(`pacing: ${operation} waits ${(wait / 1000).toFixed(1)} s for API Gateway's rate limit (${key})`);
    await this.clock.sleep(wait);
  }

  /** Two keys turned out to be one account (e.g. a profile, once its account is known): `from`'s use moves to `to`. */
  merge(from: string, to: string): void {
    const a = this.keys.get(from);
    if (!a || from === to) return;
    this.keys.delete(from);
    const b = this.keys.get(to);
    if (!b) {
      this.keys.set(to, a);
    } else {
      const now = this.clock.now();
      b.account.absorb(a.account, now);
      for (const [op, bucket] of a.operations) {
        const mine = b.operations.get(op);
        if (mine) mine.absorb(bucket, now);
        else b.operations.set(op, bucket);
      }
    }
    const s = this.counters.get(from);
    if (s) {
      const t = this.stats(to);
      for (const k of Object.keys(s) as (keyof PacingStats)[]) t[k] += s[k];
      this.counters.delete(from);
    }
  }
}

/** The pacing key of a backend: the account once known, else the profile; with the region. */
export function pacingKey(region: string | undefined, who: { account?: string; profile?: string }): string {
  return `${who.account ? `account ${who.account}` : `profile ${who.profile ?? '(default)'}`}, ${region ?? '(region from AWS config)'}`;
}

const pacers = new Map<string, Pacer>();
/** The process's pacer for these limits (one configuration per process: one pacer, shared by every client). */
export function sharedPacer(limits: RateLimits): Pacer {
  const id = JSON.stringify(limits);
  let p = pacers.get(id);
  if (!p) pacers.set(id, (p = new Pacer(limits)));
  return p;
}

type Handler = (args: { request: unknown }) => Promise<unknown>;

/** The attempt number the retry middleware put on the request (`amz-sdk-request: attempt=N; max=M`). */
const attemptOf = (request: unknown) => Number(/attempt=(\d+)/.exec((request as { headers?: Record<string, string> })?.headers?.['amz-sdk-request'] ?? '')?.[1] ?? 1);

/** Adds the pacing middleware to an SDK client: between the retry middleware and signing, so each attempt waits its turn. */
export function addPacing(client: { middlewareStack: { addRelativeTo(mw: never, options: object): void } }, pacer: Pacer, key: () => string): void {
  const middleware =
    (next: Handler, context: { commandName?: string }): Handler =>
    async (args) => {
      await pacer.acquire(key(), (context.commandName ?? 'Unknown').replace(/Command$/, ''), attemptOf(args.request) === 1);
      return next(args);
    };
  client.middlewareStack.addRelativeTo(middleware as never, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'apigwPacing', override: true });
}
