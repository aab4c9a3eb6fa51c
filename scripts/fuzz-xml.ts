// The long differential run of lib/saml/xml.ts against saxes and fast-xml-parser
// (test/oracle/differential.ts; the short run is test/xml-differential.test.ts).
//
//   npm run fuzz:xml                      120,000 documents, seed 20261201
//   npm run fuzz:xml -- 500000 42         another count and seed
//
// Exits non-zero on the first undocumented disagreement, printed shrunk to a small document.
import { newStats, runDifferential } from '../test/oracle/differential.ts';

const runs = Number(process.argv[2] ?? 120_000);
const seed = Number(process.argv[3] ?? 20261201);
const stats = newStats();
const t0 = performance.now();
try {
  runDifferential(runs, seed, stats);
} catch (e) {
  const err = e as Error;
  // fast-check puts the property's own error (the disagreement, shrunk) in cause.
  console.error(err.message.split('\n').filter((l) => !l.startsWith('Counterexample')).join('\n'));
  if (err.cause instanceof Error) console.error(`\n${err.cause.message}`);
  console.error(JSON.stringify(stats));
  process.exit(1);
}
const s = (performance.now() - t0) / 1000;
console.log(`${stats.documents} documents (${stats.generated} generated, ${stats.mutated} mutated real messages), seed ${seed}, ${s.toFixed(1)} s`);
console.log(`ours and saxes: both accept ${stats.bothAccept}, both refuse ${stats.bothRefuse}, documented disagreements ${JSON.stringify(stats.documented)}, undocumented 0`);
console.log(`fast-xml-parser: trees compared ${stats.fxpTreesCompared} (all equal); accept/refuse differs from ours on ${stats.fxpAcceptDiffers}`);
