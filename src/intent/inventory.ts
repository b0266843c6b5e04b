// Every method of an API with its full Method (integration included), from one paginated GetResources with
// embed=methods: what list_integrations and audit_integrations read. Paths seen are cached for name resolution.
import type { Doc } from '../patch/values.js';
import type { WriteContext } from '../plan/context.js';

export interface MethodEntry {
  path: string;
  resourceId: string;
  httpMethod: string;
  method: Doc;
}

export async function methodsOf(ctx: Pick<WriteContext, 'backend' | 'resolver'>, api: { restApiId?: string; apiName?: string }) {
  const gateway = await ctx.backend.gateway();
  const resolved = await ctx.resolver.resolveApi(gateway, api);
  const resources = await gateway.listResources(resolved.id, true);
  ctx.resolver.rememberPaths(resolved.id, resources);
  const methods: MethodEntry[] = resources
    .sort((a, b) => String(a.path).localeCompare(String(b.path)))
    .flatMap((r) =>
      Object.entries((r.resourceMethods ?? {}) as Record<string, Doc>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([httpMethod, method]) => ({ path: r.path as string, resourceId: r.id as string, httpMethod, method })),
    );
  return { api: resolved, methods };
}
