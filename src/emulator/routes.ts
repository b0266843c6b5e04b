// The wire routes: HTTP verb + path template -> AWS operation name, whether it changes state, and its handler.
// Paths and success codes are those of the API model (apigw-spec.md §1.2).
import { createDeployment, getDeployment, getDeployments } from './deployments.js';
import { getExport } from './exports.js';
import {
  deleteIntegration,
  deleteIntegrationResponse,
  getIntegration,
  getIntegrationResponse,
  putIntegration,
  putIntegrationResponse,
  updateIntegration,
  updateIntegrationResponse,
} from './integrations.js';
import { deleteMethod, deleteMethodResponse, getMethod, getMethodResponse, putMethod, putMethodResponse, updateMethod, updateMethodResponse } from './methods.js';
import { createResource, createRestApi, getResource, getResources, getRestApi, getRestApis } from './restapis.js';
import { getStage, getStages, updateStage } from './stages.js';
import type { Context, Doc, State } from './state.js';

export interface OperationInput {
  /** Path parameters, already percent-decoded. */
  p: Record<string, string>;
  query: URLSearchParams;
  body: Doc;
  state: State;
  ctx: Context;
}

export interface Reply {
  status: number;
  /** Absent for 204. */
  body?: unknown;
}

export interface Route {
  verb: string;
  segments: string[];
  operation: string;
  mutates: boolean;
  run: (input: OperationInput) => Reply;
}

const API = '/restapis/{restApiId}';
const METHOD = `${API}/resources/{resourceId}/methods/{httpMethod}`;

const route = (verb: string, path: string, operation: string, run: Route['run']): Route => ({
  verb,
  segments: path.slice(1).split('/'),
  operation,
  mutates: verb !== 'GET',
  run,
});
const ok = (body: unknown): Reply => ({ status: 200, body });
const created = (body: unknown): Reply => ({ status: 201, body });
const noContent = (): Reply => ({ status: 204 });

