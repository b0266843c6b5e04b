import { readFileSync } from 'node:fs';

// Read once from package.json so --version, the MCP serverInfo and the user agent never disagree.
// This file runs from src/ (tests) and from dist/src/ (built), so look one and two levels up.
function readPackage(): { name: string; version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (pkg.name === 'apigw-integration-mcp') return pkg;
    } catch {
      // not at this level
    }
  }
  return { name: 'apigw-integration-mcp', version: '0.0.0' };
}

const pkg = readPackage();
export const NAME = pkg.name;
export const VERSION = pkg.version;
