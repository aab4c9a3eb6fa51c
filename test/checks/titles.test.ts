// Words that never contradict (issue 12): every message variant has its own title, a title says
// what its message says, and "Entra" is said only when the identity provider is Entra.
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../lib/checks/index.ts';
import { inIdpTerms, idpIsEntra } from '../../lib/domain/idp-words.ts';
import { ENTRA_NAMEID_FORMAT, REPLY_URL_FIX } from '../../lib/checks/fixes.ts';
import { LAB, makeResponse, samlId, signedResponse, URN } from '../lab/factory.ts';
import { at } from '../clock.ts';
import { findingsFor, verifiedFindingsFor } from './harness.ts';

describe('a title per message variant', () => {
  for (const c of CHECKS) {
    it(`${c.id}: every message has its own title, short, without placeholders`, () => {
      expect(Object.keys(c.titles).sort()).toEqual(Object.keys(c.messages).sort());
      for (const [k, t] of Object.entries(c.titles) as [string, string][]) {
        expect(t.length, `${c.id}/${k}`).toBeGreaterThan(10);
        expect(t.length, `${c.id}/${k}`).toBeLessThanOrEqual(100);
        expect(t, `${c.id}/${k}`).not.toMatch(/\{\w+\}|\.$/);
      }
    });
  }
});

describe('the contradictions issue 12 lists', () => {
  it('"InResponseTo cannot be checked" is not titled "does not answer the AuthnRequest"', () => {
    const f = findingsFor({ name: 'irt', response: signedResponse({ inResponseTo: samlId() }) }, 'in-response-to-mismatch');
    expect(f.map((x) => [x.messageKey, x.severity, x.title])).toEqual([['unchecked', 'info', 'InResponseTo cannot be checked (the request was not captured)']]);
  });

  it('a bearer SubjectConfirmationData with NotBefore is not titled "not valid yet"', () => {
    const t0 = at(0);
    const f = findingsFor({ name: 'scd', response: signedResponse({ issueInstant: t0, scdNotBefore: t0 }), now: at(1) }, 'conditions-not-yet-valid');
    expect(f.map((x) => [x.messageKey, x.title])).toEqual([['scdNotBefore', 'The SubjectConfirmationData carries a NotBefore it must not have']]);
  });

  it('a Response with no Status is not titled "reported a failure"', () => {
    const xml = makeResponse().replace(/<samlp:Status>.*?<\/samlp:Status>/, '');
    const f = findingsFor({ name: 'nostatus', response: xml }, 'status-not-success');
    expect(f.map((x) => [x.messageKey, x.title])).toEqual([['missing', 'The response has no Status']]);
  });

  it('an empty validity window is one finding, not also an error or a warning that the tolerance saves it', () => {
    const t0 = at(0);
    // NotBefore = NotOnOrAfter, one minute after the reference time: within the clock tolerance.
    const edge = at(60);
    const all = findingsFor({ name: 'empty', response: signedResponse({ issueInstant: t0, notBefore: edge, notOnOrAfter: edge }), now: t0 });
    const timeFindings = all.filter((f) => f.checkId.startsWith('conditions-'));
    expect(timeFindings.map((f) => [f.checkId, f.messageKey, f.severity])).toEqual([['conditions-expired', 'emptyWindow', 'error']]);
    // The same window an hour in the past: still only the empty window.
    const past = at(-3600);
    const old = findingsFor({ name: 'empty-past', response: signedResponse({ issueInstant: t0, notBefore: past, notOnOrAfter: past }), now: t0 });
    expect(old.filter((f) => f.checkId.startsWith('conditions-')).map((f) => f.messageKey)).toEqual(['emptyWindow']);
  });

  it('an empty or non-base64 DigestValue / SignatureValue is described as such, not as "changed after signing"', async () => {
    const signed = signedResponse();
    const cases: [string, string, string][] = [
      [signed.replace(/<DigestValue>[^<]*<\/DigestValue>/, '<DigestValue></DigestValue>'), 'malformedDigest', 'empty'],
      [signed.replace(/<DigestValue>[^<]*<\/DigestValue>/, '<DigestValue>not*base64!</DigestValue>'), 'malformedDigest', 'not base64'],
      [signed.replace(/<SignatureValue>[^<]*<\/SignatureValue>/, '<SignatureValue></SignatureValue>'), 'malformedValue', 'empty'],
      [signed.replace(/<SignatureValue>[^<]*<\/SignatureValue>/, '<SignatureValue>%%%%</SignatureValue>'), 'malformedValue', 'not base64'],
    ];
    for (const [xml, key, what] of cases) {
      expect(xml).not.toBe(signed);
      const f = await verifiedFindingsFor({ name: key, response: xml }, 'signature-invalid');
      expect(f.map((x) => x.messageKey), `${key} ${what}`).toEqual([key]);
      expect(f[0]!.message).toContain(`is ${what}`);
      expect(f[0]!.message + f[0]!.title).not.toContain('changed after it was signed');
    }
  });
});

