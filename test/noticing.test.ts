// Tests that would notice (issue 17): each case here kills a mutant of the core that survived the
// hand-made mutation round (boundaries, letter case, weak algorithms, whitespace in base64, the
// e-mail pattern and word boundaries of redaction, merging of attempts). Each asserts values.
import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { decodeSamlValue } from '../lib/decode/index.ts';
import { Redactor } from '../lib/evidence/redact.ts';
import { describeCertificate, isCertificateError } from '../lib/signature/cert.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect, makeResponse } from './lab/factory.ts';
import { IDP_KEY } from './lab/keys.ts';
import { at } from './clock.ts';
import { findingsFor, verifiedFindingsFor } from './checks/harness.ts';

const KEY = new Uint8Array(32).fill(7);

describe('the clock tolerance boundary of not-yet-valid (300 s)', () => {
  const t0 = at(0);
  const keys = (aheadSeconds: number) =>
    findingsFor({ name: 'nb', response: signedResponse({ issueInstant: t0, notBefore: at(aheadSeconds) }), now: t0 }, 'conditions-not-yet-valid').map((f) => [f.messageKey, f.severity]);
  it('exactly the tolerance ahead is saved by it (a warning); one second more is an error', () => {
    expect(keys(300)).toEqual([['withinTolerance', 'warning']]);
    expect(keys(301)).toEqual([['notYetValid', 'error']]);
  });
  it('under one second ahead is measurement error (Date headers have whole seconds): nothing', () => {
    expect(findingsFor({ name: 'nb', response: signedResponse({ issueInstant: t0, notBefore: new Date(t0.getTime() + 999) }), now: t0 }, 'conditions-not-yet-valid')).toEqual([]);
    expect(keys(1)).toEqual([['withinTolerance', 'warning']]);
  });
});

describe('certificate expiry boundaries (30 days, and expiry at the sign-in instant)', () => {
  const info = describeCertificate(IDP_KEY.certBase64);
  if (isCertificateError(info) || !info.notAfter) throw new Error('the lab certificate has no NotAfter');
  const notAfter = info.notAfter.getTime();
  const DAY = 86400e3;
  const findingsAt = (ms: number) => verifiedFindingsFor({ name: 'cert', response: signedResponse({ issueInstant: new Date(ms) }), now: new Date(ms) }, 'certificate-expiring');
  const keysAt = async (ms: number) => (await findingsAt(ms)).map((f) => [f.messageKey, f.severity]);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  it('30 days or more before NotAfter: nothing; 30 days less one second: expiring', async () => {
    expect(await keysAt(notAfter - 30 * DAY)).toEqual([]);
    expect(await keysAt(notAfter - 30 * DAY + 1000)).toEqual([['expiring', 'warning']]);
    const f = await findingsAt(notAfter - 29 * DAY);
    expect(f.map((x) => x.messageKey)).toEqual(['expiring']);
    expect(f[0]!.message).toContain(`expires on ${iso(notAfter)}, in 29 days (less than 30 days after this sign-in`);
    expect(f[0]!.evidence[0]).toMatchObject({ label: 'certificate valid to (NotAfter)', expected: `30 days or more after ${iso(notAfter - 29 * DAY)}`, actual: iso(notAfter) });
  });
  it('NotAfter is inclusive (RFC 5280 4.1.2.5): valid at that instant, expired one second later', async () => {
    expect(await keysAt(notAfter - 1000)).toEqual([['expiring', 'warning']]);
    expect(await keysAt(notAfter)).toEqual([['expiring', 'warning']]);
    const f = await findingsAt(notAfter + 3 * DAY);
    expect(f.map((x) => [x.messageKey, x.severity])).toEqual([['expired', 'warning']]);
    expect(f[0]!.message).toContain(`expired on ${iso(notAfter)}, 3 days before this sign-in`);
    expect(await keysAt(notAfter + 1000)).toEqual([['expired', 'warning']]);
  });
  it('before NotBefore the certificate is not valid yet, saying how long until it is', async () => {
    const notBefore = (info as { notBefore: Date }).notBefore.getTime();
    const f = await findingsAt(notBefore - 5 * DAY);
    expect(f.map((x) => x.messageKey)).toEqual(['notYetValid']);
    expect(f[0]!.message).toContain(`is valid only from ${iso(notBefore)}, 5 days after this sign-in`);
    expect(await keysAt(notBefore)).toEqual([]);
  });
});

