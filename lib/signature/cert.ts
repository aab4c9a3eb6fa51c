// X.509 certificates as people read them: subject, issuer, validity, SHA-1 and SHA-256
// fingerprints (the Entra admin center shows the SHA-1 "Thumbprint"), key type and size.
// A small DER reader, synchronous and dependency-free, so the checks, the popup and the options
// page can use it without loading the signature verifier.
import { hex, sha1, sha256 } from './hash.ts';

export interface CertificateInfo {
  /** Base64 DER, whitespace removed: the identity of the certificate. */
  base64: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Upper-case hex, no separators (Entra's Thumbprint). */
  sha1: string;
  sha256: string;
  /** 'RSA', 'EC' or the algorithm OID when neither. */
  keyType: string;
  /** Bits of the RSA modulus or of the EC curve. */
  keySize?: number;
  /** P-256, P-384, P-521 for EC keys. */
  namedCurve?: string;
  /** The SubjectPublicKeyInfo DER, for WebCrypto's importKey('spki'). */
  spki: Uint8Array<ArrayBuffer>;
  selfSigned: boolean;
}

export interface CertificateError {
  ok: false;
  message: string;
}

// ---- base64 ---------------------------------------------------------------------------------

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> | undefined {
  const s = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return undefined;
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

export function bytesToBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

// ---- DER --------------------------------------------------------------------------------------

interface Tlv {
  tag: number;
  /** Offset of the content. */
  start: number;
  /** Offset after the content. */
  end: number;
  /** Offset of the tag byte. */
  headerStart: number;
}

class DerError extends Error {}

function readTlv(b: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError('truncated');
  const tag = b[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('long-form tags are not used in certificates');
  let len = b[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new DerError('truncated');
      len = len * 256 + b[p++]!;
    }
  }
  if (p + len > limit) throw new DerError('truncated');
  return { tag, start: p, end: p + len, headerStart: pos };
}

function childrenOf(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.start; p < t.end; ) {
    const c = readTlv(b, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

function oid(b: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const NAME_OIDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const utf8 = new TextDecoder('utf-8', { fatal: false });

function stringValue(b: Uint8Array, t: Tlv): string {
  const bytes = b.subarray(t.start, t.end);
  if (t.tag === 0x1e) {
    // BMPString: UTF-16BE
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return s;
  }
  return utf8.decode(bytes);
}

/** A Name as "CN=…, O=…", in the order written (how Windows and the Entra admin center show it). */
function name(b: Uint8Array, t: Tlv): string {
  const parts: string[] = [];
  for (const set of childrenOf(b, t)) {
    for (const atv of childrenOf(b, set)) {
      const [o, v] = childrenOf(b, atv);
      if (!o || !v) continue;
      const id = oid(b, o);
      parts.push(`${NAME_OIDS[id] ?? id}=${stringValue(b, v)}`);
    }
  }
  return parts.join(', ');
}

function time(b: Uint8Array, t: Tlv): Date | undefined {
  // Validity is a UTCTime (0x17) or a GeneralizedTime (0x18); any other tag is no date.
  if (t.tag !== 0x17 && t.tag !== 0x18) return undefined;
  const s = String.fromCharCode(...b.subarray(t.start, t.end));
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
  if (!m) return undefined;
  let y = Number(m[1]);
  if (t.tag === 0x17) y += y < 50 ? 2000 : 1900;
  const d = new Date(Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function intBits(b: Uint8Array, t: Tlv): number {
  let i = t.start;
  while (i < t.end && b[i] === 0) i++;
  if (i >= t.end) return 0;
  return (t.end - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

const CURVES: Record<string, { name: string; bits: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
};

function parseDer(der: Uint8Array<ArrayBuffer>, base64: string): CertificateInfo {
  const cert = readTlv(der, 0, der.length);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new DerError('not a DER SEQUENCE');
  const [tbs] = childrenOf(der, cert);
  if (!tbs || tbs.tag !== 0x30) throw new DerError('no TBSCertificate');
  const f = childrenOf(der, tbs);
  let i = 0;
  if (f[0]?.tag === 0xa0) i++; // [0] version
  const serial = f[i++];
  i++; // signature AlgorithmIdentifier
  const issuer = f[i++];
  const validity = f[i++];
  const subject = f[i++];
  const spki = f[i++];
  if (!serial || !issuer || !validity || !subject || !spki || serial.tag !== 0x02 || spki.tag !== 0x30) throw new DerError('incomplete TBSCertificate');
  const [nb, na] = childrenOf(der, validity);
  const [alg, bits] = childrenOf(der, spki);
  if (!alg || !bits || bits.tag !== 0x03) throw new DerError('bad SubjectPublicKeyInfo');
  const [algOid, params] = childrenOf(der, alg);
  const keyOid = algOid ? oid(der, algOid) : '';
  let keyType = keyOid;
  let keySize: number | undefined;
  let namedCurve: string | undefined;
  if (keyOid === '1.2.840.113549.1.1.1') {
    keyType = 'RSA';
    // BIT STRING: one byte of unused bits, then RSAPublicKey ::= SEQUENCE { modulus, exponent }.
    const rsa = readTlv(der, bits.start + 1, bits.end);
    const [mod] = childrenOf(der, rsa);
    if (mod) keySize = intBits(der, mod);
  } else if (keyOid === '1.2.840.10045.2.1') {
    keyType = 'EC';
    const c = params && params.tag === 0x06 ? CURVES[oid(der, params)] : undefined;
    if (c) {
      namedCurve = c.name;
      keySize = c.bits;
    }
  }
  const subj = name(der, subject);
  const iss = name(der, issuer);
  const info: CertificateInfo = {
    base64,
    subject: subj,
    issuer: iss,
    // DER pads a positive INTEGER with 00 when its top bit is set; people read it without.
    serialNumber: hex(der.subarray(serial.end - serial.start > 1 && der[serial.start] === 0 ? serial.start + 1 : serial.start, serial.end)),
    sha1: hex(sha1(der)),
    sha256: hex(sha256(der)),
    keyType,
    spki: der.subarray(spki.headerStart, spki.end),
    selfSigned: subj === iss,
  };
  const from = nb ? time(der, nb) : undefined;
  const to = na ? time(der, na) : undefined;
  if (from) info.notBefore = from;
  if (to) info.notAfter = to;
  if (keySize !== undefined) info.keySize = keySize;
  if (namedCurve) info.namedCurve = namedCurve;
  return info;
}

const infoCache = new Map<string, CertificateInfo | CertificateError>();

/** Reads one certificate given as base64 DER (as in ds:X509Certificate) or PEM. Never throws. */
export function describeCertificate(text: string): CertificateInfo | CertificateError {
  // The checks ask for the same certificate text several times per analysis: look it up as given first.
  const seen = infoCache.get(text);
  if (seen) return seen;
  const b64 = normalizeCertificate(text);
  if (!b64) return { ok: false, message: 'This is not a certificate: paste the PEM (-----BEGIN CERTIFICATE-----) or its base64 text.' };
  const hit = infoCache.get(b64);
  if (hit) {
    if (text.length < 20000) infoCache.set(text, hit);
    return hit;
  }
  const der = base64ToBytes(b64);
  let r: CertificateInfo | CertificateError;
  if (!der) r = { ok: false, message: 'The certificate is not valid base64.' };
  else {
    try {
      r = parseDer(der, b64);
    } catch (e) {
      r = { ok: false, message: `The certificate could not be read (${(e as Error).message}): is it the whole certificate, not a key or a thumbprint?` };
    }
  }
  if (infoCache.size > 64) infoCache.clear();
  infoCache.set(b64, r);
  if (text !== b64) infoCache.set(text, r);
  return r;
}

export function isCertificateError(x: CertificateInfo | CertificateError): x is CertificateError {
  return (x as CertificateError).ok === false;
}

/** One certificate's base64 DER without armour or whitespace, or undefined when it is not one. */
export function normalizeCertificate(text: string): string | undefined {
  const all = splitCertificates(text);
  return all.length === 1 ? all[0] : undefined;
}

const PEM_RE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/**
 * Every certificate in a pasted text: PEM blocks (one or several), or one bare base64 value.
 * Returns base64 DER strings, whitespace removed.
 */
export function splitCertificates(text: string): string[] {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (!t) return [];
  if (t.includes('-----BEGIN')) {
    const out: string[] = [];
    for (const m of t.matchAll(PEM_RE)) {
      const b = m[1]!.replace(/\s+/g, '');
      if (b) out.push(b);
    }
    return out;
  }
  const b = t.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(b) && b.length >= 64 ? [b] : [];
}

/** Same certificate? Compares DER, ignoring whitespace and PEM armour. */
export function sameCertificate(a: string, b: string): boolean {
  return (normalizeCertificate(a) ?? a) === (normalizeCertificate(b) ?? b);
}

/** PEM text of a base64 DER certificate. */
export function toPem(b64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** "AB:CD:…" for people comparing fingerprints by eye. */
export function colonHex(h: string): string {
  return h.replace(/(..)(?!$)/g, '$1:');
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One line: subject, SHA-1 thumbprint, validity. */
export function certificateSummary(c: CertificateInfo): string {
  const validity = c.notBefore && c.notAfter ? `, valid ${day(c.notBefore)} to ${day(c.notAfter)}` : '';
  return `${c.subject || '(no subject)'} (SHA-1 thumbprint ${c.sha1}${validity})`;
}

/** The lines the options page and the CLI show for a certificate. */
export function certificateDetails(c: CertificateInfo): { label: string; value: string }[] {
  return [
    { label: 'Subject', value: c.subject || '(none)' },
    { label: 'Issuer', value: !c.issuer ? '(none)' : c.selfSigned ? `${c.issuer} (self-signed)` : c.issuer },
    { label: 'Valid from', value: c.notBefore ? c.notBefore.toISOString().replace('.000Z', 'Z') : '(unreadable)' },
    { label: 'Valid to', value: c.notAfter ? c.notAfter.toISOString().replace('.000Z', 'Z') : '(unreadable)' },
    { label: 'SHA-1 thumbprint', value: c.sha1 },
    { label: 'SHA-256 fingerprint', value: c.sha256 },
    { label: 'Key', value: `${c.keyType}${c.keySize ? ` ${c.keySize} bits` : ''}${c.namedCurve ? ` (${c.namedCurve})` : ''}` },
    { label: 'Serial number', value: c.serialNumber },
  ];
}
