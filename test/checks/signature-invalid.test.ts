// signature-invalid: messages signed in this test run (xml-crypto, the lab factory), then
// changed, re-keyed or broken; verified with WebCrypto through analyzeWithSignatures.
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { isoTime, LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from '../lab/keys.ts';
import { signRedirect } from '../lab/redirect-sign.ts';
import { expectWellFormed, findingsFor, verifiedFindingsFor, type Case } from './harness.ts';
import { ENTRA_CERT } from '../../lib/checks/fixes.ts';
import { base64Problem } from '../../lib/checks/signature-invalid.ts';

// The fixes word for word.
const FIX_CHANGED =
  'Do not trust this message: it is not what Entra signed. Capture the sign-in again straight from the browser (not a copy edited by hand or re-encoded by a tool). ' +
  'If a fresh capture still fails, something between Entra and AWS rewrites the message (a proxy, a browser extension, an attacker): keep the capture and report it to your security team.';
const FIX_KEY = `Capture the sign-in again from the browser. If it still fails, the message was re-signed by something other than Entra: compare the certificate in the message with the one in ${ENTRA_CERT} (Thumbprint), and keep the capture for your security team.`;
const FIX_UNVERIFIABLE =
  'Nothing to change for the sign-in itself: samlscope could not check this signature. Configure the IdP certificate (options page, or --idp-cert / --idp-metadata on the command line) to verify signatures that carry no certificate.';
const FIX_OF: Record<string, string> = {
  digest: FIX_CHANGED,
  reference: FIX_CHANGED,
  redirect: FIX_CHANGED,
  redirectMalformed: FIX_CHANGED,
  malformedDigest: FIX_CHANGED,
  malformedValue: FIX_CHANGED,
  unverifiable: FIX_UNVERIFIABLE,
};

const ID = 'signature-invalid';
const reqId = samlId();
const ASSERTION = '/Response/Assertion';
const IDP = { idpCertificates: [IDP_KEY.certPem] };

const logoutRequest = () =>
  `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${isoTime(new Date())}" Destination="${LAB.acsUrl}">` +
  `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer><NameID xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.user}</NameID></samlp:LogoutRequest>`;

function redirectCase(name: string, query: (q: ReturnType<typeof signRedirect>) => string, o: Parameters<typeof signRedirect>[1] = {}, expectations = IDP): Case {
  const xml = logoutRequest();
  const s = signRedirect(xml, { relayState: LAB.portalUrl, ...o });
  const q = query(s);
  return {
    name,
    response: xml,
    expectations,
    // The Signature parameter as the capture decodes it from the query actually sent.
    capture: { raw: s.value, param: 'SAMLRequest', binding: 'redirect', method: 'GET', url: `${LAB.acsUrl}/logout`, rawQuery: q, sigAlg: s.sigAlg, signature: new URLSearchParams(q).get('Signature') ?? undefined },
  };
}

const signedWithOtherKeyButIdpCertInKeyInfo = () => {
  const xml = signedResponse({}, { key: OTHER_KEY });
  return xml.replace(OTHER_KEY.certBase64, IDP_KEY.certBase64);
};

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Response signed', response: signedResponse({}, { target: 'response' }) },
  { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'SHA-1 (signature-weak-algorithm reports the algorithm; the signature holds)', response: signedResponse({}, { algorithm: 'sha1' }) },
  { name: 'signed by another key (OTHER_KEY): it verifies; signature-cert-mismatch judges the certificate', response: signedResponse({}, { key: OTHER_KEY }) },
  {
    name: 'a comment inserted into the signed NameID still verifies under exclusive C14N (nameid-comment reports it)',
    response: sign(makeResponse({ nameIdRawContent: `${LAB.user}<!---->.evil.example` })),
  },
  { name: 'saml2: prefixes', response: signedResponse({ style: 'saml2' }, { target: 'both' }) },
  { name: 'no namespace prefixes at all', response: signedResponse({ style: 'none' }, { target: 'both' }) },
  { name: 'unsigned (signature-missing reports it)', response: makeResponse() },
  { name: 'no KeyInfo, verified with the configured certificate', response: signedResponse().replace(/<KeyInfo>[\s\S]*?<\/KeyInfo>/, ''), expectations: IDP },
  redirectCase('HTTP-Redirect LogoutRequest signed with the IdP key, with RelayState', (s) => s.query),
  redirectCase('HTTP-Redirect LogoutRequest without RelayState', (s) => s.query, { relayState: undefined as unknown as string }),
];

