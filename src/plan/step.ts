// A change plan's unit: one AWS write on one resource, with the names a person reads it by.
import type { PatchOperation, Resource } from '../patch/rules.js';
import type { Doc } from '../patch/values.js';

/** Where a resource lives: its method, and a status code for method and integration responses. */
export interface Address {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
  statusCode?: string;
  /** A stage (its writes are UpdateStage; resourceId and httpMethod are then unused). */
  stageName?: string;
  /** Names, where known (for people; never used to address AWS). */
  resourcePath?: string;
  apiName?: string;
}

export type Action = 'put' | 'update' | 'delete';

export interface Step {
  resource: Resource;
  address: Address;
  action: Action;
  /** update: the ops, minimal against the state the step starts from. */
  ops?: PatchOperation[];
  /** put: the whole document sent. */
  document?: Doc;
  /** Server words for a step the agent did not ask for but the change needs ("declares ... (a mapping uses it)"). */
  because?: string;
}

/** A step checked against the state it starts from: the resource before and after it, and its risk. */
export interface CheckedStep extends Step {
  before?: Doc;
  after?: Doc;
  risk: import('../patch/rules.js').RiskLevel;
  /** Why the step is not safe, one line per op or document, in server words. */
  reasons: string[];
  /** The same for a person, plainly ("it points the method at a different backend"), its riskiest parts only. */
  plain: string[];
}

export const methodKey = (a: Pick<Address, 'restApiId' | 'resourceId' | 'httpMethod' | 'stageName'>) =>
  a.stageName !== undefined ? `${a.restApiId}/stage/${a.stageName}` : `${a.restApiId}/${a.resourceId}/${a.httpMethod}`;
export const resourceKey = (resource: Resource, a: Address) => `${resource}:${methodKey(a)}${a.statusCode ? `/${a.statusCode}` : ''}`;

/** "GET /orders/{id}" (or the resource id when the path is not known). */
export const methodName = (a: Address) => `${a.httpMethod} ${a.resourcePath ?? `resource ${a.resourceId}`}`;

const TITLES: Record<Resource, (a: Address) => string> = {
  method: (a) => `Method ${methodName(a)}`,
  methodResponse: (a) => `Method response ${a.statusCode} of ${methodName(a)}`,
  integration: (a) => `Integration of ${methodName(a)}`,
  integrationResponse: (a) => `Integration response ${a.statusCode} of ${methodName(a)}`,
  stage: (a) => `Stage ${a.stageName}`,
};

/** Server words naming a resource: "Integration response 404 of GET /orders/{id}". */
export const headingOf = (resource: Resource, a: Address) => TITLES[resource](a);

/** A step in one line for people and logs: "update Integration of GET /orders: replace /timeoutInMillis = "12000"". */
export function describeStep(s: Step): string {
  const what = s.action === 'update' ? `: ${(s.ops ?? []).map((o) => `${o.op} ${o.path}${o.value !== undefined ? ` = ${JSON.stringify(o.value.length > 80 ? o.value.slice(0, 80) + '…' : o.value)}` : ''}`).join('; ')}` : '';
  return `${s.action} ${headingOf(s.resource, s.address)}${what}`;
}
