// Chromium's real side panel, as the popup's "Side panel" button opens it (sidePanel.open). In new
// headless mode the panel does open (a page target at chrome-extension://<id>/sidepanel.html, 360
// px wide here), but Playwright does not list it among the context's pages (microsoft/playwright
// #26693: side panels are not supported), so it is driven over CDP: the browser session attaches
// to its target and sends Runtime.evaluate / Page.captureScreenshot through
// Target.sendMessageToTarget.
import type { CDPSession } from 'playwright-core';
import type { LaunchedBrowser } from './browser.ts';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

export interface SidePanel {
  targetId: string;
  /** Evaluates an expression in the panel's page and returns its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the panel as Chromium renders it. */
  screenshot(): Promise<Buffer>;
  detach(): Promise<void>;
}

async function targets(cdp: CDPSession): Promise<TargetInfo[]> {
  return ((await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] }).targetInfos;
}

/** The side panel's page target, waiting until Chromium has made it; undefined when it never came. */
export async function findSidePanel(b: LaunchedBrowser, timeoutMs = 5000): Promise<SidePanel | undefined> {
  const cdp = await b.context.browser()!.newBrowserCDPSession();
  const url = `chrome-extension://${b.extensionId}/sidepanel.html`;
  const end = Date.now() + timeoutMs;
  let t: TargetInfo | undefined;
  while (!(t = (await targets(cdp)).find((x) => x.type === 'page' && x.url === url)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  // A tab showing sidepanel.html is a page Playwright lists: only the one it does not is the panel.
  if (t && b.context.pages().some((p) => p.url() === url)) throw new Error('sidepanel.html is open in a tab: close it before looking for the side panel');
  if (!t) {
    await cdp.detach().catch(() => undefined);
    return undefined;
  }
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as { sessionId: string };
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    const p = m.id !== undefined ? pending.get(m.id) : undefined;
    if (!p) return;
    pending.delete(m.id!);
    if (m.error) p.reject(new Error(m.error.message));
    else p.resolve(m.result);
  });
  const send = (method: string, params: object) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  return {
    targetId: t.targetId,
    async evaluate<T>(expression: string): Promise<T> {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
        result: { value?: T };
        exceptionDetails?: { text: string; exception?: { description?: string } };
      };
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value as T;
    },
    async screenshot(): Promise<Buffer> {
      const r = (await send('Page.captureScreenshot', { format: 'png' })) as { data: string };
      return Buffer.from(r.data, 'base64');
    },
    async detach() {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}

/**
 * Opens the side panel as a user does: the popup (a page at 420 × 600), a real click on its
 * "Side panel" button (sidePanel.open needs the user's gesture), and the popup closing itself once
 * the panel is open. Throws when the popup stays open (the panel did not open).
 */
export async function openSidePanelFromPopup(b: LaunchedBrowser): Promise<SidePanel> {
  const popup = await b.context.newPage();
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
  await popup.locator('.verdict, .empty').first().waitFor({ timeout: 10_000 });
  const closed = new Promise<void>((r) => popup.once('close', () => r()));
  await popup.locator('button[data-action="open-side-panel"]').click();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([closed, new Promise((_, no) => (timer = setTimeout(() => no(new Error("the popup did not close: the side panel did not open")), 5000)))]);
  } finally {
    clearTimeout(timer);
  }
  const panel = await findSidePanel(b);
  if (!panel) throw new Error('the popup closed, but no side panel page target appeared');
  return panel;
}
