// Asks the Confirmer about a plan: the human's view, bound to the whole plan (`binding`: every step and every
// document read) and identified across states by `change` (the same steps previewed against another state).
import type { CallInfo, Verdict } from '../safety/confirm.js';
import type { HumanView } from '../safety/view.js';
import type { WriteContext } from './context.js';

export function ask(ctx: WriteContext, call: CallInfo, binding: string, change: string, view: HumanView): Promise<Verdict> {
  return ctx.confirmer.decide({ binding, change, view: { ...view, ...(call.client?.name !== undefined ? { client: call.client.name } : {}) } }, call);
}
