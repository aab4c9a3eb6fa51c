// Mutation testing one part of the core at a time (issue 17): `npm run mutate:parts` scores
// lib/evidence/redact.ts, lib/decode, lib/signature, lib/checks and lib/flow one after the other,
// each into reports/mutation/<part>.json, then prints the score of each part and of all of them.
// `npm run mutate:parts -- decode signature` runs only those parts; `--summary` only prints the
// table from the reports already there. A part's report is written when its run ends, so a long
// session can be split across days. Runs niced; STRYKER_CONCURRENCY as for `npm run mutate`.
// Incremental: each part keeps reports/stryker-incremental-<part>.json, and a later run of that
// part tests again only the mutants whose code or covering tests changed (the signature part's
// second run retested 1,146 of 2,342); `--force` tests every mutant again.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const PARTS = {
  redact: 'lib/evidence/redact.ts',
  decode: 'lib/decode/**/*.ts',
  signature: 'lib/signature/**/*.ts',
  checks: 'lib/checks/**/*.ts',
  flow: 'lib/flow/**/*.ts',
};

const args = process.argv.slice(2);
const summaryOnly = args.includes('--summary');
const force = args.includes('--force');
const chosen = args.filter((a) => !a.startsWith('--'));
for (const p of chosen) {
  if (!(p in PARTS)) {
    console.error(`unknown part ${p}; the parts are ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
}
const parts = chosen.length ? chosen : Object.keys(PARTS);

if (!summaryOnly) {
  for (const part of parts) {
    const t0 = Date.now();
    const incremental = ['--incremental', '--incrementalFile', `reports/stryker-incremental-${part}.json`, ...(force ? ['--force'] : [])];
    const r = spawnSync('nice', ['-n', '15', 'npx', 'stryker', 'run', '--mutate', PARTS[part], ...incremental], {
      stdio: 'inherit',
      env: { ...process.env, STRYKER_PART: part },
    });
    console.log(`${part}: ${Math.round((Date.now() - t0) / 60000)} min`);
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

/** Stryker's score: detected (killed + timeout) over valid mutants (no ignored, no compile errors). */
const COLUMNS = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'RuntimeError', 'CompileError'];
const total = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
const rows = [];
for (const part of Object.keys(PARTS)) {
  const file = `reports/mutation/${part}.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const n = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
  for (const f of Object.values(report.files)) for (const m of f.mutants) n[m.status] = (n[m.status] ?? 0) + 1;
  for (const c of COLUMNS) total[c] += n[c];
  rows.push([part, n]);
}
const score = (n) => {
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  return valid ? ((100 * detected) / valid).toFixed(2) : '-';
};
console.log(['part', 'score %', ...COLUMNS].join('\t'));
for (const [part, n] of rows) console.log([part, score(n), ...COLUMNS.map((c) => n[c])].join('\t'));
if (rows.length > 1) console.log(['all', score(total), ...COLUMNS.map((c) => total[c])].join('\t'));
