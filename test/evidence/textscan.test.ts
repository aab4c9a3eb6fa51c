// The linear-time scanners that replaced redaction's quadratic regular expressions (issue 14,
// item 2) find what the expressions found: checked against them on random text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emailsIn, LiteralMatcher } from '../../lib/evidence/textscan.ts';
import { expectUnder } from '../wall-clock.ts';

/** The e-mail pattern redaction used (ASCII only), as a reference on ASCII text. */
const OLD_EMAIL = /[A-Za-z0-9._%+#'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** Reference: an alternation of the keys, longest first, taking what `accept` allows. */
function naiveFind(text: string, keys: string[], accept: (s: number, e: number) => boolean = () => true): [number, number][] {
  const out: [number, number][] = [];
  const sorted = keys.filter(Boolean).sort((a, b) => b.length - a.length);
  for (let i = 0; i < text.length; ) {
    const k = sorted.find((key) => text.startsWith(key, i));
    if (k && accept(i, i + k.length)) {
      out.push([i, i + k.length]);
      i += k.length;
    } else i++;
  }
  return out;
}

const small = fc.string({ unit: fc.constantFrom('a', 'b', '.', '@', '-', 'c', ' ', '_'), maxLength: 60 });

describe('emailsIn', () => {
  it('finds what the old pattern found on ASCII text', () => {
    fc.assert(
      fc.property(small, (s) => {
        expect(emailsIn(s)).toEqual(s.match(OLD_EMAIL) ?? []);
      }),
      { numRuns: 2000 },
    );
  });
  it('finds addresses in any script', () => {
    expect(emailsIn('écrire à josé.garcía@correo.es, алекс@почта.рф, 王伟@例子.中国 ou Ελένη@παράδειγμα.ελ.')).toEqual([
      'josé.garcía@correo.es',
      'алекс@почта.рф',
      '王伟@例子.中国',
      'Ελένη@παράδειγμα.ελ',
    ]);
  });
  it.each([
    ['100k letters, no @', 'a'.repeat(100_000)],
    ['100k local-part characters before an @ without a domain', `${'a.'.repeat(50_000)}@b`],
    ['an @ after every character', 'a@'.repeat(50_000)],
    ['a domain of 100k labels', `a@${'b.'.repeat(50_000)}`],
  ])('%s: linear (well under a second)', (_n, s) => {
    const t0 = performance.now();
    emailsIn(s);
    expectUnder(performance.now() - t0, 1000);
  });
});

describe('LiteralMatcher', () => {
  it('finds exactly what an alternation of the keys (longest first) finds, and leaves no key in what it leaves', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 40 }), (keys, text) => {
        const m = new LiteralMatcher(keys);
        const found = m.find(text).map((x) => [x.start, x.end] as [number, number]);
        expect(found).toEqual(naiveFind(text, keys));
        // Every occurrence found is a key, at that place.
        for (const [s, e] of found) expect(keys).toContain(text.slice(s, e));
        // No key occurs in what is left untouched (nothing identifying survives).
        let rest = '';
        let last = 0;
        for (const [s, e] of found) {
          rest += `${text.slice(last, s)}|`;
          last = e;
        }
        rest += text.slice(last);
        for (const k of keys) for (const piece of rest.split('|')) expect(piece.includes(k)).toBe(false);
        expect(m.firstIn(text) >= 0).toBe(keys.some((k) => text.includes(k)));
      }),
      { numRuns: 3000 },
    );
  });
  it('agrees with the alternation on keys that are words', () => {
    const keys = ['alex', 'alex.morgan', 'morgan', 'contoso', 'mor'];
    const text = 'alex.morgan@contoso.com and alex, morgan; mor! alexander';
    expect(new LiteralMatcher(keys).find(text).map((m) => [m.start, m.end])).toEqual(naiveFind(text, keys));
  });
  it('honours accept (a value inside a longer word is left)', () => {
    const text = 'alexander alex';
    const isW = (c: string | undefined) => !!c && /\w/.test(c);
    const accept = (s: number, e: number) => !isW(text[s - 1]) && !isW(text[e]);
    expect(new LiteralMatcher(['alex']).find(text, accept).map((m) => [m.start, m.end])).toEqual([[10, 14]]);
  });
  it('builds and searches 100 KB values against 100 KB texts in linear time', () => {
    const t0 = performance.now();
    const m = new LiteralMatcher([`${'a'.repeat(100_000)}b`, 'a'.repeat(50_000), `${'ab'.repeat(50_000)}c`]);
    m.find('a'.repeat(100_000));
    m.find('ab'.repeat(50_000));
    m.firstIn('a'.repeat(99_999));
    expectUnder(performance.now() - t0, 1000);
  });
});
