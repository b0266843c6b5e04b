// The API Gateway calls this server makes, typed, and nothing else. Paging uses the SDK's paginators.
import type { APIGatewayClient, PatchOperation as SdkPatchOperation } from '@aws-sdk/client-api-gateway';

/** A resource as AWS returns it (JSON). */
export type Doc = Record<string, any>;
/** A patch operation as the SDK sends it (the rules table above this layer validates it first). */
export interface PatchOperation {
  op: string;
  path: string;
  value?: string;
  from?: string;
}
import { tagCaller } from './caller.js';
import type { Sdk } from './client.js';

export interface MethodAddress {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
}

/** SDK outputs carry `$metadata` (request ids, attempts); results show the resource as AWS returns it. */
/** Our ops carry `op` as a string (so bad ones get our message, not a schema error); they are validated by now. */
const sdkOps = (ops: PatchOperation[]) => ops as SdkPatchOperation[];

function strip<T extends { $metadata?: unknown }>(out: T): Doc {
  const { $metadata: _, ...rest } = out;
  return rest as Doc;
}

export class Gateway {
  constructor(
    private readonly client: APIGatewayClient,
    private readonly sdk: Sdk,
    /** The MCP client the requests are made for (named in their user agent). */
    private readonly caller?: string,
  ) {}

  /** The same gateway, for one MCP client's calls. */
  as(caller: string): Gateway {
    return new Gateway(this.client, this.sdk, caller);
  }

  private tag<C extends { input: object }>(command: C): C {
    return this.caller ? tagCaller(command, this.caller) : command;
  }

  private send<C extends { input: object }>(command: C): Promise<any> {
    return this.client.send(this.tag(command) as never);
  }

  async listApis(): Promise<Doc[]> {
    const items: Doc[] = [];
    for await (const page of this.sdk.paginateGetRestApis({ client: this.client, pageSize: 500, withCommand: (c) => this.tag(c) }, {})) items.push(...(page.items ?? []));
    return items;
  }

  async listResources(restApiId: string, embedMethods = false): Promise<Doc[]> {
    const items: Doc[] = [];
    const input = { restApiId, ...(embedMethods ? { embed: ['methods'] } : {}) };
    for await (const page of this.sdk.paginateGetResources({ client: this.client, pageSize: 500, withCommand: (c) => this.tag(c) }, input)) items.push(...(page.items ?? []));
    return items;
  }

  async getMethod(a: MethodAddress): Promise<Doc> {
    return strip(await this.send(new this.sdk.GetMethodCommand(a)));
  }

  async getIntegration(a: MethodAddress): Promise<Doc> {
    return strip(await this.send(new this.sdk.GetIntegrationCommand(a)));
  }

  async updateIntegration(a: MethodAddress, patchOperations: PatchOperation[]): Promise<Doc> {
    return strip(await this.send(new this.sdk.UpdateIntegrationCommand({ ...a, patchOperations: sdkOps(patchOperations) })));
  }

  async updateIntegrationResponse(a: MethodAddress & { statusCode: string }, patchOperations: PatchOperation[]): Promise<Doc> {
    return strip(await this.send(new this.sdk.UpdateIntegrationResponseCommand({ ...a, patchOperations: sdkOps(patchOperations) })));
  }

  /** Creates (or overwrites) an integration response from a document's fields. */
  async putIntegrationResponse(a: MethodAddress & { statusCode: string }, doc: Doc): Promise<Doc> {
    const { selectionPattern, contentHandling, responseTemplates, responseParameters } = doc;
    return strip(await this.send(new this.sdk.PutIntegrationResponseCommand({ ...a, selectionPattern, contentHandling, responseTemplates, responseParameters })));
  }

  async putIntegration(a: MethodAddress, doc: Doc): Promise<Doc> {
    // The SDK names the integration's own verb integrationHttpMethod (httpMethod is the method's).
    const { httpMethod: integrationHttpMethod, integrationResponses: _, ...rest } = doc;
    return strip(await this.send(new this.sdk.PutIntegrationCommand({ ...a, ...rest, ...(integrationHttpMethod ? { integrationHttpMethod } : {}) } as never)));
  }

