import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/analyze.ts';
import type { Evidence, Finding } from '../../lib/types.ts';
import { isoTime, LAB, makeAuthnRequest, samlId, signedResponse, toRedirect, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';
import { ENTRA_SIGNING_ALGORITHM } from '../../lib/checks/fixes.ts';
import { weakHashes } from '../../lib/checks/signature-weak-algorithm.ts';

// The fixes word for word.
const FIX_ENTRA = `${ENTRA_SIGNING_ALGORITHM}: choose SHA-256 (Entra's default), then Save.`;
const FIX_OTHER = `The sender chose this algorithm. For messages from Entra: ${FIX_ENTRA} For messages from IAM Identity Center (AuthnRequests are normally unsigned), AWS chooses the algorithm; note it in a support case.`;

const ID = 'signature-weak-algorithm';
const reqId = samlId();
const DSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#dsa-sha1';
const ECDSA_SHA1 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1';
const ASIG = '/Response/Assertion/Signature';
const RSIG = '/Response/Signature';

/** An Entra LogoutRequest, as it travels by HTTP-Redirect. */
const logoutRequest = () =>
  `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${isoTime(new Date())}" Destination="${LAB.spEntityId}">` +
  `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer><NameID xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.user}</NameID></samlp:LogoutRequest>`;

const redirectCapture = (xml: string, sigAlg: string): Case['capture'] => ({ raw: toRedirect(xml), param: 'SAMLRequest', binding: 'redirect', method: 'GET', sigAlg, url: LAB.acsUrl });

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Response and Assertion signed with SHA-256', response: signedResponse({}, { target: 'both' }) },
  { name: 'redirect LogoutRequest signed with rsa-sha256', response: logoutRequest(), capture: redirectCapture(logoutRequest(), URN.rsaSha256) },
];

interface Fail extends Case {
  /** One entry per expected finding, in document order. */
  findings: { key: string; messageHas: string; evidence: Partial<Evidence>[]; fix: string }[];
}

const sha1Both = {
  key: 'xml',
  fix: FIX_ENTRA,
};

const fail: Fail[] = [
  {
    name: 'Entra "SHA-1" signing algorithm on the assertion',
    response: signedResponse({}, { algorithm: 'sha1' }),
    findings: [
      {
        ...sha1Both,
        messageHas: `The signature in Assertion (/Response/Assertion) uses SHA-1: SignatureMethod ${URN.rsaSha1}, DigestMethod ${URN.sha1}.`,
        evidence: [
          { label: 'SignatureMethod', expected: URN.rsaSha256, actual: URN.rsaSha1, path: `${ASIG}/SignedInfo/SignatureMethod/@Algorithm` },
          { label: 'DigestMethod', expected: URN.sha256, actual: URN.sha1, path: `${ASIG}/SignedInfo/Reference/DigestMethod/@Algorithm` },
        ],
      },
    ],
  },
  {
    name: 'SHA-1 on the Response signature',
    response: signedResponse({}, { algorithm: 'sha1', target: 'response' }),
    findings: [
      {
        ...sha1Both,
        messageHas: 'The Response signature',
        evidence: [{ label: 'SignatureMethod', actual: URN.rsaSha1, path: `${RSIG}/SignedInfo/SignatureMethod/@Algorithm` }],
      },
    ],
  },
  {
    name: 'SHA-1 on both signatures: one finding each',
    response: signedResponse({}, { algorithm: 'sha1', target: 'both' }),
    findings: [
      { ...sha1Both, messageHas: 'The Response signature', evidence: [{ label: 'SignatureMethod', actual: URN.rsaSha1, path: `${RSIG}/SignedInfo/SignatureMethod/@Algorithm` }] },
      { ...sha1Both, messageHas: 'The signature in Assertion', evidence: [{ label: 'DigestMethod', actual: URN.sha1, path: `${ASIG}/SignedInfo/Reference/DigestMethod/@Algorithm` }] },
    ],
  },
  {
    name: 'SHA-256 SignatureMethod but SHA-1 DigestMethod',
    response: signedResponse().replace(`<DigestMethod Algorithm="${URN.sha256}"/>`, `<DigestMethod Algorithm="${URN.sha1}"/>`),
    findings: [{ ...sha1Both, messageHas: `DigestMethod ${URN.sha1}`, evidence: [{ label: 'DigestMethod', expected: URN.sha256, actual: URN.sha1 }] }],
  },
  {
    name: 'dsa-sha1 SignatureMethod',
    response: signedResponse().replace(`<SignatureMethod Algorithm="${URN.rsaSha256}"/>`, `<SignatureMethod Algorithm="${DSA_SHA1}"/>`),
    findings: [{ ...sha1Both, messageHas: DSA_SHA1, evidence: [{ label: 'SignatureMethod', actual: DSA_SHA1 }] }],
  },
  {
    name: 'ecdsa-sha1 SignatureMethod',
    response: signedResponse().replace(`<SignatureMethod Algorithm="${URN.rsaSha256}"/>`, `<SignatureMethod Algorithm="${ECDSA_SHA1}"/>`),
    findings: [{ ...sha1Both, messageHas: ECDSA_SHA1, evidence: [{ label: 'SignatureMethod', actual: ECDSA_SHA1 }] }],
  },
  {
    name: 'Entra LogoutRequest by HTTP-Redirect with SigAlg rsa-sha1',
    response: logoutRequest(),
    capture: redirectCapture(logoutRequest(), URN.rsaSha1),
    findings: [
      {
        key: 'redirect',
        messageHas: `The HTTP-Redirect signature uses SHA-1: SigAlg=${URN.rsaSha1}.`,
        fix: FIX_ENTRA,
        evidence: [{ label: 'SigAlg query parameter', expected: URN.rsaSha256, actual: URN.rsaSha1, path: `SigAlg in ${LAB.acsUrl}` }],
      },
    ],
  },
];

