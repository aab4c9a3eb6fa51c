import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { isoTime, LAB, makeAuthnRequest, samlId, signedResponse, toPost, URN } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

const ID = 'nameid-comment';
const reqId = samlId();
const NAMEID = '/Response/Assertion/Subject/NameID';
const AC_DEPT = `${URN.accessControl}Department`;

/** Replaces the n-th (1-based) occurrence of `find`. */
function nth(xml: string, find: string, n: number, replacement: string): string {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = xml.indexOf(find, i + 1);
    if (i < 0) throw new Error(`occurrence ${n} of ${find} not found`);
  }
  return xml.slice(0, i) + replacement + xml.slice(i + find.length);
}

const commentedIssuer = `https://sts.windows.net/<!---->${LAB.tenantId}/`;

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Response and Assertion signed', response: signedResponse({}, { target: 'both' }) },
  { name: 'a NameID whose text looks like a comment but is escaped (as Entra sends it)', response: signedResponse({ nameId: 'user@example.com<!---->.evil.com' }) },
  { name: 'a NameID with surrounding whitespace', response: signedResponse({ nameIdRawContent: `\n  ${LAB.user}\n` }) },
  {
    name: 'structured XML in an AccessControl AttributeValue (accesscontrol-invalid\'s job)',
    response: signedResponse({ attributes: [{ name: AC_DEPT, values: ['<Dept>Finance</Dept>'], rawXml: true }] }),
  },
  {
    name: 'pretty-printed structured XML in an AttributeValue',
    response: signedResponse({ attributes: [{ name: 'custom', values: ['\n  <a>1</a>\n  <b>2</b>\n'], rawXml: true }] }),
  },
];

interface Fail extends Case {
  key: 'split' | 'childElements';
  what: string;
  evidence: Partial<Evidence>[];
  messageHas: string[];
}

