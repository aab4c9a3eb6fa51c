// lib/signature: fingerprints, certificate reading, canonicalization and verification, checked
// against independent implementations: node:crypto (hashes, X.509), xml-crypto (signing XML in
// many shapes, with exclusive and inclusive canonicalization), and hand-built ECDSA signatures.
import { createHash, createSign, webcrypto, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { SignedXml } from 'xml-crypto';
import { hex, sha1, sha256 } from '../lib/signature/hash.ts';
import { certificateDetails, describeCertificate, isCertificateError, splitCertificates, type CertificateInfo } from '../lib/signature/cert.ts';
import { verifyRedirect, verifyXmlSignatures } from '../lib/signature/verify.ts';
import { canonicalize } from '../lib/signature/c14n.ts';
import { parseXml, type XElement } from '../lib/saml/xml.ts';
import { LAB, URN } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY, type TestKey } from './lab/keys.ts';
import { signRedirect } from './lab/redirect-sign.ts';

const INCLUSIVE = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
const SHA512 = 'http://www.w3.org/2001/04/xmlenc#sha512';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

const info = (text: string): CertificateInfo => {
  const i = describeCertificate(text);
  if (isCertificateError(i)) throw new Error(i.message);
  return i;
};

// An ECDSA P-256 key and certificate, made once for this file.
const ecKeys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
const ecCert = await x509.X509CertificateGenerator.createSelfSigned({
  serialNumber: '01',
  name: 'CN=EC test, O=samlscope lab',
  notBefore: new Date(Date.now() - 86400e3),
  notAfter: new Date(Date.now() + 365 * 86400e3),
  keys: ecKeys,
  signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
});
const ecPrivatePem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', ecKeys.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
const ecCertB64 = Buffer.from(ecCert.rawData).toString('base64');

describe('hash (sync SHA-1 / SHA-256 for fingerprints)', () => {
  it('equals node:crypto on inputs of every padding length and random content', () => {
    for (let n = 0; n < 200; n++) {
      const b = webcrypto.getRandomValues(new Uint8Array(n));
      expect(hex(sha1(b))).toBe(createHash('sha1').update(b).digest('hex').toUpperCase());
      expect(hex(sha256(b))).toBe(createHash('sha256').update(b).digest('hex').toUpperCase());
    }
    const big = webcrypto.getRandomValues(new Uint8Array(5000));
    expect(hex(sha256(big))).toBe(createHash('sha256').update(big).digest('hex').toUpperCase());
  });
});

describe('certificates as people read them', () => {
  it('reads subject, issuer, validity, SHA-1 / SHA-256 fingerprints and key size like node:crypto', () => {
    for (const k of [IDP_KEY, OTHER_KEY]) {
      const n = new X509Certificate(k.certPem);
      const c = info(k.certPem);
      expect(c.sha1).toBe(n.fingerprint.replace(/:/g, ''));
      expect(c.sha1).toBe(k.sha1);
      expect(c.sha256).toBe(n.fingerprint256.replace(/:/g, ''));
      expect(c.subject).toBe(n.subject.trim());
      expect(c.issuer).toBe(n.issuer.trim());
      expect(c.notBefore!.getTime()).toBe(new Date(n.validFrom).getTime());
      expect(c.notAfter!.getTime()).toBe(new Date(n.validTo).getTime());
      expect(c.keyType).toBe('RSA');
      expect(c.keySize).toBe(n.publicKey.asymmetricKeyDetails?.modulusLength);
      expect(c.serialNumber).toBe(n.serialNumber.toUpperCase());
      expect(c.selfSigned).toBe(true);
      expect(c.base64).toBe(k.certBase64);
    }
  });

  it('reads an EC certificate (P-256) and a multi-part subject', () => {
    const c = info(ecCertB64);
    expect(c).toMatchObject({ keyType: 'EC', keySize: 256, namedCurve: 'P-256', subject: 'CN=EC test, O=samlscope lab' });
    expect(c.sha256).toBe(new X509Certificate(Buffer.from(ecCertB64, 'base64')).fingerprint256.replace(/:/g, ''));
  });

  it('takes PEM, several PEMs, or bare base64 with line breaks; refuses other text', () => {
    expect(splitCertificates(IDP_KEY.certPem)).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates(`${IDP_KEY.certPem}\n${OTHER_KEY.certPem}`)).toEqual([IDP_KEY.certBase64, OTHER_KEY.certBase64]);
    expect(splitCertificates(IDP_KEY.certBase64.replace(/(.{76})/g, '$1\r\n'))).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates('\uFEFF' + IDP_KEY.certPem)).toEqual([IDP_KEY.certBase64]);
    expect(splitCertificates('AB12CD')).toEqual([]);
    expect(isCertificateError(describeCertificate(IDP_KEY.sha1))).toBe(true);
    expect(isCertificateError(describeCertificate('A'.repeat(100)))).toBe(true);
    expect(isCertificateError(describeCertificate(IDP_KEY.privateKeyPem.replace(/-----[^-]+-----/g, '')))).toBe(true);
  });

  it('lists the details the options page shows', () => {
    const d = Object.fromEntries(certificateDetails(info(IDP_KEY.certPem)).map((x) => [x.label, x.value]));
    expect(d['SHA-1 thumbprint']).toBe(IDP_KEY.sha1);
    expect(d.Key).toBe('RSA 2048 bits');
    expect(d.Issuer).toContain('(self-signed)');
  });
});

