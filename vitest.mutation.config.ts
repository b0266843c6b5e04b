// The fast tests that exercise src/patch, src/safety and the write pipeline, for `npm run test:mutation` (Stryker).
// The server runs in process from src/ (APIGW_TEST_IN_PROCESS, see test/harness.ts), so a mutant is what they test;
// the spawned-process, CLI, fuzz and soak tests stay in `npm test` only.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/patch.test.ts',
      'test/intents.test.ts',
      'test/confirm.test.ts',
      'test/safety-elicit.test.ts',
      'test/audit-log.test.ts',
      'test/emulator-patch.test.ts',
      'test/emulator-aws-recorded.test.ts',
      'test/write-outcomes.test.ts',
      'test/safety.test.ts',
      'test/approval-page-http.test.ts',
      'test/e2e-tools.test.ts',
      'test/faults.test.ts',
      'test/plans.test.ts',
      'test/plans-property.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', APIGW_TEST_IN_PROCESS: '1' },
  },
});
