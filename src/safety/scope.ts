// What this server may change (--allow-api, resolved to ids on first use), and which stages serve an API (for the
// deploy reminder), cached so a write still costs one read and one update.
import type { Gateway } from '../aws/gateway.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
/** What the scope needs of the name resolver (src/intent/target.ts, a layer above): an API's name. */
export interface ApiNames {
  apiName(gateway: Gateway, restApiId: string): Promise<string | undefined>;
}
type ResolvedTarget = { restApiId: string; apiName?: string };

/** What one --allow-api entry came to mean on first use. */
type Entry = { entry: string; ids: string[]; ambiguous?: { id: string; name: string }[] };

/**
 * --allow-api names what it means: an entry that is an API id is that API; a name resolves to the one API of that
 * name on first use, and stays that id, so an API of the same name created later (outside this server) is not
 * allowed by it. A name several APIs share is refused, naming them with their ids (allow one by id); a name that
 * matches no API yet is looked up again on the next write.
 */
export class WriteScope {
  private entries?: Promise<Entry[]>;

  constructor(
    /** API ids or exact names writes are allowed on; empty = all. */
    private readonly allowApis: readonly string[],
    private readonly resolver: ApiNames,
    /** Names the account in the log line (profile, region). */
    private readonly where = '',
  ) {}

  async checkWrite(gateway: Gateway, t: Pick<ResolvedTarget, 'restApiId' | 'apiName'>): Promise<void> {
    if (this.allowApis.length === 0) return;
    const entries = await this.resolve(gateway);
    if (entries.some((e) => e.ids.includes(t.restApiId))) return;
    const name = t.apiName ?? (await this.resolver.apiName(gateway, t.restApiId));
    const shared = entries.find((e) => e.ambiguous?.some((a) => a.id === t.restApiId));
    if (shared)
      throw new ToolError(
        `--allow-api ${shared.entry} names ${shared.ambiguous!.length} APIs: ${shared.ambiguous!.map((a) => `${a.name} (${a.id})`).join(', ')}, so it allows none of them. Nothing was sent; restart the server with --allow-api <id> for the one meant (read tools still work).`,
        'scope_denied',
      );
    const allowed = entries.map((e) => (e.ids.length === 1 && e.ids[0] !== e.entry ? `${e.entry} (${e.ids[0]})` : e.ids.length ? e.entry : `${e.entry} (no such API yet)`)).join(', ');
    throw new ToolError(
      `Writes to API ${name ? `${name} (${t.restApiId})` : t.restApiId} are not allowed by this server (--allow-api): allowed: ${allowed}. Nothing was sent; read tools still work.`,
      'scope_denied',
    );
  }

  /** Each entry's ids, resolved once; entries that matched nothing are tried again on the next write. */
  private async resolve(gateway: Gateway): Promise<Entry[]> {
    const known = await (this.entries ?? Promise.resolve(undefined));
    if (known && known.every((e) => e.ids.length || e.ambiguous)) return known;
    const next = (async () => {
      const apis = await gateway.listApis();
      const resolved = this.allowApis.map((entry, i): Entry => {
        const before = known?.[i];
        if (before && (before.ids.length || before.ambiguous)) return before;
        if (apis.some((a) => a.id === entry)) return { entry, ids: [entry] };
        const named = apis.filter((a) => a.name === entry).map((a) => ({ id: String(a.id), name: String(a.name) }));
        if (named.length > 1) {
          log(`--allow-api ${entry}${this.where}: ${named.length} APIs have that name (${named.map((a) => a.id).join(', ')}); it allows none of them: use --allow-api <id>`);
          return { entry, ids: [], ambiguous: named };
        }
        if (named.length === 1) log(`--allow-api ${entry}${this.where}: resolved to ${named[0].id}; an API of that name created later is not allowed (pin it: --allow-api ${named[0].id})`);
        return { entry, ids: named.map((a) => a.id) };
      });
      return resolved;
    })();
    this.entries = next.catch((err) => {
      this.entries = undefined;
      throw err;
    });
    return this.entries;
  }
}

/** Stage names per API, read once per process (deploy_api refreshes them): a write stays one read + one update. */
export class StageCache {
  private readonly cache = new Map<string, string[]>();

  async names(gateway: Gateway, restApiId: string): Promise<string[]> {
    const hit = this.cache.get(restApiId);
    if (hit) return hit;
    const names = (await gateway.getStages(restApiId)).map((s) => s.stageName as string).sort();
    this.cache.set(restApiId, names);
    return names;
  }

  /** Stage names read by someone else (list_stages), so the next write need not read them again. */
  remember(restApiId: string, names: string[]): void {
    this.cache.set(restApiId, [...names].sort());
  }

  forget(restApiId: string): void {
    this.cache.delete(restApiId);
  }
}
