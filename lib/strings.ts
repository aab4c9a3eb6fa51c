// String helpers for captured values, every one linear in the length of its input. Captured
// text is attacker-shaped: a regular expression such as / +$/ or /=+$/ restarts at every
// character of a long run and turns 100,000 spaces into seconds of work, so trimming is done
// here by hand. Pure: no Node or browser API.

/** `s` without the leading and trailing characters for which `cut(charCode)` holds. */
export function trimWhere(s: string, cut: (c: number) => boolean): string {
  let a = 0;
  let b = s.length;
  while (a < b && cut(s.charCodeAt(a))) a++;
  while (b > a && cut(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** `s` without the trailing characters for which `cut(charCode)` holds. */
export function trimEndWhere(s: string, cut: (c: number) => boolean): string {
  let b = s.length;
  while (b > 0 && cut(s.charCodeAt(b - 1))) b--;
  return b === s.length ? s : s.slice(0, b);
}

/** The URL up to its query or fragment (/[?#].*$/ is quadratic in a run of '?' before a line break). */
export function withoutQuery(url: string): string {
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x3f || c === 0x23) return url.slice(0, i);
  }
  return url;
}

/** The URL without its fragment (/#.*$/ is quadratic in a run of '#' before a line break). */
export function withoutFragment(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

/** Without trailing slashes (/\/+$/ is quadratic in a long run of '/' that is not at the end). */
export const trimTrailingSlashes = (s: string): string => trimEndWhere(s, (c) => c === 0x2f);

const REPLACEMENT = '\uFFFD';

/** Does the text hold a lone (unpaired) UTF-16 surrogate, which no UTF-8 encoder can write? */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else return true;
  }
  return false;
}

/** The text with every lone surrogate replaced by U+FFFD (what a UTF-8 encoder writes for it). */
export function wellFormed(s: string): string {
  if (!hasLoneSurrogate(s)) return s;
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i++;
      continue;
    }
    out += s.slice(last, i) + REPLACEMENT;
    last = i + 1;
  }
  return out + s.slice(last);
}

/**
 * encodeURIComponent that never throws: a lone surrogate (which percent-encoding cannot carry,
 * as it is not a character) is written as U+FFFD. Callers that must say so check
 * hasLoneSurrogate() first.
 */
export function encodeComponent(s: string): string {
  return encodeURIComponent(wellFormed(s));
}

/**
 * `s` with every character for which `match(charCode)` holds replaced by `rep` (one character,
 * or '' to drop it). Linear, and several times faster than a global regular expression replace
 * when the matches are many (a value of a million spaces): ~0.2 µs a match there, 0.2 s for a
 * million, against ~20 ms here.
 */
export function replaceWhere(s: string, match: (c: number) => boolean, rep: string): string {
  const n = s.length;
  let i = 0;
  while (i < n && !match(s.charCodeAt(i))) i++;
  if (i === n) return s;
  if (rep.length > 1) throw new Error('replaceWhere replaces by one character or none');
  const r = rep.length ? rep.charCodeAt(0) : -1;
  const out = new Uint16Array(n);
  let k = 0;
  for (let j = 0; j < i; j++) out[k++] = s.charCodeAt(j);
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!match(c)) out[k++] = c;
    else if (r >= 0) out[k++] = r;
  }
  return fromCodes(out, k);
}

/** The string of the first `n` UTF-16 code units of `codes`, in chunks (fromCharCode takes a bounded argument list). */
export function fromCodes(codes: Uint16Array, n: number): string {
  const CHUNK = 0x2000;
  const parts: string[] = [];
  for (let i = 0; i < n; i += CHUNK) parts.push(String.fromCharCode.apply(null, codes.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]));
  return parts.join('');
}

/**
 * Counts as "12,345" (en-US grouping, rounded half away from zero, as Intl.NumberFormat('en-US',
 * { maximumFractionDigits: 0 }) writes them), by hand: Number.prototype.toLocaleString builds a
 * formatter on every call (about 13 µs in Chromium, 10% of the popup's CPU), and building even one
 * Intl.NumberFormat when the module loads cost the CLI 14 ms of its start (ICU's set-up).
 */
export function formatInteger(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  const a = Math.abs(n);
  if (a === Infinity) return `${sign}∞`;
  const r = Math.round(a);
  const digits = r < 1e21 ? String(r) : BigInt(r).toString();
  let out = '';
  let i = digits.length;
  for (; i > 3; i -= 3) out = `,${digits.slice(i - 3, i)}${out}`;
  return sign + digits.slice(0, i) + out;
}
