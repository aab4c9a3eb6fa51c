import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { CLAIM, makeAuthnRequest, samlId, signedResponse } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable } from './harness.ts';

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
      expect(f.fix).toContain('Claim conditions');
      expect(f.fix).toContain('user.mail');
      expectMessageAndEvidence(f, c);
    });
  }
});
