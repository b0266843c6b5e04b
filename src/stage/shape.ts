// One comparable shape for a method, whether it comes from what a stage serves (GetExport with the integration
// extensions: lower-case types, integration responses keyed by selection pattern, parameters and responses in
// OpenAPI terms) or from the working definition (GetResources embed=methods: Method, MethodResponse, Integration
// as the API returns them). Both sides go through the same canonical functions, so a difference is a real one and
// not a difference of notation (null vs "" templates, absent vs default settings, key order).
import { z } from 'zod';

export type Doc = Record<string, any>;

export const MethodShapeSchema = z.object({
  resourcePath: z.string(),
  httpMethod: z.string(),
  /** Known from the working definition only (the export names paths, not resource ids). */
  resourceId: z.string().optional(),
  /** method.request.{path|querystring|header}.name -> required */
  requestParameters: z.record(z.string(), z.boolean()),
  /** status -> the headers it declares and its models by content type */
  methodResponses: z.record(z.string(), z.object({ headers: z.array(z.string()).optional(), models: z.record(z.string(), z.string()).optional() })),
  /** The integration without its responses, canonical; absent when the method has none. */
  integration: z.record(z.string(), z.unknown()).optional(),
  /** status -> the integration response, canonical */
  integrationResponses: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type MethodShape = z.infer<typeof MethodShapeSchema>;

/** "GET /orders/{id}": how methods are keyed and named throughout. */
export const methodKey = (httpMethod: string, resourcePath: string) => `${httpMethod} ${resourcePath}`;

const nonEmpty = (m: unknown) => (m && typeof m === 'object' && Object.keys(m).length ? m : undefined);
const upper = (s: unknown) => (typeof s === 'string' ? s.toUpperCase() : undefined);
const prune = (o: Doc): Doc => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
/** An empty template (pass the body through) is null in API Gateway's answers and may be "" elsewhere: one value. */
const templates = (m: unknown) => nonEmpty(m) && Object.fromEntries(Object.entries(m as Doc).map(([k, v]) => [k, v ?? '']));

/** What API Gateway fills in when a setting is not given (apigw-spec.md §1.4); an export may leave them out. */
const DEFAULT_TIMEOUT_MS = 29000;
const HTTP_TYPES = new Set(['HTTP', 'HTTP_PROXY']);

/**
 * An Integration (or the export's integration object) in canonical form, without responses. Defaults are filled in,
 * so a setting left out on one side and stated on the other is the same, and a change shows its effective values.
 */
export function canonicalIntegration(i: Doc): Doc {
  const type = upper(i.type);
  return prune({
    type,
    httpMethod: upper(i.httpMethod),
    uri: i.uri,
    connectionType: upper(i.connectionType) ?? (type && HTTP_TYPES.has(type) ? 'INTERNET' : undefined),
    connectionId: i.connectionId,
    credentials: i.credentials,
    integrationTarget: i.integrationTarget,
    passthroughBehavior: upper(i.passthroughBehavior) ?? 'WHEN_NO_MATCH',
    contentHandling: upper(i.contentHandling),
    timeoutInMillis: i.timeoutInMillis === undefined || i.timeoutInMillis === null ? DEFAULT_TIMEOUT_MS : Number(i.timeoutInMillis),
    cacheNamespace: i.cacheNamespace,
    cacheKeyParameters: Array.isArray(i.cacheKeyParameters) && i.cacheKeyParameters.length ? [...i.cacheKeyParameters].sort() : undefined,
    requestParameters: nonEmpty(i.requestParameters),
    requestTemplates: templates(i.requestTemplates),
    // Absent and false both mean "verified"; only an effective change is a difference.
    tlsConfig: i.tlsConfig?.insecureSkipVerification === true ? { insecureSkipVerification: true } : undefined,
    responseTransferMode: i.responseTransferMode && i.responseTransferMode !== 'BUFFERED' ? i.responseTransferMode : undefined,
  });
}

/** An IntegrationResponse in canonical form; the empty selection pattern (the default response) is left out. */
export function canonicalIntegrationResponse(r: Doc): Doc {
  return prune({
    selectionPattern: r.selectionPattern || undefined,
    responseParameters: nonEmpty(r.responseParameters),
    responseTemplates: templates(r.responseTemplates),
    contentHandling: upper(r.contentHandling),
  });
}

/** A MethodResponse as the export can tell it: declared header names (not their required flag) and model names. */
export function canonicalMethodResponse(r: Doc): MethodShape['methodResponses'][string] {
  const headers = Object.keys(r.responseParameters ?? {})
    .filter((k) => k.startsWith('method.response.header.'))
    .map((k) => k.slice('method.response.header.'.length))
    .sort();
  return prune({ headers: headers.length ? headers : undefined, models: nonEmpty(r.responseModels) });
}

// --- the working definition (GetResources embed=methods) ---

/** Every method of the working definition, keyed "VERB /path". */
export function workingMethods(resources: readonly Doc[]): Map<string, MethodShape> {
  const out = new Map<string, MethodShape>();
  for (const r of [...resources].sort((a, b) => String(a.path).localeCompare(String(b.path))))
    for (const [verb, m] of Object.entries((r.resourceMethods ?? {}) as Record<string, Doc>).sort(([a], [b]) => a.localeCompare(b))) {
      const integration = m.methodIntegration as Doc | undefined;
      out.set(methodKey(verb, r.path), {
        resourcePath: r.path,
        httpMethod: verb,
        resourceId: r.id,
        requestParameters: { ...(m.requestParameters ?? {}) },
        methodResponses: Object.fromEntries(Object.entries((m.methodResponses ?? {}) as Record<string, Doc>).map(([s, mr]) => [s, canonicalMethodResponse(mr)])),
        ...(integration ? { integration: { ...canonicalIntegration(integration), cacheNamespace: integration.cacheNamespace ?? r.id } } : {}),
        integrationResponses: Object.fromEntries(Object.entries((integration?.integrationResponses ?? {}) as Record<string, Doc>).map(([s, ir]) => [s, canonicalIntegrationResponse(ir)])),
      });
    }
  return out;
}

// --- what a stage serves (GetExport, OpenAPI 3.0 or Swagger 2.0, extensions=integrations) ---

const VERBS: Record<string, string> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', head: 'HEAD', options: 'OPTIONS', 'x-amazon-apigateway-any-method': 'ANY',
};
const LOCATION: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };
const modelName = (schema: Doc | undefined) => (typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined);