interface Fail extends Case {
  keys: string[];
  /** The fix of a 'value' finding (it depends on whether the digests held). */
  valueFix?: string;
  severity?: 'error' | 'info';
  evidence?: Record<string, Partial<Evidence>[]>;
  messageHas?: Record<string, string[]>;
}

const fail: Fail[] = [
  {
    name: 'NameID changed after signing (the assertion digest fails)',
    response: signedResponse().replace(`${LAB.user}</NameID>`, 'eve@contoso.com</NameID>'),
    keys: ['digest'],
    evidence: { digest: [{ label: 'digest of the signed Assertion', path: ASSERTION }, { label: 'signature', path: `${ASSERTION}/Signature` }] },
    messageHas: { digest: ['was changed after it was signed: it now hashes (http://www.w3.org/2001/04/xmlenc#sha256) to ', `, but the Assertion signature (${ASSERTION}/Signature) says `, '. The signature does not hold.'] },
  },
  {
    name: 'signed Response whose Assertion was swapped for another',
    response: (() => {
      const xml = signedResponse({ responseId: '_resp' }, { target: 'response' });
      return xml.replace(/<Assertion [\s\S]*<\/Assertion>/, makeResponse({ nameId: 'eve@contoso.com', assertionId: '_swapped' }).match(/<Assertion [\s\S]*<\/Assertion>/)![0]);
    })(),
    keys: ['digest'],
    evidence: { digest: [{ label: 'digest of the signed Response', path: '/Response' }] },
    messageHas: { digest: ['Response _resp at /Response'] },
  },
  {
    name: 'both signed, Assertion changed: both digests fail',
    response: signedResponse({}, { target: 'both' }).replace('<Attribute Name="http://schemas.microsoft.com/identity/claims/displayname"><AttributeValue>Alex Morgan', '<Attribute Name="http://schemas.microsoft.com/identity/claims/displayname"><AttributeValue>Eve'),
    keys: ['digest', 'digest'],
  },
  {
    name: 'signed by another key, the IdP certificate pasted into KeyInfo (the SignatureValue fails)',
    response: signedWithOtherKeyButIdpCertInKeyInfo(),
    keys: ['value'],
    valueFix: FIX_KEY,
    evidence: { value: [{ label: 'SignatureValue', path: `${ASSERTION}/Signature/SignatureValue` }, { label: 'certificate in KeyInfo', actual: `CN=Microsoft Azure Federated SSO Certificate (SHA-1 thumbprint ${IDP_KEY.sha1})` }] },
    messageHas: {
      value: [
        `The SignatureValue of the Assertion signature (${ASSERTION}/Signature) does not verify over its SignedInfo with the key of CN=Microsoft Azure Federated SSO Certificate (SHA-1 thumbprint ${IDP_KEY.sha1}): SignedInfo was changed after signing, or the message was signed with another key than that certificate.`,
      ],
    },
  },
  {
    name: 'SignatureValue altered',
    response: signedResponse().replace(/<SignatureValue>(.)/, (_, a: string) => `<SignatureValue>${a === 'A' ? 'B' : 'A'}`),
    keys: ['value'],
    valueFix: FIX_KEY,
  },
  {
    name: 'DigestValue emptied: malformed, reported once (not also as a SignatureValue that fails)',
    response: signedResponse().replace(/<DigestValue>[^<]*<\/DigestValue>/, '<DigestValue></DigestValue>'),
    keys: ['malformedDigest'],
    evidence: { malformedDigest: [{ label: 'DigestValue', expected: 'the base64 digest of the signed element', actual: '(empty)', path: `${ASSERTION}/Signature/SignedInfo/Reference/DigestValue` }] },
    messageHas: {
      malformedDigest: [
        `The DigestValue of the Assertion signature (${ASSERTION}/Signature) is empty, so there is no digest to compare: the signature is malformed (written by hand, cut short or mangled), which is not the same as content changed after signing. It does not hold.`,
      ],
    },
  },
  {
    name: 'SignatureValue not base64',
    response: signedResponse().replace(/<SignatureValue>[^<]*<\/SignatureValue>/, '<SignatureValue>not*base64!</SignatureValue>'),
    keys: ['malformedValue'],
    evidence: { malformedValue: [{ label: 'SignatureValue', expected: 'a base64 signature value', actual: 'not*base64!', path: `${ASSERTION}/Signature/SignatureValue` }] },
    messageHas: {
      malformedValue: [
        `The SignatureValue of the Assertion signature (${ASSERTION}/Signature) is not base64 (it contains "*!"), so it cannot be a signature and nothing verifies: the signature is malformed, which is not proof that SignedInfo was changed after signing.`,
      ],
    },
  },
  {
    name: 'Reference URI changed to an ID that does not exist (SignedInfo changed too)',
    response: signedResponse({ assertionId: '_orig' }).replace('URI="#_orig"', 'URI="#_nowhere"'),
    keys: ['reference', 'value'],
    evidence: { reference: [{ label: 'Reference URI', expected: 'the ID of exactly one element', actual: '#_nowhere' }] },
    messageHas: { reference: [`The Assertion signature (${ASSERTION}/Signature) points at "#_nowhere", and no element has the ID _nowhere: the signature cannot hold.`] },
  },
  {
    name: 'two elements with the signed ID: the Reference is ambiguous',
    response: (() => {
      const xml = signedResponse({ assertionId: '_orig' });
      const a = /<Assertion [\s\S]*<\/Assertion>/.exec(xml)![0];
      return xml.replace('</Issuer>', `</Issuer><samlp:Extensions>${a.replace(/<Signature [\s\S]*?<\/Signature>/, '')}</samlp:Extensions>`);
    })(),
    keys: ['reference'],
    evidence: {
      reference: [
        { label: 'Reference URI', expected: 'the ID of exactly one element', actual: '#_orig', path: `${ASSERTION}/Signature/SignedInfo/Reference` },
        { label: 'signature', actual: `the Assertion signature (${ASSERTION}/Signature)`, path: `${ASSERTION}/Signature` },
      ],
    },
    messageHas: {
      reference: [
        `The Assertion signature (${ASSERTION}/Signature) points at "#_orig", and 2 elements have the ID _orig (/Response/Extensions/Assertion, /Response/Assertion); a verifier that picks one and a reader that picks another disagree: the signature cannot hold.`,
      ],
    },
  },
  {
    name: 'unsupported signature algorithm (DSA): not verified, said so',
    response: signedResponse().replace(URN.rsaSha256, 'http://www.w3.org/2000/09/xmldsig#dsa-sha1'),
    keys: ['unverifiable'],
    severity: 'info',
    evidence: { unverifiable: [{ label: 'signature', actual: 'signature algorithm http://www.w3.org/2000/09/xmldsig#dsa-sha1 is not supported', path: `${ASSERTION}/Signature` }] },
    messageHas: { unverifiable: [`The Assertion signature (${ASSERTION}/Signature) was not verified: signature algorithm http://www.w3.org/2000/09/xmldsig#dsa-sha1 is not supported.`] },
  },
  {
    name: 'an unreadable certificate in KeyInfo and none configured: not verified, said so (not "does not verify")',
    response: signedResponse().replace(/<X509Certificate>[^<]*<\/X509Certificate>/, '<X509Certificate>AAAA</X509Certificate>'),
    keys: ['unverifiable'],
    severity: 'info',
    evidence: { unverifiable: [{ label: 'certificate in KeyInfo', expected: 'a base64 DER X.509 certificate', actual: 'an unreadable certificate (AAAA)', path: `${ASSERTION}/Signature/KeyInfo/X509Data/X509Certificate` }] },
    messageHas: { unverifiable: [`The Assertion signature (${ASSERTION}/Signature) was not verified: its KeyInfo holds an unreadable certificate (AAAA), and no IdP certificate is configured.`] },
  },
  {
    name: 'no KeyInfo and no configured certificate: not verified, said so',
    response: signedResponse().replace(/<KeyInfo>[\s\S]*?<\/KeyInfo>/, ''),
    keys: ['unverifiable'],
    severity: 'info',
    messageHas: { unverifiable: [`The Assertion signature (${ASSERTION}/Signature) was not verified: the signature carries no certificate in KeyInfo and no IdP certificate is configured.`] },
  },
  {
    ...redirectCase('HTTP-Redirect: RelayState changed after signing', (s) => s.query.replace(/RelayState=[^&]*/, `RelayState=${encodeURIComponent('https://evil.example/')}`)),
    keys: ['redirect'],
    evidence: {
      redirect: [
        { label: 'signed octets (raw query)', path: `query string of ${LAB.acsUrl}/logout` },
        { label: 'Signature', expected: 'verifies with a configured certificate', path: 'Signature query parameter' },
      ],
    },
    messageHas: {
      redirect: [
        `The HTTP-Redirect signature (${URN.rsaSha256}) does not verify over the query string as it was received, with CN=Microsoft Azure Federated SSO Certificate (SHA-1 thumbprint ${IDP_KEY.sha1}): the URL was changed, or signed with another key.`,
      ],
    },
  },
  {
    ...redirectCase('HTTP-Redirect: signed by another key', (s) => s.query, { key: OTHER_KEY }),
    keys: ['redirect'],
  },
  ...(
    [
      ['emptied', '', 'empty', '(empty)'],
      ['not base64', 'a*b', 'not base64', 'a*b'],
      ['not percent-encoded', '%%%', 'not valid percent-encoding', '%%%'],
    ] as const
  ).map(([how, value, what, shown]) => ({
    ...redirectCase(`HTTP-Redirect: Signature parameter ${how} (malformed, not a changed URL)`, (s) => s.query.replace(/Signature=[^&]*$/, `Signature=${value}`)),
    keys: ['redirectMalformed'],
    evidence: { redirectMalformed: [{ label: 'Signature', expected: 'a base64 signature value', actual: shown, path: 'Signature query parameter' }] },
    messageHas: {
      redirectMalformed: [
        `The Signature query parameter of the HTTP-Redirect message is ${what}, so it cannot be a signature and nothing verifies: the signature is malformed (cut short or mangled, often when the URL was copied by hand), which is not proof that the URL was changed.`,
      ],
    },
  })),
  {
    ...redirectCase('HTTP-Redirect: no certificate configured', (s) => s.query, {}, {} as typeof IDP),
    keys: ['unverifiable'],
    severity: 'info',
    evidence: { unverifiable: [{ label: 'SigAlg / Signature query parameters', actual: 'a redirect signature carries no certificate, and no certificate of the sender is configured', path: 'Signature query parameter' }] },
    messageHas: { unverifiable: ['The HTTP-Redirect signature was not verified: a redirect signature carries no certificate, and no certificate of the sender is configured.'] },
  },
];

