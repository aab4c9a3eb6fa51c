// Signature-wrapping shapes, built by string surgery on a correctly signed Entra response (the
// signatures need not verify afterwards: this check looks at structure, not at the cryptography).
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, verifiedFindingsFor, type Case, passTable } from './harness.ts';

// The fixes word for word.
const FIX =
  'Do not trust this message. Entra sends exactly one Assertion, directly in the Response, signed with one Reference to its own ID. ' +
  'Capture the sign-in again straight from the browser; if a real sign-in looks like this, something between Entra and AWS rewrote it ' +
  '(a proxy, a browser extension or an attacker): keep the capture and report it to your security team.';
const FIX_MULTIPLE =
  'Entra sends one Assertion per Response; Identity Center supports only one. If this message came from Entra, something rewrote it: ' +
  'capture the sign-in again from the browser and, if it repeats, keep the capture and report it to your security team.';
const fixOf = (key: string | undefined) => (key === 'multipleAssertions' ? FIX_MULTIPLE : FIX);

const ID = 'signature-wrapping';
const reqId = samlId();
const DS = 'http://www.w3.org/2000/09/xmldsig#';

const ASSERTION_RE = /<Assertion [\s\S]*<\/Assertion>/;
const SIGNATURE_RE = /<Signature [\s\S]*?<\/Signature>/;
const ISSUER_END = '</Issuer>';

/** A signed response (assertion signed, ID _orig) and its pieces. */
function parts(opts: { sign?: 'assertion' | 'response' | 'both' } = {}) {
  const xml = signedResponse({ responseId: '_resp', assertionId: '_orig' }, { target: opts.sign ?? 'assertion' });
  const assertion = ASSERTION_RE.exec(xml)![0];
  return { xml, assertion };
}

/** The forged assertion: same shape, another user, another ID, no signature of its own. */
function forge(assertion: string, id = '_evil'): string {
  return assertion.replace('ID="_orig"', `ID="${id}"`).replace(LAB.user, 'attacker@evil.example').replace(SIGNATURE_RE, '');
}

/** Puts `inner` into <samlp:Extensions> right after the Response's Issuer. */
function withExtensions(xml: string, inner: string, attrs = ''): string {
  const i = xml.indexOf(ISSUER_END) + ISSUER_END.length;
  return `${xml.slice(0, i)}<samlp:Extensions${attrs}>${inner}</samlp:Extensions>${xml.slice(i)}`;
}

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Response signed', response: signedResponse({}, { target: 'response' }) },
  { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'SHA-1 signed', response: signedResponse({}, { algorithm: 'sha1' }) },
  { name: 'unsigned (signature-missing reports it)', response: makeResponse() },
  { name: 'failed status without an assertion', response: makeResponse({ status: { code: URN.requester } }) },
  {
    name: 'Response-level signature with Reference URI="" (the whole document)',
    response: parts({ sign: 'response' }).xml.replace('URI="#_resp"', 'URI=""'),
  },
];

interface Fail extends Case {
  /** Message keys expected, in report order. */
  keys: string[];
  /** Evidence per key (checked on the first finding with that key). */
  evidence: Record<string, Partial<Evidence>[]>;
  messageHas?: Record<string, string[]>;
}

