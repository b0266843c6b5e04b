// What differs per resource kind: where the resource sits in its Method's document (GetMethod carries all four),
// what a put stores, how a put document is checked, and the AWS call of each step. One module per kind.
import type { Gateway } from '../../aws/gateway.js';
import type { Resource } from '../../patch/rules.js';
import type { Doc, Problem, RuleEnv } from '../../patch/values.js';
import type { Action, Address, Step } from '../step.js';

export interface Kind {
  resource: Resource;
  /** The resource in its Method's document (undefined: it does not exist). */
  read(method: Doc | undefined, a: Address): Doc | undefined;
  /** The Method's document with the resource set to `doc` by `action` (undefined: removed). */
  write(method: Doc | undefined, a: Address, doc: Doc | undefined, action: Action): Doc | undefined;
  /** What API Gateway stores for a put of `document` (its defaults filled in). */
  stored(document: Doc, a: Address): Doc;
  /** The document a put sends to bring back `doc` (undoing a delete or a replace). */
  document(doc: Doc): Doc;
  /** A put document's problem against the state (rule context from the Method), if any. */
  checkPut(document: Doc, env: RuleEnv): Problem | undefined;
  /** Rule context from the Method: declared parameters, the parent integration, the method response. */
  env(method: Doc | undefined, a: Address): Omit<RuleEnv, 'maxTimeoutMs'>;
  /** What is compared to tell whether a resource is as expected (a stage's cache status and dates move by themselves). */
  comparable?(doc: Doc | undefined): Doc | undefined;
  /** The AWS write; the resource as AWS answers it (undefined for a delete). */
  send(gateway: Gateway, step: Step): Promise<Doc | undefined>;
}

/** The address fields the SDK takes for a method. */
export const at = (a: Address) => ({ restApiId: a.restApiId, resourceId: a.resourceId, httpMethod: a.httpMethod });
export const atStatus = (a: Address) => ({ ...at(a), statusCode: a.statusCode! });

/** A map entry set or removed, keeping other entries; an emptied map is dropped, as AWS omits empty maps. */
export function withEntry(parent: Doc, field: string, key: string, value: Doc | undefined): Doc {
  const map = { ...(parent[field] ?? {}) };
  if (value === undefined) delete map[key];
  else Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  const { [field]: _, ...rest } = parent;
  return Object.keys(map).length ? { ...rest, [field]: map } : rest;
}
