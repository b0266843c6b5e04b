// Asks the Confirmer about a plan: the human's view, bound to the whole plan (`binding`) and identified across
// states by `change` (the same change previewed against another state).
import type { CallInfo, Verdict } from '../safety/confirm.js';
import type { HumanView } from '../safety/view.js';
import type { WriteContext } from './context.js';
import { methodName, type Address, type CheckedStep } from './step.js';

export function ask(ctx: WriteContext, call: CallInfo, binding: string, _change: string, view: HumanView, checked: readonly CheckedStep[], subject: Address): Promise<Verdict> {
  // The Confirmer still takes the first round's view: its title, where, the diff and the ops.
  const one = view.groups.length === 1;
  const diff = view.groups.flatMap((g) => g.changes.map((c) => ({ path: one ? c.setting : `${g.heading}: ${c.setting}`, ...('value' in c.before ? { before: c.before.value } : {}), ...('value' in c.after ? { after: c.after.value } : {}) })));
  const ops = checked.flatMap((c) => (c.action === 'update' ? (c.ops ?? []) : [{ op: c.action, path: c.resource }]));
  const where = `${methodName(subject)} of API ${view.api.name ? `${view.api.name} (${view.api.id})` : view.api.id}${subject.statusCode ? `, integration response ${subject.statusCode}` : ''}${view.notes?.length ? `; ${view.notes.join('; ')}` : ''}`;
  return ctx.confirmer.decide({ binding, view: { title: view.title, where, backend: view.backend, risk: view.risk, reasons: view.reasons, diff, ops } }, call);
}
