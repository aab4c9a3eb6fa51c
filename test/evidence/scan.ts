// Looks for identifiers everywhere in an export's bytes: the text itself, its URL-decoded and
// JSON-unescaped forms, and every base64 blob in it decoded (and inflated when it is DEFLATE),
// recursively, so an identifier hidden in an encoded SAML payload is found.
import { inflateRaw } from 'pako';

const B64_BLOB = /[A-Za-z0-9+/_%-]{16,}={0,2}(?:%3D){0,2}/g;

function tryDecodeURI(s: string): string | undefined {
  try {
    const d = decodeURIComponent(s);
    return d === s ? undefined : d;
  } catch {
    return undefined;
  }
}

function base64Texts(blob: string): string[] {
  const out: string[] = [];
  let b = blob;
  const dec = tryDecodeURI(b);
  if (dec) b = dec;
  b = b.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '');
  if (b.replace(/=+$/, '').length % 4 === 1) return out;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(Buffer.from(b, 'base64'));
  } catch {
    return out;
  }
  if (bytes.length < 8) return out;
  out.push(Buffer.from(bytes).toString('utf8'));
  if (readsAsLatin1Text(bytes)) out.push(Buffer.from(bytes).toString('latin1'));
  try {
    const inflated = inflateRaw(bytes);
    if (inflated && inflated.length) out.push(Buffer.from(inflated).toString('utf8'));
  } catch {
    /* not deflate */
  }
  return out;
}

/**
 * Bytes that are text in ISO-8859-1 rather than UTF-8 (a message declared encoding="ISO-8859-1"):
 * not valid UTF-8, and nearly all printable. Random bytes (a signature, a certificate, a value
 * pseudonymised at random) read as Latin-1 spell a four-letter name now and then: in the hostile
 * fuzz run, "josé" (6A 6F 73 E9) turned up in one export of about 10,000 and was reported as a leak.
 */
export function readsAsLatin1Text(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    /* not UTF-8 */
  }
  let printable = 0;
  for (const b of bytes) if ((b >= 0x20 && b <= 0x7e) || b >= 0xa0 || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
  return printable >= bytes.length * 0.95;
}

function jsonStrings(text: string): string[] {
  try {
    const out: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(text));
    return out;
  } catch {
    return [];
  }
}

/** Every readable form of the export: the texts to search. */
export function allForms(text: string, depth = 3): string[] {
  const seen = new Set<string>();
  const queue: [string, number][] = [[text, 0]];
  while (queue.length) {
    const [t, d] = queue.shift()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (d >= depth) continue;
    const next = [tryDecodeURI(t), ...jsonStrings(t)];
    for (const m of t.match(B64_BLOB) ?? []) next.push(...base64Texts(m));
    for (const n of next) if (n && !seen.has(n)) queue.push([n, d + 1]);
  }
  return [...seen];
}

/** The identifiers found in any form of the export (case-insensitive). */
export function findLeaks(text: string, identifiers: string[]): string[] {
  const forms = allForms(text).map((f) => f.toLowerCase());
  return identifiers.filter((id) => forms.some((f) => f.includes(id.toLowerCase())));
}

/** How many decoded blobs the scanner looked into (to prove it looked). */
export function decodedBlobCount(text: string): number {
  return allForms(text).length;
}
