// The README's rules table is generated from the rules table; this keeps the two from drifting apart.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderRulesTable } from '../src/patch/rulesDoc.js';
import { RULES } from '../src/patch/rules.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

it('shows the rules table exactly as src/patch/rules.ts has it (npm run docs:rules rewrites it)', () => {
  const section = readme.match(/<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/)?.[1];
  expect(section).toBe(renderRulesTable());
  for (const r of RULES) expect(section).toContain(`\`${r.path}\``);
});

it('gives the two quick-start commands in order', () => {
  const quick = readme.match(/## Quick start\n+```sh\n([\s\S]*?)```/)?.[1].trim().split('\n');
  expect(quick).toEqual(['npm install && npm start', 'npm test']);
});
