// enable_cors: the console's "Enable CORS" as one plan (apigw-spec.md §9.4): an OPTIONS method answered by a MOCK
// integration, its method response and integration response carrying Access-Control-Allow-Headers/-Methods/-Origin,
// and Access-Control-Allow-Origin declared and mapped on the 2xx responses of the resource's other non-proxy
// methods (a proxy's backend must send it itself). Idempotent; `disable` removes exactly that again. An OPTIONS
// method that is a real integration is not overwritten.
import { z } from 'zod';
import type { Gateway } from '../../aws/gateway.js';
import { ToolError } from '../../errors.js';
import { integrationResponseOps } from '../../intent/intents.js';
import { toPointer } from '../../patch/pointer.js';
import { HTTP_VERBS, type Doc } from '../../patch/values.js';
import { usesIntegrationResponses } from '../../patch/documents.js';
import type { WriteContext } from '../context.js';
import { Model } from '../model.js';
import type { Built, Planner } from '../planner.js';
import { declareResponseHeaders } from '../prerequisites.js';
import { methodName, type Address, type Step } from '../step.js';
import { pathPattern } from './batch.js';
import { checkApiInput, normalizePath } from '../../intent/target.js';

/** The headers the console allows by default. */
export const CONSOLE_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token'];
const H = (name: string) => `method.response.header.Access-Control-${name}`;
const MOCK_TEMPLATE = { 'application/json': '{"statusCode": 200}' };
const ORIGIN = /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&*+.^_`|~-]+$/;
const CORS_VERBS = HTTP_VERBS.filter((v) => v !== 'ANY');

export const CorsSchema = z.object({
  allowOrigin: z.string().max(512).optional().describe('"*" or one origin'),
  allowHeaders: z.array(z.string().max(128)).max(50).optional().describe("Default: the console's"),
  allowMethods: z.array(z.enum(CORS_VERBS)).optional().describe("Default: the resource's own"),
  allowCredentials: z.boolean().optional().describe('Needs one origin, not "*"'),
  maxAgeSeconds: z.number().int().min(0).max(86400).optional().describe('Preflight cache'),
  disable: z.boolean().optional().describe('Remove what enable_cors sets'),
});
export type Cors = z.infer<typeof CorsSchema>;

interface Where {
  restApiId?: string;
  apiName?: string;
  resourceId?: string;
  resourcePath?: string;
  paths?: string[];
}

/** What is reported besides the steps: the proxy methods whose backend must send the header itself. */
export interface CorsOutcome {
  resources: string[];
  notes: string[];
}

/** Reads the resources CORS touches with all their methods: one GetResources embed=methods (paged) for any of them. */
async function readResources(ctx: WriteContext, gateway: Gateway, w: Where): Promise<Model> {
  const api = await ctx.resolver.resolveApi(gateway, w);
  await ctx.scope.checkWrite(gateway, { restApiId: api.id, apiName: api.name });
  const all = await gateway.listResources(api.id, true);
  ctx.resolver.rememberPaths(api.id, all);
  const globs = w.paths?.map(pathPattern);
  const path = w.resourcePath && normalizePath(w.resourcePath);
  const resources = all.filter((r) => (globs ? globs.some((g) => g.test(r.path)) : w.resourceId ? r.id === w.resourceId : r.path === path));
  if (!resources.length)
    throw new ToolError(`API ${api.name ?? api.id} has no resource ${w.paths ? `matching ${w.paths.join(', ')}` : JSON.stringify(w.resourcePath ?? w.resourceId)}; paths: ${all.map((r) => r.path).sort().join(', ')}. Nothing was sent.`, 'not_found');
  const model = new Model();
  for (const r of resources) {
    const methods = (r.resourceMethods ?? {}) as Record<string, Doc>;
    for (const verb of [...new Set([...Object.keys(methods), 'OPTIONS'])].sort())
      model.add({ restApiId: api.id, resourceId: r.id, httpMethod: verb, resourcePath: r.path, ...(api.name ? { apiName: api.name } : {}) }, methods[verb]);
  }
  return model;
}

const isPreflight = (m: Doc | undefined) => !m?.methodIntegration || m.methodIntegration.type === 'MOCK';

/** The steps for one resource (its methods, OPTIONS included, in `methods`). */
function enableSteps(methods: Address[], model: Model, cors: Cors, out: CorsOutcome): Step[] {
  const options = methods.find((a) => a.httpMethod === 'OPTIONS')!;
  const optionsDoc = model.method(options);
  const others = methods.filter((a) => a.httpMethod !== 'OPTIONS' && model.method(a));
  if (!isPreflight(optionsDoc))
    throw new ToolError(
      `OPTIONS ${options.resourcePath} is a real ${optionsDoc!.methodIntegration.type} integration, not a CORS preflight: enable_cors does not overwrite it. Let that backend answer preflights, or remove it first. Nothing was sent.`,
      'conflict',
    );
  const own = others.map((a) => a.httpMethod);
  const verbs = cors.allowMethods ?? [...new Set([...(own.includes('ANY') ? CORS_VERBS : own), 'OPTIONS'])].sort();
  const allow: Record<string, string> = {
    [H('Allow-Headers')]: `'${(cors.allowHeaders ?? CONSOLE_HEADERS).join(',')}'`,
    [H('Allow-Methods')]: `'${verbs.join(',')}'`,
    [H('Allow-Origin')]: `'${cors.allowOrigin}'`,
    ...(cors.allowCredentials ? { [H('Allow-Credentials')]: "'true'" } : {}),
    ...(cors.maxAgeSeconds !== undefined ? { [H('Max-Age')]: `'${cors.maxAgeSeconds}'` } : {}),
  };
  const steps: Step[] = [];
  const why = 'the CORS preflight';
  if (!optionsDoc) steps.push({ resource: 'method', address: options, action: 'put', document: { authorizationType: 'NONE', apiKeyRequired: false } });
  const mr = declareResponseHeaders(optionsDoc, options, '200', Object.keys(allow), why);
  if (mr) steps.push({ ...mr, because: undefined });
  if (!optionsDoc?.methodIntegration) steps.push({ resource: 'integration', address: options, action: 'put', document: { type: 'MOCK', requestTemplates: MOCK_TEMPLATE } });
  const ir = optionsDoc?.methodIntegration?.integrationResponses?.['200'];
  const at200 = { ...options, statusCode: '200' };
  if (!ir) steps.push({ resource: 'integrationResponse', address: at200, action: 'put', document: { responseParameters: allow } });
  else {
    const ops = integrationResponseOps({ responseParameters: allow }, ir);
    if (ops.length) steps.push({ resource: 'integrationResponse', address: at200, action: 'update', ops });
  }
  // Every other method's 2xx answers carry the origin too; a proxy's backend must send it itself.
  const origin: Record<string, string> = { [H('Allow-Origin')]: `'${cors.allowOrigin}'`, ...(cors.allowCredentials ? { [H('Allow-Credentials')]: "'true'" } : {}) };
  for (const a of others) {
    const m = model.method(a)!;
    const type = m.methodIntegration?.type;
    if (!usesIntegrationResponses(type)) {
      out.notes.push(`${methodName(a)} is ${type ?? 'without an integration'}: its backend must send Access-Control-Allow-Origin itself (API Gateway passes a proxy's answer through)`);
      continue;
    }
    const codes = Object.keys(m.methodResponses ?? {}).filter((c) => c.startsWith('2'));
    if (!codes.length) out.notes.push(`${methodName(a)} has no 2xx method response to carry Access-Control-Allow-Origin`);
    for (const statusCode of codes) {
      const declare = declareResponseHeaders(m, a, statusCode, Object.keys(origin), 'CORS');
      if (declare) steps.push({ ...declare, because: undefined });
      const current = m.methodIntegration?.integrationResponses?.[statusCode];
      if (!current) {
        out.notes.push(`${methodName(a)} has no integration response ${statusCode}: the header is declared but nothing maps it`);
        continue;
      }
      const ops = integrationResponseOps({ responseParameters: origin }, current);
      if (ops.length) steps.push({ resource: 'integrationResponse', address: { ...a, statusCode }, action: 'update', ops });
    }
  }
  return steps;
}

