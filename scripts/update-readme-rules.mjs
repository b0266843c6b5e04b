// Rewrites the rules table in README.md from src/patch/rules.ts (run `npm run build` first).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderRulesTable } from '../dist/src/patch/rulesDoc.js';

const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(/(<!-- rules:start -->)[\s\S]*?(<!-- rules:end -->)/, `$1\n${renderRulesTable()}\n$2`);
writeFileSync('README.md', next);
