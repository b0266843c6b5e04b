// Method and MethodResponse operations: PutMethod, GetMethod, UpdateMethod, PutMethodResponse, GetMethodResponse.
// UpdateMethod is not an integration patch, so its small path table lives here, not in src/patch/rules.ts
// (apigw-spec.md §2.5; only what declaring method request parameters and models needs).
import { HTTP_VERBS, METHOD_REQUEST, methodResponseHeaderKey } from '../patch/values.js';
import { parsePointer } from '../patch/pointer.js';
import type { PatchOperation } from '../patch/rules.js';
import { badRequest, conflict, notFound, validation } from './errors.js';
import { deleteEntry, has, methodOr404, resourceOr404, setEntry, type Doc, type State } from './state.js';
import { bool, checkStatusCode, listOfStrings, mapOf, readPatchOperations, str } from './wire.js';

const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const NEEDS_AUTHORIZER =
  'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.';
const mappingError = (detail: string) => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`;

function checkMethodRequestParam(name: string): void {
  if (!METHOD_REQUEST.test(name)) throw badRequest(mappingError(`Invalid mapping expression specified: ${name}`));
}

/** The emulator has no authorizers and no request validators, so only NONE and AWS_IAM can be set. */
function checkAuthorizationType(type: string): void {
  if (!AUTHORIZATION_TYPES.includes(type)) throw badRequest(`Invalid authorization type specified: ${type}`);
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') throw badRequest(NEEDS_AUTHORIZER);
}

// PutMethod's own rules (recorded AWS texts); UpdateMethod below has its patch table.
/** The verbs in the order AWS lists them in its PutMethod message. */
const PUT_METHOD_VERBS = 'GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY';
/** The models every REST API has from its creation; the emulator has no others. */
const DEFAULT_MODELS = ['Empty', 'Error'];

/** AWS takes the authorization type in any case and stores it in upper case ("none" reads as NONE). */
const normalizedAuthorizationType = (type: string) => AUTHORIZATION_TYPES.find((t) => t === type.toUpperCase()) ?? type;

function checkRequestModels(models: Record<string, string> | undefined): void {
  const unknown = Object.values(models ?? {}).find((name) => !DEFAULT_MODELS.includes(name));
  if (unknown !== undefined) throw badRequest(`Invalid model identifier specified: ${unknown}`);
}

/** A parameter name may be declared in one location only (method.request.querystring.x beside .header.x is refused). */
function checkUniqueParamNames(names: readonly string[]): void {
  const bare = names.map((n) => n.replace(/^method\.request\.[a-z]+\./, ''));
  if (new Set(bare).size < bare.length) throw badRequest('Parameter names must be unique across querystring, header and path');
}

export function putMethod(state: State, restApiId: string, resourceId: string, verb: string, body: Doc): Doc {
  const authorizationType = str(body, 'authorizationType');
  const apiKeyRequired = bool(body, 'apiKeyRequired') ?? false;
  const operationName = str(body, 'operationName');
  const requestParameters = mapOf(body, 'requestParameters', 'Boolean');
  const requestModels = mapOf(body, 'requestModels', 'String');
  const requestValidatorId = str(body, 'requestValidatorId');
  const authorizationScopes = listOfStrings(body, 'authorizationScopes');
  if (authorizationType === undefined)
    throw validation([{ value: null, at: 'putMethodInput.authorizationType', constraint: 'Member must not be null' }]);
  const resource = resourceOr404(state, restApiId, resourceId);
  if (!(HTTP_VERBS as readonly string[]).includes(verb)) throw badRequest(`Invalid HttpMethod specified. Valid options are ${PUT_METHOD_VERBS}`);
  if (has(resource.resourceMethods, verb)) throw conflict('Method already exists for this resource');
  const authorization = normalizedAuthorizationType(authorizationType);
  checkAuthorizationType(authorization);
  if (requestValidatorId !== undefined) throw badRequest('Invalid Request Validator identifier specified');
  checkRequestModels(requestModels);
  for (const name of Object.keys(requestParameters ?? {})) checkMethodRequestParam(name);
  checkUniqueParamNames(Object.keys(requestParameters ?? {}));

  const method: Doc = {
    httpMethod: verb,
    authorizationType: authorization,
    apiKeyRequired,
    ...(operationName !== undefined && { operationName }),
    ...(requestParameters && { requestParameters }),
    ...(requestModels && { requestModels }),
    ...(authorizationScopes && { authorizationScopes }),
  };
  resource.resourceMethods ??= {};
  resource.resourceMethods[verb] = method;
  return method;
}

export function getMethod(state: State, restApiId: string, resourceId: string, verb: string): Doc {
  return methodOr404(resourceOr404(state, restApiId, resourceId), verb);
}

type MethodPatch = { path: string; ops: readonly string[]; apply: (method: Doc, op: PatchOperation, key: string) => void };

/** Map entries addressed by one pointer segment; removing a key that is not there is a 404, as on MethodResponse. */
const mapEntry = (field: string, missing: string, check: (key: string) => void, decode: (v: string | undefined) => unknown): MethodPatch => ({
  path: `/${field}/{name}`,
  ops: ['add', 'remove', 'replace'],
  apply: (method, op, key) => {
    check(key);
    if (op.op === 'remove') {
      if (!has(method[field], key)) throw notFound(missing);
      deleteEntry(method, field, key);
    } else setEntry(method, field, key, decode(op.value));
  },
});

const METHOD_PATCHES: readonly MethodPatch[] = [
  // AWS stores "required" as a boolean; anything but "true" reads as false (a wrong value was accepted as false).
  mapEntry('requestParameters', 'Invalid parameter name specified', checkMethodRequestParam, (v) => v === 'true'),
  mapEntry('requestModels', 'Content-Type specified was not found', () => undefined, (v) => v ?? ''),
  { path: '/apiKeyRequired', ops: ['replace'], apply: (m, op) => void (m.apiKeyRequired = op.value === 'true') },
  { path: '/operationName', ops: ['replace'], apply: (m, op) => void (m.operationName = op.value) },
  {
    path: '/authorizationType',
    ops: ['replace'],
    apply: (m, op) => {
      checkAuthorizationType(op.value ?? '');
      m.authorizationType = op.value;
    },
  },
];

function findMethodPatch(path: string): { patch: MethodPatch; key: string } | undefined {
  const keys = parsePointer(path);
  if (!keys) return undefined;
  for (const patch of METHOD_PATCHES) {
    const pattern = patch.path.slice(1).split('/');
    if (pattern.length === keys.length && pattern.every((seg, i) => (seg === '{name}' ? keys[i].length > 0 : seg === keys[i])))
      return { patch, key: keys[keys.length - 1] };
  }
  return undefined;
}

export function updateMethod(state: State, restApiId: string, resourceId: string, verb: string, body: Doc): Doc {
  const ops = readPatchOperations(body, 'updateMethodInput');
  const resource = resourceOr404(state, restApiId, resourceId);
  const method = methodOr404(resource, verb);
  // Works on a copy so that a failing op leaves the method as it was (all or nothing).
  const working = structuredClone(method);
  for (const op of ops) {
    const found = findMethodPatch(op.path ?? '');
    if (!found) throw badRequest(`Invalid patch path ${op.path ?? null}`);
    if (!found.patch.ops.includes(op.op)) throw badRequest(`Invalid patch operation specified. Must be one of: [${found.patch.ops.join(', ')}]`);
    found.patch.apply(working, op, found.key);
  }
  resource.resourceMethods![verb] = working;
  return working;
}

export function putMethodResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string, body: Doc): Doc {
  checkStatusCode(statusCode);
  const responseParameters = mapOf(body, 'responseParameters', 'Boolean');
  const responseModels = mapOf(body, 'responseModels', 'String');
  const method = methodOr404(resourceOr404(state, restApiId, resourceId), verb);
  for (const name of Object.keys(responseParameters ?? {})) {
    // The same key shape the rules table uses for integration-response mappings.
    const problem = methodResponseHeaderKey(name, { maxTimeoutMs: 0 });
    if (problem) throw badRequest(problem.aws ?? problem.message);
  }
  // An existing status code is overwritten, as PutIntegrationResponse does (AWS's answer here is unrecorded).
  const response: Doc = { statusCode, ...(responseParameters && { responseParameters }), ...(responseModels && { responseModels }) };
  setEntry(method, 'methodResponses', statusCode, response);
  return response;
}

export function getMethodResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string): Doc {
  checkStatusCode(statusCode);
  const method = methodOr404(resourceOr404(state, restApiId, resourceId), verb);
  if (!has(method.methodResponses, statusCode)) throw notFound('Invalid Response status code specified');
  return method.methodResponses[statusCode];
}