// ---- verification of documents signed by xml-crypto in many shapes --------------------------

interface Shape {
  name: string;
  xml: string;
  /** XPath of the element to sign (with an ID attribute). */
  target?: string;
  c14n?: string;
  prefixes?: string[];
}

function xmlCryptoSign(s: Shape, key: TestKey = IDP_KEY, o: { signatureAlgorithm?: string; digest?: string } = {}): string {
  const c14n = s.c14n ?? URN.excC14n;
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certPem,
    signatureAlgorithm: (o.signatureAlgorithm ?? URN.rsaSha256) as never,
    canonicalizationAlgorithm: c14n as never,
  });
  const target = s.target ?? "//*[@ID='t']";
  sig.addReference({
    xpath: target,
    digestAlgorithm: (o.digest ?? URN.sha256) as never,
    transforms: [URN.enveloped, c14n] as never,
    ...(s.prefixes ? { inclusiveNamespacesPrefixList: s.prefixes } : {}),
  });
  sig.computeSignature(s.xml, { location: { reference: target, action: 'append' } });
  return sig.getSignedXml();
}

const SHAPES: Shape[] = [
  {
    // No processing instruction here: xml-crypto 6.3 renders one as its bare data, where Canonical
    // XML writes <?target data?> (as xmldsigjs does, and lib/signature/c14n.ts; tested below).
    name: 'prefixes used and unused, namespaced attribute, escapes, xmlns="" undeclaration, comment',
    xml: `<r:Root xmlns:r="urn:r" xmlns:u="urn:unused" ID="t"><r:Child a="1" b:attr="2" xmlns:b="urn:b">t &amp; &lt; &gt; "q" '</r:Child><Plain xmlns="urn:d"><Inner xmlns="">x</Inner></Plain><!-- c --></r:Root>`,
  },
  { name: 'a nested element using a prefix declared on an ancestor', xml: `<a:Outer xmlns:a="urn:a" xmlns:x="urn:x" xmlns="urn:def"><a:Target ID="t"><x:Item x:at="v"/><Plain/></a:Target></a:Outer>` },
  { name: 'line breaks and tabs as character references in attributes and text', xml: `<T ID="t" v="a&#9;b&#10;c&#13;d e">text&#13;\nmore\r\nend</T>` },
  { name: 'CDATA', xml: `<T ID="t"><![CDATA[<x> & ]]> after</T>` },
  { name: 'attribute order by namespace URI then local name', xml: `<T ID="t" xmlns:z="urn:a" xmlns:y="urn:b" z:k="1" y:k="2" k="0" a="3" xml:lang="en"/>` },
  { name: 'a default namespace declared again with the same value', xml: `<T xmlns="urn:d" ID="t"><C xmlns="urn:d"><D xmlns="urn:e"/></C></T>` },
  { name: 'non-ASCII text and attributes', xml: `<T ID="t" n="é✓𝄞">ü 𝄞 &#x1F600;</T>` },
  { name: 'single quotes and odd spacing in the source', xml: `<T  ID='t'   a = 'x"y' ><E\n/></T >` },
  {
    name: 'InclusiveNamespaces PrefixList',
    xml: `<a:Outer xmlns:a="urn:a" xmlns:x="urn:x" xmlns:y="urn:y"><a:Target ID="t"><a:I>y:value</a:I></a:Target></a:Outer>`,
    prefixes: ['y', 'x'],
  },
  { name: 'inclusive canonicalization of a nested element', xml: `<a:Outer xmlns:a="urn:a" xmlns:x="urn:x"><a:Target ID="t"><x:Item/><Q xmlns:x="urn:x"/></a:Target></a:Outer>`, c14n: INCLUSIVE },
  { name: 'inclusive canonicalization of the root', xml: `<r:Root xmlns:r="urn:r" xmlns:u="urn:unused" ID="t"><r:C xmlns:u="urn:other"/></r:Root>`, c14n: INCLUSIVE },
];

