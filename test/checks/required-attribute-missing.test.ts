import { describe, expect, it } from 'vitest';
import { failTable, findingsFor, passTable, type Case, type FailCase } from './harness.ts';
import { LAB, makeAuthnRequest, makeLogoutRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { AWS_PORTAL_START, ENTRA_NEW_APP } from '../../lib/checks/fixes.ts';

// The fixes and the consequences word for word.
const FIX_RESPONSE =
  'Entra writes ID, Version="2.0" and IssueInstant on every Response and Assertion it issues, and they cannot be configured: ' +
  'a message without them was made or rewritten by something else (a test IdP, a proxy or browser extension that edits the POST, a hand-edited file). ' +
  `Capture the sign-in again straight from Entra; if the app is not the gallery app, add it from ${ENTRA_NEW_APP} "AWS IAM Identity Center".`;
const FIX_REQUEST =
  `Start the sign-in at the AWS access portal (${AWS_PORTAL_START}) so that Identity Center writes the AuthnRequest; ` +
  'a request written by hand or by a test tool needs ID (not starting with a digit), Version="2.0" and IssueInstant.';
const FIX_LOGOUT =
  'Entra and Identity Center write ID, Version="2.0" and IssueInstant on every LogoutRequest and LogoutResponse they send: ' +
  'one without them was made or rewritten by something else (a test tool, a proxy or browser extension, a hand-edited file). ' +
  'Its Issuer says who claims to have sent it; capture the sign-out again straight from the browser.';
const NOT_ENTRA =
  'Entra always writes it, so this message was made or rewritten by something other than Entra; whether Identity Center refuses it is not documented, but a receiver that validates the SAML schema does.';

const ID = 'required-attribute-missing';
const reqId = samlId();

/** Removes (or rewrites) an attribute on the root element only. */
const onRoot = (xml: string, attr: string, value: string | null) =>
  xml.replace(new RegExp(`^((?:<\\?xml[^>]*\\?>)?<[^>]*?)\\s${attr}="[^"]*"`), (_, head: string) => (value === null ? head : `${head} ${attr}="${value}"`));
/** The same on the (first) Assertion element. */
const onAssertion = (xml: string, attr: string, value: string | null) =>
  xml.replace(new RegExp(`(<Assertion\\b[^>]*?)\\s${attr}="[^"]*"`), (_, head: string) => (value === null ? head : `${head} ${attr}="${value}"`));

const pass: Case[] = [
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.requester } }) },
  { name: 'Version " 2.0 " (spaces around it)', response: sign(onRoot(makeResponse(), 'Version', ' 2.0 ')) },
];

