// GetExport: the definition a stage serves (its deployment's snapshot, not the working copy), as OpenAPI 3.0 or
// Swagger 2.0 JSON in the shape API Gateway exports (apigw-spec.md §9.6; AWS docs "x-amazon-apigateway-integration
// object" and "...integration.responses"): lower-case `type` and `passthroughBehavior`, integration responses keyed
// by selection pattern ("default" for the empty one), method request parameters as `parameters`, method responses
// as `responses` with `headers`.
import { badRequest, notFound } from './errors.js';
import { stageOr404 } from './stages.js';
import { apiOr404, type Context, type Doc, type ResourceDoc, type State } from './state.js';

type Flavour = 'oas30' | 'swagger';

const IN: Record<string, string> = { path: 'path', querystring: 'query', header: 'header', multivaluequerystring: 'query', multivalueheader: 'header' };
const without = (o: Doc) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));

function parameters(method: Doc, flavour: Flavour): Doc[] | undefined {
  const list = Object.entries((method.requestParameters ?? {}) as Record<string, boolean>).flatMap(([name, required]) => {
    const m = /^method\.request\.([a-z]+)\.(.+)$/.exec(name);
    if (!m || !IN[m[1]]) return [];
    return [{ name: m[2], in: IN[m[1]], ...(required ? { required: true } : {}), ...(flavour === 'swagger' ? { type: 'string' } : { schema: { type: 'string' } }) }];
  });
  return list.length ? list : undefined;
}

function methodResponses(method: Doc, flavour: Flavour, models: Set<string>): Doc {
  const out: Doc = {};
  for (const [status, r] of Object.entries((method.methodResponses ?? {}) as Record<string, Doc>)) {
    const headers = Object.keys(r.responseParameters ?? {})
      .filter((k) => k.startsWith('method.response.header.'))
      .map((k) => [k.slice('method.response.header.'.length), flavour === 'swagger' ? { type: 'string' } : { schema: { type: 'string' } }]);
    const content = Object.entries((r.responseModels ?? {}) as Record<string, string>);
    for (const [, model] of content) models.add(model);
    const ref = (model: string) => ({ $ref: flavour === 'swagger' ? `#/definitions/${model}` : `#/components/schemas/${model}` });
    out[status] = {
      description: `${status} response`,
      ...(flavour === 'swagger' && content.length ? { schema: ref(content[0][1]) } : {}),
      ...(headers.length ? { headers: Object.fromEntries(headers) } : {}),
      ...(flavour === 'oas30' && content.length ? { content: Object.fromEntries(content.map(([ct, model]) => [ct, { schema: ref(model) }])) } : {}),
    };
  }
  return out;
}

/** The x-amazon-apigateway-integration object of one Integration. */
export function integrationExtension(i: Doc): Doc {
  const responses: Doc = {};
  for (const [statusCode, r] of Object.entries((i.integrationResponses ?? {}) as Record<string, Doc>))
    responses[r.selectionPattern ? r.selectionPattern : 'default'] = without({
      statusCode,
      responseParameters: r.responseParameters,
      responseTemplates: r.responseTemplates,
      contentHandling: r.contentHandling,
    });
  return without({
    type: String(i.type).toLowerCase(),
    httpMethod: i.httpMethod,
    uri: i.uri,
    connectionType: i.connectionType,
    connectionId: i.connectionId,
    credentials: i.credentials,
    integrationTarget: i.integrationTarget,
    requestParameters: i.requestParameters,
    requestTemplates: i.requestTemplates,
    passthroughBehavior: i.passthroughBehavior?.toLowerCase(),
    contentHandling: i.contentHandling,
    timeoutInMillis: i.timeoutInMillis,
    cacheNamespace: i.cacheNamespace,
    cacheKeyParameters: i.cacheKeyParameters,
    tlsConfig: i.tlsConfig && Object.keys(i.tlsConfig).length ? i.tlsConfig : undefined,
    responseTransferMode: i.responseTransferMode,
    responses: Object.keys(responses).length ? responses : undefined,
  });
}

function producesOf(method: Doc): string[] | undefined {
  const types = new Set(Object.values((method.methodResponses ?? {}) as Record<string, Doc>).flatMap((r) => Object.keys(r.responseModels ?? {})));
  return types.size ? [...types] : undefined;
}

function paths(resources: Record<string, ResourceDoc>, flavour: Flavour, withIntegrations: boolean, models: Set<string>): Doc {
  const out: Doc = {};
  for (const r of Object.values(resources)) {
    if (!r.resourceMethods || Object.keys(r.resourceMethods).length === 0) continue;
    const item: Doc = (out[r.path] = {});
    for (const [verb, method] of Object.entries(r.resourceMethods)) {
      item[verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = without({
        operationId: method.operationName,
        // Swagger 2.0 names the content types of its response schemas once per operation.
        produces: flavour === 'swagger' ? producesOf(method) : undefined,
        parameters: parameters(method, flavour),
        responses: methodResponses(method, flavour, models),
        'x-amazon-apigateway-integration': withIntegrations && method.methodIntegration ? integrationExtension(method.methodIntegration) : undefined,
      });
    }
  }
  return out;
}

export function getExport(state: State, ctx: Context, restApiId: string, stageName: string, exportType: string, query: URLSearchParams): Doc {
  const api = apiOr404(state, ctx, restApiId);
  const stage = stageOr404(api, stageName);
  // [I] AWS's text for another export type (it also knows postman, not emulated).
  if (exportType !== 'oas30' && exportType !== 'swagger') throw badRequest(`Invalid export type specified: ${exportType}; this emulator exports oas30 and swagger`);
  const deployment = api.deployments[stage.deploymentId];
  if (!deployment) throw notFound('Invalid Deployment identifier specified');
  const extensions = (query.get('extensions') ?? '').split(',');
  const withIntegrations = extensions.includes('integrations') || extensions.includes('apigateway');
  const models = new Set<string>();
  const flavour = exportType as Flavour;
  const body = paths(deployment.snapshot, flavour, withIntegrations, models);
  const info = { version: new Date(deployment.deployment.createdDate * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), title: api.api.name };
  const host = `${restApiId}.execute-api.${ctx.region}.amazonaws.com`;
  const schemas = Object.fromEntries([...models].map((m) => [m, { title: `${m} Schema`, type: 'object' }]));
  if (flavour === 'swagger')
    return { swagger: '2.0', info, host, basePath: `/${stageName}`, schemes: ['https'], paths: body, ...(models.size ? { definitions: schemas } : {}) };
  return {
    openapi: '3.0.1',
    info,
    servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: stageName } } }],
    paths: body,
    ...(models.size ? { components: { schemas } } : {}),
  };
}
