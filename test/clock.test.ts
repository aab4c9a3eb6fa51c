import { describe, expect, it } from 'vitest';
import { T0, at, isoAt } from './clock.ts';
import { IDP_KEY } from './lab/keys.ts';
import { X509Certificate } from 'node:crypto';

describe('the test clock', () => {
  it('is the moved clock when scripts/test-clock.mjs moves it (proof that the shift reached this worker)', () => {
    const expected = process.env.SAMLSCOPE_CLOCK_EXPECT_YEAR;
    if (expected) expect(new Date().getUTCFullYear()).toBe(Number(expected));
    expect(Math.abs(Date.now() - T0)).toBeLessThan(10 * 60_000);
  });

  it('gives whole-second ISO times from T0', () => {
    expect(isoAt(3)).toBe(new Date(T0 + 3000).toISOString().replace('.000Z', 'Z'));
    expect(at(-60).getTime()).toBe(T0 - 60_000);
  });

  it('makes the test certificate valid around T0', () => {
    const c = new X509Certificate(IDP_KEY.certPem);
    expect(Date.parse(c.validFrom)).toBeLessThan(T0);
    expect(Date.parse(c.validTo)).toBeGreaterThan(T0 + 365 * 86400e3);
  });
});
