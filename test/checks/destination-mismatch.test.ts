import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { isoTime, LAB, makeAuthnRequest, makeLogoutRequest, makeResponse, samlId, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';
import { AWS_ACS_URL, ENTRA_REPLY_URL, REPLY_URL_FIX } from '../../lib/checks/fixes.ts';

const ID = 'destination-mismatch';
const DEST = '/Response/@Destination';
const reqId = samlId();
const sp = (o: Parameters<typeof signedResponse>[0]) => ({
  request: makeAuthnRequest({ id: reqId }),
  response: signedResponse({ inResponseTo: reqId, ...o }),
});
const REQ_SOURCE = "the AuthnRequest's AssertionConsumerServiceURL, and the URL the response was posted to";
const otherTenant = LAB.acsUrl.replace(LAB.acsTenantId, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
const otherRegion = LAB.acsUrl.replace(LAB.region, 'us-east-1');
const dualStack = `https://${LAB.region}.sso.signin.aws/platform/saml/acs/${LAB.acsTenantId}`;

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', ...sp({}) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'IdP-initiated, configured ACS URL equal', response: signedResponse(), expectations: { acsUrl: LAB.acsUrl } },
  { name: 'posted URL with a query string (ignored)', response: signedResponse(), capture: { url: `${LAB.acsUrl}?x=1` } },
  { name: 'upper-case host in the posted URL', response: signedResponse(), capture: { url: LAB.acsUrl.replace('eu-west-1.signin', 'EU-WEST-1.signin') } },
  { name: 'unsigned Response without Destination', response: makeResponse({ destination: null }) },
  { name: 'assertion signed, Response not, no Destination', response: signedResponse({ destination: null }) },
  { name: 'IAM federation Destination (iam-federation-mixup explains it)', response: signedResponse({ destination: 'https://signin.aws.amazon.com/saml' }) },
  { name: 'pasted message, nothing to compare with, Identity Center shape', response: signedResponse({ destination: dualStack }), capture: { url: undefined } },
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'trailing slash (Reply URL typed with a slash)',
    ...sp({ destination: `${LAB.acsUrl}/` }),
    key: 'differs',
    severity: 'error',
    messageHas: ['the actual value has a trailing slash'],
    evidence: [{ label: 'Destination vs the expected ACS URL', expected: LAB.acsUrl, actual: `${LAB.acsUrl}/`, path: DEST, source: REQ_SOURCE }],
  },
  {
    name: 'http instead of https, IdP-initiated',
    response: signedResponse({ destination: LAB.acsUrl.replace('https:', 'http:') }),
    key: 'differs',
    severity: 'error',
    messageHas: ['The Response Destination is not the URL it was posted to (query string ignored): the scheme differs (http instead of https).'],
    evidence: [{ label: 'Destination vs the URL it was posted to', expected: LAB.acsUrl, actual: LAB.acsUrl.replace('https:', 'http:'), path: DEST }],
  },
  {
    name: 'another region than the request and the posted URL',
    ...sp({ destination: otherRegion }),
    key: 'differs',
    severity: 'error',
    messageHas: ['another AWS region (us-east-1 instead of eu-west-1)'],
    evidence: [{ expected: LAB.acsUrl, actual: otherRegion, source: REQ_SOURCE }],
  },
  {
    name: 'another tenant id',
    ...sp({ destination: otherTenant }),
    key: 'differs',
    severity: 'error',
    messageHas: ['another identity store or tenant id (0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d instead of 3b5f8a2e-7c1d-4e9f-a0b6-5d4c3b2a1f0e)'],
    evidence: [{ expected: LAB.acsUrl, actual: otherTenant }],
  },
  {
    name: 'another host',
    response: signedResponse({ destination: 'https://sso.example.com/saml/acs' }),
    expectations: { acsUrl: LAB.acsUrl },
    key: 'differs',
    severity: 'error',
    messageHas: ['another host (sso.example.com instead of eu-west-1.signin.aws.amazon.com)', '(configured, and the URL the response was posted to)'],
    evidence: [{ expected: LAB.acsUrl, actual: 'https://sso.example.com/saml/acs', source: 'configured, and the URL the response was posted to' }],
  },
  {
    name: 'delivered where it says, but not to the configured ACS (Entra Reply URL wrong)',
    response: signedResponse({ destination: otherTenant }),
    capture: { url: otherTenant },
    expectations: { acsUrl: LAB.acsUrl },
    key: 'differs',
    severity: 'error',
    messageHas: ['the expected ACS URL (configured)'],
    evidence: [{ label: 'Destination vs the expected ACS URL', expected: LAB.acsUrl, actual: otherTenant, source: 'configured' }],
  },
  {
    name: 'differs from both the configured ACS and the posted URL, in different ways',
    response: signedResponse({ destination: `${otherRegion}/` }),
    capture: { url: otherTenant },
    expectations: { acsUrl: LAB.acsUrl },
    key: 'differs',
    severity: 'error',
    messageHas: ['Nor is it the URL it was posted to'],
    evidence: [
      { label: 'Destination vs the expected ACS URL', expected: LAB.acsUrl, source: 'configured' },
      { label: 'Destination vs the URL it was posted to', expected: otherTenant },
    ],
  },
  {
    name: 'another Region of the same instance, delivered there (multi-Region)',
    response: signedResponse({ destination: otherRegion }),
    capture: { url: otherRegion },
    expectations: { acsUrl: LAB.acsUrl },
    key: 'otherAcs',
    severity: 'warning',
    messageHas: ['another AWS region (us-east-1 instead of eu-west-1)'],
    evidence: [{ expected: LAB.acsUrl, actual: otherRegion, source: 'configured' }],
  },
  {
    name: 'dual-stack endpoint of the same instance, delivered there',
    response: signedResponse({ destination: dualStack }),
    capture: { url: dualStack },
    expectations: { acsUrl: LAB.acsUrl },
    key: 'otherAcs',
    severity: 'warning',
    messageHas: ['another host'],
    evidence: [{ expected: LAB.acsUrl, actual: dualStack }],
  },
  {
    name: 'signed Response without Destination',
    response: signedResponse({ destination: null }, { target: 'response' }),
    key: 'missingSigned',
    severity: 'warning',
    evidence: [{ label: 'Destination', expected: LAB.acsUrl, actual: '(none)', path: '/Response', source: 'the URL the response was posted to' }],
  },
  {
    name: 'signed Response without Destination, SP-initiated',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, destination: null }, { target: 'both' }),
    key: 'missingSigned',
    severity: 'warning',
    evidence: [{ expected: LAB.acsUrl, actual: '(none)', source: "the AuthnRequest's AssertionConsumerServiceURL" }],
  },
  {
    name: 'pasted message, nothing to compare with, odd shape',
    response: signedResponse({ destination: 'https://sso.example.com/saml/acs' }),
    capture: { url: undefined },
    key: 'unknownShape',
    severity: 'warning',
    messageHas: ['https://sso.example.com/saml/acs'],
    evidence: [{ actual: 'https://sso.example.com/saml/acs', path: DEST }],
  },
];

