import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

const ID = 'audience-mismatch';
const AUD_PATH = '/Response/Assertion/Conditions/AudienceRestriction/Audience';
const reqId = samlId();
/** SP-initiated: the AuthnRequest's Issuer is the expected audience. */
const sp = (audience: string | string[] | null) => ({
  request: makeAuthnRequest({ id: reqId }),
  response: signedResponse({ inResponseTo: reqId, audience }),
});
const otherStore = LAB.spEntityId.replace(LAB.identityStoreId, 'd-0123456789');
const otherRegion = LAB.spEntityId.replace(LAB.region, 'us-east-1');

const pass: Case[] = [
  { ...sp(LAB.spEntityId), name: 'clean signed Entra response, SP-initiated (Audience = the AuthnRequest Issuer)' },
  { name: 'clean signed Entra response, IdP-initiated, entity ID configured', response: signedResponse(), expectations: { spEntityId: LAB.spEntityId } },
  { ...sp(['https://example.com/other', LAB.spEntityId]), name: 'several audiences, one of them right' },
  { ...sp('https://signin.aws.amazon.com/saml'), name: 'IAM federation audience (iam-federation-mixup explains it)' },
  { name: 'IAM federation audience, nothing configured', response: signedResponse({ audience: 'urn:amazon:webservices' }) },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.responder } }) },
];

interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string;
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'configured entity ID, another identity store id',
    response: signedResponse({ audience: otherStore }),
    expectations: { spEntityId: LAB.spEntityId },
    key: 'differs',
    severity: 'error',
    messageHas: 'another identity store or tenant id (d-0123456789 instead of d-93670a1b2c)',
    evidence: [{ label: 'Audience', expected: LAB.spEntityId, actual: otherStore, path: AUD_PATH, source: 'configured' }],
  },
  {
    name: 'configured entity ID overrides the AuthnRequest Issuer',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId }),
    expectations: { spEntityId: otherStore },
    key: 'differs',
    severity: 'error',
    messageHas: '(configured)',
    evidence: [{ expected: otherStore, actual: LAB.spEntityId, source: 'configured' }],
  },
  {
    name: 'trailing slash (Identifier typed with a slash in Entra)',
    ...sp(`${LAB.spEntityId}/`),
    key: 'differs',
    severity: 'error',
    messageHas: 'the actual value has a trailing slash',
    evidence: [{ expected: LAB.spEntityId, actual: `${LAB.spEntityId}/`, path: AUD_PATH, source: "the AuthnRequest's Issuer" }],
  },
  {
    name: 'http instead of https',
    ...sp(LAB.spEntityId.replace('https:', 'http:')),
    key: 'differs',
    severity: 'error',
    messageHas: 'the scheme differs (http instead of https)',
    evidence: [{ expected: LAB.spEntityId, actual: LAB.spEntityId.replace('https:', 'http:') }],
  },
  {
    name: 'another region',
    ...sp(otherRegion),
    key: 'differs',
    severity: 'error',
    messageHas: 'another AWS region (us-east-1 instead of eu-west-1)',
    evidence: [{ expected: LAB.spEntityId, actual: otherRegion }],
  },
  {
    name: 'another identity store id, SP-initiated',
    ...sp(otherStore),
    key: 'differs',
    severity: 'error',
    messageHas: 'd-0123456789 instead of d-93670a1b2c',
    evidence: [{ expected: LAB.spEntityId, actual: otherStore }],
  },
  {
    name: 'no AudienceRestriction at all',
    ...sp(null),
    key: 'missing',
    severity: 'error',
    evidence: [{ label: 'Audience', expected: LAB.spEntityId, actual: '(none)', path: '/Response/Assertion/Conditions', source: "the AuthnRequest's Issuer" }],
  },
  {
    name: 'no audience, nothing to compare with',
    response: signedResponse({ audience: null }),
    key: 'missing',
    severity: 'error',
    evidence: [{ expected: 'the Identity Center issuer URL', actual: '(none)' }],
  },
  {
    name: 'an empty Audience element counts as missing',
    ...sp(''),
    key: 'missing',
    severity: 'error',
    evidence: [{ expected: LAB.spEntityId, actual: '(none)' }],
  },
  {
    name: 'IdP-initiated, nothing configured: undecided',
    response: signedResponse(),
    key: 'undecided',
    severity: 'info',
    messageHas: LAB.spEntityId,
    evidence: [{ label: 'Audience', actual: LAB.spEntityId, path: AUD_PATH }],
  },
  {
    name: 'IdP-initiated, nothing configured, odd shape',
    response: signedResponse({ audience: 'https://example.com/saml/metadata' }),
    key: 'unknownShape',
    severity: 'warning',
    messageHas: 'https://example.com/saml/metadata',
    evidence: [{ actual: 'https://example.com/saml/metadata', path: AUD_PATH }],
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
      expect(f.fix).toContain('IAM Identity Center issuer URL');
      if (c.messageHas) expect(f.message).toContain(c.messageHas);
      for (const ev of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(ev));
    });
  }
});
