// Reads the error a sign-in page shows, and nothing else: on Entra's sign-in pages the AADSTS
// code, its sentence, Request Id, Correlation Id and Timestamp; on Identity Center's pages the
// generic error heading. It reads the page's visible text (innerText holds no form field values
// and no tokens), only when that text shows such an error, and sends only the fields that
// lib/pages/errors.ts extracts. Entra renders its error page with script, so the text is read
// again as the page changes, for a short while.
import { browser } from 'wxt/browser';
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

export default defineContentScript({
  matches: [
    'https://login.microsoftonline.com/*',
    'https://login.microsoft.com/*',
    'https://*.signin.aws.amazon.com/*',
    'https://*.signin.aws/*',
    'https://*.awsapps.com/*',
    'https://*.app.aws/*',
    'https://*.portal.amazonaws.com/*',
  ],
  runAt: 'document_idle',
  main(ctx) {
    const read = pageErrorReaderFor(location.hostname);
    if (!read) return;
    let sent = '';
    let pending: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      pending = undefined;
      const body = document.body;
      const text = body?.innerText ?? '';
      // Entra: the code must be visible; its ids may be in a collapsed details panel.
      const found: PageErrorReading | undefined =
        read === readEntraError ? (body ? readEntraPage(text, /AADSTS\d/.test(text) ? hiddenText(body) : '') : undefined) : read(text);
      if (!found) return;
      // Send again only when what the page shows changed (e.g. the ids appeared after the code).
      const key = JSON.stringify(found);
      if (key === sent) return;
      sent = key;
      browser.runtime.sendMessage({ type: 'page-error', reading: found }).catch(() => {
        /* the extension was reloaded: nothing to tell */
      });
    };
    check();
    const observer = new MutationObserver(() => {
      if (!pending) pending = setTimeout(check, 200);
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
