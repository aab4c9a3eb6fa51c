import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';

const ID = 'nameid-format';
const NID = '/Response/Assertion/Subject/NameID';
const reqId = samlId();
const sp = (o: Parameters<typeof signedResponse>[0], requestFormat?: string | null) => ({
  request: makeAuthnRequest({ id: reqId, ...(requestFormat !== undefined ? { nameIdFormat: requestFormat } : {}) }),
  response: signedResponse({ inResponseTo: reqId, ...o }),
});

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated (request asks for emailAddress)', ...sp({}) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'request asks for unspecified, response is emailAddress', ...sp({}, URN.unspecified) },
  { name: 'request without NameIDPolicy', ...sp({}, null) },
  { name: 'guest #EXT# UPN is still an addr-spec (nameid-guest explains it)', response: signedResponse({ nameId: 'alex_fabrikam.com#EXT#@contoso.onmicrosoft.com' }) },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.requester } }) },
  { name: 'no NameID (nameid-missing explains it)', response: signedResponse({ nameId: null }) },
  { name: 'transient Format with an empty value (nameid-missing names both)', response: signedResponse({ nameIdFormat: URN.transient, nameId: '' }) },
  { name: 'unknown Format with a whitespace-only value (nameid-missing names both)', response: signedResponse({ nameIdFormat: 'http://schemas.xmlsoap.org/claims/UPN', nameId: ' \n ' }) },
  {
    name: 'transient Format, self-closing NameID, SP-initiated asking for emailAddress',
    request: makeAuthnRequest({ id: reqId }),
    response: sign(makeResponse({ inResponseTo: reqId, nameIdFormat: URN.transient }).replace(/<NameID([^>]*)>[^<]*<\/NameID>/, '<NameID$1/>')),
  },
];

interface Expect {
  key: string;
  severity: Severity;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}
interface Fail extends Case {
  findings: Expect[];
}

const fmt = (actual: string): Partial<Evidence> => ({ label: 'NameID Format', expected: URN.email, actual, path: NID });

