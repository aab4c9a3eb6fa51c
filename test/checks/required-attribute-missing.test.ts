import { describe, expect, it } from 'vitest';
import { failTable, findingsFor, passTable, type Case, type FailCase } from './harness.ts';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';

const ID = 'required-attribute-missing';
const reqId = samlId();

/** Removes (or rewrites) an attribute on the root element only. */
const onRoot = (xml: string, attr: string, value: string | null) =>
  xml.replace(new RegExp(`^((?:<\\?xml[^>]*\\?>)?<[^>]*?)\\s${attr}="[^"]*"`), (_, head: string) => (value === null ? head : `${head} ${attr}="${value}"`));
/** The same on the (first) Assertion element. */
const onAssertion = (xml: string, attr: string, value: string | null) =>
  xml.replace(new RegExp(`(<Assertion\\b[^>]*?)\\s${attr}="[^"]*"`), (_, head: string) => (value === null ? head : `${head} ${attr}="${value}"`));

const pass: Case[] = [
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.requester } }) },
];

const fail: FailCase[] = [
  {
    name: 'Response without ID',
    response: sign(onRoot(makeResponse(), 'ID', null)),
    findings: [
      {
        severity: 'warning',
        messageKey: 'missing',
        messageHas: ['Response has no ID', '§3.2.2'],
        evidence: [{ label: 'Response ID', actual: '(none)', path: '/Response/@ID' }],
      },
    ],
  },
  {
    name: 'Response without Version',
    response: sign(onRoot(makeResponse(), 'Version', null)),
    findings: [{ severity: 'warning', messageKey: 'missing', messageHas: ['no Version'], evidence: [{ label: 'Response Version', expected: '2.0', actual: '(none)', path: '/Response/@Version' }] }],
  },
  {
    name: 'Response without IssueInstant',
    response: sign(onRoot(makeResponse(), 'IssueInstant', null)),
    findings: [{ severity: 'warning', messageKey: 'missing', messageHas: ['no IssueInstant'], evidence: [{ label: 'Response IssueInstant', actual: '(none)', path: '/Response/@IssueInstant' }] }],
  },
  {
    name: 'Response with an empty ID',
    response: sign(onRoot(makeResponse(), 'ID', '')),
    findings: [{ severity: 'warning', messageKey: 'empty', evidence: [{ label: 'Response ID', actual: '(empty)' }] }],
  },
  {
    name: 'Response with Version="1.1"',
    response: sign(onRoot(makeResponse(), 'Version', '1.1')),
    findings: [{ severity: 'warning', messageKey: 'wrongVersion', messageHas: ['Version="1.1"', 'VersionMismatch'], evidence: [{ expected: '2.0', actual: '1.1', path: '/Response/@Version' }] }],
  },
  {
    name: 'Assertion without IssueInstant',
    response: sign(onAssertion(makeResponse(), 'IssueInstant', null)),
    findings: [
      { severity: 'warning', messageKey: 'missing', messageHas: ['Assertion has no IssueInstant', '§2.3.3'], evidence: [{ label: 'Assertion IssueInstant', actual: '(none)', path: '/Response/Assertion/@IssueInstant' }] },
    ],
  },
  {
    name: 'AuthnRequest without IssueInstant: Entra refuses it (error)',
    request: onRoot(makeAuthnRequest({ id: reqId }), 'IssueInstant', null),
    findings: [
      { severity: 'error', messageKey: 'missing', messageHas: ['AuthnRequest has no IssueInstant', 'AADSTS75005'], evidence: [{ label: 'AuthnRequest IssueInstant', actual: '(none)', path: '/AuthnRequest/@IssueInstant' }] },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  failTable(ID, fail);
  it('fails: Response without any of the three, one finding each', () => {
    const found = findingsFor({ name: 'none', response: sign(onRoot(onRoot(onRoot(makeResponse(), 'ID', null), 'Version', null), 'IssueInstant', null)) }, ID);
    expect(found.map((f) => [f.messageKey, f.severity, f.evidence[0]!.path])).toEqual([
      ['missing', 'warning', '/Response/@ID'],
      ['missing', 'warning', '/Response/@Version'],
      ['missing', 'warning', '/Response/@IssueInstant'],
    ]);
  });
  it('fixes name where to look', () => {
    for (const c of fail) for (const f of findingsFor(c, ID)) expect(f.fix).toMatch(/Entra|AWS console/);
  });
});
