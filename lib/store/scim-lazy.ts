// The SCIM port for the popup: the same as browserScimPort (lib/store/scim.ts), whose module (and
// the SCIM client it brings) loads on first use instead of with the popup (issue 13). The
// permission request and opening the SCIM page stay synchronous with the click that asks for them.
import { browser } from 'wxt/browser';
import type { ScimPort } from '../scim/settings.ts';

export function lazyBrowserScimPort(): ScimPort {
  let real: Promise<ScimPort> | undefined;
  const port = () => (real ??= import('./scim.ts').then((m) => m.browserScimPort()));
  return {
    load: async () => (await port()).load(),
    save: async (settings, token) => (await port()).save(settings, token),
    hasPermission: (origin) => browser.permissions.contains({ origins: [origin] }).catch(() => false),
    requestPermission: (origin) => browser.permissions.request({ origins: [origin] }).catch(() => false),
    fetch: (...a: Parameters<typeof fetch>) => globalThis.fetch(...a),
    readCrossCheck: async () => (await port()).readCrossCheck(),
    writeCrossCheck: async (c) => (await port()).writeCrossCheck(c),
    openScimPage() {
      void browser.tabs.create({ url: (browser.runtime.getURL as (p: string) => string)('/scim.html') });
    },
  };
}
