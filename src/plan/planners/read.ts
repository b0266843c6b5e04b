// Resolving a tool's target and reading its Method once (GetMethod carries all four resource kinds).
import type { Gateway } from '../../aws/gateway.js';
import { explainMissingMethod, type TargetInput } from '../../intent/target.js';
import type { WriteContext } from '../context.js';
import { Model } from '../model.js';
import type { Address } from '../step.js';

export async function readTarget(ctx: WriteContext, gateway: Gateway, target: TargetInput): Promise<Model> {
  const resolved = await ctx.resolver.resolve(gateway, target);
  await ctx.scope.checkWrite(gateway, resolved);
  const method = await gateway.getMethod(resolved).catch((err) => {
    throw explainMissingMethod(err, resolved, ctx.backend.label);
  });
  // Names for people: what the agent used, else what this process has seen (no extra call).
  const address: Address = { ...ctx.resolver.known(resolved.restApiId, resolved.resourceId), ...resolved };
  const model = new Model();
  model.add(address, method);
  return model;
}

/** Names every method read, for a human (cached listings: at most one GetRestApis and one GetResources per API). */
export async function nameMethods(ctx: WriteContext, gateway: Gateway, model: Model): Promise<void> {
  for (const a of [...model.addresses])
    if (!a.resourcePath || !a.apiName)
      model.name(a, {
        apiName: a.apiName ?? (await ctx.resolver.apiName(gateway, a.restApiId).catch(() => undefined)),
        resourcePath: a.resourcePath ?? (await ctx.resolver.pathOf(gateway, a.restApiId, a.resourceId).catch(() => undefined)),
      });
}

/** "GET /orders/{id} of API "shop"": the API's name is data (quoted), the rest server words. */
export const whereOf = (a: Address) => `${a.httpMethod} ${a.resourcePath ?? `resource ${a.resourceId}`} of API ${a.apiName !== undefined ? JSON.stringify(a.apiName) : a.restApiId}`;

export const targetOf = (a: Address, extra: Record<string, string> = {}): Record<string, string> => ({
  restApiId: a.restApiId,
  resourceId: a.resourceId,
  httpMethod: a.httpMethod,
  ...(a.apiName ? { apiName: a.apiName } : {}),
  ...(a.resourcePath ? { resourcePath: a.resourcePath } : {}),
  ...extra,
});
