// Opens samlscope in the browser's side panel from the popup: it stays open while the user signs
// in (the popup closes on the first click into the page). Chrome / Edge: sidePanel.open, which
// needs the window id and must run inside the click, so the id is read when the popup opens.
// Firefox: sidebarAction.open. Undefined when the browser has neither.
import { browser } from 'wxt/browser';

interface SidePanelApi {
  open(o: { windowId: number }): Promise<void>;
}
interface SidebarActionApi {
  open(): Promise<void>;
}

export function sidePanelOpener(onError: (message: string) => void): (() => void) | undefined {
  const b = browser as unknown as { sidePanel?: SidePanelApi; sidebarAction?: SidebarActionApi; windows?: typeof browser.windows };
  const fail = (e: unknown) => onError(`Could not open the side panel: ${(e as Error)?.message ?? String(e)}`);
  if (b.sidebarAction) {
    const api = b.sidebarAction;
    return () => {
      api.open().then(() => window.close(), fail);
    };
  }
  if (b.sidePanel && b.windows) {
    const api = b.sidePanel;
    let windowId: number | undefined;
    b.windows.getCurrent().then((w) => (windowId = w.id), fail);
    return () => {
      if (windowId === undefined) return fail(new Error('the browser window is not known yet; try again'));
      api.open({ windowId }).then(() => window.close(), fail);
    };
  }
  return undefined;
}
