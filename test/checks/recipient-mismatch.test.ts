import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';
import { ENTRA_APP, ENTRA_NEW_APP, REPLY_URL_FIX } from '../../lib/checks/fixes.ts';

// The fixes word for word (REPLY_URL_FIX, shared by the ACS URL checks, is spelt out in test/checks/destination-mismatch.test.ts).
const FIX_IAM = `${REPLY_URL_FIX} If the Entra app was made from "AWS Single-Account Access" or the generic AWS app, use the gallery app "AWS IAM Identity Center" instead (${ENTRA_NEW_APP}).`;
const FIX_BEARER = `Entra always sends a bearer SubjectConfirmation: make sure the response comes from the gallery app (${ENTRA_APP}), not from another issuer or a proxy that rewrites the assertion.`;
const MIXUP =
  'Identity Center refuses an assertion meant for another recipient. A possible explanation is a mix-up with IAM federation: an Entra app or a Reply URL set up from the IAM federation template ("AWS Single-Account Access").';

const ID = 'recipient-mismatch';
const SCD = '/Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData';
const REC = `${SCD}/@Recipient`;
const reqId = samlId();
const sp = (o: Parameters<typeof signedResponse>[0]) => ({
  request: makeAuthnRequest({ id: reqId }),
  response: signedResponse({ inResponseTo: reqId, ...o }),
});
const REQ_SOURCE = "the AuthnRequest's AssertionConsumerServiceURL, and the URL the response was posted to";
const otherTenant = LAB.acsUrl.replace(LAB.acsTenantId, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
const otherRegion = LAB.acsUrl.replace(LAB.region, 'us-east-1');
/** Rewrites the SubjectConfirmation Method. */
const method = (xml: string, m: string) => xml.replace(`Method="${URN.bearer}"`, `Method="${m}"`);
/** Adds a second, holder-of-key SubjectConfirmation before the bearer one. */
const withHolderOfKey = (xml: string, recipient: string) =>
  xml.replace(
    '<SubjectConfirmation ',
    `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"><SubjectConfirmationData Recipient="${recipient}"/></SubjectConfirmation><SubjectConfirmation `,
  );

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', ...sp({}) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'IdP-initiated, configured ACS URL equal', response: signedResponse(), expectations: { acsUrl: LAB.acsUrl } },
  { name: 'posted URL with a query string (ignored)', response: signedResponse(), capture: { url: `${LAB.acsUrl}?x=1` } },
  {
    name: 'IAM federation Recipient with IAM\'s Audience (iam-federation-mixup explains the whole response)',
    response: signedResponse({ recipient: 'https://signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices' }),
  },
  {
    name: 'IAM federation Recipient with a Role attribute (iam-federation-mixup explains it)',
    response: signedResponse({ recipient: 'https://signin.aws.amazon.com/saml', attributes: [{ name: 'https://aws.amazon.com/SAML/Attributes/Role', values: ['arn:aws:iam::123456789012:role/R,arn:aws:iam::123456789012:saml-provider/P'] }] }),
  },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.responder } }) },
  { name: 'EncryptedAssertion (encrypted-assertion explains it)', response: makeResponse({ encrypted: true }) },
  { name: 'another, non-bearer confirmation with another Recipient is ignored', response: sign(withHolderOfKey(makeResponse(), 'https://example.com/acs')) },
  { name: 'pasted message, Identity Center shape, nothing to compare with', response: signedResponse(), capture: { url: undefined } },
  {
    name: 'two bearer confirmations, the second with the right Recipient: one that fits is enough',
    response: sign(makeResponse().replace('<SubjectConfirmation ', `<SubjectConfirmation Method="${URN.bearer}"><SubjectConfirmationData Recipient="https://example.com/acs"/></SubjectConfirmation><SubjectConfirmation `)),
  },
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  message?: string;
  messageHas?: string[];
  /** The fix when it is not REPLY_URL_FIX. */
  fix?: string;
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'a lone Recipient on IAM\'s endpoint, Destination and Audience Identity Center\'s: recipient-mismatch, the mix-up a possible explanation',
    response: signedResponse({ recipient: 'https://signin.aws.amazon.com/saml' }),
    key: 'iamRecipient',
    severity: 'error',
    // No ACS URL known to name: Identity Center's is not repeated in brackets.
    message: `The Recipient https://signin.aws.amazon.com/saml is the endpoint of plain IAM SAML federation, not Identity Center's ACS URL, while the rest of the response is made for Identity Center (Destination ${LAB.acsUrl}, Audience ${LAB.spEntityId}). ${MIXUP}`,
    fix: FIX_IAM,
    evidence: [{ label: 'Recipient', expected: "Identity Center's ACS URL", actual: 'https://signin.aws.amazon.com/saml', path: REC, source: 'the ACS URL forms AWS documents' }],
  },
  {
    name: "IAM's endpoint as Recipient, no Destination: the rest is named by the Audience alone",
    response: signedResponse({ recipient: 'https://signin.aws.amazon.com/saml', destination: null }),
    key: 'iamRecipient',
    severity: 'error',
    messageHas: [`while the rest of the response is made for Identity Center (Audience ${LAB.spEntityId}). Identity Center refuses`],
    fix: FIX_IAM,
    evidence: [{ label: 'Recipient', actual: 'https://signin.aws.amazon.com/saml' }],
  },
  {
    name: "IAM's endpoint as Recipient, neither Destination nor Audience: nothing claimed about the rest",
    response: signedResponse({ recipient: 'https://signin.aws.amazon.com/saml', destination: null, audience: null }),
    key: 'iamRecipient',
    severity: 'error',
    messageHas: ["The Recipient https://signin.aws.amazon.com/saml is the endpoint of plain IAM SAML federation, not Identity Center's ACS URL. Identity Center refuses"],
    fix: FIX_IAM,
    evidence: [{ label: 'Recipient', actual: 'https://signin.aws.amazon.com/saml' }],
  },
  {
    name: 'a lone GovCloud IAM Recipient, the ACS configured',
    response: signedResponse({ recipient: 'https://signin.amazonaws-us-gov.com/saml' }),
    expectations: { acsUrl: LAB.acsUrl },
    key: 'iamRecipient',
    severity: 'error',
    message: `The Recipient https://signin.amazonaws-us-gov.com/saml is the endpoint of plain IAM SAML federation, not Identity Center's ACS URL (${LAB.acsUrl}), while the rest of the response is made for Identity Center (Destination ${LAB.acsUrl}, Audience ${LAB.spEntityId}). ${MIXUP}`,
    fix: FIX_IAM,
    evidence: [{ label: 'Recipient', expected: LAB.acsUrl, actual: 'https://signin.amazonaws-us-gov.com/saml', path: REC, source: 'configured' }],
  },
  {
    name: 'trailing slash',
    ...sp({ recipient: `${LAB.acsUrl}/` }),
    key: 'differs',
    severity: 'error',
    message: `The Recipient is not the expected ACS URL (${REQ_SOURCE}): the actual value has a trailing slash.`,
    evidence: [{ label: 'Recipient vs the expected ACS URL', expected: LAB.acsUrl, actual: `${LAB.acsUrl}/`, path: REC, source: REQ_SOURCE }],
  },
  {
    name: 'http instead of https, IdP-initiated',
    response: signedResponse({ recipient: LAB.acsUrl.replace('https:', 'http:') }),
    key: 'differs',
    severity: 'error',
    message: 'The Recipient is not the URL it was posted to (query string ignored): the scheme differs (http instead of https).',
    evidence: [{ label: 'Recipient vs the URL it was posted to', expected: LAB.acsUrl, actual: LAB.acsUrl.replace('https:', 'http:'), path: REC }],
  },
  {
    name: 'another region',
    ...sp({ recipient: otherRegion }),
    key: 'differs',
    severity: 'error',
    messageHas: ['another AWS region (us-east-1 instead of eu-west-1)'],
    evidence: [{ expected: LAB.acsUrl, actual: otherRegion }],
  },
  {
    name: 'another tenant id, configured ACS',
    response: signedResponse({ recipient: otherTenant }),
    expectations: { acsUrl: LAB.acsUrl },
    key: 'differs',
    severity: 'error',
    message: `The Recipient is not the expected ACS URL (configured, and the URL the response was posted to): another identity store or tenant id (0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d instead of ${LAB.acsTenantId}).`,
    evidence: [{ expected: LAB.acsUrl, actual: otherTenant, source: 'configured, and the URL the response was posted to' }],
  },
  {
    name: 'another host',
    response: signedResponse({ recipient: 'https://sso.example.com/saml/acs' }),
    key: 'differs',
    severity: 'error',
    messageHas: ['another host (sso.example.com instead of eu-west-1.signin.aws.amazon.com)'],
    evidence: [{ actual: 'https://sso.example.com/saml/acs' }],
  },
  {
    name: 'another Region of the same instance, delivered there (multi-Region)',
    response: signedResponse({ recipient: otherRegion, destination: otherRegion }),
    capture: { url: otherRegion },
    expectations: { acsUrl: LAB.acsUrl },
    key: 'otherAcs',
    severity: 'warning',
    message: `The Recipient ${otherRegion} is an ACS URL of the same Identity Center instance, but not the configured ${LAB.acsUrl}: another AWS region (us-east-1 instead of eu-west-1). That is right only if this Region or endpoint form is enabled for the instance (multi-Region); IdP-initiated sign-ins go to Entra's default Reply URL.`,
    evidence: [{ expected: LAB.acsUrl, actual: otherRegion, source: 'configured' }],
  },
  {
    name: 'no Recipient',
    ...sp({ recipient: null }),
    key: 'missing',
    severity: 'error',
    message: 'The bearer SubjectConfirmationData has no Recipient. The Web SSO profile requires it to be the ACS URL the assertion is meant for.',
    evidence: [{ label: 'Recipient', expected: LAB.acsUrl, actual: '(none)', path: SCD, source: "the AuthnRequest's AssertionConsumerServiceURL" }],
  },
  {
    name: 'no Recipient, IdP-initiated',
    response: signedResponse({ recipient: null }),
    key: 'missing',
    severity: 'error',
    evidence: [{ expected: "Identity Center's ACS URL", actual: '(none)' }],
  },
  {
    name: 'no bearer SubjectConfirmation (holder-of-key only)',
    response: sign(method(makeResponse(), 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key')),
    key: 'noBearer',
    severity: 'error',
    message: `The assertion has no bearer SubjectConfirmation (Method ${URN.bearer}); it has urn:oasis:names:tc:SAML:2.0:cm:holder-of-key. The Web SSO profile requires one, and Entra always sends it.`,
    fix: FIX_BEARER,
    evidence: [{ label: 'SubjectConfirmation Method', expected: URN.bearer, actual: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key', path: '/Response/Assertion/Subject/SubjectConfirmation' }],
  },
  {
    name: 'no SubjectConfirmation at all',
    response: sign(makeResponse().replace(/<SubjectConfirmation .*<\/SubjectConfirmation>/, '')),
    key: 'noBearer',
    severity: 'error',
    message: `The assertion has no bearer SubjectConfirmation (Method ${URN.bearer}); it has no SubjectConfirmation at all. The Web SSO profile requires one, and Entra always sends it.`,
    fix: FIX_BEARER,
    evidence: [{ expected: URN.bearer, actual: '(no SubjectConfirmation)', path: '/Response/Assertion/Subject' }],
  },
  {
    name: 'pasted message, nothing to compare with, odd shape',
    response: signedResponse({ recipient: 'https://sso.example.com/saml/acs' }),
    capture: { url: undefined },
    key: 'unknownShape',
    severity: 'warning',
    message:
      'The Recipient https://sso.example.com/saml/acs is not an Identity Center ACS URL (https://<region>.signin.aws/platform/saml/acs/<tenant-id> or one of its alternative forms), and nothing was configured or captured to compare it with.',
    evidence: [{ label: 'Recipient', expected: 'https://<region>.signin.aws/platform/saml/acs/<tenant-id>', actual: 'https://sso.example.com/saml/acs', path: REC, source: 'the ACS URL forms AWS documents' }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual([[c.key, c.severity]]);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.fix, 'the fix').toBe(c.fix ?? REPLY_URL_FIX);
      if (c.message !== undefined) expect(f.message).toBe(c.message);
      expectMessageAndEvidence(f, c);
    });
  }
});
