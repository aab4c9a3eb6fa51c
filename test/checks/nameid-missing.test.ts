import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { makeLogoutRequest, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

const ID = 'nameid-missing';
const reqId = samlId();
const ENC_DATA =
  '<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"><xenc:CipherData><xenc:CipherValue>bGFi</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>';

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'failed status without an assertion (status-not-success explains it)', response: makeResponse({ status: { code: URN.requester } }) },
  { name: 'EncryptedAssertion (encrypted-assertion explains it)', response: makeResponse({ encrypted: true }) },
  { name: 'a NameID of another format is still a NameID', response: signedResponse({ nameId: 'AAAbbb123', nameIdFormat: URN.persistent }) },
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'Subject without NameID',
    response: signedResponse({ nameId: null }),
    key: 'missing',
    severity: 'error',
    evidence: [{ label: 'NameID', actual: '(none)', path: '/Response/Assertion/Subject' }],
  },
  {
    name: 'empty NameID',
    response: signedResponse({ nameId: '' }),
    key: 'empty',
    severity: 'error',
    evidence: [{ label: 'NameID', actual: '(empty)', path: '/Response/Assertion/Subject/NameID' }],
  },
  {
    name: 'NameID of whitespace only',
    response: signedResponse({ nameId: '   ' }),
    key: 'empty',
    severity: 'error',
    evidence: [{ actual: '(empty)' }],
  },
  {
    name: 'empty NameID with a transient Format: the format is named here, not by nameid-format',
    response: signedResponse({ nameId: '', nameIdFormat: URN.transient }),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: ['transient', URN.transient, URN.email],
    evidence: [
      { label: 'NameID', actual: '(empty)', path: '/Response/Assertion/Subject/NameID' },
      { label: 'NameID Format', expected: URN.email, actual: URN.transient, path: '/Response/Assertion/Subject/NameID' },
    ],
  },
  {
    name: 'self-closing NameID with a persistent Format',
    response: sign(makeResponse({ nameIdFormat: URN.persistent }).replace(/<NameID([^>]*)>[^<]*<\/NameID>/, '<NameID$1/>')),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: ['persistent'],
    evidence: [{ label: 'NameID Format', actual: URN.persistent }],
  },
  {
    name: 'whitespace-only NameID with an unknown Format URI',
    response: signedResponse({ nameId: ' \n ', nameIdFormat: 'http://schemas.xmlsoap.org/claims/UPN' }),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: ['http://schemas.xmlsoap.org/claims/UPN'],
    evidence: [{ label: 'NameID Format', actual: 'http://schemas.xmlsoap.org/claims/UPN' }],
  },
  {
    name: 'empty NameID without a Format (unspecified)',
    response: signedResponse({ nameId: '', nameIdFormat: null }),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: ['unspecified'],
    evidence: [{ label: 'NameID Format', actual: '(none: unspecified)' }],
  },
  {
    name: 'EncryptedID instead of NameID',
    response: sign(makeResponse().replace(/<NameID[^>]*>[^<]*<\/NameID>/, `<EncryptedID>${ENC_DATA}</EncryptedID>`)),
    key: 'encryptedId',
    severity: 'error',
    evidence: [{ label: 'NameID', actual: '(EncryptedID)', path: '/Response/Assertion/Subject/EncryptedID' }],
  },
  {
    name: 'assertion without Subject',
    response: sign(makeResponse().replace(/<Subject>.*<\/Subject>/, '')),
    key: 'noSubject',
    severity: 'error',
    evidence: [{ label: 'Subject', actual: '(none)', path: '/Response/Assertion' }],
  },
];

describe(`${ID}, LogoutRequest`, () => {
  it('passes: a LogoutRequest naming the user', () => {
    expect(findingsFor({ name: 'lr', response: makeLogoutRequest() }, ID)).toEqual([]);
  });
  it('passes: a LogoutRequest with an EncryptedID instead', () => {
    const xml = makeLogoutRequest({ nameId: null }).replace('<samlp:SessionIndex>', `<saml:EncryptedID>${ENC_DATA}</saml:EncryptedID><samlp:SessionIndex>`);
    expect(findingsFor({ name: 'lr', response: xml }, ID)).toEqual([]);
  });
  for (const [name, xml, key, actual, path] of [
    ['without NameID', makeLogoutRequest({ nameId: null }), 'logoutMissing', '(none)', '/LogoutRequest'],
    ['with an empty NameID', makeLogoutRequest({ nameId: '' }), 'logoutEmpty', '(empty)', '/LogoutRequest/NameID'],
  ] as const) {
    it(`fails: a LogoutRequest ${name}`, () => {
      const found = findingsFor({ name, response: xml }, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual([[key, 'error']]);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.title).toMatch(/^The LogoutRequest names no user/);
      expect(f.message).toContain('§3.7.1');
      expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'NameID', actual, path }));
    });
  }
});

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual([[c.key, c.severity]]);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.fix).toMatch(/Unique User Identifier|Token encryption/);
      for (const m of c.messageHas ?? []) expect(f.message).toContain(m);
      for (const ev of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(ev));
    });
  }
});
