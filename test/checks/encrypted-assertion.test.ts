import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

const ID = 'encrypted-assertion';
const reqId = samlId();
const ENC_DATA =
  '<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">' +
  '<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/><xenc:CipherData><xenc:CipherValue>bGFi</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>';

/** NameID replaced by an EncryptedID. */
const encryptedNameId = (xml: string) => xml.replace(/<NameID[^>]*>[^<]*<\/NameID>/, `<EncryptedID>${ENC_DATA}</EncryptedID>`);
/** The first n Attributes replaced by EncryptedAttributes. */
const encryptedAttributes = (xml: string, n: number) => {
  let i = 0;
  return xml.replace(/<Attribute Name="[^"]*">.*?<\/Attribute>/g, (m) => (++i <= n ? `<EncryptedAttribute>${ENC_DATA}</EncryptedAttribute>` : m));
};

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.responder } }) },
];

interface Fail extends Case {
  findings: { key: string; severity: Severity; evidence: Partial<Evidence>[]; messageHas?: string }[];
}

const fail: Fail[] = [
  {
    name: 'Entra token encryption on: EncryptedAssertion, Response signed',
    response: sign(makeResponse({ encrypted: true }), { target: 'response' }),
    findings: [
      {
        key: 'encryptedAssertion',
        severity: 'error',
        evidence: [{ label: 'assertion', expected: 'a plain saml:Assertion', actual: 'saml:EncryptedAssertion', path: '/Response/EncryptedAssertion' }],
      },
    ],
  },
  {
    name: 'EncryptedAssertion, unsigned',
    response: makeResponse({ encrypted: true }),
    findings: [{ key: 'encryptedAssertion', severity: 'error', evidence: [{ path: '/Response/EncryptedAssertion' }] }],
  },
  {
    name: 'EncryptedID instead of NameID',
    response: sign(encryptedNameId(makeResponse({ assertionId: '_eid' }))),
    findings: [
      {
        key: 'encryptedId',
        severity: 'error',
        messageHas: '_eid',
        evidence: [{ label: 'Subject identifier', expected: 'saml:NameID (email address)', actual: 'saml:EncryptedID', path: '/Response/Assertion/Subject/EncryptedID' }],
      },
    ],
  },
  {
    name: 'two EncryptedAttributes',
    response: sign(encryptedAttributes(makeResponse({ assertionId: '_eat', accessControl: { Department: 'Finance' } }), 2)),
    findings: [
      {
        key: 'encryptedAttribute',
        severity: 'warning',
        messageHas: '2 EncryptedAttribute elements',
        evidence: [{ label: 'EncryptedAttribute elements', expected: '0', actual: '2', path: '/Response/Assertion/AttributeStatement' }],
      },
    ],
  },
  {
    name: 'EncryptedID and an EncryptedAttribute together',
    response: sign(encryptedAttributes(encryptedNameId(makeResponse()), 1)),
    findings: [
      { key: 'encryptedId', severity: 'error', evidence: [{ actual: 'saml:EncryptedID' }] },
      { key: 'encryptedAttribute', severity: 'warning', messageHas: '1 EncryptedAttribute element;', evidence: [{ actual: '1' }] },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => [f.messageKey, f.severity])).toEqual(c.findings.map((e) => [e.key, e.severity]));
      c.findings.forEach((e) => {
        const f = found.find((x) => x.messageKey === e.key)!;
        expectWellFormed(f);
        expect(f.fix).toContain('Token encryption');
        if (e.messageHas) expect(f.message).toContain(e.messageHas);
        for (const ev of e.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(ev));
      });
    });
  }
});
