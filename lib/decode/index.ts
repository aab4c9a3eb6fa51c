// Decoding of SAML message values as they travel: HTTP-POST (base64), HTTP-Redirect
// (URL-encoded base64 of raw DEFLATE), or plain XML. Never throws past this boundary: every
// failure is a DecodeError with a code and a sentence a person can act on.
// Inflating (raw DEFLATE or zlib) is lib/decode/inflate.ts: one pako stream reused for every message.
import { boundedInflate } from './inflate.ts';
import { replaceWhere, trimEndWhere, trimWhere } from '../strings.ts';

export type DecodeErrorCode =
  | 'empty'
  | 'bad-base64'
  | 'inflate-failed'
  | 'not-xml'
  | 'too-large'
  | 'doctype-refused';

export interface DecodeError {
  ok: false;
  code: DecodeErrorCode;
  message: string;
}

/** How the value was encoded, as detected. */
export type Encoding = 'plain-xml' | 'base64' | 'base64-deflate' | 'base64-zlib';

export interface Decoded {
  ok: true;
  xml: string;
  encoding: Encoding;
  /** The binding the encoding implies: DEFLATE means HTTP-Redirect, plain base64 HTTP-POST. */
  binding: 'redirect' | 'post' | 'unknown';
  /** True when the value was percent-encoded and we decoded it once. */
  urlDecoded: boolean;
  /** Size of the decoded XML in bytes (UTF-8). */
  decodedBytes: number;
  /** Length of the base64 text as received (0 for plain XML). */
  base64Length: number;
}

export type DecodeResult = Decoded | DecodeError;

