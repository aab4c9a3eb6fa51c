import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { makeAuthnRequest, samlId, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, expectMessageAndEvidence, passTable, type FailCase } from './harness.ts';

const ID = 'accesscontrol-missing';
const reqId = samlId();
const KEYS = { expectedAccessControlKeys: ['Department', 'CostCenter'] };
const NS = 'https://aws.amazon.com/SAML/Attributes';

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated, nothing expected', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated, nothing expected', response: signedResponse() },
  {
    name: 'clean SP-initiated response with both expected keys',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, accessControl: { Department: 'Engineering', CostCenter: 'CC-1234' } }),
    expectations: KEYS,
  },
  { name: 'clean IdP-initiated response with both expected keys, plus another', response: signedResponse({ accessControl: { Department: 'Engineering', CostCenter: 'CC-1234', Team: 'Blue' } }), expectations: KEYS },
  { name: 'an empty list of expected keys', response: signedResponse(), expectations: { expectedAccessControlKeys: [] } },
  { name: 'expected keys, but the response carries no assertion (failed status)', response: signedResponse({ status: { code: URN.responder } }, { target: 'response' }), expectations: KEYS },
  { name: 'an empty value still arrives (accesscontrol-invalid warns about it)', response: signedResponse({ accessControl: { Department: '', CostCenter: 'CC-1' } }), expectations: KEYS },
];

type Fail = FailCase;

const missing = (key: string): Partial<Evidence> => ({
  label: 'AccessControl attribute',
  expected: `${NS}/AccessControl:${key}`,
  actual: '(none)',
  path: '/Response/Assertion/AttributeStatement',
  source: 'configured',
});

const fail: Fail[] = [
  {
    name: 'one of two expected keys is missing',
    response: signedResponse({ accessControl: { Department: 'Engineering' } }),
    expectations: KEYS,
    findings: [{ severity: 'warning', messageKey: 'missing', messageHas: ['CostCenter', `${NS}/AccessControl:CostCenter`, 'session tag'], evidence: [missing('CostCenter')] }],
  },
  {
    name: 'no AccessControl attributes at all: each expected key is reported',
    response: signedResponse(),
    expectations: KEYS,
    findings: [
      { severity: 'warning', messageKey: 'missing', messageHas: ['Department'], evidence: [missing('Department')] },
      { severity: 'warning', messageKey: 'missing', messageHas: ['CostCenter'], evidence: [missing('CostCenter')] },
    ],
  },
  {
    name: 'the key differs only in case',
    response: signedResponse({ accessControl: { department: 'Engineering', CostCenter: 'CC-1' } }),
    expectations: KEYS,
    findings: [
      {
        severity: 'warning',
        messageKey: 'caseDiffers',
        messageHas: ['Department', 'department', 'upper/lower case'],
        evidence: [{ expected: `${NS}/AccessControl:Department`, actual: `${NS}/AccessControl:department`, source: 'configured' }],
      },
    ],
  },
  {
    name: 'the key arrives without the namespace (AccessControl:Department)',
    response: signedResponse({ accessControl: { CostCenter: 'CC-1' }, attributes: [{ name: 'AccessControl:Department', values: ['Engineering'] }] }),
    expectations: KEYS,
    findings: [
      {
        severity: 'warning',
        messageKey: 'malformedName',
        messageHas: ['arrives under a malformed name', 'AccessControl:Department', 'namespace https://aws.amazon.com/SAML/Attributes/ is missing'],
        evidence: [{ expected: `${NS}/AccessControl:Department`, actual: 'AccessControl:Department', path: '/Response/Assertion/AttributeStatement/Attribute[11]' }],
      },
    ],
  },
  {
    name: 'the key arrives under a double slash (Namespace with a trailing slash)',
    response: signedResponse({ accessControl: { CostCenter: 'CC-1' }, attributes: [{ name: `${NS}//AccessControl:Department`, values: ['Engineering'] }] }),
    expectations: KEYS,
    findings: [{ severity: 'warning', messageKey: 'malformedName', messageHas: ['arrives under a malformed name', 'double slash'], evidence: [{ actual: `${NS}//AccessControl:Department` }] }],
  },
  {
    name: 'the key arrives as AccessControl/Department over http',
    response: signedResponse({ accessControl: { CostCenter: 'CC-1' }, attributes: [{ name: 'http://aws.amazon.com/SAML/Attributes/AccessControl/Department', values: ['Engineering'] }] }),
    expectations: KEYS,
    findings: [{ severity: 'warning', messageKey: 'malformedName', messageHas: ['http instead of https', '"AccessControl/" instead of "AccessControl:"'], evidence: [{ actual: 'http://aws.amazon.com/SAML/Attributes/AccessControl/Department' }] }],
  },
  {
    name: 'SP-initiated: a PrincipalTag (IAM federation) is not an AccessControl attribute',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, accessControl: { CostCenter: 'CC-1' }, attributes: [{ name: `${NS}/PrincipalTag:Department`, values: ['Engineering'] }] }),
    expectations: KEYS,
    findings: [{ severity: 'warning', messageKey: 'missing', evidence: [missing('Department')] }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => f.messageKey)).toEqual(c.findings.map((f) => f.messageKey));
      c.findings.forEach((want, i) => {
        const f = found[i]!;
        expectWellFormed(f);
        expect(f.severity).toBe(want.severity);
        expect(f.fix).toContain('AccessControl:');
        expect(f.fix).toContain('Attributes for access control');
        expectMessageAndEvidence(f, want);
      });
    });
  }
});