const fail: Fail[] = [
  {
    name: 'the classic: user@example.com<!---->.evil.com in NameID',
    response: signedResponse({ nameIdRawContent: 'user@example.com<!---->.evil.com' }),
    key: 'split',
    what: 'NameID',
    messageHas: ['a comment and 2 separate text nodes', '"user@example.com.evil.com"', '"user@example.com"'],
    evidence: [
      { label: 'NameID', expected: 'user@example.com.evil.com', actual: 'user@example.com', path: NAMEID },
      { label: 'inside the element', actual: 'a comment and 2 separate text nodes', path: NAMEID },
    ],
  },
  {
    name: 'a trailing comment in NameID (same value either way, still never sent by Entra)',
    response: signedResponse({ nameIdRawContent: `${LAB.user}<!-- x -->` }),
    key: 'split',
    what: 'NameID',
    messageHas: ['contains a comment.'],
    evidence: [{ label: 'NameID', expected: LAB.user, actual: LAB.user, path: NAMEID }],
  },
  {
    name: 'a processing instruction in NameID',
    response: signedResponse({ nameIdRawContent: 'user@example.com<?x y?>.evil.com' }),
    key: 'split',
    what: 'NameID',
    messageHas: ['a processing instruction and 2 separate text nodes'],
    evidence: [{ label: 'NameID', expected: 'user@example.com.evil.com', actual: 'user@example.com' }],
  },
  {
    name: 'a CDATA section splitting NameID',
    response: signedResponse({ nameIdRawContent: 'user@example.com<![CDATA[.evil.com]]>' }),
    key: 'split',
    what: 'NameID',
    messageHas: ['text split into more than one node'],
    evidence: [{ label: 'NameID', expected: 'user@example.com.evil.com', actual: 'user@example.com' }],
  },
  {
    name: 'a child element inside NameID',
    response: signedResponse({ nameIdRawContent: `<b>${LAB.user}</b>` }),
    key: 'childElements',
    what: 'NameID',
    messageHas: ['contains child elements instead of plain text'],
    evidence: [{ label: 'inside the element', actual: 'child elements', path: NAMEID }],
  },
  {
    name: 'a comment in the Response Issuer',
    response: nth(signedResponse(), `>${LAB.issuer}</Issuer>`, 1, `>${commentedIssuer}</Issuer>`),
    key: 'split',
    what: 'Response Issuer',
    messageHas: ['The Response Issuer at /Response/Issuer'],
    evidence: [{ label: 'Response Issuer', expected: LAB.issuer, actual: 'https://sts.windows.net/', path: '/Response/Issuer' }],
  },
  {
    name: 'a comment in the Assertion Issuer',
    response: nth(signedResponse(), `>${LAB.issuer}</Issuer>`, 2, `>${commentedIssuer}</Issuer>`),
    key: 'split',
    what: 'Assertion Issuer',
    messageHas: ['/Response/Assertion/Issuer'],
    evidence: [{ label: 'Assertion Issuer', expected: LAB.issuer, actual: 'https://sts.windows.net/', path: '/Response/Assertion/Issuer' }],
  },
  {
    name: 'a comment in the Audience',
    response: signedResponse().replace(`>${LAB.spEntityId}</Audience>`, `>${LAB.spEntityId}<!---->.evil.example</Audience>`),
    key: 'split',
    what: 'Audience',
    messageHas: ['The Audience at'],
    evidence: [
      {
        label: 'Audience',
        expected: `${LAB.spEntityId}.evil.example`,
        actual: LAB.spEntityId,
        path: '/Response/Assertion/Conditions/AudienceRestriction/Audience',
      },
    ],
  },
  {
    name: 'a comment in an AccessControl AttributeValue',
    response: signedResponse({ attributes: [{ name: AC_DEPT, values: ['Fin<!---->ance'], rawXml: true }] }),
    key: 'split',
    what: `AttributeValue of ${AC_DEPT}`,
    messageHas: [`AttributeValue of ${AC_DEPT}`],
    evidence: [{ label: `AttributeValue of ${AC_DEPT}`, expected: 'Finance', actual: 'Fin', path: '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue' }],
  },
  {
    name: 'a comment next to structured XML in an AttributeValue (the comment is flagged, the XML is not)',
    response: signedResponse({ attributes: [{ name: 'custom', values: ['<a>1</a><!-- x --><b>2</b>'], rawXml: true }] }),
    key: 'split',
    what: 'AttributeValue of custom',
    messageHas: ['contains a comment.'],
    evidence: [{ label: 'inside the element', actual: 'a comment' }],
  },
];