/** The reverse: the preflight's parts one by one (so each can be restored), and the origin headers of the others. */
function disableSteps(methods: Address[], model: Model): Step[] {
  const options = methods.find((a) => a.httpMethod === 'OPTIONS')!;
  const optionsDoc = model.method(options);
  const steps: Step[] = [];
  if (optionsDoc) {
    if (!isPreflight(optionsDoc))
      throw new ToolError(`OPTIONS ${options.resourcePath} is a real ${optionsDoc.methodIntegration.type} integration, not a CORS preflight: it is left as it is. Nothing was sent.`, 'conflict');
    for (const statusCode of Object.keys(optionsDoc.methodIntegration?.integrationResponses ?? {})) steps.push({ resource: 'integrationResponse', address: { ...options, statusCode }, action: 'delete' });
    if (optionsDoc.methodIntegration) steps.push({ resource: 'integration', address: options, action: 'delete' });
    for (const statusCode of Object.keys(optionsDoc.methodResponses ?? {})) steps.push({ resource: 'methodResponse', address: { ...options, statusCode }, action: 'delete' });
    steps.push({ resource: 'method', address: options, action: 'delete' });
  }
  const headers = [H('Allow-Origin'), H('Allow-Credentials')];
  for (const a of methods.filter((x) => x.httpMethod !== 'OPTIONS' && model.method(x))) {
    const m = model.method(a)!;
    for (const [statusCode, r] of Object.entries((m.methodIntegration?.integrationResponses ?? {}) as Record<string, Doc>)) {
      const mapped = headers.filter((h) => r.responseParameters?.[h] !== undefined);
      if (mapped.length) steps.push({ resource: 'integrationResponse', address: { ...a, statusCode }, action: 'update', ops: mapped.map((h) => ({ op: 'remove', path: toPointer('responseParameters', h) })) });
    }
    for (const [statusCode, r] of Object.entries((m.methodResponses ?? {}) as Record<string, Doc>)) {
      const declared = headers.filter((h) => r.responseParameters?.[h] !== undefined);
      if (declared.length) steps.push({ resource: 'methodResponse', address: { ...a, statusCode }, action: 'update', ops: declared.map((h) => ({ op: 'remove', path: toPointer('responseParameters', h) })) });
    }
  }
  return steps;
}

