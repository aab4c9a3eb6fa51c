// Commands from the popup and the other pages.
import { browser } from 'wxt/browser';
import { isCommand, STORAGE_KEYS, type CommandResult } from '../../lib/messages.ts';
import type { CaptureService } from './capture.ts';
import { forgetManaged } from '../../lib/store/browser.ts';

export function setupMessages(service: CaptureService): void {
  // Settings saved by the options page, another window, or policy: apply them at once.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed') forgetManaged();
    if ((area === 'local' && STORAGE_KEYS.settings in changes) || area === 'managed') void service.settingsChanged();
  });
  browser.runtime.onMessage.addListener((msg: unknown, sender, sendResponse: (r: CommandResult) => void) => {
    if (!isCommand(msg)) return false;
    const reply = (p: Promise<unknown>) =>
      p.then(
        () => sendResponse({ ok: true }),
        (e: unknown) => sendResponse({ ok: false, error: (e as Error)?.message ?? String(e) }),
      );
    if (msg.type === 'page-error') {
      // Only from this extension's content script, in a tab, on a sign-in host.
      if (sender.id !== browser.runtime.id || sender.tab?.id === undefined || !sender.url) {
        sendResponse({ ok: false, error: 'page errors come from the content script only' });
        return false;
      }
      void reply(service.addPageError(msg.reading, { url: sender.url, tabId: sender.tab.id, ...(sender.frameId !== undefined ? { frameId: sender.frameId } : {}) }));
      return true;
    }
    if (msg.type === 'witness') {
      if (sender.id !== browser.runtime.id || sender.tab?.id === undefined || !sender.url) {
        sendResponse({ ok: false, error: 'page witnesses come from the content script only' });
        return false;
      }
      void reply(service.witness(msg.witness, { url: sender.url, tabId: sender.tab.id, ...(sender.frameId !== undefined ? { frameId: sender.frameId } : {}) }));
      return true;
    }
    switch (msg.type) {
      case 'set-paused':
        void reply(service.setPaused(msg.paused));
        break;
      case 'clear':
        void reply(service.clear());
        break;
      case 'settings-changed':
        void reply(service.settingsChanged());
        break;
      case 'ping':
        sendResponse({ ok: true });
        return false;
    }
    return true; // answered asynchronously
  });
}
