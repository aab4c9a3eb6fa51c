// The background service worker: capture → lib pipeline → store; badge.
// Capture wiring arrives with issue 3; for now it runs the core on captured messages.
import { analyze } from '../lib/analyze.ts';
import type { CapturedMessage } from '../lib/types.ts';

export default defineBackground(() => {
  let seq = 0;
  const captured: CapturedMessage[] = [];
  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      try {
        const url = new URL(details.url);
        let raw = url.searchParams.get('SAMLRequest') ?? url.searchParams.get('SAMLResponse') ?? undefined;
        let param: CapturedMessage['param'] = url.searchParams.has('SAMLRequest') ? 'SAMLRequest' : 'SAMLResponse';
        const form = details.requestBody?.formData;
        if (!raw && form) {
          const v = form['SAMLResponse']?.[0] ?? form['SAMLRequest']?.[0];
          if (typeof v === 'string') {
            raw = v;
            param = form['SAMLResponse'] ? 'SAMLResponse' : 'SAMLRequest';
          }
        }
        if (!raw) return undefined;
        captured.push({ id: `m${++seq}`, raw, param, url: details.url, method: details.method, time: new Date(details.timeStamp).toISOString() });
        const result = analyze({ messages: captured });
        const errors = result.findings.filter((f) => f.severity === 'error').length;
        void browser.action.setBadgeText({ text: errors ? String(errors) : 'ok' });
      } catch (e) {
        console.error('samlscope: capture failed', e);
      }
      return undefined;
    },
    { urls: ['https://login.microsoftonline.com/*', 'https://*.signin.aws.amazon.com/*'] },
    ['requestBody'],
  );
});
