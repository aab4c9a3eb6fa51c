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
      if (!key) return undefined;
      const date = headerValue(details.responseHeaders, 'date');
      void service.updateRequest(key, { status: details.statusCode, ...(date ? { serverDate: date } : {}) });
      return undefined;
    },
    filter,
    ['responseHeaders'],
  );

  browser.webRequest.onBeforeRedirect.addListener(
    (details) => {
      const key = inFlight.get(details.requestId);
      if (!key) return;
      void service.updateRequest(key, { status: details.statusCode, redirectTo: details.redirectUrl });
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