function expectFinding(f: Finding, e: Fail['findings'][number]): void {
  expectWellFormed(f);
  expect(f.severity).toBe('warning');
  expect(f.messageKey).toBe(e.key);
  expect(f.message).toContain(e.messageHas);
  expect(f.fix, 'the fix').toBe(e.fix);
  for (const ev of e.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(ev));
}

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found).toHaveLength(c.findings.length);
      c.findings.forEach((e, i) => expectFinding(found[i]!, e));
    });
  }
  it('fails: a redirect AuthnRequest signed with dsa-sha1 (the fix does not blame Entra alone)', () => {
    const r = analyze({
      messages: [{ id: 'q', raw: toRedirect(makeAuthnRequest()), param: 'SAMLRequest', binding: 'redirect', method: 'GET', url: LAB.ssoUrl, sigAlg: DSA_SHA1 }],
    });
    const found = r.findings.filter((f) => f.checkId === ID);
    expect(found).toHaveLength(1);
    expectFinding(found[0]!, {
      key: 'redirect',
      messageHas: DSA_SHA1,
      fix: FIX_OTHER,
      evidence: [{ label: 'SigAlg query parameter', actual: DSA_SHA1 }],
    });
  });

  it('a LogoutRequest from another sender by HTTP-Redirect: the fix does not blame Entra alone', () => {
    const xml = logoutRequest().replace(LAB.issuer, LAB.spEntityId);
    const found = findingsFor({ name: 'sp logout', response: xml, capture: redirectCapture(xml, URN.rsaSha1) }, ID);
    // Sent by Identity Center: the sentence about Entra's setting is left out.
    expect(found.map((f) => f.fix)).toEqual([
      'The sender chose this algorithm. For messages from IAM Identity Center (AuthnRequests are normally unsigned), AWS chooses the algorithm; note it in a support case.',
    ]);
    // Without a URL the evidence says where the SigAlg was read, all the same.
    const bare = findingsFor({ name: 'no url', response: xml, capture: { ...redirectCapture(xml, URN.rsaSha1), url: undefined } }, ID);
    expect(bare[0]!.evidence[0]!.path).toBe('SigAlg query parameter');
  });
  it('names the weak hashes: SHA-1, MD5, or both (letter case and spaces aside)', () => {
    expect(weakHashes(['http://www.w3.org/2000/09/xmldsig#rsa-sha1'])).toBe('SHA-1');
    expect(weakHashes(['http://www.w3.org/2001/04/xmldsig-more#rsa-MD5 '])).toBe('MD5');
    expect(weakHashes([' http://www.w3.org/2001/04/xmldsig-more#rsa-md5', 'http://www.w3.org/2000/09/xmldsig#SHA1'])).toBe('SHA-1 and MD5');
  });
  it('an MD5 digest with two References: each named by its number', () => {
    const md5 = 'http://www.w3.org/2001/04/xmldsig-more#md5';
    const xml = signedResponse().replace(`<DigestMethod Algorithm="${URN.sha256}"/>`, `<DigestMethod Algorithm="${md5}"/>`);
    const twoRefs = xml.replace(/(<Reference [^>]*>.*?<\/Reference>)/, '$1$1');
    const [f] = findingsFor({ name: 'md5', response: twoRefs }, ID);
    expect(f!.message).toBe(`The signature in Assertion (/Response/Assertion) uses MD5: DigestMethod (Reference 1) ${md5}, DigestMethod (Reference 2) ${md5}.`);
    expect(f!.evidence.map((e) => e.path)).toEqual([`${ASIG}/SignedInfo/Reference[1]/DigestMethod/@Algorithm`, `${ASIG}/SignedInfo/Reference[2]/DigestMethod/@Algorithm`]);
  });

  it("whose setting the fix names: Entra's for an Entra LogoutResponse, the identity provider's for another IdP's Response", () => {
    const lr =
      `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${isoTime(new Date())}">` +
      `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer><samlp:Status><samlp:StatusCode Value="${URN.success}"/></samlp:Status></samlp:LogoutResponse>`;
    const fromEntra = findingsFor({ name: 'entra lr', response: lr, capture: { ...redirectCapture(lr, URN.rsaSha1), param: 'SAMLResponse' } }, ID);
    expect(fromEntra.map((f) => f.fix)).toEqual([FIX_ENTRA]);
    const other = signedResponse({ issuer: 'https://idp.example.org/idp/shibboleth' }, { algorithm: 'sha1' });
    const [f] = findingsFor({ name: 'other idp', response: other }, ID);
    expect(f?.fix).toBe("The identity provider's configuration of the AWS IAM Identity Center application → the signing algorithm: choose SHA-256 (the identity provider's default), then Save.");
  });
});
