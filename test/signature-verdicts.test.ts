// lib/signature/verify.ts verdict by verdict: every way a ds:Signature, a Reference or an
// HTTP-Redirect signature can fail, with the whole verdict the checks and the evidence read
// (problem, status, detail word for word, paths, digests). signature.test.ts shows that what
// independent implementations sign verifies; this file shows what each failure says.
//
// Messages are signed by xml-crypto (test/lab/factory.ts). Where a test changes the SignedInfo and
// needs it signed again, `resign` canonicalizes it with xml-crypto's own exclusive
// canonicalization over xmldom and signs with node:crypto, so the expected verdict never comes
// from the code under test.
import { createSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { parseXml } from '../lib/saml/xml.ts';
import { MAX_REFERENCES, verifyMessages, verifyRedirect, verifyXmlSignatures, type SignatureVerdict, type VerifiableMessage } from '../lib/signature/verify.ts';
import { LAB, makeLogoutRequest, makeResponse, sign, URN } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY, type TestKey } from './lab/keys.ts';
import { signRedirect } from './lab/redirect-sign.ts';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const INCLUSIVE = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

const A_ID = '_a1';
const R_ID = '_r1';
/** A clean response with the Assertion signed (Entra's default), fixed IDs. */
const SIGNED = sign(makeResponse({ responseId: R_ID, assertionId: A_ID }));
const DIGEST = /<DigestValue>([^<]*)<\/DigestValue>/.exec(SIGNED)![1]!;
const SIG_PATH = '/Response/Assertion/Signature';

/** The SignedInfo of `xml` signed again (RSA-SHA256, exclusive c14n) by an implementation other than ours. */
function resign(xml: string, key: TestKey = IDP_KEY): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const si = doc.getElementsByTagNameNS(DS, 'SignedInfo')[0];
  if (!si) throw new Error('no SignedInfo');
  const c14n = new ExclusiveCanonicalization().process(si as never, {}) as unknown as string;
  const value = createSign('RSA-SHA256').update(c14n).sign(key.privateKeyPem, 'base64');
  return xml.replace(/<SignatureValue>[^<]*<\/SignatureValue>/, `<SignatureValue>${value}</SignatureValue>`);
}

const only = async (xml: string, expected: string[] = []): Promise<SignatureVerdict> => {
  const v = await verifyXmlSignatures(xml, expected);
  expect(v, xml).toHaveLength(1);
  return v[0]!;
};

/** The verdict of the clean message, which the failures below differ from. */
const VALID: SignatureVerdict = {
  path: SIG_PATH,
  parentPath: '/Response/Assertion',
  status: 'valid',
  problems: [],
  references: [
    {
      ok: true,
      uri: `#${A_ID}`,
      digestMethod: SHA256,
      digestValue: DIGEST,
      signedPath: '/Response/Assertion',
      signedLocal: 'Assertion',
      signedId: A_ID,
      computedDigest: DIGEST,
    },
  ],
  keyInfoCertificates: [IDP_KEY.certBase64],
  signatureMethod: RSA_SHA256,
  c14nMethod: EXC,
  signingCertificate: IDP_KEY.certBase64,
  keySource: 'keyinfo',
};

describe('the clean message, and what resign does to it', () => {
  it('the whole verdict of a signed Assertion', async () => {
    expect(await only(SIGNED)).toStrictEqual(VALID);
  });
  it('resign reproduces a valid signature (so the tests below that use it test the change, not the helper)', async () => {
    expect(await only(resign(SIGNED))).toStrictEqual(VALID);
    expect((await only(resign(SIGNED, OTHER_KEY))).problems).toStrictEqual(['signature-value']);
  });
  it('a DigestValue and a certificate broken over lines read the same', async () => {
    const wrapped = SIGNED.replace(DIGEST, `\n  ${DIGEST.slice(0, 20)}\n  ${DIGEST.slice(20)}\n`).replace(IDP_KEY.certBase64, IDP_KEY.certBase64.replace(/(.{64})/g, '$1\n'));
    expect(await only(resign(wrapped))).toStrictEqual(VALID);
  });
});

