// RestApi and Resource operations: CreateRestApi, GetRestApis, GetRestApi, CreateResource, GetResources, GetResource.
import { conflict, badRequest, validation } from './errors.js';
import { page } from './paging.js';
import { apiOr404, newId, nowSeconds, resourceOr404, type Context, type Doc, type ResourceDoc, type State } from './state.js';
import { bool, listOfStrings, mapOf, obj, str } from './wire.js';

export function createRestApi(state: State, body: Doc): Doc {
  const name = str(body, 'name');
  const description = str(body, 'description');
  const version = str(body, 'version');
  const binaryMediaTypes = listOfStrings(body, 'binaryMediaTypes');
  const apiKeySource = str(body, 'apiKeySource') ?? 'HEADER';
  const endpointConfiguration = obj(body, 'endpointConfiguration');
  const disableExecuteApiEndpoint = bool(body, 'disableExecuteApiEndpoint') ?? false;
  const tags = mapOf(body, 'tags', 'String');
  if (!name) throw validation([{ value: null, at: 'createRestApiInput.name', constraint: 'Member must not be null' }]);

  const id = newId(10, state.apis);
  const rootId = newId(10);
  // Field set and defaults as recorded from AWS's CreateRestApi answer.
  const api: Doc = {
    id,
    name,
    ...(description !== undefined && { description }),
    ...(version !== undefined && { version }),
    createdDate: nowSeconds(),
    ...(binaryMediaTypes?.length && { binaryMediaTypes }),
    apiKeySource,
    endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4', ...endpointConfiguration },
    disableExecuteApiEndpoint,
    rootResourceId: rootId,
    ...(tags && { tags }),
  };
  // The root resource has only an id and path "/" (recorded AWS shape).
  state.apis[id] = { api, resources: { [rootId]: { id: rootId, path: '/' } }, deployments: {}, stages: {} };
  return api;
}

export function getRestApis(state: State, query: URLSearchParams): Doc {
  return page(Object.values(state.apis).map((r) => r.api), (a) => a.id, query);
}

export function getRestApi(state: State, ctx: Context, restApiId: string): Doc {
  return apiOr404(state, ctx, restApiId).api;
}

// API Gateway's rule for a path part (AWS's message names it): plain characters, or one {param} / {proxy+}.
const PATH_PART = /^([A-Za-z0-9._-]+|\{[A-Za-z0-9._-]+\+?\})$/;

export function createResource(state: State, restApiId: string, parentId: string, body: Doc): Doc {
  const pathPart = str(body, 'pathPart');
  if (pathPart === undefined) throw validation([{ value: null, at: 'createResourceInput.pathPart', constraint: 'Member must not be null' }]);
  const parent = resourceOr404(state, restApiId, parentId);
  if (!PATH_PART.test(pathPart))
    throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
  const api = state.apis[restApiId];
  if (Object.values(api.resources).some((r) => r.parentId === parentId && r.pathPart === pathPart))
    throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  const id = newId(6, api.resources);
  const resource: ResourceDoc = { id, parentId, pathPart, path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}` };
  api.resources[id] = resource;
  return resource;
}

/** `embed=methods` (the only value AWS supports) may arrive as repeated keys or a comma-separated list. */
const embedsMethods = (query: URLSearchParams) => query.getAll('embed').some((e) => e.split(',').includes('methods'));

/** A Resource as AWS lists it: without embed each method is `{}`; a resource without methods omits the map. */
function resourceView(resource: ResourceDoc, embed: boolean): Doc {
  const { resourceMethods, ...rest } = resource;
  if (!resourceMethods || Object.keys(resourceMethods).length === 0) return rest;
  return { ...rest, resourceMethods: embed ? resourceMethods : Object.fromEntries(Object.keys(resourceMethods).map((v) => [v, {}])) };
}

export function getResources(state: State, ctx: Context, restApiId: string, query: URLSearchParams): Doc {
  const api = apiOr404(state, ctx, restApiId);
  const embed = embedsMethods(query);
  return page(Object.values(api.resources).map((r) => resourceView(r, embed)), (r) => r.id, query);
}

export function getResource(state: State, restApiId: string, resourceId: string, query: URLSearchParams): Doc {
  return resourceView(resourceOr404(state, restApiId, resourceId), embedsMethods(query));
}

/** Every method of an API with its resource path, in stored order (deployments and summaries walk this). */
export function allMethods(resources: Record<string, ResourceDoc>): { path: string; verb: string; method: Doc }[] {
  return Object.values(resources).flatMap((r) => Object.entries(r.resourceMethods ?? {}).map(([verb, method]) => ({ path: r.path, verb, method })));
}
