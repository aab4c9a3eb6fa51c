import { describe, expect, it } from 'vitest';
import { AADSTS } from '../../lib/entra/aadsts.ts';
import type { Evidence } from '../../lib/types.ts';
import { isoTime, LAB, makeAuthnRequest, makeResponse, samlId, signedResponse, toRedirect, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';
import { ENTRA_SIGNIN_LOGS } from '../../lib/checks/fixes.ts';

// The fixes word for word.
const fixLogs = (code?: string) =>
  `${ENTRA_SIGNIN_LOGS}: find this sign-in (by time and user) and read "Failure reason"${code ? `; or look up https://login.microsoftonline.com/error?code=${code}` : ''}.`;
const FIX_STATUS = 'The sender must include <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>.';
const FIX_LOGOUT =
  'Close the browser (or sign out of the AWS access portal and of the identity provider separately) so that no session stays open, then sign out again from the start. ' +
  "If it fails each time, the sender's logs say why: a session it no longer knows (the NameID or SessionIndex of the LogoutRequest) is the usual cause.";

const ID = 'status-not-success';
const reqId = samlId();
const S = 'urn:oasis:names:tc:SAML:2.0:status:';
const STATUS = '/Response/Status';

/** Entra's documented failure text (FACTS B5), with its Trace ID / Timestamp lines. */
const ENTRA_75006 =
  "AADSTS75006: An error occurred while processing a SAML2 Authentication request. AADSTS90011: The SAML authentication request property 'NameIdentifierPolicy/SPNameQualifier' is not supported.\r\nTrace ID: 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\r\nCorrelation ID: 1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d\r\nTimestamp: 2026-03-02 10:00:00Z";
const ENTRA_50105 =
  "AADSTS50105: Your administrator has configured the application AWS IAM Identity Center ('3b5f8a2e-0000-4e9f-a0b6-5d4c3b2a1f0e') to block users unless they are specifically granted ('assigned') access to the application.";

/** A LogoutResponse as Entra sends it back by HTTP-Redirect. */
function logoutResponse(code: string, subCode?: string, message?: string, issuer = LAB.issuer): string {
  const sub = subCode ? `<samlp:StatusCode Value="${subCode}"/>` : '';
  const msg = message ? `<samlp:StatusMessage>${message}</samlp:StatusMessage>` : '';
  return (
    `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${isoTime(new Date())}" InResponseTo="${samlId()}">` +
    `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${issuer}</Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${code}">${sub}</samlp:StatusCode>${msg}</samlp:Status></samlp:LogoutResponse>`
  );
}
const asRedirect = (xml: string): Omit<Case, 'name'> => ({ response: xml, capture: { raw: toRedirect(xml), binding: 'redirect', method: 'GET' } });

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Success, unsigned (other checks judge the rest)', response: makeResponse() },
  { name: 'LogoutResponse with Success', ...asRedirect(logoutResponse(URN.success)) },
];

