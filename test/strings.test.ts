// formatInteger writes counts as Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }) does,
// without building one (ICU's set-up cost the CLI's start 14 ms).
import { describe, expect, it } from 'vitest';
import { formatInteger } from '../lib/strings.ts';

describe('formatInteger', () => {
  const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  it('agrees with Intl.NumberFormat on edges and on many values', () => {
    const edges = [0, -0, 0.4, 0.5, -0.4, -0.5, 1.5, 2.5, -2.5, 999, 999.5, 1000, 1234.5, -1234567.6, 12345678, 2 ** 53, 1e21, 1.5e22, NaN, Infinity, -Infinity];
    for (const x of edges) expect(formatInteger(x), String(x)).toBe(intl.format(x));
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 5000; i++) {
      const x = (rnd() - 0.3) * 10 ** Math.floor(rnd() * 16);
      expect(formatInteger(x), String(x)).toBe(intl.format(x));
    }
  });
});
