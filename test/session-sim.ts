// A browser session as the background sees it: webRequest details (request ids kept through
// redirects, tabs, timestamps) turned into captures by the real lib/capture code, in the order
// they happen. Used by the session tests to build fail → fix → retry sessions, two tabs at once,
// bursts of retries, with every hop where a real browser puts it.
import { samlFromRequest, stepFromRequest, isSignInStep, type RequestDetailsLike } from '../lib/capture/webrequest.ts';
import { addMessage, addPageError, addStep, emptyState, updateRequest, stepKey, DEFAULT_RETENTION, type CaptureState } from '../lib/capture/state.ts';
import type { PageError } from '../lib/types.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect, type ResponseOptions } from './lab/factory.ts';
import { T0 } from './clock.ts';

export const LAUNCHER = `https://launcher.myapps.microsoft.com/api/signin/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6?tenantId=${LAB.tenantId}`;
export const SIGNIN = `https://${LAB.region}.signin.aws.amazon.com/platform/login`;

export class SessionSim {
  state: CaptureState = emptyState();
  private requestId = 1000;
  /** Milliseconds since T0; every event moves it on by `tick` unless told otherwise. */
  clock = 0;
  tick = 150;

  private now(): number {
    this.clock += this.tick;
    return T0 + this.clock;
  }

  /**
   * One navigation: a request and the redirects it follows, each hop recorded as the background
   * records it (a SAML message or a sign-in step, then its status, Date and Location).
   */
  navigate(tabId: number, hops: { url: string; method?: string; status: number; form?: Record<string, string>; serverDate?: string }[]): void {
    const requestId = String(++this.requestId);
    for (let i = 0; i < hops.length; i++) {
      const h = hops[i]!;
      const d: RequestDetailsLike = {
        requestId,
        url: h.url,
        method: h.method ?? 'GET',
        timeStamp: this.now(),
        tabId,
        frameId: 0,
        type: 'main_frame',
        ...(h.form ? { requestBody: { formData: Object.fromEntries(Object.entries(h.form).map(([k, v]) => [k, [v]])) } } : {}),
      };
      const next = hops[i + 1];
      const date = h.serverDate ?? new Date(d.timeStamp).toUTCString();
      const u = { status: h.status, serverDate: date, ...(next ? { redirectTo: next.url } : {}) };
      const msg = samlFromRequest(d);
      if (msg) {
        this.state = addMessage(this.state, msg, DEFAULT_RETENTION, new Date(d.timeStamp));
        this.state = updateRequest(this.state, { messageId: msg.id }, u);
      } else if (isSignInStep(d)) {
        const st = stepFromRequest(d);
        this.state = addStep(this.state, st, DEFAULT_RETENTION, new Date(d.timeStamp));
        this.state = updateRequest(this.state, { stepKey: stepKey(st) }, u);
      }
    }
  }

  /** The content script's reading of an error page, as the background keeps it. */
  pageError(tabId: number, e: Omit<PageError, 'id' | 'time' | 'tabId' | 'seenBy'>): void {
    const t = this.now();
    this.state = addPageError(this.state, { ...e, id: `page-${t}`, time: new Date(t).toISOString(), tabId, seenBy: 'page' });
  }

  /** SP-initiated: the portal, Identity Center's sign-in host, Entra with the AuthnRequest; then Entra posts the response. */
  spAttempt(tabId: number, response: ResponseOptions | 'entra-stops' | 'no-answer' = {}, o: { portal?: string; acsStatus?: number } = {}): { requestId: string } {
    const id = samlId();
    const req = `${LAB.ssoUrl}?SAMLRequest=${toRedirect(makeAuthnRequest({ id }))}&RelayState=rs-${id}`;
    this.navigate(tabId, [
      { url: o.portal ?? LAB.portalUrl, status: 302 },
      { url: `${SIGNIN}?workflowStateHandle=${id}`, status: 302 },
      { url: req, status: 200 },
    ]);
    if (response === 'entra-stops' || response === 'no-answer') return { requestId: id };
    this.postResponse(tabId, { inResponseTo: id, ...response }, o.acsStatus);
    return { requestId: id };
  }

  /** IdP-initiated from a My Apps tile: the launcher, Entra's form_post page, the POST to the ACS. */
  idpAttempt(tabId: number, response: ResponseOptions = {}, o: { acsStatus?: number } = {}): void {
    this.navigate(tabId, [
      { url: LAUNCHER, status: 302 },
      { url: `${LAB.ssoUrl}?appid=0d1e2f3a`, status: 200 },
    ]);
    this.postResponse(tabId, response, o.acsStatus);
  }

  postResponse(tabId: number, response: ResponseOptions, acsStatus = 302): void {
    const issueInstant = response.issueInstant ?? new Date(T0 + this.clock);
    const form = { SAMLResponse: toPost(signedResponse({ ...response, issueInstant })) };
    const hops: { url: string; method?: string; status: number; form?: Record<string, string> }[] = [{ url: LAB.acsUrl, method: 'POST', status: acsStatus, form }];
    if (acsStatus >= 300 && acsStatus < 400) hops.push({ url: `${LAB.portalUrl}/?lab-session=1#/`, status: 200 });
    this.navigate(tabId, hops);
  }
}
