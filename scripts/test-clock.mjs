#!/usr/bin/env node
// Proof that the suite does not depend on today's date: runs the unit suite (everything but the
// browser tests) with the process clock moved years forward and years back. test/clock/shift.mjs
// is loaded into every Node process of the run through NODE_OPTIONS (vitest, its workers, and the
// CLI processes the tests start); test/clock.test.ts checks that the shift took effect.
//
// In `npm test` each shift runs half of the test files (vitest --shard), and the halves swap every
// UTC day, so every file meets both shifts on two consecutive days for the cost of one suite (the
// CI budget on two cores); `npm run test:clock -- --full` runs the whole suite under each shift.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shiftModule = path.join(root, 'test/clock/shift.mjs');
// About eight years ahead and three years back: past the test certificates' three-year life and
// before the dates any fixture was written on.
const args = process.argv.slice(2);
const full = args.includes('--full');
const shifts = (args.filter((a) => a !== '--full').length ? args.filter((a) => a !== '--full') : ['2900', '-1100']).map(Number);
// Which half each shift runs today (the halves swap every UTC day).
const day = Math.floor(Date.now() / 86400e3);

for (const [i, days] of shifts.entries()) {
  const expectYear = new Date(Date.now() + days * 86400e3).getUTCFullYear();
  console.log(`== unit suite with the clock moved ${days > 0 ? '+' : ''}${days} days (to ${expectYear})`);
  const env = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(shiftModule)}`.trim(),
    SAMLSCOPE_CLOCK_SHIFT_DAYS: String(days),
    SAMLSCOPE_CLOCK_EXPECT_YEAR: String(expectYear),
  };
  const shard = full || shifts.length !== 2 ? [] : [`--shard=${((i + day) % 2) + 1}/2`];
  if (shard.length) console.log(`   (test files ${shard[0].slice(8)}; the other half runs with the other shift, and the halves swap tomorrow)`);
  const run = (extra) => spawnSync('npx', ['vitest', 'run', '--exclude', 'test/e2e/**', ...extra], { cwd: root, stdio: 'inherit', env });
  // The shift itself is checked in every run, whichever half holds test/clock.test.ts.
  const r = shard.length ? (run(['test/clock.test.ts']).status === 0 ? run(shard) : { status: 1 }) : run([]);
  if (r.status !== 0) {
    console.error(`The unit suite failed with the clock moved ${days} days: a test depends on today's date.`);
    process.exit(r.status ?? 1);
  }
}