  async deleteIntegration(a: MethodAddress): Promise<void> {
    await this.send(new this.sdk.DeleteIntegrationCommand(a));
  }

  async deleteIntegrationResponse(a: MethodAddress & { statusCode: string }): Promise<void> {
    await this.send(new this.sdk.DeleteIntegrationResponseCommand(a));
  }

  /** PutMethod: only what a CORS preflight needs (no authorization, no API key). */
  async putMethod(a: MethodAddress, doc: Doc): Promise<Doc> {
    const { authorizationType, apiKeyRequired, requestParameters } = doc;
    return strip(await this.send(new this.sdk.PutMethodCommand({ ...a, authorizationType, apiKeyRequired, requestParameters })));
  }

  async updateMethod(a: MethodAddress, patchOperations: PatchOperation[]): Promise<Doc> {
    return strip(await this.send(new this.sdk.UpdateMethodCommand({ ...a, patchOperations: sdkOps(patchOperations) })));
  }

  async deleteMethod(a: MethodAddress): Promise<void> {
    await this.send(new this.sdk.DeleteMethodCommand(a));
  }

  async putMethodResponse(a: MethodAddress & { statusCode: string }, doc: Doc): Promise<Doc> {
    const { responseParameters, responseModels } = doc;
    return strip(await this.send(new this.sdk.PutMethodResponseCommand({ ...a, responseParameters, responseModels })));
  }

  async updateMethodResponse(a: MethodAddress & { statusCode: string }, patchOperations: PatchOperation[]): Promise<Doc> {
    return strip(await this.send(new this.sdk.UpdateMethodResponseCommand({ ...a, patchOperations: sdkOps(patchOperations) })));
  }

  async deleteMethodResponse(a: MethodAddress & { statusCode: string }): Promise<void> {
    await this.send(new this.sdk.DeleteMethodResponseCommand(a));
  }

  /** One resource with all its methods (embed=methods): one read for a plan over a resource's methods (CORS). */
  async getResourceWithMethods(restApiId: string, resourceId: string): Promise<Doc> {
    return strip(await this.send(new this.sdk.GetResourceCommand({ restApiId, resourceId, embed: ['methods'] })));
  }

  async createDeployment(restApiId: string, stageName: string, description?: string): Promise<Doc> {
    return strip(await this.send(new this.sdk.CreateDeploymentCommand({ restApiId, stageName, ...(description ? { description } : {}) })));
  }

  async getStages(restApiId: string): Promise<Doc[]> {
    return (await this.send(new this.sdk.GetStagesCommand({ restApiId }))).item ?? [];
  }

  async getStage(restApiId: string, stageName: string): Promise<Doc> {
    return strip(await this.send(new this.sdk.GetStageCommand({ restApiId, stageName })));
  }

  async updateStage(restApiId: string, stageName: string, patchOperations: PatchOperation[]): Promise<Doc> {
    return strip(await this.send(new this.sdk.UpdateStageCommand({ restApiId, stageName, patchOperations: sdkOps(patchOperations) })));
  }

  /** What a stage serves: its deployment exported as OpenAPI 3.0 JSON with the integration extensions. */
  async getExport(restApiId: string, stageName: string, exportType: 'oas30' | 'swagger' = 'oas30'): Promise<Doc> {
    const out = await this.send(new this.sdk.GetExportCommand({ restApiId, stageName, exportType, parameters: { extensions: 'integrations' }, accepts: 'application/json' }));
    return JSON.parse(new TextDecoder().decode(out.body));
  }

  async getDeployment(restApiId: string, deploymentId: string, embedApiSummary = false): Promise<Doc> {
    return strip(await this.send(new this.sdk.GetDeploymentCommand({ restApiId, deploymentId, ...(embedApiSummary ? { embed: ['apisummary'] } : {}) })));
  }

  async listDeployments(restApiId: string): Promise<Doc[]> {
    const items: Doc[] = [];
    for await (const page of this.sdk.paginateGetDeployments({ client: this.client, pageSize: 500, withCommand: (c) => this.tag(c) }, { restApiId })) items.push(...(page.items ?? []));
    return items;
  }
}
