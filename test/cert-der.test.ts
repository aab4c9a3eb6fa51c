// lib/signature/cert.ts's DER reader on certificates written byte by byte here (a small DER
// writer below, independent of the reader), and on certificates @peculiar/x509 makes in shapes the
// lab keys do not have (another issuer, BMPString names, dates past 2049, P-384/P-521 and Ed25519
// keys, a serial number with its top bit set), each compared with node:crypto's reading. Every
// way a pasted text can fail to be a certificate says why.
import { X509Certificate, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { certificateDetails, certificateSummary, describeCertificate, isCertificateError, type CertificateInfo } from '../lib/signature/cert.ts';
import { IDP_KEY } from './lab/keys.ts';

// ---- a DER writer ------------------------------------------------------------------------------
type Bytes = number[];
const lenOf = (n: number): Bytes => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
const tlv = (tag: number, ...content: Bytes[]): Bytes => {
  const c = content.flat();
  return [tag, ...lenOf(c.length), ...c];
};
const seq = (...c: Bytes[]) => tlv(0x30, ...c);
const set = (...c: Bytes[]) => tlv(0x31, ...c);
const ascii = (s: string): Bytes => [...Buffer.from(s, 'utf8')];
function oidBytes(dotted: string): Bytes {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const arcs = [a! * 40 + b!, ...rest];
  const out: Bytes = [];
  for (const arc of arcs) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, out);
}
const utf8String = (s: string) => tlv(0x0c, ascii(s));
const bmpString = (s: string) => tlv(0x1e, [...s].flatMap((ch) => [ch.charCodeAt(0) >> 8, ch.charCodeAt(0) & 0xff]));
const nameOf = (...atvs: [string, Bytes][]) => seq(...atvs.map(([o, v]) => set(seq(oidBytes(o), v))));
const utcTime = (s: string) => tlv(0x17, ascii(s));
const genTime = (s: string) => tlv(0x18, ascii(s));
const RSA_OID = '1.2.840.113549.1.1.1';
const rsaSpki = (modulus: Bytes) => seq(seq(oidBytes(RSA_OID), [0x05, 0x00]), tlv(0x03, [0x00], seq(tlv(0x02, modulus), tlv(0x02, [0x01, 0x00, 0x01]))));

interface Parts {
  version?: boolean;
  serial?: Bytes;
  issuer?: Bytes;
  validity?: Bytes;
  subject?: Bytes;
  spki?: Bytes;
  /** Fields after the SPKI that the reader skips (extensions). */
  extra?: Bytes;
}
const CN = (s: string) => nameOf(['2.5.4.3', utf8String(s)]);
function cert(p: Parts = {}): string {
  const tbs = seq(
    p.version === false ? [] : tlv(0xa0, tlv(0x02, [0x02])),
    p.serial ?? tlv(0x02, [0x01]),
    seq(oidBytes('1.2.840.113549.1.1.11'), [0x05, 0x00]),
    p.issuer ?? CN('issuer'),
    p.validity ?? seq(utcTime('260101000000Z'), utcTime('360101000000Z')),
    p.subject ?? CN('subject'),
    p.spki ?? rsaSpki([0x00, 0xc0, ...Array(255).fill(0x11)]),
    p.extra ?? [],
  );
  return Buffer.from(seq(tbs, seq(oidBytes('1.2.840.113549.1.1.11'), [0x05, 0x00]), tlv(0x03, [0x00, 0x01]))).toString('base64');
}
const read = (b64: string): CertificateInfo => {
  const i = describeCertificate(b64);
  if (isCertificateError(i)) throw new Error(i.message);
  return i;
};
const failure = (b64: string) => {
  const i = describeCertificate(b64);
  if (!isCertificateError(i)) throw new Error('read as a certificate');
  return i.message;
};
const couldNot = (why: string) => `The certificate could not be read (${why}): is it the whole certificate, not a key or a thumbprint?`;