// The fix of the ACS URL checks (destination-mismatch, recipient-mismatch), word for word.
const REPLY_URL_FIX_WORDS =
  `${ENTRA_REPLY_URL}: set it to Identity Center's ACS URL exactly, as shown in ${AWS_ACS_URL} (or in the AWS SP metadata). ` +
  "With several Reply URLs (one per Region), Entra uses the one marked Default for IdP-initiated sign-in: keep the primary Region's ACS URL as the default.";

describe(ID, () => {
  it('its fix is the shared Reply URL fix', () => expect(REPLY_URL_FIX).toBe(REPLY_URL_FIX_WORDS));
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual([[c.key, c.severity]]);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.fix, 'the fix').toBe(REPLY_URL_FIX_WORDS);
      expectMessageAndEvidence(f, c);
    });
  }
});

// A failed response (no assertion) carries a Destination too, and it is compared the same way.
describe(`${ID}: failed status`, () => {
  it('compares the Destination of a failed response like any other', () => {
    const found = findingsFor({ name: 'failed', response: makeResponse({ status: { code: URN.requester }, destination: `${LAB.acsUrl}/` }) }, ID);
    expect(found.map((f) => f.messageKey)).toEqual(['differs']);
  });
});

describe('destination-mismatch on logout messages (issue 17)', () => {
  const lrAt = (url: string | undefined, destination = LAB.ssoUrl) => ({
    response: makeLogoutRequest({ destination }),
    capture: { url, binding: 'redirect' as const, method: 'GET' },
  });
  const logoutResponse = (destination: string | null) =>
    `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${isoTime(new Date())}"${destination === null ? '' : ` Destination="${destination}"`} InResponseTo="${samlId()}">` +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${URN.success}"/></samlp:Status></samlp:LogoutResponse>`;
  const AWS_SLO = `https://${LAB.region}.signin.aws.amazon.com/platform/saml/slo/${LAB.acsTenantId}`;

  it('passes: a LogoutRequest sent where its Destination says (query ignored), one with nothing to compare, an unsigned one without Destination', () => {
    expect(findingsFor({ name: 'lr', ...lrAt(`${LAB.ssoUrl}?SAMLRequest=x&RelayState=y`) }, ID)).toEqual([]);
    expect(findingsFor({ name: 'lr', ...lrAt(undefined) }, ID)).toEqual([]);
    expect(findingsFor({ name: 'lr', response: makeLogoutRequest().replace(/ Destination="[^"]*"/, ''), capture: { url: LAB.ssoUrl } }, ID)).toEqual([]);
    expect(findingsFor({ name: 'lo', response: logoutResponse(AWS_SLO), capture: { url: AWS_SLO } }, ID)).toEqual([]);
  });

  it('fails: a LogoutRequest whose Destination is another tenant\'s logout URL than the one it went to', () => {
    const other = LAB.ssoUrl.replace(LAB.tenantId, '00000000-1111-4222-8333-444444444444');
    const found = findingsFor({ name: 'lr', ...lrAt(`${LAB.ssoUrl}?SAMLRequest=x`, other) }, ID);
    expect(found.map((f) => [f.messageKey, f.severity, f.title])).toEqual([['logoutDiffers', 'error', "The logout message's Destination is not where it was sent"]]);
    expectWellFormed(found[0]!);
    expect(found[0]!.message).toContain(`The LogoutRequest Destination ${other} is not the URL it was sent to, ${LAB.ssoUrl}:`);
    expect(found[0]!.message).toContain('this logout does not take effect there');
    expect(found[0]!.evidence).toEqual([
      { label: 'LogoutRequest Destination', expected: LAB.ssoUrl, actual: other, path: '/LogoutRequest/@Destination', source: 'the URL the message was sent to' },
    ]);
    expect(found[0]!.fix).toContain(`the party whose Issuer is ${LAB.spEntityId}`);
  });

  it('fails: a LogoutResponse posted to a URL with a trailing slash its Destination lacks', () => {
    const found = findingsFor({ name: 'lo', response: logoutResponse(AWS_SLO), capture: { url: `${AWS_SLO}/` } }, ID);
    expect(found.map((f) => f.messageKey)).toEqual(['logoutDiffers']);
    expect(found[0]!.message).toContain('The LogoutResponse Destination');
    expect(found[0]!.evidence[0]).toMatchObject({ expected: `${AWS_SLO}/`, actual: AWS_SLO, path: '/LogoutResponse/@Destination' });
  });

  it('warns: a LogoutRequest signed by HTTP-Redirect (Signature parameter) without Destination', () => {
    const xml = makeLogoutRequest().replace(/ Destination="[^"]*"/, '');
    const found = findingsFor({ name: 'lr', response: xml, capture: { url: LAB.ssoUrl, signature: 'c2ln', sigAlg: URN.rsaSha256 } }, ID);
    expect(found.map((f) => [f.messageKey, f.severity, f.title])).toEqual([['logoutMissingSigned', 'warning', 'A signed logout message has no Destination']]);
    expect(found[0]!.evidence).toEqual([{ label: 'Destination', expected: LAB.ssoUrl, actual: '(none)', path: '/LogoutRequest', source: 'the URL the message was sent to' }]);
  });
});
