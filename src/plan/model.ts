// The state a plan works on: the Method documents it read (GetMethod carries a method, its responses, its
// integration and the integration's responses), changed locally step by step to preview and check the plan.
import type { Doc } from '../patch/values.js';
import { kindOf } from './kinds/index.js';
import { methodKey, type Address } from './step.js';
import type { Resource } from '../patch/rules.js';

export class Model {
  private readonly docs = new Map<string, Doc | undefined>();
  /** The addresses (with names) of the methods read, in reading order. */
  readonly addresses: Address[] = [];

  /** Records a method as read (undefined: it does not exist). */
  add(a: Address, method: Doc | undefined): void {
    if (!this.docs.has(methodKey(a)))
      this.addresses.push({
        restApiId: a.restApiId,
        resourceId: a.resourceId,
        httpMethod: a.httpMethod,
        ...(a.stageName !== undefined && { stageName: a.stageName }),
        ...(a.resourcePath && { resourcePath: a.resourcePath }),
        ...(a.apiName && { apiName: a.apiName }),
      });
    this.docs.set(methodKey(a), method);
  }

  /** Adds names (for people) to a method read. */
  name(a: Address, names: { resourcePath?: string; apiName?: string }): void {
    const i = this.addresses.findIndex((x) => methodKey(x) === methodKey(a));
    if (i >= 0) this.addresses[i] = { ...this.addresses[i], ...Object.fromEntries(Object.entries(names).filter(([, v]) => v)) };
  }

  has(a: Address): boolean {
    return this.docs.has(methodKey(a));
  }

  method(a: Address): Doc | undefined {
    if (!this.docs.has(methodKey(a))) throw new Error(`plan bug: method ${methodKey(a)} was not read`);
    return this.docs.get(methodKey(a));
  }

  set(a: Address, method: Doc | undefined): void {
    this.docs.set(methodKey(a), method);
  }

  /** One resource as the model holds it. */
  read(resource: Resource, a: Address): Doc | undefined {
    return kindOf(resource).read(this.method(a), a);
  }

  /** Every method document read, by key: what a confirmation is bound to. */
  snapshot(): Record<string, Doc | null> {
    return Object.fromEntries([...this.docs].map(([k, v]) => [k, v ?? null]));
  }

  clone(): Model {
    const m = new Model();
    for (const a of this.addresses) m.add(a, structuredClone(this.docs.get(methodKey(a))));
    return m;
  }
}