describe('the writer agrees with node:crypto (so what follows tests the reader)', () => {
  it('a hand-written certificate is one node:crypto reads the same way', () => {
    const b64 = cert();
    const n = new X509Certificate(Buffer.from(b64, 'base64'));
    expect(n.subject).toBe('CN=subject');
    expect(n.issuer).toBe('CN=issuer');
    expect(n.serialNumber).toBe('01');
    expect(new Date(n.validFrom).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('fields, as written byte by byte', () => {
  it('the whole reading of a plain certificate', () => {
    const b64 = cert();
    const n = new X509Certificate(Buffer.from(b64, 'base64'));
    const i = read(b64);
    expect({ ...i, spki: undefined }).toStrictEqual({
      base64: b64,
      subject: 'CN=subject',
      issuer: 'CN=issuer',
      serialNumber: '01',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2036-01-01T00:00:00Z'),
      sha1: n.fingerprint.replace(/:/g, ''),
      sha256: n.fingerprint256.replace(/:/g, ''),
      keyType: 'RSA',
      keySize: 2048,
      spki: undefined,
      selfSigned: false,
    });
    expect(Buffer.from(i.spki)).toStrictEqual(Buffer.from(rsaSpki([0x00, 0xc0, ...Array(255).fill(0x11)])));
  });
  it('no version field (v1): the fields are read from the start', () => {
    expect(read(cert({ version: false }))).toMatchObject({ serialNumber: '01', subject: 'CN=subject', issuer: 'CN=issuer' });
  });
  it('the serial number as people read it: a DER 00 pad dropped, a lone 00 kept, upper-case hex', () => {
    expect(read(cert({ serial: tlv(0x02, [0x00, 0x9a, 0xbc]) })).serialNumber).toBe('9ABC');
    expect(read(cert({ serial: tlv(0x02, [0x00]) })).serialNumber).toBe('00');
    expect(read(cert({ serial: tlv(0x02, [0x7f, 0x00]) })).serialNumber).toBe('7F00');
  });
  it('names: the order written, every attribute type it knows, and the OID of one it does not', () => {
    const subject = nameOf(
      ['2.5.4.6', tlv(0x13, ascii('NL'))],
      ['2.5.4.8', utf8String('Noord-Holland')],
      ['2.5.4.7', utf8String('Amsterdam')],
      ['2.5.4.10', utf8String('Contoso')],
      ['2.5.4.11', utf8String('IT')],
      ['2.5.4.3', utf8String('Иван')],
      ['2.5.4.5', tlv(0x13, ascii('42'))],
      ['1.2.840.113549.1.9.1', tlv(0x16, ascii('a@b.c'))],
      ['0.9.2342.19200300.100.1.25', tlv(0x16, ascii('contoso'))],
      ['2.999.7', utf8String('x')],
      ['1.3.6.1.4.1.311.60.2.1.3', bmpString('DE')],
    );
    expect(read(cert({ subject })).subject).toBe('C=NL, ST=Noord-Holland, L=Amsterdam, O=Contoso, OU=IT, CN=Иван, serialNumber=42, E=a@b.c, DC=contoso, 2.999.7=x, 1.3.6.1.4.1.311.60.2.1.3=DE');
    // Two attributes in one RDN (a SET of two), and an attribute missing its value, skipped.
    const multi = seq(set(seq(oidBytes('2.5.4.3'), utf8String('a')), seq(oidBytes('2.5.4.10'), utf8String('b'))), set(seq(oidBytes('2.5.4.11'))));
    expect(read(cert({ subject: multi })).subject).toBe('CN=a, O=b');
    expect(read(cert({ subject: seq() })).subject).toBe('');
  });
  it('BMPString (UTF-16BE), odd trailing byte ignored', () => {
    expect(read(cert({ subject: nameOf(['2.5.4.3', bmpString('Zoë Ω')]) })).subject).toBe('CN=Zoë Ω');
    expect(read(cert({ subject: nameOf(['2.5.4.3', tlv(0x1e, [0x00, 0x41, 0x00])]) })).subject).toBe('CN=A');
  });
  it('self-signed when subject and issuer read the same', () => {
    expect(read(cert({ issuer: CN('same'), subject: CN('same') })).selfSigned).toBe(true);
    expect(read(cert({ issuer: CN('same'), subject: CN('Same') })).selfSigned).toBe(false);
  });
  it('dates: UTCTime with the 1950–2049 window, GeneralizedTime, seconds optional, fractions read away', () => {
    const v = (a: Bytes, b: Bytes) => read(cert({ validity: seq(a, b) }));
    expect(v(utcTime('491231235959Z'), utcTime('500101000000Z'))).toMatchObject({ notBefore: new Date('2049-12-31T23:59:59Z'), notAfter: new Date('1950-01-01T00:00:00Z') });
    expect(v(utcTime('0001010000Z'), genTime('20991231235959Z'))).toMatchObject({ notBefore: new Date('2000-01-01T00:00:00Z'), notAfter: new Date('2099-12-31T23:59:59Z') });
    expect(v(genTime('205001020304Z'), genTime('20500102030405.123Z'))).toMatchObject({ notBefore: new Date('2050-01-02T03:04:00Z'), notAfter: new Date('2050-01-02T03:04:05Z') });
  });
  it('dates it cannot read are left out, not guessed', () => {
    const v = (a: Bytes, b: Bytes) => read(cert({ validity: seq(a, b) }));
    for (const bad of [utcTime('260101000000'), utcTime('2026-01-01Z'), utcTime('x260101000000Z'), utcTime('2601010000000Z'), genTime('20260101000000+0100'), genTime('2026010100Z'), genTime('20260101000000Zx'), tlv(0x04, ascii('20260101000000Z')), tlv(0x13, ascii('260101000000Z'))]) {
      const i = v(bad, utcTime('360101000000Z'));
      expect(i.notBefore, JSON.stringify(bad)).toBeUndefined();
      expect(i.notAfter).toStrictEqual(new Date('2036-01-01T00:00:00Z'));
    }
    expect(v(seq(), utcTime('360101000000Z')).notBefore).toBeUndefined();
    const none = read(cert({ validity: seq() }));
    expect(none.notBefore).toBeUndefined();
    expect(none.notAfter).toBeUndefined();
  });
  it('RSA key sizes from the modulus: leading zero bytes skipped, the top byte counted to its highest bit', () => {
    const size = (modulus: Bytes) => read(cert({ spki: rsaSpki(modulus) })).keySize;
    expect(size([0x00, 0x80, ...Array(127).fill(1)])).toBe(1024);
    expect(size([0x01, ...Array(128).fill(1)])).toBe(1025);
    expect(size([0x00, 0x00, 0x7f, 0x01])).toBe(15);
    expect(size([0x00])).toBe(0);
    // An RSA key with no modulus: no size.
    const empty = seq(seq(oidBytes(RSA_OID), [0x05, 0x00]), tlv(0x03, [0x00], seq()));
    const i = read(cert({ spki: empty }));
    expect(i.keyType).toBe('RSA');
    expect(i.keySize).toBeUndefined();
  });
  it('EC keys: the curve by OID; an unknown curve or no parameters, no size; another algorithm by its OID', () => {
    const ec = (params: Bytes) => read(cert({ spki: seq(seq(oidBytes('1.2.840.10045.2.1'), params), tlv(0x03, [0x00, 0x04, 0x01, 0x02])) }));
    expect(ec(oidBytes('1.2.840.10045.3.1.7'))).toMatchObject({ keyType: 'EC', keySize: 256, namedCurve: 'P-256' });
    expect(ec(oidBytes('1.3.132.0.34'))).toMatchObject({ keyType: 'EC', keySize: 384, namedCurve: 'P-384' });
    expect(ec(oidBytes('1.3.132.0.35'))).toMatchObject({ keyType: 'EC', keySize: 521, namedCurve: 'P-521' });
    for (const params of [oidBytes('1.3.132.0.10'), [], [0x05, 0x00], seq(oidBytes('1.2.840.10045.3.1.7'))]) {
      const i = ec(params);
      expect(i.keyType).toBe('EC');
      expect(i.keySize).toBeUndefined();
      expect(i.namedCurve).toBeUndefined();
    }
    const ed = read(cert({ spki: seq(seq(oidBytes('1.3.101.112')), tlv(0x03, [0x00, ...Array(32).fill(7)])) }));
    expect(ed.keyType).toBe('1.3.101.112');
    expect(ed.keySize).toBeUndefined();
    expect(read(cert({ spki: seq(seq(), tlv(0x03, [0x00])) })).keyType).toBe('');
  });
  it('object identifiers under every first arc, and arcs of several bytes', () => {
    for (const o of ['0.9.2342.19200300.100.1.1', '1.2.3', '2.5.4.99', '2.999.1', '2.40.0', '1.39.16384']) {
      expect(read(cert({ subject: nameOf([o, utf8String('v')]) })).subject, o).toBe(`${o}=v`);
    }
  });
  it('lengths in long form (1 to 3 bytes), and extensions after the key skipped', () => {
    const long = cert({ subject: CN('x'.repeat(300)), extra: tlv(0xa3, seq(seq(oidBytes('2.5.29.19'), tlv(0x04, seq())))) });
    expect(read(long).subject).toBe(`CN=${'x'.repeat(300)}`);
    const huge = cert({ subject: CN('y'.repeat(70000)) });
    expect(read(huge).subject).toHaveLength(70003);
  });
});

describe('what is not a certificate, and why', () => {
  // As PEM: a bare base64 value this short would be refused before the DER is read.
  const der = (b: Bytes) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(b).toString('base64')}\n-----END CERTIFICATE-----`;
  it('each way the DER can be wrong', () => {
    const good = [...Buffer.from(cert(), 'base64')];
    expect(failure(der(good.slice(0, -1)))).toBe(couldNot('truncated'));
    expect(failure(der([0x30]))).toBe(couldNot('truncated'));
    expect(failure(der([...good, 0x00]))).toBe(couldNot('not a DER SEQUENCE'));
    expect(failure(der([0x31, ...good.slice(1)]))).toBe(couldNot('not a DER SEQUENCE'));
    expect(failure(der([0x1f, 0x01, 0x00]))).toBe(couldNot('long-form tags are not used in certificates'));
    expect(failure(der([0x30, 0x80, 0x00, 0x00]))).toBe(couldNot('bad length'));
    expect(failure(der([0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]))).toBe(couldNot('bad length'));
    expect(failure(der([0x30, 0x82, 0x01]))).toBe(couldNot('truncated'));
    expect(failure(der([0x30, 0x02, 0x04, 0x00]))).toBe(couldNot('no TBSCertificate'));
    expect(failure(der([0x30, 0x00]))).toBe(couldNot('no TBSCertificate'));
    expect(failure(der(seq(seq(tlv(0x02, [1])))))).toBe(couldNot('incomplete TBSCertificate'));
  });
  it('a public key, not its certificate', async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)).toString('base64');
    expect(failure(spki)).toBe(couldNot('incomplete TBSCertificate'));
  });
  it('fields present but of the wrong kind', () => {
    expect(failure(cert({ serial: tlv(0x04, [1]) }))).toBe(couldNot('incomplete TBSCertificate'));
    expect(failure(cert({ spki: tlv(0x04, [1]) }))).toBe(couldNot('incomplete TBSCertificate'));
    expect(failure(cert({ spki: seq(seq(oidBytes(RSA_OID))) }))).toBe(couldNot('bad SubjectPublicKeyInfo'));
    expect(failure(cert({ spki: seq(seq(oidBytes(RSA_OID)), tlv(0x04, [0])) }))).toBe(couldNot('bad SubjectPublicKeyInfo'));
  });
  it('text that is not a certificate, or not base64', () => {
    const notOne = 'This is not a certificate: paste the PEM (-----BEGIN CERTIFICATE-----) or its base64 text.';
    expect(failure('')).toBe(notOne);
    expect(failure(IDP_KEY.sha1)).toBe(notOne);
    expect(failure(`${IDP_KEY.certPem}${IDP_KEY.certPem}`)).toBe(notOne);
    expect(failure(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(61)}\n-----END CERTIFICATE-----`)).toBe('The certificate is not valid base64.');
  });
  it('the answer for a text is the same each time it is asked, in any armour', () => {
    const b64 = cert();
    const a = describeCertificate(b64);
    expect(describeCertificate(b64)).toBe(a);
    const pem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----`;
    expect(describeCertificate(pem)).toBe(a);
    expect(describeCertificate(` ${b64}\n`)).toBe(a);
    const bad = describeCertificate('x'.repeat(70));
    expect(describeCertificate('x'.repeat(70))).toBe(bad);
    // Many certificates later (the cache is bounded), the same reading again.
    for (let i = 0; i < 80; i++) describeCertificate(cert({ serial: tlv(0x02, [1, i]) }));
    expect(describeCertificate(b64)).toStrictEqual(a);
  });
});

describe('shapes made by @peculiar/x509, read like node:crypto reads them', () => {
  const make = async (o: { alg: EcKeyGenParams | RsaHashedKeyGenParams | { name: 'Ed25519' }; sign: Algorithm & { hash?: string }; subject: string; issuer?: string; notBefore: Date; notAfter: Date; serial: string }) => {
    const keys = (await webcrypto.subtle.generateKey(o.alg as never, true, ['sign', 'verify'])) as CryptoKeyPair;
    const c = await x509.X509CertificateGenerator.create({
      serialNumber: o.serial,
      subject: o.subject,
      issuer: o.issuer ?? o.subject,
      notBefore: o.notBefore,
      notAfter: o.notAfter,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: o.sign,
    });
    return Buffer.from(c.rawData).toString('base64');
  };
  const compare = (b64: string) => {
    const n = new X509Certificate(Buffer.from(b64, 'base64'));
    const i = read(b64);
    expect(i.subject).toBe(n.subject.split('\n').join(', '));
    expect(i.issuer).toBe(n.issuer.split('\n').join(', '));
    expect(i.notBefore!.getTime()).toBe(new Date(n.validFrom).getTime());
    expect(i.notAfter!.getTime()).toBe(new Date(n.validTo).getTime());
    expect(i.serialNumber).toBe(n.serialNumber.toUpperCase().replace(/^00(?=.)/, ''));
    expect(i.sha1).toBe(n.fingerprint.replace(/:/g, ''));
    return i;
  };
  it('P-384, another issuer, dates past 2049 (GeneralizedTime), a serial with its top bit set', async () => {
    const b64 = await make({
      alg: { name: 'ECDSA', namedCurve: 'P-384' },
      sign: { name: 'ECDSA', hash: 'SHA-384' } as never,
      subject: 'CN=leaf, O=Contoso',
      issuer: 'CN=Contoso CA, O=Contoso',
      notBefore: new Date('2049-06-01T00:00:00Z'),
      notAfter: new Date('2051-06-01T12:30:45Z'),
      serial: '80ff01',
    });
    const i = compare(b64);
    expect(i).toMatchObject({ keyType: 'EC', keySize: 384, namedCurve: 'P-384', selfSigned: false, serialNumber: '80FF01' });
  });
  it('P-521 and Ed25519 keys', async () => {
    const p521 = compare(await make({ alg: { name: 'ECDSA', namedCurve: 'P-521' }, sign: { name: 'ECDSA', hash: 'SHA-512' } as never, subject: 'CN=p521', notBefore: new Date('2026-01-01Z'), notAfter: new Date('2027-01-01Z'), serial: '02' }));
    expect(p521).toMatchObject({ keyType: 'EC', keySize: 521, namedCurve: 'P-521', selfSigned: true });
    const ed = compare(await make({ alg: { name: 'Ed25519' }, sign: { name: 'Ed25519' }, subject: 'CN=ed', notBefore: new Date('2026-01-01Z'), notAfter: new Date('2027-01-01Z'), serial: '03' }));
    expect(ed.keyType).toBe('1.3.101.112');
    expect(ed.keySize).toBeUndefined();
  });
});

describe('what people are shown of a certificate', () => {
  it('the summary line and the details, with and without dates, subject, issuer, size and curve', () => {
    const full = read(cert({ issuer: CN('same'), subject: CN('same') }));
    expect(certificateSummary(full)).toBe(`CN=same (SHA-1 thumbprint ${full.sha1}, valid 2026-01-01 to 2036-01-01)`);
    expect(certificateDetails(full)).toStrictEqual([
      { label: 'Subject', value: 'CN=same' },
      { label: 'Issuer', value: 'CN=same (self-signed)' },
      { label: 'Valid from', value: '2026-01-01T00:00:00Z' },
      { label: 'Valid to', value: '2036-01-01T00:00:00Z' },
      { label: 'SHA-1 thumbprint', value: full.sha1 },
      { label: 'SHA-256 fingerprint', value: full.sha256 },
      { label: 'Key', value: 'RSA 2048 bits' },
      { label: 'Serial number', value: '01' },
    ]);
    const bare = read(cert({ subject: seq(), issuer: seq(), validity: seq(utcTime('260101000000Z')), spki: seq(seq(oidBytes('1.2.840.10045.2.1'), oidBytes('1.2.840.10045.3.1.7')), tlv(0x03, [0])) }));
    expect(certificateSummary(bare)).toBe(`(no subject) (SHA-1 thumbprint ${bare.sha1})`);
    expect(Object.fromEntries(certificateDetails(bare).map((d) => [d.label, d.value]))).toMatchObject({
      Subject: '(none)',
      Issuer: '(none)',
      'Valid from': '2026-01-01T00:00:00Z',
      'Valid to': '(unreadable)',
      Key: 'EC 256 bits (P-256)',
    });
    const other = read(cert({ issuer: seq(), validity: seq(), spki: seq(seq(oidBytes('1.3.101.112')), tlv(0x03, [0])) }));
    expect(Object.fromEntries(certificateDetails(other).map((d) => [d.label, d.value]))).toMatchObject({ Issuer: '(none)', 'Valid from': '(unreadable)', Key: '1.3.101.112' });
    // Fractions of a second are read away.
    const ms = read(cert({ validity: seq(genTime('20260101000000.5Z'), utcTime('360101000000Z')) }));
    expect(certificateDetails(ms)[2]!.value).toBe('2026-01-01T00:00:00Z');
  });
});
