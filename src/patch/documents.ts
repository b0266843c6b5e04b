// Whole documents, as PutIntegration, PutIntegrationResponse, PutMethodResponse and PutMethod take them: what API
// Gateway stores from each (its defaults, apigw-spec.md §1.4) and how each is checked, field by field with the
// rules-table row that patches the same path, in the order AWS reports problems. The emulator and the plan engine
// both read this, so a document the server previews is the one the emulator stores.
import { escapeSegment } from './pointer.js';
import { INVARIANTS, RULES, type Resource } from './rules.js';
import { matchRule } from './validate.js';
import { INTEGRATION_TYPES, NO_METHOD_RESPONSE, selectionPatternOf, storedTemplate, type Doc, type Problem, type RuleEnv } from './values.js';

/** BUFFERED timeout default (and ceiling of an account without a raised quota, apigw-spec.md §3.1). */
export const DEFAULT_TIMEOUT_MS = 29000;

export type IntegrationType = (typeof INTEGRATION_TYPES)[number];
/** Types whose integration responses map backend answers; proxies pass the backend's answer through. */
export const MAPPED_TYPES: readonly IntegrationType[] = ['HTTP', 'AWS', 'MOCK'];
export const usesIntegrationResponses = (type: string | undefined) => (MAPPED_TYPES as readonly string[]).includes(type ?? '');

const drop = (doc: Doc) => Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
const templates = (m: Doc | undefined) => m && Object.fromEntries(Object.entries(m).map(([k, t]) => [k, storedTemplate(t as string | null)]));

/** What PutIntegration stores for a document: the defaults AWS fills in, a MOCK's uri dropped, no integration responses. */
export function storedIntegration(doc: Doc, resourceId: string): Doc {
  const httpLike = doc.type === 'HTTP' || doc.type === 'HTTP_PROXY';
  return drop({
    type: doc.type,
    httpMethod: doc.httpMethod,
    uri: doc.type === 'MOCK' ? undefined : doc.uri,
    connectionType: doc.connectionType ?? (httpLike ? 'INTERNET' : undefined),
    connectionId: doc.connectionId,
    credentials: doc.credentials,
    requestParameters: doc.requestParameters,
    requestTemplates: templates(doc.requestTemplates),
    passthroughBehavior: doc.passthroughBehavior ?? 'WHEN_NO_MATCH',
    contentHandling: doc.contentHandling,
    timeoutInMillis: doc.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
    cacheNamespace: doc.cacheNamespace ?? resourceId,
    cacheKeyParameters: doc.cacheKeyParameters ?? [],
    tlsConfig: doc.tlsConfig && drop({ insecureSkipVerification: doc.tlsConfig.insecureSkipVerification }),
    responseTransferMode: doc.responseTransferMode,
    integrationTarget: doc.integrationTarget,
  });
}

/** What PutIntegrationResponse stores. */
export function storedIntegrationResponse(statusCode: string, doc: Doc): Doc {
  return drop({
    statusCode,
    selectionPattern: doc.selectionPattern,
    responseParameters: doc.responseParameters,
    responseTemplates: templates(doc.responseTemplates),
    contentHandling: doc.contentHandling,
  });
}

/** What PutMethodResponse stores. */
export function storedMethodResponse(statusCode: string, doc: Doc): Doc {
  return drop({ statusCode, responseParameters: doc.responseParameters, responseModels: doc.responseModels });
}

const entryPath = (field: string, key: string) => `/${field}/${escapeSegment(key)}`;

/**
 * Checks one field of a Put* document with the row that patches the same path: its key check, its value check and
 * the integration types it applies to.
 */
function checkField(resource: Resource, path: string, value: string | null, env: RuleEnv): Problem | undefined {
  const match = matchRule(resource, path);
  if (!match) return { message: `${path} is not a field of a ${resource}`, aws: `Invalid field ${path}` };
  const { rule, key } = match;
  const keyProblem = rule.keyed && key !== undefined ? rule.keyed.check(key, env) : undefined;
  if (keyProblem) return keyProblem;
  const valueProblem = value === null ? undefined : rule.check(value, env);
  if (valueProblem) return valueProblem;
  const type = env.integration?.type as string | undefined;
  if (type && rule.types && !(rule.types as readonly string[]).includes(type)) {
    // A MOCK integration answers itself: AWS keeps an httpMethod or credentials it is given and drops the uri (§1.4).
    // INTERNET is everyone's default, and Terraform sends it for every type. Other mismatches: AWS's text is unknown.
    const ignored = (type === 'MOCK' && rule.types.includes('AWS' as never)) || (path === '/connectionType' && value === 'INTERNET');
    if (!ignored) return { message: `${rule.path.slice(1)} applies only to ${rule.types.join(', ')} integrations, not ${type}`, aws: `${rule.path} is supported only for ${rule.types.join(', ')} integrations, not ${type}` };
  }
  return undefined;
}

