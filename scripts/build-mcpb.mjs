// Builds apigw-integration-mcp.mcpb, the Claude Desktop bundle (`npm run mcpb`, after `npm run build`).
//
// The bundle is a zip of mcpb/manifest.json (its version set from package.json), bin/, dist/ and a package.json of
// four fields: "type": "module" so Node loads bin/ and dist/ as ES modules wherever the host unpacks them, and the
// name and version the server reports. dist/ bundles every dependency, so there is no node_modules.
//
//   node scripts/build-mcpb.mjs              write apigw-integration-mcp.mcpb in the project folder
//   node scripts/build-mcpb.mjs --out=FILE   write it elsewhere
import { packExtension } from '@anthropic-ai/mcpb';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(root, 'apigw-integration-mcp.mcpb'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  process.stderr.write('build-mcpb: dist/cli.js is missing; run "npm run build" first\n');
  process.exit(1);
}

// Staged under node_modules/.cache, so a failed run leaves nothing git would see.
const stage = join(root, 'node_modules', '.cache', 'apigw-mcpb', `stage-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
try {
  const manifest = JSON.parse(readFileSync(join(root, 'mcpb', 'manifest.json'), 'utf8'));
  writeFileSync(join(stage, 'manifest.json'), JSON.stringify({ ...manifest, version: pkg.version }, null, 2) + '\n');
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', license: pkg.license }, null, 2) + '\n');
  cpSync(join(root, 'bin'), join(stage, 'bin'), { recursive: true });
  // What the npm package ships of dist/ (its `files`): the entry, the chunks and the bundled packages' licenses.
  mkdirSync(join(stage, 'dist'));
  for (const name of ['cli.js', 'chunks', 'THIRD_PARTY_LICENSES.txt'])
    if (existsSync(join(root, 'dist', name))) cpSync(join(root, 'dist', name), join(stage, 'dist', name), { recursive: true });
  // packExtension validates the manifest first and refuses to pack an invalid one.
  if (!(await packExtension({ extensionPath: stage, outputPath: out, silent: true }))) {
    process.stderr.write('build-mcpb: mcpb pack failed (run "npx mcpb validate mcpb/manifest.json" for the reason)\n');
    process.exitCode = 1;
  } else process.stderr.write(`built ${relative(process.cwd(), out) || out} (${pkg.name} ${pkg.version})\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