describe('References that do not resolve to one element', () => {
  const withUri = (uri: string | undefined) =>
    resign(SIGNED.replace(`<Reference URI="#${A_ID}">`, uri === undefined ? '<Reference>' : `<Reference URI="${uri}">`));

  it('no URI attribute', async () => {
    expect(await only(withUri(undefined))).toStrictEqual({
      ...VALID,
      status: 'invalid',
      problems: ['reference'],
      references: [{ ok: false, digestMethod: SHA256, digestValue: DIGEST, problem: 'unresolved', detail: 'the Reference has no URI attribute' }],
    });
  });
  it('an ID no element has', async () => {
    expect((await only(withUri('#_gone'))).references).toStrictEqual([
      { ok: false, uri: '#_gone', digestMethod: SHA256, digestValue: DIGEST, problem: 'unresolved', detail: 'no element has the ID _gone' },
    ]);
  });
  it('an ID two elements have: refused, with both paths', async () => {
    const twice = resign(SIGNED.replace('<samlp:Status>', `<samlp:Status ID="${A_ID}">`));
    const v = await only(twice);
    expect(v).toMatchObject({ status: 'invalid', problems: ['reference'], signingCertificate: IDP_KEY.certBase64 });
    expect(v.references).toStrictEqual([
      {
        ok: false,
        uri: `#${A_ID}`,
        digestMethod: SHA256,
        digestValue: DIGEST,
        problem: 'ambiguous',
        detail: `2 elements have the ID ${A_ID} (/Response/Status, /Response/Assertion); a verifier that picks one and a reader that picks another disagree`,
      },
    ]);
  });
  it('an ID on the same element twice (ID and AssertionID) counts once', async () => {
    const both = SIGNED.replace(`<Assertion ID="${A_ID}"`, `<Assertion AssertionID="${A_ID}" ID="${A_ID}"`);
    // The attribute is inside the signed element: the digest changes, but the Reference resolves.
    expect((await only(resign(both))).references[0]).toMatchObject({ problem: 'digest-mismatch', signedPath: '/Response/Assertion' });
  });
  it('Id, id and AssertionID are IDs too; other attributes are not', async () => {
    for (const a of ['Id', 'id', 'AssertionID']) {
      const r = (await only(resign(SIGNED.replace(`<Reference URI="#${A_ID}">`, '<Reference URI="#x9">').replace('<samlp:Status>', `<samlp:Status ${a}="x9">`)))).references[0]!;
      expect(r, a).toMatchObject({ signedPath: '/Response/Status', signedLocal: 'Status', signedId: 'x9', problem: 'digest-mismatch' });
    }
    const r = (await only(resign(SIGNED.replace(`<Reference URI="#${A_ID}">`, '<Reference URI="#x9">').replace('<samlp:Status>', '<samlp:Status Ident="x9">')))).references[0]!;
    expect(r.problem).toBe('unresolved');
  });
  it('XPointer and other-document URIs are not followed: unsupported, and the SignatureValue is still checked', async () => {
    for (const uri of ['#xpointer(/)', `#xpointer(id('${A_ID}'))`, `https://example.com/doc#${A_ID}`, A_ID]) {
      const v = await only(withUri(uri));
      expect(v, uri).toStrictEqual({
        ...VALID,
        status: 'unverifiable',
        problems: ['unsupported-algorithm'],
        references: [{ ok: false, uri, digestMethod: SHA256, digestValue: DIGEST, problem: 'external', detail: `URI "${uri}" is not a same-document reference to an ID` }],
      });
    }
  });
  it('URI="" is the whole document', async () => {
    const v = await only(withUri(''));
    // The Response around the Assertion was not what was signed: the digest differs, at the root.
    expect(v.references[0]).toMatchObject({ uri: '', signedPath: '/Response', signedLocal: 'Response', signedId: R_ID, problem: 'digest-mismatch' });
    expect(v.references[0]!.detail).toBe('the Response at /Response does not hash to the DigestValue: it was changed after it was signed');
  });
});