export const ROUTES: readonly Route[] = [
  route('GET', '/restapis', 'GetRestApis', ({ state, query }) => ok(getRestApis(state, query))),
  route('POST', '/restapis', 'CreateRestApi', ({ state, body }) => created(createRestApi(state, body))),
  route('GET', API, 'GetRestApi', ({ state, ctx, p }) => ok(getRestApi(state, ctx, p.restApiId))),
  route('GET', `${API}/resources`, 'GetResources', ({ state, ctx, p, query }) => ok(getResources(state, ctx, p.restApiId, query))),
  route('GET', `${API}/resources/{resourceId}`, 'GetResource', ({ state, p, query }) => ok(getResource(state, p.restApiId, p.resourceId, query))),
  route('POST', `${API}/resources/{parentId}`, 'CreateResource', ({ state, p, body }) => created(createResource(state, p.restApiId, p.parentId, body))),
  route('PUT', METHOD, 'PutMethod', ({ state, p, body }) => created(putMethod(state, p.restApiId, p.resourceId, p.httpMethod, body))),
  route('GET', METHOD, 'GetMethod', ({ state, p }) => ok(getMethod(state, p.restApiId, p.resourceId, p.httpMethod))),
  route('PATCH', METHOD, 'UpdateMethod', ({ state, p, body }) => ok(updateMethod(state, p.restApiId, p.resourceId, p.httpMethod, body))),
  route('PUT', `${METHOD}/responses/{statusCode}`, 'PutMethodResponse', ({ state, p, body }) =>
    created(putMethodResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode, body)),
  ),
  route('GET', `${METHOD}/responses/{statusCode}`, 'GetMethodResponse', ({ state, p }) =>
    ok(getMethodResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode)),
  ),
  // 201, as AWS answers it (a quirk of the API model, recorded).
  route('PATCH', `${METHOD}/responses/{statusCode}`, 'UpdateMethodResponse', ({ state, p, body }) =>
    created(updateMethodResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode, body)),
  ),
  route('DELETE', `${METHOD}/responses/{statusCode}`, 'DeleteMethodResponse', ({ state, p }) => {
    deleteMethodResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode);
    return noContent();
  }),
  route('DELETE', METHOD, 'DeleteMethod', ({ state, p }) => {
    deleteMethod(state, p.restApiId, p.resourceId, p.httpMethod);
    return noContent();
  }),
  route('PUT', `${METHOD}/integration`, 'PutIntegration', ({ state, p, body }) => created(putIntegration(state, p.restApiId, p.resourceId, p.httpMethod, body))),
  route('GET', `${METHOD}/integration`, 'GetIntegration', ({ state, p }) => ok(getIntegration(state, p.restApiId, p.resourceId, p.httpMethod))),
  route('PATCH', `${METHOD}/integration`, 'UpdateIntegration', ({ state, p, body }) => ok(updateIntegration(state, p.restApiId, p.resourceId, p.httpMethod, body))),
  route('DELETE', `${METHOD}/integration`, 'DeleteIntegration', ({ state, p }) => {
    deleteIntegration(state, p.restApiId, p.resourceId, p.httpMethod);
    return noContent();
  }),
  route('PUT', `${METHOD}/integration/responses/{statusCode}`, 'PutIntegrationResponse', ({ state, p, body }) =>
    created(putIntegrationResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode, body)),
  ),
  route('GET', `${METHOD}/integration/responses/{statusCode}`, 'GetIntegrationResponse', ({ state, p }) =>
    ok(getIntegrationResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode)),
  ),
  route('PATCH', `${METHOD}/integration/responses/{statusCode}`, 'UpdateIntegrationResponse', ({ state, p, body }) =>
    ok(updateIntegrationResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode, body)),
  ),
  route('DELETE', `${METHOD}/integration/responses/{statusCode}`, 'DeleteIntegrationResponse', ({ state, p }) => {
    deleteIntegrationResponse(state, p.restApiId, p.resourceId, p.httpMethod, p.statusCode);
    return noContent();
  }),
  route('POST', `${API}/deployments`, 'CreateDeployment', ({ state, ctx, p, body }) => created(createDeployment(state, ctx, p.restApiId, body))),
  route('GET', `${API}/deployments`, 'GetDeployments', ({ state, ctx, p, query }) => ok(getDeployments(state, ctx, p.restApiId, query))),
  route('GET', `${API}/deployments/{deploymentId}`, 'GetDeployment', ({ state, ctx, p, query }) => ok(getDeployment(state, ctx, p.restApiId, p.deploymentId, query))),
  route('GET', `${API}/stages`, 'GetStages', ({ state, ctx, p, query }) => ok(getStages(state, ctx, p.restApiId, query))),
  route('GET', `${API}/stages/{stageName}`, 'GetStage', ({ state, ctx, p }) => ok(getStage(state, ctx, p.restApiId, p.stageName))),
  route('PATCH', `${API}/stages/{stageName}`, 'UpdateStage', ({ state, ctx, p, body }) => ok(updateStage(state, ctx, p.restApiId, p.stageName, body))),
  route('GET', `${API}/stages/{stageName}/exports/{exportType}`, 'GetExport', ({ state, ctx, p, query }) =>
    ok(getExport(state, ctx, p.restApiId, p.stageName, p.exportType, query)),
  ),
];

/** Finds the route for a request; `{name}` matches one non-empty, percent-decoded segment. */
export function matchRoute(verb: string, pathname: string): { route: Route; p: Record<string, string> } | undefined {
  const parts = pathname.replace(/^\/+|\/+$/g, '').split('/');
  for (const route of ROUTES) {
    if (route.verb !== verb || route.segments.length !== parts.length) continue;
    const p: Record<string, string> = {};
    const fits = route.segments.every((seg, i) => {
      if (!seg.startsWith('{')) return seg === parts[i];
      try {
        p[seg.slice(1, -1)] = decodeURIComponent(parts[i]);
      } catch {
        return false;
      }
      return parts[i].length > 0;
    });
    if (fits) return { route, p };
  }
  return undefined;
}
