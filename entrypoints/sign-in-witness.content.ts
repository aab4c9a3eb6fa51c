// A second witness of a sign-in, beside webRequest (lib/capture/witness.ts): Chromium may stop the
// background's service worker as a request goes by, and the event is then lost. The page knows
// what loaded it: its URL (an HTTP-Redirect's SAMLRequest is in it), the HTTP status it came with
// (Navigation Timing), and the auto-posting form that carries a SAMLResponse to the ACS. This
// sends exactly those — the form's SAML fields and nothing else of the page: the URL and status
// as the page starts, the form once the document is parsed (before the page's script posts it).
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

/** Waits between tries when the worker did not answer (it was stopping): short, the page may leave soon. */
const RETRY_MS = [50, 100, 200, 400, 800, 1600];

export default defineContentScript({
  matches: SIGN_IN_PAGE_MATCHES,
  // As early as the page exists: an auto-posting page (Entra's form_post) leaves within moments,
  // and each moment it stays is time for a message that did not reach a stopping worker to be sent
  // again. Its URL and status are known now; its form once the document is parsed.
  runAt: 'document_start',
  main() {
    const unanswered = new Set<object>();
    // The worker may be stopping right now (that is why this exists): the background answers once
    // the witness is stored, and anything else (no answer, an error) is tried again.
    const send = (witness: object, attempt = 0): void => {
      unanswered.add(witness);
      const again = () => {
        const wait = RETRY_MS[attempt];
        if (wait !== undefined) setTimeout(() => send(witness, attempt + 1), wait);
      };
      browser.runtime.sendMessage({ type: 'witness', witness }).then(
        (r: unknown) => {
          if ((r as { ok?: boolean } | undefined)?.ok === true) unanswered.delete(witness);
          else if (r === undefined) again();
          else unanswered.delete(witness); // refused with a reason: sending it again changes nothing
        },
        () => again(),
      );
    };
    send(navigation());
    const withForm = () => {
      const form = samlForm();
      if (form) send({ ...navigation(), form });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', withForm, { once: true });
    else withForm();
    // Leaving with a witness not yet taken: one last try as the page goes (the browser delivers a
    // message sent now even though this page will not hear the answer).
    addEventListener('pagehide', () => {
      for (const w of unanswered) browser.runtime.sendMessage({ type: 'witness', witness: w }).catch(() => undefined);
    });
  },
});