describe('"Entra" only when the identity provider is Entra', () => {
  const problems = { nameIdFormat: URN.unspecified, destination: `${LAB.acsUrl}/`, recipient: `${LAB.acsUrl}/` };
  it('a response from Entra names Entra and its click paths', () => {
    const f = findingsFor({ name: 'entra', response: signedResponse(problems) });
    const text = f.map((x) => `${x.title} ${x.message} ${x.fix}`).join('\n');
    expect(f.find((x) => x.checkId === 'nameid-format')!.fix).toContain(ENTRA_NAMEID_FORMAT);
    expect(f.find((x) => x.checkId === 'destination-mismatch')!.fix).toBe(REPLY_URL_FIX);
    expect(text).toContain('Entra admin center');
  });
  it('the same problems from another identity provider: no "Entra", no AADSTS, fixes in general IdP terms', () => {
    const issuer = 'https://idp.example.org/idp/shibboleth';
    const f = findingsFor({ name: 'shib', response: signedResponse({ ...problems, issuer, assertionIssuer: issuer }) });
    expect(f.length).toBeGreaterThan(2);
    for (const x of f) {
      for (const s of [x.title, x.message, x.fix, ...x.evidence.map((e) => `${e.label} ${e.source ?? ''}`)]) {
        if (x.checkId === 'issuer-mismatch' && x.messageKey === 'notEntra' && s !== x.fix) continue; // says it is not Entra's, on purpose
        expect(s, `${x.checkId}/${x.messageKey}`).not.toMatch(/Entra|AADSTS/);
      }
      expect(x.fix.length, `${x.checkId} keeps a fix`).toBeGreaterThan(20);
    }
    expect(f.find((x) => x.checkId === 'nameid-format')!.fix).toContain("The identity provider's configuration of the AWS IAM Identity Center application → the NameID (subject) → its format: Email address");
    expect(f.find((x) => x.checkId === 'destination-mismatch')!.fix).toContain('the ACS (reply) URL it posts responses to');
  });
  it('decides by the Issuer of a response and by the destination of a request', () => {
    expect(inIdpTerms('Entra answered. Entra writes X. See Entra admin center → Identity → Monitoring & health → Sign-in logs.')).toBe(
      "The identity provider answered. The identity provider's sign-in logs.".replace("The identity provider's sign-in logs.", "See the identity provider's sign-in logs."),
    );
    expect(inIdpTerms('Nothing about the IdP here.')).toBe('Nothing about the IdP here.');
    const resp = (issuer: string) => ({ kind: 'Response', issuer: { value: issuer }, assertions: [] }) as never;
    expect(idpIsEntra(resp(LAB.issuer))).toBe(true);
    expect(idpIsEntra(resp(`https://login.microsoftonline.com/${LAB.tenantId}/v2.0`))).toBe(true);
    expect(idpIsEntra(resp('https://sts.windows.net.evil.example/x/'))).toBe(false);
    expect(idpIsEntra(resp('http://www.okta.com/exk1'))).toBe(false);
    const req = (destination: string) => ({ kind: 'AuthnRequest', issuer: { value: LAB.spEntityId }, destination }) as never;
    expect(idpIsEntra(req(LAB.ssoUrl))).toBe(true);
    expect(idpIsEntra(req('https://idp.example.org/sso'))).toBe(false);
  });
});
