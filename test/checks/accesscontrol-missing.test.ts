import { describe, expect, it } from 'vitest';
import type { CapturedMessage, Evidence } from '../../lib/types.ts';
import { analyze } from '../../lib/analyze.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, URN } from '../lab/factory.ts';
import { at } from '../clock.ts';
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

describe('accesscontrol-missing: keys learned from earlier accepted sign-ins (issue 17)', () => {
  const t = (s: number) => at(s);
  const post = (id: string, xml: string, s: number): CapturedMessage => ({ id, raw: toPost(xml), param: 'SAMLResponse', binding: 'post', method: 'POST', url: LAB.acsUrl, time: t(s).toISOString() });
  const withKeys = (user: string, ac: Record<string, string>, s: number) => signedResponse({ nameId: user, email: user, upn: user, issueInstant: t(s), accessControl: ac });

  it('a later sign-in of the same instance without a key an accepted one carried gets a warning naming where it was learned', () => {
    const r = analyze({
      messages: [
        post('r1', withKeys('ana.silva@contoso.com', { CostCenter: '4711', Department: 'Finance' }, 0), 0),
        post('r2', withKeys('bo.chen@contoso.com', { Department: 'Sales' }, 60), 60),
      ],
      now: t(61),
    });
    const f = r.findings.filter((x) => x.checkId === 'accesscontrol-missing');
    expect(f.map((x) => [x.messageId, x.messageKey, x.severity, x.title])).toEqual([
      ['r2', 'learnedMissing', 'warning', 'An AccessControl key earlier sign-ins carried is missing (learned)'],
    ]);
    const from = `ana.silva@contoso.com, ${t(0).toISOString().replace(/\.\d{3}Z$/, 'Z')}, message r1`;
    expect(f[0]!.message).toContain(`no AccessControl:CostCenter, which an earlier accepted sign-in of the same Identity Center instance carried (${from})`);
    expect(f[0]!.evidence).toEqual([
      {
        label: 'AccessControl attribute',
        expected: 'https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter',
        actual: '(none)',
        path: '/Response/Assertion/AttributeStatement',
        source: `learned from the accepted sign-in of ${from} (no keys configured)`,
      },
    ]);
    expect(r.learnedAccessControlKeys).toEqual({
      [LAB.spEntityId]: [
        { key: 'CostCenter', firstSeen: t(0).toISOString(), messageId: 'r1', user: 'ana.silva@contoso.com' },
        { key: 'Department', firstSeen: t(0).toISOString(), messageId: 'r1', user: 'ana.silva@contoso.com' },
      ],
    });
  });

  it('learns nothing from a refused sign-in, nothing across instances, and nothing when keys are configured', () => {
    const bad = signedResponse({ nameId: 'ana.silva@contoso.com', nameIdFormat: URN.unspecified, issueInstant: t(0), accessControl: { CostCenter: '1' } });
    const refusedFirst = analyze({ messages: [post('r1', bad, 0), post('r2', withKeys('bo.chen@contoso.com', {}, 60), 60)], now: t(61) });
    expect(refusedFirst.findings.filter((x) => x.checkId === 'accesscontrol-missing')).toEqual([]);
    expect(refusedFirst.learnedAccessControlKeys).toEqual({});

    const otherInstance = LAB.spEntityId.replace(LAB.identityStoreId, 'd-0000000001');
    const other = signedResponse({ issueInstant: t(60), audience: otherInstance });
    const cross = analyze({ messages: [post('r1', withKeys('ana.silva@contoso.com', { CostCenter: '1' }, 0), 0), post('r2', other, 60)], now: t(61) });
    expect(cross.findings.filter((x) => x.checkId === 'accesscontrol-missing')).toEqual([]);

    const configured = analyze({
      messages: [post('r1', withKeys('ana.silva@contoso.com', { CostCenter: '1' }, 0), 0), post('r2', withKeys('bo.chen@contoso.com', {}, 60), 60)],
      now: t(61),
      expectations: { expectedAccessControlKeys: ['Department'] },
    });
    expect(configured.findings.filter((x) => x.checkId === 'accesscontrol-missing').map((x) => [x.messageId, x.messageKey])).toEqual([
      ['r1', 'missing'],
      ['r2', 'missing'],
    ]);
    expect(configured.learnedAccessControlKeys).toBeUndefined();
  });

  it('keys kept from an earlier run (the extension\'s storage) apply to the first sign-in of this one; letter case does not count', () => {
    // Learned a month before this run's sign-ins, on the suite's clock (test/clock.ts): a fixed date
    // would stand after them when the clock is moved back (npm run test:clock).
    const firstSeen = new Date(t(0).getTime() - 30 * 86400e3).toISOString();
    const kept = { [LAB.spEntityId]: [{ key: 'CostCenter', firstSeen, messageId: 'old-7' }] };
    const r = analyze({ messages: [post('r1', withKeys('bo.chen@contoso.com', { costcenter: '9' }, 0), 0), post('r2', withKeys('cy.ng@contoso.com', {}, 5), 5)], now: t(6), expectations: { learnedAccessControlKeys: kept } });
    const f = r.findings.filter((x) => x.checkId === 'accesscontrol-missing');
    expect(f.map((x) => [x.messageId, x.messageKey])).toEqual([['r2', 'learnedMissing']]);
    expect(f[0]!.message).toContain(`(${firstSeen.replace(/\.\d{3}Z$/, 'Z')}, message old-7)`);
    expect(kept[LAB.spEntityId]).toHaveLength(1); // the input is not changed
  });
});
