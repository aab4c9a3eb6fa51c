// Mutation testing (issue 17, "Tests that would notice"): `npm run mutate` over the core, or one
// part of it: `npm run mutate -- --mutate "lib/decode/**/*.ts"`. Slow on a shared two-core machine,
// so it is not part of `npm test`; concurrency stays at 1 unless STRYKER_CONCURRENCY says otherwise.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // The test files are the fast unit tests listed in vitest.stryker.config.ts; per-test coverage
  // picks, for each mutant, the tests that ran its code. (vitest's `related` is off: it would
  // re-walk every test file's imports on each mutant run and adds nothing to per-test coverage.)
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: ['lib/checks/**/*.ts', 'lib/flow/**/*.ts', 'lib/signature/**/*.ts', 'lib/decode/**/*.ts', 'lib/evidence/redact.ts'],
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  reporters: ['clear-text', 'progress', 'json'],
  // STRYKER_PART names the report (and the sandbox folder), so parts can be scored one by one.
  jsonReporter: { fileName: `reports/mutation/${process.env.STRYKER_PART ?? 'mutation'}.json` },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 10000,
  dryRunTimeoutMinutes: 30,
  ignoreStatic: true,
  tempDirName: `.stryker-tmp/${process.env.STRYKER_PART ?? 'all'}`,
  // Another part's sandbox (a run side by side) and the reports are no source to copy.
  ignorePatterns: ['/.stryker-tmp', '/reports'],
  cleanTempDir: 'always',
};
