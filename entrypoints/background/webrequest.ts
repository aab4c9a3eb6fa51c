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
import { stepKey } from '../../lib/capture/state.ts';
import { hostRole, urlHost } from '../../lib/flow/hosts.ts';
import type { CaptureService } from './capture.ts';

interface InFlight {
  messageId?: string;
  stepKey?: string;
}

export function setupWebRequest(service: CaptureService): void {
  // requestId → what the current hop of that request recorded. Redirects reuse the requestId,
  // so each onBeforeRequest replaces the entry with the new hop.
  const inFlight = new Map<string, InFlight>();
  const filter = { urls: ['<all_urls>'] };

  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      try {
        const d = details as unknown as RequestDetailsLike;
        if (d.tabId === -1 && !d.initiator?.startsWith('http')) {
          // Requests of extensions and the browser itself are not sign-ins.
          if (d.url.startsWith('chrome-extension:') || d.url.startsWith('moz-extension:')) return undefined;
        }
        const msg = samlFromRequest(d);
        if (msg) {
          inFlight.set(d.requestId, { messageId: msg.id });
          void service.addMessage(msg);
        } else if (isSignInStep(d)) {
          const step = stepFromRequest(d);
          inFlight.set(d.requestId, { stepKey: stepKey(step) });
          void service.addStep(step);
        } else {
          inFlight.delete(d.requestId);
        }
        if (inFlight.size > 500) inFlight.delete(inFlight.keys().next().value as string);
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
      const key = inFlight.get(details.requestId);
      const date = headerValue(details.responseHeaders, 'date');
      const u = { status: details.statusCode, ...(date ? { serverDate: date } : {}) };
      if (key) void service.updateRequest(key, u);
      // A worker started between the request and its answer has no requestId for it: a sign-in
      // host's answer is then matched by tab, method and URL, so its status is not lost.
      else if ((details.type === 'main_frame' || details.type === 'sub_frame') && hostRole(urlHost(details.url)) !== 'other') {
        void service.updateOrphanRequest({ url: details.url, method: details.method, tabId: details.tabId }, u);
      }
      return undefined;
    },
    filter,
    ['responseHeaders'],
  );

  browser.webRequest.onBeforeRedirect.addListener(
    (details) => {
      const key = inFlight.get(details.requestId);
      const u = { status: details.statusCode, redirectTo: details.redirectUrl };
      if (key) void service.updateRequest(key, u);
      else if ((details.type === 'main_frame' || details.type === 'sub_frame') && hostRole(urlHost(details.url)) !== 'other') {
        void service.updateOrphanRequest({ url: details.url, method: details.method, tabId: details.tabId }, u);
      }
    },
    filter,
  );

  browser.webRequest.onErrorOccurred.addListener(
    (details) => {
      inFlight.delete(details.requestId);
    },
    filter,
  );
  browser.webRequest.onCompleted.addListener(
    (details) => {
      inFlight.delete(details.requestId);
    },
    filter,
  );
}
