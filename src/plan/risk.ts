// How risky a step is: an update by its ops (the rules table), a put by what its document changes plus what creating
// or replacing that kind of resource means, a delete by what removing it means. The plan's risk is its highest step's.
import { opsBetween } from '../patch/inverse.js';
import { maxRisk, riskOf, type Resource, type RiskLevel } from '../patch/rules.js';
import { matchRule } from '../patch/validate.js';
import { matchStageRule, stageOpRisk } from '../patch/stageRules.js';
import type { Doc } from '../patch/values.js';
import { headingOf, type Action, type Step } from './step.js';

type Base = (before: Doc | undefined, after: Doc | undefined) => { risk: RiskLevel; reason: string } | undefined;

/** Creating, replacing and deleting whole resources, per kind (updates are rated op by op). */
const WHOLE: Partial<Record<`${Resource}:${Exclude<Action, 'update'>}`, Base>> = {
  'method:put': () => ({ risk: 'review', reason: 'adds an OPTIONS method that answers without authorization (a CORS preflight)' }),
  'method:delete': () => ({ risk: 'review', reason: 'removes the method: callers of it get 403' }),
  'methodResponse:delete': () => ({ risk: 'review', reason: 'removes a method response' }),
  'integration:put': (before, after) =>
    after?.type === 'MOCK' && !before
      ? { risk: 'review', reason: 'adds a MOCK integration, which answers without any backend' }
      : { risk: 'confirm', reason: before ? `replaces the whole integration (${before.type} -> ${after?.type}): a new backend` : `creates a ${after?.type} integration: a new backend` },
  'integration:delete': (before) =>
    before?.type === 'MOCK' ? { risk: 'review', reason: 'removes a MOCK integration (no backend is involved)' } : { risk: 'confirm', reason: 'removes the integration: calls to the method then fail' },
  'integrationResponse:delete': () => ({ risk: 'review', reason: 'removes a response mapping' }),
};

/** A reason as the human reads it after "needs your approval because": "it points the method at ...". */
const plain = (reason: string) => `it ${reason.replace(/^true /, '')}`;

export function stepRisk(step: Step, before: Doc | undefined, after: Doc | undefined): { risk: RiskLevel; reasons: string[]; plain: string[] } {
  const where = headingOf(step.resource, step.address);
  const rated: { risk: RiskLevel; reason: string; plain: string }[] = [];
  if (step.action !== 'update') {
    const base = WHOLE[`${step.resource}:${step.action}`]?.(before, after);
    if (base) rated.push({ risk: base.risk, reason: `${base.risk}: ${step.action} ${where}: ${base.reason}`, plain: plain(base.reason) });
  }
  // A put is rated by what it changes too (a document that turns TLS verification off is as risky as the op): what
  // its document sets on a new resource (not the defaults AWS fills in), what it changes on an existing one. A
  // Method is created only as a CORS preflight (checked), which its own row rates.
  const put = step.action === 'put' && step.resource !== 'method' ? opsBetween(step.resource, before ?? {}, before ? (after ?? {}) : (step.document ?? {})).ops : [];
  const ops = step.action === 'update' ? (step.ops ?? []) : put;
  for (const op of ops) {
    if (step.resource === 'stage') {
      const m = matchStageRule(op.path);
      const risk = m ? stageOpRisk(m, op) : 'review';
      if (m && risk !== 'safe') rated.push({ risk, reason: `${risk}: ${op.op} ${op.path} (${where}): ${m.rule.reason}`, plain: plain(m.rule.reason) });
      continue;
    }
    const match = matchRule(step.resource, op.path);
    if (!match) continue;
    const { risk, reason } = riskOf(match.rule, op, match.key);
    if (risk !== 'safe') rated.push({ risk, reason: `${risk}: ${op.op} ${op.path} (${where}): ${reason}`, plain: plain(reason) });
  }
  const risk = maxRisk(rated.map((r) => r.risk));
  // The human is asked because of the riskiest parts; those are the reasons they read.
  return { risk, reasons: rated.map((r) => r.reason), plain: [...new Set(rated.filter((r) => r.risk === risk).map((r) => r.plain))] };
}
