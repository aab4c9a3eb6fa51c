// webRequest wiring: every request the extension may see (its host permissions, and the optional
// ones the user granted) is offered to lib/capture; SAML messages and sign-in hops are kept.
import { browser } from 'wxt/browser';
import {
  headerValue,
  isSignInStep,
  samlFromRequest,
  stepFromRequest,
  type RequestDetailsLike,
} from '../../lib/capture/webrequest.ts';
import { stepKey, type ResponseInfoUpdate } from '../../lib/capture/state.ts';
import { HopTracker, type HopKey } from '../../lib/capture/inflight.ts';
import { hostRole, urlHost } from '../../lib/flow/hosts.ts';
import type { CaptureService } from './capture.ts';

interface AnswerDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  type: string;
}

export function setupWebRequest(service: CaptureService): void {
  // Each captured hop by requestId and URL: an answer is matched to the hop whose URL it answers,
  // whatever order the browser delivers the events in (lib/capture/inflight.ts).
  const hops = new HopTracker();
  const filter = { urls: ['<all_urls>'] };

  const apply = (key: HopKey, u: ResponseInfoUpdate) => void service.updateRequest(key, u);

  const answered = (d: AnswerDetails, u: ResponseInfoUpdate) => {
    const key = hops.find(d.requestId, d.url);
    if (key) return apply(key, u);
    // Only a sign-in host's page can be a hop we keep: the rest is not ours.
    if ((d.type !== 'main_frame' && d.type !== 'sub_frame') || hostRole(urlHost(d.url)) === 'other') return;
    // Its request was seen by a worker / background page that has since stopped: matched by tab,
    // method and URL in the stored captures (nothing when it has not been captured yet)...
    void service.updateOrphanRequest({ url: d.url, method: d.method, tabId: d.tabId }, u);
    // ...or it is still on its way (Firefox delivers queued events grouped by type): applied when
    // it comes (begin below).
    hops.hold(d.requestId, d.url, u, Date.now());
  };

  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      try {
        const d = details as unknown as RequestDetailsLike;
        if (d.tabId === -1 && !d.initiator?.startsWith('http')) {
          // Requests of extensions and the browser itself are not sign-ins.
          if (d.url.startsWith('chrome-extension:') || d.url.startsWith('moz-extension:')) return undefined;
        }
        const msg = samlFromRequest(d);
        let key: HopKey | undefined;
        if (msg) {
          key = { messageId: msg.id };
          void service.addMessage(msg);
        } else if (isSignInStep(d)) {
          const step = stepFromRequest(d);
          key = { stepKey: stepKey(step) };
          void service.addStep(step);
        }
        if (key) {
          // Answers that came before this request (reordered events) are applied after it: the
          // service's writes run in order, so the capture exists by then.
          for (const u of hops.begin(d.requestId, d.url, key, Date.now())) apply(key, u);
        }
      } catch (e) {
        console.error('samlscope: could not read a request', e);
      }
      return undefined;
    },
    filter,
    ['requestBody'],
  );

  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      const date = headerValue(details.responseHeaders, 'date');
      answered(details, { status: details.statusCode, ...(date ? { serverDate: date } : {}) });
      return undefined;
    },
    filter,
    ['responseHeaders'],
  );

  browser.webRequest.onBeforeRedirect.addListener(
    (details) => {
      answered(details, { status: details.statusCode, redirectTo: details.redirectUrl });
    },
    filter,
  );
}
