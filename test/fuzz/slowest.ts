// Finds the slowest single inputs of the fuzzer's generators through analyze and every export
// (`npx tsx test/fuzz/slowest.ts [seed] [count]`): for chasing a time-limit failure to its shape.
import { analyze } from '../../lib/analyze.ts';
import { exportEvidence, EXPORT_FORMATS } from '../../lib/evidence/export.ts';
import { REDACTION_MODES } from '../../lib/evidence/redact.ts';
import { makeInput, rng, targetMs } from './hostile.ts';

const seed = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 2000);
const r = rng(seed);
const rows: { ms: number; ratio: number; kind: string; chars: number; what: string; sample: string }[] = [];
for (let i = 0; i < count; i++) {
  const x = makeInput(r, i);
  if (x.chars < 20_000) continue;
  const input = { messages: x.input.messages, steps: x.input.steps ?? [], pageErrors: x.input.pageErrors ?? [], expectations: {}, analysisTime: new Date() };
  const a = analyze(input);
  for (const format of EXPORT_FORMATS) {
    for (const mode of REDACTION_MODES) {
      const t0 = performance.now();
      try {
        exportEvidence({ format, redaction: { mode }, input, analysis: a, source: { kind: 'live', names: [] }, version: 'x', exportedAt: new Date() });
      } catch {
        /* the fuzzer reports throws */
      }
      const ms = performance.now() - t0;
      const m = x.input.messages[0]!;
      const sample = JSON.stringify((m.relayState ?? x.input.pageErrors?.[0]?.message ?? x.input.steps?.[0]?.note ?? m.raw).slice(0, 60));
      rows.push({ ms, ratio: ms / targetMs(x.chars), kind: x.kind, chars: x.chars, what: `${format} ${mode}`, sample });
    }
  }
}
rows.sort((a, b) => b.ratio - a.ratio);
for (const row of rows.slice(0, 15)) console.log(`${row.ms.toFixed(0)} ms (${row.ratio.toFixed(1)}× target) ${row.kind} ${row.chars} chars ${row.what} ${row.sample}`);
