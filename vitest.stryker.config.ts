// The unit tests Stryker runs against each mutant (npm run mutate): everything but the browser
// tests (they need a build of the unmutated code) and the long fuzz runs (their short forms are
// in the normal suite; per-test coverage would make every decode mutant pay for them).
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      // STRYKER_TESTS (comma-separated files) narrows the run to the tests that cover one part,
      // e.g. the redaction tests for lib/evidence/redact.ts: far faster on a shared machine.
      ...(process.env.STRYKER_TESTS ? { include: process.env.STRYKER_TESTS.split(',') } : {}),
      exclude: ['test/e2e/**', 'test/fuzz-hostile.test.ts', 'test/xml-differential.test.ts', '**/node_modules/**'],
      // Wall-clock limits in a few unit tests do not hold for instrumented code on a loaded
      // machine; speed is bench/'s business, so those tests are left out of mutation runs.
      testNamePattern: /^(?!.*(?:quickly|in under \d+ ?ms|exports quickly))/,
    },
  }),
);