interface Fail extends Case {
  key: 'missing' | 'noStatusCode' | 'failed' | 'aadsts' | 'logoutFailed';
  severity?: 'warning';
  title?: string;
  messageLacks?: string[];
  messageHas: string[];
  /** The fix word for word. */
  fix: string;
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: "Entra's documented Requester / RequestUnsupported with AADSTS75006 + AADSTS90011",
    request: makeAuthnRequest({ id: reqId }),
    response: makeResponse({ inResponseTo: reqId, status: { code: URN.requester, subCode: `${S}RequestUnsupported`, message: ENTRA_75006 } }),
    key: 'failed',
    messageHas: ['Requester / RequestUnsupported', 'the identity provider does not support the request'],
    fix: fixLogs('75006'),
    evidence: [
      { label: 'StatusCode', expected: URN.success, actual: URN.requester, path: `${STATUS}/StatusCode` },
      { label: 'second-level StatusCode', actual: `${S}RequestUnsupported`, path: `${STATUS}/StatusCode/StatusCode` },
      { label: 'StatusMessage', actual: ENTRA_75006.replace(/\r\n/g, '\n'), path: `${STATUS}/StatusMessage` },
    ],
  },
  {
    name: 'Responder / AuthnFailed without a message',
    response: makeResponse({ status: { code: URN.responder, subCode: `${S}AuthnFailed` } }),
    key: 'failed',
    messageHas: ['Responder / AuthnFailed', 'could not authenticate the user'],
    fix: fixLogs(),
    evidence: [
      { label: 'StatusCode', expected: URN.success, actual: URN.responder },
      { label: 'second-level StatusCode', actual: `${S}AuthnFailed` },
    ],
  },
  {
    name: 'AADSTS50105: user not assigned to the app',
    response: makeResponse({ status: { code: URN.requester, subCode: `${S}RequestDenied`, message: ENTRA_50105 } }),
    key: 'aadsts',
    messageHas: ['AADSTS50105 (EntitlementGrantsNotFound)', AADSTS['50105']!.cause],
    fix: AADSTS['50105']!.fix,
    evidence: [{ label: 'StatusMessage', actual: ENTRA_50105 }],
  },
  {
    name: 'an AADSTS code samlscope does not know: the lookup URL',
    response: makeResponse({ status: { code: URN.responder, message: 'AADSTS9999999: Something new went wrong.' } }),
    key: 'failed',
    messageHas: ['Responder', 'failed on its side'],
    fix: fixLogs('9999999'),
    evidence: [{ label: 'StatusMessage', actual: 'AADSTS9999999: Something new went wrong.' }],
  },
  {
    name: 'an unknown AADSTS code under a non-standard top-level code: the URL is in the message too',
    response: makeResponse({ status: { code: 'urn:example:status:Odd', message: 'AADSTS1234567: new.' } }),
    key: 'failed',
    messageHas: ['AADSTS1234567', 'https://login.microsoftonline.com/error?code=1234567'],
    fix: fixLogs('1234567'),
    evidence: [{ label: 'StatusCode', actual: 'urn:example:status:Odd' }],
  },
  {
    name: 'no Status element',
    response: makeResponse().replace(/<samlp:Status>.*?<\/samlp:Status>/, ''),
    key: 'missing',
    messageHas: ['The Response has no Status element'],
    fix: FIX_STATUS,
    evidence: [{ label: 'StatusCode', expected: URN.success, actual: '(none)', path: '/Response' }],
  },
  {
    name: 'Status without a StatusCode',
    response: makeResponse().replace(/<samlp:Status>.*?<\/samlp:Status>/, '<samlp:Status></samlp:Status>'),
    key: 'noStatusCode',
    title: "The response's Status has no StatusCode",
    messageHas: ["The Response's Status has no StatusCode"],
    messageLacks: ['no Status element'],
    fix: FIX_STATUS,
    evidence: [{ label: 'StatusCode', expected: URN.success, actual: '(none)', path: STATUS }],
  },
  {
    name: 'LogoutResponse with Responder / PartialLogout',
    ...asRedirect(logoutResponse(URN.responder, `${S}PartialLogout`)),
    key: 'logoutFailed',
    severity: 'warning',
    title: 'The logout was not completed (LogoutResponse status)',
    messageHas: [`The LogoutResponse from Entra (Issuer ${LAB.issuer}) reports status Responder / PartialLogout: logout did not complete at every party.`, 'a session may still be open'],
    messageLacks: ['sign-in'],
    fix: FIX_LOGOUT,
    evidence: [
      { label: 'StatusCode', expected: URN.success, actual: URN.responder, path: '/LogoutResponse/Status/StatusCode' },
      { label: 'second-level StatusCode', actual: `${S}PartialLogout`, path: '/LogoutResponse/Status/StatusCode/StatusCode' },
    ],
  },
  {
    name: 'LogoutResponse from AWS IAM Identity Center with Requester / UnknownPrincipal',
    ...asRedirect(logoutResponse(URN.requester, `${S}UnknownPrincipal`, undefined, LAB.spEntityId)),
    key: 'logoutFailed',
    severity: 'warning',
    // The meaning names Identity Center, the sender, not "the identity provider".
    messageHas: [`from AWS IAM Identity Center (Issuer ${LAB.spEntityId}) reports status Requester / UnknownPrincipal: the user is unknown to Identity Center.`],
    messageLacks: ['Entra'],
    fix: FIX_LOGOUT,
    evidence: [{ label: 'StatusCode', expected: URN.success, actual: URN.requester }],
  },
  {
    name: 'LogoutResponse from another identity provider (Shibboleth) with Responder and a message',
    ...asRedirect(logoutResponse(URN.responder, undefined, 'Session not found', 'https://idp.example.org/idp/shibboleth')),
    key: 'logoutFailed',
    severity: 'warning',
    messageHas: ['from the identity provider (Issuer https://idp.example.org/idp/shibboleth) reports status Responder: the identity provider failed on its side.'],
    messageLacks: ['Entra'],
    fix: FIX_LOGOUT,
    evidence: [{ label: 'StatusMessage', actual: 'Session not found' }],
  },
  {
    name: 'a failed Response from another identity provider: no Entra in the message, fix or title',
    response: makeResponse({ issuer: 'https://idp.example.org/idp/shibboleth', status: { code: URN.responder, subCode: `${S}AuthnFailed` } }),
    key: 'failed',
    title: 'The identity provider reported a failure',
    messageHas: ['The identity provider answered with status Responder / AuthnFailed: the identity provider could not authenticate the user.'],
    messageLacks: ['Entra'],
    fix: 'The identity provider\'s sign-in logs: find this sign-in (by time and user) and read "Failure reason".',
    evidence: [{ label: 'StatusCode', expected: URN.success, actual: URN.responder }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found).toHaveLength(1);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.severity).toBe(c.severity ?? 'error');
      expect(f.messageKey).toBe(c.key);
      if (c.title) expect(f.title).toBe(c.title);
      for (const t of c.messageHas) expect(f.message).toContain(t);
      for (const t of c.messageLacks ?? []) expect(f.message + f.title + f.fix).not.toContain(t);
      expect(f.fix, 'the fix').toBe(c.fix);
      for (const e of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
    });
  }

  it('the messages word for word: a known second-level code, a top-level code alone, and a LogoutResponse without an Issuer', () => {
    const one = (c: Omit<Case, 'name'>) => findingsFor({ name: 'x', ...c }, ID)[0]!;
    expect(one({ response: makeResponse({ status: { code: URN.requester, subCode: `${S}RequestUnsupported`, message: ENTRA_75006 } }) }).message).toBe(
      'Entra answered with status Requester / RequestUnsupported: the identity provider does not support the request.',
    );
    expect(one({ response: makeResponse({ status: { code: `${S}VersionMismatch` } }) }).message).toBe('Entra answered with status VersionMismatch: the SAML version is wrong.');
    const two = one({ response: makeResponse({ status: { code: URN.requester, subCode: `${S}NoPassive` } }) });
    expect(two.message).toBe('Entra answered with status Requester / NoPassive: the user would have to interact but the request was passive (IsPassive).');
    expect(two.evidence).toEqual([
      { label: 'StatusCode', expected: URN.success, actual: URN.requester, path: `${STATUS}/StatusCode` },
      { label: 'second-level StatusCode', actual: `${S}NoPassive`, path: `${STATUS}/StatusCode/StatusCode` },
    ]);
    const anonymous = one(asRedirect(logoutResponse(URN.requester, `${S}RequestDenied`).replace(/<Issuer[^>]*>[^<]*<\/Issuer>/, '')));
    expect(anonymous.message).toBe(
      'The LogoutResponse from its sender (no Issuer) reports status Requester / RequestDenied: the sender refused the request. The logout did not complete there, so a session may still be open.',
    );
    const quiet = one(asRedirect(logoutResponse('urn:example:Odd', undefined, 'Session gone at the identity provider', LAB.spEntityId)));
    expect(quiet.message).toContain('reports status urn:example:Odd: "Session gone at the identity provider".');
    const silent = one(asRedirect(logoutResponse('urn:example:Odd')));
    expect(silent.message).toContain('reports status urn:example:Odd: no reason was given.');
  });

  it('evidence: each nested code named by its level, at its own path, and the StatusMessage', () => {
    const xml = makeResponse({ status: { code: URN.requester, subCode: `${S}RequestDenied`, subSubCode: `${S}NoPassive`, message: 'No.' } });
    const [f] = findingsFor({ name: 'two subs', response: xml }, ID);
    expect(f?.message).toBe('Entra answered with status Requester / RequestDenied / NoPassive: the identity provider refused the request.');
    expect(f?.evidence).toEqual([
      { label: 'StatusCode', expected: URN.success, actual: URN.requester, path: `${STATUS}/StatusCode` },
      { label: 'second-level StatusCode', actual: `${S}RequestDenied`, path: `${STATUS}/StatusCode/StatusCode` },
      { label: 'third-level StatusCode', actual: `${S}NoPassive`, path: `${STATUS}/StatusCode/StatusCode/StatusCode` },
      { label: 'StatusMessage', actual: 'No.', path: `${STATUS}/StatusMessage` },
    ]);
  });
});
