// decode-error is produced by analyze() itself (decodeErrorFinding) for values that cannot be
// decoded or parsed; the other messages of the same analysis must still be read and checked.
import { deflateRaw } from 'pako';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/analyze.ts';
import type { UnreadableCode } from '../../lib/checks/decode-error.ts';
import type { CapturedMessage } from '../../lib/types.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from '../lab/factory.ts';
import { expectWellFormed, type Case, passTable } from './harness.ts';

const ID = 'decode-error';
const reqId = samlId();
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const deflated = (s: string) => Buffer.from(deflateRaw(new TextEncoder().encode(s))).toString('base64');

/** A redirect-binding value cut in half, as a chat or ticket system does. */
function truncatedRedirect(): string {
  const bytes = Buffer.from(decodeURIComponent(toRedirect(makeAuthnRequest())), 'base64');
  return bytes.subarray(0, Math.floor(bytes.length / 2)).toString('base64');
}

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'plain XML pasted instead of base64', response: 'x', capture: { raw: signedResponse() } },
];

interface Fail {
  name: string;
  raw: string;
  code: UnreadableCode;
  param?: CapturedMessage['param'];
  maxBytes?: number;
}

const fail: Fail[] = [
  { name: 'empty value', raw: '', code: 'empty' },
  { name: 'only whitespace', raw: '  \n ', code: 'empty' },
  { name: 'not base64 (a $ in the middle)', raw: 'PHNhbWxwOlJlc3BvbnNl$$$', code: 'bad-base64' },
  { name: 'redirect value truncated mid-DEFLATE', raw: truncatedRedirect(), code: 'inflate-failed', param: 'SAMLRequest' },
  { name: 'base64 of something that is not XML (a JSON token)', raw: b64('{"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9"}'), code: 'not-xml' },
  { name: 'DEFLATE of something that is not XML', raw: deflated('hello, this is not xml at all'), code: 'not-xml', param: 'SAMLRequest' },
  {
    name: 'DOCTYPE with an entity (refused unread)',
    raw: b64(`<!DOCTYPE r [<!ENTITY who "evil@attacker.example">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><NameID>&who;</NameID></samlp:Response>`),
    code: 'doctype-refused',
  },
  { name: 'malformed XML (unclosed Issuer)', raw: b64('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer></samlp:Response>'), code: 'malformed-xml' },
  {
    name: 'a saml2: prefix with no xmlns:saml2 in scope (a fragment pasted out of its message)',
    raw: b64('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0"><saml2:Assertion ID="_a"/></samlp:Response>'),
    code: 'undeclared-prefix',
  },
  { name: 'truncated base64 that still decodes to the start of XML', raw: b64(signedResponse()).slice(0, 400), code: 'malformed-xml' },
  {
    name: 'a bare Assertion instead of the Response',
    raw: b64(/<Assertion [\s\S]*<\/Assertion>/.exec(signedResponse())![0]),
    code: 'not-saml',
  },
  {
    name: 'SAML metadata instead of a message',
    raw: b64(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${LAB.issuer}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`),
    code: 'not-saml',
  },
  // 400 group claims (~34 KB) against a 20 KB limit; the clean response beside it (~6 KB) stays readable.
  { name: 'larger than maxBytes', raw: toPost(signedResponse({ groups: 400 })), code: 'too-large', maxBytes: 20_000 },
];

describe(ID, () => {
  passTable(ID, pass);

  for (const c of fail) {
    it(`fails: ${c.name} → ${c.code}`, () => {
      const param = c.param ?? 'SAMLResponse';
      const good = signedResponse();
      let r: ReturnType<typeof analyze> | undefined;
      expect(() => {
        r = analyze({
          messages: [
            { id: 'bad', raw: c.raw, param, binding: param === 'SAMLRequest' ? 'redirect' : 'post', url: LAB.acsUrl, time: new Date().toISOString() },
            { id: 'good', raw: toPost(good), param: 'SAMLResponse', binding: 'post', url: LAB.acsUrl, time: new Date().toISOString() },
          ],
          ...(c.maxBytes ? { maxBytes: c.maxBytes } : {}),
        });
      }).not.toThrow();
      const res = r!;
      // The bad message is kept, marked unreadable with its code.
      const bad = res.messages.find((m) => m.id === 'bad')!;
      expect(bad.ok).toBe(false);
      expect(bad.error?.code).toBe(c.code);
      // Exactly one decode-error, for the bad message.
      const found = res.findings.filter((f) => f.checkId === ID);
      expect(found).toHaveLength(1);
      const f = found.find((x) => x.messageId === 'bad')!;
      expectWellFormed(f);
      expect(f.severity).toBe('error');
      expect(f.messageKey).toBe('unreadable');
      expect(f.message).toContain(`${param} could not be read (${c.code})`);
      if (c.code === 'undeclared-prefix') {
        expect(f.message).toContain('undeclared namespace prefix saml2 on element saml2:Assertion (line 1, column 91)');
        expect(f.fix).toMatch(/without its xmlns declaration/);
      }
      expect(f.evidence).toContainEqual({ label: 'error', actual: c.code });
      expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'value as received' }));
      expect(f.evidence).toContainEqual({ label: 'URL', actual: LAB.acsUrl });
      // No other check ran on the unreadable message.
      expect(res.findings.filter((x) => x.messageId === 'bad' && x.checkId !== ID)).toEqual([]);
      // The other message is read and checked as usual.
      const ok = res.messages.find((m) => m.id === 'good')!;
      expect(ok.ok).toBe(true);
      expect(ok.kind).toBe('Response');
      expect(ok.model?.kind).toBe('Response');
    });
  }

  it('a long value is shortened in the evidence, with its length', () => {
    const raw = 'A'.repeat(99) + '$';
    const r = analyze({ messages: [{ id: 'x', raw, param: 'SAMLResponse' }] });
    const f = r.findings.find((x) => x.checkId === ID)!;
    expect(f.evidence).toContainEqual({ label: 'value as received', actual: `${'A'.repeat(60)}… (100 characters)` });
  });

  it('a value without a known parameter name says "The value"', () => {
    const r = analyze({ messages: [{ id: 'x', raw: '' }] });
    expect(r.findings.find((x) => x.checkId === ID)!.message).toMatch(/^The value could not be read \(empty\)/);
  });
});
