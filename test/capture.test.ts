import { describe, expect, it } from 'vitest';
import { parseFormBody, samlFromRequest, isSignInStep, type RequestDetailsLike } from '../lib/capture/webrequest.ts';
import { addMessage, addStep, clearCaptures, emptyState, enforceLimits, migrateState, updateRequest, stepKey, DEFAULT_RETENTION } from '../lib/capture/state.ts';
import { analyze } from '../lib/analyze.ts';
import type { CapturedMessage } from '../lib/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';

const base: RequestDetailsLike = { requestId: '42', url: '', method: 'GET', timeStamp: Date.parse('2026-11-25T10:00:00Z'), tabId: 7, frameId: 0, type: 'main_frame' };

describe('capture from webRequest details', () => {
  it('takes an HTTP-Redirect SAMLRequest with RelayState and SigAlg from the query, raw', () => {
    const v = toRedirect(makeAuthnRequest());
    const url = `${LAB.ssoUrl}?SAMLRequest=${v}&RelayState=https%3A%2F%2Fportal%2F%3Fa%3Db&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256`;
    const m = samlFromRequest({ ...base, url })!;
    expect(m.param).toBe('SAMLRequest');
    expect(m.binding).toBe('redirect');
    expect(m.raw).toBe(v);
    expect(m.relayState).toBe('https://portal/?a=b');
    expect(m.sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(m.url).toBe(LAB.ssoUrl);
    expect(m.rawQuery).toContain('SAMLRequest=');
    expect(analyze({ messages: [m] }).messages[0]!.kind).toBe('AuthnRequest');
  });

  it('takes an HTTP-POST SAMLResponse from formData', () => {
    const v = toPost(signedResponse());
    const m = samlFromRequest({ ...base, method: 'POST', url: LAB.acsUrl, requestBody: { formData: { SAMLResponse: [v], RelayState: ['rs'] } } })!;
    expect(m).toMatchObject({ param: 'SAMLResponse', binding: 'post', raw: v, relayState: 'rs', url: LAB.acsUrl, tabId: 7 });
  });

  it('falls back to the raw body bytes when the browser gives no form data', () => {
    const v = toPost(signedResponse());
    const body = `SAMLResponse=${encodeURIComponent(v)}&RelayState=x+y`;
    const bytes = new TextEncoder().encode(body).buffer as ArrayBuffer;
    const m = samlFromRequest({ ...base, method: 'POST', url: LAB.acsUrl, requestBody: { raw: [{ bytes }] } })!;
    expect(m.raw).toBe(v);
    expect(m.relayState).toBe('x y');
  });

  it('ignores requests without SAML and keeps sign-in hops as steps', () => {
    expect(samlFromRequest({ ...base, url: 'https://d-93670a1b2c.awsapps.com/start' })).toBeNull();
    expect(isSignInStep({ url: 'https://d-93670a1b2c.awsapps.com/start', type: 'main_frame' })).toBe(true);
    expect(isSignInStep({ url: 'https://example.com/', type: 'main_frame' })).toBe(false);
    expect(isSignInStep({ url: 'https://d-93670a1b2c.awsapps.com/api/x', type: 'xmlhttprequest' })).toBe(false);
  });

  it('parses form bodies with + and malformed escapes without throwing', () => {
    const m = parseFormBody('a=1+2&b=%ZZ&c=%2B');
    expect(m.get('a')).toBe('1 2');
    expect(m.get('b')).toBe('%ZZ');
    expect(m.get('c')).toBe('+');
  });
});

function msg(i: number, raw: string, time: string): CapturedMessage {
  return { id: `m${i}`, raw, time, param: 'SAMLResponse', url: LAB.acsUrl };
}

describe('capture state', () => {
  const now = new Date('2026-11-25T10:00:00Z');
  it('evicts whole flows, oldest first, and leaves a visible notice', () => {
    let s = emptyState();
    const limits = { ...DEFAULT_RETENTION, maxMessages: 4 };
    for (let i = 0; i < 3; i++) {
      const id = samlId();
      const t = new Date(now.getTime() + i * 60e3).toISOString();
      s = addMessage(s, { id: `q${i}`, raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', time: t }, limits, now);
      s = addMessage(s, { id: `r${i}`, raw: toPost(signedResponse({ inResponseTo: id })), param: 'SAMLResponse', time: t }, limits, now);
    }
    expect(s.messages.map((m) => m.id)).toEqual(['q1', 'r1', 'q2', 'r2']);
    expect(s.notices.at(-1)!.kind).toBe('evicted');
    expect(s.notices.at(-1)!.text).toMatch(/removed the 1 oldest sign-in flow \(2 messages\)/);
  });

  it('at a limit of 40 or more, evicts 5% under it, so the next captures need no eviction', () => {
    let s = emptyState();
    const limits = { ...DEFAULT_RETENTION, maxMessages: 40 };
    const counts: number[] = [];
    for (let i = 0; i < 30; i++) {
      const id = samlId();
      const t = new Date(now.getTime() + i * 60e3).toISOString();
      s = addMessage(s, { id: `q${i}`, raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', time: t }, limits, now);
      s = addMessage(s, { id: `r${i}`, raw: toPost(makeResponse({ inResponseTo: id })), param: 'SAMLResponse', time: t }, limits, now);
      counts.push(s.messages.length);
    }
    // 40 messages fit; the 21st sign-in goes over, and eviction takes whole sign-ins down to 38
    // (5% under), so the 22nd fits again without grouping the store.
    expect(Math.max(...counts)).toBe(40);
    expect(counts.slice(19, 23)).toEqual([40, 38, 40, 38]);
    expect(s.notices.at(-1)!.text).toMatch(/removed the 2 oldest sign-in flows \(4 messages\)/);
    // Whole sign-ins only: every request kept has its response.
    const ids = s.messages.map((m) => m.id);
    for (const q of ids.filter((x) => x.startsWith('q'))) expect(ids).toContain(`r${q.slice(1)}`);
  });

  it('keeps the newest flow even when it alone is over the size limit', () => {
    const s = enforceLimits({ ...emptyState(), messages: [msg(1, 'x'.repeat(5000), '2026-11-25T10:00:00Z')] }, { ...DEFAULT_RETENTION, maxBytes: 100 }, now);
    expect(s.messages).toHaveLength(1);
  });

  it('records status, Date and redirect of a message or a step', () => {
    let s = addMessage(emptyState(), msg(1, 'abc', '2026-11-25T10:00:00Z'), DEFAULT_RETENTION, now);
    s = updateRequest(s, { messageId: 'm1' }, { status: 302, serverDate: 'Wed, 25 Nov 2026 10:00:01 GMT', redirectTo: 'https://x/' });
    expect(s.messages[0]).toMatchObject({ status: 302, serverDate: 'Wed, 25 Nov 2026 10:00:01 GMT', redirectTo: 'https://x/' });
    const st = { url: 'https://d-93670a1b2c.awsapps.com/start', method: 'GET', time: '2026-11-25T09:59:59Z', tabId: 1 };
    s = addStep(s, st, DEFAULT_RETENTION, now);
    s = updateRequest(s, { stepKey: stepKey(st) }, { status: 302, redirectTo: LAB.ssoUrl });
    expect(s.steps[0]).toMatchObject({ status: 302, redirectTo: LAB.ssoUrl });
  });

  it('survives damaged storage and keeps pause across clear', () => {
    expect(migrateState('garbage').messages).toEqual([]);
    const m = migrateState({ messages: [{ id: 'a', raw: 'x' }, { nope: 1 }, null], steps: 'x', paused: true });
    expect(m.messages).toHaveLength(1);
    expect(m.steps).toEqual([]);
    expect(clearCaptures(m)).toMatchObject({ paused: true, messages: [] });
  });
});

describe('an answer whose request the worker did not see', () => {
  it('is matched to the newest open request of the same tab, method and URL', async () => {
    const { requestKeyByUrl, emptyState: empty, stepKey } = await import('../lib/capture/state.ts');
    const now = new Date('2026-11-25T10:01:00Z');
    const acs = 'https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/x';
    const s = {
      ...empty(),
      messages: [
        { id: 'old', raw: 'a', url: acs, method: 'POST', tabId: 1, time: '2026-11-25T10:00:00Z', status: 302 },
        { id: 'new', raw: 'b', url: acs, method: 'POST', tabId: 1, time: '2026-11-25T10:00:50Z' },
        { id: 'other-tab', raw: 'c', url: acs, method: 'POST', tabId: 2, time: '2026-11-25T10:00:55Z' },
      ],
      steps: [{ url: 'https://d-93670a1b2c.awsapps.com/start', method: 'GET', tabId: 1, time: '2026-11-25T10:00:40Z' }],
    };
    expect(requestKeyByUrl(s, { url: acs, method: 'POST', tabId: 1 }, now)).toEqual({ messageId: 'new' });
    expect(requestKeyByUrl(s, { url: acs, method: 'GET', tabId: 1 }, now)).toBeUndefined();
    expect(requestKeyByUrl(s, { url: 'https://d-93670a1b2c.awsapps.com/start', method: 'GET', tabId: 1 }, now)).toEqual({ stepKey: stepKey(s.steps[0]!) });
    // Too old to be this answer's request.
    expect(requestKeyByUrl(s, { url: acs, method: 'POST', tabId: 1 }, new Date('2026-11-25T10:10:00Z'))).toBeUndefined();
  });
});
