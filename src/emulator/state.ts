// The emulator's state: plain JSON (so the store can write it to a file as is) plus the look-ups every
// operation needs, each failing with the text AWS sends for that miss (apigw-spec.md §4).
import { randomBytes } from 'node:crypto';
import { notFound } from './errors.js';

export type Doc = Record<string, any>;

export interface ResourceDoc {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  /** verb -> Method, the Method holding its `methodResponses` and `methodIntegration` as GetMethod returns them. */
  resourceMethods?: Record<string, Doc>;
}

export interface DeploymentRecord {
  /** The Deployment as the API returns it. */
  deployment: Doc;
  /** A deep copy of the resources (with methods and integrations) when deployed: what the stage serves. */
  snapshot: Record<string, ResourceDoc>;
}

export interface ApiRecord {
  /** The RestApi as the API returns it. */
  api: Doc;
  resources: Record<string, ResourceDoc>;
  deployments: Record<string, DeploymentRecord>;
  stages: Record<string, Doc>;
}

export interface State {
  version: 1;
  apis: Record<string, ApiRecord>;
}

/** What operations need to know about the emulated account. */
export interface Context {
  accountId: string;
  region: string;
}

export const emptyState = (): State => ({ version: 1, apis: {} });

export const nowSeconds = () => Math.floor(Date.now() / 1000);

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id of [a-z0-9] like AWS's (rest APIs 10 chars, resources and deployments 6). */
export function newId(length: number, taken: Record<string, unknown> = {}): string {
  for (;;) {
    const id = [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    // An all-digit key would jump ahead in a JS object's key order, and lists are served in insertion order.
    if (!(id in taken) && !/^\d+$/.test(id)) return id;
  }
}

export const has = (o: object | undefined, key: string) => o != null && Object.prototype.hasOwnProperty.call(o, key);

/** APIs addressed as a whole (GetRestApi, GetResources, deployments) name the account in the miss. */
export function apiOr404(state: State, ctx: Context, restApiId: string): ApiRecord {
  if (!has(state.apis, restApiId)) throw notFound(`Invalid API identifier specified ${ctx.accountId}:${restApiId}`);
  return state.apis[restApiId];
}

/** An unknown API under a resource path is reported as an unknown resource, as AWS does. */
export function resourceOr404(state: State, restApiId: string, resourceId: string): ResourceDoc {
  const api = has(state.apis, restApiId) ? state.apis[restApiId] : undefined;
  if (!api || !has(api.resources, resourceId)) throw notFound('Invalid Resource identifier specified');
  return api.resources[resourceId];
}

export function methodOr404(resource: ResourceDoc, verb: string, message = 'Invalid Method identifier specified'): Doc {
  if (!has(resource.resourceMethods, verb)) throw notFound(message);
  return resource.resourceMethods![verb];
}

export function integrationOr404(method: Doc): Doc {
  if (!method.methodIntegration) throw notFound('Invalid Integration identifier specified');
  return method.methodIntegration;
}

export function integrationResponseOr404(integration: Doc, statusCode: string): Doc {
  if (!has(integration.integrationResponses, statusCode)) throw notFound('Invalid Response status code specified');
  return integration.integrationResponses[statusCode];
}

/** Sets a map entry, creating the map; removing the last entry drops the map, as AWS omits empty ones. */
export function setEntry(parent: Doc, field: string, key: string, value: unknown): void {
  parent[field] ??= {};
  Object.defineProperty(parent[field], key, { value, enumerable: true, writable: true, configurable: true });
}

export function deleteEntry(parent: Doc, field: string, key: string): void {
  if (!parent[field]) return;
  delete parent[field][key];
  if (Object.keys(parent[field]).length === 0) delete parent[field];
}
