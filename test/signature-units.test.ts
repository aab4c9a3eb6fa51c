// lib/signature's small pieces, value by value: base64 and PEM handling, the one-line summary of a
// certificate, what a recorded verdict read from a file may be, trust on first use (pins).
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  certificateSummary,
  colonHex,
  describeCertificate,
  isCertificateError,
  normalizeCertificate,
  sameCertificate,
  splitCertificates,
  toPem,
  type CertificateInfo,
} from '../lib/signature/cert.ts';
import { readRecordedSignature, toRecorded } from '../lib/signature/recorded.ts';
import { normalizePins, pinFirstSeen, tenantOfMessage, type PinnableMessage } from '../lib/signature/pins.ts';
import type { MessageVerdict, SignatureVerdict } from '../lib/signature/types.ts';
import { parseSaml, isParseError } from '../lib/saml/parse.ts';
import { LAB, makeResponse, signedResponse } from './lab/factory.ts';
import { signatureLabel, signers } from '../lib/signature/signers.ts';
import { C14N, c14nOptionsFor } from '../lib/signature/c14n.ts';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';

const info = (pem: string): CertificateInfo => {
  const i = describeCertificate(pem);
  if (isCertificateError(i)) throw new Error(i.message);
  return i;
};

describe('signature/cert: base64 and PEM', () => {
  it('base64 to bytes and back, whitespace ignored; undefined for what is not base64', () => {
    expect([...base64ToBytes('QUJD')!]).toEqual([65, 66, 67]);
    expect([...base64ToBytes(' QU\nJD ')!]).toEqual([65, 66, 67]);
    expect([...base64ToBytes('QUI=')!]).toEqual([65, 66]);
    expect([...base64ToBytes('')!]).toEqual([]);
    for (const bad of ['QUJ*', 'Q', 'QUJDR', '=QUJ', 'QU=J']) expect(base64ToBytes(bad), bad).toBeUndefined();
    expect(bytesToBase64(new Uint8Array([65, 66, 67]))).toBe('QUJD');
    expect(bytesToBase64(new Uint8Array([]))).toBe('');
    // Longer than one chunk of String.fromCharCode.
    const big = new Uint8Array(0x8000 * 2 + 3).map((_, i) => i % 251);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('finds every certificate in a pasted text: PEM blocks of any label, or one bare base64 value', () => {
    const pem = IDP_KEY.certPem;
    expect(splitCertificates(pem)).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates(`\uFEFF${pem}`)).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates(pem + OTHER_KEY.certPem)).toEqual([IDP_KEY.certBase64, OTHER_KEY.certBase64]);
    expect(splitCertificates(pem.replace(/CERTIFICATE-----/g, 'TRUSTED CERTIFICATE-----'))).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates(pem.replace(/CERTIFICATE-----/g, 'X509 CERTIFICATE-----'))).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates(`  ${IDP_KEY.certBase64.replace(/(.{64})/g, '$1\n')}  `)).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates('-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----')).toEqual([]);
    expect(splitCertificates('')).toEqual([]);
    expect(splitCertificates('QUJD')).toEqual([]);
    expect(splitCertificates('A'.repeat(64))).toEqual(['A'.repeat(64)]);
    expect(splitCertificates('A'.repeat(63))).toEqual([]);
    expect(splitCertificates(`${'A'.repeat(64)}*`)).toEqual([]);
  });

  it('one certificate or none; the same certificate in any armour', () => {
    expect(normalizeCertificate(IDP_KEY.certPem)).toBe(IDP_KEY.certBase64);
    expect(normalizeCertificate(IDP_KEY.certPem + OTHER_KEY.certPem)).toBeUndefined();
    expect(normalizeCertificate('not a certificate')).toBeUndefined();
    expect(sameCertificate(IDP_KEY.certPem, IDP_KEY.certBase64)).toBe(true);
    expect(sameCertificate(IDP_KEY.certPem, OTHER_KEY.certBase64)).toBe(false);
    expect(sameCertificate('x', 'x')).toBe(true);
    expect(sameCertificate('x', 'y')).toBe(false);
  });

  it('writes PEM with 64-character lines', () => {
    const pem = toPem(IDP_KEY.certBase64);
    expect(pem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(pem.endsWith('\n-----END CERTIFICATE-----\n')).toBe(true);
    const body = pem.split('\n').slice(1, -2);
    expect(body.slice(0, -1).every((l) => l.length === 64)).toBe(true);
    expect(body.join('')).toBe(IDP_KEY.certBase64);
    expect(new X509Certificate(pem).fingerprint.replace(/:/g, '')).toBe(IDP_KEY.sha1);
    expect(toPem('A'.repeat(64))).toBe(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n-----END CERTIFICATE-----\n`);
  });

  it('colons between byte pairs, and a one-line summary', () => {
    expect(colonHex('ABCDEF')).toBe('AB:CD:EF');
    expect(colonHex('AB')).toBe('AB');
    expect(colonHex('')).toBe('');
    const c = info(IDP_KEY.certPem);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(certificateSummary(c)).toBe(`CN=Microsoft Azure Federated SSO Certificate (SHA-1 thumbprint ${IDP_KEY.sha1}, valid ${day(c.notBefore!)} to ${day(c.notAfter!)})`);
    expect(certificateSummary({ ...c, subject: '', notAfter: undefined })).toBe(`(no subject) (SHA-1 thumbprint ${IDP_KEY.sha1})`);
  });
});

const sig = (o: Partial<SignatureVerdict> = {}): SignatureVerdict => ({
  path: '/Response/Assertion/Signature',
  parentPath: '/Response/Assertion',
  status: 'valid',
  problems: [],
  references: [{ ok: true, uri: '#_a' }],
  keyInfoCertificates: [IDP_KEY.certBase64],
  signingCertificate: IDP_KEY.certBase64,
  keySource: 'keyinfo',
  ...o,
});

describe('signature/recorded: a verdict read from a file', () => {
  const ok = (v: unknown) => readRecordedSignature(v);
  it('accepts the shape samlscope writes, and keeps verifiedAt', () => {
    const r = ok({ verdict: { signatures: [sig()] }, verifiedAt: '2026-03-02T10:00:00.000Z' });
    expect(r).toEqual({ ok: true, value: { verdict: { signatures: [sig()] }, verifiedAt: '2026-03-02T10:00:00.000Z' } });
    expect(ok({ verdict: { signatures: [], redirect: { status: 'invalid', problems: ['signature-value'], sigAlg: 'x', keySource: 'expected', malformed: 'empty' } } })).toMatchObject({ ok: true });
  });

  it('refuses anything else, saying what', () => {
    const why = (v: unknown) => {
      const r = ok(v);
      return r.ok ? 'accepted' : r.why;
    };
    const NOT_SHAPE = 'has a verdict whose signatures are not in the shape samlscope writes';
    expect(why(null)).toBe('is not an object');
    expect(why([])).toBe('is not an object');
    expect(why({ verdict: { signatures: [] }, verifiedAt: 'yesterday' })).toBe('has a verifiedAt that is not a time');
    expect(why({ verdict: { signatures: [] }, verifiedAt: 5 })).toBe('has a verifiedAt that is not a time');
    expect(why({})).toBe('has no verdict object');
    expect(why({ verdict: [] })).toBe('has no verdict object');
    expect(why({ verdict: {} })).toBe(NOT_SHAPE);
    expect(why({ verdict: { signatures: Array.from({ length: 9 }, () => sig()) } })).toBe(NOT_SHAPE);
    expect(why({ verdict: { signatures: Array.from({ length: 8 }, () => sig()) } })).toBe('accepted');
    for (const bad of [
      { status: 'fine' },
      { path: 1 },
      { parentPath: undefined },
      { problems: ['made-up'] },
      { problems: Array.from({ length: 9 }, () => 'reference') },
      { references: [{ ok: 'yes' }] },
      { references: [{ ok: false, problem: 'made-up' }] },
      { references: [{ ok: true, uri: 5 }] },
      { references: Array.from({ length: 9 }, () => ({ ok: true })) },
      { keyInfoCertificates: [5] },
      { keyInfoCertificates: Array.from({ length: 9 }, () => 'x') },
      { keySource: 'somewhere' },
      { detail: 5 },
      { certificateInfo: { subject: 'a' } },
      { certificateInfo: { subject: 'a', issuer: 'b', sha1: 'c', sha256: 'd', keyType: 'RSA', keySize: 'big' } },
      { certificateInfo: { subject: 'a', issuer: 'b', sha1: 'c', sha256: 'd', keyType: 'RSA', notBefore: 'never' } },
    ] as Partial<Record<keyof SignatureVerdict, unknown>>[])
      expect(why({ verdict: { signatures: [{ ...sig(), ...bad }] } }), JSON.stringify(bad)).toBe(NOT_SHAPE);
    expect(why({ verdict: { signatures: [sig({ certificateInfo: { subject: 'a', issuer: 'b', sha1: 'c', sha256: 'd', keyType: 'RSA', keySize: 2048, notBefore: '2026-01-01T00:00:00Z' } })] } })).toBe('accepted');
    const REDIRECT = 'has a redirect verdict not in the shape samlscope writes';
    expect(why({ verdict: { signatures: [], redirect: { status: 'valid', problems: [], keySource: 'keyinfo' } } })).toBe(REDIRECT);
    expect(why({ verdict: { signatures: [], redirect: { status: 'nope', problems: [] } } })).toBe(REDIRECT);
    expect(why({ verdict: { signatures: [], redirect: { status: 'valid', problems: [], sigAlg: 1 } } })).toBe(REDIRECT);
    expect(why({ verdict: { signatures: [], redirect: 'valid' } })).toBe(REDIRECT);
    expect(why({ verdict: { signatures: [], redirect: { status: 'invalid', problems: ['signature-value'], malformed: true } } })).toBe(REDIRECT);
  });

  it('records what the signing certificate said, without the message id; thumbprints masked on request', () => {
    const v: MessageVerdict = { messageId: 'm1', signatures: [sig(), sig({ signingCertificate: undefined, keyInfoCertificates: ['AAAA'] }), sig({ signingCertificate: undefined, keyInfoCertificates: [] })] };
    const c = info(IDP_KEY.certPem);
    const r = toRecorded(v, new Date('2026-03-02T10:00:00Z'));
    expect(r.verifiedAt).toBe('2026-03-02T10:00:00.000Z');
    expect('messageId' in r.verdict).toBe(false);
    expect(r.verdict.signatures[0]!.certificateInfo).toEqual({
      subject: c.subject,
      issuer: c.issuer,
      sha1: IDP_KEY.sha1,
      sha256: c.sha256,
      keyType: 'RSA',
      keySize: c.keySize,
      notBefore: c.notBefore!.toISOString(),
      notAfter: c.notAfter!.toISOString(),
    });
    // An unreadable certificate, and none at all: nothing recorded about them.
    expect(r.verdict.signatures[1]!.certificateInfo).toBeUndefined();
    expect(r.verdict.signatures[2]!.certificateInfo).toBeUndefined();
    const masked = toRecorded(v, new Date('2026-03-02T10:00:00Z'), true);
    expect(masked.verdict.signatures[0]!.certificateInfo).toMatchObject({ sha1: 'redacted', sha256: 'redacted', subject: c.subject });
    // What toRecorded writes, readRecordedSignature reads.
    expect(readRecordedSignature(JSON.parse(JSON.stringify(r))).ok).toBe(true);
  });
});

const msg = (id: string, xml: string, time?: string): PinnableMessage => {
  const model = parseSaml(xml);
  if (isParseError(model)) throw new Error(model.message);
  return { id, capture: { time }, model };
};

describe('signature/pins: trust on first use', () => {
  it("knows the tenant by the Response's Issuer, else the Assertion's", () => {
    expect(tenantOfMessage(msg('a', makeResponse()))).toBe(LAB.tenantId);
    const other = makeResponse().replace(`>${LAB.issuer}</`, '>https://idp.example.org/</');
    expect(tenantOfMessage(msg('b', other))).toBe(LAB.tenantId);
    expect(tenantOfMessage(msg('c', makeResponse({ issuer: 'https://idp.example.org/' })))).toBeUndefined();
    expect(tenantOfMessage({ id: 'd', capture: {} })).toBeUndefined();
  });

  it('pins the first valid KeyInfo certificate per tenant, by capture time, and says which were added', () => {
    const early = msg('early', makeResponse(), '2026-03-02T09:00:00.000Z');
    const late = msg('late', makeResponse(), '2026-03-02T10:00:00.000Z');
    const verdicts = {
      early: { messageId: 'early', signatures: [sig({ signingCertificate: OTHER_KEY.certBase64 })] },
      late: { messageId: 'late', signatures: [sig()] },
    };
    const r = pinFirstSeen({}, [late, early], verdicts, new Date('2026-03-03T00:00:00Z'));
    expect(r.added).toEqual([{ tenantId: LAB.tenantId, certificate: OTHER_KEY.certBase64, sha1: OTHER_KEY.sha1, firstSeen: '2026-03-02T09:00:00.000Z', messageId: 'early' }]);
    expect(r.pins[LAB.tenantId]?.certificate).toBe(OTHER_KEY.certBase64);
    // Already pinned: nothing added, the pin kept.
    const again = pinFirstSeen(r.pins, [late], verdicts, new Date());
    expect(again.added).toEqual([]);
    expect(again.pins[LAB.tenantId]?.messageId).toBe('early');
  });

  it('skips what cannot be pinned: invalid or configured-key signatures, unreadable certificates; dates missing fall back', () => {
    const m = msg('m', makeResponse(), undefined);
    const none = (s: SignatureVerdict) => pinFirstSeen({}, [m], { m: { messageId: 'm', signatures: [s] } }, new Date('2026-03-03T00:00:00Z')).added;
    expect(none(sig({ status: 'invalid' }))).toEqual([]);
    expect(none(sig({ keySource: 'expected' }))).toEqual([]);
    expect(none(sig({ signingCertificate: undefined }))).toEqual([]);
    expect(none(sig({ signingCertificate: 'AAAA' }))).toEqual([]);
    // No capture time: the IssueInstant of the message.
    const [pin] = none(sig());
    expect(pin?.firstSeen).toBe(new Date(Date.parse(m.model!.issueInstant!)).toISOString());
    // Neither: the analysis time.
    const bare: PinnableMessage = { id: 'b', capture: {}, model: { ...m.model!, issueInstant: undefined } as PinnableMessage['model'] };
    expect(pinFirstSeen({}, [bare], { b: { messageId: 'b', signatures: [sig()] } }, new Date('2026-03-03T00:00:00Z')).added[0]?.firstSeen).toBe('2026-03-03T00:00:00.000Z');
  });

  it('reads stored pins of any shape, keeping well-formed entries under their key', () => {
    expect(normalizePins(undefined)).toEqual({});
    expect(normalizePins('x')).toEqual({});
    expect(
      normalizePins({
        t1: { tenantId: 'spoofed', certificate: 'c', sha1: 's', firstSeen: 'f', messageId: 'm' },
        t2: { certificate: 'c', sha1: 's' },
        t3: null,
        t4: 'x',
        t5: { certificate: 1, sha1: 's', firstSeen: 'f' },
      }),
    ).toEqual({ t1: { tenantId: 't1', certificate: 'c', sha1: 's', firstSeen: 'f' } });
  });
});

describe('signature/signers and c14n options', () => {
  it('names a signature by where it sits', () => {
    expect(signatureLabel({ parentPath: '/Response', path: '/Response/Signature' }, '/Response', 'Response')).toBe('the Response signature');
    expect(signatureLabel({ parentPath: '/Response/Assertion', path: '/Response/Assertion/Signature' }, '/Response', 'Response')).toBe('the Assertion signature (/Response/Assertion/Signature)');
    expect(signatureLabel({ parentPath: '/Response/Assertion[2]', path: '/Response/Assertion[2]/Signature' }, '/Response', 'Response')).toBe('the Assertion signature (/Response/Assertion[2]/Signature)');
  });

  it("lists each protecting signature's certificate once: the verified one, else KeyInfo's; where it was read", () => {
    const model = parseSaml(signedResponse({}, { target: 'both' }));
    if (isParseError(model)) throw new Error(model.message);
    const bare = signers({ message: model });
    // Both signatures carry the same certificate: one signer, the first signature's.
    expect(bare.map((s) => [s.label, s.certificate === IDP_KEY.certBase64, s.verified, s.path])).toEqual([
      ['the Response signature', true, false, '/Response/Signature/KeyInfo/X509Data/X509Certificate'],
    ]);
    const withVerdicts = signers({
      message: model,
      signatures: {
        messageId: 'm',
        signatures: [
          sig({ path: '/Response/Signature', parentPath: '/Response', signingCertificate: OTHER_KEY.certBase64, keySource: 'expected' }),
          sig({ path: '/Response/Assertion/Signature' }),
        ],
      },
    });
    expect(withVerdicts.map((s) => [s.label, s.certificate === OTHER_KEY.certBase64, s.verified, s.path])).toEqual([
      ['the Response signature', true, true, '/Response/Signature/SignatureValue (verified with an expected certificate)'],
      ['the Assertion signature (/Response/Assertion/Signature)', false, true, '/Response/Assertion/Signature/KeyInfo/X509Data/X509Certificate'],
    ]);
    expect(withVerdicts[0]!.info?.sha1).toBe(OTHER_KEY.sha1);
  });

  it('a certificate a redacted export masked is described by its recorded verdict (names and dates, no key)', () => {
    const model = parseSaml(signedResponse());
    if (isParseError(model)) throw new Error(model.message);
    const recorded = { subject: 'CN=X', issuer: 'CN=X', sha1: 'redacted', sha256: 'redacted', keyType: 'RSA', keySize: 2048, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2029-01-01T00:00:00.000Z' };
    const [s] = signers({ message: model, signatures: { messageId: 'm', signatures: [sig({ signingCertificate: 'MASKED', certificateInfo: recorded })] } });
    expect(s?.certificate).toBe('MASKED');
    expect(s?.info).toMatchObject({ base64: 'MASKED', subject: 'CN=X', issuer: 'CN=X', sha1: 'redacted', keyType: 'RSA', keySize: 2048, selfSigned: true, serialNumber: '' });
    expect(s?.info?.notBefore?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(s?.info?.notAfter?.toISOString()).toBe('2029-01-01T00:00:00.000Z');
    expect(s?.info?.spki.length).toBe(0);
    const [bare] = signers({ message: model, signatures: { messageId: 'm', signatures: [sig({ signingCertificate: 'MASKED', certificateInfo: { ...recorded, issuer: 'CN=CA', keySize: undefined, notBefore: undefined, notAfter: undefined } })] } });
    expect(bare?.info?.selfSigned).toBe(false);
    expect(bare?.info && 'keySize' in bare.info).toBe(false);
    expect(bare?.info?.notBefore).toBeUndefined();
    // Unreadable, with nothing recorded: no description at all.
    const [none] = signers({ message: model, signatures: { messageId: 'm', signatures: [sig({ signingCertificate: 'MASKED' })] } });
    expect(none?.info).toBeUndefined();
  });

  it('knows the four canonicalizations, and nothing else', () => {
    expect(c14nOptionsFor(C14N.exclusive)).toEqual({ exclusive: true, withComments: false });
    expect(c14nOptionsFor(C14N.exclusiveWithComments)).toEqual({ exclusive: true, withComments: true });
    expect(c14nOptionsFor(C14N.inclusive)).toEqual({ exclusive: false, withComments: false });
    expect(c14nOptionsFor(C14N.inclusiveWithComments)).toEqual({ exclusive: false, withComments: true });
    expect(c14nOptionsFor('http://www.w3.org/2006/12/xml-c14n11')).toBeUndefined();
    expect(c14nOptionsFor(undefined)).toBeUndefined();
  });
});
