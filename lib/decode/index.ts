// Decoding of SAML message values as they travel: HTTP-POST (base64), HTTP-Redirect
// (URL-encoded base64 of raw DEFLATE), or plain XML. Never throws past this boundary: every
// failure is a DecodeError with a code and a sentence a person can act on.
import { Inflate } from 'pako';

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

/** Bytes → text, UTF-8, without throwing on bad sequences. */
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

function fmtBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

function startsLikeXml(s: string): boolean {
  let i = 0;
  if (s.charCodeAt(0) === 0xfeff) i = 1;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  return s[i] === '<';
}

function bytesStartLikeXml(b: Uint8Array): boolean {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
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
 * spaces that were '+' before a form decoding, the URL-safe alphabet and missing padding.
 */
function normaliseBase64(text: string): string | DecodeError {
  let s = text.replace(/[\r\n\t]/g, '');
  if (s.includes(' ')) {
    const asPlus = s.replace(/ /g, '+');
    const stripped = s.replace(/ /g, '');
    // A space inside a line is most likely a '+' lost to form decoding; trailing/leading are noise.
    s = asPlus.trim().length % 4 === 0 || stripped.length % 4 !== 0 ? asPlus.trim() : stripped;
  }
  if (/[-_]/.test(s) && !/[+/]/.test(s)) s = s.replace(/-/g, '+').replace(/_/g, '/');
  const body = s.replace(/=+$/, '');
  if (!BASE64_RE.test(body)) {
    const bad = body.match(/[^A-Za-z0-9+/]/);
    const at = bad ? body.indexOf(bad[0]) : -1;
    return fail(
      'bad-base64',
      `The value is not base64: character ${JSON.stringify(bad?.[0] ?? '?')} at position ${at} is not allowed. ` +
        'Copy the whole SAMLRequest/SAMLResponse value, without surrounding quotes or other parameters.',
    );
  }
  if (body.length % 4 === 1) {
    return fail(
      'bad-base64',
      `The base64 value has ${body.length} characters, which no complete base64 text can have: it was probably cut short when copied.`,
    );
  }
  return body + '='.repeat((4 - (body.length % 4)) % 4);
}

function base64ToBytes(b64: string): Uint8Array {
  if (typeof atob === 'function') {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  // Node without atob (older versions): Buffer is available there.
  const B = (globalThis as unknown as { Buffer: { from(s: string, e: string): Uint8Array } }).Buffer;
  return new Uint8Array(B.from(b64, 'base64'));
}

class TooLarge extends Error {}

/** Inflates with a hard cap on output size, so a deflate bomb stops at the cap. */
function boundedInflate(data: Uint8Array, raw: boolean, maxBytes: number): Uint8Array | 'too-large' | null {
  const inf = new Inflate({ raw, chunkSize: 64 * 1024 });
  let total = 0;
  const chunks: Uint8Array[] = [];
  inf.onData = (chunk: Uint8Array<ArrayBuffer>) => {
    total += chunk.length;
    if (total > maxBytes) throw new TooLarge();
    chunks.push(chunk);
  };
  inf.onEnd = () => {};
  try {
    inf.push(data, true);
  } catch (e) {
    if (e instanceof TooLarge) return 'too-large';
    return null;
  }
  if (inf.err !== 0 || !inf.ended) return null;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

const DOCTYPE_RE = /<!DOCTYPE|<!ENTITY/i;

function checkXmlText(xml: string): DecodeError | null {
  if (DOCTYPE_RE.test(xml)) {
    return fail(
      'doctype-refused',
      'The message contains a DOCTYPE or ENTITY declaration. Real identity providers never send one, and it can smuggle values past a parser (entity expansion), so it is refused unread.',
    );
  }
  return null;
}

/** Removes a UTF-8 BOM and leading whitespace. */
function cleanXml(s: string): string {
  return s.replace(/^\uFEFF/, '').replace(/^\s+/, '');
}

/**
 * Decodes any SAML parameter value or XML text. Detects the encoding by itself.
 * Never throws.
 */
export function decodeSamlValue(input: string, options: DecodeOptions = {}): DecodeResult {
  try {
    return decodeInner(input, options);
  } catch (e) {
    // Defensive: nothing above should throw, but a boundary must hold.
    return fail('not-xml', `The value could not be decoded: ${(e as Error)?.message ?? String(e)}`);
  }
}

function decodeInner(input: string, options: DecodeOptions): DecodeResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof input !== 'string' || input.trim() === '') {
    return fail('empty', 'The value is empty: there is no SAML message to decode.');
  }
  // base64 is 4/3 of the bytes; a deflated value can be far smaller, so this only bounds the text.
  if (input.length > maxBytes * 2) {
    return fail(
      'too-large',
      `The value is ${fmtBytes(input.length)} long, over the ${fmtBytes(maxBytes)} limit for one message.`,
    );
  }
  let text = input.trim();

  if (startsLikeXml(text)) {
    const xml = cleanXml(text);
    const bytes = new TextEncoder().encode(xml).length;
    if (bytes > maxBytes) {
      return fail('too-large', `The XML is ${fmtBytes(bytes)}, over the ${fmtBytes(maxBytes)} limit for one message.`);
    }
    const err = checkXmlText(xml);
    if (err) return err;
    return { ok: true, xml, encoding: 'plain-xml', binding: 'unknown', urlDecoded: false, decodedBytes: bytes, base64Length: 0 };
  }

  let urlDecoded = false;
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    const dec = percentDecode(text);
    if (dec === null) {
      return fail('bad-base64', 'The value looks URL-encoded, but one of its %-escapes is malformed.');
    }
    text = dec.trim();
    urlDecoded = true;
    if (startsLikeXml(text)) {
      const r = decodeInner(text, options);
      if (r.ok) r.urlDecoded = true;
      return r;
    }
  }

  const b64 = normaliseBase64(text);
  if (typeof b64 !== 'string') return b64;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(b64);
  } catch {
    return fail('bad-base64', 'The value is not valid base64.');
  }
  if (bytes.length === 0) return fail('empty', 'The value decodes to nothing.');

  let encoding: Encoding;
  let xmlBytes: Uint8Array;
  if (bytesStartLikeXml(bytes)) {
    encoding = 'base64';
    xmlBytes = bytes;
    if (xmlBytes.length > maxBytes) {
      return fail('too-large', `The decoded message is ${fmtBytes(xmlBytes.length)}, over the ${fmtBytes(maxBytes)} limit.`);
    }
  } else {
    // HTTP-Redirect: raw DEFLATE per the bindings spec; some senders use a zlib wrapper.
    const zlibHeader = bytes.length > 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
    const order: boolean[] = zlibHeader ? [false, true] : [true, false];
    let out: Uint8Array | 'too-large' | null = null;
    let usedRaw = true;
    for (const raw of order) {
      out = boundedInflate(bytes, raw, maxBytes);
      usedRaw = raw;
      if (out !== null) break;
    }
    if (out === 'too-large') {
      return fail('too-large', `The message inflates to more than ${fmtBytes(maxBytes)}: refused (a real SAML request is a few KB).`);
    }
    if (out === null) {
      return fail(
        'inflate-failed',
        'The value is base64 but neither XML nor DEFLATE-compressed data: it may be truncated, encrypted, or not a SAML message at all.',
      );
    }
    xmlBytes = out;
    encoding = usedRaw ? 'base64-deflate' : 'base64-zlib';
  }

  const xml = cleanXml(utf8.decode(xmlBytes));
  if (!startsLikeXml(xml)) {
    return fail('not-xml', `The decoded value is not XML: it begins with ${JSON.stringify(xml.slice(0, 20))}.`);
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
