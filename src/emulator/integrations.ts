// Integration and IntegrationResponse operations. Every value check comes from src/patch (the rules table and its
// value checks), so the emulator rejects exactly what the MCP server's own validation rejects, with AWS's texts.
import { checkIntegrationDocument, checkIntegrationResponseDocument, DEFAULT_TIMEOUT_MS, selectionPatternClash, storedIntegration, storedIntegrationResponse } from '../patch/documents.js';
import { checkPatch } from '../patch/validate.js';
import { selectionPatternOf, storedTemplate, type Problem, type RuleEnv } from '../patch/values.js';
import { badRequest, conflict, enumConstraint, notFound, validation } from './errors.js';
import { deleteEntry, integrationOr404, integrationResponseOr404, methodOr404, resourceOr404, setEntry, type Doc, type State } from './state.js';
import { bool, checkStatusCode, int, listOfStrings, mapOf, obj, readPatchOperations, str } from './wire.js';

/** A template map as AWS stores it: an empty template is null. */
function templatesOf(body: Doc, key: string): Record<string, string | null> | undefined {
  const m = mapOf(body, key, 'String');
  return m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, storedTemplate(v)]));
}

/** BUFFERED timeout ceiling of an account without a raised quota (apigw-spec.md §3.1). */
export const MAX_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

// The order AWS lists the type enum in (recorded ValidationException).
const TYPE_ENUM = ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'];

const fail = (p: Problem) => (p.notFound ? notFound(p.aws ?? p.message) : badRequest(p.aws ?? p.message));

/** Reads and types a PutIntegration body (SerializationException for a wrong JSON type); AWS's defaults follow. */
function integrationFromBody(body: Doc): Doc {
  const type = str(body, 'type');
  if (type === undefined) throw validation([{ value: null, at: 'putIntegrationInput.type', constraint: 'Member must not be null' }]);
  if (!TYPE_ENUM.includes(type)) throw validation([{ value: type, at: 'putIntegrationInput.type', constraint: enumConstraint(TYPE_ENUM) }]);
  const tlsConfig = obj(body, 'tlsConfig');
  const insecureSkipVerification = tlsConfig && bool(tlsConfig, 'insecureSkipVerification');
  return {
    type,
    httpMethod: str(body, 'httpMethod'),
    uri: str(body, 'uri'),
    connectionType: str(body, 'connectionType'),
    connectionId: str(body, 'connectionId'),
    credentials: str(body, 'credentials'),
    requestParameters: mapOf(body, 'requestParameters', 'String'),
    requestTemplates: templatesOf(body, 'requestTemplates'),
    passthroughBehavior: str(body, 'passthroughBehavior'),
    contentHandling: str(body, 'contentHandling'),
    timeoutInMillis: int(body, 'timeoutInMillis'),
    cacheNamespace: str(body, 'cacheNamespace'),
    cacheKeyParameters: listOfStrings(body, 'cacheKeyParameters'),
    tlsConfig: tlsConfig && (insecureSkipVerification === undefined ? {} : { insecureSkipVerification }),
    responseTransferMode: str(body, 'responseTransferMode'),
    integrationTarget: str(body, 'integrationTarget'),
  };
}

function locate(state: State, restApiId: string, resourceId: string, verb: string, missingMethod?: string) {
  const resource = resourceOr404(state, restApiId, resourceId);
  return { resource, method: methodOr404(resource, verb, missingMethod) };
}

export function putIntegration(state: State, restApiId: string, resourceId: string, verb: string, body: Doc): Doc {
  const integration = storedIntegration(integrationFromBody(body), resourceId);
  const { method } = locate(state, restApiId, resourceId, verb);
  const problem = checkIntegrationDocument(integration, { maxTimeoutMs: MAX_TIMEOUT_MS, method });
  if (problem) throw fail(problem);
  // Overwriting replaces the whole integration, integration responses included. Whether AWS keeps them is unknown
  // (apigw-spec.md §8.5); starting clean is the stricter of the two: a plan that changes the type re-puts the
  // responses the new type uses, so it works either way.
  method.methodIntegration = integration;
  return integration;
}

