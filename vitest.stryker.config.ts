// The unit tests Stryker runs against each mutant (npm run mutate). Only fast unit tests of the
// mutated core are listed: no browser tests (they need a build of the unmutated code), no fuzz,
// property or differential runs, no CLI child processes, no store/UI tests. Stryker's per-test
// coverage then runs, for each mutant, only the listed tests that executed its code.
//
// isolate: false puts every test file of one mutant run in one worker, so the module graph
// (lib/, the lab factory, xml-crypto, @peculiar/x509) is imported once per mutant instead of once
// per test file: that import, not the tests, was most of the ~13 s a mutant took. Vitest starts a
// fresh worker for each run, so module state (lib/signature's certificate and key caches) never
// carries from one mutant to the next.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const MUTATION_TESTS = [
  'test/checks/**/*.test.ts',
  'test/decode.test.ts',
  'test/decode-exact.test.ts',
  'test/decode-inflate.test.ts',
  'test/decode-params.test.ts',
  'test/flow.test.ts',
  'test/flow-portal.test.ts',
  'test/flow-shape.test.ts',
  'test/aws-causes.test.ts',
  'test/error-findings-text.test.ts',
  'test/flow-idp-words.test.ts',
  'test/signin-logs.test.ts',
  'test/signin-join.test.ts',
  'test/sessions.test.ts',
  'test/page-errors.test.ts',
  'test/page-errors-har.test.ts',
  'test/signature.test.ts',
  'test/signature-interop.test.ts',
  'test/signature-units.test.ts',
  'test/signature-verdicts.test.ts',
  'test/cert-der.test.ts',
  'test/c14n-differential.test.ts',
  'test/metadata.test.ts',
  'test/metadata-units.test.ts',
  'test/evidence/redact.test.ts',
  'test/evidence/redact-units.test.ts',
  'test/evidence/scripts.test.ts',
  'test/evidence/textscan.test.ts',
  'test/noticing.test.ts',
  'test/analyze.test.ts',
  'test/thirdparty.test.ts',
  'test/interop.test.ts',
  'test/har.test.ts',
  'test/diagnosis.test.ts',
  'test/linear-time.test.ts',
];

// The files whose tests take seconds, run last: a mutant stops at its first failing test, so the
// unit tests that kill it quickly should come first (vitest's default puts the slowest first).
const SLOW_LAST = [
  'test/evidence/redact.test.ts',
  'test/evidence/textscan.test.ts',
  'test/signature-interop.test.ts',
  'test/signature-units.test.ts',
  'test/sessions.test.ts',
  'test/evidence/scripts.test.ts',
];
class FastFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => SLOW_LAST.findIndex((s) => f.moduleId.endsWith(s));
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

// Not vitest.config.ts with changes: the core needs neither WXT's plugin (the fake browser it
// sets up for every test file, auto-imports) nor Preact's, and each costs start-up time per run.
export default defineConfig({
  test: {
    // STRYKER_TESTS (comma-separated files or globs) narrows the run further.
    include: process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(',') : MUTATION_TESTS,
    exclude: ['test/e2e/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Wall-clock limits (test/wall-clock.ts) do not hold for instrumented code.
    env: { SAMLSCOPE_MUTATION: '1' },
    isolate: false,
    fileParallelism: false,
    sequence: { sequencer: FastFirst },
  },
});
