// A short, seeded run of the hostile-input fuzzer (test/fuzz/hostile.ts; the full run is
// `npm run fuzz:hostile`, 100,000 inputs): attacker-shaped values and names in many scripts through
// analyze, the three reports and every export format in every redaction mode, each input within
// a time limit for its size (generous here: 10× the targets; the exact ones are in
// `npm run bench`), and no planted name left in a redacted export.
import { describe, expect, it } from 'vitest';
import { makeInput, rng, runFuzz, targetMs } from './fuzz/hostile.ts';

describe('hostile inputs (fuzz, ~10 s)', () => {
  it('nothing throws, nothing is lost, nothing hangs, no planted name is left', () => {
    const stats = runFuzz({ inputs: 100_000, seconds: 10, seed: 14, slack: 10 });
    expect(stats.failures).toEqual([]);
    expect(stats.inputs).toBeGreaterThan(50);
    expect(stats.exports).toBeGreaterThan(9);
  }, 60_000);

  it('the generators make every kind of input, of every size', () => {
    const r = rng(7);
    const kinds = new Set<string>();
    let big = 0;
    for (let i = 0; i < 400; i++) {
      const x = makeInput(r, i);
      kinds.add(x.kind.replace(/^hostile-.*/, 'hostile'));
      if (x.chars > 10_000) big++;
    }
    expect(kinds.has('names') && kinds.has('mutated-response') && kinds.has('hostile')).toBe(true);
    expect(big).toBeGreaterThan(0);
    expect(targetMs(100_000)).toBe(100);
    expect(targetMs(2_000_000)).toBe(1000);
  });
});