describe('letter case: an Audience differs when only its case does', () => {
  it('an upper-case Audience is not the configured entity ID', () => {
    const upper = LAB.spEntityId.replace('https://eu-west-1', 'https://EU-WEST-1');
    const f = findingsFor({ name: 'aud', response: signedResponse({ audience: upper }), expectations: { spEntityId: LAB.spEntityId } }, 'audience-mismatch');
    expect(f.map((x) => [x.messageKey, x.severity])).toEqual([['differs', 'error']]);
    expect(f[0]!.evidence[0]).toMatchObject({ expected: LAB.spEntityId, actual: upper });
  });
  it('an Issuer whose tenant id is in upper case is not the configured IdP entity ID', () => {
    const upper = `https://sts.windows.net/${LAB.tenantId.toUpperCase()}/`;
    const f = findingsFor({ name: 'iss', response: signedResponse({ issuer: upper, assertionIssuer: upper }), expectations: { idpEntityId: LAB.issuer } }, 'issuer-mismatch');
    expect(f.map((x) => x.messageKey)).toContain('differs');
  });
});

describe('MD5 is weak too', () => {
  it('an MD5 SignatureMethod and DigestMethod are reported, named as MD5', () => {
    const xml = signedResponse()
      .replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#rsa-md5')
      .replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmldsig-more#md5');
    const f = findingsFor({ name: 'md5', response: xml }, 'signature-weak-algorithm');
    expect(f.map((x) => [x.messageKey, x.severity])).toEqual([['xml', 'warning']]);
    expect(f[0]!.message).toContain('rsa-md5');
    expect(f[0]!.message).toContain('xmldsig-more#md5');
    expect(f[0]!.message).toMatch(/^The signature in Assertion \(\/Response\/Assertion\) uses MD5: SignatureMethod /);
  });
});

describe('base64 with tabs and other line wrapping', () => {
  it('tabs, CR LF and form feeds inside the base64 are dropped, and the message reads the same', () => {
    const xml = makeResponse();
    const b64 = Buffer.from(xml).toString('base64');
    const wrapped = b64.replace(/(.{60})/g, '$1\t').replace(/(.{200})/g, '$1\r\n').replace(/(.{333})/g, '$1\f');
    expect(wrapped).toContain('\t');
    const d = decodeSamlValue(wrapped);
    expect(d.ok && d.xml).toBe(xml);
  });
});

describe('redaction: the e-mail pattern and word boundaries', () => {
  it('an address with a "+" tag in free text is replaced whole (remove)', () => {
    const r = new Redactor({ mode: 'remove', key: KEY });
    r.collectFromText('Ask jane.doe+aws@contoso.com (or her manager) for access.');
    expect(r.text('Ask jane.doe+aws@contoso.com (or her manager) for access. jane.doe+aws@contoso.com.')).toBe(
      'Ask xxxx.xxx+xxx@xxxxxxx.com (or her manager) for access. xxxx.xxx+xxx@xxxxxxx.com.',
    );
  });
  it('an address with a "+" tag in free text is replaced whole (pseudonymise), keeping its shape', () => {
    const r = new Redactor({ mode: 'pseudonymise', key: KEY });
    r.collectFromText('jane.doe+aws@contoso.com');
    const out = r.text('User jane.doe+aws@contoso.com signed in')!;
    expect(out).toMatch(/^User [a-z]{4}\.[a-z]{3}\+[a-z]{3}@[a-z]{7}\.com signed in$/);
    expect(out).not.toMatch(/jane|doe|aws@|contoso/);
  });
  it('a collected name is replaced only as a whole word: "annual" and "banner" stay', () => {
    const r = new Redactor({ mode: 'remove', key: KEY });
    r.collectIdentifier('ann@contoso.com', 'identity');
    expect(r.text('The annual report for ann from contoso.com: ann@contoso.com, Ann, ANN, banner')).toBe(
      'The annual report for xxx from xxxxxxx.com: xxx@xxxxxxx.com, Xxx, XXX, banner',
    );
  });
});

describe('attempts: a second Response never merges into an attempt that has one', () => {
  const t = (s: number) => at(s).toISOString();
  it('two responses to one request in one tab: the first answers it, the retry is its own (IdP-initiated) attempt', () => {
    const id = samlId();
    const a = analyze({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: t(0), tabId: 1 },
        { id: 'r1', raw: toPost(signedResponse({ inResponseTo: id, issueInstant: at(1) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: t(1), tabId: 1 },
        { id: 'r2', raw: toPost(signedResponse({ issueInstant: at(30) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: t(30), tabId: 1 },
      ],
    });
    expect(a.flows.map((f) => [f.type, f.messageIds])).toEqual([
      ['sp-initiated', ['q', 'r1']],
      ['idp-initiated', ['r2']],
    ]);
  });
  it('a lone Response without InResponseTo is IdP-initiated; with a captured request before it, SP-initiated', () => {
    const lone = analyze({ messages: [{ id: 'r', raw: toPost(signedResponse({ issueInstant: at(0) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: t(0), tabId: 3 }] });
    expect(lone.flows.map((f) => f.type)).toEqual(['idp-initiated']);
    const id = samlId();
    const sp = analyze({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: t(0), tabId: 3 },
        { id: 'r', raw: toPost(signedResponse({ inResponseTo: id, issueInstant: at(2) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: t(2), tabId: 3 },
      ],
    });
    expect(sp.flows.map((f) => f.type)).toEqual(['sp-initiated']);
  });
});