describe('digests and transforms', () => {
  it('a changed Assertion: the digest of what is there now, next to the one signed', async () => {
    const v = await only(SIGNED.replace(LAB.user, 'eve@contoso.com'));
    expect(v.status).toBe('invalid');
    expect(v.problems).toStrictEqual(['reference']);
    const r = v.references[0]!;
    expect(r).toMatchObject({ ok: false, problem: 'digest-mismatch', digestValue: DIGEST, detail: 'the Assertion at /Response/Assertion does not hash to the DigestValue: it was changed after it was signed' });
    expect(r.computedDigest).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(r.computedDigest).not.toBe(DIGEST);
    // The signature over SignedInfo is still good: it is the Assertion that changed.
    expect(v.signingCertificate).toBe(IDP_KEY.certBase64);
  });
  it('a digest algorithm WebCrypto lacks, or none: not checked', async () => {
    const md5 = 'http://www.w3.org/2001/04/xmldsig-more#md5';
    const v = await only(resign(SIGNED.replace(`<DigestMethod Algorithm="${SHA256}"/>`, `<DigestMethod Algorithm="${md5}"/>`)));
    expect(v).toStrictEqual({
      ...VALID,
      status: 'unverifiable',
      problems: ['unsupported-algorithm'],
      references: [{ ...VALID.references[0], ok: false, digestMethod: md5, computedDigest: undefined, problem: 'unsupported-digest', detail: `digest algorithm ${md5} is not supported` }].map(({ computedDigest: _, ...r }) => r),
    });
    const none = await only(resign(SIGNED.replace(`<DigestMethod Algorithm="${SHA256}"/>`, '')));
    expect(none.references[0]).toStrictEqual({ ok: false, uri: `#${A_ID}`, digestValue: DIGEST, signedPath: '/Response/Assertion', signedLocal: 'Assertion', signedId: A_ID, problem: 'unsupported-digest', detail: 'digest algorithm (none) is not supported' });
  });
  it('SHA-1 and SHA-512 digests (xml-crypto writes no SHA-384)', async () => {
    for (const [uri, alg] of [
      ['http://www.w3.org/2000/09/xmldsig#sha1', 'sha1'],
      ['http://www.w3.org/2001/04/xmlenc#sha512', 'sha512'],
    ] as const) {
      const sig = new SignedXml({ privateKey: IDP_KEY.privateKeyPem, publicCert: IDP_KEY.certPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC });
      sig.addReference({ xpath: "//*[@ID='t']", digestAlgorithm: uri, transforms: [URN.enveloped, EXC] });
      sig.computeSignature(`<R><T ID="t"><V>v</V></T></R>`, { location: { reference: "//*[@ID='t']", action: 'append' } });
      expect((await only(sig.getSignedXml())).status, alg).toBe('valid');
    }
  });
  const transforms = (inner: string) => resign(SIGNED.replace(/<Transforms>[\s\S]*?<\/Transforms>/, inner));
  it('a transform other than enveloped-signature and one canonicalization: not checked', async () => {
    const xpath = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
    for (const [inner, named] of [
      [`<Transforms><Transform Algorithm="${URN.enveloped}"/><Transform Algorithm="${xpath}"/></Transforms>`, xpath],
      [`<Transforms><Transform/></Transforms>`, '(no Algorithm)'],
      // A second canonicalization, or enveloped-signature after one, is not the SAML profile.
      [`<Transforms><Transform Algorithm="${URN.enveloped}"/><Transform Algorithm="${EXC}"/><Transform Algorithm="${EXC}"/></Transforms>`, EXC],
      [`<Transforms><Transform Algorithm="${EXC}"/><Transform Algorithm="${URN.enveloped}"/></Transforms>`, URN.enveloped],
    ] as const) {
      const v = await only(transforms(inner));
      expect(v.status, inner).toBe('unverifiable');
      expect(v.problems, inner).toStrictEqual(['unsupported-algorithm']);
      expect(v.references[0], inner).toMatchObject({ ok: false, problem: 'unsupported-transform', detail: `transform ${named} is not supported` });
      expect(v.references[0]!.computedDigest, inner).toBeUndefined();
    }
  });
  it('without enveloped-signature, the signature is hashed with the Assertion: the digest differs', async () => {
    for (const inner of [`<Transforms><Transform Algorithm="${EXC}"/></Transforms>`, '', '<Transforms></Transforms>']) {
      expect((await only(transforms(inner))).references[0], inner).toMatchObject({ problem: 'digest-mismatch' });
    }
    // And the order of the two does not matter when enveloped-signature comes first (the profile's order).
    expect(await only(transforms(`<Transforms><Transform Algorithm="${URN.enveloped}"/><Transform Algorithm="${EXC}"/></Transforms>`))).toStrictEqual(VALID);
  });
  it('enveloped-signature alone: Canonical XML 1.0 (inclusive), as XML-DSig says for a same-document reference', async () => {
    // The element keeps its in-scope namespace declarations (inclusive) only where inclusive c14n would.
    const xml = `<R xmlns:u="urn:unused"><T ID="t"><V>v</V></T></R>`;
    const signWith = (c14n: string) => {
      const sig = new SignedXml({ privateKey: IDP_KEY.privateKeyPem, publicCert: IDP_KEY.certPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC });
      sig.addReference({ xpath: "//*[@ID='t']", digestAlgorithm: SHA256, transforms: [URN.enveloped, c14n] });
      sig.computeSignature(xml, { location: { reference: "//*[@ID='t']", action: 'append' } });
      return sig.getSignedXml();
    };
    const inclusive = signWith(INCLUSIVE);
    expect((await only(inclusive)).status).toBe('valid');
    const bare = resign(inclusive.replace(`<Transform Algorithm="${INCLUSIVE}"/>`, ''));
    expect(await only(bare)).toMatchObject({ status: 'valid', references: [{ ok: true }] });
    // Signed exclusively, the same reference without its c14n transform hashes differently.
    const exclusive = signWith(EXC);
    expect((await only(resign(exclusive.replace(`<Transform Algorithm="${EXC}"/>`, '')))).references[0]).toMatchObject({ problem: 'digest-mismatch' });
  });
  it('InclusiveNamespaces on the exclusive transform is read; on an inclusive one it is not', async () => {
    const xml = `<R xmlns:u="urn:u"><T ID="t"><V>u:x</V></T></R>`;
    const sig = new SignedXml({ privateKey: IDP_KEY.privateKeyPem, publicCert: IDP_KEY.certPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC });
    sig.addReference({ xpath: "//*[@ID='t']", digestAlgorithm: SHA256, transforms: [URN.enveloped, EXC], inclusiveNamespacesPrefixList: ['u'] });
    sig.computeSignature(xml, { location: { reference: "//*[@ID='t']", action: 'append' } });
    const signed = sig.getSignedXml();
    expect((await only(signed)).status).toBe('valid');
    // Without the list the u declaration is not rendered: another digest.
    const stripped = resign(signed.replace(/<InclusiveNamespaces [^>]*\/>/g, '').replace(/<Transform Algorithm="([^"]+)"><\/Transform>/g, '<Transform Algorithm="$1"/>'));
    expect((await only(stripped)).references[0]).toMatchObject({ problem: 'digest-mismatch' });
    // Whitespace around and between the prefixes is read away.
    const spaced = resign(signed.replace(/PrefixList="u"/, 'PrefixList="  u   v "'));
    expect((await only(spaced)).references[0]).toMatchObject({ ok: true });
  });
});

