// Mutation testing (issue 17, "Tests that would notice"): `npm run mutate` over the core, or one
// part of it: `npm run mutate -- --mutate "lib/decode/**/*.ts"`. Slow on a shared two-core machine,
// so it is not part of `npm test`; concurrency stays at 1 unless STRYKER_CONCURRENCY says otherwise.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // With STRYKER_TESTS the chosen test files run as they are; otherwise vitest picks the tests
  // related to each mutated file.
  vitest: { configFile: 'vitest.stryker.config.ts', related: !process.env.STRYKER_TESTS },
  coverageAnalysis: 'perTest',
  mutate: ['lib/checks/**/*.ts', 'lib/flow/**/*.ts', 'lib/signature/**/*.ts', 'lib/decode/**/*.ts', 'lib/evidence/redact.ts'],
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 30,
  ignoreStatic: true,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
