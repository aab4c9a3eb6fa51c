import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { CLAIM, LAB, makeAuthnRequest, samlId, signedResponse } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';

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
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string[];
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
    messageHas: ['a.morgan@contoso.com', '(configured)'],
    evidence: [{ label: 'NameID', expected: 'a.morgan@contoso.com', actual: LAB.user, path: NID, source: 'configured' }],
  },
  {
    name: 'configured user name differs only in case (matching case-sensitivity undocumented)',
    response: signedResponse({ nameId: 'Alex.Morgan@contoso.com' }),
    expectations: { expectedUsername: LAB.user },
    key: 'caseOnly',
    severity: 'warning',
    messageHas: ['only in upper/lower case'],
    evidence: [{ expected: LAB.user, actual: 'Alex.Morgan@contoso.com', source: 'configured' }],
  },
  {
    name: 'user name source UPN, NameID is the mail',
    response: signedResponse({ nameId: 'alex@contoso-mail.com', email: 'alex@contoso-mail.com', upn: LAB.user }),
    expectations: { usernameSource: 'upn' },
    key: 'differs',
    severity: 'error',
    evidence: [{ expected: LAB.user, actual: 'alex@contoso-mail.com', path: NID }],
  },
  {
    name: 'leading and trailing spaces',
    response: signedResponse({ nameId: ' alex.morgan@contoso.com ' }),
    key: 'whitespace',
    severity: 'error',
    messageHas: ['a leading space and a trailing space', '"alex.morgan@contoso.com"'],
    evidence: [{ label: 'NameID (as written)', expected: LAB.user, actual: ' alex.morgan@contoso.com ', path: NID }],
  },
  {
    name: 'trailing tab, even when the trimmed value is the configured user name',
    response: signedResponse({ nameId: 'alex.morgan@contoso.com\t' }),
    expectations: { expectedUsername: LAB.user },
    key: 'whitespace',
    severity: 'error',
    messageHas: ['a trailing tab'],
    evidence: [{ expected: LAB.user, actual: 'alex.morgan@contoso.com\t' }],
  },
  {
    name: 'pasted, reformatted XML with line breaks inside NameID',
    response: pastedXml,
    capture: { raw: pastedXml, binding: undefined },
    key: 'whitespaceReformatted',
    severity: 'warning',
    messageHas: ['reformatted'],
    evidence: [{ expected: LAB.user, actual: '\n      alex.morgan@contoso.com\n    ' }],
  },
  {
    name: 'NameID is the mail while the UPN differs',
    response: signedResponse({ nameId: 'alex.morgan@contoso.com', email: 'alex.morgan@contoso.com', upn: 'amorgan@contoso.onmicrosoft.com' }),
    key: 'emailNotUpn',
    severity: 'warning',
    messageHas: ['amorgan@contoso.onmicrosoft.com', 'exactly alex.morgan@contoso.com', 'they are different values'],
    evidence: [
      { label: 'NameID', expected: 'amorgan@contoso.onmicrosoft.com', actual: 'alex.morgan@contoso.com', path: NID },
      { label: `UPN claim (${CLAIM.name})`, actual: 'amorgan@contoso.onmicrosoft.com' },
      { label: `email claim (${CLAIM.email})`, actual: 'alex.morgan@contoso.com' },
    ],
  },
  {
    name: 'NameID is the mail, differing from the UPN only in case',
    response: signedResponse({ nameId: 'Alex.Morgan@contoso.com', email: 'Alex.Morgan@contoso.com', upn: LAB.user }),
    key: 'emailNotUpn',
    severity: 'warning',
    messageHas: ['differ only in upper/lower case'],
    evidence: [{ expected: LAB.user, actual: 'Alex.Morgan@contoso.com' }],
  },
  {
    name: 'guest: NameID is a mail that is not what provisioning derives from the #EXT# UPN',
    response: signedResponse({ nameId: 'alex.m@fabrikam.com', email: 'alex.m@fabrikam.com', upn: GUEST_UPN }),
    key: 'guestNotProvisionedName',
    severity: 'warning',
    messageHas: ['alex@fabrikam.com', 'exactly alex.m@fabrikam.com'],
    evidence: [{ label: 'NameID', expected: 'alex@fabrikam.com', actual: 'alex.m@fabrikam.com', path: NID }, { actual: GUEST_UPN }],
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
      expectMessageAndEvidence(f, c);
    });
  }
});