describe('the ds:Signature itself', () => {
  it('not exactly one SignedInfo and one SignatureValue, or no Reference: malformed, nothing else looked at', async () => {
    const si = /<SignedInfo>[\s\S]*?<\/SignedInfo>/.exec(SIGNED)![0];
    const sv = /<SignatureValue>[\s\S]*?<\/SignatureValue>/.exec(SIGNED)![0];
    const ref = /<Reference [\s\S]*?<\/Reference>/.exec(SIGNED)![0];
    const malformed = (detail: string) => ({ path: SIG_PATH, parentPath: '/Response/Assertion', status: 'unverifiable', problems: ['malformed'], detail, references: [], keyInfoCertificates: [IDP_KEY.certBase64] });
    expect(await only(SIGNED.replace(si, si + si))).toStrictEqual(malformed('the ds:Signature has 2 SignedInfo elements'));
    expect(await only(SIGNED.replace(si, ''))).toStrictEqual(malformed('the ds:Signature has 0 SignedInfo elements'));
    expect(await only(SIGNED.replace(sv, sv + sv))).toStrictEqual(malformed('the ds:Signature has 2 SignatureValue elements'));
    expect(await only(SIGNED.replace(sv, ''))).toStrictEqual(malformed('the ds:Signature has 0 SignatureValue elements'));
    expect(await only(SIGNED.replace(ref, ''))).toStrictEqual(malformed('the SignedInfo has no Reference'));
  });
  it(`up to ${MAX_REFERENCES} References are checked; more are refused`, async () => {
    const ref = /<Reference [\s\S]*?<\/Reference>/.exec(SIGNED)![0];
    const four = await only(resign(SIGNED.replace(ref, ref.repeat(MAX_REFERENCES))));
    expect(four).toMatchObject({ status: 'valid', problems: [] });
    expect(four.references).toHaveLength(MAX_REFERENCES);
    const five = await only(SIGNED.replace(ref, ref.repeat(MAX_REFERENCES + 1)));
    expect(five).toStrictEqual({
      path: SIG_PATH,
      parentPath: '/Response/Assertion',
      status: 'unverifiable',
      problems: ['malformed'],
      detail: `the SignedInfo has 5 References; SAML allows one, and samlscope checks at most 4`,
      references: [],
      keyInfoCertificates: [IDP_KEY.certBase64],
      signatureMethod: RSA_SHA256,
      c14nMethod: EXC,
    });
  });
  it('one failing Reference among good ones is enough, and is named once', async () => {
    const ref = /<Reference [\s\S]*?<\/Reference>/.exec(SIGNED)![0];
    const bad = ref.replace(`URI="#${A_ID}"`, 'URI="#nope"');
    const v = await only(resign(SIGNED.replace(ref, ref + bad + bad)));
    expect(v.problems).toStrictEqual(['reference']);
    expect(v.references.map((r) => r.ok)).toStrictEqual([true, false, false]);
    expect(v.status).toBe('invalid');
  });
  it('a signature or canonicalization algorithm WebCrypto lacks, or none', async () => {
    const dsa = 'http://www.w3.org/2000/09/xmldsig#dsa-sha1';
    const sm = `<SignatureMethod Algorithm="${RSA_SHA256}"/>`;
    const cm = `<CanonicalizationMethod Algorithm="${EXC}"/>`;
    const { signingCertificate: _, keySource: __, ...unchecked } = VALID;
    expect(await only(SIGNED.replace(sm, `<SignatureMethod Algorithm="${dsa}"/>`))).toStrictEqual({
      ...unchecked,
      status: 'unverifiable',
      problems: ['unsupported-algorithm'],
      signatureMethod: dsa,
      detail: `signature algorithm ${dsa} is not supported`,
    });
    const { signatureMethod: ___, ...noMethod } = unchecked;
    expect(await only(SIGNED.replace(sm, ''))).toStrictEqual({ ...noMethod, status: 'unverifiable', problems: ['unsupported-algorithm'], detail: 'signature algorithm (none) is not supported' });
    expect(await only(SIGNED.replace(cm, `<CanonicalizationMethod Algorithm="urn:c14n:other"/>`))).toStrictEqual({
      ...unchecked,
      status: 'unverifiable',
      problems: ['unsupported-algorithm'],
      c14nMethod: 'urn:c14n:other',
      detail: 'canonicalization urn:c14n:other is not supported',
    });
    const { c14nMethod: ____, ...noC14n } = unchecked;
    expect(await only(SIGNED.replace(cm, ''))).toStrictEqual({ ...noC14n, status: 'unverifiable', problems: ['unsupported-algorithm'], detail: 'canonicalization (none) is not supported' });
  });
  it('an unsupported Reference and an unsupported SignatureMethod: the problem once', async () => {
    const v = await only(SIGNED.replace(`<Reference URI="#${A_ID}">`, '<Reference URI="#xpointer(/)">').replace(RSA_SHA256, 'urn:x'));
    expect(v.problems).toStrictEqual(['unsupported-algorithm']);
    expect(v.detail).toBe('signature algorithm urn:x is not supported');
  });
  it('a failing Reference with an unsupported SignatureMethod is invalid', async () => {
    const v = await only(SIGNED.replace(LAB.user, 'eve@contoso.com').replace(RSA_SHA256, 'urn:x'));
    expect(v).toMatchObject({ status: 'invalid', problems: ['reference', 'unsupported-algorithm'] });
  });
});

