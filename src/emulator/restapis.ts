// RestApi and Resource operations: CreateRestApi, GetRestApis, GetRestApi, CreateResource, GetResources, GetResource.
import { badRequest, conflict, enumConstraint, validation, type Violation } from './errors.js';
import { page } from './paging.js';
import { apiOr404, newId, nowSeconds, resourceOr404, type Context, type Doc, type ResourceDoc, type State } from './state.js';
import { bool, int, listOfStrings, mapOf, obj, str } from './wire.js';

// CreateRestApi's endpoint rules, in the order AWS reports them (recorded answers): Coral's enum checks first,
// then the description, the compression size and the endpoint combination.
const ENDPOINT_TYPES = ['PRIVATE', 'EDGE', 'REGIONAL'];
const IP_ADDRESS_TYPES = ['ipv4', 'dualstack'];
const MAX_COMPRESSION_SIZE = 10485760;

/** The enum violations of a CreateRestApi body (name first, then the endpoint's types and ipAddressType). */
function createRestApiViolations(name: string | undefined, types: string[] | undefined, ipAddressType: string | undefined): Violation[] {
  const at = 'createRestApiInput.endpointConfiguration';
  const violations: Violation[] = [];
  if (!name) violations.push({ value: null, at: 'createRestApiInput.name', constraint: 'Member must not be null' });
  if (types?.some((t) => !ENDPOINT_TYPES.includes(t)))
    violations.push({ value: `[${types.join(', ')}]`, at: `${at}.types`, constraint: `Member must satisfy constraint: [${enumConstraint(ENDPOINT_TYPES)}]` });
  // An empty ipAddressType reads as unset (recorded: only the types violation is reported beside it).
  if (ipAddressType && !IP_ADDRESS_TYPES.includes(ipAddressType)) violations.push({ value: ipAddressType, at: `${at}.ipAddressType`, constraint: enumConstraint(IP_ADDRESS_TYPES) });
  return violations;
}

/** The stored endpointConfiguration: EDGE by default; a PRIVATE API is dualstack by default and cannot be ipv4. */
function endpointConfigurationOf(types: string[] | undefined, ipAddressType: string | undefined, vpcEndpointIds: string[] | undefined): Doc {
  if (types?.length === 0) throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (types && types.length > 1) throw badRequest('Cannot create an api with multiple Endpoint Types.');
  const type = types?.[0] ?? 'EDGE';
  if (type === 'PRIVATE' && ipAddressType === 'ipv4') throw badRequest('Only dualstack ipAddressType is supported for Private APIs.');
  return { types: [type], ipAddressType: ipAddressType || (type === 'PRIVATE' ? 'dualstack' : 'ipv4'), ...(vpcEndpointIds && { vpcEndpointIds }) };
}

export function createRestApi(state: State, body: Doc): Doc {
  const name = str(body, 'name');
  const description = str(body, 'description');
  const version = str(body, 'version');
  const binaryMediaTypes = listOfStrings(body, 'binaryMediaTypes');
  const minimumCompressionSize = int(body, 'minimumCompressionSize');
  const apiKeySource = str(body, 'apiKeySource') ?? 'HEADER';
  const endpoint = obj(body, 'endpointConfiguration') ?? {};
  const types = listOfStrings(endpoint, 'types');
  const ipAddressType = str(endpoint, 'ipAddressType');
  const vpcEndpointIds = listOfStrings(endpoint, 'vpcEndpointIds');
  const disableExecuteApiEndpoint = bool(body, 'disableExecuteApiEndpoint') ?? false;
  const tags = mapOf(body, 'tags', 'String');
  const violations = createRestApiViolations(name, types, ipAddressType);
  if (violations.length) throw validation(violations);
  if (description === '') throw badRequest('Description cannot be an empty string');
  if (minimumCompressionSize !== undefined && (minimumCompressionSize < 0 || minimumCompressionSize > MAX_COMPRESSION_SIZE))
    throw badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION_SIZE}`);
  const endpointConfiguration = endpointConfigurationOf(types, ipAddressType, vpcEndpointIds);

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
    ...(minimumCompressionSize !== undefined && { minimumCompressionSize }),
    apiKeySource,
    endpointConfiguration,
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

/** GetRestApi names the tags even when there are none (recorded); CreateRestApi and GetRestApis omit them then. */
export function getRestApi(state: State, ctx: Context, restApiId: string): Doc {
  const { api } = apiOr404(state, ctx, restApiId);
  return { ...api, tags: api.tags ?? {} };
}

// API Gateway's rule for a path part (AWS's message names it): plain characters, or one {param} / {proxy+}.
const PATH_PART = /^([A-Za-z0-9._-]+|\{[A-Za-z0-9._-]+\+?\})$/;

const isVariable = (pathPart: string | undefined) => pathPart?.startsWith('{') ?? false;
const isGreedy = (pathPart: string | undefined) => pathPart?.endsWith('+}') ?? false;

/** A greedy {name+} resource has no children, and a parent has at most one variable child (recorded texts). */
function checkPlaceInTree(parent: ResourceDoc, siblings: readonly ResourceDoc[], pathPart: string): void {
  if (isGreedy(parent.pathPart)) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const variable = isVariable(pathPart) ? siblings.find((r) => isVariable(r.pathPart)) : undefined;
  if (variable) throw badRequest(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`);
}

export function createResource(state: State, restApiId: string, parentId: string, body: Doc): Doc {
  const pathPart = str(body, 'pathPart');
  if (pathPart === undefined) throw validation([{ value: null, at: 'createResourceInput.pathPart', constraint: 'Member must not be null' }]);
  const parent = resourceOr404(state, restApiId, parentId);
  if (!PATH_PART.test(pathPart))
    throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
  const api = state.apis[restApiId];
  const siblings = Object.values(api.resources).filter((r) => r.parentId === parentId);
  if (siblings.some((r) => r.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  checkPlaceInTree(parent, siblings, pathPart);
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
