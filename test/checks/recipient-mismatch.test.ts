import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';

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
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'a lone Recipient on IAM\'s endpoint, Destination and Audience Identity Center\'s: recipient-mismatch, the mix-up a possible explanation',
    response: signedResponse({ recipient: 'https://signin.aws.amazon.com/saml' }),
    key: 'iamRecipient',
    severity: 'error',
    messageHas: ['https://signin.aws.amazon.com/saml', `Destination ${LAB.acsUrl}`, `Audience ${LAB.spEntityId}`, 'possible explanation', 'IAM federation'],
    evidence: [{ label: 'Recipient', expected: "Identity Center's ACS URL", actual: 'https://signin.aws.amazon.com/saml', path: REC }],
  },
  {
    name: 'a lone GovCloud IAM Recipient, the ACS configured',
    response: signedResponse({ recipient: 'https://signin.amazonaws-us-gov.com/saml' }),
    expectations: { acsUrl: LAB.acsUrl },
    key: 'iamRecipient',
    severity: 'error',
    evidence: [{ label: 'Recipient', expected: LAB.acsUrl, actual: 'https://signin.amazonaws-us-gov.com/saml', path: REC, source: 'configured' }],
  },
  {
    name: 'trailing slash',
    ...sp({ recipient: `${LAB.acsUrl}/` }),
    key: 'differs',
    severity: 'error',
    messageHas: ['the actual value has a trailing slash'],
    evidence: [{ label: 'Recipient vs the expected ACS URL', expected: LAB.acsUrl, actual: `${LAB.acsUrl}/`, path: REC, source: REQ_SOURCE }],
  },
  {
    name: 'http instead of https, IdP-initiated',
    response: signedResponse({ recipient: LAB.acsUrl.replace('https:', 'http:') }),
    key: 'differs',
    severity: 'error',
    messageHas: ['the scheme differs (http instead of https)'],
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
    messageHas: ['another identity store or tenant id'],
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
    evidence: [{ expected: LAB.acsUrl, actual: otherRegion, source: 'configured' }],
  },
  {
    name: 'no Recipient',
    ...sp({ recipient: null }),
    key: 'missing',
    severity: 'error',
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
    messageHas: ['urn:oasis:names:tc:SAML:2.0:cm:holder-of-key'],
    evidence: [{ label: 'SubjectConfirmation Method', expected: URN.bearer, actual: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key', path: '/Response/Assertion/Subject/SubjectConfirmation' }],
  },
  {
    name: 'no SubjectConfirmation at all',
    response: sign(makeResponse().replace(/<SubjectConfirmation .*<\/SubjectConfirmation>/, '')),
    key: 'noBearer',
    severity: 'error',
    messageHas: ['no SubjectConfirmation at all'],
    evidence: [{ expected: URN.bearer, actual: '(no SubjectConfirmation)', path: '/Response/Assertion/Subject' }],
  },
  {
    name: 'pasted message, nothing to compare with, odd shape',
    response: signedResponse({ recipient: 'https://sso.example.com/saml/acs' }),
    capture: { url: undefined },
    key: 'unknownShape',
    severity: 'warning',
    evidence: [{ actual: 'https://sso.example.com/saml/acs', path: REC }],
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
      if (c.key !== 'noBearer') expect(f.fix).toContain('Reply URL (Assertion Consumer Service URL)');
      expectMessageAndEvidence(f, c);
    });
  }
});