describe('keys: KeyInfo, the configured certificates, and what the detail says of them', () => {
  const keyInfo = /<KeyInfo>[\s\S]*?<\/KeyInfo>/.exec(SIGNED)![0];
  const noKeyInfo = SIGNED.replace(keyInfo, '');
  it('no certificate anywhere: nothing to verify with', async () => {
    const { signingCertificate: _, keySource: __, ...rest } = VALID;
    expect(await only(noKeyInfo)).toStrictEqual({
      ...rest,
      keyInfoCertificates: [],
      status: 'unverifiable',
      problems: ['no-key'],
      detail: 'the signature carries no certificate in KeyInfo and no IdP certificate is configured',
    });
  });
  it('the configured certificate verifies when KeyInfo has none', async () => {
    expect(await only(noKeyInfo, [IDP_KEY.certBase64])).toStrictEqual({ ...VALID, keyInfoCertificates: [], keySource: 'expected' });
  });
  it('the certificate found first that verifies is named, wherever it came from', async () => {
    expect(await only(SIGNED, [OTHER_KEY.certBase64])).toStrictEqual({ ...VALID, keySource: 'keyinfo' });
    const swapped = SIGNED.replace(IDP_KEY.certBase64, OTHER_KEY.certBase64);
    expect(await only(swapped, [IDP_KEY.certBase64])).toStrictEqual({ ...VALID, keyInfoCertificates: [OTHER_KEY.certBase64], keySource: 'expected' });
  });
  it('what the detail says of the certificates tried', async () => {
    const { signingCertificate: _, keySource: __, ...rest } = VALID;
    const swapped = SIGNED.replace(IDP_KEY.certBase64, OTHER_KEY.certBase64);
    const failed = (keyInfoCertificates: string[], detail: string) => ({ ...rest, keyInfoCertificates, status: 'invalid', problems: ['signature-value'], detail });
    expect(await only(swapped)).toStrictEqual(failed([OTHER_KEY.certBase64], 'the SignatureValue does not verify over the canonical SignedInfo with the key of the certificate (in KeyInfo)'));
    expect(await only(noKeyInfo, [OTHER_KEY.certBase64])).toStrictEqual(failed([], 'the SignatureValue does not verify over the canonical SignedInfo with the key of the certificate (expected)'));
    // The same certificate in KeyInfo and configured is tried once.
    expect(await only(swapped, [OTHER_KEY.certBase64])).toStrictEqual(failed([OTHER_KEY.certBase64], 'the SignatureValue does not verify over the canonical SignedInfo with the key of the certificate (in KeyInfo and expected)'));
    const thirdKey = SIGNED.replace(IDP_KEY.certBase64, 'AAAA');
    expect(await only(swapped, ['AAAA'])).toStrictEqual(failed([OTHER_KEY.certBase64], 'the SignatureValue does not verify over the canonical SignedInfo with the key of any of the 2 certificates (in KeyInfo and expected)'));
    expect(await only(thirdKey.replace('AAAA', 'AAAA</X509Certificate><X509Certificate>BBBB'))).toStrictEqual(
      failed(['AAAA', 'BBBB'], 'the SignatureValue does not verify over the canonical SignedInfo with the key of any of the 2 certificates (in KeyInfo)'),
    );
  });
  it('a SignatureValue that is not base64, or empty', async () => {
    const v = await only(SIGNED.replace(/<SignatureValue>[^<]*</, '<SignatureValue>not*base64<'));
    expect(v).toMatchObject({ status: 'invalid', problems: ['signature-value'], detail: 'the SignatureValue is not valid base64' });
    for (const empty of ['<SignatureValue></SignatureValue>', '<SignatureValue>\n </SignatureValue>', '<SignatureValue/>']) {
      const e = await only(SIGNED.replace(/<SignatureValue>[^<]*<\/SignatureValue>/, empty));
      expect(e, empty).toMatchObject({ status: 'invalid', problems: ['signature-value'], detail: 'the SignatureValue is empty' });
    }
  });
  it('KeyInfo certificates: every ds:X509Certificate at any depth, none from another namespace, none empty', async () => {
    const ki = `<KeyInfo><KeyName>k</KeyName><X509Data><X509SubjectName>CN=x</X509SubjectName><X509Certificate>${IDP_KEY.certBase64}</X509Certificate><X509Certificate>  </X509Certificate></X509Data><o:X509Data xmlns:o="urn:other"><o:X509Certificate>${OTHER_KEY.certBase64}</o:X509Certificate></o:X509Data><X509Data><X509Certificate>${OTHER_KEY.certBase64}</X509Certificate></X509Data></KeyInfo>`;
    const v = await only(SIGNED.replace(keyInfo, ki));
    expect(v.keyInfoCertificates).toStrictEqual([IDP_KEY.certBase64, OTHER_KEY.certBase64]);
    expect(v).toMatchObject({ status: 'valid', keySource: 'keyinfo', signingCertificate: IDP_KEY.certBase64 });
    // The verifying key is found past a first certificate that does not verify.
    const second = SIGNED.replace(keyInfo, `<KeyInfo><X509Data><X509Certificate>${OTHER_KEY.certBase64}</X509Certificate><X509Certificate>${IDP_KEY.certBase64}</X509Certificate></X509Data></KeyInfo>`);
    expect(await only(second)).toMatchObject({ status: 'valid', signingCertificate: IDP_KEY.certBase64, keyInfoCertificates: [OTHER_KEY.certBase64, IDP_KEY.certBase64] });
  });
  it('a certificate that is not one, or an EC key for an RSA signature, is passed over', async () => {
    for (const bad of ['AAAA', 'MIIB']) {
      expect(await only(noKeyInfo, [bad, IDP_KEY.certBase64]), bad).toMatchObject({ status: 'valid', keySource: 'expected' });
    }
  });
});

