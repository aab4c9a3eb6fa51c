// The background service worker: capture → lib pipeline → store; badge.
// A short list of setup calls; the logic lives in lib/ and in the modules beside this one.
import { CaptureService } from './capture.ts';
import { setupMessages } from './messages.ts';
import { setupWebRequest } from './webrequest.ts';
import { setupHostAccess } from './permissions.ts';

export default defineBackground(() => {
  const service = new CaptureService();
  // Listeners first and synchronously, so a restarted worker sees the request that woke it.
  setupWebRequest(service);
  setupMessages(service);
  setupHostAccess(service);
  void service.init();
  // What the latest changes to the captures cost this worker (ms): read by npm run bench:browser
  // through the worker. Numbers only; nothing captured.
  (globalThis as { samlscopeCaptureCosts?: () => unknown }).samlscopeCaptureCosts = () => [...service.captureCosts];
});
