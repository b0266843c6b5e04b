#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it: see the "prepare" script).
import('../dist/src/cli.js').then(
  (cli) => cli.main(),
  (err) => {
    process.stderr.write(`apigw-integration-mcp: cannot load dist/src/cli.js (${err.code ?? err.message}); run "npm run build" first\n`);
    process.exit(1);
  },
);
