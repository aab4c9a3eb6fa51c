import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { CLAIM, LAB, makeAuthnRequest, samlId, signedResponse } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';
import { AWS_USERS, ENTRA_NAMEID_SOURCE, ENTRA_PROVISIONING_USER_MAPPINGS } from '../../lib/checks/fixes.ts';

// The fixes word for word.
const FIX_WHITESPACE = `Remove the whitespace from the attribute Entra reads for this user (${ENTRA_NAMEID_SOURCE}; e.g. the user's mail or an extension attribute), or pick an attribute without it such as user.userprincipalname.`;
const FIX_USER_NAME = `Compare with the user name in ${AWS_USERS} (not the email address). Either change ${ENTRA_NAMEID_SOURCE} so it yields that user name for every user (user.userprincipalname when users are provisioned from Entra), or fix the Identity Center user name.`;
const fixEmailNotUpn = (upn: string, nameId: string) =>
  `Look the user up in ${AWS_USERS}. If its user name is ${upn}, set ${ENTRA_NAMEID_SOURCE} to user.userprincipalname (AWS's recommendation for members). If it is ${nameId}, nothing needs to change; set the expected Identity Center user name in samlscope's options to check it exactly.`;
const RULE = 'Identity Center matches the NameID exactly against the user name (not the email address)';

const ID = 'nameid-mismatch';
const NID = '/Response/Assertion/Subject/NameID';
const reqId = samlId();
const GUEST_UPN = 'alex_fabrikam.com#EXT#@contoso.onmicrosoft.com';

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'configured user name equals the NameID', response: signedResponse(), expectations: { expectedUsername: LAB.user } },
  { name: 'NameID is the UPN while the mail differs (the AWS recommendation)', response: signedResponse({ email: 'alex@contoso-mail.com' }) },
  {
    name: 'NameID from another attribute, equal to neither claim: no guess',
    response: signedResponse({ nameId: 'amorgan@contoso.com', upn: LAB.user, email: LAB.user }),
  },
  { name: 'no claims to compare with', response: signedResponse({ nameId: 'alex.m@contoso.com', defaultClaims: false }) },
  {
    name: 'guest: NameID is the mail, equal to what provisioning derives from the #EXT# UPN',
    response: signedResponse({ nameId: 'alex@fabrikam.com', email: 'alex@fabrikam.com', upn: GUEST_UPN }),
  },
  { name: 'user name source UPN, NameID is the UPN', response: signedResponse({ email: 'alex@contoso-mail.com' }), expectations: { usernameSource: 'upn' } },
  { name: 'empty NameID (nameid-missing explains it)', response: signedResponse({ nameId: '' }) },
  { name: 'empty NameID with a user name configured (nameid-missing explains it)', response: signedResponse({ nameId: '' }), expectations: { expectedUsername: LAB.user } },
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  message?: string;
  messageHas?: string[];
  fix: string;
  evidence: Partial<Evidence>[];
}

const pastedXml = signedResponse({ nameIdRawContent: '\n      alex.morgan@contoso.com\n    ', upn: LAB.user });