function exportedParameters(list: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of Array.isArray(list) ? list : []) if (p && LOCATION[p.in] && typeof p.name === 'string') out[`method.request.${LOCATION[p.in]}.${p.name}`] = p.required === true;
  return out;
}

function exportedResponses(responses: Doc | undefined, produces: unknown): MethodShape['methodResponses'] {
  const out: MethodShape['methodResponses'] = {};
  for (const [status, r] of Object.entries(responses ?? {})) {
    if (!/^[1-5]\d\d$/.test(status) || !r || typeof r !== 'object') continue;
    const headers = Object.keys((r as Doc).headers ?? {}).sort();
    // OpenAPI 3: content type -> schema; Swagger 2: one schema for the operation's first `produces` type.
    const models: Record<string, string> = {};
    for (const [ct, media] of Object.entries(((r as Doc).content ?? {}) as Record<string, Doc>)) {
      const name = modelName(media?.schema);
      if (name) models[ct] = name;
    }
    const swaggerModel = modelName((r as Doc).schema);
    if (swaggerModel) models[Array.isArray(produces) && produces[0] ? produces[0] : 'application/json'] = swaggerModel;
    out[status] = prune({ headers: headers.length ? headers : undefined, models: nonEmpty(models) });
  }
  return out;
}

/** The export's x-amazon-apigateway-integration: responses keyed by selection pattern back to status codes. */
function exportedIntegration(x: Doc): { integration: Doc; responses: Record<string, Doc> } {
  const { responses, ...rest } = x;
  const byStatus: Record<string, Doc> = {};
  for (const [pattern, r] of Object.entries((responses ?? {}) as Record<string, Doc>)) {
    if (!r || typeof r.statusCode !== 'string') continue;
    byStatus[r.statusCode] = canonicalIntegrationResponse({ ...r, selectionPattern: pattern === 'default' ? '' : pattern });
  }
  return { integration: canonicalIntegration(rest), responses: byStatus };
}

/** Every method a stage serves, keyed "VERB /path", from its export (OpenAPI 3.0 or Swagger 2.0). */
export function exportedMethods(doc: Doc): Map<string, MethodShape> {
  const out = new Map<string, MethodShape>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Doc>).sort(([a], [b]) => a.localeCompare(b))) {
    const shared = exportedParameters(item?.parameters);
    for (const [key, op] of Object.entries(item ?? {}).sort(([a], [b]) => (VERBS[a] ?? a).localeCompare(VERBS[b] ?? b))) {
      const verb = VERBS[key];
      if (!verb || !op || typeof op !== 'object') continue;
      const ext = (op as Doc)['x-amazon-apigateway-integration'] as Doc | undefined;
      const integration = ext ? exportedIntegration(ext) : undefined;
      out.set(methodKey(verb, path), {
        resourcePath: path,
        httpMethod: verb,
        requestParameters: { ...shared, ...exportedParameters((op as Doc).parameters) },
        methodResponses: exportedResponses((op as Doc).responses, (op as Doc).produces ?? doc.produces),
        ...(integration ? { integration: integration.integration } : {}),
        integrationResponses: integration?.responses ?? {},
      });
    }
  }
  return out;
}

/** What is compared and hashed of a definition (resource ids are not: the export has none). */
export function comparable(methods: Map<string, MethodShape>): Doc {
  return Object.fromEntries([...methods].map(([k, { resourceId: _, ...m }]) => [k, m]));
}
