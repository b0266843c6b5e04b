// Two stand-in AWS accounts (two emulators with their own account ids), reached through an AWS config file whose
// profiles carry endpoint_url, as the AWS SDK reads it. One server works across both in one conversation, per
// call, within its allowlist; every result and audit record names the account it touched.
import { APIGatewayClient, GetIntegrationCommand, GetRestApisCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { BIN } from './harness.js';

const A = '111111111111';
const B = '222222222222';
let a: Emulator;
let b: Emulator;
let client: Client;
let home: string;

const call = async (name: string, args: Record<string, unknown> = {}) => {
  const r = (await client.callTool({ name, arguments: args })) as any;
  return { isError: r.isError, structured: r.structuredContent, text: r.content.map((c: any) => c.text).join('\n') };
};

async function orderIds(emu: Emulator) {
  const aws = new APIGatewayClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const api = (await aws.send(new GetRestApisCommand({}))).items!.find((x) => x.name === 'shop')!;
  const res = (await aws.send(new GetResourcesCommand({ restApiId: api.id! }))).items!.find((r) => r.path === '/orders/{id}')!;
  const timeout = async () => (await aws.send(new GetIntegrationCommand({ restApiId: api.id!, resourceId: res.id!, httpMethod: 'GET' }))).timeoutInMillis;
  return { restApiId: api.id!, resourceId: res.id!, timeout };
}

beforeAll(async () => {
  [a, b] = await Promise.all([startEmulator({ accountId: A }), startEmulator({ accountId: B })]);
  home = mkdtempSync(join(tmpdir(), 'apigw-accounts-'));
  writeFileSync(join(home, 'config'), `[profile acct-a]\nregion = us-east-1\nendpoint_url = ${a.url}\n\n[profile acct-b]\nregion = us-east-1\nendpoint_url = ${b.url}\n`);
  writeFileSync(join(home, 'credentials'), '[acct-a]\naws_access_key_id = a\naws_secret_access_key = a\n\n[acct-b]\naws_access_key_id = b\naws_secret_access_key = b\n');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--backend', 'aws', '--profile', 'acct-a', '--region', 'us-east-1', '--allow-profile', 'acct-b', '--allow-region', 'eu-west-1', '--confirm-fallback', 'token'],
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') },
    stderr: 'pipe',
  });
  client = new Client({ name: 'ops-agent', version: '1' });
  await client.connect(transport);
});
afterAll(async () => {
  await client?.close();
  await Promise.all([a?.close(), b?.close()]);
});
beforeEach(() => {
  a.resetCalls();
  b.resetCalls();
});

