// What this server may change (--allow-api), and which stages serve an API (for the deploy reminder), cached so a
// write still costs one read and one update.
import type { Gateway } from '../aws/gateway.js';
import { ToolError } from '../errors.js';
import type { ResolvedTarget, TargetResolver } from '../intent/target.js';

export class WriteScope {
  constructor(
    /** API ids or exact names writes are allowed on; empty = all. */
    private readonly allowApis: readonly string[],
    private readonly resolver: TargetResolver,
  ) {}

  async checkWrite(gateway: Gateway, t: Pick<ResolvedTarget, 'restApiId' | 'apiName'>): Promise<void> {
    if (this.allowApis.length === 0 || this.allowApis.includes(t.restApiId)) return;
    const name = t.apiName ?? (await this.resolver.apiName(gateway, t.restApiId));
    if (name !== undefined && this.allowApis.includes(name)) return;
    throw new ToolError(
      `Writes to API ${name ? `${name} (${t.restApiId})` : t.restApiId} are not allowed by this server (--allow-api): allowed: ${this.allowApis.join(', ')}. Nothing was sent; read tools still work.`,
      'scope_denied',
    );
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

  forget(restApiId: string): void {
    this.cache.delete(restApiId);
  }
}
