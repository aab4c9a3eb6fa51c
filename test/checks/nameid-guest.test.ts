import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { CLAIM, makeAuthnRequest, samlId, signedResponse } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';
import { AWS_USERS, ENTRA_NAMEID_CONDITIONS, ENTRA_NAMEID_FORMAT } from '../../lib/checks/fixes.ts';

// The fix word for word.
const FIX =
  `${ENTRA_NAMEID_CONDITIONS}: add a condition for User type "Members" with source attribute user.userprincipalname and one for ` +
  `"All guests" with source attribute user.mail, as AWS recommends for guests; keep ${ENTRA_NAMEID_FORMAT}. ` +
  `The guest's user name in ${AWS_USERS} must then be exactly that mail address.`;

const ID = 'nameid-guest';
const NID = '/Response/Assertion/Subject/NameID';
const reqId = samlId();
const GUEST_UPN = 'alex_fabrikam.com#EXT#@contoso.onmicrosoft.com';

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'guest signed in with user.mail as NameID (the AWS recommendation)', response: signedResponse({ nameId: 'alex@fabrikam.com', upn: GUEST_UPN, email: 'alex@fabrikam.com' }) },
  { name: '"ext" without the hashes is no guest marker', response: signedResponse({ nameId: 'alex.ext@contoso.com' }) },
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'guest UPN as NameID, the mail claim present',
    response: signedResponse({ nameId: GUEST_UPN, email: 'alex@fabrikam.com' }),
    key: 'guest',
    severity: 'error',
    messageHas: [GUEST_UPN, 'alex@fabrikam.com'],
    evidence: [
      { label: 'NameID', expected: 'alex@fabrikam.com', actual: GUEST_UPN, path: NID, source: `the email claim (${CLAIM.email}), what user.mail as NameID would send` },
      { label: `email claim (${CLAIM.email})`, actual: 'alex@fabrikam.com', path: '/Response/Assertion/AttributeStatement/Attribute[6]/AttributeValue' },
    ],
  },
  {
    name: 'guest UPN, SP-initiated',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, nameId: GUEST_UPN, email: 'alex@fabrikam.com' }),
    key: 'guest',
    severity: 'error',
    evidence: [{ expected: 'alex@fabrikam.com', actual: GUEST_UPN }],
  },
  {
    name: 'lower-case #ext# marker',
    response: signedResponse({ nameId: 'alex_fabrikam.com#ext#@contoso.onmicrosoft.com', email: 'alex@fabrikam.com' }),
    key: 'guest',
    severity: 'error',
    evidence: [{ actual: 'alex_fabrikam.com#ext#@contoso.onmicrosoft.com' }],
  },
  {
    name: 'guest UPN and no email claim',
    response: signedResponse({ nameId: GUEST_UPN, defaultClaims: false }),
    key: 'guestNoMail',
    severity: 'error',
    messageHas: ['no usable email claim'],
    evidence: [{ label: 'NameID', expected: "the guest's email address (user.mail)", actual: GUEST_UPN, path: NID, source: "AWS's recommendation for guests: user.mail" }],
  },
  {
    name: 'guest UPN, the email claim is the UPN too',
    response: signedResponse({ nameId: GUEST_UPN, email: GUEST_UPN }),
    key: 'guestNoMail',
    severity: 'error',
    evidence: [{ actual: GUEST_UPN }, { label: `email claim (${CLAIM.email})`, actual: GUEST_UPN }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual([[c.key, c.severity]]);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.fix, 'the fix').toBe(FIX);
      expectMessageAndEvidence(f, c);
    });
  }
});

describe(`${ID}: the messages word for word`, () => {
  it('names the mail to send instead, from the email claim', () => {
    const [f] = findingsFor({ name: 'guest', response: signedResponse({ nameId: GUEST_UPN, email: 'alex@fabrikam.com' }) }, ID);
    expect(f?.message).toBe(
      `The NameID ${GUEST_UPN} is a guest user principal name (#EXT# form), which Identity Center does not expect. AWS recommends the guest's email (user.mail) as NameID for guests; here that would be alex@fabrikam.com.`,
    );
    expect(f?.evidence[0]).toEqual({
      label: 'NameID',
      expected: 'alex@fabrikam.com',
      actual: GUEST_UPN,
      path: NID,
      source: `the email claim (${CLAIM.email}), what user.mail as NameID would send`,
    });
  });
  it('an email claim that is itself the guest UPN is no mail to use', () => {
    const [f] = findingsFor({ name: 'guest', response: signedResponse({ nameId: GUEST_UPN, email: GUEST_UPN }) }, ID);
    expect(f?.messageKey).toBe('guestNoMail');
    expect(f?.message).toBe(
      `The NameID ${GUEST_UPN} is a guest user principal name (#EXT# form), which Identity Center does not expect. AWS recommends the guest's email (user.mail) as NameID for guests, but this response carries no usable email claim: check that the guest has a mail value in Entra.`,
    );
    expect(f?.evidence).toEqual([
      { label: 'NameID', expected: "the guest's email address (user.mail)", actual: GUEST_UPN, path: NID, source: "AWS's recommendation for guests: user.mail" },
      { label: `email claim (${CLAIM.email})`, actual: GUEST_UPN, path: expect.stringContaining('/AttributeValue') },
    ]);
  });
});