describe('verifies what xml-crypto signed, in many shapes', () => {
  for (const s of SHAPES) {
    it(s.name, async () => {
      const signed = xmlCryptoSign(s);
      const [v] = await verifyXmlSignatures(signed);
      expect(v, signed).toMatchObject({ status: 'valid', problems: [], keySource: 'keyinfo', signingCertificate: IDP_KEY.certBase64 });
      expect(v!.references[0]).toMatchObject({ ok: true, signedId: 't' });
    });
  }

  it('RSA-SHA512 with a SHA-512 digest', async () => {
    const signed = xmlCryptoSign(SHAPES[0]!, IDP_KEY, { signatureAlgorithm: RSA_SHA512, digest: SHA512 });
    expect((await verifyXmlSignatures(signed))[0]!.status).toBe('valid');
  });

  it('ECDSA P-256 (SignatureValue as r||s, per XML-DSig)', async () => {
    class EcdsaSha256 {
      getSignature(signedInfo: string, privateKey: string) {
        return createSign('SHA256').update(signedInfo).sign({ key: privateKey, dsaEncoding: 'ieee-p1363' }, 'base64');
      }
      verifySignature() {
        return true;
      }
      getAlgorithmName() {
        return ECDSA_SHA256;
      }
    }
    const sig = new SignedXml({ privateKey: ecPrivatePem, canonicalizationAlgorithm: URN.excC14n as never, signatureAlgorithm: ECDSA_SHA256 as never });
    (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA_SHA256] = EcdsaSha256;
    sig.getKeyInfoContent = () => `<X509Data><X509Certificate>${ecCertB64}</X509Certificate></X509Data>`;
    sig.addReference({ xpath: "//*[@ID='t']", digestAlgorithm: URN.sha256 as never, transforms: [URN.enveloped, URN.excC14n] as never });
    sig.computeSignature(SHAPES[1]!.xml, { location: { reference: "//*[@ID='t']", action: 'append' } });
    const signed = sig.getSignedXml();
    const [v] = await verifyXmlSignatures(signed);
    expect(v).toMatchObject({ status: 'valid', signingCertificate: ecCertB64 });
    const [bad] = await verifyXmlSignatures(signed.replace('<x:Item x:at="v"/>', '<x:Item x:at="w"/>'));
    expect(bad).toMatchObject({ status: 'invalid', problems: ['reference'] });
  });

  it('a change anywhere in a signed shape breaks it; the same change outside the signed element does not', async () => {
    const signed = xmlCryptoSign({ name: 'nested', xml: `<Outer><Before>b</Before><T ID="t"><V>value</V></T></Outer>` });
    expect((await verifyXmlSignatures(signed.replace('<V>value</V>', '<V>valuE</V>')))[0]).toMatchObject({ status: 'invalid', problems: ['reference'] });
    expect((await verifyXmlSignatures(signed.replace('<Before>b</Before>', '<Before>c</Before>')))[0]!.status).toBe('valid');
    // Whitespace inside the signed element counts; an added comment does not (excluded by the same-document reference).
    expect((await verifyXmlSignatures(signed.replace('<V>value</V>', '<V>value</V> ')))[0]!.status).toBe('invalid');
    expect((await verifyXmlSignatures(signed.replace('<V>value</V>', '<V>val<!-- x -->ue</V>')))[0]!.status).toBe('valid');
  });

  it('the key of another certificate does not verify; a configured certificate is used when KeyInfo is empty', async () => {
    const signed = xmlCryptoSign(SHAPES[0]!);
    const swapped = signed.replace(IDP_KEY.certBase64, OTHER_KEY.certBase64);
    expect((await verifyXmlSignatures(swapped))[0]).toMatchObject({ status: 'invalid', problems: ['signature-value'] });
    // With the real certificate configured, the signature verifies (with the expected key), and says so.
    expect((await verifyXmlSignatures(swapped, [IDP_KEY.certBase64]))[0]).toMatchObject({ status: 'valid', keySource: 'expected', signingCertificate: IDP_KEY.certBase64 });
  });

  it('random element trees signed by xml-crypto verify (property)', async () => {
    const name = fc.constantFrom('A', 'b', 'Item', 'x:Q', 'y:R', 'NameID');
    const text = fc.string({ maxLength: 12 }).map((t) => t.replace(/[^\x20-\x7e\u00e9]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/]]>/g, ''));
    const attrVal = fc.string({ maxLength: 8 }).map((t) => t.replace(/[^\x20-\x7e\t\n]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'));
    const attrs = fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'x:c', 'y:d', 'Z'), attrVal), { maxLength: 3, selector: (t) => t[0] });
    const { tree } = fc.letrec((tie) => ({
      tree: fc.tuple(name, attrs, fc.array(fc.oneof({ depthSize: 'small' }, text, tie('tree')), { maxLength: 3 }), fc.boolean()).map(([n, as, kids, decl]) => {
        const ns = decl ? ` xmlns:x="urn:x2" xmlns="urn:d2"` : '';
        const a = as.map(([k, v]) => ` ${k}="${v}"`).join('');
        return `<${n}${ns}${a}>${kids.join('')}</${n}>`;
      }),
    }));
    await fc.assert(
      fc.asyncProperty(tree, async (inner) => {
        const xml = `<Root xmlns:x="urn:x" xmlns:y="urn:y"><T ID="t">${inner}</T></Root>`;
        const signed = xmlCryptoSign({ name: 'p', xml });
        const [v] = await verifyXmlSignatures(signed);
        expect(v?.status, signed).toBe('valid');
      }),
      { numRuns: 60 },
    );
  });
});

