import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { diffParts, selectBadge, selectFlowFindings, selectLatestFlow, selectVerdict } from '../lib/store/selectors.ts';
import { LAB, URN, makeAuthnRequest, makeResponse, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { isoAt } from './clock.ts';
import { asClause } from '../lib/report/diagnosis.ts';

const t = isoAt();
const pair = (resp: (id: string) => string) => {
  const id = samlId();
  return analyze({
    messages: [
      { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', time: t, url: LAB.ssoUrl },
      { id: 'r', raw: toPost(resp(id)), param: 'SAMLResponse', time: t, url: LAB.acsUrl },
    ],
    now: new Date(t),
  });
};

describe('selectors', () => {
  it('says a clean sign-in should work, and the badge says ok', () => {
    const a = pair((id) => signedResponse({ inResponseTo: id, issueInstant: new Date(t) }));
    expect(selectVerdict(a, selectLatestFlow(a))).toMatchObject({ tone: 'ok', text: 'This sign-in should work' });
    expect(selectBadge(a)).toEqual({ text: 'ok', tone: 'ok' });
  });

  it('counts errors for the verdict and the badge, errors first', () => {
    const a = pair((id) => makeResponse({ inResponseTo: id, issueInstant: new Date(t), audience: `${LAB.spEntityId}/` }));
    const v = selectVerdict(a, selectLatestFlow(a));
    expect(v.tone).toBe('error');
    const f = selectFlowFindings(a, selectLatestFlow(a));
    expect(f[0]!.severity).toBe('error');
    // The verdict names the top cause, and says how many other problems there are.
    expect(v.text).toBe(`AWS will refuse this sign-in: ${asClause(f[0]!.title)} (and 1 other problem)`);
    expect(selectBadge(a).text).toBe(String(v.errors));
  });

  it('names the AADSTS code when Entra refused', () => {
    const a = pair((id) =>
      makeResponse({ inResponseTo: id, status: { code: URN.requester, subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied', message: 'AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted access.' } }),
    );
    const v = selectVerdict(a, selectLatestFlow(a));
    expect(v.text).toBe('Entra refused before AWS was reached: AADSTS50105');
    // Entra's own sentence is the evidence beneath the verdict.
    expect(v.said).toEqual({ by: 'Entra', text: expect.stringMatching(/^AADSTS50105: Your administrator/) });
  });

  it('says when only the request was captured', () => {
    const a = analyze({ messages: [{ id: 'q', raw: toRedirect(makeAuthnRequest()), time: t }] });
    expect(selectVerdict(a, selectLatestFlow(a)).text).toBe('No response yet: only the request was captured (the sign-in is still at the identity provider, or stopped there)');
  });

  it('marks the differing middle of two values, including a trailing slash', () => {
    expect(diffParts('https://a/b', 'https://a/b/')).toEqual({ prefix: 'https://a/b', expectedMid: '', actualMid: '/', suffix: '' });
    expect(diffParts('eu-west-1', 'us-west-1')).toEqual({ prefix: '', expectedMid: 'eu', actualMid: 'us', suffix: '-west-1' });
  });
});