const fail: FailCase[] = [
  {
    name: 'Response without ID',
    response: sign(onRoot(makeResponse(), 'ID', null)),
    findings: [
      {
        severity: 'warning',
        messageKey: 'missing',
        messageHas: [`The Response has no ID attribute, which SAML 2.0 requires (SAML Core §3.2.2, StatusResponseType). ${NOT_ENTRA}`],
        fix: FIX_RESPONSE,
        evidence: [{ label: 'Response ID', expected: 'an identifier (xs:ID), e.g. _9c2e…', actual: '(none)', path: '/Response/@ID', source: 'SAML Core §3.2.2, StatusResponseType' }],
      },
    ],
  },
  {
    name: 'Response without Version',
    response: sign(onRoot(makeResponse(), 'Version', null)),
    findings: [{ severity: 'warning', messageKey: 'missing', messageHas: ['no Version'], fix: FIX_RESPONSE, evidence: [{ label: 'Response Version', expected: '2.0', actual: '(none)', path: '/Response/@Version' }] }],
  },
  {
    name: 'Response without IssueInstant',
    response: sign(onRoot(makeResponse(), 'IssueInstant', null)),
    findings: [{ severity: 'warning', messageKey: 'missing', messageHas: ['no IssueInstant'], fix: FIX_RESPONSE, evidence: [{ label: 'Response IssueInstant', expected: 'the UTC time it was issued, e.g. 2026-01-15T09:30:00Z', actual: '(none)', path: '/Response/@IssueInstant' }] }],
  },
  {
    name: 'Response with an empty ID',
    response: sign(onRoot(makeResponse(), 'ID', '')),
    findings: [
      {
        severity: 'warning',
        messageKey: 'empty',
        messageHas: [`The Response has an empty ID attribute, which SAML 2.0 requires to hold a value (SAML Core §3.2.2, StatusResponseType). ${NOT_ENTRA}`],
        fix: FIX_RESPONSE,
        evidence: [{ label: 'Response ID', actual: '(empty)' }],
      },
    ],
  },
  {
    name: 'Response with a Version of spaces only',
    response: sign(onRoot(makeResponse(), 'Version', '  ')),
    findings: [{ severity: 'warning', messageKey: 'empty', fix: FIX_RESPONSE, evidence: [{ label: 'Response Version', actual: '(empty)' }] }],
  },
  {
    name: 'Response with Version="1.1"',
    response: sign(onRoot(makeResponse(), 'Version', '1.1')),
    findings: [
      {
        severity: 'warning',
        messageKey: 'wrongVersion',
        messageHas: ['The Response says Version="1.1", but a SAML 2.0 message must say Version="2.0" (SAML Core §3.2.2, StatusResponseType); a receiver answers other versions with the status VersionMismatch.'],
        fix: FIX_RESPONSE,
        evidence: [{ expected: '2.0', actual: '1.1', path: '/Response/@Version' }],
      },
    ],
  },
  {
    name: 'Assertion without IssueInstant',
    response: sign(onAssertion(makeResponse(), 'IssueInstant', null)),
    findings: [
      { severity: 'warning', messageKey: 'missing', messageHas: ['The Assertion has no IssueInstant attribute, which SAML 2.0 requires (SAML Core §2.3.3).'], fix: FIX_RESPONSE, evidence: [{ label: 'Assertion IssueInstant', actual: '(none)', path: '/Response/Assertion/@IssueInstant' }] },
    ],
  },
  {
    name: 'AuthnRequest without IssueInstant: Entra refuses it (error)',
    request: onRoot(makeAuthnRequest({ id: reqId }), 'IssueInstant', null),
    findings: [
      {
        severity: 'error',
        messageKey: 'missing',
        messageHas: [
          'The AuthnRequest has no IssueInstant attribute, which SAML 2.0 requires (SAML Core §3.2.1, RequestAbstractType). Entra requires ID, Version and IssueInstant on an AuthnRequest and refuses the request without them (AADSTS75005).',
        ],
        fix: FIX_REQUEST,
        evidence: [{ label: 'AuthnRequest IssueInstant', actual: '(none)', path: '/AuthnRequest/@IssueInstant', source: 'SAML Core §3.2.1, RequestAbstractType' }],
      },
    ],
  },
  {
    name: 'LogoutRequest without ID: a warning; Entra or Identity Center may have sent it',
    response: onRoot(makeLogoutRequest(), 'ID', null),
    findings: [
      {
        severity: 'warning',
        messageKey: 'missing',
        messageHas: [
          'The LogoutRequest has no ID attribute, which SAML 2.0 requires (SAML Core §3.2.1, RequestAbstractType). Entra and Identity Center always write it, so this message was made or rewritten by something else; a receiver that validates the SAML schema refuses it.',
        ],
        fix: FIX_LOGOUT,
        evidence: [{ label: 'LogoutRequest ID', actual: '(none)', path: '/LogoutRequest/@ID', source: 'SAML Core §3.2.1, RequestAbstractType' }],
      },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  failTable(ID, fail);
  it('fails: a LogoutResponse without IssueInstant gets the logout fix', () => {
    const xml =
      '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lr1" Version="2.0" InResponseTo="_x">' +
      `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</saml:Issuer>` +
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>';
    const found = findingsFor({ name: 'logout response', response: xml }, ID);
    expect(found.map((f) => [f.messageKey, f.severity, f.evidence[0]!.path, f.evidence[0]!.source])).toEqual([
      ['missing', 'warning', '/LogoutResponse/@IssueInstant', 'SAML Core §3.2.2, StatusResponseType'],
    ]);
    expect(found[0]!.fix).toBe(FIX_LOGOUT);
  });
  it('fails: Response without any of the three, one finding each', () => {
    const found = findingsFor({ name: 'none', response: sign(onRoot(onRoot(onRoot(makeResponse(), 'ID', null), 'Version', null), 'IssueInstant', null)) }, ID);
    expect(found.map((f) => [f.messageKey, f.severity, f.evidence[0]!.path])).toEqual([
      ['missing', 'warning', '/Response/@ID'],
      ['missing', 'warning', '/Response/@Version'],
      ['missing', 'warning', '/Response/@IssueInstant'],
    ]);
  });
});