describe(ID, () => {
  for (const c of pass) {
    it(`passes: ${c.name}`, async () => {
      expect(await verifiedFindingsFor(c, ID)).toEqual([]);
    });
  }
  for (const c of fail) {
    it(`fails: ${c.name}`, async () => {
      const found = await verifiedFindingsFor(c, ID);
      expect(found.map((f) => f.messageKey)).toEqual(c.keys);
      for (const f of found) {
        expectWellFormed(f);
        expect(f.severity).toBe(c.severity ?? 'error');
        expect(f.fix, `${f.messageKey}: the fix`).toBe(f.messageKey === 'value' ? (c.valueFix ?? FIX_CHANGED) : FIX_OF[f.messageKey ?? ""]);
      }
      for (const [key, evidence] of Object.entries(c.evidence ?? {})) {
        const f = found.find((x) => x.messageKey === key)!;
        for (const e of evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
      }
      for (const [key, texts] of Object.entries(c.messageHas ?? {})) {
        const f = found.find((x) => x.messageKey === key)!;
        for (const t of texts) expect(f.message + JSON.stringify(f.evidence)).toContain(t);
      }
    });
  }

  it('reports the digest values exactly: DigestValue expected, the digest as received actual', async () => {
    const xml = signedResponse().replace(`${LAB.user}</NameID>`, 'eve@contoso.com</NameID>');
    const [f] = await verifiedFindingsFor({ name: 'x', response: xml }, ID);
    const written = /<DigestValue>([^<]+)<\/DigestValue>/.exec(xml)![1]!;
    expect(f!.evidence[0]).toMatchObject({ expected: written, source: `DigestValue in ${ASSERTION}/Signature/SignedInfo/Reference` });
    expect(f!.evidence[0]!.actual).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(f!.evidence[0]!.actual).not.toBe(written);
  });

  it('says nothing on the synchronous path (verification did not run): never a false error', () => {
    const tampered = signedResponse().replace(`${LAB.user}</NameID>`, 'eve@contoso.com</NameID>');
    expect(findingsFor({ name: 'tampered, sync', response: tampered }, ID)).toEqual([]);
  });

  it('says why a DigestValue or SignatureValue cannot be base64', () => {
    expect(base64Problem(undefined)).toBeUndefined();
    expect(base64Problem('')).toBe('empty');
    expect(base64Problem(' \n ')).toBe('only whitespace');
    expect(base64Problem('QUJD')).toBeUndefined();
    expect(base64Problem('QU\nJD')).toBeUndefined();
    expect(base64Problem('QUI=')).toBeUndefined();
    expect(base64Problem('QQ==')).toBeUndefined();
    expect(base64Problem('QUJ')).toBe('not base64 (its length or padding is wrong)');
    expect(base64Problem('Q===')).toBe('not base64 (its length or padding is wrong)');
    expect(base64Problem('QU=D')).toBe('not base64 (its length or padding is wrong)');
    expect(base64Problem('a-b_c.d!e?f')).toBe('not base64 (it contains "-_.!?")');
    expect(base64Problem('a-b_c.d!e?f#g')).toBe('not base64 (it contains "-_.!?")');
  });

  it('a second Reference that fails is named by its number; two certificates in KeyInfo are numbered', async () => {
    const xml = signedResponse({ assertionId: '_two' });
    const ref = /<Reference [^>]*>[\s\S]*?<\/Reference>/.exec(xml)![0];
    const twoRefs = xml.replace(ref, ref + ref.replace(/<DigestValue>[^<]*<\/DigestValue>/, '<DigestValue>@@@@</DigestValue>'));
    const found = await verifiedFindingsFor({ name: 'two refs', response: twoRefs }, ID);
    const malformed = found.find((f) => f.messageKey === 'malformedDigest');
    expect(malformed?.evidence[0]).toEqual({
      label: 'DigestValue',
      expected: 'the base64 digest of the signed element',
      actual: '@@@@',
      path: `${ASSERTION}/Signature/SignedInfo/Reference[2]/DigestValue`,
    });
    expect(malformed?.message).toContain('is not base64 (it contains "@")');
    const altered = signedResponse().replace(/<SignatureValue>(.)/, (_, a: string) => `<SignatureValue>${a === 'A' ? 'B' : 'A'}`);
    const twoCerts = altered.replace(/(<X509Certificate>[^<]*<\/X509Certificate>)/, `$1<X509Certificate>${OTHER_KEY.certBase64}</X509Certificate>`);
    const [value] = await verifiedFindingsFor({ name: 'two certs', response: twoCerts }, ID);
    expect(value?.messageKey).toBe('value');
    expect(value?.evidence.map((e) => e.label)).toEqual(['SignatureValue', 'certificate in KeyInfo 1', 'certificate in KeyInfo 2']);
  });
});
