import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { makeLogoutRequest, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';
import { ENTRA_NAMEID_FORMAT, ENTRA_NAMEID_SOURCE, ENTRA_SIGNIN_LOGS, ENTRA_TOKEN_ENCRYPTION } from '../../lib/checks/fixes.ts';
import { LAB } from '../lab/factory.ts';

// The fixes word for word (what the user is told to change, and where).
const FIX_NAMEID =
  `${ENTRA_NAMEID_SOURCE}: user.userprincipalname for members (user.mail for guests, with a claim condition), and ${ENTRA_NAMEID_FORMAT}. ` +
  `If Entra cannot read the source attribute for a user it refuses the sign-in with AADSTS501241 instead (see ${ENTRA_SIGNIN_LOGS}).`;
const FIX_ENCRYPTED = `${ENTRA_TOKEN_ENCRYPTION}: turn token encryption off (Identity Center supports no encryption), then check ${ENTRA_NAMEID_FORMAT}.`;
const fixLogout = (issuer: string) =>
  `The sender of the LogoutRequest (its Issuer ${issuer}) must name the user with the NameID it received or sent at sign-in. ` +
  `If that sender is Entra, the NameID comes from ${ENTRA_NAMEID_SOURCE}; check it has a value for this user.`;
const EXPECTED_USER = `a user name, e.g. name@domain.com (Format ${URN.email})`;

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
  /** The message word for word. */
  message?: string;
  messageHas?: string[];
  fix: string;
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'Subject without NameID',
    response: signedResponse({ nameId: null }),
    key: 'missing',
    severity: 'error',
    message: "The assertion's Subject has no NameID, so Identity Center cannot tell which user signs in.",
    fix: FIX_NAMEID,
    evidence: [{ label: 'NameID', expected: EXPECTED_USER, actual: '(none)', path: '/Response/Assertion/Subject' }],
  },
  {
    name: 'empty NameID',
    response: signedResponse({ nameId: '' }),
    key: 'empty',
    severity: 'error',
    message: 'The NameID is empty, so it matches no Identity Center user name.',
    fix: FIX_NAMEID,
    evidence: [{ label: 'NameID', expected: EXPECTED_USER, actual: '(empty)', path: '/Response/Assertion/Subject/NameID' }],
  },
  {
    name: 'NameID of whitespace only',
    response: signedResponse({ nameId: '   ' }),
    key: 'empty',
    severity: 'error',
    fix: FIX_NAMEID,
    evidence: [{ actual: '(empty)' }],
  },
  {
    name: 'empty NameID with a transient Format: the format is named here, not by nameid-format',
    response: signedResponse({ nameId: '', nameIdFormat: URN.transient }),
    key: 'emptyOtherFormat',
    severity: 'error',
    message: `The NameID is empty, so it matches no Identity Center user name, and its Format is transient (a one-time identifier) (${URN.transient}): Identity Center needs a user name in the email-address format ${URN.email}. Fix both.`,
    fix: FIX_NAMEID,
    evidence: [
      { label: 'NameID', actual: '(empty)', path: '/Response/Assertion/Subject/NameID' },
      { label: 'NameID Format', expected: URN.email, actual: URN.transient, path: '/Response/Assertion/Subject/NameID', source: 'required by IAM Identity Center' },
    ],
  },
  {
    name: 'self-closing NameID with a persistent Format',
    response: sign(makeResponse({ nameIdFormat: URN.persistent }).replace(/<NameID([^>]*)>[^<]*<\/NameID>/, '<NameID$1/>')),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: ['persistent'],
    fix: FIX_NAMEID,
    evidence: [{ label: 'NameID Format', actual: URN.persistent }],
  },
  {
    name: 'whitespace-only NameID with an unknown Format URI',
    response: signedResponse({ nameId: ' \n ', nameIdFormat: 'http://schemas.xmlsoap.org/claims/UPN' }),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: ['its Format is http://schemas.xmlsoap.org/claims/UPN, not a SAML NameID format:'],
    fix: FIX_NAMEID,
    evidence: [{ label: 'NameID Format', actual: 'http://schemas.xmlsoap.org/claims/UPN' }],
  },
  {
    name: 'empty NameID without a Format (unspecified)',
    response: signedResponse({ nameId: '', nameIdFormat: null }),
    key: 'emptyOtherFormat',
    severity: 'error',
    messageHas: [`its Format is absent, which SAML reads as unspecified (${URN.unspecified}):`],
    fix: FIX_NAMEID,
    evidence: [{ label: 'NameID Format', actual: '(none: unspecified)' }],
  },
  {
    name: 'EncryptedID instead of NameID',
    response: sign(makeResponse().replace(/<NameID[^>]*>[^<]*<\/NameID>/, `<EncryptedID>${ENC_DATA}</EncryptedID>`)),
    key: 'encryptedId',
    severity: 'error',
    message:
      'The Subject carries an EncryptedID instead of a NameID. Identity Center does not support encrypted SAML content, so it cannot read the user (encrypted-assertion reports the encryption too).',
    fix: FIX_ENCRYPTED,
    evidence: [{ label: 'NameID', actual: '(EncryptedID)', path: '/Response/Assertion/Subject/EncryptedID' }],
  },
  {
    name: 'assertion without Subject',
    response: sign(makeResponse().replace(/<Subject>.*<\/Subject>/, '')),
    key: 'noSubject',
    severity: 'error',
    message: 'The assertion has no Subject, so it names no user; Identity Center matches the NameID inside the Subject against its user names.',
    fix: FIX_NAMEID,
    evidence: [{ label: 'Subject', expected: 'a Subject with a NameID', actual: '(none)', path: '/Response/Assertion' }],
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
      expect(f.fix).toBe(fixLogout(LAB.spEntityId));
      expect(f.evidence).toContainEqual({ label: 'NameID', expected: 'the NameID the user signed in with, e.g. name@domain.com', actual, path });
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
      expect(f.fix, 'the fix').toBe(c.fix);
      if (c.message !== undefined) expect(f.message).toBe(c.message);
      for (const m of c.messageHas ?? []) expect(f.message).toContain(m);
      for (const ev of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(ev));
    });
  }
});

describe(`${ID}, LogoutRequest without an Issuer`, () => {
  it("says '(none)' for the sender, and leaves out the sentence about Entra (a sender not known to be Entra)", () => {
    const xml = makeLogoutRequest({ nameId: null }).replace(/<saml:Issuer>[^<]*<\/saml:Issuer>/, '');
    const [f] = findingsFor({ name: 'lr', response: xml }, ID);
    expect(f?.messageKey).toBe('logoutMissing');
    expect(f?.fix).toBe(fixLogout('(none)').slice(0, fixLogout('(none)').indexOf(' If that sender is Entra')));
    expect(f?.message).toBe(
      'The LogoutRequest has no NameID, so it does not say whose session to end; SAML requires a NameID (or a BaseID or EncryptedID) in every LogoutRequest (SAML Core §3.7.1).',
    );
  });
  it('a BaseID stands in for the NameID too', () => {
    const xml = makeLogoutRequest({ nameId: null }).replace('<samlp:SessionIndex>', '<saml:BaseID xsi:type="x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/><samlp:SessionIndex>');
    expect(findingsFor({ name: 'lr', response: xml }, ID)).toEqual([]);
  });
});