export function getIntegration(state: State, restApiId: string, resourceId: string, verb: string): Doc {
  return integrationOr404(locate(state, restApiId, resourceId, verb).method);
}

export function deleteIntegration(state: State, restApiId: string, resourceId: string, verb: string): void {
  const { method } = locate(state, restApiId, resourceId, verb);
  integrationOr404(method);
  delete method.methodIntegration;
}

export function updateIntegration(state: State, restApiId: string, resourceId: string, verb: string, body: Doc): Doc {
  const ops = readPatchOperations(body, 'updateIntegrationInput');
  const { method } = locate(state, restApiId, resourceId, verb);
  const integration = integrationOr404(method);
  // checkPatch works on a copy and returns `after` only when every op passed: all or nothing.
  const { problems, after } = checkPatch('integration', ops, { maxTimeoutMs: MAX_TIMEOUT_MS, integration, method }, integration);
  if (problems.length || !after) throw fail(problems[0]);
  method.methodIntegration = after;
  return after;
}


export function putIntegrationResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string, body: Doc): Doc {
  checkStatusCode(statusCode);
  const response = storedIntegrationResponse(statusCode, {
    selectionPattern: str(body, 'selectionPattern'),
    responseParameters: mapOf(body, 'responseParameters', 'String'),
    responseTemplates: templatesOf(body, 'responseTemplates'),
    contentHandling: str(body, 'contentHandling'),
  });
  const { method } = locate(state, restApiId, resourceId, verb);
  const integration = integrationOr404(method);
  const problem = checkIntegrationResponseDocument(response, { maxTimeoutMs: MAX_TIMEOUT_MS, integration, method, methodResponse: method.methodResponses?.[statusCode] });
  if (problem) throw fail(problem);
  checkPatternFree(integration, statusCode, response);
  // An existing status code is overwritten (recorded AWS behaviour).
  setEntry(integration, 'integrationResponses', statusCode, response);
  return response;
}

/** Two integration responses of a method cannot share a selection pattern (see selectionPatternClash). */
function checkPatternFree(integration: Doc, statusCode: string, response: Doc): void {
  if (selectionPatternClash(integration.integrationResponses, statusCode, response))
    throw conflict(`Integration response with selection pattern ${selectionPatternOf(response) || 'default'} already exists`);
}

export function getIntegrationResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string): Doc {
  checkStatusCode(statusCode);
  const { method } = locate(state, restApiId, resourceId, verb);
  return integrationResponseOr404(integrationOr404(method), statusCode);
}

export function deleteIntegrationResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string): void {
  checkStatusCode(statusCode);
  // An unknown method reads as a missing integration here (recorded AWS text).
  const { method } = locate(state, restApiId, resourceId, verb, 'Invalid Integration identifier specified');
  const integration = integrationOr404(method);
  integrationResponseOr404(integration, statusCode);
  deleteEntry(integration, 'integrationResponses', statusCode);
}

export function updateIntegrationResponse(state: State, restApiId: string, resourceId: string, verb: string, statusCode: string, body: Doc): Doc {
  checkStatusCode(statusCode);
  const ops = readPatchOperations(body, 'updateIntegrationResponseInput');
  const { method } = locate(state, restApiId, resourceId, verb);
  const integration = integrationOr404(method);
  const current = integrationResponseOr404(integration, statusCode);
  const env: RuleEnv = { maxTimeoutMs: MAX_TIMEOUT_MS, integration, method, methodResponse: method.methodResponses?.[statusCode] };
  const { problems, after } = checkPatch('integrationResponse', ops, env, current);
  if (problems.length || !after) throw fail(problems[0]);
  if (selectionPatternOf(after) !== selectionPatternOf(current)) checkPatternFree(integration, statusCode, after);
  setEntry(integration, 'integrationResponses', statusCode, after);
  return after;
}
