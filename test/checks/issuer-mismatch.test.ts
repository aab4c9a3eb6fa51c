import { describe, expect } from 'vitest';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { type Case, failTable, passTable, type FailCase } from './harness.ts';
import { AWS_MANAGE_AUTH, ENTRA_FEDERATION_METADATA, ENTRA_SIGNIN_LOGS } from '../../lib/domain/console.ts';

const ID = 'issuer-mismatch';
const reqId = samlId();
const OTHER_TENANT = '0a1b2c3d-2222-4e5f-8a9b-fedcba987654';
const OTHER_ISSUER = `https://sts.windows.net/${OTHER_TENANT}/`;
const ENTITY = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const RESP_ISSUER_PATH = '/Response/Issuer';
const ASSERTION_ISSUER_PATH = '/Response/Assertion/Issuer';
const UPPER_TENANT = LAB.tenantId.toUpperCase();
// The fixes, word for word.
const FIX_METADATA = `${AWS_MANAGE_AUTH}: upload the Federation Metadata XML of the Entra app that signs these responses (${ENTRA_FEDERATION_METADATA}), so that Identity Center expects this IdP.`;
const FIX_CONFIG = `${FIX_METADATA} If the expected IdP entity ID configured in samlscope is the wrong one, correct it in the options.`;
const FIX_SENDER =
  'SAML requires an Issuer on every Assertion, and on a Response that is signed or carries an encrypted assertion: whatever wrote this response (an IdP, a proxy that rewrites responses, a hand-made test) must add it; or capture a real sign-in. ' +
  'Entra always writes both, so with Entra a missing Issuer means something rewrote the response.';
/** The same for a sender not known to be Entra: the sentence about Entra is left out. */
const FIX_SENDER_ANY_IDP = FIX_SENDER.slice(0, FIX_SENDER.indexOf(' Entra always'));
/** For a sender not known to be Entra, the Entra app's words are the identity provider's. */
const FIX_METADATA_ANY_IDP = `${AWS_MANAGE_AUTH}: upload the Federation Metadata XML of the identity provider's app that signs these responses (the identity provider's SAML metadata for the AWS IAM Identity Center application), so that Identity Center expects this IdP.`;
const FIX_FORMAT =
  'Entra writes the Issuer without a Format; an Issuer with another Format was written or rewritten by something else (a proxy, another IdP): remove the Format attribute there, or set it to urn:oasis:names:tc:SAML:2.0:nameid-format:entity.';
const FIX_TENANT =
  `${ENTRA_SIGNIN_LOGS}: find this sign-in and check which tenant issued it. A response whose Issuer and tenantid claim disagree was not sent by Entra unchanged: ` +
  `look for a proxy or another IdP that rewrites it, and make sure the metadata in ${AWS_MANAGE_AUTH} comes from the tenant the users really sign in to.`;

/** The Response's own Issuer is the one written with its xmlns (the factory's Entra style). */
const RESP_ISSUER_RE = /<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">[^<]*<\/Issuer>/;
/** The Assertion's Issuer inherits the namespace. */
const ASSERTION_ISSUER_RE = /<Issuer>[^<]*<\/Issuer>/;

function edit(xml: string, re: RegExp, to: string | ((m: string) => string)): string {
  expect(re.test(xml), `${re} in the factory XML`).toBe(true);
  return xml.replace(re, to as string);
}

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'the configured IdP entity ID matches', response: signedResponse(), expectations: { idpEntityId: LAB.issuer } },
  { name: 'Response signed and assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'an unsigned Response may omit its Issuer', response: sign(makeResponse({ issuer: null, assertionIssuer: LAB.issuer })) },
  { name: 'Issuer Format entity is allowed', response: sign(edit(makeResponse(), RESP_ISSUER_RE, (m) => m.replace('<Issuer ', `<Issuer Format="${ENTITY}" `))) },
  { name: 'no tenantid claim to compare with', response: signedResponse({ defaultClaims: false }) },
  { name: 'failed status, Response signed, no assertion', response: signedResponse({ status: { code: URN.requester } }, { target: 'response' }) },
];

type Fail = FailCase;

