import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

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
];

interface Fail extends Case {
  key: string;
  severity?: 'error' | 'info';
  messageHas?: string[];
  evidence: Partial<Evidence>[];
}

const fail: Fail[] = [
  {
    name: 'failed status without an assertion, unsigned: a note (info), the status is the cause',
    response: makeResponse({ status: { code: URN.requester, subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported' } }),
    key: 'failedUnsigned',
    severity: 'info',
    messageHas: ['Requester', 'only once the status is fixed'],
    evidence: [
      { label: 'Response signature', actual: '(no ds:Signature)', path: '/Response' },
      { label: 'Status', expected: URN.success, actual: URN.requester, path: '/Response/Status' },
    ],
  },
  {
    name: 'failed status (Responder) with an unsigned assertion: still a note',
    response: makeResponse({ status: { code: URN.responder }, assertion: true, assertionId: '_fa' }),
    key: 'failedUnsigned',
    severity: 'info',
    messageHas: ['Responder', '_fa'],
    evidence: [
      { label: 'Assertion signature', actual: '(no ds:Signature)', path: '/Response/Assertion' },
      { label: 'Status', actual: URN.responder },
    ],
  },
  {
    name: 'no signature anywhere',
    response: makeResponse({ assertionId: '_a1' }),
    key: 'unsigned',
    evidence: [
      { label: 'Response signature', actual: '(no ds:Signature)', path: '/Response' },
      { label: 'Assertion signature', actual: '(no ds:Signature)', path: '/Response/Assertion' },
    ],
  },
  {
    name: 'Assertion signature without SignatureValue',
    response: noSignatureValue(signedResponse({ assertionId: '_a2' })),
    key: 'hollow',
    evidence: [{ label: 'Assertion signature', actual: 'ds:Signature with no SignatureValue', path: '/Response/Assertion/Signature' }],
  },
  {
    name: 'Assertion signature without Reference',
    response: noReference(signedResponse({ assertionId: '_a3' })),
    key: 'hollow',
    evidence: [{ label: 'Assertion signature', actual: 'ds:Signature with no Reference', path: '/Response/Assertion/Signature' }],
  },
  {
    name: 'only the Response signed, and its signature has no SignatureValue',
    response: noSignatureValue(signedResponse({ assertionId: '_a4' }, { target: 'response' })),
    key: 'hollow',
    evidence: [
      { label: 'Response signature', actual: 'ds:Signature with no SignatureValue', path: '/Response/Signature' },
      { label: 'Assertion signature', actual: '(no ds:Signature)', path: '/Response/Assertion' },
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
      for (const t of c.messageHas ?? []) expect(f.message).toContain(t);
      expect(f.fix).toContain('Signing Option');
      for (const e of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
    });
  }
  it('names the assertion in the message', () => {
    const [f] = findingsFor({ name: 'x', response: makeResponse({ assertionId: '_named' }) }, ID);
    expect(f!.message).toContain('_named');
  });
});