export interface DecodeOptions {
  /** Largest decoded message accepted, in bytes. Default 2 MB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

const fail = (code: DecodeErrorCode, message: string): DecodeError => ({ ok: false, code, message });

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
/** A character outside base64's alphabet and padding (a class search: faster than BASE64_RE on a long value). */
const NOT_BASE64_CHAR_RE = /[^A-Za-z0-9+/=]/;
const isSpace = (c: number) => c === 0x20;
/** \r \n \t \f \v: line wrapping, dropped from base64. */
const isLineSpace = (c: number) => c === 0x0d || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0b;
/** The text without its trailing '=' (by hand: /=+$/ is quadratic in a run of '='). */
const withoutPadding = (s: string) => trimEndWhere(s, (c) => c === 0x3d);

/** Bytes → text, UTF-8, without throwing on bad sequences. */
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

function fmtBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** XML's own white space (XML 1.0 production S): space, tab, CR, LF. */
const isXmlSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Text that starts as XML does. The text is trimmed first (by String.prototype.trim, which also
 * removes a BOM, or by cleanXml): XML starts at its first character or not at all.
 */
const startsLikeXml = (s: string) => s.charCodeAt(0) === 0x3c; // '<'

function bytesStartLikeXml(b: Uint8Array): boolean {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  // (Past the end b[i] is undefined, which is not white space: no bound needed.)
  while (isXmlSpace(b[i])) i++;
  return b[i] === 0x3c; // '<'
}

/** Percent-decode once, keeping '+' as it is (base64 uses it). Returns null when malformed. */
function percentDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * Turns the text into canonical base64 or explains why it is not. Tolerates line wrapping,
 * spaces that were '+' before a form decoding (also at either end: a value ending in '+' ends
 * in a space after form decoding), the URL-safe alphabet and missing padding.
 */
function normaliseBase64(text: string): string | DecodeError {
  // The usual case, canonical base64 as a form posts it: only the alphabet, '=' only at the end.
  // One class search rules out everything the steps below would change (line breaks, spaces,
  // the URL-safe alphabet) and the alphabet test itself; the result is the same.
  // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path only; without it the steps below give the same result (test/decode-exact.test.ts checks the results)
  if (!NOT_BASE64_CHAR_RE.test(text)) {
    const body = withoutPadding(text);
    // Stryker disable next-line ConditionalExpression,StringLiteral: as above, the slow path then gives the same result
    if (!body.includes('=')) return paddedOrCut(body);
  }
  // By hand, run by run: a global regex replace costs ~0.2 µs a match, 0.2 s for a million.
  let s = replaceWhere(text, isLineSpace, '');
  // Stryker disable next-line ConditionalExpression,StringLiteral: speed only: without a space the three candidates below are the text itself
  if (s.includes(' ')) {
    // Candidates, most literal first: every space was a '+'; only the inner ones were (the edges
    // are copy noise); the spaces are noise. Take the first that is complete, padded base64,
    // else the first that at least has a possible length. (Edges trimmed by hand: / +$/
    // restarts at every space of a run, quadratic in its length: 100k spaces took 6.7 s.)
    const edges = trimWhere(s, isSpace);
    const candidates = [replaceWhere(s, isSpace, '+'), replaceWhere(edges, isSpace, '+'), replaceWhere(s, isSpace, '')];
    const complete = candidates.find((c) => BASE64_RE.test(c) && c.length % 4 === 0);
    const possible = candidates.find((c) => BASE64_RE.test(c) && withoutPadding(c).length % 4 !== 1);
    s = complete ?? possible ?? candidates[1]!;
  }
  if (/[-_]/.test(s) && !/[+/]/.test(s)) s = replaceWhere(replaceWhere(s, (c) => c === 0x2d, '+'), (c) => c === 0x5f, '/');
  const body = withoutPadding(s);
  if (!BASE64_RE.test(body)) {
    // The body has no '=' at its end, so it failed BASE64_RE on a character outside the
    // alphabet (an '=' inside it among them): there is one to name.
    const bad = /[^A-Za-z0-9+/]/.exec(body)!;
    const ch = bad[0];
    const at = bad.index;
    const hint =
      ch === '%'
        ? " A '%' that is not part of a %-escape: the value was URL-encoded incorrectly or more than twice, or mixed with other text."
        : ch === '.'
          ? ' Dots suggest a JWT or other token rather than a SAML value.'
          : ch === '&' || ch === '='
            ? ' It looks like several parameters: paste the whole URL or form body, or only the SAMLRequest/SAMLResponse value.'
            : '';
    return fail(
      'bad-base64',
      `The value is not base64: character ${JSON.stringify(ch)} at position ${at} is not allowed.${hint} ` +
        'Copy the whole SAMLRequest/SAMLResponse value, without surrounding quotes or other parameters.',
    );
  }
  return paddedOrCut(body);
}

/** Base64 letters without padding → the padded text, or why it cannot be complete. */
function paddedOrCut(body: string): string | DecodeError {
  if (body.length % 4 === 1) {
    return fail(
      'bad-base64',
      `The base64 value has ${body.length} characters, which no complete base64 text can have: it was probably cut short when copied. ` +
        'Copy the whole value again, or export a HAR file from the browser instead of copying text.',
    );
  }
  return body + '='.repeat((4 - (body.length % 4)) % 4);
}

const NodeBuffer = (globalThis as unknown as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;

function base64ToBytes(b64: string): Uint8Array {
  // Node's Buffer is several times faster than atob; the text was validated above either way.
  // Stryker disable next-line ConditionalExpression: either decoder gives the same bytes (test/decode-inflate.test.ts runs both)
  if (NodeBuffer) return NodeBuffer.from(b64, 'base64');
  // Stryker disable next-line ConditionalExpression: every runtime here has atob; the throw below is for one that has neither
  if (typeof atob === 'function') {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    // Stryker disable next-line EqualityOperator: a write past a typed array's end is dropped
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  throw new Error('no base64 decoder');
}


const DOCTYPE_RE = /<!DOCTYPE|<!ENTITY/i;

function checkXmlText(xml: string): DecodeError | null {
  if (DOCTYPE_RE.test(xml)) {
    return fail(
      'doctype-refused',
      'The message contains a DOCTYPE or ENTITY declaration. Real identity providers never send one, and it can smuggle values past a parser (entity expansion), so it is refused unread. ' +
        'If it came from a real sign-in, keep the capture and report it to your security team.',
    );
  }
  return null;
}

/**
 * Removes the white space before decoded XML. (The decoder has already removed a BOM; past the
 * end charCodeAt is NaN, which is not white space.)
 */
function cleanXml(s: string): string {
  let i = 0;
  while (isXmlSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

/** UTF-8 length of a string, without encoding it. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    // A surrogate pair is 2 units and 4 bytes: its high half adds nothing, its low half the 2 of
    // any other unit from U+0800 (a lone half is written as U+FFFD: 3 bytes). Past the end
    // charCodeAt is NaN, which is no low half.
    else if (!(c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00)) n += 2;
  }
  return n;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Text a person would recognise (UTF-8, no control characters), as opposed to binary data. */
function bytesLookLikeText(b: Uint8Array): string | null {
  // Fast path: compressed or binary data nearly always has a control byte early on.
  for (let i = 0, n = Math.min(b.length, 256); i < n; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return null;
  }
  let sample = b.length > 256 ? b.subarray(0, 256) : b;
  // Do not cut a multi-byte sequence in two: drop trailing continuation / lead bytes.
  // (At end 0, sample[-1] is undefined: neither a continuation nor a lead byte.)
  if (sample !== b) {
    let end = sample.length;
    while ((sample[end - 1]! & 0xc0) === 0x80) end--;
    if (sample[end - 1]! >= 0xc0) end--;
    sample = sample.subarray(0, end);
  }
  // (Its control characters were refused above, byte by byte: in UTF-8 they are those bytes.)
  try {
    return strictUtf8.decode(sample);
  } catch {
    return null;
  }
}

const NOT_SAML_HINT =
  'Make sure you copied the SAMLRequest or SAMLResponse value, not a token, cookie or other parameter.';

/**
 * Decodes any SAML parameter value or XML text. Detects the encoding by itself.
 * Never throws.
 */
export function decodeSamlValue(input: string, options: DecodeOptions = {}): DecodeResult {
  try {
    return decodeInner(input, options);
  } catch (e) {
    // Defensive: nothing above should throw, but a boundary must hold.
    return fail('not-xml', `The value could not be decoded: ${(e as Error)?.message ?? String(e)}. ${NOT_SAML_HINT}`);
  }
}

/** XML given as text, already trimmed. */
function fromXmlText(xml: string, maxBytes: number, urlDecoded: boolean): DecodeResult {
  const bytes = xml.length > maxBytes ? xml.length : utf8Length(xml);
  if (bytes > maxBytes) {
    return fail(
      'too-large',
      `The XML is ${xml.length > maxBytes ? 'over ' : ''}${fmtBytes(bytes)}, over the ${fmtBytes(maxBytes)} limit for one message. ` +
        'A real SAML message is a few KB: check that this is the right text; if it is, raise the limit (--max-bytes).',
    );
  }
  const err = checkXmlText(xml);
  if (err) return err;
  return { ok: true, xml, encoding: 'plain-xml', binding: 'unknown', urlDecoded, decodedBytes: bytes, base64Length: 0 };
}

const isEdgeNoise = (c: number) => c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x0b || c === 0xfeff;

/** Leading / trailing line breaks, tabs and a BOM, but not spaces (a space may be a lost '+'). */
function trimNotSpaces(s: string): string {
  // Each loop stops at a character that is not noise or past an end (charCodeAt is NaN there):
  // a value of noise alone gives ''.
  let a = 0;
  let b = s.length;
  while (isEdgeNoise(s.charCodeAt(a))) a++;
  while (isEdgeNoise(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

const PCT_RE = /%[0-9A-Fa-f]{2}/;

function decodeInner(input: string, options: DecodeOptions): DecodeResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof input !== 'string' || input.trim() === '') {
    return fail(
      'empty',
      'The value is empty: there is no SAML message to decode. Capture the sign-in again, or paste the SAMLRequest/SAMLResponse value itself.',
    );
  }
  // base64 is 4/3 of the bytes; a deflated value can be far smaller, so this only bounds the text.
  if (input.length > maxBytes * 2) {
    return fail(
      'too-large',
      `The value is ${fmtBytes(input.length)} long, over the ${fmtBytes(maxBytes)} limit for one message. ` +
        'A real SAML message is a few KB: check that this is the right value; if it is, raise the limit (--max-bytes).',
    );
  }
  let text = input.trim();
  if (startsLikeXml(text)) return fromXmlText(text, maxBytes, false);

  let b64Source = trimNotSpaces(input);
  const cut = /%[0-9A-Fa-f]?$/.exec(b64Source);
  if (cut) {
    return fail(
      'bad-base64',
      `The value is URL-encoded but ends in the middle of a %-escape (${JSON.stringify(cut[0])}): it was cut short when copied. Copy the whole value again, or export a HAR file.`,
    );
  }
  let urlDecoded = false;
  // Percent-decode once; a second time when the value was encoded twice (a redirect URL quoted
  // inside another URL). Base64 never holds '%', so this cannot damage a value.
  // (text is b64Source with more edge space trimmed: it holds a '%' exactly when b64Source does.)
  for (let round = 0; round < 2 && PCT_RE.test(text); round++) {
    const dec = percentDecode(b64Source);
    if (dec === null) {
      return fail(
        'bad-base64',
        'The value looks URL-encoded, but one of its %-escapes is malformed. Copy the value again from the browser\'s network panel, or export a HAR file.',
      );
    }
    b64Source = trimNotSpaces(dec);
    text = dec.trim();
    urlDecoded = true;
    if (startsLikeXml(text)) return fromXmlText(text, maxBytes, true);
  }

  const b64 = normaliseBase64(b64Source);
  if (typeof b64 !== 'string') return b64;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(b64);
  } catch {
    return fail('bad-base64', 'The value is not valid base64. Copy the whole SAMLRequest/SAMLResponse value again, or export a HAR file.');
  }
  if (bytes.length === 0) return fail('empty', 'The value decodes to nothing. Capture the sign-in again, or paste the whole SAMLRequest/SAMLResponse value.');

  let encoding: Encoding;
  let xmlBytes: Uint8Array;
  if (bytesStartLikeXml(bytes)) {
    encoding = 'base64';
    xmlBytes = bytes;
    if (xmlBytes.length > maxBytes) {
      return fail(
        'too-large',
        `The decoded message is ${fmtBytes(xmlBytes.length)}, over the ${fmtBytes(maxBytes)} limit. ` +
          'A real SAML message is a few KB: check that this is the right value; if it is, raise the limit (--max-bytes).',
      );
    }
  } else {
    const asText = bytesLookLikeText(bytes);
    if (asText !== null) {
      return fail('not-xml', `The decoded value is text but not XML: it begins with ${JSON.stringify(asText.slice(0, 20))}. ${NOT_SAML_HINT}`);
    }
    // HTTP-Redirect: raw DEFLATE per the bindings spec; some senders use a zlib wrapper. The
    // wrapper is tried first: its two-byte header check turns raw DEFLATE away at once, and a
    // value that inflates both ways has a valid zlib header, so it is zlib.
    let out: Uint8Array | 'too-large' | null = null;
    let usedRaw = true;
    for (const raw of [false, true]) {
      out = boundedInflate(bytes, raw, maxBytes);
      usedRaw = raw;
      if (out !== null) break;
    }
    if (out === 'too-large') {
      return fail(
        'too-large',
        `The message inflates to more than ${fmtBytes(maxBytes)}: refused (a real SAML request is a few KB). ` +
          'Check that this is the right value; a value that inflates this far is more likely a deflate bomb than a sign-in.',
      );
    }
    if (out === null) {
      return fail(
        'inflate-failed',
        'The value is base64 but neither XML nor DEFLATE-compressed data: it may be truncated, encrypted, or not a SAML message at all. ' +
          'Copy the whole SAMLRequest/SAMLResponse value again (a chat or ticket system may have cut it), or export a HAR file.',
      );
    }
    xmlBytes = out;
    encoding = usedRaw ? 'base64-deflate' : 'base64-zlib';
  }

  const xml = cleanXml(utf8.decode(xmlBytes));
  if (!startsLikeXml(xml)) {
    const what = encoding === 'base64' ? 'The decoded value' : 'The value inflates, but it';
    return fail('not-xml', `${what} is not XML: it begins with ${JSON.stringify(xml.slice(0, 20))}. ${NOT_SAML_HINT}`);
  }
  const err = checkXmlText(xml);
  if (err) return err;
  return {
    ok: true,
    xml,
    encoding,
    binding: encoding === 'base64' ? 'post' : 'redirect',
    urlDecoded,
    decodedBytes: xmlBytes.length,
    base64Length: b64.length,
  };
}

export { extractSamlParams, type ExtractedParams } from './params.ts';