describe('canonicalization details', () => {
  const root = (xml: string): XElement => {
    const d = parseXml(xml);
    if (!('root' in d)) throw new Error(d.message);
    return d.root;
  };
  it('renders namespaces where used (exclusive) and all in scope (inclusive)', () => {
    const r = root(`<a:R xmlns:a="urn:a" xmlns:b="urn:b"><a:C b:x="1"/></a:R>`);
    const c = r.children[0] as XElement;
    expect(canonicalize(c, { exclusive: true, withComments: false })).toBe('<a:C xmlns:a="urn:a" xmlns:b="urn:b" b:x="1"></a:C>');
    expect(canonicalize(r, { exclusive: true, withComments: false })).toBe('<a:R xmlns:a="urn:a"><a:C xmlns:b="urn:b" b:x="1"></a:C></a:R>');
    expect(canonicalize(r, { exclusive: false, withComments: false })).toBe('<a:R xmlns:a="urn:a" xmlns:b="urn:b"><a:C b:x="1"></a:C></a:R>');
  });
  it('writes processing instructions as <?target data?> (Canonical XML §2.3)', () => {
    expect(canonicalize(root(`<R><?pi  data ?><?empty?></R>`), { exclusive: true, withComments: false })).toBe('<R><?pi data ?><?empty?></R>');
  });
  it('keeps comments only in the WithComments variants', () => {
    const r = root(`<R>a<!--c-->b</R>`);
    expect(canonicalize(r, { exclusive: true, withComments: false })).toBe('<R>ab</R>');
    expect(canonicalize(r, { exclusive: true, withComments: true })).toBe('<R>a<!--c-->b</R>');
  });
});

