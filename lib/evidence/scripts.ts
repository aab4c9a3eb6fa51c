// Letters of every script for redaction (issue 14, item 4): a Cyrillic, Greek, Han, kana,
// Arabic, Hebrew or Devanagari name is an identifier as much as a Latin one, and its pseudonym
// is written in the same script, with the same number of characters and the same case pattern,
// so that it still reads as a name ("Алексей" → "Ювбрмоа", "佐藤" → "侁俓"). Pure.

/** A run of letters, marks and digits of any script: the unit that is replaced. */
export const WORD_RUN_G = /[\p{L}\p{M}\p{N}]+/gu;

/** Scripts written without spaces between words: a name sits inside a longer run of letters. */
const UNSPACED_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
/** Scripts whose every character carries a syllable or a word: two characters make a name. */
const DENSE_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Yi}]/u;

export const hasUnspaced = (s: string): boolean => UNSPACED_RE.test(s);
export const isUnspacedChar = (c: string | undefined): boolean => !!c && UNSPACED_RE.test(c);

/** The shortest value worth replacing in free text: 3 characters, 2 in a script where one character is a syllable. */
export function minWordLength(s: string): number {
  return DENSE_RE.test(s) ? 2 : 3;
}

/** Lower case, one code point for one (a letter whose lower case is longer, such as 'İ', stays). */
export function lowerKeep(s: string): string {
  const l = s.toLowerCase();
  // No lower-case mapping is shorter than its letter, so an equal length means one for one.
  if (l.length === s.length) return l;
  let out = '';
  for (const ch of s) {
    const lc = ch.toLowerCase();
    out += lc.length === ch.length ? lc : ch;
  }
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

const isUpper = (ch: string) => ch !== ch.toLowerCase() && ch.toLowerCase().length === ch.length;

/** `rep` (lower case) with the upper-case letters of `pattern`, code point by code point. */
export function applyCase(pattern: string, rep: string): string {
  if (isAscii(pattern) && isAscii(rep)) {
    let out = '';
    for (let i = 0; i < rep.length; i++) {
      const p = pattern.charCodeAt(i);
      out += p >= 0x41 && p <= 0x5a ? rep[i]!.toUpperCase() : rep[i]!;
    }
    return out;
  }
  const p = Array.from(pattern);
  let out = '';
  let i = 0;
  for (const ch of rep) {
    const pc = p[i++];
    const up = pc !== undefined && isUpper(pc) ? ch.toUpperCase() : ch;
    out += Array.from(up).length === 1 ? up : ch;
  }
  return out;
}

// ---- pools of replacement characters -------------------------------------------------------

const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati',
  'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Georgian', 'Hangul', 'Ethiopic',
  'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Yi', 'Inherited', 'Common',
] as const;
const SCRIPT_RE = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')] as const);
const CATEGORIES = ['Ll', 'Lu', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No'] as const;
const CATEGORY_RE = CATEGORIES.map((c) => [c, new RegExp(`^\\p{${c}}$`, 'u')] as const);

function scriptOf(ch: string): string {
  for (const [s, re] of SCRIPT_RE) if (re.test(ch)) return s;
  return 'Other';
}
function categoryOf(ch: string): string {
  for (const [c, re] of CATEGORY_RE) if (re.test(ch)) return c;
  return 'Other';
}

const pools = new Map<string, string[]>();
const poolKeyOf = new Map<number, string>();

/**
 * The characters a character may become: the same script and kind (lower-case letter, other
 * letter, mark, digit) in the same block of 256 code points, never ASCII for a non-ASCII one
 * (an accented letter stays accented), and for a lower-case letter only those whose upper case
 * is one character that maps back (so the case pattern survives).
 */
function poolFor(cp: number): string[] {
  let key = poolKeyOf.get(cp);
  if (key === undefined) {
    const ch = String.fromCodePoint(cp);
    key = `${cp >> 8}:${scriptOf(ch)}:${categoryOf(ch)}`;
    poolKeyOf.set(cp, key);
  }
  let pool = pools.get(key);
  if (!pool) {
    const [block, script, cat] = key.split(':') as [string, string, string];
    pool = [];
    const start = Number(block) << 8;
    for (let c = Math.max(start, 0x80); c < start + 0x100; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const x = String.fromCodePoint(c);
      if (categoryOf(x) !== cat || scriptOf(x) !== script) continue;
      if (cat === 'Ll') {
        const u = x.toUpperCase();
        if (Array.from(u).length !== 1 || u.toLowerCase() !== x) continue;
      }
      pool.push(x);
    }
    if (!pool.length) pool.push(String.fromCodePoint(cp));
    pools.set(key, pool);
  }
  return pool;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The replacement of one character (lower case) for the byte `b`: a character of the same script and kind. */
export function pseudoChar(ch: string, b: number): string {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) {
    if (c >= 0x30 && c <= 0x39) return String.fromCharCode(48 + (b % 10));
    if (c >= 0x61 && c <= 0x7a) return LETTERS[b % 26]!;
    return ch;
  }
  const pool = poolFor(c);
  return pool[b % pool.length]!;
}

/** The mask of one character: a letter or mark of any script is 'x', a digit '0'. */
export function maskChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return c >= 0x30 && c <= 0x39 ? '0' : (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? 'x' : ch;
  return /\p{N}/u.test(ch) ? '0' : /[\p{L}\p{M}]/u.test(ch) ? 'x' : ch;
}
