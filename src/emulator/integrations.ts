// Integration and IntegrationResponse operations. Every value check comes from src/patch (the rules table and its
// value checks), so the emulator rejects exactly what the MCP server's own validation rejects, with AWS's texts.
import { escapeSegment } from '../patch/pointer.js';
import { INVARIANTS, type Resource } from '../patch/rules.js';
import { checkPatch, matchRule } from '../patch/validate.js';
import { NO_METHOD_RESPONSE, selectionPatternHolder, selectionPatternOf, storedTemplate, type Problem, type RuleEnv } from '../patch/values.js';
import { badRequest, conflict, enumConstraint, notFound, validation } from './errors.js';
import { deleteEntry, integrationOr404, integrationResponseOr404, methodOr404, resourceOr404, setEntry, type Doc, type State } from './state.js';
import { bool, checkStatusCode, int, listOfStrings, mapOf, obj, readPatchOperations, str } from './wire.js';

/** A template map as AWS stores it: an empty template is null. */
function templatesOf(body: Doc, key: string): Record<string, string | null> | undefined {
  const m = mapOf(body, key, 'String');
  return m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, storedTemplate(v)]));
}

/** BUFFERED timeout ceiling of an account without a raised quota (apigw-spec.md §3.1). */
export const MAX_TIMEOUT_MS = 29000;

// The order AWS lists the type enum in (recorded ValidationException).
const TYPE_ENUM = ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'];

const fail = (p: Problem) => (p.notFound ? notFound(p.aws ?? p.message) : badRequest(p.aws ?? p.message));

/**
 * Checks one field of a Put* body with the rules-table row that patches the same path: its key check, its value
 * check and the integration types it applies to.
 */
function checkField(resource: Resource, path: string, value: string | null, env: RuleEnv): void {
  const match = matchRule(resource, path);
  if (!match) throw badRequest(`Invalid field ${path}`);
  const { rule, key } = match;
  const keyProblem = rule.keyed && key !== undefined ? rule.keyed.check(key, env) : undefined;
  if (keyProblem) throw fail(keyProblem);
  const valueProblem = value === null ? undefined : rule.check(value, env);
  if (valueProblem) throw fail(valueProblem);
  const type = env.integration?.type as string | undefined;
  if (type && rule.types && !(rule.types as readonly string[]).includes(type)) {
    // A MOCK integration answers itself: AWS keeps an httpMethod or credentials it is given and drops the uri (§1.4).
    // INTERNET is everyone's default, and Terraform sends it for every type. Other mismatches: AWS's text is unknown.
    const ignored = (type === 'MOCK' && rule.types.includes('AWS' as never)) || (path === '/connectionType' && value === 'INTERNET');
    if (!ignored) throw badRequest(`${rule.path} is supported only for ${rule.types.join(', ')} integrations, not ${type}`);
  }
}

const entryPath = (field: string, key: string) => `/${field}/${escapeSegment(key)}`;

