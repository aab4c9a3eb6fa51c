import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/analyze.ts';
import type { Evidence, Finding, Severity } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, signedResponse, URN } from '../lab/factory.ts';
import { capturesFor, expectWellFormed, findingsFor, type Case, expectMessageAndEvidence } from './harness.ts';

const ID = 'in-response-to-mismatch';
const RESP = '/Response/@InResponseTo';
const SCD = '/Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData';
const reqId = samlId();
const otherId = samlId();
const CAPTURED = "the captured AuthnRequest's ID";
const MY_APPS = { initiator: 'https://myapps.microsoft.com/' };

interface C extends Case {
  /** Analyse all messages as one flow, as the CLI does with several files. */
  singleFlow?: boolean;
}

function run(c: C): Finding[] {
  if (!c.singleFlow) return findingsFor(c, ID);
  const r = analyze({ messages: capturesFor(c), singleFlow: true, ...(c.expectations ? { expectations: c.expectations } : {}) });
  expect(r.findings.filter((f) => f.checkId === 'internal-error')).toEqual([]);
  return r.findings.filter((f) => f.checkId === ID);
}

const pass: C[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'clean IdP-initiated response from My Apps', response: signedResponse(), capture: MY_APPS },
  { name: 'request ID given, response answers it', response: signedResponse({ inResponseTo: reqId }), expectations: { requestId: reqId } },
  {
    name: 'failed status answering the captured request',
    request: makeAuthnRequest({ id: reqId }),
    response: makeResponse({ inResponseTo: reqId, status: { code: URN.requester } }),
  },
  { name: 'one flow of request and response (CLI)', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }), singleFlow: true },
];

interface Fail extends C {
  key: string;
  severity: Severity;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'SubjectConfirmationData answers another request than the Response',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, scdInResponseTo: otherId }),
    key: 'differs',
    severity: 'error',
    messageHas: ['SubjectConfirmationData InResponseTo', otherId, reqId, CAPTURED],
    evidence: [{ label: 'SubjectConfirmationData InResponseTo', expected: reqId, actual: otherId, path: `${SCD}/@InResponseTo`, source: CAPTURED }],
  },
  {
    name: 'given request ID, the response answers another',
    response: signedResponse({ inResponseTo: otherId }),
    expectations: { requestId: reqId },
    key: 'differs',
    severity: 'error',
    messageHas: ['Response InResponseTo and the SubjectConfirmationData InResponseTo', '(configured)'],
    evidence: [
      { label: 'Response InResponseTo', expected: reqId, actual: otherId, path: RESP, source: 'configured' },
      { label: 'SubjectConfirmationData InResponseTo', expected: reqId, actual: otherId },
    ],
  },
  {
    name: 'one flow (CLI): the response answers another request than the captured one',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: otherId }),
    singleFlow: true,
    key: 'differs',
    severity: 'error',
    evidence: [{ label: 'Response InResponseTo', expected: reqId, actual: otherId, source: CAPTURED }],
  },
  {
    name: 'one flow (CLI): the captured request is answered without InResponseTo',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse(),
    singleFlow: true,
    key: 'absent',
    severity: 'error',
    messageHas: [reqId, CAPTURED],
    evidence: [{ label: 'Response InResponseTo', expected: reqId, actual: '(none)', path: '/Response', source: CAPTURED }],
  },
  {
    name: 'given request ID, unsolicited response',
    response: signedResponse(),
    expectations: { requestId: reqId },
    key: 'absent',
    severity: 'error',
    evidence: [{ expected: reqId, actual: '(none)', source: 'configured' }],
  },
  {
    name: 'Response answers the request, SubjectConfirmationData has no InResponseTo',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, scdInResponseTo: null }),
    key: 'partlyAbsent',
    severity: 'error',
    messageHas: ['The SubjectConfirmationData InResponseTo is missing'],
    evidence: [{ label: 'SubjectConfirmationData InResponseTo', expected: reqId, actual: '(none)', path: SCD }],
  },
  {
    name: 'given request ID, only the SubjectConfirmationData answers it',
    response: signedResponse({ scdInResponseTo: reqId }),
    expectations: { requestId: reqId },
    key: 'partlyAbsent',
    severity: 'error',
    messageHas: ['The Response InResponseTo is missing'],
    evidence: [{ label: 'Response InResponseTo', expected: reqId, actual: '(none)', path: '/Response' }],
  },
  {
    name: 'nothing to compare with, the two InResponseTo disagree',
    response: signedResponse({ inResponseTo: reqId, scdInResponseTo: otherId }),
    key: 'disagree',
    severity: 'error',
    messageHas: [reqId, otherId],
    evidence: [{ label: 'SubjectConfirmationData InResponseTo', expected: reqId, actual: otherId, source: 'the Response InResponseTo' }],
  },
  {
    name: 'IdP-initiated from My Apps, yet InResponseTo present',
    response: signedResponse({ inResponseTo: reqId }),
    capture: MY_APPS,
    key: 'fromMyApps',
    severity: 'warning',
    messageHas: [reqId],
    evidence: [{ label: 'Response InResponseTo', actual: reqId, path: RESP }],
  },
  {
    name: 'InResponseTo present, no request captured, no request ID given',
    response: signedResponse({ inResponseTo: reqId }),
    key: 'unchecked',
    severity: 'info',
    messageHas: [reqId],
    evidence: [{ label: 'Response InResponseTo', actual: reqId, path: RESP }],
  },
  {
    name: 'a stale response right after the captured request, on the same tab, answers another request',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: otherId }),
    key: 'differs',
    severity: 'error',
    messageHas: [otherId],
    evidence: [{ actual: otherId }],
  },
];

describe(ID, () => {
  for (const c of pass) {
    it(`passes: ${c.name}`, () => {
      expect(run(c)).toEqual([]);
    });
  }
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = run(c);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual([[c.key, c.severity]]);
      const f = found[0]!;
      expectWellFormed(f);
      expectMessageAndEvidence(f, c);
    });
  }
});
