// Attacker-shaped values in linear time (issue 14): a regular expression such as /\s*$/ or
// /\/+$/ restarts at every character of a long run that is not at the end, and the 100,000-input
// hostile fuzz run (npm run fuzz:hostile, seed 3003) found a 138 KB NameID of spaces with letters
// around them that took 35 s to analyse (describeSurroundingWhitespace). Each helper is held
// against a tenth of its input measured alongside: ten times the input, about ten times the time;
// the quadratic patterns were 100×. (A ratio survives a loaded machine; the targets are in the bench.)
import { describe, expect, it } from 'vitest';
import { describeSurroundingWhitespace } from '../lib/checks/util.ts';
import { trimTrailingSlashes, withoutFragment, withoutQuery } from '../lib/strings.ts';
import { analyze } from '../lib/analyze.ts';
import { LAB, makeResponse, toPost } from './lab/factory.ts';

function linear(make: (n: number) => string, run: (s: string) => unknown, n = 200_000): { small: number; big: number } {
  const time = (s: string) => {
    const t0 = performance.now();
    run(s);
    return performance.now() - t0;
  };
  const small = make(n / 10);
  const big = make(n);
  time(small); // warm up
  return { small: time(small), big: time(big) };
}

describe('helpers that read attacker-shaped text run in linear time', () => {
  const cases: [string, (n: number) => string, (s: string) => unknown][] = [
    ['whitespace around a value: a run of spaces between two letters', (n) => `a${' '.repeat(n)}b`, describeSurroundingWhitespace],
    ['trailing slashes: a run of slashes before a letter', (n) => `https://x/${'/'.repeat(n)}b`, trimTrailingSlashes],
    ['without the query: a run of ? before a line break', (n) => `${'?'.repeat(n)}\nx`, withoutQuery],
    ['without the fragment: a run of # before a line break', (n) => `${'#'.repeat(n)}\nx`, withoutFragment],
  ];
  it.each(cases)('%s', (_name, make, run) => {
    const { small, big } = linear(make, run);
    expect(big, `${big.toFixed(1)} ms for 200,000 characters, ${small.toFixed(1)} ms for 20,000`).toBeLessThan(30 * small + 50);
  });

  it('the helpers still answer as before', () => {
    expect(describeSurroundingWhitespace('  a\n')).toBe('2 leading spaces and a trailing line break');
    expect(describeSurroundingWhitespace('a b')).toBeUndefined();
    expect(describeSurroundingWhitespace(' \t')).toMatch(/^only whitespace/);
    expect(trimTrailingSlashes('https://a/b///')).toBe('https://a/b');
    expect(trimTrailingSlashes('a/b')).toBe('a/b');
    expect(withoutQuery('https://a/b?c#d')).toBe('https://a/b');
    expect(withoutQuery('https://a/b#d?c')).toBe('https://a/b');
    expect(withoutFragment('https://a/b?c#d')).toBe('https://a/b?c');
  });

  it('a Response whose NameID is a space, a letter, 130,000 spaces, a letter and a space: analysed in linear time, its whitespace left to the NameID checks', () => {
    const at = new Date(Date.now() - 60_000);
    const message = (n: number) => ({ id: `m${n}`, raw: toPost(makeResponse({ nameId: ` a${' '.repeat(n)}b `, issueInstant: at })), binding: 'post' as const, param: 'SAMLResponse' as const, url: LAB.acsUrl, method: 'POST', time: at.toISOString() });
    const run = (n: number) => {
      const t0 = performance.now();
      const a = analyze({ messages: [message(n)], expectations: { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl }, analysisTime: new Date() });
      return { ms: performance.now() - t0, a };
    };
    run(1_300);
    const small = run(13_000);
    const big = run(130_000);
    expect(big.a.messages[0]!.ok).toBe(true);
    expect(big.a.findings.map((f) => f.checkId)).toContain('nameid-mismatch');
    expect(big.ms, `${big.ms.toFixed(0)} ms for 130,000 spaces, ${small.ms.toFixed(0)} ms for 13,000`).toBeLessThan(30 * small.ms + 250);
  });
});
