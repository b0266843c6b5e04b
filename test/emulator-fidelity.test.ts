// Cases recorded against real AWS (LocalStack's AWS-validated snapshots), replayed on the emulator through the real
// SDK: each asserts AWS's status code, error type and exact text, or the recorded answer's shape.
import {
  BadRequestException,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetMethodCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  type CreateRestApiCommandInput,
  type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { failure, useEmulator } from './emulator-fixture.js';

const fx = useEmulator();

let n = 0;
const createApi = (input: Partial<CreateRestApiCommandInput> = {}) => fx.c.send(new CreateRestApiCommand({ name: `fidelity-${++n}`, ...input } as CreateRestApiCommandInput));

/** A new API with GET / (method only). */
async function newApi() {
  const api = await createApi();
  const t = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
  await fx.c.send(new PutMethodCommand({ ...t, authorizationType: 'NONE' }));
  return { ...t, rootId: api.rootResourceId! };
}

async function expectError(p: Promise<unknown>, name: string, status: number, message: string) {
  const err = await failure(p);
  expect({ name: err.name, status: err.$metadata.httpStatusCode, message: err.message }).toEqual({ name, status, message });
}

const TYPES_ENUM =
  "Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]";
const IP_ENUM = "Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]";

describe('CreateRestApi input validation', () => {
  const cases: [string, Partial<CreateRestApiCommandInput>, string, string][] = [
    ['an empty description', { description: '' }, 'BadRequestException', 'Description cannot be an empty string'],
    ['a negative minimumCompressionSize', { minimumCompressionSize: -1 }, 'BadRequestException', 'Invalid minimum compression size, must be between 0 and 10485760'],
    ['a minimumCompressionSize above 10 MiB', { minimumCompressionSize: 10485761 }, 'BadRequestException', 'Invalid minimum compression size, must be between 0 and 10485760'],
    ['empty endpoint types', { endpointConfiguration: { types: [] } }, 'BadRequestException', 'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.'],
    ['an unknown endpoint type', { endpointConfiguration: { types: ['wrong' as never] } }, 'ValidationException', `1 validation error detected: ${TYPES_ENUM}`],
    [
      'an unknown endpoint type beside an empty ipAddressType',
      { endpointConfiguration: { types: ['wrong' as never], ipAddressType: '' as never } },
      'ValidationException',
      `1 validation error detected: ${TYPES_ENUM}`,
    ],
    ['an unknown ipAddressType', { endpointConfiguration: { types: ['EDGE'], ipAddressType: 'wrong' as never } }, 'ValidationException', `1 validation error detected: ${IP_ENUM}`],
    [
      'an unknown ipAddressType and type (types reported first)',
      { endpointConfiguration: { ipAddressType: 'wrong' as never, types: ['wrong' as never] } },
      'ValidationException',
      `2 validation errors detected: ${TYPES_ENUM}; ${IP_ENUM}`,
    ],
    [
      'enum errors beside an empty description (enums first)',
      { description: '', endpointConfiguration: { types: ['wrong' as never], ipAddressType: 'wrong' as never } },
      'ValidationException',
      `2 validation errors detected: ${TYPES_ENUM}; ${IP_ENUM}`,
    ],
    ['EDGE with REGIONAL', { endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } }, 'BadRequestException', 'Cannot create an api with multiple Endpoint Types.'],
    ['PRIVATE with ipv4', { endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } }, 'BadRequestException', 'Only dualstack ipAddressType is supported for Private APIs.'],
    [
      'PRIVATE with ipv4 and an empty description (description first)',
      { description: '', endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } },
      'BadRequestException',
      'Description cannot be an empty string',
    ],
    [
      'PRIVATE with an unknown ipAddressType',
      { endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'wrong' as never } },
      'ValidationException',
      `1 validation error detected: ${IP_ENUM}`,
    ],
  ];
  it.each(cases)('refuses %s', async (_name, input, type, message) => {
    const before = (await fx.c.send(new GetRestApisCommand({ limit: 500 }))).items?.length ?? 0;
    await expectError(createApi(input), type, 400, message);
    expect((await fx.c.send(new GetRestApisCommand({ limit: 500 }))).items?.length ?? 0).toBe(before);
  });

  const defaults: [string, CreateRestApiCommandInput['endpointConfiguration'], object][] = [
    ['no endpoint configuration', undefined, { types: ['EDGE'], ipAddressType: 'ipv4' }],
    ['an empty endpoint configuration', {}, { types: ['EDGE'], ipAddressType: 'ipv4' }],
    ['REGIONAL', { types: ['REGIONAL'] }, { types: ['REGIONAL'], ipAddressType: 'ipv4' }],
    ['PRIVATE', { types: ['PRIVATE'] }, { types: ['PRIVATE'], ipAddressType: 'dualstack' }],
    ['EDGE dualstack', { types: ['EDGE'], ipAddressType: 'dualstack' }, { types: ['EDGE'], ipAddressType: 'dualstack' }],
  ];
  it.each(defaults)('stores %s as AWS does', async (_name, endpointConfiguration, expected) => {
    const api = await createApi({ endpointConfiguration });
    expect(api.$metadata.httpStatusCode).toBe(201);
    expect(api.endpointConfiguration).toEqual(expected);
  });

  it('keeps a minimumCompressionSize of 0', async () => {
    expect((await createApi({ minimumCompressionSize: 0 })).minimumCompressionSize).toBe(0);
  });
});

