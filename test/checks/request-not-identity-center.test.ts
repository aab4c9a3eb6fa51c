import { describe, expect, it } from 'vitest';
import { resolveExpectations } from '../../lib/analyze.ts';
import { parseSaml, isParseError } from '../../lib/saml/parse.ts';
import type { AuthnRequestInfo } from '../../lib/saml/model.ts';
import { failTable, findingsFor, passTable, type Case, type FailCase } from './harness.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse } from '../lab/factory.ts';
import { AWS_PORTAL_START, ENTRA_BASIC_SAML } from '../../lib/checks/fixes.ts';

const ID = 'request-not-identity-center';
const reqId = samlId();
const SAAS_ISSUER = 'https://app.example-saas.com/saml/metadata';
const SAAS_ACS = 'https://app.example-saas.com/saml/acs';
const TEST_SP = 'http://localhost:8080/saml/sp';
const ENTITY_SHAPE = 'https://<region>.signin.aws.amazon.com/platform/saml/<identity store id>';
const ACS_SHAPE = 'https://<region>.signin.aws/platform/saml/acs/<tenant id> (or .signin.aws.amazon.com, .sso.signin.aws)';
// The fix word for word.
const FIX =
  `If you are debugging a sign-in to AWS IAM Identity Center, start it at the AWS access portal (${AWS_PORTAL_START}) so that Identity Center writes the AuthnRequest, and capture again. ` +
  `If the sign-in began at a My Apps tile, check ${ENTRA_BASIC_SAML} → Sign on URL: it should hold that AWS access portal URL, not another application's address. ` +
  'If this request belongs to another application on purpose, its findings against Identity Center do not apply.';

const pass: Case[] = [
  { name: 'clean Identity Center request and signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated (no request)', response: signedResponse() },
  { name: 'ACS in the IPv4 signin.aws form', request: makeAuthnRequest({ acsUrl: `https://${LAB.region}.signin.aws/platform/saml/acs/${LAB.acsTenantId}` }) },
  { name: 'ACS in the dual-stack form', request: makeAuthnRequest({ acsUrl: `https://${LAB.region}.sso.signin.aws/platform/saml/acs/${LAB.acsTenantId}` }) },
  { name: 'request without an ACS URL (Entra uses the default Reply URL)', request: makeAuthnRequest({ acsUrl: null }) },
  { name: "Identity Center's Issuer and ACS with spaces around them", request: makeAuthnRequest({ issuer: ` ${LAB.spEntityId} `, acsUrl: ` ${LAB.acsUrl} ` }) },
  { name: 'an empty Issuer and an empty ACS URL: nothing to judge the origin by', request: makeAuthnRequest({ issuer: '', acsUrl: '' }) },
];

