// The emulator's stage operations through the real AWS SDK: GetStage, UpdateStage (validated by the stage rows of
// the rules table), GetDeployment and GetExport of what a stage serves, with AWS's status codes and texts.
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetExportCommand,
  GetStageCommand,
  GetStagesCommand,
  UpdateIntegrationCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { failure } from './emulator-fixture.js';

let emu: Emulator;
let c: APIGatewayClient;
let shop: string;
let order: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: true });
  c = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
  const { GetRestApisCommand, GetResourcesCommand } = await import('@aws-sdk/client-api-gateway');
  shop = (await c.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'shop')!.id!;
  order = (await c.send(new GetResourcesCommand({ restApiId: shop }))).items!.find((r) => r.path === '/orders/{id}')!.id!;
});
afterAll(async () => {
  c.destroy();
  await emu.close();
});

const exportOf = async (stageName: string, exportType = 'oas30', extensions = 'integrations') => {
  const out = await c.send(new GetExportCommand({ restApiId: shop, stageName, exportType, parameters: { extensions }, accepts: 'application/json' }));
  return JSON.parse(new TextDecoder().decode(out.body));
};

describe('GetStage and UpdateStage', () => {
  it('answers an unknown stage with 404 Invalid stage identifier specified', async () => {
    const err = await failure(c.send(new GetStageCommand({ restApiId: shop, stageName: 'nope' })));
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['NotFoundException', 404, 'Invalid stage identifier specified']);
  });

  it('creates a cache cluster: CREATE_IN_PROGRESS in the answer, AVAILABLE on the next read; deleting it goes through DELETE_IN_PROGRESS', async () => {
    const on = await c.send(new UpdateStageCommand({ restApiId: shop, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/cacheClusterSize', value: '1.6' }] }));
    expect(on).toMatchObject({ cacheClusterEnabled: true, cacheClusterSize: '1.6', cacheClusterStatus: 'CREATE_IN_PROGRESS' });
    expect((await c.send(new GetStageCommand({ restApiId: shop, stageName: 'prod' }))).cacheClusterStatus).toBe('AVAILABLE');
    const off = await c.send(new UpdateStageCommand({ restApiId: shop, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }] }));
    expect(off.cacheClusterStatus).toBe('DELETE_IN_PROGRESS');
    const stages = await c.send(new GetStagesCommand({ restApiId: shop }));
    expect(stages.item!.find((s) => s.stageName === 'prod')!.cacheClusterStatus).toBe('NOT_AVAILABLE');
  });

  it('sets method caching under the escaped path key, starting from AWS defaults', async () => {
    const r = await c.send(
      new UpdateStageCommand({
        restApiId: shop,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/~1orders~1{id}/GET/caching/enabled', value: 'true' },
          { op: 'replace', path: '/~1orders~1{id}/GET/caching/ttlInSeconds', value: '60' },
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '50' },
          { op: 'add', path: '/variables/backend', value: 'orders.example.com' },
        ],
      }),
    );
    expect(r.methodSettings!['~1orders~1{id}/GET']).toMatchObject({ cachingEnabled: true, cacheTtlInSeconds: 60, throttlingBurstLimit: 5000 });
    expect(r.methodSettings!['*/*']).toMatchObject({ throttlingRateLimit: 50, cachingEnabled: false });
    expect(r.variables).toEqual({ backend: 'orders.example.com' });
  });

  it.each([
    [{ op: 'replace', path: '/cacheClusterSize', value: '2' }, 'must be one of 0.5'],
    [{ op: 'replace', path: '/~1orders/GET/caching/ttlInSeconds', value: '7200' }, 'from 0 to 3600'],
    [{ op: 'replace', path: '/nope', value: '1' }, 'Invalid patch path /nope'],
    [{ op: 'add', path: '/cacheClusterEnabled', value: 'true' }, 'Invalid patch operation specified'],
  ])('refuses %j with 400 and changes nothing', async (op, text) => {
    const before = await c.send(new GetStageCommand({ restApiId: shop, stageName: 'prod' }));
    const err = await failure(c.send(new UpdateStageCommand({ restApiId: shop, stageName: 'prod', patchOperations: [op as never] })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['BadRequestException', 400]);
    expect(err.message).toContain(text);
    const after = await c.send(new GetStageCommand({ restApiId: shop, stageName: 'prod' }));
    expect(after.lastUpdatedDate).toEqual(before.lastUpdatedDate);
  });
});

describe('GetDeployment and GetExport', () => {
  it('GetDeployment answers with the summary only when embed=apisummary, and 404 for an unknown id', async () => {
    const { deploymentId } = await c.send(new GetStageCommand({ restApiId: shop, stageName: 'prod' }));
    const plain = await c.send(new GetDeploymentCommand({ restApiId: shop, deploymentId }));
    expect(plain.apiSummary).toBeUndefined();
    const full = await c.send(new GetDeploymentCommand({ restApiId: shop, deploymentId, embed: ['apisummary'] }));
    expect(full.apiSummary!['/orders/{id}'].GET).toEqual({ authorizationType: 'NONE', apiKeyRequired: false });
    const err = await failure(c.send(new GetDeploymentCommand({ restApiId: shop, deploymentId: 'zzzzzz' })));
    expect([err.name, err.message]).toEqual(['NotFoundException', 'Invalid Deployment identifier specified']);
  });

  it('exports what the stage serves, not the working copy, until the next deployment', async () => {
    await c.send(new UpdateIntegrationCommand({ restApiId: shop, resourceId: order, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '7000' }] }));
    const live = await exportOf('prod');
    const get = live.paths['/orders/{id}'].get;
    expect(live.openapi).toBe('3.0.1');
    expect(get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(get['x-amazon-apigateway-integration']).toMatchObject({ type: 'http', passthroughBehavior: 'when_no_match', timeoutInMillis: 10000, responses: { default: { statusCode: '200' } } });
    expect(live.paths['/orders'].get['x-amazon-apigateway-integration'].responses['5\\d{2}']).toMatchObject({ statusCode: '500' });
    await c.send(new CreateDeploymentCommand({ restApiId: shop, stageName: 'prod' }));
    expect((await exportOf('prod')).paths['/orders/{id}'].get['x-amazon-apigateway-integration'].timeoutInMillis).toBe(7000);
  });

  it('exports Swagger 2.0 too, and no integrations without the extension', async () => {
    const swagger = await exportOf('prod', 'swagger');
    expect(swagger).toMatchObject({ swagger: '2.0', basePath: '/prod' });
    expect(swagger.paths['/orders/{id}'].get.parameters[0]).toEqual({ name: 'id', in: 'path', required: true, type: 'string' });
    expect(swagger.paths['/orders'].get.responses['200'].headers).toEqual({ 'X-Request-Id': { type: 'string' } });
    const bare = await exportOf('prod', 'oas30', '');
    expect(bare.paths['/orders/{id}'].get['x-amazon-apigateway-integration']).toBeUndefined();
    const err = await failure(exportOf('nope'));
    expect([err.name, err.message]).toEqual(['NotFoundException', 'Invalid stage identifier specified']);
  });
});
