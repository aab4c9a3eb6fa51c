import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

const ID = 'assertion-unsigned';
const reqId = samlId();

const pass: Case[] = [
  { name: 'clean signed Entra response (assertion signed), SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response (assertion signed), IdP-initiated', response: signedResponse() },
  { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'nothing signed (signature-missing reports it)', response: makeResponse() },
  { name: 'failed status, Response signed, no assertion', response: sign(makeResponse({ status: { code: URN.responder } }), { target: 'response' }) },
  {
    name: 'Response signature hollow (signature-missing territory)',
    response: signedResponse({}, { target: 'response' }).replace(/<SignatureValue>[^<]*<\/SignatureValue>/, '<SignatureValue/>'),
  },
];

interface Fail extends Case {
  evidence: Partial<Evidence>[];
  messageHas: string;
}

const fail: Fail[] = [
  {
    name: 'Entra "Sign SAML response": only the Response signed',
    response: signedResponse({ assertionId: '_ra1' }, { target: 'response' }),
    messageHas: '_ra1',
    evidence: [
      { label: 'Assertion signature', actual: '(no ds:Signature)', path: '/Response/Assertion' },
      { label: 'Response signature', actual: `signed (${URN.rsaSha256})`, path: '/Response/Signature' },
    ],
  },
  {
    name: 'Response signed, Assertion signature without SignatureValue',
    response: (() => {
      const xml = signedResponse({ assertionId: '_ra2' }, { target: 'both' });
      // The second SignatureValue in document order is the Assertion's.
      let n = 0;
      return xml.replace(/<SignatureValue>[^<]*<\/SignatureValue>/g, (m) => (++n === 2 ? '<SignatureValue></SignatureValue>' : m));
    })(),
    messageHas: 'no SignatureValue',
    evidence: [{ label: 'Assertion signature', actual: 'ds:Signature with no SignatureValue', path: '/Response/Assertion/Signature' }],
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
      expect(f.severity).toBe('warning');
      expect(f.messageKey).toBe('responseOnly');
      expect(f.message).toContain(c.messageHas);
      expect(f.fix).toContain('Sign SAML assertion');
      for (const e of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
    });
  }
});
