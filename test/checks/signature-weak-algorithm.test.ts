import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/analyze.ts';
import type { Evidence, Finding } from '../../lib/types.ts';
import { isoTime, LAB, makeAuthnRequest, samlId, signedResponse, toRedirect, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

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
  findings: { key: string; messageHas: string; evidence: Partial<Evidence>[]; fixHas: string }[];
}

const sha1Both = {
  key: 'xml',
  fixHas: 'Signing Algorithm',
};

const fail: Fail[] = [
  {
    name: 'Entra "SHA-1" signing algorithm on the assertion',
    response: signedResponse({}, { algorithm: 'sha1' }),
    findings: [
      {
        ...sha1Both,
        messageHas: 'The signature in Assertion (/Response/Assertion)',
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
        messageHas: `SigAlg=${URN.rsaSha1}`,
        fixHas: 'Signing Algorithm',
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
  expect(f.fix).toContain(e.fixHas);
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
      fixHas: 'IAM Identity Center',
      evidence: [{ label: 'SigAlg query parameter', actual: DSA_SHA1 }],
    });
  });
});