const fail: Fail[] = [
  {
    name: 'another tenant than the configured one',
    response: signedResponse(),
    expectations: { idpEntityId: OTHER_ISSUER },
    findings: [
      {
        severity: 'error',
        messageKey: 'differs', fix: FIX_CONFIG,
        messageHas: ['Response and Assertion', 'configured', `another identity store or tenant id (${LAB.tenantId} instead of ${OTHER_TENANT})`],
        evidence: [
          { label: 'Response Issuer', expected: OTHER_ISSUER, actual: LAB.issuer, path: RESP_ISSUER_PATH, source: 'configured' },
          { label: 'Assertion Issuer', expected: OTHER_ISSUER, actual: LAB.issuer, path: ASSERTION_ISSUER_PATH, source: 'configured' },
        ],
      },
    ],
  },
  {
    name: 'the configured IdP entity ID lacks the trailing slash',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId }),
    expectations: { idpEntityId: LAB.issuer.replace(/\/$/, '') },
    findings: [
      {
        severity: 'error',
        messageKey: 'trailingSlash',
        messageHas: ['only by the trailing slash', 'the actual value has a trailing slash', 'with the slash'],
        evidence: [{ label: 'Response Issuer', expected: LAB.issuer.replace(/\/$/, ''), actual: LAB.issuer }],
      },
    ],
  },
  {
    name: 'Response and Assertion Issuer differ (and the tenantid claim follows the Response)',
    response: signedResponse({ assertionIssuer: OTHER_ISSUER }),
    findings: [
      {
        severity: 'error',
        messageKey: 'responseAssertionDiffer',
        messageHas: [`${OTHER_TENANT} instead of ${LAB.tenantId}`],
        evidence: [
          { label: 'Response Issuer', actual: LAB.issuer, path: RESP_ISSUER_PATH },
          { label: 'Assertion Issuer', expected: LAB.issuer, actual: OTHER_ISSUER, path: ASSERTION_ISSUER_PATH, source: 'the Response Issuer' },
        ],
      },
      {
        severity: 'warning',
        messageKey: 'tenantClaimDiffers',
        messageHas: [OTHER_TENANT, LAB.tenantId],
        evidence: [{ label: 'tenantid claim', expected: OTHER_TENANT, actual: LAB.tenantId, path: '/Response/Assertion/AttributeStatement/Attribute[1]/AttributeValue' }],
      },
    ],
  },
  {
    name: 'an issuer that is not Entra, nothing configured',
    response: signedResponse({ issuer: 'https://idp.example.com/saml/metadata' }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'notEntra', fix: FIX_METADATA_ANY_IDP,
        messageHas: ['https://idp.example.com/saml/metadata', 'does not look like Entra ID', "must be this IdP's"],
        evidence: [
          { label: 'Response Issuer', expected: 'https://sts.windows.net/<tenant-id>/', actual: 'https://idp.example.com/saml/metadata', path: RESP_ISSUER_PATH },
          { label: 'Assertion Issuer', actual: 'https://idp.example.com/saml/metadata', path: ASSERTION_ISSUER_PATH },
        ],
      },
    ],
  },
  {
    name: 'the login.microsoftonline.com form of the issuer',
    response: signedResponse({ issuer: `https://login.microsoftonline.com/${LAB.tenantId}/` }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'loginHost', fix: FIX_METADATA,
        messageHas: ['login.microsoftonline.com', `https://sts.windows.net/${LAB.tenantId}/`],
        evidence: [{ label: 'Response Issuer', actual: `https://login.microsoftonline.com/${LAB.tenantId}/` }],
      },
    ],
  },
  {
    name: 'the Entra issuer without its trailing slash',
    response: signedResponse({ issuer: `https://sts.windows.net/${LAB.tenantId}` }),
    findings: [{ severity: 'warning', messageKey: 'noTrailingSlash', messageHas: ['trailing slash', LAB.tenantId], evidence: [{ label: 'Assertion Issuer', actual: `https://sts.windows.net/${LAB.tenantId}` }] }],
  },
  {
    name: 'a signed Response without an Issuer',
    response: edit(signedResponse({}, { target: 'both' }), RESP_ISSUER_RE, ''),
    findings: [{ severity: 'error', messageKey: 'missingResponseIssuer', messageHas: ['The Response is signed but has no Issuer'], fix: FIX_SENDER, evidence: [{ label: 'Response Issuer', expected: 'https://sts.windows.net/<tenant-id>/', actual: '(none)', path: '/Response' }] }],
  },
  {
    name: 'an Assertion without an Issuer (configured expectation shown)',
    response: edit(signedResponse(), ASSERTION_ISSUER_RE, ''),
    expectations: { idpEntityId: LAB.issuer },
    findings: [{ severity: 'error', messageKey: 'missingAssertionIssuer', evidence: [{ label: 'Assertion Issuer', expected: LAB.issuer, actual: '(none)', path: '/Response/Assertion', source: 'configured' }] }],
  },
  {
    name: 'an Issuer with the unspecified NameID Format',
    response: sign(edit(makeResponse(), RESP_ISSUER_RE, (m) => m.replace('<Issuer ', `<Issuer Format="${URN.unspecified}" `))),
    findings: [
      {
        severity: 'warning',
        messageKey: 'format', fix: FIX_FORMAT,
        messageHas: ['Response', URN.unspecified],
        evidence: [{ label: 'Response Issuer Format', expected: `(absent) or ${ENTITY}`, actual: URN.unspecified, path: RESP_ISSUER_PATH }],
      },
    ],
  },
  {
    name: 'the tenantid claim names another tenant than the Issuer',
    response: signedResponse({ tenantId: OTHER_TENANT, issuer: LAB.issuer }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'tenantClaimDiffers',
        messageHas: [`Issuer names tenant ${LAB.tenantId}`, `tenantid claim says ${OTHER_TENANT}`],
        fix: FIX_TENANT,
        evidence: [
          { label: 'Issuer', actual: LAB.issuer, path: ASSERTION_ISSUER_PATH },
          { label: 'tenantid claim', expected: LAB.tenantId, actual: OTHER_TENANT, source: 'the tenant in the Issuer' },
        ],
      },
    ],
  },
  {
    name: 'the Entra issuer without its slash, its tenant in capitals: the message names the issuer as Entra writes it (the fix speaks of any IdP: this is not Entra\'s exact form)',
    response: signedResponse({ issuer: `https://sts.windows.net/${UPPER_TENANT}` }),
    findings: [{ severity: 'warning', messageKey: 'noTrailingSlash', messageHas: [`(https://sts.windows.net/${LAB.tenantId}/)`], evidence: [{ label: 'Response Issuer', expected: 'https://sts.windows.net/<tenant-id>/', actual: `https://sts.windows.net/${UPPER_TENANT}` }], fix: FIX_METADATA_ANY_IDP }],
  },
  {
    name: 'the login.microsoftonline.com form, its tenant in capitals',
    response: signedResponse({ issuer: `https://login.microsoftonline.com/${UPPER_TENANT}/` }),
    findings: [{ severity: 'warning', messageKey: 'loginHost', messageHas: [`https://sts.windows.net/${LAB.tenantId}/ (the other form`], evidence: [{ label: 'Assertion Issuer' }] }],
  },
  {
    name: 'an unsigned Response carrying an encrypted assertion, without an Issuer',
    response: makeResponse({ issuer: null, encrypted: true }),
    findings: [{ severity: 'error', messageKey: 'missingResponseIssuer', messageHas: ['The Response is carrying an encrypted assertion but has no Issuer'], evidence: [{ label: 'Response Issuer', expected: 'https://sts.windows.net/<tenant-id>/', actual: '(none)' }], fix: FIX_SENDER_ANY_IDP }],
  },
  {
    name: 'an Assertion without an Issuer, nothing configured: Entra\'s shape expected',
    response: edit(signedResponse(), ASSERTION_ISSUER_RE, ''),
    findings: [{ severity: 'error', messageKey: 'missingAssertionIssuer', evidence: [{ label: 'Assertion Issuer', expected: 'https://sts.windows.net/<tenant-id>/', actual: '(none)', path: '/Response/Assertion' }], fix: FIX_SENDER }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  failTable(ID, fail);
});
