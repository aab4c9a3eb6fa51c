import { describe } from 'vitest';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse } from '../lab/factory.ts';
import { type Case, failTable, passTable, type FailCase, withAttr } from './harness.ts';

const ID = 'conditions-not-yet-valid';
const NOW = new Date('2025-03-14T10:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const MIN = 60;
const NOW_SOURCE = 'the time given for the analysis (--now)';
const reqId = samlId();

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId, issueInstant: at(-2) }), response: signedResponse({ inResponseTo: reqId, issueInstant: at(-1) }), now: NOW },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse({ issueInstant: at(-1) }), now: NOW },
  { name: 'issued at the very reference time (NotBefore is inclusive)', response: signedResponse({ issueInstant: NOW }), now: NOW },
  { name: 'NotBefore 0.5 s ahead: under the Date header precision', response: signedResponse({ issueInstant: new Date(NOW.getTime() + 500) }), now: NOW },
  { name: 'issued an hour ago (expiry is another check)', response: signedResponse({ issueInstant: at(-3600) }), now: NOW },
  { name: 'no NotBefore at all', response: signedResponse({ issueInstant: at(-1), notBefore: null }), now: NOW },
  { name: 'failed status without an assertion', response: sign(makeResponse({ issueInstant: at(-1), status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Requester' } }), { target: 'response' }), now: NOW },
];

type Fail = FailCase;

const fail: Fail[] = [
  {
    name: 'issued 10 min in the future: NotBefore beyond the tolerance, with the issue instants as evidence',
    response: signedResponse({ issueInstant: at(10 * MIN) }),
    now: NOW,
    findings: [
      {
        severity: 'error',
        messageKey: 'notYetValid',
        messageHas: ['10 min', '2025-03-14T10:10:00Z', NOW_SOURCE, 'clock', 'no buffer'],
        evidence: [
          { label: 'Conditions NotBefore', actual: '2025-03-14T10:10:00Z', expected: 'not later than 2025-03-14T10:05:00Z (reference time + 5 min tolerance)', path: '/Response/Assertion/Conditions' },
          { label: 'Response IssueInstant', actual: '2025-03-14T10:10:00Z', path: '/Response' },
          { label: 'Assertion IssueInstant', actual: '2025-03-14T10:10:00Z', path: '/Response/Assertion' },
          { label: 'reference time', actual: '2025-03-14T10:00:00Z', source: NOW_SOURCE },
        ],
      },
    ],
  },
  {
    name: 'NotBefore 2 min ahead: only the tolerance saves it',
    response: signedResponse({ issueInstant: at(2 * MIN) }),
    now: NOW,
    findings: [
      {
        severity: 'warning',
        messageKey: 'withinTolerance',
        messageHas: ['2 min', 'only the 5 min clock tolerance saves it'],
        evidence: [{ label: 'Conditions NotBefore', actual: '2025-03-14T10:02:00Z' }, { label: 'reference time', source: NOW_SOURCE }],
      },
    ],
  },
  {
    name: 'a 1 min tolerance makes 2 min ahead an error',
    response: signedResponse({ issueInstant: at(2 * MIN) }),
    now: NOW,
    expectations: { clockSkewSeconds: 60 },
    findings: [{ severity: 'error', messageKey: 'notYetValid', messageHas: ['2 min', '1 min'], evidence: [{ label: 'Conditions NotBefore', expected: 'not later than 2025-03-14T10:01:00Z (reference time + 1 min tolerance)' }] }],
  },
  {
    name: 'IssueInstant 10 min in the future, NotBefore already reached',
    response: signedResponse({ issueInstant: at(10 * MIN), notBefore: at(-MIN) }),
    now: NOW,
    findings: [
      {
        severity: 'warning',
        messageKey: 'issuedInFuture',
        messageHas: ['Response IssueInstant 2025-03-14T10:10:00Z', '10 min'],
        evidence: [
          { label: 'Response IssueInstant', actual: '2025-03-14T10:10:00Z' },
          { label: 'Assertion IssueInstant', actual: '2025-03-14T10:10:00Z' },
        ],
      },
    ],
  },
  {
    name: 'NotBefore on the bearer SubjectConfirmationData',
    response: signedResponse({ issueInstant: at(-1), scdNotBefore: at(-1) }),
    now: NOW,
    findings: [
      {
        severity: 'warning',
        messageKey: 'scdNotBefore',
        messageHas: ['MUST NOT', '2025-03-14T09:59:59Z'],
        evidence: [{ label: 'bearer SubjectConfirmationData NotBefore', expected: '(absent)', actual: '2025-03-14T09:59:59Z', path: '/Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData' }],
      },
    ],
  },
  {
    name: 'unparseable Conditions NotBefore',
    response: withAttr(makeResponse({ issueInstant: at(-1) }), 'Conditions', 'NotBefore', '14/03/2025 10:00'),
    now: NOW,
    findings: [{ severity: 'warning', messageKey: 'unreadable', messageHas: ['"14/03/2025 10:00"'], evidence: [{ label: 'Conditions NotBefore', actual: '14/03/2025 10:00' }] }],
  },
  {
    name: 'Conditions NotBefore with a -05:00 offset (read correctly, already valid)',
    response: withAttr(makeResponse({ issueInstant: at(-1) }), 'Conditions', 'NotBefore', '2025-03-14T04:59:00-05:00'),
    now: NOW,
    findings: [{ severity: 'warning', messageKey: 'offset', messageHas: ['-05:00', '2025-03-14T09:59:00Z'], evidence: [{ label: 'Conditions NotBefore', expected: '2025-03-14T09:59:00Z', actual: '2025-03-14T04:59:00-05:00' }] }],
  },
  {
    name: "judged by the AWS server's Date header, with this computer's clock 20 min ahead",
    response: signedResponse({ issueInstant: at(10 * MIN) }),
    capture: { time: at(20 * MIN).toISOString(), serverDate: NOW.toUTCString() },
    findings: [
      {
        severity: 'error',
        messageKey: 'notYetValid',
        messageHas: ["the AWS server's Date header", "This computer's clock is 20 min ahead of the server's Date header"],
        evidence: [
          { label: 'reference time', actual: '2025-03-14T10:00:00Z', source: "the AWS server's Date header" },
          { label: "server Date header − this computer's clock", actual: '−20 min (-1200 s)' },
        ],
      },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  failTable(ID, fail);
});
