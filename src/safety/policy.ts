// Who must agree to a change: the confirmation policy and what to do when the client cannot ask a human.
import { z } from 'zod';
import { RISK_ORDER, type RiskLevel } from '../patch/rules.js';

export const ConfirmPolicy = z.enum(['risky', 'always', 'never']);
export const ConfirmFallback = z.enum(['page', 'token', 'deny']);
export type ConfirmPolicy = z.infer<typeof ConfirmPolicy>;
export type ConfirmFallback = z.infer<typeof ConfirmFallback>;

/** risky: only `confirm`-level changes ask; always: every write asks; never: nobody is asked (warned at start). */
export function needsHuman(level: RiskLevel, policy: ConfirmPolicy): boolean {
  if (policy === 'never') return false;
  if (policy === 'always') return true;
  return RISK_ORDER.indexOf(level) >= RISK_ORDER.indexOf('confirm');
}