const fail: Fail[] = [
  {
    name: 'no Format attribute (unspecified)',
    response: signedResponse({ nameIdFormat: null }),
    findings: [{ key: 'absent', severity: 'error', messageHas: [URN.unspecified], evidence: [fmt('(none: unspecified)')] }],
  },
  {
    name: "the typo printed on AWS's troubleshooting page (urn:oasis:name:tc)",
    response: signedResponse({ nameIdFormat: 'urn:oasis:name:tc:SAML:1.1:nameid-format:emailAddress' }),
    findings: [
      { key: 'nearMiss', severity: 'error', messageHas: ['"name" instead of "names"'], evidence: [fmt('urn:oasis:name:tc:SAML:1.1:nameid-format:emailAddress')] },
    ],
  },
  {
    name: 'SAML:2.0 instead of SAML:1.1',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress' }),
    findings: [{ key: 'nearMiss', severity: 'error', messageHas: ['SAML:2.0 instead of SAML:1.1'], evidence: [fmt('urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress')] }],
  },
  {
    name: 'case difference (emailaddress)',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailaddress' }),
    findings: [
      { key: 'nearMiss', severity: 'error', messageHas: ['"emailaddress" instead of "emailAddress" (upper/lower case)'], evidence: [fmt('urn:oasis:names:tc:SAML:1.1:nameid-format:emailaddress')] },
    ],
  },
  {
    name: 'several mistakes at once',
    response: signedResponse({ nameIdFormat: 'urn:oasis:name:tc:saml:2.0:nameid-format:emailAddress' }),
    findings: [
      {
        key: 'nearMiss',
        severity: 'error',
        messageHas: ['"name" instead of "names"', '"saml" instead of "SAML" (upper/lower case)', 'SAML:2.0 instead of SAML:1.1'],
        evidence: [fmt('urn:oasis:name:tc:saml:2.0:nameid-format:emailAddress')],
      },
    ],
  },
  {
    name: 'trailing space in the Format',
    response: signedResponse({ nameIdFormat: `${URN.email} ` }),
    findings: [{ key: 'nearMiss', severity: 'error', messageHas: ['whitespace around it (a trailing space)'], evidence: [fmt(`${URN.email} `)] }],
  },
  {
    name: 'misspelt emailAdress',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAdress' }),
    findings: [{ key: 'nearMiss', severity: 'error', messageHas: ['"emailAdress" instead of "emailAddress"'], evidence: [fmt('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAdress')] }],
  },
  {
    name: 'version part left out',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:nameid-format:emailAddress' }),
    findings: [{ key: 'nearMiss', severity: 'error', messageHas: ['missing "1.1"'], evidence: [fmt('urn:oasis:names:tc:SAML:nameid-format:emailAddress')] }],
  },
  {
    name: 'unspecified, IdP-initiated',
    response: signedResponse({ nameIdFormat: URN.unspecified }),
    findings: [{ key: 'other', severity: 'error', messageHas: ['unspecified'], evidence: [fmt(URN.unspecified)] }],
  },
  {
    name: 'persistent where the request asked for emailAddress (Entra fallback: the source attribute gave nothing)',
    ...sp({ nameIdFormat: URN.persistent, nameId: 'Xk3pQ9zT0aB7cD1eF2gH3iJ4kL5mN6oP7qR8sT9uV0w' }),
    findings: [
      {
        key: 'notRequested',
        severity: 'error',
        messageHas: [URN.persistent, 'persistent pairwise identifier'],
        evidence: [fmt(URN.persistent), { label: "AuthnRequest NameIDPolicy Format (the request's)", actual: URN.email, path: '/AuthnRequest/NameIDPolicy' }],
      },
    ],
  },
  {
    name: 'unspecified where the request asked for emailAddress',
    ...sp({ nameIdFormat: URN.unspecified }),
    findings: [{ key: 'notRequested', severity: 'error', messageHas: [URN.unspecified], evidence: [fmt(URN.unspecified), { actual: URN.email }] }],
  },
  {
    name: 'transient, IdP-initiated: the opaque value is not reported again',
    response: signedResponse({ nameIdFormat: URN.transient, nameId: '_a1b2c3d4e5f6a7b8c9d0' }),
    findings: [{ key: 'other', severity: 'error', messageHas: ['transient'], evidence: [fmt(URN.transient)] }],
  },
  {
    name: 'Windows domain qualified name with a DOMAIN\\user value',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName', nameId: 'CONTOSO\\alex' }),
    findings: [
      { key: 'other', severity: 'error', messageHas: ['Windows domain qualified name'], evidence: [fmt('urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName')] },
      { key: 'notAddrSpec', severity: 'error', messageHas: ['DOMAIN\\user'], evidence: [{ label: 'NameID', actual: 'CONTOSO\\alex', path: NID }] },
    ],
  },
  {
    name: 'an unknown format URI',
    response: signedResponse({ nameIdFormat: 'http://schemas.xmlsoap.org/claims/UPN' }),
    findings: [{ key: 'unknown', severity: 'error', messageHas: ['http://schemas.xmlsoap.org/claims/UPN'], evidence: [fmt('http://schemas.xmlsoap.org/claims/UPN')] }],
  },
  {
    name: 'request asked for persistent, response has emailAddress',
    ...sp({}, URN.persistent),
    findings: [{ key: 'differsFromRequest', severity: 'warning', messageHas: [URN.persistent], evidence: [{ expected: URN.persistent, actual: URN.email, path: NID }] }],
  },
  {
    name: 'a bare user name as value',
    response: signedResponse({ nameId: 'alex.morgan' }),
    findings: [{ key: 'notAddrSpec', severity: 'error', messageHas: ['no @'], evidence: [{ label: 'NameID', expected: 'name@domain (RFC 2822 addr-spec)', actual: 'alex.morgan', path: NID }] }],
  },
  {
    name: 'an object id as value (user.objectid)',
    response: signedResponse({ nameId: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f' }),
    findings: [{ key: 'notAddrSpec', severity: 'error', messageHas: ['object ID'], evidence: [{ actual: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f' }] }],
  },
  {
    name: 'a space inside the address',
    response: signedResponse({ nameId: 'alex morgan@contoso.com' }),
    findings: [{ key: 'notAddrSpec', severity: 'error', messageHas: ['whitespace'], evidence: [{ actual: 'alex morgan@contoso.com' }] }],
  },
  {
    name: 'two @',
    response: signedResponse({ nameId: `alex@${LAB.user}` }),
    findings: [{ key: 'notAddrSpec', severity: 'error', messageHas: ['more than one @'], evidence: [{ actual: `alex@${LAB.user}` }] }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual(c.findings.map((e) => [e.key, e.severity]));
      c.findings.forEach((e, i) => {
        const f = found[i]!;
        expectWellFormed(f);
        expect(f.fix).toContain('Unique User Identifier');
        expectMessageAndEvidence(f, e);
      });
    });
  }
});
