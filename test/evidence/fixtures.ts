// A sign-in as the extension captures it, full of identifiers: the live-capture shapes of
// lib/capture (redirect AuthnRequest with its raw query, POST response), the portal hop whose
// Location carries the SAMLRequest, an Entra hop with login_hint, and an error-page note.
import type { Expectations } from '../../lib/checks/types.ts';
import type { CapturedMessage, FlowStep } from '../../lib/types.ts';
import { CLAIM, LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect, type ResponseOptions } from '../lab/factory.ts';

export const PEOPLE = {
  upn: 'alex.morgan@contoso.com',
  mail: 'alex.m@contoso-mail.com',
  objectId: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f',
  department: 'Engineering',
  costCenter: 'CC-1042',
  employeeId: 'EMP-778812',
  relayState: 'https://portal.example/start?user=secret-relay-7731',
  ip: '203.0.113.77',
};

export interface LabCapture {
  messages: CapturedMessage[];
  steps: FlowStep[];
  expectations: Expectations;
  responseXml: string;
  /** Identifiers that must never appear in a redacted export. */
  identifiers: string[];
  tenant: string[];
  signatures: string[];
}

export function labCapture(o: { start?: Date; response?: ResponseOptions; expectations?: Expectations } = {}): LabCapture {
  const start = o.start ?? new Date(Date.now() - 60_000);
  const at = (s: number) => new Date(start.getTime() + s * 1000).toISOString();
  const date = (s: number) => new Date(start.getTime() + s * 1000).toUTCString();
  const requestId = samlId();
  const reqValue = toRedirect(makeAuthnRequest({ id: requestId, issueInstant: new Date(start.getTime() + 1000) }));
  const sig = encodeURIComponent('c2lnbmF0dXJlLXZhbHVlLW9mLXRoZS1yZWRpcmVjdC1iaW5kaW5nLTAxMjM0NTY3ODk=');
  const rawQuery = `SAMLRequest=${reqValue}&RelayState=${encodeURIComponent(PEOPLE.relayState)}&SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}&Signature=${sig}`;
  const responseXml = signedResponse({
    inResponseTo: requestId,
    issueInstant: new Date(start.getTime() + 5000),
    nameId: PEOPLE.mail,
    email: PEOPLE.mail,
    upn: PEOPLE.upn,
    accessControl: { Department: PEOPLE.department, CostCenter: PEOPLE.costCenter },
    attributes: [{ name: 'http://schemas.microsoft.com/identity/claims/employeeid', values: [PEOPLE.employeeId] }],
    groups: 2,
    ...o.response,
  });
  const entraUrl = `${LAB.ssoUrl}?${rawQuery}`;
  const messages: CapturedMessage[] = [
    {
      id: 'r1-req',
      raw: reqValue,
      param: 'SAMLRequest',
      binding: 'redirect',
      rawQuery,
      url: LAB.ssoUrl,
      method: 'GET',
      time: at(1),
      tabId: 7,
      frameId: 0,
      origin: 'live',
      relayState: PEOPLE.relayState,
      sigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      signature: decodeURIComponent(sig),
      status: 200,
      serverDate: date(1),
    },
    {
      id: 'r2-resp',
      raw: toPost(responseXml.replace('<SubjectConfirmationData ', `<SubjectConfirmationData Address="${PEOPLE.ip}" `)),
      param: 'SAMLResponse',
      binding: 'post',
      url: LAB.acsUrl,
      method: 'POST',
      time: at(6),
      tabId: 7,
      frameId: 0,
      origin: 'live',
      relayState: PEOPLE.relayState,
      status: 302,
      serverDate: date(6),
      redirectTo: `${LAB.portalUrl}/#/`,
      initiator: 'https://login.microsoftonline.com',
    },
  ];
  const steps: FlowStep[] = [
    { url: LAB.portalUrl, method: 'GET', time: at(0), status: 302, redirectTo: entraUrl, tabId: 7, frameId: 0, serverDate: date(0) },
    {
      url: `https://login.microsoftonline.com/${LAB.tenantId}/oauth2/authorize?login_hint=${encodeURIComponent(PEOPLE.upn)}&client_id=x`,
      method: 'GET',
      time: at(2),
      status: 200,
      tabId: 7,
      frameId: 0,
      note: `Sign-in page for ${PEOPLE.upn}. Request Id: 1a2b3c4d-0000-4000-8000-00000000abcd Correlation Id: 9f8e7d6c-0000-4000-8000-00000000dcba`,
    },
  ];
  const certs = [...responseXml.matchAll(/<X509Certificate>([^<]+)</g)].map((m) => m[1]!);
  const sigs = [...responseXml.matchAll(/<(?:SignatureValue|DigestValue)>([^<]+)</g)].map((m) => m[1]!);
  const sessionIndex = /SessionIndex="([^"]+)"/.exec(responseXml)![1]!;
  return {
    messages,
    steps,
    expectations: { expectedUsername: PEOPLE.upn, spEntityId: LAB.spEntityId, expectedAccessControlKeys: ['Department', 'CostCenter'], ...o.expectations },
    responseXml,
    identifiers: [PEOPLE.upn, PEOPLE.mail, PEOPLE.objectId, PEOPLE.department, PEOPLE.costCenter, PEOPLE.employeeId, PEOPLE.relayState, 'secret-relay-7731', PEOPLE.ip, 'Alex Morgan', 'Morgan', 'contoso', sessionIndex, CLAIM.groups && '0b7c0000-1a2b-4c3d-8e9f-0a1b2c3d4e5f'],
    tenant: [LAB.tenantId],
    signatures: [...certs.map((c) => c.slice(0, 60)), ...sigs.map((s) => s.slice(0, 40)), 'c2lnbmF0dXJlLXZhbHVlLW9mLXRoZS1yZWRpcmVjdC1iaW5kaW5n'],
  };
}
