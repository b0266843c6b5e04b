// The rules table as Markdown, for the README (a test keeps the two equal) and for anyone who asks.
import { RULES, type PatchRule } from './rules.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

function riskText(r: PatchRule): string {
  const byValue = Object.entries(r.riskByValue ?? {}).map(([v, l]) => `${l} when ${v}`);
  return byValue.length ? `${byValue.join(', ')}, else ${r.risk}` : r.risk;
}

export function renderRulesTable(): string {
  const rows = RULES.map(
    (r) =>
      `| ${r.resource === 'integration' ? 'Integration' : 'IntegrationResponse'} | \`${r.path}\` | ${r.ops.join(', ')} | ${cell(r.value)}${r.types ? ` (${r.types.join(', ')} only)` : ''} | ${riskText(r)}: ${cell(r.reason)} |`,
  );
  return ['| resource | path | ops | value | risk |', '|---|---|---|---|---|', ...rows].join('\n');
}
