// The rules table as Markdown, for the README (a test keeps the two equal) and for anyone who asks.
import { RESOURCE_TITLES, RULES, type PatchRule } from './rules.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

function riskText(r: PatchRule): string {
  const byValue = Object.entries(r.riskByValue ?? {}).map(([v, l]) => `${l} when ${v}`);
  const byEntry = r.riskByEntry ? ['confirm for a fixed Host, Authorization, X-Api-Key, Cookie or X-Forwarded-* header'] : [];
  const special = [...byValue, ...byEntry];
  return special.length ? `${special.join(', ')}, else ${r.risk}` : r.risk;
}

export function renderRulesTable(): string {
  const rows = RULES.map(
    (r) =>
      `| ${RESOURCE_TITLES[r.resource]} | \`${r.path}\` | ${r.ops.join(', ')} | ${cell(r.value)}${r.types ? ` (${r.types.join(', ')} only)` : ''} | ${riskText(r)}: ${cell(r.reason)}${r.notByServer ? ' (emulator only: this server never sends it)' : ''} |`,
  );
  return ['| resource | path | ops | value | risk |', '|---|---|---|---|---|', ...rows].join('\n');
}