const fail: Fail[] = [
  {
    name: 'configured user name differs',
    response: signedResponse(),
    expectations: { expectedUsername: 'a.morgan@contoso.com' },
    key: 'differs',
    severity: 'error',
    message: `The NameID ${LAB.user} is not the expected Identity Center user name a.morgan@contoso.com (configured). ${RULE}, so the sign-in fails.`,
    fix: FIX_USER_NAME,
    evidence: [{ label: 'NameID', expected: 'a.morgan@contoso.com', actual: LAB.user, path: NID, source: 'configured' }],
  },
  {
    name: 'configured user name differs only in case (matching case-sensitivity undocumented)',
    response: signedResponse({ nameId: 'Alex.Morgan@contoso.com' }),
    expectations: { expectedUsername: LAB.user },
    key: 'caseOnly',
    severity: 'warning',
    message: `The NameID Alex.Morgan@contoso.com differs from the expected Identity Center user name ${LAB.user} (configured) only in upper/lower case. AWS does not document whether this match is case-sensitive (its SCIM schema marks userName as not case-exact); if the sign-in fails, make them identical.`,
    fix: FIX_USER_NAME,
    evidence: [{ expected: LAB.user, actual: 'Alex.Morgan@contoso.com', source: 'configured' }],
  },
  {
    name: 'user name source UPN, NameID is the mail',
    response: signedResponse({ nameId: 'alex@contoso-mail.com', email: 'alex@contoso-mail.com', upn: LAB.user }),
    expectations: { usernameSource: 'upn' },
    key: 'differs',
    severity: 'error',
    fix: FIX_USER_NAME,
    evidence: [{ expected: LAB.user, actual: 'alex@contoso-mail.com', path: NID }],
  },
  {
    name: 'leading and trailing spaces',
    response: signedResponse({ nameId: ' alex.morgan@contoso.com ' }),
    key: 'whitespace',
    severity: 'error',
    message: `The NameID value has a leading space and a trailing space. ${RULE}, so "alex.morgan@contoso.com" with extra whitespace matches no user.`,
    fix: FIX_WHITESPACE,
    evidence: [{ label: 'NameID (as written)', expected: LAB.user, actual: ' alex.morgan@contoso.com ', path: NID }],
  },
  {
    name: 'trailing tab, even when the trimmed value is the configured user name',
    response: signedResponse({ nameId: 'alex.morgan@contoso.com\t' }),
    expectations: { expectedUsername: LAB.user },
    key: 'whitespace',
    severity: 'error',
    messageHas: ['a trailing tab'],
    fix: FIX_WHITESPACE,
    evidence: [{ label: 'NameID (as written)', expected: LAB.user, actual: 'alex.morgan@contoso.com\t', path: NID, source: 'the NameID without the whitespace' }],
  },
  {
    name: 'pasted, reformatted XML with line breaks inside NameID',
    response: pastedXml,
    capture: { raw: pastedXml, binding: undefined },
    key: 'whitespaceReformatted',
    severity: 'warning',
    message: `The NameID value has a leading line break and 6 leading spaces and a trailing line break and 4 trailing spaces. This pasted XML may have been reformatted (line breaks inside NameID); if the original message has them too, ${RULE} and it matches no user.`,
    fix: FIX_WHITESPACE,
    evidence: [{ expected: LAB.user, actual: '\n      alex.morgan@contoso.com\n    ' }],
  },
  {
    name: 'pasted XML with spaces only around the NameID: not a reformatting, an error',
    response: signedResponse({ nameIdRawContent: '  alex.morgan@contoso.com ', upn: LAB.user }),
    capture: { raw: signedResponse({ nameIdRawContent: '  alex.morgan@contoso.com ', upn: LAB.user }), binding: undefined },
    key: 'whitespace',
    severity: 'error',
    messageHas: ['The NameID value has 2 leading spaces and a trailing space.'],
    fix: FIX_WHITESPACE,
    evidence: [{ actual: '  alex.morgan@contoso.com ' }],
  },
  {
    name: 'line breaks around the NameID of a posted message: an error (a captured POST is not reformatted)',
    response: signedResponse({ nameIdRawContent: '\nalex.morgan@contoso.com\n' }),
    key: 'whitespace',
    severity: 'error',
    messageHas: ['The NameID value has a leading line break and a trailing line break.'],
    fix: FIX_WHITESPACE,
    evidence: [{ actual: '\nalex.morgan@contoso.com\n' }],
  },
  {
    name: 'NameID is the mail while the UPN differs',
    response: signedResponse({ nameId: 'alex.morgan@contoso.com', email: 'alex.morgan@contoso.com', upn: 'amorgan@contoso.onmicrosoft.com' }),
    key: 'emailNotUpn',
    severity: 'warning',
    message: `The NameID alex.morgan@contoso.com is the email claim, while the user principal name is amorgan@contoso.onmicrosoft.com (they are different values). ${RULE}, and users provisioned by Entra usually get their UPN as user name: this sign-in works only if this user's Identity Center user name is exactly alex.morgan@contoso.com.`,
    fix: fixEmailNotUpn('amorgan@contoso.onmicrosoft.com', 'alex.morgan@contoso.com'),
    evidence: [
      { label: 'NameID', expected: 'amorgan@contoso.onmicrosoft.com', actual: 'alex.morgan@contoso.com', path: NID, source: `the UPN claim (${CLAIM.name}), the usual Identity Center user name` },
      { label: `UPN claim (${CLAIM.name})`, actual: 'amorgan@contoso.onmicrosoft.com' },
      { label: `email claim (${CLAIM.email})`, actual: 'alex.morgan@contoso.com' },
    ],
  },
  {
    name: 'NameID is the mail, differing from the UPN only in case',
    response: signedResponse({ nameId: 'Alex.Morgan@contoso.com', email: 'Alex.Morgan@contoso.com', upn: LAB.user }),
    key: 'emailNotUpn',
    severity: 'warning',
    messageHas: ['(they differ only in upper/lower case)'],
    fix: fixEmailNotUpn(LAB.user, 'Alex.Morgan@contoso.com'),
    evidence: [{ expected: LAB.user, actual: 'Alex.Morgan@contoso.com' }],
  },
  {
    name: 'guest: NameID is a mail that is not what provisioning derives from the #EXT# UPN',
    response: signedResponse({ nameId: 'alex.m@fabrikam.com', email: 'alex.m@fabrikam.com', upn: GUEST_UPN }),
    key: 'guestNotProvisionedName',
    severity: 'warning',
    message: `The NameID alex.m@fabrikam.com is this guest's email, while Entra provisioning sends the guest UPN ${GUEST_UPN} as the user name alex@fabrikam.com (they are different values). ${RULE}: this sign-in works only if the guest's Identity Center user name is exactly alex.m@fabrikam.com.`,
    fix: `Check the guest in ${AWS_USERS}: its user name must be exactly alex.m@fabrikam.com. If it is alex@fabrikam.com, change that user name or the userName mapping in ${ENTRA_PROVISIONING_USER_MAPPINGS}, so that both sides use the guest's mail.`,
    evidence: [
      {
        label: 'NameID',
        expected: 'alex@fabrikam.com',
        actual: 'alex.m@fabrikam.com',
        path: NID,
        source: 'the user name Entra provisioning derives from the guest UPN (#EXT# and the domain removed)',
      },
      { label: `email claim (${CLAIM.email})`, actual: 'alex.m@fabrikam.com' },
      { label: `UPN claim (${CLAIM.name})`, actual: GUEST_UPN },
    ],
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
      expect(f.fix, 'the fix').toBe(c.fix);
      if (c.message !== undefined) expect(f.message).toBe(c.message);
      expectMessageAndEvidence(f, c);
    });
  }
});
