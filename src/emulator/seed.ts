// The demo APIs a fresh emulator starts with: `shop` (HTTP, HTTP_PROXY, Lambda proxy and MOCK integrations with
// parameters, templates and integration responses), a small `inventory`, and `legacy-billing` with risky settings. Built through the same operations
// the wire uses, so the seed gets AWS's defaults and passes the same validation as any client's request.
import { createDeployment } from './deployments.js';
import { putIntegration, putIntegrationResponse } from './integrations.js';
import { putMethod, putMethodResponse } from './methods.js';
import { createResource, createRestApi } from './restapis.js';
import type { Context, Doc, State } from './state.js';

export const DEMO_API_NAME = 'shop';

/** Adds a method with its integration, method responses and integration responses. */
function addMethod(
  state: State,
  apiId: string,
  resourceId: string,
  verb: string,
  spec: { method?: Doc; integration: Doc; responses?: Record<string, { method?: Doc; integration?: Doc }> },
): void {
  putMethod(state, apiId, resourceId, verb, { authorizationType: 'NONE', ...spec.method });
  for (const [status, r] of Object.entries(spec.responses ?? {})) if (r.method) putMethodResponse(state, apiId, resourceId, verb, status, r.method);
  putIntegration(state, apiId, resourceId, verb, spec.integration);
  for (const [status, r] of Object.entries(spec.responses ?? {})) if (r.integration) putIntegrationResponse(state, apiId, resourceId, verb, status, r.integration);
}

export function seedDemo(state: State, ctx: Context): void {
  const shop = createRestApi(state, { name: DEMO_API_NAME, description: 'Demo shop API (seeded by the apigw-integration-mcp emulator)' });
  const root = shop.rootResourceId as string;
  const orders = createResource(state, shop.id, root, { pathPart: 'orders' }).id;
  const order = createResource(state, shop.id, orders, { pathPart: '{id}' }).id;
  const payments = createResource(state, shop.id, root, { pathPart: 'payments' }).id;
  const health = createResource(state, shop.id, root, { pathPart: 'health' }).id;
  const json = 'application/json';

  addMethod(state, shop.id, orders, 'GET', {
    method: { requestParameters: { 'method.request.querystring.status': false } },
    integration: {
      type: 'HTTP',
      httpMethod: 'GET',
      uri: 'https://orders.example.com/orders',
      requestParameters: { 'integration.request.querystring.status': 'method.request.querystring.status' },
      requestTemplates: { [json]: '{"status": "$input.params(\'status\')"}' },
    },
    responses: {
      '200': {
        method: { responseParameters: { 'method.response.header.X-Request-Id': false } },
        integration: {
          selectionPattern: '',
          responseParameters: { 'method.response.header.X-Request-Id': 'integration.response.header.X-Request-Id' },
          responseTemplates: { [json]: '{"orders": $input.json(\'$.orders\')}' },
        },
      },
      '500': { method: {}, integration: { selectionPattern: '5\\d{2}', responseTemplates: { [json]: '{"message": "The orders service failed"}' } } },
    },
  });

  const orderPath = { 'integration.request.path.id': 'method.request.path.id' };
  addMethod(state, shop.id, order, 'GET', {
    method: { requestParameters: { 'method.request.path.id': true } },
    integration: {
      type: 'HTTP',
      httpMethod: 'GET',
      uri: 'https://orders.example.com/orders/{id}',
      requestParameters: orderPath,
      timeoutInMillis: 10000,
      cacheKeyParameters: ['method.request.path.id'],
    },
    responses: { '200': { method: {}, integration: { selectionPattern: '' } } },
  });
  addMethod(state, shop.id, order, 'DELETE', {
    method: { requestParameters: { 'method.request.path.id': true } },
    integration: { type: 'HTTP_PROXY', httpMethod: 'DELETE', uri: 'https://orders.example.com/orders/{id}', requestParameters: orderPath },
  });

  addMethod(state, shop.id, payments, 'POST', {
    integration: {
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:payments/invocations`,
    },
  });

  addMethod(state, shop.id, health, 'GET', {
    integration: { type: 'MOCK', requestTemplates: { [json]: '{"statusCode": 200}' } },
    responses: { '200': { method: {}, integration: { selectionPattern: '', responseTemplates: { [json]: '{"status": "ok"}' } } } },
  });
  // Deployed once, so the demo shows that later integration changes reach callers only after a redeploy.
  createDeployment(state, ctx, shop.id, { stageName: 'prod', description: 'Initial deployment' });

  const inventory = createRestApi(state, { name: 'inventory', description: 'Demo inventory API with one MOCK method' });
  const items = createResource(state, inventory.id, inventory.rootResourceId, { pathPart: 'items' }).id;
  addMethod(state, inventory.id, items, 'GET', {
    integration: { type: 'MOCK', requestTemplates: { [json]: '{"statusCode": 200}' } },
    responses: { '200': { method: {}, integration: { selectionPattern: '', responseTemplates: { [json]: '{"items": []}' } } } },
  });

  // An older API with one known problem per integration, for audit_integrations and its prompt to find.
  const billing = createRestApi(state, { name: 'legacy-billing', description: 'Demo API with risky integration settings, to audit' });
  const problem = (pathPart: string, integration: Doc) => {
    const id = createResource(state, billing.id, billing.rootResourceId, { pathPart }).id;
    addMethod(state, billing.id, id, 'GET', { integration });
  };
  const proxy = (path: string, extra: Doc = {}) => ({ type: 'HTTP_PROXY', httpMethod: 'GET', uri: `https://billing.example.com/${path}`, timeoutInMillis: 5000, ...extra });
  problem('tls', proxy('tls', { tlsConfig: { insecureSkipVerification: true } }));
  problem('private', proxy('private', { uri: 'http://10.0.3.7:8080/invoices' }));
  problem('slow', proxy('slow', { timeoutInMillis: 29000 }));
  problem('mapped', { type: 'HTTP', httpMethod: 'GET', uri: 'https://billing.example.com/mapped', requestTemplates: { [json]: '{}' }, timeoutInMillis: 5000 });
  problem('clean', proxy('clean'));
}