const fail: Fail[] = (() => {
  const p = parts();
  const pBoth = parts({ sign: 'both' });
  const out: Fail[] = [];

  out.push({
    name: 'two assertions directly in the Response',
    response: sign(makeResponse({ assertionId: '_first', extraAssertions: 1 })),
    keys: ['multipleAssertions'],
    evidence: {
      multipleAssertions: [
        { label: 'Assertion 1 of 2', expected: 'exactly one Assertion in the Response', actual: 'ID _first', path: '/Response/Assertion[1]' },
        { label: 'Assertion 2 of 2', path: '/Response/Assertion[2]' },
      ],
    },
    messageHas: { multipleAssertions: ['2 Assertions', '_first'] },
  });

  out.push({
    name: 'XSW: signed original moved into Extensions, forged assertion in its place',
    response: p.xml.replace(ASSERTION_RE, forge(p.assertion)).replace(ISSUER_END, `${ISSUER_END}<samlp:Extensions>${p.assertion}</samlp:Extensions>`),
    keys: ['nestedAssertion'],
    evidence: {
      nestedAssertion: [
        { label: 'nested Assertion', actual: 'ID _orig', path: '/Response/Extensions/Assertion' },
        { label: 'Assertion the sign-in is read from', actual: 'ID _evil', path: '/Response/Assertion' },
      ],
    },
    messageHas: { nestedAssertion: ['_orig', 'Extensions (/Response/Extensions)', '_evil'] },
  });

  out.push({
    name: 'XSW: signed original hidden in the forged assertion\'s Advice',
    response: p.xml.replace(ASSERTION_RE, forge(p.assertion).replace(/<\/Assertion>$/, `<Advice>${p.assertion}</Advice></Assertion>`)),
    keys: ['nestedAssertion'],
    evidence: {
      nestedAssertion: [
        { label: 'nested Assertion', actual: 'ID _orig', path: '/Response/Assertion/Advice/Assertion' },
        { label: 'Assertion the sign-in is read from', actual: 'ID _evil', path: '/Response/Assertion' },
      ],
    },
    messageHas: { nestedAssertion: ['Advice (/Response/Assertion/Advice)'] },
  });

  out.push({
    name: 'XSW: forged assertion carries the original signature (Reference to the moved original)',
    response: withExtensions(
      p.xml.replace(ASSERTION_RE, p.assertion.replace('ID="_orig"', 'ID="_evil"').replace(LAB.user, 'attacker@evil.example')),
      p.assertion.replace(SIGNATURE_RE, ''),
    ),
    keys: ['nestedAssertion', 'referenceMismatch'],
    evidence: {
      nestedAssertion: [{ label: 'nested Assertion', actual: 'ID _orig', path: '/Response/Extensions/Assertion' }],
      referenceMismatch: [
        { label: 'Reference URI', expected: '#_evil', actual: '#_orig', path: '/Response/Assertion/Signature/SignedInfo/Reference' },
        { label: 'element the signature sits in', actual: 'Assertion ID _evil', path: '/Response/Assertion' },
        { label: 'element the Reference points at', actual: '/Response/Extensions/Assertion' },
      ],
    },
    messageHas: { referenceMismatch: ['"#_orig"', 'is the ID of /Response/Extensions/Assertion'] },
  });

  out.push({
    name: 'XSW: forged assertion reuses the original ID',
    response: withExtensions(p.xml.replace(ASSERTION_RE, forge(p.assertion, '_orig')), p.assertion),
    keys: ['nestedAssertion', 'duplicateId'],
    evidence: {
      duplicateId: [
        { label: 'element 1 with ID _orig', actual: '_orig', path: '/Response/Extensions/Assertion' },
        { label: 'element 2 with ID _orig', actual: '_orig', path: '/Response/Assertion' },
      ],
    },
    messageHas: { duplicateId: ['_orig', '2 elements'] },
  });

  out.push({
    name: 'an Assertion hidden in Extensions next to an EncryptedAssertion',
    response: withExtensions(sign(makeResponse({ encrypted: true, responseId: '_encresp' }), { target: 'response' }), p.assertion),
    keys: ['nestedAssertion'],
    evidence: {
      nestedAssertion: [
        { label: 'nested Assertion', actual: 'ID _orig', path: '/Response/Extensions/Assertion' },
        { label: 'Response the sign-in is read from', actual: 'ID _encresp', path: '/Response' },
      ],
    },
  });

  out.push({
    name: 'the Response and the Assertion share one ID',
    response: signedResponse({ responseId: '_same', assertionId: '_same' }),
    keys: ['duplicateId'],
    evidence: {
      duplicateId: [
        { label: 'element 1 with ID _same', path: '/Response' },
        { label: 'element 2 with ID _same', path: '/Response/Assertion' },
      ],
    },
  });

  out.push({
    name: 'the Assertion signature references the Response',
    response: (() => {
      let n = 0;
      // Second Reference in document order is the Assertion's.
      return pBoth.xml.replace(/URI="#_orig"/g, (m) => (++n === 1 ? 'URI="#_resp"' : m));
    })(),
    keys: ['referenceMismatch'],
    evidence: {
      referenceMismatch: [
        { label: 'Reference URI', expected: '#_orig', actual: '#_resp', path: '/Response/Assertion/Signature/SignedInfo/Reference' },
        { label: 'element the Reference points at', actual: '/Response' },
      ],
    },
    messageHas: {
      referenceMismatch: ['The signature at /Response/Assertion/Signature sits in the Assertion _orig but its Reference points at "#_resp", which is the ID of /Response. It does not sign the element it is in.'],
    },
  });

  out.push({
    name: 'the Assertion signature references an ID that does not exist',
    response: p.xml.replace('URI="#_orig"', 'URI="#_nowhere"'),
    keys: ['referenceMismatch'],
    evidence: { referenceMismatch: [{ label: 'Reference URI', expected: '#_orig', actual: '#_nowhere' }, { label: 'element the Reference points at', actual: '(none)' }] },
    messageHas: { referenceMismatch: ['but its Reference points at "#_nowhere", which matches no element in the message. It does not'] },
  });

  out.push({
    name: 'the Assertion signature has no Reference URI',
    response: p.xml.replace(' URI="#_orig"', ''),
    keys: ['referenceMismatch'],
    evidence: { referenceMismatch: [{ label: 'Reference URI', expected: '#_orig', actual: '(no URI attribute)' }] },
    messageHas: { referenceMismatch: ['The signature at /Response/Assertion/Signature sits in the Assertion _orig but its Reference has no URI attribute. It does not sign the element it is in.'] },
  });

  out.push({
    name: 'the Assertion signature references another document (not a same-document reference)',
    response: p.xml.replace('URI="#_orig"', 'URI="https://evil.example/doc.xml"'),
    keys: ['referenceMismatch'],
    evidence: { referenceMismatch: [{ label: 'Reference URI', expected: '#_orig', actual: 'https://evil.example/doc.xml' }] },
    messageHas: { referenceMismatch: ['but its Reference points at "https://evil.example/doc.xml", which is not a same-document reference.'] },
  });

  out.push({
    name: 'the Assertion signature references the whole document (URI="")',
    response: p.xml.replace('URI="#_orig"', 'URI=""'),
    keys: ['emptyUri'],
    evidence: { emptyUri: [{ label: 'Reference URI', expected: '#_orig', actual: '"" (the whole document)', path: '/Response/Assertion/Signature/SignedInfo/Reference' }] },
    messageHas: { emptyUri: ['URI="#_orig"'] },
  });

  out.push({
    name: 'the Assertion signature has two References',
    response: p.xml.replace(
      '</Reference>',
      `</Reference><Reference URI="#_resp"><DigestMethod Algorithm="${URN.sha256}"/><DigestValue>AAAA</DigestValue></Reference>`,
    ),
    keys: ['multipleReferences'],
    evidence: {
      multipleReferences: [
        { label: 'Reference 1 of 2', expected: 'exactly one Reference, URI="#_orig"', actual: 'URI="#_orig"', path: '/Response/Assertion/Signature/SignedInfo/Reference[1]' },
        { label: 'Reference 2 of 2', actual: 'URI="#_resp"', path: '/Response/Assertion/Signature/SignedInfo/Reference[2]' },
      ],
    },
    messageHas: { multipleReferences: ['2 References', '"#_orig", "#_resp"'] },
  });

  out.push({
    name: 'a signature that signs an element the sign-in is not read from (Extensions)',
    response: withExtensions(
      p.xml,
      `<Signature xmlns="${DS}"><SignedInfo><CanonicalizationMethod Algorithm="${URN.excC14n}"/><SignatureMethod Algorithm="${URN.rsaSha256}"/>` +
        `<Reference URI="#_ext"><DigestMethod Algorithm="${URN.sha256}"/><DigestValue>AAAA</DigestValue></Reference></SignedInfo><SignatureValue>AAAA</SignatureValue></Signature>`,
      ' ID="_ext"',
    ),
    keys: ['signsUnreadElement'],
    evidence: {
      signsUnreadElement: [
        { label: 'signed element', expected: 'the Response or its Assertion', actual: 'Extensions ID _ext', path: '/Response/Extensions' },
        { label: 'Assertion the sign-in is read from', actual: 'ID _orig', path: '/Response/Assertion' },
      ],
    },
    messageHas: { signsUnreadElement: ['/Response/Extensions/Signature', '_orig'] },
  });
  return out;
})();

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => f.messageKey)).toEqual(c.keys);
      for (const f of found) {
        expectWellFormed(f);
        expect(f.severity).toBe('error');
        expect(f.fix, `${f.messageKey}: the fix`).toBe(fixOf(f.messageKey));
      }
      for (const [key, evidence] of Object.entries(c.evidence)) {
        const f = found.find((x) => x.messageKey === key)!;
        for (const e of evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
      }
      for (const [key, texts] of Object.entries(c.messageHas ?? {})) {
        const f = found.find((x) => x.messageKey === key)!;
        for (const t of texts) expect(f.message).toContain(t);
      }
    });
  }
});

