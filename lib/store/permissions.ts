// Host-permission checks for the popup (lib/permissions.ts), with browser APIs.
import { browser } from 'wxt/browser';
import type { PermissionPort } from '../permissions.ts';

export function browserPermissionPort(): PermissionPort {
  return {
    contains: (origin) => browser.permissions.contains({ origins: [origin] }),
    request: (origins) => browser.permissions.request({ origins }),
    onChange(cb) {
      browser.permissions.onAdded.addListener(cb);
      browser.permissions.onRemoved.addListener(cb);
      return () => {
        browser.permissions.onAdded.removeListener(cb);
        browser.permissions.onRemoved.removeListener(cb);
      };
    },
  };
}