describe('how many signatures a message may carry', () => {
  it('none, one per signed element, and past the bound a verdict that says why', async () => {
    expect(await verifyXmlSignatures(makeResponse({}))).toStrictEqual([]);
    expect(await verifyXmlSignatures('<not xml')).toStrictEqual([]);
    const both = sign(makeResponse({ responseId: R_ID, assertionId: A_ID }), { target: 'both' });
    const v = await verifyXmlSignatures(both);
    expect(v.map((s) => [s.path, s.parentPath, s.status])).toStrictEqual([
      ['/Response/Signature', '/Response', 'valid'],
      ['/Response/Assertion/Signature', '/Response/Assertion', 'valid'],
    ]);
    const sig = /<Signature [\s\S]*?<\/Signature>/.exec(SIGNED)![0];
    const nine = await verifyXmlSignatures(SIGNED.replace(sig, sig.repeat(9)));
    expect(nine).toHaveLength(9);
    expect(nine.slice(0, 8).every((s) => s.problems.length === 0 || !s.problems.includes('malformed'))).toBe(true);
    expect(nine[8]).toStrictEqual({
      path: `${SIG_PATH}[9]`,
      parentPath: '/Response/Assertion',
      status: 'unverifiable',
      problems: ['malformed'],
      detail: 'the message has 9 signatures; samlscope verifies the first 8',
      references: [],
      keyInfoCertificates: [],
    });
  });
  it('verifies the tree it is given when there is one, not the text again', async () => {
    const tree = parseXml(SIGNED);
    expect(await verifyXmlSignatures('<unrelated/>', [], tree)).toStrictEqual([VALID]);
    expect(await verifyXmlSignatures(SIGNED, [], { message: 'x' } as never)).toStrictEqual([]);
  });
});