// The fix word for word.
const FIX =
  'Entra escapes every value it sends, so it never writes a comment, processing instruction or markup inside these elements: ' +
  'the message was altered after Entra built it. Do not use it; capture the sign-in again straight from the browser, and if it repeats, ' +
  'keep the capture and report it to your security team.';

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found).toHaveLength(1);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.severity).toBe('error');
      expect(f.messageKey).toBe(c.key);
      expect(f.message).toContain(`The ${c.what} at`);
      for (const t of c.messageHas) expect(f.message).toContain(t);
      for (const e of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
      expect(f.fix).toBe(FIX);
    });
  }

  it('fails: a comment in a LogoutRequest NameID', () => {
    const xml =
      `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${isoTime(new Date())}">` +
      `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer>` +
      `<NameID xmlns="urn:oasis:names:tc:SAML:2.0:assertion">user@example.com<!---->.evil.com</NameID></samlp:LogoutRequest>`;
    const found = findingsFor({ name: 'logout', response: xml, capture: { raw: toPost(xml), param: 'SAMLRequest' } }, ID);
    expect(found).toHaveLength(1);
    expect(found[0]!.messageKey).toBe('split');
    expect(found[0]!.evidence).toContainEqual(expect.objectContaining({ label: 'NameID', path: '/LogoutRequest/NameID', actual: 'user@example.com' }));
  });

  it('the messages word for word: split text, and child elements with a comment beside them', () => {
    const [split] = findingsFor(fail[0]!, ID);
    expect(split?.message).toBe(
      `The NameID at ${NAMEID} contains a comment and 2 separate text nodes. A reader that joins the text sees "user@example.com.evil.com"; one that stops at the first text node sees "user@example.com". The signature cannot tell them apart.`,
    );
    expect(split?.evidence[0]?.source).toBe('expected: all text nodes joined (what the signature covers); actual: the first text node (what a DOM firstChild reader sees)');
    const [child] = findingsFor({ name: 'child', response: signedResponse({ nameIdRawContent: `<b>${LAB.user}</b><!-- x -->` }) }, ID);
    expect(child?.messageKey).toBe('childElements');
    expect(child?.message).toBe(
      `The NameID at ${NAMEID} contains child elements and a comment instead of plain text. Entra never sends markup there, and readers disagree on its value (no text of its own, or the text inside the child elements).`,
    );
    expect(child?.evidence[1]).toEqual({ label: 'inside the element', actual: 'a comment and child elements', path: NAMEID });
    const [plain] = findingsFor(fail[4]!, ID);
    expect(plain?.message).toBe(
      `The NameID at ${NAMEID} contains child elements instead of plain text. Entra never sends markup there, and readers disagree on its value (no text of its own, or the text inside the child elements).`,
    );
    const [mixed] = findingsFor({ name: 'mixed', response: signedResponse({ nameIdRawContent: 'a@b.com<b>x</b>' }) }, ID);
    expect(mixed?.message).toBe(
      `The NameID at ${NAMEID} contains child elements instead of plain text. Entra never sends markup there, and readers disagree on its value (its own text "a@b.com", or the text inside the child elements).`,
    );
    const [around] = findingsFor({ name: 'around', response: signedResponse({ nameIdRawContent: 'a<b>c</b>d' }) }, ID);
    expect(around?.message).toBe(
      `The NameID at ${NAMEID} contains child elements and 2 separate text nodes instead of plain text. Entra never sends markup there, and readers disagree on its value ("ad" joined vs "a" first text node).`,
    );
  });

  it('child elements in an Issuer or an Audience are markup, not structured XML (only an AttributeValue may hold XML)', () => {
    const issuer = nth(signedResponse(), `>${LAB.issuer}</Issuer>`, 1, `><b>${LAB.issuer}</b></Issuer>`);
    expect(findingsFor({ name: 'issuer child', response: issuer }, ID).map((f) => [f.messageKey, f.evidence[0]!.label])).toEqual([['childElements', 'Response Issuer']]);
    const assertionIssuer = nth(signedResponse(), `>${LAB.issuer}</Issuer>`, 2, `><b>${LAB.issuer}</b></Issuer>`);
    expect(findingsFor({ name: 'assertion issuer child', response: assertionIssuer }, ID).map((f) => [f.messageKey, f.evidence[0]!.label])).toEqual([['childElements', 'Assertion Issuer']]);
    const audience = signedResponse().replace(`>${LAB.spEntityId}</Audience>`, `><b>${LAB.spEntityId}</b></Audience>`);
    expect(findingsFor({ name: 'audience child', response: audience }, ID).map((f) => [f.messageKey, f.evidence[0]!.label])).toEqual([['childElements', 'Audience']]);
  });

  it('three tricks at once are listed as "a, b and c"', () => {
    const [f] = findingsFor({ name: 'three', response: signedResponse({ nameIdRawContent: 'a@b.com<!---->x<?p q?>.c' }) }, ID);
    expect(f?.evidence[1]?.actual).toBe('a comment, a processing instruction and 3 separate text nodes');
  });

  it('reports each tampered value once: NameID and Audience together', () => {
    const xml = signedResponse({ nameIdRawContent: 'a@b.com<!---->.c' }).replace(`>${LAB.spEntityId}</Audience>`, `>x<!---->y</Audience>`);
    expect(findingsFor({ name: 'two', response: xml }, ID).map((f) => f.evidence[0]!.label)).toEqual(['NameID', 'Audience']);
  });
});
