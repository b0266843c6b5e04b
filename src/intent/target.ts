// Names and paths -> ids. Every integration tool takes restApiId (the API's id or its exact name), resourcePath, and
// the method verb; apiName and resourceId are still taken, unlisted (the catalog a model reads is 14 KB at most).
// Lookups are cached per API (GetResources is limited to 5 calls per 2 s per account) and refreshed once on a miss, so a resource created meanwhile is still found. GetResources names each resource's methods even
// without embed (`resourceMethods: {"GET": {}}`), so a verb the path lacks is refused here, before any other call.
import { z } from 'zod';
import type { Gateway, MethodAddress } from '../aws/gateway.js';
import { isMissingApi } from '../aws/errors.js';
import { ToolError } from '../errors.js';
import { HTTP_VERBS, type Doc } from '../patch/values.js';

const ID = /^[A-Za-z0-9]{1,64}$/;
/** What AWS (and the emulator, and LocalStack) give a REST API as its id: 10 lowercase letters and digits. */
const API_ID = /^[a-z0-9]{10}$/;

/**
 * Fields every tool still takes and tools/list leaves out: restApiId takes a name too, and a path is what a model
 * has from list_integrations. Earlier callers that send them keep working.
 */
export const TARGET_ALIASES = ['apiName', 'resourceId'] as const;

/** An API's id or name: one line, not blank (names are exact, so nothing is trimmed). */
export const ApiRefSchema = z
  .string()
  .max(1024)
  .regex(/^(?!\s*$)[^\u0000-\u001f\u007f-\u009f]+$/, 'an API id or name is one line and not blank, e.g. shop or a1b2c3d4e5');