describe('HTTP-Redirect signatures, verdict by verdict', () => {
  const xml = makeLogoutRequest({});
  const cap = (q: string | undefined, o: { param?: 'SAMLRequest' | 'SAMLResponse' } = {}) => {
    const p = q === undefined ? new URLSearchParams() : new URLSearchParams(q);
    return { ...(q === undefined ? {} : { rawQuery: q }), ...(o.param ? { param: o.param } : {}), sigAlg: p.get('SigAlg') ?? undefined, signature: p.get('Signature') ?? undefined };
  };
  const s = signRedirect(xml, { relayState: 'rs' });
  const signedString = s.query.slice(0, s.query.indexOf('&Signature='));

  it('valid: the octets, the algorithm, the configured certificate', async () => {
    expect(await verifyRedirect(cap(s.query), [OTHER_KEY.certBase64, IDP_KEY.certBase64])).toStrictEqual({
      status: 'valid',
      problems: [],
      sigAlg: RSA_SHA256,
      signedString,
      signingCertificate: IDP_KEY.certBase64,
      keySource: 'expected',
    });
  });
  it('no SigAlg and no Signature: no verdict; either one alone: a verdict', async () => {
    expect(await verifyRedirect({ rawQuery: `SAMLRequest=${s.value}` }, [IDP_KEY.certBase64])).toBeUndefined();
    expect(await verifyRedirect({ rawQuery: `SAMLRequest=${s.value}&SigAlg=${encodeURIComponent(RSA_SHA256)}`, sigAlg: RSA_SHA256 }, [IDP_KEY.certBase64])).toStrictEqual({
      status: 'unverifiable',
      problems: ['malformed'],
      sigAlg: RSA_SHA256,
      detail: 'the query string lacks Signature',
    });
    expect(await verifyRedirect({ rawQuery: `SAMLRequest=${s.value}&Signature=abc`, signature: 'abc' }, [IDP_KEY.certBase64])).toStrictEqual({
      status: 'unverifiable',
      problems: ['malformed'],
      detail: 'the query string lacks SigAlg',
    });
  });
  it('what the query string lacks, named', async () => {
    const q = (parts: string[]) => ({ rawQuery: parts.join('&'), signature: 'x', param: 'SAMLRequest' as const });
    expect((await verifyRedirect(q(['RelayState=r']), []))!.detail).toBe('the query string lacks SAMLRequest and SigAlg and Signature');
    expect((await verifyRedirect(q([`SAMLRequest=${s.value}`, 'Signature=x']), []))!.detail).toBe('the query string lacks SigAlg');
    expect((await verifyRedirect(q([`SigAlg=a`, 'Signature=x']), []))!.detail).toBe('the query string lacks SAMLRequest');
  });
  it('the raw query string not captured: the signed octets cannot be rebuilt', async () => {
    expect(await verifyRedirect({ sigAlg: RSA_SHA256, signature: s.signature }, [IDP_KEY.certBase64])).toStrictEqual({
      status: 'unverifiable',
      problems: ['malformed'],
      sigAlg: RSA_SHA256,
      detail: 'the raw query string was not captured, so the signed octets cannot be rebuilt exactly',
    });
    expect(await verifyRedirect({ rawQuery: '', signature: 'x' }, [])).toMatchObject({ problems: ['malformed'], detail: expect.stringMatching(/^the raw query string was not captured/) });
  });
  it('the parameter named by the capture, else SAMLResponse when the query has one', async () => {
    const resp = signRedirect(xml, { param: 'SAMLResponse' });
    expect(await verifyRedirect(cap(resp.query), [IDP_KEY.certBase64])).toMatchObject({ status: 'valid', signedString: resp.query.slice(0, resp.query.indexOf('&Signature=')) });
    // Told it is the SAMLRequest, the query has none.
    expect(await verifyRedirect(cap(resp.query, { param: 'SAMLRequest' }), [IDP_KEY.certBase64])).toMatchObject({ detail: 'the query string lacks SAMLRequest' });
  });
  it('the first of a repeated parameter is the one signed; bare and empty-named segments are skipped', async () => {
    const q = `SAMLRequest=${s.value}&=junk&flag&RelayState=rs&SAMLRequest=other&${s.query.slice(s.query.indexOf('SigAlg='))}&SigAlg=second`;
    expect(await verifyRedirect(cap(q), [IDP_KEY.certBase64])).toMatchObject({ status: 'valid', signedString });
  });
  it('no RelayState: none in the signed octets', async () => {
    const plain = signRedirect(xml);
    expect(await verifyRedirect(cap(plain.query), [IDP_KEY.certBase64])).toMatchObject({ status: 'valid', signedString: `SAMLRequest=${plain.value}&SigAlg=${encodeURIComponent(RSA_SHA256)}` });
  });
  it('a SigAlg WebCrypto lacks, or one that does not percent-decode', async () => {
    const dsa = 'http://www.w3.org/2000/09/xmldsig#dsa-sha1';
    const q = `SAMLRequest=${s.value}&SigAlg=${encodeURIComponent(dsa)}&Signature=abc`;
    expect(await verifyRedirect(cap(q), [IDP_KEY.certBase64])).toStrictEqual({
      status: 'unverifiable',
      problems: ['unsupported-algorithm'],
      sigAlg: dsa,
      signedString: `SAMLRequest=${s.value}&SigAlg=${encodeURIComponent(dsa)}`,
      detail: `SigAlg ${dsa} is not supported`,
    });
    const broken = `SAMLRequest=${s.value}&SigAlg=%E0%A4%A&Signature=abc`;
    expect(await verifyRedirect({ rawQuery: broken, signature: 'abc' }, [IDP_KEY.certBase64])).toMatchObject({ sigAlg: '%E0%A4%A', detail: 'SigAlg %E0%A4%A is not supported' });
  });
  it('no certificate configured: the redirect binding carries none', async () => {
    expect(await verifyRedirect(cap(s.query), [])).toStrictEqual({
      status: 'unverifiable',
      problems: ['no-key'],
      sigAlg: RSA_SHA256,
      signedString,
      detail: 'a redirect signature carries no certificate, and no certificate of the sender is configured',
    });
  });
  it('another key, one or several; a Signature that is not base64', async () => {
    const base = { status: 'invalid', problems: ['signature-value'], sigAlg: RSA_SHA256, signedString };
    const long = `"${signedString.slice(0, 60)}…${signedString.slice(-50)}"`;
    expect(signedString.length).toBeGreaterThan(120);
    expect(await verifyRedirect(cap(s.query), [OTHER_KEY.certBase64])).toStrictEqual({ ...base, detail: `the Signature does not verify over ${long} with the configured certificate` });
    expect(await verifyRedirect(cap(s.query), [OTHER_KEY.certBase64, 'AAAA'])).toStrictEqual({ ...base, detail: `the Signature does not verify over ${long} with any of the 2 configured certificates` });
    // What the Signature parameter is, said as such: not a key that does not verify.
    const withSig = (value: string) => verifyRedirect({ rawQuery: s.query.replace(/Signature=[^&]*$/, `Signature=${value}`), sigAlg: RSA_SHA256, signature: value }, [IDP_KEY.certBase64]);
    expect(await withSig('%%%')).toStrictEqual({ ...base, malformed: 'not valid percent-encoding', detail: 'the Signature parameter is not valid percent-encoding' });
    expect(await withSig('a*b')).toStrictEqual({ ...base, malformed: 'not base64', detail: 'the Signature parameter is not valid base64' });
    expect(await withSig('')).toStrictEqual({ ...base, malformed: 'empty', detail: 'the Signature parameter is empty' });
    expect(await withSig('%20')).toStrictEqual({ ...base, malformed: 'empty', detail: 'the Signature parameter is empty' });
  });
  it('short signed octets are quoted whole', async () => {
    const q = `SAMLRequest=abc&SigAlg=${encodeURIComponent(RSA_SHA256)}&Signature=${encodeURIComponent(s.signature)}`;
    const short = `SAMLRequest=abc&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
    expect(short.length).toBeLessThanOrEqual(120);
    expect((await verifyRedirect(cap(q), [IDP_KEY.certBase64]))!.detail).toBe(`the Signature does not verify over "${short}" with the configured certificate`);
  });
});

describe('verifyMessages: every readable message, never a throw', () => {
  const msg = (id: string, xml: string | undefined, capture: VerifiableMessage['capture'] = {}, ok = true): VerifiableMessage => ({ id, ok, ...(xml === undefined ? {} : { xml }), capture });
  const noKeyInfo = SIGNED.replace(/<KeyInfo>[\s\S]*?<\/KeyInfo>/, '');

  it('verdicts by message id; unreadable messages have none', async () => {
    const out = await verifyMessages([msg('a', SIGNED), msg('b', SIGNED, {}, false), msg('c', undefined)]);
    expect(out).toStrictEqual({ a: { messageId: 'a', signatures: [VALID] } });
  });
  it('configured certificates: PEM or base64, duplicates once, unreadable ones dropped', async () => {
    const swapped = noKeyInfo;
    const out = await verifyMessages([msg('a', swapped)], { certificates: [OTHER_KEY.certPem, OTHER_KEY.certBase64, 'not a certificate', `${IDP_KEY.certPem}\n${OTHER_KEY.certPem}`] });
    expect(out.a!.signatures[0]!.detail).toBe('the SignatureValue does not verify over the canonical SignedInfo with the key of the certificate (expected)');
    const good = await verifyMessages([msg('a', swapped)], { certificates: [IDP_KEY.certPem] });
    expect(good.a!.signatures[0]).toMatchObject({ status: 'valid', keySource: 'expected' });
  });
  it('a redirect signature joins the message verdict', async () => {
    const s = signRedirect(makeLogoutRequest({}));
    const out = await verifyMessages([msg('r', makeLogoutRequest({}), { rawQuery: s.query, sigAlg: RSA_SHA256, signature: s.signature, param: 'SAMLRequest' })], { certificates: [IDP_KEY.certBase64] });
    expect(out.r).toMatchObject({ messageId: 'r', signatures: [], redirect: { status: 'valid' } });
    expect('redirect' in (await verifyMessages([msg('p', SIGNED)])).p!).toBe(false);
  });
  it('a recorded verdict (a redacted export) stands for the bytes it was made from', async () => {
    const verdict = { signatures: [{ ...VALID, status: 'invalid' as const }] };
    const out = await verifyMessages([msg('x', SIGNED, { recordedSignature: { verdict } })]);
    expect(out).toStrictEqual({ x: { messageId: 'x', signatures: [{ ...VALID, status: 'invalid' }] } });
  });
  it('the tree the analysis parsed is used; anything else is not', async () => {
    const tree = parseXml(SIGNED);
    expect((await verifyMessages([msg('a', '<other/>')], { documentOf: () => tree })).a!.signatures).toStrictEqual([VALID]);
    expect((await verifyMessages([msg('a', SIGNED)], { documentOf: () => ({ message: 'parse error' }) })).a!.signatures).toStrictEqual([VALID]);
    expect((await verifyMessages([msg('a', SIGNED)], { documentOf: () => 'text' })).a!.signatures).toStrictEqual([VALID]);
    expect((await verifyMessages([msg('a', SIGNED)], { documentOf: () => null })).a!.signatures).toStrictEqual([VALID]);
  });
  it('a failure inside becomes an unverifiable verdict that says what failed', async () => {
    const out = await verifyMessages([msg('a', SIGNED)], {
      documentOf: () => {
        throw new Error('boom');
      },
    });
    expect(out).toStrictEqual({ a: { messageId: 'a', signatures: [], redirect: { status: 'unverifiable', problems: ['malformed'], detail: 'verification failed: boom' } } });
    const odd = await verifyMessages([msg('a', SIGNED)], {
      documentOf: () => {
        throw 'plain';
      },
    });
    expect(odd.a!.redirect!.detail).toBe('verification failed: plain');
  });
});

describe('the lazily loaded verifier', () => {
  it('loadVerifier gives the same verifier analyze() is handed', async () => {
    const { loadVerifier } = await import('../lib/signature/load.ts');
    const { signatureVerifier } = await import('../lib/signature/verify.ts');
    expect(await loadVerifier()).toBe(signatureVerifier);
    expect(signatureVerifier.verify).toBe(verifyMessages);
  });
});
