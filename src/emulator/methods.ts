// Method and MethodResponse operations: Put/Get/Update/DeleteMethod, Put/Get/Update/DeleteMethodResponse.
// UpdateMethod and UpdateMethodResponse are validated and applied with the rules table (src/patch/rules.ts), as the
// server's own plans are.
import { checkMethodResponseDocument, DEFAULT_TIMEOUT_MS as MAX_TIMEOUT_MS, storedMethodResponse } from '../patch/documents.js';
import { checkPatch, type OpProblem } from '../patch/validate.js';
import { HTTP_VERBS, METHOD_REQUEST } from '../patch/values.js';
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

export function deleteMethod(state: State, restApiId: string, resourceId: string, verb: string): void {
  const resource = resourceOr404(state, restApiId, resourceId);
  methodOr404(resource, verb);
  deleteEntry(resource, 'resourceMethods', verb);
}

/** Throws AWS's error for the first problem of a patch (a missing key is a 404, everything else a 400). */
function refuse(problem: OpProblem): never {
  throw problem.notFound ? notFound(problem.aws) : badRequest(problem.aws);
}

/** The Method without its responses and integration: what UpdateMethod patches. */
const methodFields = ({ methodResponses: _r, methodIntegration: _i, ...fields }: Doc): Doc => fields;

export function updateMethod(state: State, restApiId: string, resourceId: string, verb: string, body: Doc): Doc {
  const ops = readPatchOperations(body, 'updateMethodInput');
  const resource = resourceOr404(state, restApiId, resourceId);
  const method = methodOr404(resource, verb);
  // The same rules table the server validates with; checkPatch works on a copy: all or nothing.
  const { problems, after } = checkPatch('method', ops, { maxTimeoutMs: MAX_TIMEOUT_MS }, methodFields(method));
  if (problems.length || !after) refuse(problems[0]);
  const updated = { ...after, ...(method.methodResponses && { methodResponses: method.methodResponses }), ...(method.methodIntegration && { methodIntegration: method.methodIntegration }) };
  resource.resourceMethods![verb] = updated;
  return updated;
}

export function putMethodResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string, body: Doc): Doc {
  checkStatusCode(statusCode);
  const response = storedMethodResponse(statusCode, { responseParameters: mapOf(body, 'responseParameters', 'Boolean'), responseModels: mapOf(body, 'responseModels', 'String') });
  const method = methodOr404(resourceOr404(state, restApiId, resourceId), verb);
  const problem = checkMethodResponseDocument(response, { maxTimeoutMs: MAX_TIMEOUT_MS });
  if (problem) throw badRequest(problem.aws ?? problem.message);
  // An existing status code is overwritten, as PutIntegrationResponse does (AWS's answer here is unrecorded).
  setEntry(method, 'methodResponses', statusCode, response);
  return response;
}

/** A method response, or AWS's 404 for a status code the method has none for. */
function methodResponseOr404(method: Doc, statusCode: string): Doc {
  if (!has(method.methodResponses, statusCode)) throw notFound('Invalid Response status code specified');
  return method.methodResponses[statusCode];
}

/** Answers 201, as AWS does (a quirk of its API model, recorded). */
export function updateMethodResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string, body: Doc): Doc {
  checkStatusCode(statusCode);
  const ops = readPatchOperations(body, 'updateMethodResponseInput');
  const method = methodOr404(resourceOr404(state, restApiId, resourceId), verb);
  const current = methodResponseOr404(method, statusCode);
  const { problems, after } = checkPatch('methodResponse', ops, { maxTimeoutMs: MAX_TIMEOUT_MS, method }, current);
  if (problems.length || !after) refuse(problems[0]);
  setEntry(method, 'methodResponses', statusCode, after);
  return after;
}

export function deleteMethodResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string): void {
  checkStatusCode(statusCode);
  const method = methodOr404(resourceOr404(state, restApiId, resourceId), verb);
  methodResponseOr404(method, statusCode);
  deleteEntry(method, 'methodResponses', statusCode);
}

export function getMethodResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string): Doc {
  checkStatusCode(statusCode);
  return methodResponseOr404(methodOr404(resourceOr404(state, restApiId, resourceId), verb), statusCode);
}