describe('HTTP-Redirect signatures', () => {
  const xml = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer></samlp:LogoutRequest>`;
  const capture = (q: string) => {
    const get = (k: string) => new URLSearchParams(q).get(k) ?? undefined;
    return { id: 'r', raw: '', param: 'SAMLRequest' as const, rawQuery: q, sigAlg: get('SigAlg'), signature: get('Signature') };
  };
  it('rebuilds the signed octets from the raw query, in the fixed order, whatever order the parameters came in', async () => {
    const s = signRedirect(xml, { relayState: 'a b+c/é' });
    const parts = s.query.split('&');
    const reordered = [parts[3], parts[2], parts[0], parts[1]].join('&');
    for (const q of [s.query, reordered]) {
      const v = await verifyRedirect(capture(q) as never, [IDP_KEY.certBase64]);
      expect(v).toMatchObject({ status: 'valid', signingCertificate: IDP_KEY.certBase64 });
      expect(v!.signedString).toBe(s.query.slice(0, s.query.indexOf('&Signature=')));
    }
  });
  it('SHA-1, another key, and no certificate', async () => {
    expect(await verifyRedirect(capture(signRedirect(xml, { algorithm: 'sha1' }).query) as never, [IDP_KEY.certBase64])).toMatchObject({ status: 'valid', sigAlg: URN.rsaSha1 });
    expect(await verifyRedirect(capture(signRedirect(xml, { key: OTHER_KEY }).query) as never, [IDP_KEY.certBase64])).toMatchObject({ status: 'invalid', problems: ['signature-value'] });
    expect(await verifyRedirect(capture(signRedirect(xml).query) as never, [])).toMatchObject({ status: 'unverifiable', problems: ['no-key'] });
    expect(await verifyRedirect({ id: 'x', raw: '' } as never, [])).toBeUndefined();
  });
});

describe('bounds, settings and pins', () => {
  it('checks at most a few References and signatures (attacker-shaped input)', async () => {
    const signed = xmlCryptoSign({ name: 'x', xml: `<Outer><T ID="t"><V>v</V></T></Outer>` });
    const ref = /<Reference [\s\S]*?<\/Reference>/.exec(signed)![0];
    const many = signed.replace(ref, ref.repeat(5));
    expect((await verifyXmlSignatures(many))[0]).toMatchObject({ status: 'unverifiable', problems: ['malformed'] });
    const sig = /<Signature [\s\S]*?<\/Signature>/.exec(signed)![0];
    const sigs = signed.replace(sig, sig.repeat(10));
    const v = await verifyXmlSignatures(sigs);
    expect(v).toHaveLength(10);
    expect(v.slice(8).map((x) => x.detail)).toEqual([expect.stringContaining('verifies the first 8'), expect.stringContaining('verifies the first 8')]);
  });

  it('settings: idpCertificates are validated, and become expectations with their source', async () => {
    const { DEFAULT_SETTINGS, toExpectations, validateSettings, normalizeSettings } = await import('../lib/settings.ts');
    const s = { ...DEFAULT_SETTINGS, idpCertificates: [IDP_KEY.certPem] };
    expect(validateSettings(s)).toEqual({});
    expect(toExpectations(s)).toMatchObject({ idpCertificates: [IDP_KEY.certBase64], sources: { idpCertificates: expect.stringContaining('options page') } });
    expect(validateSettings({ ...s, idpCertificates: ['A'.repeat(100)] }).idpCertificates).toMatch(/^Certificate 1: /);
    expect(normalizeSettings({ idpCertificates: [IDP_KEY.certBase64, 3] }).idpCertificates).toEqual([IDP_KEY.certBase64]);
    expect(normalizeSettings({}).idpCertificates).toEqual([]);
  });

  it('pins read back from storage keep only well-formed entries, without the message they were seen in', async () => {
    const { normalizePins } = await import('../lib/signature/pins.ts');
    const pin = { tenantId: 't', certificate: IDP_KEY.certBase64, sha1: IDP_KEY.sha1, firstSeen: '2026-01-01T00:00:00.000Z', messageId: 'm' };
    expect(normalizePins({ t: pin, bad: { certificate: 1 }, x: null })).toEqual({ t: { tenantId: 't', certificate: IDP_KEY.certBase64, sha1: IDP_KEY.sha1, firstSeen: '2026-01-01T00:00:00.000Z' } });
    expect(normalizePins(undefined)).toEqual({});
  });
});
