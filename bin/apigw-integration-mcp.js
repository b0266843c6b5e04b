#!/usr/bin/env node
// Entry point: runs the bundle (dist/cli.js and its lazy chunks), which `npm run build` writes and the published
// package ships, so `npx apigw-integration-mcp` needs no build step and no dependencies.
import module from 'node:module';

// Node >= 22.1 keeps V8's compiled code for the bundle between starts (in the OS temp folder): a faster start
// from the second run on. Not in Node 20, where this does nothing.
module.enableCompileCache?.();

import('../dist/cli.js').then(
  (cli) => cli.main(),
  (err) => {
    process.stderr.write(`apigw-integration-mcp: cannot load dist/cli.js (${err.code ?? err.message}); run "npm run build" first\n`);
    process.exit(1);
  },
);
