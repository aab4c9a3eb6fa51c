// The page as a second witness (lib/capture/witness.ts): what webRequest missed while the worker
// was stopped is filled in from the page, and never kept twice.
import { describe, expect, it } from 'vitest';
import { addMessage, addStep, DEFAULT_RETENTION, emptyState } from '../lib/capture/state.ts';
import { samlFromRequest } from '../lib/capture/webrequest.ts';
import { applyWitness, readWitness, replaceRecovered } from '../lib/capture/witness.ts';
import { LAB, makeAuthnRequest, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { at } from './clock.ts';

const now = at(0);
const tab = { tabId: 7 };
const reqValue = toRedirect(makeAuthnRequest({ issueInstant: at(-2) }));
const entraUrl = `${LAB.ssoUrl}?SAMLRequest=${reqValue}&RelayState=x`;
const respValue = toPost(signedResponse({ issueInstant: at(-1) }));
const details = (url: string, method: string, body?: Record<string, string[]>) => ({ requestId: 'r1', url, method, timeStamp: now.getTime() - 500, tabId: 7, frameId: 0, type: 'main_frame', ...(body ? { requestBody: { formData: body } } : {}) });

describe('a page witness', () => {
  it('gives the status webRequest lost to the message that loaded the page', () => {
    const m = samlFromRequest(details(entraUrl, 'GET'))!;
    const s = addMessage(emptyState(), m, DEFAULT_RETENTION, now);
    const out = applyWitness(s, readWitness({ url: entraUrl, status: 200 })!, tab, DEFAULT_RETENTION, now);
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]!.status).toBe(200);
    expect(out.messages[0]!.recovered).toBeUndefined();
    // A status webRequest recorded is not overwritten.
    const again = applyWitness({ ...out, messages: [{ ...out.messages[0]!, status: 302 }] }, readWitness({ url: entraUrl, status: 200 })!, tab, DEFAULT_RETENTION, now);
    expect(again.messages[0]!.status).toBe(302);
  });

  it('recovers an AuthnRequest webRequest never saw from the page URL, and a hop to a sign-in host', () => {
    const out = applyWitness(emptyState(), readWitness({ url: entraUrl, status: 200 })!, tab, DEFAULT_RETENTION, now);
    expect(out.messages.map((m) => [m.param, m.binding, m.raw, m.status, m.recovered, m.tabId])).toEqual([['SAMLRequest', 'redirect', reqValue, 200, true, 7]]);
    const portal = applyWitness(emptyState(), readWitness({ url: `${LAB.portalUrl}/start`, status: 302 })!, tab, DEFAULT_RETENTION, now);
    expect(portal.steps.map((x) => [x.url, x.status, x.recovered])).toEqual([[`${LAB.portalUrl}/start`, 302, true]]);
    // Not a sign-in host: nothing.
    expect(applyWitness(emptyState(), readWitness({ url: 'https://example.com/', status: 200 })!, tab, DEFAULT_RETENTION, now)).toEqual(emptyState());
  });

  it('keeps the SAMLResponse of the auto-posting form, which webRequest’s own copy then replaces in place', () => {
    const w = readWitness({ url: entraUrl, status: 200, form: { action: LAB.acsUrl, method: 'post', fields: { SAMLResponse: respValue, RelayState: 'x', Other: 'ignored' } } })!;
    expect(w.form!.fields).toEqual({ SAMLResponse: respValue, RelayState: 'x' });
    const s = applyWitness(emptyState(), w, tab, DEFAULT_RETENTION, now);
    expect(s.messages.map((m) => [m.param, m.binding, m.url, m.method, m.recovered, m.relayState])).toEqual([
      ['SAMLRequest', 'redirect', LAB.ssoUrl, 'GET', true, 'x'],
      ['SAMLResponse', 'post', LAB.acsUrl, 'POST', true, 'x'],
    ]);
    const seq = s.messages[1]!.seq;
    const live = samlFromRequest(details(LAB.acsUrl, 'POST', { SAMLResponse: [respValue], RelayState: ['x'] }))!;
    const replaced = replaceRecovered(s, live)!;
    expect(replaced.messages).toHaveLength(2);
    expect(replaced.messages[1]!.id).toBe(live.id);
    expect(replaced.messages[1]!.recovered).toBeUndefined();
    expect(replaced.messages[1]!.seq).toBe(seq);
    // The ACS page's witness then gives it its status.
    const acs = applyWitness(replaced, readWitness({ url: LAB.acsUrl, status: 200 })!, tab, DEFAULT_RETENTION, now);
    expect(acs.messages[1]!.status).toBe(200);
    expect(acs.messages).toHaveLength(2);
    // Nothing to replace: webRequest's copy is added as usual.
    expect(replaceRecovered(emptyState(), live)).toBeUndefined();
  });

  it('never keeps a second copy of what webRequest saw', () => {
    let s = addMessage(emptyState(), samlFromRequest(details(entraUrl, 'GET'))!, DEFAULT_RETENTION, now);
    s = addMessage(s, samlFromRequest(details(LAB.acsUrl, 'POST', { SAMLResponse: [respValue] }))!, DEFAULT_RETENTION, now);
    s = addStep(s, { url: `${LAB.portalUrl}/start`, method: 'GET', time: at(-3).toISOString(), tabId: 7 }, DEFAULT_RETENTION, now);
    const before = s;
    s = applyWitness(s, readWitness({ url: entraUrl, form: { action: LAB.acsUrl, method: 'POST', fields: { SAMLResponse: respValue } } })!, tab, DEFAULT_RETENTION, now);
    s = applyWitness(s, readWitness({ url: `${LAB.portalUrl}/start`, status: 302 })!, tab, DEFAULT_RETENTION, now);
    expect(s.messages).toEqual(before.messages);
    expect(s.steps.map((x) => x.status)).toEqual([302]);
    // Another tab's page is its own.
    const other = applyWitness(before, readWitness({ url: entraUrl, status: 200 })!, { tabId: 8 }, DEFAULT_RETENTION, now);
    expect(other.messages).toHaveLength(3);
  });

  it('refuses what a content script would never send', () => {
    for (const bad of [null, 'x', { url: 'http://login.microsoftonline.com/' }, { url: 42 }, { url: `https://x/${'a'.repeat(20_000)}` }]) expect(readWitness(bad)).toBeUndefined();
    expect(readWitness({ url: 'https://login.microsoftonline.com/x#frag', status: 99 })).toEqual({ url: 'https://login.microsoftonline.com/x' });
    expect(readWitness({ url: 'https://a/', form: { action: 'javascript:x', method: 'POST', fields: { SAMLResponse: 'x' } } })).toEqual({ url: 'https://a/' });
    expect(readWitness({ url: 'https://a/', form: { action: 'https://b/', method: 'POST', fields: { RelayState: 'x' } } })).toEqual({ url: 'https://a/' });
  });
});
