// `npm run fuzz:hostile [-- --inputs 100000 --seed 1 --seconds 3600 --slack 5]`: hostile inputs
// through analyze, the reports and every export format and redaction mode (test/fuzz/hostile.ts).
// Exits 1 when an input threw, was too slow for its size, or left a planted name in an export.
import { mkdirSync, writeFileSync } from 'node:fs';
import { runFuzz, type FuzzStats } from '../test/fuzz/hostile.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const inputs = arg('inputs', 100_000);
const seed = arg('seed', Date.now() % 100_000);
const seconds = arg('seconds', Infinity);
const slack = arg('slack', 5);
const dumpAt = process.argv.indexOf('--dump');
const dump = dumpAt >= 0 ? process.argv[dumpAt + 1] : undefined;
let dumped = 0;
console.log(`fuzz:hostile — ${inputs} inputs, seed ${seed}, time limit ${slack}× the targets (100 ms per 100 KB … 1 s per 2 MB)`);
let lastPrint = 0;
const line = (s: FuzzStats) =>
  `${s.inputs} inputs, ${s.exports} exports, ${s.reports} reports, ${s.failures.length} failures, ${s.retimed} timed twice; slowest analyze ${s.worstAnalyze.ms.toFixed(1)} ms for ${s.worstAnalyze.chars} chars (${s.worstAnalyze.kind}); slowest export ${s.worstExport.ms.toFixed(1)} ms for ${s.worstExport.chars} chars`;
const stats = runFuzz({
  inputs,
  seed,
  slack,
  ...(Number.isFinite(seconds) ? { seconds } : {}),
  onFailure: (input, what, key) => {
    if (!dump || dumped >= 20) return;
    mkdirSync(dump, { recursive: true });
    writeFileSync(`${dump}/failure-${++dumped}.json`, JSON.stringify({ what, key, input }, null, 1));
  },
  onProgress: (s) => {
    if (Date.now() - lastPrint > 10_000) {
      lastPrint = Date.now();
      console.log(`  ${line(s)}`);
    }
  },
});
console.log(`done in ${stats.seconds.toFixed(0)} s: ${line(stats)}`);
for (const f of stats.failures) console.log(`FAIL input ${f.index} (${f.kind}): ${f.what}: ${f.detail}`);
if (stats.inputs < inputs) console.log(`note: stopped at the time limit after ${stats.inputs} of ${inputs} inputs`);
process.exitCode = stats.failures.length ? 1 : 0;
