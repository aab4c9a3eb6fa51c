import { describe, expect, it } from 'vitest';
import { makeAuthnRequest, makeLogoutRequest, makeResponse, samlId, sign, signedResponse } from '../lab/factory.ts';
import { type Case, expectWellFormed, failTable, findingsFor, passTable, type FailCase, withAttr } from './harness.ts';

const ID = 'conditions-expired';
const NOW = new Date('2025-03-14T10:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const MIN = 60;
const NOW_SOURCE = 'the time given for the analysis (--now)';
const reqId = samlId();

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId, issueInstant: at(-2) }), response: signedResponse({ inResponseTo: reqId, issueInstant: at(-1) }), now: NOW },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse({ issueInstant: at(-1) }), now: NOW },
  { name: 'issued 4 min ago: the bearer confirmation has 1 min left', response: signedResponse({ issueInstant: at(-4 * MIN) }), now: NOW },
  { name: 'SessionNotOnOrAfter 8 h ahead', response: signedResponse({ issueInstant: at(-1), sessionNotOnOrAfter: at(8 * 3600) }), now: NOW },
  { name: 'no NotOnOrAfter anywhere: nothing to judge', response: signedResponse({ issueInstant: at(-3600), notOnOrAfter: null, scdNotOnOrAfter: null }), now: NOW },
  { name: 'NotOnOrAfter exactly 1 s ahead', response: signedResponse({ issueInstant: at(-1), scdNotOnOrAfter: at(1) }), now: NOW },
  { name: 'clean, with a configured 10 min tolerance', response: signedResponse({ issueInstant: at(-1) }), now: NOW, expectations: { clockSkewSeconds: 600 } },
  { name: 'failed status without an assertion', response: sign(makeResponse({ issueInstant: at(-3 * 3600), status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Responder' } }), { target: 'response' }), now: NOW },
];

type Fail = FailCase;

const fail: Fail[] = [
  {
    name: 'a response replayed 2 h later: both windows are past, the bearer one longest',
    response: signedResponse({ issueInstant: at(-2 * 3600) }),
    now: NOW,
    findings: [
      {
        severity: 'error',
        messageKey: 'expired',
        messageHas: ['1 h 55 min', 'bearer SubjectConfirmationData NotOnOrAfter', '2025-03-14T08:05:00Z', NOW_SOURCE, '5 min'],
        evidence: [
          { label: 'Conditions NotOnOrAfter', actual: '2025-03-14T09:10:00Z', expected: 'later than 2025-03-14T09:55:00Z (reference time − 5 min tolerance)', path: '/Response/Assertion/Conditions' },
          { label: 'bearer SubjectConfirmationData NotOnOrAfter', actual: '2025-03-14T08:05:00Z', path: '/Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData' },
          { label: 'reference time', actual: '2025-03-14T10:00:00Z', source: NOW_SOURCE },
        ],
      },
    ],
  },
  {
    name: 'the bearer confirmation expired 6 min ago (beyond 5 min), Conditions still valid',
    response: signedResponse({ issueInstant: at(-11 * MIN) }),
    now: NOW,
    findings: [
      {
        severity: 'error',
        messageKey: 'expired',
        messageHas: ['6 min'],
        evidence: [{ label: 'bearer SubjectConfirmationData NotOnOrAfter', actual: '2025-03-14T09:54:00Z' }],
      },
    ],
  },
  {
    name: 'expired exactly by the tolerance: refused (now − skew >= NotOnOrAfter)',
    response: signedResponse({ issueInstant: at(-1), scdNotOnOrAfter: at(-300) }),
    now: NOW,
    findings: [{ severity: 'error', messageKey: 'expired', messageHas: ['5 min'], evidence: [{ actual: '2025-03-14T09:55:00Z' }] }],
  },
  {
    name: 'expired 3 min ago: only the clock tolerance saves it',
    response: signedResponse({ issueInstant: at(-8 * MIN) }),
    now: NOW,
    findings: [
      {
        severity: 'warning',
        messageKey: 'withinTolerance',
        messageHas: ['3 min', 'only the 5 min clock tolerance saves it'],
        evidence: [{ label: 'bearer SubjectConfirmationData NotOnOrAfter', actual: '2025-03-14T09:57:00Z' }, { label: 'reference time', source: NOW_SOURCE }],
      },
    ],
  },
  {
    name: 'no tolerance configured (0 s): 1 s past is refused',
    response: signedResponse({ issueInstant: at(-1), scdNotOnOrAfter: at(-1) }),
    now: NOW,
    expectations: { clockSkewSeconds: 0 },
    findings: [{ severity: 'error', messageKey: 'expired', messageHas: ['1 s'], evidence: [{ expected: 'later than 2025-03-14T10:00:00Z (reference time − 0 s tolerance)', actual: '2025-03-14T09:59:59Z' }] }],
  },
  {
    name: 'a 10 min tolerance turns 6 min past into a warning',
    response: signedResponse({ issueInstant: at(-11 * MIN) }),
    now: NOW,
    expectations: { clockSkewSeconds: 600 },
    findings: [{ severity: 'warning', messageKey: 'withinTolerance', messageHas: ['6 min', '10 min'], evidence: [{ actual: '2025-03-14T09:54:00Z' }] }],
  },
  {
    name: 'Conditions NotBefore equal to NotOnOrAfter: empty window',
    response: signedResponse({ issueInstant: at(-1), notBefore: at(600), notOnOrAfter: at(600) }),
    now: NOW,
    findings: [
      {
        severity: 'error',
        messageKey: 'emptyWindow',
        messageHas: ['Conditions', '2025-03-14T10:10:00Z'],
        evidence: [
          { label: 'Conditions NotBefore', actual: '2025-03-14T10:10:00Z', expected: 'earlier than NotOnOrAfter 2025-03-14T10:10:00Z' },
          { label: 'Conditions NotOnOrAfter', actual: '2025-03-14T10:10:00Z' },
        ],
      },
    ],
  },
  {
    name: 'Conditions NotBefore after NotOnOrAfter: empty window',
    response: signedResponse({ issueInstant: at(-1), notBefore: at(3600), notOnOrAfter: at(1800) }),
    now: NOW,
    findings: [{ severity: 'error', messageKey: 'emptyWindow', evidence: [{ label: 'Conditions NotBefore', actual: '2025-03-14T11:00:00Z' }] }],
  },
  {
    name: 'SessionNotOnOrAfter 1 h in the past',
    response: signedResponse({ issueInstant: at(-1), sessionNotOnOrAfter: at(-3600) }),
    now: NOW,
    findings: [
      {
        severity: 'warning',
        messageKey: 'sessionEnded',
        messageHas: ['1 h', '2025-03-14T09:00:00Z'],
        evidence: [{ label: 'AuthnStatement SessionNotOnOrAfter', actual: '2025-03-14T09:00:00Z', path: '/Response/Assertion/AuthnStatement' }],
      },
    ],
  },
  {
    name: 'unparseable bearer NotOnOrAfter',
    response: withAttr(makeResponse({ issueInstant: at(-1) }), 'SubjectConfirmationData', 'NotOnOrAfter', 'tomorrow'),
    now: NOW,
    findings: [{ severity: 'warning', messageKey: 'unreadable', messageHas: ['"tomorrow"'], evidence: [{ label: 'bearer SubjectConfirmationData NotOnOrAfter', actual: 'tomorrow' }] }],
  },
  {
    name: 'Conditions NotOnOrAfter with a +02:00 offset, still valid',
    response: withAttr(makeResponse({ issueInstant: at(-1) }), 'Conditions', 'NotOnOrAfter', '2025-03-14T12:10:00+02:00'),
    now: NOW,
    findings: [
      { severity: 'warning', messageKey: 'offset', messageHas: ['+02:00', '2025-03-14T10:10:00Z'], evidence: [{ label: 'Conditions NotOnOrAfter', expected: '2025-03-14T10:10:00Z', actual: '2025-03-14T12:10:00+02:00' }] },
    ],
  },
  {
    name: 'Conditions NotOnOrAfter with a +02:00 offset that makes it expired',
    response: withAttr(makeResponse({ issueInstant: at(-1) }), 'Conditions', 'NotOnOrAfter', '2025-03-14T10:10:00+02:00'),
    now: NOW,
    findings: [
      // Read correctly, it ends before the NotBefore (09:59:59Z): the empty window is the one
      // finding about the window (issue 12), not also "expired"; the offset behind it is its own.
      { severity: 'warning', messageKey: 'offset', evidence: [{ actual: '2025-03-14T10:10:00+02:00' }] },
      { severity: 'error', messageKey: 'emptyWindow', evidence: [{ label: 'Conditions NotOnOrAfter', actual: '2025-03-14T10:10:00+02:00' }] },
    ],
  },
  {
    name: "judged by the AWS server's Date header, with this computer's clock 1 h behind",
    response: signedResponse({ issueInstant: at(-2 * 3600) }),
    capture: { time: at(-3600).toISOString(), serverDate: NOW.toUTCString() },
    findings: [
      {
        severity: 'error',
        messageKey: 'expired',
        messageHas: ["the AWS server's Date header", "This computer's clock is 1 h behind the server's Date header", 'NTP'],
        evidence: [
          { label: 'reference time', actual: '2025-03-14T10:00:00Z', source: "the AWS server's Date header" },
          { label: "server Date header − this computer's clock", actual: '+1 h (3600 s)', expected: 'within ±5 min' },
        ],
      },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  failTable(ID, fail);
});

describe('conditions-expired, LogoutRequest', () => {
  const t0 = new Date('2026-01-15T09:00:00Z');
  it('passes: a LogoutRequest before its NotOnOrAfter, and one without it', () => {
    expect(findingsFor({ name: 'lr', response: makeLogoutRequest({ issueInstant: t0, notOnOrAfter: new Date(t0.getTime() + 5 * 60e3) }), now: t0 }, 'conditions-expired')).toEqual([]);
    expect(findingsFor({ name: 'lr', response: makeLogoutRequest({ issueInstant: t0 }), now: t0 }, 'conditions-expired')).toEqual([]);
  });
  it('fails: a LogoutRequest past its NotOnOrAfter', () => {
    const noa = new Date(t0.getTime() + 5 * 60e3);
    const found = findingsFor({ name: 'lr', response: makeLogoutRequest({ issueInstant: t0, notOnOrAfter: noa }), now: new Date(t0.getTime() + 60 * 60e3) }, 'conditions-expired');
    expect(found.map((f) => [f.messageKey, f.severity, f.title])).toEqual([['logoutExpired', 'error', 'The LogoutRequest has expired']]);
    expectWellFormed(found[0]!);
    expect(found[0]!.message).toContain('55 min');
    expect(found[0]!.evidence).toContainEqual(expect.objectContaining({ label: 'LogoutRequest NotOnOrAfter', actual: '2026-01-15T09:05:00Z', path: '/LogoutRequest/@NotOnOrAfter' }));
  });
});