const fail: FailCase[] = [
  {
    name: 'another SaaS app: Issuer and ACS on its own host',
    request: makeAuthnRequest({ issuer: SAAS_ISSUER, acsUrl: SAAS_ACS }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'both',
        messageHas: [
          `Neither the AuthnRequest's Issuer ${SAAS_ISSUER} nor its ACS URL ${SAAS_ACS} has Identity Center's shape: this request comes from another service provider (app.example-saas.com), not from Identity Center. Neither is used as what Identity Center expects.`,
        ],
        fix: FIX,
        evidence: [
          { label: 'AuthnRequest Issuer', expected: 'https://<region>.signin.aws.amazon.com/platform/saml/<identity store id>', actual: SAAS_ISSUER, path: '/AuthnRequest/Issuer' },
          { label: 'AuthnRequest AssertionConsumerServiceURL', actual: SAAS_ACS, path: '/AuthnRequest/@AssertionConsumerServiceURL' },
        ],
      },
    ],
  },
  {
    name: 'a test SP on localhost with Identity Center\'s ACS',
    request: makeAuthnRequest({ issuer: TEST_SP }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'issuer',
        messageHas: [
          `The AuthnRequest's Issuer ${TEST_SP} does not have the shape of an Identity Center issuer URL (${ENTITY_SHAPE}): this request comes from another service provider (localhost:8080), not from Identity Center. It is not used as the expected Audience.`,
        ],
        fix: FIX,
        evidence: [{ label: 'AuthnRequest Issuer', expected: ENTITY_SHAPE, actual: TEST_SP, path: '/AuthnRequest/Issuer', source: "Identity Center's issuer URL shape" }],
      },
    ],
  },
  {
    name: 'Identity Center\'s Issuer with a trailing slash (Identity Center never sends it)',
    request: makeAuthnRequest({ issuer: `${LAB.spEntityId}/` }),
    findings: [{ severity: 'warning', messageKey: 'issuer', fix: FIX, evidence: [{ label: 'AuthnRequest Issuer', actual: `${LAB.spEntityId}/` }] }],
  },
  {
    name: 'Identity Center\'s Issuer, another application\'s ACS',
    request: makeAuthnRequest({ acsUrl: SAAS_ACS }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'acs',
        messageHas: [
          `The AuthnRequest asks for the ACS URL ${SAAS_ACS}, which does not have the shape of an Identity Center ACS URL (${ACS_SHAPE}): the answer would go to another service provider (app.example-saas.com), not to Identity Center. It is not used as the expected Destination or Recipient.`,
        ],
        fix: FIX,
        evidence: [
          { label: 'AuthnRequest AssertionConsumerServiceURL', expected: ACS_SHAPE, actual: SAAS_ACS, path: '/AuthnRequest/@AssertionConsumerServiceURL', source: "Identity Center's ACS URL shapes" },
        ],
      },
    ],
  },
  {
    name: 'no Issuer at all, another application\'s ACS: the ACS is judged, the Issuer is not',
    request: makeAuthnRequest({ acsUrl: SAAS_ACS }).replace(/<saml2?:Issuer[^>]*>[^<]*<\/saml2?:Issuer>/, ''),
    findings: [{ severity: 'warning', messageKey: 'acs', fix: FIX, evidence: [{ label: 'AuthnRequest AssertionConsumerServiceURL', actual: SAAS_ACS }] }],
  },
  {
    name: 'an Issuer that is no URL: the message names it as the service provider',
    request: makeAuthnRequest({ issuer: 'urn:example:test-sp' }),
    findings: [{ severity: 'warning', messageKey: 'issuer', messageHas: ['this request comes from another service provider (urn:example:test-sp)'], fix: FIX, evidence: [{ actual: 'urn:example:test-sp' }] }],
  },
  {
    name: 'both foreign, the ACS no URL: the Issuer\'s host names the service provider',
    request: makeAuthnRequest({ issuer: SAAS_ISSUER, acsUrl: 'not a url' }),
    findings: [{ severity: 'warning', messageKey: 'both', messageHas: ['this request comes from another service provider (app.example-saas.com)'], fix: FIX, evidence: [{ actual: 'not a url' }] }],
  },
  {
    name: 'with a configured ACS URL, the evidence names it',
    request: makeAuthnRequest({ acsUrl: SAAS_ACS }),
    expectations: { acsUrl: LAB.acsUrl },
    findings: [{ severity: 'warning', messageKey: 'acs', fix: FIX, evidence: [{ label: 'AuthnRequest AssertionConsumerServiceURL', expected: LAB.acsUrl, actual: SAAS_ACS, source: 'configured' }] }],
  },
  {
    name: 'an ACS URL that is no URL: the host is the value itself',
    request: makeAuthnRequest({ acsUrl: 'not a url' }),
    findings: [{ severity: 'warning', messageKey: 'acs', messageHas: ['another service provider (not a url)'], fix: FIX, evidence: [{ actual: 'not a url' }] }],
  },
  {
    name: 'with a configured entity ID, the evidence names it',
    request: makeAuthnRequest({ issuer: SAAS_ISSUER }),
    expectations: { spEntityId: LAB.spEntityId },
    findings: [{ severity: 'warning', messageKey: 'issuer', fix: FIX, evidence: [{ label: 'AuthnRequest Issuer', expected: LAB.spEntityId, actual: SAAS_ISSUER, source: 'configured' }] }],
  },
];

function request(xml: string): AuthnRequestInfo {
  const m = parseSaml(xml);
  if (isParseError(m) || m.kind !== 'AuthnRequest') throw new Error('not an AuthnRequest');
  return m;
}

describe(ID, () => {
  passTable(ID, pass);
  failTable(ID, fail);
});

describe(`${ID}: a foreign request sets no expectation`, () => {
  it('resolveExpectations takes neither Issuer nor ACS from a foreign request', () => {
    const r = resolveExpectations(undefined, request(makeAuthnRequest({ issuer: SAAS_ISSUER, acsUrl: SAAS_ACS })));
    expect(r.spEntityId).toBeUndefined();
    expect(r.acsUrl).toBeUndefined();
    expect(r.region).toBeUndefined();
  });
  it("resolveExpectations still takes Identity Center's own request", () => {
    const r = resolveExpectations(undefined, request(makeAuthnRequest()));
    expect(r.spEntityId).toEqual({ value: LAB.spEntityId, source: "the AuthnRequest's Issuer", configured: false });
    expect(r.acsUrl).toEqual({ value: LAB.acsUrl, source: "the AuthnRequest's AssertionConsumerServiceURL", configured: false });
  });
  it("a response answering another app's request: its Audience is not accepted because the request named it", () => {
    const c: Case = {
      name: 'saas pair',
      request: makeAuthnRequest({ id: reqId, issuer: SAAS_ISSUER, acsUrl: SAAS_ACS }),
      response: signedResponse({ inResponseTo: reqId, audience: SAAS_ISSUER, destination: SAAS_ACS, recipient: SAAS_ACS }),
      capture: { url: SAAS_ACS },
    };
    const aud = findingsFor(c, 'audience-mismatch');
    expect(aud.map((f) => [f.messageKey, f.severity])).toEqual([['unknownShape', 'warning']]);
    expect(aud[0]!.message).toContain(`AuthnRequest's Issuer ${SAAS_ISSUER} is not Identity Center's`);
    expect(aud[0]!.evidence).toContainEqual(expect.objectContaining({ actual: SAAS_ISSUER, path: '/Response/Assertion/Conditions/AudienceRestriction/Audience' }));
    expect(findingsFor(c, ID).map((f) => f.messageKey)).toEqual(['both']);
  });
});
