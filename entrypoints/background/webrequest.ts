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
import { HopTracker, PENDING_ANSWER_MS, type HopKey } from '../../lib/capture/inflight.ts';
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
  const orphan = (d: Pick<AnswerDetails, 'url' | 'method' | 'tabId'>, u: ResponseInfoUpdate) =>
    void service.updateOrphanRequest({ url: d.url, method: d.method, tabId: d.tabId }, u);
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  const methods = new Map<string, { method: string; tabId: number }>();

  const answered = (d: AnswerDetails, u: ResponseInfoUpdate) => {
    const key = hops.find(d.requestId, d.url);
    if (key) return apply(key, u);
    // Only a sign-in host's page can be a hop we keep: the rest is not ours.
    if ((d.type !== 'main_frame' && d.type !== 'sub_frame') || hostRole(urlHost(d.url)) === 'other') return;
    // Its request may still be on its way (Firefox) or was seen by a worker that has since
    // stopped (then it is matched by tab, method and URL in the stored captures).
    hops.hold(d.requestId, d.url, u, Date.now());
    methods.set(`${d.requestId}\n${d.url}`, { method: d.method, tabId: d.tabId });
    expiryTimer ??= setTimeout(() => {
      expiryTimer = undefined;
      for (const p of hops.expired(Date.now())) {
        const k = `${p.requestId}\n${p.url}`;
        const m = methods.get(k);
        methods.delete(k);
        if (m) orphan({ url: p.url, ...m }, p.update);
      }
      if (methods.size > 500) methods.clear();
    }, PENDING_ANSWER_MS + 50);
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
          methods.delete(`${d.requestId}\n${d.url}`);
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
