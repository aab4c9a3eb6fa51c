// Reads the error a sign-in page shows, and nothing else: on Entra's sign-in pages the AADSTS
// code, its sentence, Request Id, Correlation Id and Timestamp; on Identity Center's pages the
// generic error heading. It reads the page's visible text (innerText holds no form field values
// and no tokens), only when the page's text shows such an error (a cheap test on text nodes,
// no layout, bounded to 256 KB), and again only when a change brings such text; and sends only the fields that
// lib/pages/errors.ts extracts. Entra renders its error page with script, so the text is read
// again as the page changes, for a short while.
import { browser } from 'wxt/browser';
import { ERROR_PAGE_MATCHES } from '../lib/domain/sign-in-pages.ts';
import { pageErrorReaderFor, readEntraError, readEntraPage, type PageErrorReading } from '../lib/pages/errors.ts';

/** The text of the page's text nodes outside scripts, styles and templates (hidden panels included). */
function hiddenText(root: Node): string {
  const out: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('script, style, noscript, template') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let total = 0;
  for (let n = walker.nextNode(); n && total < 200_000; n = walker.nextNode()) {
    const t = n.nodeValue ?? '';
    if (t.trim()) {
      out.push(t);
      total += t.length;
    }
  }
  return out.join('\n');
}

/** How long to wait for a page to render its error. */
const WATCH_MS = 15_000;
/** At most this much of a page's text is looked at, at a time (a sign-in page has a few KB). */
const MAX_TEXT = 256 * 1024;
/**
 * What a page showing one of the errors read here must contain. Tested on text nodes'
 * textContent (no layout) before the page's innerText (which lays the page out) is read.
 */
const MAY_SHOW_ERROR = /AADSTS\d|unexpected error has occurred|it['’]s not you/i;

/** Whether the text of `n` (bounded) may show an error; cheap: no layout. */
function mayShowError(n: Node | null | undefined): boolean {
  const t = n?.textContent;
  return !!t && MAY_SHOW_ERROR.test(t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t);
}

export default defineContentScript({
  matches: ERROR_PAGE_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    const read = pageErrorReaderFor(location.hostname);
    if (!read) return;
    let sent = '';
    let pending: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      pending = undefined;
      const body = document.body;
      // Read the page only when it shows an error (most pages of these hosts never do).
      if (!mayShowError(body)) return;
      const full = body?.innerText ?? '';
      const text = full.length > MAX_TEXT ? full.slice(0, MAX_TEXT) : full;
      // Entra: the code must be visible; its ids may be in a collapsed details panel.
      const found: PageErrorReading | undefined =
        read === readEntraError ? (body ? readEntraPage(text, /AADSTS\d/.test(text) ? hiddenText(body) : '') : undefined) : read(text);
      if (!found) return;
      // Send again only when what the page shows changed (e.g. the ids appeared after the code).
      const key = JSON.stringify(found);
      if (key === sent) return;
      sent = key;
      // The worker may be stopping as this is sent (Chromium stops idle workers): try again a
      // little later, a few times; after that the extension was reloaded, nothing to tell.
      const send = (left: number): void => {
        browser.runtime.sendMessage({ type: 'page-error', reading: found }).then(
          (r: unknown) => {
            // Refused for a reason (not part of a sign-in to AWS): final. No answer at all: again.
            if (r === undefined && left > 0) setTimeout(() => send(left - 1), 400);
          },
          () => {
            if (left > 0) setTimeout(() => send(left - 1), 400);
          },
        );
      };
      send(3);
    };
    check();
    // Only changes that bring text which may be an error lead to a new reading.
    const observer = new MutationObserver((records) => {
      if (pending) return;
      const relevant = records.some((r) => (r.type === 'characterData' ? mayShowError(r.target) : Array.from(r.addedNodes).some(mayShowError)));
      if (relevant) pending = setTimeout(check, 200);
    });
    if (document.body) observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const stop = setTimeout(() => observer.disconnect(), WATCH_MS);
    ctx.onInvalidated(() => {
      observer.disconnect();
      clearTimeout(stop);
      if (pending) clearTimeout(pending);
    });
  },
});