export function corsPlanner(where: Where, cors: Cors, out: CorsOutcome): Planner {
  return {
    kind: 'change',
    checkLocally() {
      checkApiInput(where);
      const named = [where.resourceId, where.resourcePath, where.paths].filter((x) => x !== undefined).length;
      if (named !== 1) throw new ToolError('Give resourcePath, or match.paths for several resources (one of them).');
      if (cors.disable) {
        if (cors.allowOrigin !== undefined || cors.allowHeaders || cors.allowMethods || cors.allowCredentials !== undefined || cors.maxAgeSeconds !== undefined)
          throw new ToolError('disable takes no allow* or maxAgeSeconds fields: it removes what enable_cors set.');
        return 'review';
      }
      if (cors.allowOrigin === undefined) throw new ToolError('allowOrigin is required: "*" or one origin such as https://app.example.com.');
      if (!ORIGIN.test(cors.allowOrigin)) throw new ToolError(`allowOrigin must be "*" or one origin (scheme, host and port, no path) such as https://app.example.com; got ${JSON.stringify(cors.allowOrigin)}.`);
      if (cors.allowCredentials && cors.allowOrigin === '*')
        throw new ToolError('allowCredentials needs one origin: browsers refuse credentials with Access-Control-Allow-Origin "*". Give allowOrigin such as https://app.example.com.');
      const bad = (cors.allowHeaders ?? []).filter((h) => !HEADER_NAME.test(h));
      if (bad.length) throw new ToolError(`allowHeaders must be header names (letters, digits and - _ . etc., no quotes or spaces); not: ${bad.map((h) => JSON.stringify(h)).join(', ')}.`);
      return 'review';
    },
    read: (ctx, gateway) => readResources(ctx, gateway, where),
    target: (model) => {
      const a = model.addresses[0];
      return { restApiId: a.restApiId, ...(a.apiName ? { apiName: a.apiName } : {}), resourceId: a.resourceId, httpMethod: 'OPTIONS', ...(a.resourcePath ? { resourcePath: a.resourcePath } : {}) };
    },
    build(model): Built {
      out.resources.length = out.notes.length = 0;
      const byResource = new Map<string, Address[]>();
      for (const a of model.addresses) byResource.set(a.resourceId, [...(byResource.get(a.resourceId) ?? []), a]);
      const steps: Step[] = [];
      for (const methods of byResource.values()) {
        out.resources.push(methods[0].resourcePath ?? methods[0].resourceId);
        steps.push(...(cors.disable ? disableSteps(methods, model) : enableSteps(methods, model, cors, out)));
      }
      const first = model.addresses.find((a) => a.httpMethod === 'OPTIONS')!;
      const on = `${out.resources.join(', ')} of API ${first.apiName !== undefined ? JSON.stringify(first.apiName) : first.restApiId}`;
      return {
        steps,
        subject: { resource: 'integrationResponse', address: { ...first, statusCode: '200' } },
        title: cors.disable ? `Remove CORS from ${on}` : `Enable CORS on ${on}`,
        notes: [...out.notes],
        already: cors.disable ? `CORS is not set up on ${on}; nothing was sent.` : `CORS is already set up on ${on} as asked; nothing was sent.`,
      };
    },
  };
}
