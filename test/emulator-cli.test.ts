// The AWS CLI against the emulator, unmodified and with dummy credentials. Skipped where no working `aws` is
// installed (CI machines may not have it).
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';

const run = promisify(execFile);
// `aws --version` rather than a PATH look-up: a version-manager shim can exist without a working CLI behind it.
const awsWorks = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 60_000 }).status === 0;

describe.skipIf(!awsWorks)('AWS CLI', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });

  /** Runs `aws apigateway ...` isolated from the user's AWS config; async, so the in-process emulator can answer. */
  async function aws(...args: string[]): Promise<any> {
    const none = join(tmpdir(), 'apigw-emulator-no-aws-config');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_CONFIG_FILE: none,
      AWS_SHARED_CREDENTIALS_FILE: none,
      AWS_PAGER: '',
    };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    const { stdout } = await run('aws', ['--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json', 'apigateway', ...args], { env, timeout: 60_000 });
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  }

  it('lists the seeded APIs and changes an integration timeout with --patch-operations as JSON', async () => {
    const apis = await aws('get-rest-apis');
    const shop = apis.items.find((a: { name: string }) => a.name === 'shop');
    expect(shop.id).toMatch(/^[a-z0-9]{10}$/);
    const resources = await aws('get-resources', '--rest-api-id', shop.id);
    const orders = resources.items.find((r: { path: string }) => r.path === '/orders');
    const target = ['--rest-api-id', shop.id, '--resource-id', orders.id, '--http-method', 'GET'];
    const updated = await aws('update-integration', ...target, '--patch-operations', JSON.stringify([{ op: 'replace', path: '/timeoutInMillis', value: '12000' }]));
    expect(updated.timeoutInMillis).toBe(12000);
    expect((await aws('get-integration', ...target)).timeoutInMillis).toBe(12000);
    expect(emu.calls()).toMatchObject({ GetRestApis: 1, GetResources: 1, UpdateIntegration: 1, GetIntegration: 1 });
  }, 120_000);

  it("reports AWS's error type and text for a rejected patch", async () => {
    const shop = (await aws('get-rest-apis')).items.find((a: { name: string }) => a.name === 'shop');
    const orders = (await aws('get-resources', '--rest-api-id', shop.id)).items.find((r: { path: string }) => r.path === '/orders');
    const failed = await aws(
      'update-integration',
      '--rest-api-id',
      shop.id,
      '--resource-id',
      orders.id,
      '--http-method',
      'GET',
      '--patch-operations',
      JSON.stringify([{ op: 'replace', path: '/timeoutInMillis', value: '10' }]),
    ).then(
      () => undefined,
      (err: { stderr: string; code: number }) => err,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toContain('(BadRequestException)');
    expect(failed?.stderr).toContain('Timeout should be between 50 ms and 29000 ms');
  }, 120_000);

  it('turns on a stage cache with update-stage and exports what the stage serves with get-export', async () => {
    const shop = (await aws('get-rest-apis')).items.find((a: { name: string }) => a.name === 'shop');
    const stage = await aws('update-stage', '--rest-api-id', shop.id, '--stage-name', 'prod', '--patch-operations', JSON.stringify([{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }]));
    expect(stage).toMatchObject({ cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'CREATE_IN_PROGRESS' });
    expect((await aws('get-stage', '--rest-api-id', shop.id, '--stage-name', 'prod')).cacheClusterStatus).toBe('AVAILABLE');
    const out = join(tmpdir(), `apigw-export-${process.pid}.json`);
    await aws('get-export', '--rest-api-id', shop.id, '--stage-name', 'prod', '--export-type', 'oas30', '--parameters', 'extensions=integrations', '--accepts', 'application/json', out);
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.paths['/orders/{id}'].get['x-amazon-apigateway-integration']).toMatchObject({ type: 'http' });
  }, 120_000);
});
