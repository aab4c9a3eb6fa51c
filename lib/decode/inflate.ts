// Inflate only, through pako's zlib layer (lib/decode/index.ts decodes the values): one stream
// and one output buffer reused for every message (pako's Inflate class allocates a 64 KB chunk
// and a fresh stream per call, which was most of the time an HTTP-Redirect message took), and
// none of pako's deflate half.
import { ZStream, zlibInflate, zlibInflateInit2, zlibInflateReset2 } from 'pako';

/** The reused inflate stream (set up on first use) and its output window. */
let stream: ZStream | undefined;
const OUT_CHUNK = 32 * 1024;
let outBuffer: Uint8Array<ArrayBuffer> | undefined;
/** What the stream's input is set to after a message, so it holds no reference to the message. */
const EMPTY = new Uint8Array(0);
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_FINISH = 4;

/** The window bits the stream was last set up for, and the state's mode right after a set-up. */
let streamBits = 0;
let initialMode: unknown;

/** The parts of pako's inflate state a reset touches (pako 2/3 lib/zlib/inflate.js). */
export interface InflateResetState {
  mode: unknown;
  wrap: number;
  wbits: number;
  window: unknown;
  total: number;
  last: number;
  havedict: number;
  flags: number;
  dmax: number;
  head: unknown;
  hold: number;
  bits: number;
  lencode: unknown;
  distcode: unknown;
  lendyn: unknown;
  distdyn: unknown;
  sane: number;
  back: number;
  wsize: number;
  whave: number;
  wnext: number;
}

/**
 * zlibInflateReset2 for the same window size, without its allocation: pako's inflateResetKeep
 * makes two new Int32Array code tables (5.8 KB) on every reset, which zlib's C original does not
 * (it reuses them: they are written before they are read). Does what inflateReset2 +
 * inflateReset + inflateResetKeep do, field by field, keeping the tables; false (the caller
 * then resets through pako) when the window size changes or the state is not the shape this
 * expects, so a pako that changed its internals is reset the ordinary way.
 */
export function quickReset(strm: ZStream, windowBits: number, lastBits: number, initialMode: unknown): boolean {
  if (windowBits !== lastBits || initialMode === undefined) return false;
  const state = strm.state as InflateResetState | null;
  if (!state || !(state.lendyn instanceof Int32Array) || !(state.distdyn instanceof Int32Array) || typeof state.mode !== typeof initialMode) return false;
  // inflateReset2 (same wrap and window bits: the window is kept)
  state.wrap = windowBits < 0 ? 0 : (windowBits >> 4) + 5;
  // inflateReset
  state.wsize = 0;
  state.whave = 0;
  state.wnext = 0;
  // inflateResetKeep
  strm.total_in = strm.total_out = state.total = 0;
  strm.msg = '';
  if (state.wrap) strm.adler = state.wrap & 1;
  state.mode = initialMode;
  state.last = 0;
  state.havedict = 0;
  state.flags = -1;
  state.dmax = 32768;
  state.head = null;
  state.hold = 0;
  state.bits = 0;
  state.lencode = state.lendyn;
  state.distcode = state.distdyn;
  state.sane = 1;
  state.back = -1;
  return true;
}

/** Inflates with a hard cap on output size, so a deflate bomb stops at the cap. */
export function boundedInflate(data: Uint8Array, raw: boolean, maxBytes: number): Uint8Array | 'too-large' | null {
  const windowBits = raw ? -15 : 15;
  try {
    if (!stream) {
      const s = new ZStream();
      if (zlibInflateInit2(s, windowBits) !== Z_OK) return null;
      stream = s;
      initialMode = (s.state as { mode?: unknown } | null)?.mode;
    } else if (!quickReset(stream, windowBits, streamBits, initialMode) && zlibInflateReset2(stream, windowBits) !== Z_OK) {
      stream = undefined;
      return null;
    }
    streamBits = windowBits;
    const strm = stream;
    const out = (outBuffer ??= new Uint8Array(OUT_CHUNK));
    strm.input = data;
    strm.next_in = 0;
    strm.avail_in = data.length;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      strm.output = out;
      strm.next_out = 0;
      strm.avail_out = out.length;
      const status = zlibInflate(strm, Z_FINISH);
      const n = strm.next_out;
      if (n) {
        total += n;
        if (total > maxBytes) return 'too-large';
        // A message that fits the window in one go (nearly all) is returned as a view of it, not
        // a copy: the caller decodes it to text before anything inflates again.
        if (status === Z_STREAM_END && chunks.length === 0) {
          strm.input = EMPTY;
          return out.subarray(0, n);
        }
        chunks.push(out.slice(0, n));
      }
      if (status === Z_STREAM_END) break;
      // The output window filled up: take it and go on. Anything else (a data error, input that
      // ends before the stream does) is not a deflate stream.
      if ((status === Z_OK || status === Z_BUF_ERROR) && strm.avail_out === 0) continue;
      return null;
    }
    strm.input = EMPTY;
    if (chunks.length === 1) return chunks[0]!;
    const whole = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      whole.set(c, off);
      off += c.length;
    }
    return whole;
  } catch {
    // pako never throws on bad data by design; if it ever does, set the stream up again.
    stream = undefined;
    return null;
  }
}
