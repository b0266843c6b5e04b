// CreateDeployment, GetDeployments, GetDeployment. A deployment keeps a deep copy of the API's resources: that
// snapshot, not the working definition, is what a stage serves until the next deployment (apigw-spec.md §6).
import { canaryOf, checkCanaryDeployment } from './canary.js';
import { badRequest, notFound } from './errors.js';
import { page } from './paging.js';
import { allMethods } from './restapis.js';
import { apiOr404, has, newId, nowSeconds, type Context, type Doc, type ResourceDoc, type State } from './state.js';
import { bool, mapOf, str } from './wire.js';

function apiSummary(resources: Record<string, ResourceDoc>): Doc {
  const summary: Doc = {};
  for (const { path, verb, method } of allMethods(resources))
    (summary[path] ??= {})[verb] = { authorizationType: method.authorizationType, apiKeyRequired: method.apiKeyRequired ?? false };
  return summary;
}

export function createDeployment(state: State, ctx: Context, restApiId: string, body: Doc): Doc {
  const stageName = str(body, 'stageName');
  const stageDescription = str(body, 'stageDescription');
  const description = str(body, 'description');
  const cacheClusterEnabled = bool(body, 'cacheClusterEnabled');
  const cacheClusterSize = str(body, 'cacheClusterSize');
  const variables = mapOf(body, 'variables', 'String');
  const tracingEnabled = bool(body, 'tracingEnabled');
  const api = apiOr404(state, ctx, restApiId);
  checkCanaryDeployment(body, api.stages);
  const methods = allMethods(api.resources);
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.method.methodIntegration)) throw badRequest('No integration defined for method');
  if (stageName !== undefined && !/^[A-Za-z0-9_]+$/.test(stageName)) throw badRequest('Stage name only allows a-zA-Z0-9_');

  const now = nowSeconds();
  const id = newId(6, api.deployments);
  const deployment: Doc = { id, ...(description !== undefined && { description }), createdDate: now };
  api.deployments[id] = { deployment: { ...deployment, apiSummary: apiSummary(api.resources) }, snapshot: structuredClone(api.resources) };

  if (stageName !== undefined) {
    const existing = has(api.stages, stageName) ? api.stages[stageName] : undefined;
    const canary = canaryOf(body, id);
    // Redeploying to an existing stage moves it to the new deployment and keeps its settings; a canary release
    // keeps the stage where it is and sends the canary's share of traffic to the new deployment.
    api.stages[stageName] = canary
      ? { ...existing, canarySettings: canary, lastUpdatedDate: now }
      : existing
      ? { ...existing, deploymentId: id, lastUpdatedDate: now }
      : {
          // Field set and defaults of a Stage as recorded from AWS's GetStages.
          stageName,
          deploymentId: id,
          ...(stageDescription !== undefined && { description: stageDescription }),
          cacheClusterEnabled: cacheClusterEnabled ?? false,
          ...(cacheClusterEnabled && cacheClusterSize !== undefined && { cacheClusterSize }),
          cacheClusterStatus: cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
          methodSettings: {},
          ...(variables && { variables }),
          tracingEnabled: tracingEnabled ?? false,
          createdDate: now,
          lastUpdatedDate: now,
        };
  }
  // CreateDeployment answers with the id, description and date only (recorded AWS shape).
  return deployment;
}

export function getDeployments(state: State, ctx: Context, restApiId: string, query: URLSearchParams): Doc {
  const api = apiOr404(state, ctx, restApiId);
  return page(Object.values(api.deployments).map((d) => d.deployment), (d) => d.id, query);
}

/** GetDeployment; `embed=apisummary` adds the summary of methods it deployed (AWS's only embed value). */
export function getDeployment(state: State, ctx: Context, restApiId: string, deploymentId: string, query: URLSearchParams): Doc {
  const api = apiOr404(state, ctx, restApiId);
  if (!has(api.deployments, deploymentId)) throw notFound('Invalid Deployment identifier specified');
  const { apiSummary, ...deployment } = api.deployments[deploymentId].deployment;
  return query.getAll('embed').some((e) => e.split(',').includes('apisummary')) ? { ...deployment, apiSummary } : deployment;
}