export const TargetSchema = z.object({
  restApiId: ApiRefSchema.optional().describe('id or name'),
  apiName: ApiRefSchema.optional().describe('exact name (restApiId takes it too)'),
  resourceId: z.string().regex(ID, 'a resource id is letters and digits, e.g. abc123').optional().describe('or resourcePath'),
  resourcePath: z.string().regex(/^\/[^\s]*$/, 'a resource path starts with /, e.g. /orders/{id}').max(2048).optional().describe('/orders/{id}'),
  httpMethod: z.enum(HTTP_VERBS).describe('Verb'),
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

const MISSING_API = 'Missing target: give restApiId (the API\'s id or exact name). list_apis lists the APIs.';

/** Checks locally (no AWS call) that the API is named exactly once. */
export function checkApiInput(t: Pick<TargetInput, 'restApiId' | 'apiName'>): void {
  if (t.restApiId !== undefined && t.apiName !== undefined) throw new ToolError('Give the API once: restApiId takes its id or its exact name (apiName is the same as a name).');
  if (t.restApiId === undefined && t.apiName === undefined) throw new ToolError(MISSING_API);
}

/** Checks locally (no AWS call) that the target is named exactly once on each level. */
export function checkTargetInput(t: TargetInput): void {
  checkApiInput(t);
  if (t.resourceId !== undefined && t.resourcePath !== undefined) throw new ToolError('Give resourcePath or resourceId, not both.');
  if (t.resourceId === undefined && t.resourcePath === undefined) throw new ToolError('Missing target: give resourcePath (e.g. /orders/{id}). list_integrations lists the paths and methods of an API.');
}

/** A path as API Gateway names it: no trailing slash (but the root). */
export const normalizePath = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
const preview = (xs: string[], n = 25) => (xs.length > n ? [...xs.slice(0, n), `… ${xs.length - n} more`] : xs).join(', ');

/** A resource as last listed; `methods` is undefined when the listing did not name them. */
interface KnownResource {
  id: string;
  path: string;
  methods?: string[];
}

/**
 * AWS answers a verb the resource lacks with a bare NotFound ("Invalid Method identifier specified"). Where the
 * resolver could not know the methods without another call, this says where to look them up instead.
 */
export function explainMissingMethod(err: unknown, t: ResolvedTarget, backend: string): unknown {
  const e = err as { name?: string; message?: string };
  if (e?.name !== 'NotFoundException' || !/^Invalid Method identifier specified/.test(String(e.message))) return err;
  const where = t.resourcePath ?? `resource ${t.resourceId}`;
  return new ToolError(
    `API Gateway (${backend}) answered NotFoundException: ${e.message}: ${where} has no ${t.httpMethod} method. ` +
      `Call list_integrations { restApiId: "${t.restApiId}" } to see the methods of each path.`,
    'not_found',
  );
}

export class TargetResolver {
  private apis?: Doc[];
  /** Per API: path -> resource. */
  private readonly paths = new Map<string, Map<string, KnownResource>>();

  async resolve(gateway: Gateway, t: TargetInput): Promise<ResolvedTarget & MethodAddress> {
    checkTargetInput(t);
    const ref = this.apiRef(t);
    const api = 'id' in ref ? { id: ref.id, name: undefined as string | undefined } : await this.apiByName(gateway, ref.name);
    const resourcePath = t.resourcePath && normalizePath(t.resourcePath);
    const { id: resourceId, fresh } = t.resourceId ? { id: t.resourceId, fresh: false } : await this.resourceByPath(gateway, api.id, resourcePath!);
    await this.checkMethod(gateway, api.id, resourceId, t.httpMethod, fresh);
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
    checkApiInput(t);
    const ref = this.apiRef(t);
    return 'id' in ref ? { id: ref.id } : this.apiByName(gateway, ref.name);
  }

  /**
   * After a call failed: whether it was AWS saying it knows no API by a restApiId that was read as an id for its
   * shape, and a fresh listing (one GetRestApis) shows an API of that name. apiRef then reads it as the name, so
   * the call can be made again (a name like "production" has the shape of an id).
   */
  async namedAfterAll(gateway: () => Promise<Gateway>, err: unknown, t: { restApiId?: unknown; apiName?: unknown }): Promise<boolean> {
    const v = t.restApiId;
    if (typeof v !== 'string' || t.apiName !== undefined || !API_ID.test(v) || !isMissingApi(err)) return false;
    if (this.apis?.some((a) => a.name === v)) return false;
    this.apis = await (await gateway()).listApis();
    return this.apis.some((a) => a.name === v) && !this.apis.some((a) => a.id === v);
  }

  /**
   * restApiId holds an id or a name. An id of AWS's shape, or one this process has listed, is an id and costs no
   * call; anything else is a name (one GetRestApis, cached). A listed name wins over the shape.
   */
  private apiRef(t: Pick<TargetInput, 'restApiId' | 'apiName'>): { id: string } | { name: string } {
    if (t.apiName !== undefined) return { name: t.apiName };
    const v = t.restApiId!;
    if (this.apis?.some((a) => a.id === v)) return { id: v };
    if (this.apis?.some((a) => a.name === v)) return { name: v };
    return API_ID.test(v) ? { id: v } : { name: v };
  }

  /** The name of an API, from the cached listing (one GetRestApis when not cached yet). */
  /** The API's name and the resource's path where this process has seen them: no AWS call. */
  known(restApiId: string, resourceId: string): { apiName?: string; resourcePath?: string } {
    const apiName = this.apis?.find((a) => a.id === restApiId)?.name as string | undefined;
    const resourcePath = this.byId(restApiId, resourceId)?.path;
    return { ...(apiName ? { apiName } : {}), ...(resourcePath ? { resourcePath } : {}) };
  }

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
    if (!this.byId(restApiId, resourceId)) this.rememberPaths(restApiId, await gateway.listResources(restApiId));
    return this.byId(restApiId, resourceId)?.path;
  }

  /** Remembers the APIs of a full listing: list_apis refreshes names that may have gone stale. */
  rememberApis(apis: Doc[]): void {
    this.apis = apis;
  }

  /** Remembers paths seen in a full listing, sparing a GetResources call later. */
  rememberPaths(restApiId: string, resources: Doc[]): void {
    // AWS omits resourceMethods on a resource without methods; a listing where no resource has it says nothing.
    const listsMethods = resources.some((r) => r.resourceMethods);
    const known = (r: Doc): KnownResource => ({ id: r.id, path: r.path, ...(listsMethods ? { methods: Object.keys(r.resourceMethods ?? {}).sort() } : {}) });
    this.paths.set(restApiId, new Map(resources.map((r) => [r.path as string, known(r)])));
  }

  private byId(restApiId: string, resourceId: string): KnownResource | undefined {
    return [...(this.paths.get(restApiId)?.values() ?? [])].find((r) => r.id === resourceId);
  }

  /**
   * Refuses a verb the resource has no method for, when the listing says so. A listing from an earlier call is
   * refreshed once first (a method may have been added since); a resource never listed is left to AWS to judge.
   */
  private async checkMethod(gateway: Gateway, restApiId: string, resourceId: string, verb: string, fresh: boolean): Promise<void> {
    const lacks = () => {
      const r = this.byId(restApiId, resourceId);
      return r?.methods && !r.methods.includes(verb) ? r : undefined;
    };
    if (!lacks()) return;
    if (!fresh) this.rememberPaths(restApiId, await gateway.listResources(restApiId));
    const r = lacks();
    if (!r) return;
    throw new ToolError(
      `${r.path} has no ${verb} method (API ${restApiId}); ${r.path} has: ${r.methods!.length ? r.methods!.join(', ') : 'no methods'}. ` +
        'Give one of those as httpMethod; list_integrations shows the methods of every path.',
      'not_found',
    );
  }

  private async apiByName(gateway: Gateway, name: string): Promise<{ id: string; name: string }> {
    let matches = this.apis?.filter((a) => a.name === name) ?? [];
    if (matches.length === 0) {
      this.apis = await gateway.listApis();
      // An id given as a name (restApiId of another shape than AWS's) is still an id.
      const byId = this.apis.find((a) => a.id === name);
      if (byId) return { id: byId.id, name: byId.name };
      matches = this.apis.filter((a) => a.name === name);
    }
    if (matches.length === 1) return { id: matches[0].id, name };
    if (matches.length > 1)
      throw new ToolError(`API name ${JSON.stringify(name)} is ambiguous: ${matches.map((a) => a.id).join(', ')} share it. Give one of those ids as restApiId.`);
    const names = this.apis!.map((a) => `${a.name} (${a.id})`);
    throw new ToolError(`No REST API has the id or name ${JSON.stringify(name)}. APIs: ${names.length ? preview(names) : 'none'}. Names are exact; list_apis lists them.`, 'not_found');
  }

  /** The resource at a path; `fresh` when it was listed just now (its methods are current). */
  private async resourceByPath(gateway: Gateway, restApiId: string, path: string): Promise<{ id: string; fresh: boolean }> {
    const cached = this.paths.get(restApiId)?.get(path);
    if (cached) return { id: cached.id, fresh: false };
    this.rememberPaths(restApiId, await gateway.listResources(restApiId));
    const byPath = this.paths.get(restApiId)!;
    const listed = byPath.get(path);
    if (listed) return { id: listed.id, fresh: true };
    throw new ToolError(`API ${restApiId} has no resource ${JSON.stringify(path)}. Paths: ${preview([...byPath.keys()].sort())}. list_integrations shows each path's methods.`, 'not_found');
  }
}