describe('per-call profile and region', () => {
  it('lists the allowed profiles and regions in every tool that talks to AWS', async () => {
    const { tools } = await client.listTools();
    for (const t of tools.filter((x) => x.name !== 'list_changes')) {
      expect((t.inputSchema.properties as any).profile.enum, t.name).toEqual(['acct-a', 'acct-b']);
      expect((t.inputSchema.properties as any).region.enum, t.name).toEqual(['us-east-1', 'eu-west-1']);
    }
  });

  it('works on the start-up account by default, and names profile, region and account', async () => {
    const r = await call('list_apis');
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured).toMatchObject({ account: A, region: 'us-east-1', profile: 'acct-a' });
    expect(a.calls().GetRestApis).toBe(1);
    expect(b.calls()).toEqual({});
  });

  it('works on another allowed profile when a call names it', async () => {
    const r = await call('list_apis', { profile: 'acct-b' });
    expect(r.structured).toMatchObject({ account: B, profile: 'acct-b' });
    expect(b.calls().GetRestApis).toBe(1);
    expect(a.calls()).toEqual({});
  });

  it('changes only the account named, resolving names there, and the audit log records it', async () => {
    const ia = await orderIds(a);
    const ib = await orderIds(b);
    expect(ia.restApiId).not.toBe(ib.restApiId);
    const r = await call('set_timeout', { profile: 'acct-b', apiName: 'shop', resourcePath: '/orders/{id}', httpMethod: 'GET', timeoutInMillis: 4321 });
    expect(r.structured).toMatchObject({ status: 'applied', account: B, target: { restApiId: ib.restApiId } });
    expect(await ib.timeout()).toBe(4321);
    expect(await ia.timeout()).toBe(10000);
    const audit = readFileSync(join(home, 'apigw-integration-mcp', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ changeId: r.structured.changeId, account: B, profile: 'acct-b', region: 'us-east-1' });
  });

  it('undoes a change only where it was made: list_changes says where, and undo_change elsewhere says which profile to call it with', async () => {
    const ib = await orderIds(b);
    const r = await call('set_timeout', { profile: 'acct-b', restApiId: ib.restApiId, resourceId: ib.resourceId, httpMethod: 'GET', timeoutInMillis: 5432 });
    expect(r.structured.status).toBe('applied');
    const listed = (await call('list_changes', {})).structured.changes.find((c: any) => c.changeId === r.structured.changeId);
    expect(listed).toMatchObject({ profile: 'acct-b', region: 'us-east-1', account: B });
    a.resetCalls();
    b.resetCalls();
    const wrong = await call('undo_change', { changeId: r.structured.changeId });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toContain(`was made on profile acct-b, region us-east-1, account ${B}`);
    expect(wrong.text).toContain(`undo_change { changeId: "${r.structured.changeId}", profile: "acct-b", region: "us-east-1" }`);
    expect(a.calls()).toEqual({});
    expect(b.calls()).toEqual({});
    const right = await call('undo_change', { changeId: r.structured.changeId, profile: 'acct-b' });
    expect(right.structured).toMatchObject({ status: 'applied', account: B });
    expect(await ib.timeout()).toBe(4321);
  });

  it("names the region a profile's config gave when none was passed, in results and the audit log", async () => {
    const stateHome = mkdtempSync(join(tmpdir(), 'apigw-region-'));
    const own = new Client({ name: 'region-test', version: '1' });
    await own.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, '--backend', 'aws', '--profile', 'acct-b'],
        env: { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: stateHome, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') },
        stderr: 'ignore',
      }),
    );
    const ib = await orderIds(b);
    const r = (await own.callTool({ name: 'set_timeout', arguments: { restApiId: ib.restApiId, resourceId: ib.resourceId, httpMethod: 'GET', timeoutInMillis: 6543 } })) as any;
    expect(r.structuredContent).toMatchObject({ status: 'applied', region: 'us-east-1', profile: 'acct-b', account: B });
    expect(r.structuredContent.backend).toContain('region us-east-1');
    const audit = readFileSync(join(stateHome, 'apigw-integration-mcp', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ region: 'us-east-1', profile: 'acct-b', account: B });
    await own.callTool({ name: 'set_timeout', arguments: { restApiId: ib.restApiId, resourceId: ib.resourceId, httpMethod: 'GET', timeoutInMillis: 4321 } });
    await own.close();
  });

  it('uses another allowed region with the same profile', async () => {
    const r = await call('list_apis', { region: 'eu-west-1' });
    expect(r.structured).toMatchObject({ account: A, region: 'eu-west-1' });
    expect(r.structured.backend).toContain('region eu-west-1');
  });

  it.each([
    [{ profile: 'acct-c' }, /Profile "acct-c" is not allowed|acct-a.*acct-b/],
    [{ region: 'ap-south-1' }, /us-east-1.*eu-west-1/],
  ])('refuses %j outside the allowlist, naming the allowed values, and calls nobody', async (choice, message) => {
    const r = await call('list_apis', choice);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
    expect(a.calls()).toEqual({});
    expect(b.calls()).toEqual({});
  });

  it('reuses one client per account: the account is looked up once, names are resolved once', async () => {
    for (let i = 0; i < 3; i++) await call('get_integration', { profile: 'acct-b', apiName: 'shop', resourcePath: '/health', httpMethod: 'GET' });
    expect(b.calls().GetCallerIdentity).toBeUndefined(); // looked up on the first call to acct-b, earlier
    expect(b.calls().GetIntegration).toBe(3);
    expect(b.calls().GetResources ?? 0).toBeLessThanOrEqual(1);
  });

  it("sends the server's name and version and the MCP client's name in the user agent", async () => {
    await call('list_apis', { profile: 'acct-b' });
    expect(b.lastUserAgent()).toMatch(/apigw-integration-mcp\/\d+\.\d+\.\d+/);
    expect(b.lastUserAgent()).toContain('mcp-client/ops-agent');
  });
});
