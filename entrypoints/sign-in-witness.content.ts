// A second witness of a sign-in, beside webRequest (lib/capture/witness.ts): Chromium may stop the
// background's service worker as a request goes by, and the event is then lost. The page knows
// what loaded it: its URL (an HTTP-Redirect's SAMLRequest is in it), the HTTP status it came with
// (Navigation Timing), and the auto-posting form that carries a SAMLResponse to the ACS. This
// sends exactly those — the form's SAML fields and nothing else of the page — once, at
// document_end, before the form is posted.
import { browser } from 'wxt/browser';
import { SIGN_IN_PAGE_MATCHES } from '../lib/domain/sign-in-pages.ts';

const FIELDS = ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'];

function samlForm(): { action: string; method: string; fields: Record<string, string> } | undefined {
  for (const form of Array.from(document.forms)) {
    const fields: Record<string, string> = {};
    for (const name of FIELDS) {
      const el = form.elements.namedItem(name);
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) fields[name] = el.value;
    }
    if (fields.SAMLRequest !== undefined || fields.SAMLResponse !== undefined) {
      return { action: form.action, method: (form.getAttribute('method') ?? 'GET').toUpperCase(), fields };
    }
  }
  return undefined;
}

/** The URL the document was loaded from and its HTTP status (not a later history.pushState URL). */
function navigation(): { url: string; status?: number } {
  const nav = performance.getEntriesByType('navigation')[0] as (PerformanceNavigationTiming & { responseStatus?: number }) | undefined;
  const s = nav?.responseStatus;
  return { url: (nav?.name || location.href).split('#')[0]!, ...(typeof s === 'number' && s > 0 ? { status: s } : {}) };
}

export default defineContentScript({
  matches: SIGN_IN_PAGE_MATCHES,
  runAt: 'document_end',
  main() {
    const form = samlForm();
    const witness = { ...navigation(), ...(form ? { form } : {}) };
    // The worker may be stopping right now (that is why this exists): try again a little later.
    const send = (left: number): void => {
      browser.runtime.sendMessage({ type: 'witness', witness }).then(
        (r: unknown) => {
          if (r === undefined && left > 0) setTimeout(() => send(left - 1), 400);
        },
        () => {
          if (left > 0) setTimeout(() => send(left - 1), 400);
        },
      );
    };
    send(3);
  },
});