describe('GetRestApi tags', () => {
  it('answers "tags": {} for an API without tags, while CreateRestApi and GetRestApis omit them', async () => {
    const api = await createApi();
    expect(api.tags).toBeUndefined();
    expect((await fx.c.send(new GetRestApiCommand({ restApiId: api.id }))).tags).toEqual({});
    const listed = (await fx.c.send(new GetRestApisCommand({ limit: 500 }))).items!.find((a) => a.id === api.id)!;
    expect(listed.tags).toBeUndefined();
  });

  it('answers the tags an API was created with', async () => {
    const api = await createApi({ tags: { MY_TAG1: 'MY_VALUE1' } });
    expect((await fx.c.send(new GetRestApiCommand({ restApiId: api.id }))).tags).toEqual({ MY_TAG1: 'MY_VALUE1' });
  });
});

describe('CreateResource beside and below a greedy {proxy+}', () => {
  it('refuses a variable path part beside {proxy+} and any child of it, and allows a greedy child elsewhere', async () => {
    const api = await createApi();
    const restApiId = api.id!;
    const proxy = await fx.c.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    const create = (parentId: string, pathPart: string) => fx.c.send(new CreateResourceCommand({ restApiId, parentId, pathPart }));
    await expectError(create(api.rootResourceId!, '{dynamic}'), 'BadRequestException', 400, 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed');
    await expectError(create(proxy.id!, 'child'), 'BadRequestException', 400, 'Cannot create a child of a resource with a greedy path variable: {proxy+}');
    await expectError(create(proxy.id!, '{child}'), 'BadRequestException', 400, 'Cannot create a child of a resource with a greedy path variable: {proxy+}');
    // A static sibling of {proxy+} is fine, and so is a greedy child under it.
    const parent = await create(api.rootResourceId!, 'parent');
    const greedy = await create(parent.id!, '{child+}');
    expect(greedy).toMatchObject({ path: '/parent/{child+}', pathPart: '{child+}' });
    const staticChild = await create(parent.id!, 'child');
    expect(staticChild.path).toBe('/parent/child');
  });
});

describe('PutMethod validation', () => {
  const put = (t: { restApiId: string; rootId: string }, input: Partial<PutMethodCommandInput>) =>
    fx.c.send(new PutMethodCommand({ restApiId: t.restApiId, resourceId: t.rootId, httpMethod: 'ANY', authorizationType: 'NONE', ...input } as PutMethodCommandInput));

  it('refuses a parameter name declared in two locations', async () => {
    const t = await newApi();
    const requestParameters = { 'method.request.querystring.optional': false, 'method.request.header.optional': false };
    await expectError(put(t, { requestParameters }), 'BadRequestException', 400, 'Parameter names must be unique across querystring, header and path');
  });

  it('refuses an unknown request model and accepts the default Empty model', async () => {
    const t = await newApi();
    await expectError(put(t, { requestModels: { 'application/json': 'petModel' } }), 'BadRequestException', 400, 'Invalid model identifier specified: petModel');
    expect((await put(t, { requestModels: { 'application/json': 'Empty' } })).requestModels).toEqual({ 'application/json': 'Empty' });
  });

  it('lists the verbs in AWS order for an unknown verb', async () => {
    const t = await newApi();
    await expectError(put(t, { httpMethod: 'WRONG' }), 'BadRequestException', 400, 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
  });

  it('accepts a lower-case authorization type and stores it as NONE', async () => {
    const t = await newApi();
    const method = await put(t, { authorizationType: 'none' });
    expect(method.$metadata.httpStatusCode).toBe(201);
    expect(method.authorizationType).toBe('NONE');
    expect((await fx.c.send(new GetMethodCommand({ restApiId: t.restApiId, resourceId: t.rootId, httpMethod: 'ANY' }))).authorizationType).toBe('NONE');
  });
});

describe('PutIntegration and PutIntegrationResponse validation', () => {
  it('answers an AWS integration whose uri is another service ARN: the ARN lacks path or action', async () => {
    const t = await newApi();
    const uri = 'arn:aws:iam::0000000000:role/service-role/asdf';
    const err = await failure(fx.c.send(new PutIntegrationCommand({ ...t, type: 'AWS', integrationHttpMethod: 'POST', uri })));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toBe('AWS ARN for integration must contain path or action');
  });

  const truncating = 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String';
  it('answers a numeric request template with the SerializationException AWS sends', async () => {
    const t = await newApi();
    await expectError(fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK', requestTemplates: { 'application/json': 123 as never } })), 'SerializationException', 400, truncating);
  });

  it('answers a numeric response template with the same SerializationException', async () => {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    await expectError(
      fx.c.send(new PutIntegrationResponseCommand({ ...t, statusCode: '200', responseTemplates: { 'application/json': 123 as never } })),
      'SerializationException',
      400,
      truncating,
    );
  });
});

describe('CreateDeployment with canarySettings', () => {
  async function deployable() {
    const t = await newApi();
    await fx.c.send(new PutIntegrationCommand({ ...t, type: 'MOCK' }));
    return t;
  }

  it('refuses a canary deployment without a stage name', async () => {
    const { restApiId } = await deployable();
    await expectError(
      fx.c.send(new CreateDeploymentCommand({ restApiId, canarySettings: { percentTraffic: 50 } })),
      'BadRequestException',
      400,
      'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null',
    );
  });

  it('refuses a canary deployment to a stage that does not exist yet', async () => {
    const { restApiId } = await deployable();
    await expectError(
      fx.c.send(new CreateDeploymentCommand({ restApiId, stageName: 'non-existing', canarySettings: { percentTraffic: 50 } })),
      'BadRequestException',
      400,
      'Invalid deployment content specified.Stage non-existing must already be created before making a canary release deployment',
    );
  });

  it('accepts a canary deployment to an existing stage', async () => {
    const { restApiId } = await deployable();
    await fx.c.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    const canary = await fx.c.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 50 } }));
    expect(canary.$metadata.httpStatusCode).toBe(201);
  });

  it('keeps the stage on its deployment and points the canary at the new one (as recorded from AWS)', async () => {
    const { restApiId } = await deployable();
    const first = await fx.c.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    const canary = await fx.c.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }));
    const stage = await fx.c.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    expect(stage.deploymentId).toBe(first.id);
    expect(stage.canarySettings).toEqual({ deploymentId: canary.id, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' }, useStageCache: false });
  });
});
