#!/usr/bin/env node
// Proof that the suite does not depend on today's date: runs the unit suite (everything but the
// browser tests) with the process clock moved years forward, then years back. test/clock/shift.mjs
// is loaded into every Node process of the run through NODE_OPTIONS (vitest, its workers, and the
// CLI processes the tests start); test/clock.test.ts checks that the shift took effect.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shiftModule = path.join(root, 'test/clock/shift.mjs');
// About eight years ahead and three years back: past the test certificates' three-year life and
// before the dates any fixture was written on.
const shifts = (process.argv[2] ? process.argv.slice(2) : ['2900', '-1100']).map(Number);

for (const days of shifts) {
  const expectYear = new Date(Date.now() + days * 86400e3).getUTCFullYear();
  console.log(`== unit suite with the clock moved ${days > 0 ? '+' : ''}${days} days (to ${expectYear})`);
  const r = spawnSync('npx', ['vitest', 'run', '--exclude', 'test/e2e/**'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(shiftModule)}`.trim(),
      SAMLSCOPE_CLOCK_SHIFT_DAYS: String(days),
      SAMLSCOPE_CLOCK_EXPECT_YEAR: String(expectYear),
    },
  });
  if (r.status !== 0) {
    console.error(`The unit suite failed with the clock moved ${days} days: a test depends on today's date.`);
    process.exit(r.status ?? 1);
  }
}
