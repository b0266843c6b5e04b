// Mutation testing (`npm run test:mutation`; not part of `npm test` or CI). The whole scope is about 5,400 mutants
// (hours on 2 cores); `npx stryker run --mutate <file>` runs a part.
// One deliberate bug at a time in the modules below, then the tests of vitest.mutation.config.ts that cover it.
// @ts-check
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Only the tests that reach a mutant run for it.
  coverageAnalysis: 'perTest',
  // 2 shared cores: one test process at a time.
  concurrency: 1,
  mutate: [
    'src/patch/**/*.ts',
    'src/safety/**/*.ts',
    // The change-plan engine (the write pipeline).
    'src/plan/**/*.ts',
    // Text only: the README's rules table and the rows' descriptions are checked by readme.test.ts, not by behaviour.
    '!src/patch/rulesDoc.ts',
  ],
  // A mutant in code that runs only at module load (constants) would need a full reload per mutant: skipped.
  ignoreStatic: true,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
