import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';
import { ENTRA_NAMEID, ENTRA_NAMEID_FORMAT } from '../../lib/checks/fixes.ts';
import { classifyFormat, describeOtherFormat, nearMissProblems, whyNotAddrSpec } from '../../lib/checks/nameid-format.ts';

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
  /** The fix, word for word. */
  fix: string;
}

// The fixes as the user reads them (Entra's words: the factory's responses come from Entra).
const NAMEID = ENTRA_NAMEID;
const PICK_EMAIL = ENTRA_NAMEID_FORMAT;
const FORMAT_FIX = `${PICK_EMAIL}.`;
const NEAR_MISS_FIX = `${FORMAT_FIX} Entra writes the URN itself when you pick it there; a misspelt URN comes from a hand-edited or non-gallery configuration.`;
const VALUE_FIX = `${NAMEID} → Source attribute: choose an attribute that holds name@domain for every user (user.userprincipalname, as AWS recommends for members; user.mail for guests), and ${PICK_EMAIL}.`;
interface Fail extends Case {
  findings: Expect[];
}

const fmt = (actual: string): Partial<Evidence> => ({ label: 'NameID Format', expected: URN.email, actual, path: NID });

const fail: Fail[] = [
  {
    name: 'no Format attribute (unspecified)',
    response: signedResponse({ nameIdFormat: null }),
    findings: [{ key: 'absent', fix: FORMAT_FIX, severity: 'error', messageHas: [URN.unspecified], evidence: [fmt('(none: unspecified)')] }],
  },
  {
    name: "the typo printed on AWS's troubleshooting page (urn:oasis:name:tc)",
    response: signedResponse({ nameIdFormat: 'urn:oasis:name:tc:SAML:1.1:nameid-format:emailAddress' }),
    findings: [
      { key: 'nearMiss', fix: NEAR_MISS_FIX, severity: 'error', messageHas: ['"name" instead of "names"'], evidence: [fmt('urn:oasis:name:tc:SAML:1.1:nameid-format:emailAddress')] },
    ],
  },
  {
    name: 'SAML:2.0 instead of SAML:1.1',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress' }),
    findings: [{ key: 'nearMiss', fix: NEAR_MISS_FIX, severity: 'error', messageHas: ['SAML:2.0 instead of SAML:1.1'], evidence: [fmt('urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress')] }],
  },
  {
    name: 'case difference (emailaddress)',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailaddress' }),
    findings: [
      { key: 'nearMiss', fix: NEAR_MISS_FIX, severity: 'error', messageHas: ['"emailaddress" instead of "emailAddress" (upper/lower case)'], evidence: [fmt('urn:oasis:names:tc:SAML:1.1:nameid-format:emailaddress')] },
    ],
  },
  {
    name: 'several mistakes at once',
    response: signedResponse({ nameIdFormat: 'urn:oasis:name:tc:saml:2.0:nameid-format:emailAddress' }),
    findings: [
      {
        key: 'nearMiss', fix: NEAR_MISS_FIX,
        severity: 'error',
        messageHas: ['"name" instead of "names"', '"saml" instead of "SAML" (upper/lower case)', 'SAML:2.0 instead of SAML:1.1'],
        evidence: [fmt('urn:oasis:name:tc:saml:2.0:nameid-format:emailAddress')],
      },
    ],
  },
  {
    name: 'trailing space in the Format',
    response: signedResponse({ nameIdFormat: `${URN.email} ` }),
    findings: [{ key: 'nearMiss', fix: NEAR_MISS_FIX, severity: 'error', messageHas: ['whitespace around it (a trailing space)'], evidence: [fmt(`${URN.email} `)] }],
  },
  {
    name: 'misspelt emailAdress',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAdress' }),
    findings: [{ key: 'nearMiss', fix: NEAR_MISS_FIX, severity: 'error', messageHas: ['"emailAdress" instead of "emailAddress"'], evidence: [fmt('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAdress')] }],
  },
  {
    name: 'version part left out',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:nameid-format:emailAddress' }),
    findings: [{ key: 'nearMiss', fix: NEAR_MISS_FIX, severity: 'error', messageHas: ['missing "1.1"'], evidence: [fmt('urn:oasis:names:tc:SAML:nameid-format:emailAddress')] }],
  },
  {
    name: 'unspecified, IdP-initiated',
    response: signedResponse({ nameIdFormat: URN.unspecified }),
    findings: [{ key: 'other', fix: FORMAT_FIX, severity: 'error', messageHas: ['unspecified'], evidence: [fmt(URN.unspecified)] }],
  },
  {
    name: 'persistent where the request asked for emailAddress (Entra fallback: the source attribute gave nothing)',
    ...sp({ nameIdFormat: URN.persistent, nameId: 'Xk3pQ9zT0aB7cD1eF2gH3iJ4kL5mN6oP7qR8sT9uV0w' }),
    findings: [
      {
        key: 'notRequested',
        severity: 'error',
        messageHas: [URN.persistent, 'persistent pairwise identifier'],
        fix: `${NAMEID} → Source attribute: use an attribute that has a value for every user (user.userprincipalname for members), then check ${PICK_EMAIL}.`,
        evidence: [fmt(URN.persistent), { label: "AuthnRequest NameIDPolicy Format (the request's)", actual: URN.email, path: '/AuthnRequest/NameIDPolicy' }],
      },
    ],
  },
  {
    name: 'unspecified where the request asked for emailAddress',
    ...sp({ nameIdFormat: URN.unspecified }),
    findings: [{ key: 'notRequested', fix: FORMAT_FIX, severity: 'error', messageHas: [`The AuthnRequest asked for NameID format ${URN.email}, and Entra uses the requested format when it can, but this response has ${URN.unspecified} instead.`], evidence: [fmt(URN.unspecified), { actual: URN.email }] }],
  },
  {
    name: 'transient, IdP-initiated: the opaque value is not reported again',
    response: signedResponse({ nameIdFormat: URN.transient, nameId: '_a1b2c3d4e5f6a7b8c9d0' }),
    findings: [{ key: 'other', fix: FORMAT_FIX, severity: 'error', messageHas: ['transient'], evidence: [fmt(URN.transient)] }],
  },
  {
    name: 'Windows domain qualified name with a DOMAIN\\user value',
    response: signedResponse({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName', nameId: 'CONTOSO\\alex' }),
    findings: [
      { key: 'other', fix: FORMAT_FIX, severity: 'error', messageHas: ['Windows domain qualified name'], evidence: [fmt('urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName')] },
      { key: 'notAddrSpec', fix: VALUE_FIX, severity: 'error', messageHas: ['DOMAIN\\user'], evidence: [{ label: 'NameID', actual: 'CONTOSO\\alex', path: NID }] },
    ],
  },
  {
    name: 'an unknown format URI',
    response: signedResponse({ nameIdFormat: 'http://schemas.xmlsoap.org/claims/UPN' }),
    findings: [{ key: 'unknown', fix: FORMAT_FIX, severity: 'error', messageHas: ['http://schemas.xmlsoap.org/claims/UPN'], evidence: [fmt('http://schemas.xmlsoap.org/claims/UPN')] }],
  },
  {
    name: 'request asked for persistent, response has emailAddress',
    ...sp({}, URN.persistent),
    findings: [{ key: 'differsFromRequest', fix: `Start the sign-in from Identity Center (its AuthnRequests ask for ${URN.email}), and keep ${PICK_EMAIL}.`, severity: 'warning', messageHas: [URN.persistent], evidence: [{ expected: URN.persistent, actual: URN.email, path: NID }] }],
  },
  {
    name: 'a bare user name as value',
    response: signedResponse({ nameId: 'alex.morgan' }),
    findings: [{ key: 'notAddrSpec', fix: VALUE_FIX, severity: 'error', messageHas: ['no @'], evidence: [{ label: 'NameID', expected: 'name@domain (RFC 2822 addr-spec)', actual: 'alex.morgan', path: NID }] }],
  },
  {
    name: 'an object id as value (user.objectid)',
    response: signedResponse({ nameId: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f' }),
    findings: [{ key: 'notAddrSpec', fix: VALUE_FIX, severity: 'error', messageHas: ['object ID'], evidence: [{ actual: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f' }] }],
  },
  {
    name: 'a space inside the address',
    response: signedResponse({ nameId: 'alex morgan@contoso.com' }),
    findings: [{ key: 'notAddrSpec', fix: VALUE_FIX, severity: 'error', messageHas: ['whitespace'], evidence: [{ actual: 'alex morgan@contoso.com' }] }],
  },
  {
    name: 'two @',
    response: signedResponse({ nameId: `alex@${LAB.user}` }),
    findings: [{ key: 'notAddrSpec', fix: VALUE_FIX, severity: 'error', messageHas: ['more than one @'], evidence: [{ actual: `alex@${LAB.user}` }] }],
  },
];

describe(`${ID}: the request's NameIDPolicy`, () => {
  it('a NameIDPolicy without a Format adds no request evidence', () => {
    const req = makeAuthnRequest({ id: reqId }).replace(/<saml2p:NameIDPolicy [^>]*\/>/, '<saml2p:NameIDPolicy AllowCreate="true"/>');
    const [f] = findingsFor({ name: 'no policy format', request: req, response: signedResponse({ inResponseTo: reqId, nameIdFormat: URN.unspecified }) }, ID);
    expect(f?.messageKey).toBe('other');
    expect(f?.evidence).toEqual([{ label: 'NameID Format', expected: URN.email, actual: URN.unspecified, path: NID, source: 'required by IAM Identity Center' }]);
  });
  it('a requested Format of unspecified with spaces around it asks for nothing in particular', () => {
    expect(findingsFor({ name: 'spaced', ...sp({}, ` ${URN.unspecified} `) }, ID)).toEqual([]);
  });
  it('the evidence of a response that differs from its request names both, word for word', () => {
    const [f] = findingsFor({ name: 'differs', ...sp({}, URN.persistent) }, ID);
    expect(f?.evidence).toEqual([
      { label: 'NameID Format', expected: URN.persistent, actual: URN.email, path: NID, source: "the AuthnRequest's NameIDPolicy" },
      { label: "AuthnRequest NameIDPolicy Format (the request's)", actual: URN.persistent, path: '/AuthnRequest/NameIDPolicy', source: 'the captured AuthnRequest' },
    ]);
  });
  it('an empty Format is named "(empty)"', () => {
    const [f] = findingsFor({ name: 'empty format', response: signedResponse({ nameIdFormat: '' }) }, ID);
    expect(f?.message).toBe(`The NameID Format (empty) is not a SAML NameID format Identity Center accepts; it needs exactly ${URN.email}.`);
  });
  it('a near miss lists every problem in the message, in order', () => {
    const [f] = findingsFor({ name: 'near', response: signedResponse({ nameIdFormat: 'urn:oasis:name:tc:SAML:2.0:nameid-format:emailAddress' }) }, ID);
    expect(f?.message).toBe(
      `The NameID Format urn:oasis:name:tc:SAML:2.0:nameid-format:emailAddress is close to the email-address format but not it: "name" instead of "names" (urn:oasis:name:tc…, the typo printed on AWS's troubleshooting page); SAML:2.0 instead of SAML:1.1 (the email-address format is defined in SAML 1.1, not 2.0). Identity Center needs exactly ${URN.email}.`,
    );
  });
});

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual(c.findings.map((e) => [e.key, e.severity]));
      c.findings.forEach((e, i) => {
        const f = found[i]!;
        expectWellFormed(f);
        expect(f.fix, `${e.key}: the fix`).toBe(e.fix);
        expectMessageAndEvidence(f, e);
      });
    });
  }
});

describe(`${ID}: the words it uses`, () => {
  it('names each way a Format misses the email-address URN', () => {
    expect(nearMissProblems(` ${URN.email}`)).toEqual(['whitespace around it (a leading space)']);
    expect(nearMissProblems(`${URN.email}\t`)).toEqual(['whitespace around it (a trailing tab)']);
    expect(nearMissProblems('urn:oasis:names:tc:SAML:1.1:nameid-format:email')).toEqual(['"email" instead of "emailAddress"']);
    expect(nearMissProblems('URN:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')).toEqual(['"URN" instead of "urn" (upper/lower case)']);
    expect(nearMissProblems('urn:oasis:names:tc:SAML:1.0:nameid-format:emailAddress')).toEqual(['SAML:1.0 instead of SAML:1.1']);
    expect(nearMissProblems('urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress')).toEqual([
      'SAML:2.0 instead of SAML:1.1 (the email-address format is defined in SAML 1.1, not 2.0)',
    ]);
    expect(nearMissProblems('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress:x')).toEqual(['unexpected "x"', '9 colon-separated parts instead of 8']);
    expect(nearMissProblems('oasis:names:tc:SAML:1.1:nameid-format:mail')).toEqual([
      'missing "urn", "emailAddress"',
      'unexpected "mail"',
      '7 colon-separated parts instead of 8',
    ]);
    // Called only on a near miss; the URN itself has nothing to name but that.
    expect(nearMissProblems(URN.email)).toEqual(['it is not written exactly as the URN']);
  });

  it('tells a near miss (email, mail, two edits from emailAddress) from another format and from no format', () => {
    expect(classifyFormat(undefined)).toEqual({ kind: 'absent' });
    expect(classifyFormat(URN.email)).toEqual({ kind: 'ok' });
    expect(classifyFormat('urn:x:mail').kind).toBe('nearMiss');
    expect(classifyFormat('urn:x:email').kind).toBe('nearMiss');
    expect(classifyFormat('urn:x:emailAdres').kind).toBe('nearMiss');
    // Three edits away, and a one-letter name: not the email-address format misspelt.
    expect(classifyFormat('urn:x:emailaddr')).toEqual({ kind: 'unknown' });
    expect(classifyFormat('urn:x:e')).toEqual({ kind: 'unknown' });
    expect(classifyFormat('x:')).toEqual({ kind: 'unknown' });
    expect(classifyFormat(' urn:x:Transient ')).toEqual({ kind: 'other', key: 'transient', label: 'transient (a one-time identifier)' });
    expect(classifyFormat(`${URN.email}:x`)).toEqual({ kind: 'unknown' });
  });

  it('describes another Format for the findings that name it (nameid-missing)', () => {
    expect(describeOtherFormat(URN.email)).toBeUndefined();
    expect(describeOtherFormat(undefined)).toBe(`absent, which SAML reads as unspecified (${URN.unspecified})`);
    expect(describeOtherFormat('')).toBe('empty');
    expect(describeOtherFormat('foo')).toBe('foo, not a SAML NameID format');
    expect(describeOtherFormat(URN.persistent)).toBe(`persistent (an opaque pairwise identifier) (${URN.persistent})`);
    expect(describeOtherFormat('urn:oasis:names:tc:SAML:2.0:nameid-format:entity')).toBe(
      'entity (an identifier for a provider, not a user) (urn:oasis:names:tc:SAML:2.0:nameid-format:entity)',
    );
    expect(describeOtherFormat('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAdres')).toBe(
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAdres, close to the email-address format but not it ("emailAdres" instead of "emailAddress")',
    );
  });

  it('says why a value is not name@domain', () => {
    const why: [string, string][] = [
      ['alex', 'it has no @ (it looks like a bare user name)'],
      ['5C8A3E1F-2B4D-4F6A-8E9C-0A1B2C3D4E5F', 'it has no @ and looks like an object ID (user.objectid)'],
      ['5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5', 'it has no @ and looks like an opaque identifier'],
      ['CONTOSO\\alex', 'it has no @ and looks like a Windows DOMAIN\\user name'],
      ['a\\b\\c', 'it has no @ (it looks like a bare user name)'],
      ['Xk3pQ9zT0aB7cD1eF2gH3iJ4kL5mN6oP7qR8sT9uV0w==', 'it has no @ and looks like an opaque identifier'],
      ['Xk3pQ9zT0aB7cD1eF2gH', 'it has no @ and looks like an opaque identifier'],
      ['Xk3pQ9zT0aB7cD1eF2g', 'it has no @ (it looks like a bare user name)'],
      ['a b@c.com', 'it contains whitespace'],
      ['a@b\tc', 'it contains whitespace'],
      ['a@b@c.com', 'it has more than one @'],
      ['@c.com', 'nothing comes before the @'],
      ['a@', 'nothing comes after the @'],
      ['a..b@c.com', 'it has a misplaced dot (two in a row, or next to the @ or at the start)'],
      ['.a@c.com', 'it has a misplaced dot (two in a row, or next to the @ or at the start)'],
      ['a.@c.com', 'it has a misplaced dot (two in a row, or next to the @ or at the start)'],
      ['a@.c.com', 'it has a misplaced dot (two in a row, or next to the @ or at the start)'],
      ['a(b)@c.com', 'it contains characters an address does not allow'],
      // The shapes are matched whole, not somewhere inside the value.
      ['x5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f', 'it has no @ and looks like an opaque identifier'],
      ['5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f.', 'it has no @ (it looks like a bare user name)'],
      ['.Xk3pQ9zT0aB7cD1eF2gH', 'it has no @ (it looks like a bare user name)'],
      ['Xk3pQ9zT0aB7cD1eF2gH.', 'it has no @ (it looks like a bare user name)'],
      ['Xk3pQ9zT0aB7cD1eF2gH=', 'it has no @ and looks like an opaque identifier'],
      ['Xk3pQ9zT0aB7cD1eF2gH===', 'it has no @ (it looks like a bare user name)'],
      // A quoted local part may hold an @ (RFC 2822); one more after the domain may not.
      ['"a@b"@c.com', 'it contains characters an address does not allow'],
      ['"a@b"@c@d', 'it has more than one @'],
      ['x"a@b"@c.com', 'it has more than one @'],
    ];
    for (const [v, reason] of why) expect(whyNotAddrSpec(v), v).toBe(reason);
  });
});