/** Reads and types a PutIntegration body and fills in AWS's defaults (apigw-spec.md §1.4). */
function integrationFromBody(body: Doc, resourceId: string): Doc {
  const type = str(body, 'type');
  if (type === undefined) throw validation([{ value: null, at: 'putIntegrationInput.type', constraint: 'Member must not be null' }]);
  if (!TYPE_ENUM.includes(type)) throw validation([{ value: type, at: 'putIntegrationInput.type', constraint: enumConstraint(TYPE_ENUM) }]);
  const httpLike = type === 'HTTP' || type === 'HTTP_PROXY';
  const fields: Doc = {
    type,
    httpMethod: str(body, 'httpMethod'),
    // MOCK: a supplied uri is dropped.
    uri: type === 'MOCK' ? undefined : str(body, 'uri'),
    connectionType: str(body, 'connectionType') ?? (httpLike ? 'INTERNET' : undefined),
    connectionId: str(body, 'connectionId'),
    credentials: str(body, 'credentials'),
    requestParameters: mapOf(body, 'requestParameters', 'String'),
    requestTemplates: templatesOf(body, 'requestTemplates'),
    passthroughBehavior: str(body, 'passthroughBehavior') ?? 'WHEN_NO_MATCH',
    contentHandling: str(body, 'contentHandling'),
    timeoutInMillis: int(body, 'timeoutInMillis') ?? MAX_TIMEOUT_MS,
    cacheNamespace: str(body, 'cacheNamespace') ?? resourceId,
    cacheKeyParameters: listOfStrings(body, 'cacheKeyParameters') ?? [],
    tlsConfig: obj(body, 'tlsConfig'),
    responseTransferMode: str(body, 'responseTransferMode'),
    integrationTarget: str(body, 'integrationTarget'),
  };
  if (fields.tlsConfig) {
    const insecureSkipVerification = bool(fields.tlsConfig, 'insecureSkipVerification');
    fields.tlsConfig = insecureSkipVerification === undefined ? {} : { insecureSkipVerification };
  }
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** PutIntegration's checks, in the order AWS reports them: the verb, the uri, then the other fields. */
function checkIntegration(integration: Doc, env: RuleEnv): void {
  const i = integration;
  if (i.type !== 'MOCK') {
    checkField('integration', '/httpMethod', i.httpMethod ?? '', env);
    checkField('integration', '/uri', i.uri ?? '', env);
  } else if (i.httpMethod !== undefined) checkField('integration', '/httpMethod', i.httpMethod, env);
  const scalars = ['credentials', 'passthroughBehavior', 'contentHandling', 'timeoutInMillis', 'cacheNamespace', 'connectionType', 'connectionId', 'responseTransferMode', 'integrationTarget'];
  for (const name of scalars) if (i[name] !== undefined) checkField('integration', `/${name}`, String(i[name]), env);
  if (i.tlsConfig?.insecureSkipVerification !== undefined)
    checkField('integration', '/tlsConfig/insecureSkipVerification', String(i.tlsConfig.insecureSkipVerification), env);
  for (const [k, v] of Object.entries(i.requestParameters ?? {})) checkField('integration', entryPath('requestParameters', k), v as string, env);
  for (const [k, v] of Object.entries(i.requestTemplates ?? {})) checkField('integration', entryPath('requestTemplates', k), v as string | null, env);
  for (const k of i.cacheKeyParameters) checkField('integration', entryPath('cacheKeyParameters', k), null, env);
  for (const inv of INVARIANTS.filter((x) => x.resource === 'integration')) {
    const message = inv.check(i, env);
    if (message) throw badRequest(message);
  }
}

function locate(state: State, restApiId: string, resourceId: string, verb: string, missingMethod?: string) {
  const resource = resourceOr404(state, restApiId, resourceId);
  return { resource, method: methodOr404(resource, verb, missingMethod) };
}

export function putIntegration(state: State, restApiId: string, resourceId: string, verb: string, body: Doc): Doc {
  const integration = integrationFromBody(body, resourceId);
  const { method } = locate(state, restApiId, resourceId, verb);
  checkIntegration(integration, { maxTimeoutMs: MAX_TIMEOUT_MS, integration, method });
  // Overwriting replaces the whole integration, integration responses included. Whether AWS keeps them is unknown
  // (apigw-spec.md §8.5); starting clean is the simpler of the two and makes a re-PUT fully describe the result.
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
  const response: Doc = {
    statusCode,
    selectionPattern: str(body, 'selectionPattern'),
    responseParameters: mapOf(body, 'responseParameters', 'String'),
    responseTemplates: templatesOf(body, 'responseTemplates'),
    contentHandling: str(body, 'contentHandling'),
  };
  for (const k of Object.keys(response)) if (response[k] === undefined) delete response[k];
  const { method } = locate(state, restApiId, resourceId, verb);
  const integration = integrationOr404(method);
  const methodResponse = method.methodResponses?.[statusCode];
  const env: RuleEnv = { maxTimeoutMs: MAX_TIMEOUT_MS, integration, method, methodResponse };
  // Without responseParameters AWS accepts a status code that has no method response (apigw-spec.md §3.8).
  if (response.responseParameters && Object.keys(response.responseParameters).length && !methodResponse) throw badRequest(NO_METHOD_RESPONSE);
  for (const [k, v] of Object.entries(response.responseParameters ?? {})) checkField('integrationResponse', entryPath('responseParameters', k), v as string, env);
  for (const [k, v] of Object.entries(response.responseTemplates ?? {})) checkField('integrationResponse', entryPath('responseTemplates', k), v as string | null, env);
  if (response.contentHandling !== undefined) checkField('integrationResponse', '/contentHandling', response.contentHandling, env);
  checkPatternFree(integration, statusCode, response);
  // An existing status code is overwritten (recorded AWS behaviour).
  setEntry(integration, 'integrationResponses', statusCode, response);
  return response;
}

/** Two integration responses of a method cannot share a selection pattern (see selectionPatternHolder). */
function checkPatternFree(integration: Doc, statusCode: string, response: Doc): void {
  const pattern = selectionPatternOf(response);
  if (selectionPatternHolder(integration.integrationResponses, statusCode, pattern)) throw conflict(`Integration response with selection pattern ${pattern || 'default'} already exists`);
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
