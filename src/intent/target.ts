// Names and paths -> ids. Every integration tool takes restApiId or apiName, resourceId or resourcePath, and the
// method verb. Lookups are cached per API (GetResources is limited to 5 calls per 2 s per account) and refreshed
// once on a miss, so a resource created meanwhile is still found.
import { z } from 'zod';
import type { Gateway, MethodAddress } from '../aws/gateway.js';
import { ToolError } from '../errors.js';
import { HTTP_VERBS, type Doc } from '../patch/values.js';

const ID = /^[A-Za-z0-9]{1,64}$/;

export const TargetSchema = z.object({
  restApiId: z.string().regex(ID, 'a REST API id is letters and digits, e.g. a1b2c3d4e5').optional().describe('or apiName'),
  apiName: z.string().min(1).max(1024).optional().describe('exact name'),
  resourceId: z.string().regex(ID, 'a resource id is letters and digits, e.g. abc123').optional().describe('or resourcePath'),
  resourcePath: z.string().regex(/^\/[^\s]*$/, 'a resource path starts with /, e.g. /orders/{id}').max(2048).optional().describe('/orders/{id}'),
  httpMethod: z.enum(HTTP_VERBS),
});
export type TargetInput = z.infer<typeof TargetSchema>;

export const ResolvedTargetSchema = z.object({
  restApiId: z.string(),
  resourceId: z.string(),
  httpMethod: z.string(),
  apiName: z.string().optional(),
  resourcePath: z.string().optional(),
});
export type ResolvedTarget = z.infer<typeof ResolvedTargetSchema>;

/** Checks locally (no AWS call) that the target is named exactly once on each level. */
export function checkTargetInput(t: TargetInput): void {
  const one = (a: unknown, b: unknown, what: string, how: string) => {
    if (a !== undefined && b !== undefined) throw new ToolError(`Give ${what}, not both.`);
    if (a === undefined && b === undefined) throw new ToolError(`Missing target: give ${what}. ${how}`);
  };
  one(t.restApiId, t.apiName, 'restApiId or apiName', 'list_apis lists the APIs.');
  one(t.resourceId, t.resourcePath, 'resourceId or resourcePath', 'list_integrations lists the resources and methods of an API.');
}

const normalizePath = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
const preview = (xs: string[], n = 25) => (xs.length > n ? [...xs.slice(0, n), `… ${xs.length - n} more`] : xs).join(', ');

export class TargetResolver {
  private apis?: Doc[];
  private readonly paths = new Map<string, Map<string, string>>();

  async resolve(gateway: Gateway, t: TargetInput): Promise<ResolvedTarget & MethodAddress> {
    checkTargetInput(t);
    const api = t.restApiId ? { id: t.restApiId, name: undefined } : await this.apiByName(gateway, t.apiName!);
    const resourcePath = t.resourcePath && normalizePath(t.resourcePath);
    const resourceId = t.resourceId ?? (await this.resourceByPath(gateway, api.id, resourcePath!));
    return {
      restApiId: api.id,
      resourceId,
      httpMethod: t.httpMethod,
      ...(api.name ? { apiName: api.name } : {}),
      ...(resourcePath ? { resourcePath } : {}),
    };
  }

  /** Resolves just the API (for tools that work on a whole API). */
  async resolveApi(gateway: Gateway, t: Pick<TargetInput, 'restApiId' | 'apiName'>): Promise<{ id: string; name?: string }> {
    if (t.restApiId !== undefined && t.apiName !== undefined) throw new ToolError('Give restApiId or apiName, not both.');
    if (t.restApiId !== undefined) return { id: t.restApiId };
    if (t.apiName !== undefined) return this.apiByName(gateway, t.apiName);
    throw new ToolError('Missing target: give restApiId or apiName. list_apis lists the APIs.');
  }

  /** The name of an API, from the cached listing (one GetRestApis when not cached yet). */
  async apiName(gateway: Gateway, restApiId: string): Promise<string | undefined> {
    let api = this.apis?.find((a) => a.id === restApiId);
    if (!api) {
      this.apis = await gateway.listApis();
      api = this.apis.find((a) => a.id === restApiId);
    }
    return api?.name;
  }

  /** The path of a resource, from the cached listing (one GetResources when not cached yet). */
  async pathOf(gateway: Gateway, restApiId: string, resourceId: string): Promise<string | undefined> {
    const find = () => [...(this.paths.get(restApiId) ?? [])].find(([, id]) => id === resourceId)?.[0];
    if (find() === undefined) this.rememberPaths(restApiId, await gateway.listResources(restApiId));
    return find();
  }

  /** Remembers the APIs of a full listing: list_apis refreshes names that may have gone stale. */
  rememberApis(apis: Doc[]): void {
    this.apis = apis;
  }

  /** Remembers paths seen in a full listing, sparing a GetResources call later. */
  rememberPaths(restApiId: string, resources: Doc[]): void {
    this.paths.set(restApiId, new Map(resources.map((r) => [r.path as string, r.id as string])));
  }

  private async apiByName(gateway: Gateway, name: string): Promise<{ id: string; name: string }> {
    let matches = this.apis?.filter((a) => a.name === name) ?? [];
    if (matches.length === 0) {
      this.apis = await gateway.listApis();
      matches = this.apis.filter((a) => a.name === name);
    }
    if (matches.length === 1) return { id: matches[0].id, name };
    if (matches.length > 1)
      throw new ToolError(`API name ${JSON.stringify(name)} is ambiguous: ${matches.map((a) => a.id).join(', ')} share it. Give restApiId instead.`);
    const names = this.apis!.map((a) => `${a.name} (${a.id})`);
    throw new ToolError(`No REST API is named ${JSON.stringify(name)}. APIs: ${names.length ? preview(names) : 'none'}. Names are exact; list_apis lists them.`);
  }

  private async resourceByPath(gateway: Gateway, restApiId: string, path: string): Promise<string> {
    let id = this.paths.get(restApiId)?.get(path);
    if (id) return id;
    this.rememberPaths(restApiId, await gateway.listResources(restApiId));
    const byPath = this.paths.get(restApiId)!;
    id = byPath.get(path);
    if (id) return id;
    throw new ToolError(`API ${restApiId} has no resource ${JSON.stringify(path)}. Paths: ${preview([...byPath.keys()].sort())}. list_integrations shows each path's methods.`);
  }
}