const first = (checks: (() => Problem | undefined)[]) => {
  for (const c of checks) {
    const p = c();
    if (p) return p;
  }
  return undefined;
};

/**
 * A whole integration document (PutIntegration), checked as AWS reports it: the verb, the uri, then the other fields,
 * then the invariants. `env.method` is the Method it goes on (its declared parameters).
 */
export function checkIntegrationDocument(doc: Doc, env: RuleEnv): Problem | undefined {
  const i = doc;
  const own: RuleEnv = { ...env, integration: i };
  if (!(INTEGRATION_TYPES as readonly string[]).includes(i.type)) return { message: `type must be one of ${INTEGRATION_TYPES.join(', ')}; got ${JSON.stringify(i.type)}` };
  // The single-field rows, the verb and the uri aside (checked first, above), in table order.
  const scalars = RULES.filter((r) => r.resource === 'integration' && !r.keyed && r.field.length === 1 && r.path !== '/httpMethod' && r.path !== '/uri').map((r) => r.field[0]);
  return first([
    () =>
      i.type !== 'MOCK'
        ? (checkField('integration', '/httpMethod', i.httpMethod ?? '', own) ?? checkField('integration', '/uri', i.uri ?? '', own))
        : i.httpMethod !== undefined
          ? checkField('integration', '/httpMethod', i.httpMethod, own)
          : undefined,
    ...scalars.map((name) => () => (i[name] !== undefined ? checkField('integration', `/${name}`, String(i[name]), own) : undefined)),
    () => (i.tlsConfig?.insecureSkipVerification !== undefined ? checkField('integration', '/tlsConfig/insecureSkipVerification', String(i.tlsConfig.insecureSkipVerification), own) : undefined),
    ...Object.entries(i.requestParameters ?? {}).map(([k, val]) => () => checkField('integration', entryPath('requestParameters', k), val as string, own)),
    ...Object.entries(i.requestTemplates ?? {}).map(([k, val]) => () => checkField('integration', entryPath('requestTemplates', k), val as string | null, own)),
    ...((i.cacheKeyParameters ?? []) as string[]).map((k) => () => checkField('integration', entryPath('cacheKeyParameters', k), null, own)),
    ...INVARIANTS.filter((x) => x.resource === 'integration').map((inv) => () => {
      const message = inv.check(i, own);
      return message ? { message, aws: message } : undefined;
    }),
  ]);
}

/**
 * An integration response document (PutIntegrationResponse). `env.methodResponse` is the method response of its
 * status code: without one, AWS accepts a response without header mappings (apigw-spec.md §3.8).
 */
export function checkIntegrationResponseDocument(doc: Doc, env: RuleEnv): Problem | undefined {
  const mappings = Object.entries(doc.responseParameters ?? {});
  if (mappings.length && !env.methodResponse)
    return { message: `header mappings need a method response with status code ${doc.statusCode}, and the method has none`, aws: NO_METHOD_RESPONSE };
  return first([
    ...mappings.map(([k, val]) => () => checkField('integrationResponse', entryPath('responseParameters', k), val as string, env)),
    ...Object.entries(doc.responseTemplates ?? {}).map(([k, val]) => () => checkField('integrationResponse', entryPath('responseTemplates', k), val as string | null, env)),
    () => (doc.contentHandling !== undefined ? checkField('integrationResponse', '/contentHandling', doc.contentHandling, env) : undefined),
  ]);
}

/** A method response document (PutMethodResponse): header names and models. */
export function checkMethodResponseDocument(doc: Doc, env: RuleEnv): Problem | undefined {
  return first([
    ...Object.keys(doc.responseParameters ?? {}).map((k) => () => checkField('methodResponse', entryPath('responseParameters', k), null, env)),
    ...Object.entries(doc.responseModels ?? {}).map(([k, val]) => () => checkField('methodResponse', entryPath('responseModels', k), val as string, env)),
  ]);
}

/**
 * The other integration response of a method that already has this selection pattern, if any: two cannot share one
 * (AWS: 409 "Integration response with selection pattern default already exists").
 */
export function selectionPatternClash(responses: Doc | undefined, statusCode: string, response: Doc): string | undefined {
  const pattern = selectionPatternOf(response);
  return Object.entries(responses ?? {}).find(([code, r]) => code !== statusCode && selectionPatternOf(r as Doc) === pattern)?.[0];
}