// With the signatures verified (analyzeWithSignatures), the check also knows which element a
// valid signature covers: the element the sign-in is read from must be one of them.
describe(`${ID}, with cryptographic verdicts`, () => {
  const verifiedPass: Case[] = [
    { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
    { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
    { name: 'Response signed', response: signedResponse({}, { target: 'response' }) },
    { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
    { name: 'a changed assertion (signature-invalid reports it; no valid signature to compare)', response: signedResponse().replace(LAB.user, 'eve@contoso.com') },
  ];
  for (const c of verifiedPass) {
    it(`passes: ${c.name}`, async () => {
      expect(await verifiedFindingsFor(c, ID)).toEqual([]);
    });
  }

  const p = parts();
  const pResp = parts({ sign: 'response' });
  const verifiedFail: (Case & { keys: string[]; covered: string })[] = [
    {
      name: 'XSW: signed original moved into Extensions, forged assertion in its place',
      response: p.xml.replace(ASSERTION_RE, forge(p.assertion)).replace(ISSUER_END, `${ISSUER_END}<samlp:Extensions>${p.assertion}</samlp:Extensions>`),
      keys: ['nestedAssertion', 'notCovered'],
      covered: '/Response/Extensions/Assertion',
    },
    {
      name: 'XSW: forged assertion carries the original signature, whose Reference points at the moved original',
      response: withExtensions(
        p.xml.replace(ASSERTION_RE, p.assertion.replace('ID="_orig"', 'ID="_evil"').replace(LAB.user, 'attacker@evil.example')),
        p.assertion.replace(SIGNATURE_RE, ''),
      ),
      keys: ['nestedAssertion', 'referenceMismatch', 'notCovered'],
      covered: '/Response/Extensions/Assertion',
    },
    {
      name: 'XSW: a new Response around the signed original Response; the signature references the original',
      response: (() => {
        const sig = SIGNATURE_RE.exec(pResp.xml)![0];
        const original = pResp.xml.replace(sig, '');
        const forged = forge(pResp.assertion, '_evil');
        return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_outer" Version="2.0" IssueInstant="${/IssueInstant="([^"]+)"/.exec(original)![1]}" Destination="${LAB.acsUrl}">` +
          `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer>${sig}<samlp:Extensions>${original}</samlp:Extensions>` +
          `<samlp:Status><samlp:StatusCode Value="${URN.success}"/></samlp:Status>${forged}</samlp:Response>`;
      })(),
      keys: ['nestedAssertion', 'referenceMismatch', 'notCovered'],
      covered: '/Response/Extensions/Response',
    },
  ];
  for (const c of verifiedFail) {
    it(`fails: ${c.name}`, async () => {
      const found = await verifiedFindingsFor(c, ID);
      expect(found.map((f) => f.messageKey)).toEqual(c.keys);
      const f = found.find((x) => x.messageKey === 'notCovered')!;
      expectWellFormed(f);
      expect(f.severity).toBe('error');
      expect(f.fix).toBe(FIX);
      expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'Assertion the sign-in is read from', expected: 'covered by a valid signature', path: '/Response/Assertion' }));
      expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'element a valid signature covers', path: c.covered }));
      expect(f.message).toContain(`at ${c.covered}`);
      // The signature itself verifies: the attack is in which element it covers.
      expect((await verifiedFindingsFor(c, 'signature-invalid')).filter((x) => x.severity === 'error')).toEqual([]);
    });
  }
});

// Where a signature exists and the shape is wrapping, the finding is signature-wrapping alone:
// "not signed" would send the engineer to Entra's signing options, which are fine.
describe(`${ID}: signature-missing stays silent where a signature exists`, () => {
  const p = parts();
  const unsignedTwo: Case = { name: 'two unsigned assertions', response: makeResponse({ extraAssertions: 1 }) };
  for (const c of fail) {
    it(`no signature-missing: ${c.name}`, async () => {
      expect(findingsFor(c, 'signature-missing')).toEqual([]);
      expect(await verifiedFindingsFor(c, 'signature-missing')).toEqual([]);
      expect(findingsFor(c, ID).length).toBeGreaterThan(0);
    });
  }
  it('a forged assertion in place of the signed one (moved into Extensions): wrapping, not missing, verified or not', async () => {
    const c: Case = {
      name: 'xsw',
      response: p.xml.replace(ASSERTION_RE, forge(p.assertion)).replace(ISSUER_END, `${ISSUER_END}<samlp:Extensions>${p.assertion}</samlp:Extensions>`),
    };
    expect(findingsFor(c, 'signature-missing')).toEqual([]);
    expect((await verifiedFindingsFor(c)).filter((f) => f.checkId.startsWith('signature-')).map((f) => [f.checkId, f.messageKey])).toEqual([
      ['signature-wrapping', 'nestedAssertion'],
      ['signature-wrapping', 'notCovered'],
    ]);
  });
  it('with no signature anywhere, two assertions are still signature-missing (and wrapping for the count)', () => {
    expect(findingsFor(unsignedTwo, 'signature-missing').map((f) => f.messageKey)).toEqual(['unsigned', 'unsigned']);
    expect(findingsFor(unsignedTwo, ID).map((f) => f.messageKey)).toEqual(['multipleAssertions']);
  });
});
