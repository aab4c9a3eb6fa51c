// Linear-time text scanning for redaction: e-mail addresses in free text, and many literal values
// found at once. Both replace regular expressions that were quadratic on captured text (issue 14):
// /[A-Za-z0-9._%+#'-]+@…/g restarts at every character of a long run without an '@' (a 100 KB
// claim took 12 s to export), and an alternation of every collected value compares each value
// at every position (a long value against a long text of the same character is quadratic too).
// Pure: no Node or browser API.
import { fromCodes } from '../strings.ts';

/** Letter, mark or digit of any script, per UTF-16 code unit (a surrogate counts: astral letters). Cached. */
const wordCache = new Uint8Array(0x10000);
const WORD_RE = /[\p{L}\p{M}\p{N}]/u;
export function isWordUnit(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
  if (c >= 0xd800 && c <= 0xdfff) return true;
  let k = wordCache[c]!;
  if (k === 0) {
    k = WORD_RE.test(String.fromCharCode(c)) ? 1 : 2;
    wordCache[c] = k;
  }
  return k === 1;
}

/** A character of an e-mail's local part: letters and digits of any script, and . _ % + # ' - */
function isLocalUnit(c: number): boolean {
  return isWordUnit(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x23 || c === 0x27 || c === 0x2d;
}
/** A character of a domain label: letters and digits of any script (IDN), and '-'. */
function isLabelUnit(c: number): boolean {
  return isWordUnit(c) || c === 0x2d;
}

/**
 * The e-mail addresses (and UPNs) in a text, as the pattern local@label(.label)+ finds them,
 * left to right without overlap, in letters of any script. Linear: each character is looked at
 * at most twice (backwards as the local part of the '@' after it, forwards as the domain of the
 * '@' before it).
 */
export function emailsIn(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let from = 0;
  for (let at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
    if (at < from) continue;
    let a = at;
    while (a > from && isLocalUnit(s.charCodeAt(a - 1))) a--;
    if (a === at) continue;
    let i = at + 1;
    let labels = 0;
    let end = -1;
    for (;;) {
      let j = i;
      while (j < n && isLabelUnit(s.charCodeAt(j))) j++;
      if (j === i) break;
      if (++labels >= 2) end = j;
      if (j >= n || s.charCodeAt(j) !== 0x2e) break;
      i = j + 1;
    }
    if (end < 0) continue;
    out.push(s.slice(a, end));
    from = end;
  }
  return out;
}

/** One occurrence: [start, end) and the index of the value found. */
export interface LiteralMatch {
  start: number;
  end: number;
  key: number;
}

/**
 * Many literal values searched at once (Aho–Corasick): building is linear in their total
 * length, a search linear in the text. Occurrences are reported as an alternation of the values,
 * longest first, finds them: left to right, at each place the longest value that starts there,
 * then on after it. (The automaton holds the values reversed and reads the text backwards, so
 * that what it knows at each place is the longest value starting there.)
 *
 * The trie is stored flat, because captured values are long and mostly unshared: node n ≥ 1 is
 * the character at position n - 1 of all the values written one after the other, and its child
 * along its own value is node n + 1 (`chain`); only where values part ways is an edge kept in a
 * Map. A 100 KB value costs a few typed-array slots per character instead of a Map entry each.
 */
export class LiteralMatcher {
  private readonly buf: string;
  /** Edges off the chain, of the few nodes that have any: node → code unit → node. */
  private readonly next = new Map<number, Map<number, number>>();
  /** 1 when node n + 1 is the child of node n (the same value continues). */
  private readonly chain: Uint8Array;
  /** 1 when the node has edges in `next` (most have none: no Map lookup for them). */
  private readonly branch: Uint8Array;
  private readonly fail: Int32Array;
  /** The value that ends at this node, if any (its own, else the longest along the fail chain). */
  private readonly out: Int32Array;
  private readonly lengths: number[];

  constructor(keysForward: readonly string[]) {
    this.lengths = keysForward.map((k) => k.length);
    const keys = keysForward.map(reverse);
    this.buf = keys.join('');
    const size = this.buf.length + 1;
    this.chain = new Uint8Array(size);
    this.branch = new Uint8Array(size);
    this.fail = new Int32Array(size);
    this.out = new Int32Array(size).fill(-1);
    let pos = 0;
    keys.forEach((k, idx) => {
      let n = 0;
      // Once a node is new, so is the rest of the value: no more look-ups.
      let fresh = false;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        let t = fresh ? -1 : this.child(n, c);
        if (t < 0) {
          t = pos + i + 1;
          if (fresh || (n > 0 && t === n + 1)) this.chain[n] = 1;
          else {
            let edges = this.next.get(n);
            if (!edges) {
              this.next.set(n, (edges = new Map()));
              this.branch[n] = 1;
            }
            edges.set(c, t);
          }
          fresh = true;
        }
        n = t;
      }
      if (k.length && this.out[n] === -1) this.out[n] = idx;
      pos += k.length;
    });
    // Breadth first: a node's fail link is the longest proper suffix of its path that is a path.
    const queue = new Int32Array(size);
    let qn = 0;
    for (const t of this.next.get(0)?.values() ?? []) queue[qn++] = t;
    for (let q = 0; q < qn; q++) {
      const n = queue[q]!;
      if (this.chain[n]) qn = this.link(n, n + 1, queue, qn);
      if (this.branch[n] && n !== 0) for (const t of this.next.get(n)!.values()) qn = this.link(n, t, queue, qn);
    }
  }

  /** Sets the fail link and output of node t, child of n, and queues it. */
  private link(n: number, t: number, queue: Int32Array, qn: number): number {
    const c = this.buf.charCodeAt(t - 1);
    let f = this.fail[n]!;
    let to = this.child(f, c);
    while (to < 0 && f !== 0) {
      f = this.fail[f]!;
      to = this.child(f, c);
    }
    this.fail[t] = to >= 0 && to !== t ? to : 0;
    if (this.out[t] === -1) this.out[t] = this.out[this.fail[t]!]!;
    queue[qn] = t;
    return qn + 1;
  }

  /** The child of node n along code unit c, or -1. */
  private child(n: number, c: number): number {
    if (this.chain[n] && this.buf.charCodeAt(n) === c) return n + 1;
    return this.branch[n] ? (this.next.get(n)!.get(c) ?? -1) : -1;
  }

  private step(n: number, c: number): number {
    for (;;) {
      const t = this.child(n, c);
      if (t >= 0) return t;
      if (n === 0) return 0;
      n = this.fail[n]!;
    }
  }

  /** The first value found in the text (its index), or -1. */
  firstIn(text: string): number {
    let n = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      n = this.step(n, text.charCodeAt(i));
      if (this.out[n]! >= 0) return this.out[n]!;
    }
    return -1;
  }

  /**
   * Non-overlapping occurrences in text order: at each place the longest value starting there,
   * unless `accept` refuses it (a value that is only part of a longer word), then on after it.
   */
  find(text: string, accept?: (start: number, end: number, key: number) => boolean): LiteralMatch[] {
    const len = text.length;
    const longest = new Int32Array(len);
    let n = 0;
    for (let i = len - 1; i >= 0; i--) {
      n = this.step(n, text.charCodeAt(i));
      longest[i] = this.out[n]!;
    }
    const found: LiteralMatch[] = [];
    for (let i = 0; i < len; ) {
      const key = longest[i]!;
      const end = key < 0 ? 0 : i + this.lengths[key]!;
      if (key >= 0 && (!accept || accept(i, end, key))) {
        found.push({ start: i, end, key });
        i = end;
      } else i++;
    }
    return found;
  }
}

/** The code units in reverse order (the values and the text are reversed alike, so pairs need no care). */
function reverse(s: string): string {
  if (s.length < 2) return s;
  const codes = new Uint16Array(s.length);
  for (let i = 0, j = s.length - 1; j >= 0; i++, j--) codes[i] = s.charCodeAt(j);
  return fromCodes(codes, codes.length);
}
