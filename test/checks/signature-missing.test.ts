import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';
import { ENTRA_SIGNIN_LOGS, ENTRA_SIGNING_OPTION } from '../../lib/checks/fixes.ts';

// The fixes word for word.
const FIX =
  `${ENTRA_SIGNING_OPTION}: choose "Sign SAML assertion" (Entra's default) or "Sign SAML response and assertion", then Save. ` +
  'Entra always signs what it sends: if this setting is already right, the message was rebuilt or altered on its way (a proxy, a test tool, a copy by hand); capture it again from the browser.';
const FIX_FAILED = `First fix what the status reports (see the status-not-success finding and ${ENTRA_SIGNIN_LOGS}). Then, if the successful response is still unsigned: ${FIX}`;
const STATUS_THEN =
  'The sign-in failed because of the status (status-not-success says why); the signature matters only once the status is fixed, when the assertion Entra sends must be signed, as Identity Center expects.';
const RESPONSE_SIG = { label: 'Response signature', expected: 'a ds:Signature with SignatureValue and one Reference (or one in the Assertion)' };
const ASSERTION_SIG = { label: 'Assertion signature', expected: 'a ds:Signature with SignatureValue and one Reference' };

const ID = 'signature-missing';
const reqId = samlId();

/** Empties the first ds:SignatureValue (document order: the Response's comes before the Assertion's). */
const noSignatureValue = (xml: string) => xml.replace(/<SignatureValue>[^<]*<\/SignatureValue>/, '<SignatureValue></SignatureValue>');
/** Removes the first ds:Reference. */
const noReference = (xml: string) => xml.replace(/<Reference [^>]*>.*?<\/Reference>/, '');

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Response signed, Assertion not (assertion-unsigned reports it)', response: signedResponse({}, { target: 'response' }) },
  { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'SHA-1 signature (another check)', response: signedResponse({}, { algorithm: 'sha1' }) },
  {
    name: 'failed status without an assertion, Response signed',
    response: sign(makeResponse({ status: { code: URN.requester, subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported' } }), { target: 'response' }),
  },
  { name: 'Response signature hollow but the Assertion signed', response: noSignatureValue(signedResponse({}, { target: 'both' })) },
  // A signature exists, on another assertion: signature-wrapping reports the shape (multipleAssertions).
  { name: 'two assertions, the first signed, the second not (signature-wrapping reports it)', response: sign(makeResponse({ extraAssertions: 1 })) },
  { name: 'failed status, the assertion signed: nothing to note', response: sign(makeResponse({ status: { code: URN.responder }, assertion: true })) },
  { name: 'Success without an assertion (status-not-success and the flow judge it)', response: makeResponse({ assertion: false }) },
];

interface Fail extends Case {
  key: string;
  severity?: 'error' | 'info';
  message: string;
  /** The whole evidence, in order. */
  evidence: Evidence[];
  fix: string;
}

const fail: Fail[] = [
  {
    name: 'failed status without an assertion, unsigned: a note (info), the status is the cause',
    response: makeResponse({ status: { code: URN.requester, subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported' } }),
    key: 'failedUnsigned',
    severity: 'info',
    message: `A note, not the cause: this Response reports the failure Requester and carries no usable signature (and no assertion). ${STATUS_THEN}`,
    fix: FIX_FAILED,
    evidence: [
      { label: 'Response signature', expected: 'a ds:Signature on the Response or on its Assertion (once the status is Success)', actual: '(no ds:Signature)', path: '/Response' },
      { label: 'Status', expected: URN.success, actual: URN.requester, path: '/Response/Status' },
    ],
  },
  {
    name: 'failed status (Responder) with an unsigned assertion: still a note',
    response: makeResponse({ status: { code: URN.responder }, assertion: true, assertionId: '_fa' }),
    key: 'failedUnsigned',
    severity: 'info',
    message: `A note, not the cause: this Response reports the failure Responder and neither it nor its Assertion _fa carries a usable signature. ${STATUS_THEN}`,
    fix: FIX_FAILED,
    evidence: [
      { label: 'Response signature', expected: 'a ds:Signature on the Response or on its Assertion (once the status is Success)', actual: '(no ds:Signature)', path: '/Response' },
      { ...ASSERTION_SIG, actual: '(no ds:Signature)', path: '/Response/Assertion' },
      { label: 'Status', expected: URN.success, actual: URN.responder, path: '/Response/Status' },
    ],
  },
  {
    name: 'no signature anywhere',
    response: makeResponse({ assertionId: '_a1' }),
    key: 'unsigned',
    message: 'Neither the Response nor the Assertion _a1 carries a ds:Signature: nothing protects the assertion, and Identity Center expects a signed assertion.',
    fix: FIX,
    evidence: [
      { ...RESPONSE_SIG, actual: '(no ds:Signature)', path: '/Response' },
      { ...ASSERTION_SIG, actual: '(no ds:Signature)', path: '/Response/Assertion' },
    ],
  },
  {
    name: 'Assertion signature without SignatureValue',
    response: noSignatureValue(signedResponse({ assertionId: '_a2' })),
    key: 'hollow',
    message: 'The Assertion _a2 is not protected: the signature present (Assertion: no SignatureValue) cannot be verified, which is as good as no signature.',
    fix: FIX,
    evidence: [
      { ...RESPONSE_SIG, actual: '(no ds:Signature)', path: '/Response' },
      { ...ASSERTION_SIG, actual: 'ds:Signature with no SignatureValue', path: '/Response/Assertion/Signature' },
    ],
  },
  {
    name: 'Assertion signature without Reference',
    response: noReference(signedResponse({ assertionId: '_a3' })),
    key: 'hollow',
    message: 'The Assertion _a3 is not protected: the signature present (Assertion: no Reference) cannot be verified, which is as good as no signature.',
    fix: FIX,
    evidence: [
      { ...RESPONSE_SIG, actual: '(no ds:Signature)', path: '/Response' },
      { ...ASSERTION_SIG, actual: 'ds:Signature with no Reference', path: '/Response/Assertion/Signature' },
    ],
  },
  {
    name: 'only the Response signed, and its signature has no SignatureValue',
    response: noSignatureValue(signedResponse({ assertionId: '_a4' }, { target: 'response' })),
    key: 'hollow',
    message: 'The Assertion _a4 is not protected: the signature present (Response: no SignatureValue) cannot be verified, which is as good as no signature.',
    fix: FIX,
    evidence: [
      { ...RESPONSE_SIG, actual: 'ds:Signature with no SignatureValue', path: '/Response/Signature' },
      { ...ASSERTION_SIG, actual: '(no ds:Signature)', path: '/Response/Assertion' },
    ],
  },
  {
    name: 'both signatures hollow: both named, plural',
    response: signedResponse({ assertionId: '_a5' }, { target: 'both' }).replace(/<SignatureValue>[^<]*<\/SignatureValue>/g, '<SignatureValue></SignatureValue>'),
    key: 'hollow',
    message: 'The Assertion _a5 is not protected: the signatures present (Response: no SignatureValue; Assertion: no SignatureValue) cannot be verified, which is as good as no signature.',
    fix: FIX,
    evidence: [
      { ...RESPONSE_SIG, actual: 'ds:Signature with no SignatureValue', path: '/Response/Signature' },
      { ...ASSERTION_SIG, actual: 'ds:Signature with no SignatureValue', path: '/Response/Assertion/Signature' },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found).toHaveLength(1);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.severity).toBe(c.severity ?? 'error');
      expect(f.messageKey).toBe(c.key);
      expect(f.message).toBe(c.message);
      expect(f.fix, 'the fix').toBe(c.fix);
      expect(f.evidence).toEqual(c.evidence);
    });
  }
  it('names the assertion in the message', () => {
    const [f] = findingsFor({ name: 'x', response: makeResponse({ assertionId: '_named' }) }, ID);
    expect(f!.message).toContain('_named');
  });

  it('a Success status written with spaces around it is Success: the unsigned assertion is the error, not a note', () => {
    const xml = makeResponse({ assertionId: '_sp' }).replace(`Value="${URN.success}"`, `Value=" ${URN.success} "`);
    expect(findingsFor({ name: 'spaced success', response: xml }, ID).map((f) => [f.messageKey, f.severity])).toEqual([['unsigned', 'error']]);
  });
  it('a status code outside the SAML namespace is said as written', () => {
    const [f] = findingsFor({ name: 'odd', response: makeResponse({ status: { code: 'urn:example:status:Odd' } }) }, ID);
    expect(f?.message).toBe(`A note, not the cause: this Response reports the failure urn:example:status:Odd and carries no usable signature (and no assertion). ${STATUS_THEN}`);
  });
});
