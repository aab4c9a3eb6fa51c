// The first storage reads of the popup, the side panel and the full view, started by a classic
// script in the page's head (entrypoints/early-reads.ts) while the page's modules still load.
// Measured in headless Chromium with 500 stored messages, the modules start running 75–95 ms
// after navigation, then the reads took 20–25 ms more before the first finding card could paint;
// started from the head, they are done by then. Kept tiny (no imports but the key names): it is
// loaded before the first paint. Only lib/store/browser.ts takes the results, once.
import { browser } from 'wxt/browser';
import { STORAGE_KEYS } from '../messages.ts';

export interface EarlyReads {
  /** storage.local: the background's analysis, the settings and the last save failure. */
  local: Promise<Record<string, unknown> | undefined>;
  /** storage.session (absent in browsers without it): the captures' revision. */
  session: Promise<Record<string, unknown> | undefined> | undefined;
  /** The stored size of the captures' head in storage.session, where the browser can tell. */
  sessionBytes: Promise<number | undefined> | undefined;
  /** Managed storage (the administrator's values); undefined when it refuses. */
  managed: Promise<unknown>;
  /** Set when storage changed after the reads started: the results may be stale. */
  changed: boolean;
}

const GLOBAL = '__samlscopeEarlyReads';
type Area = { get(keys: unknown): Promise<Record<string, unknown>>; getBytesInUse?: (keys: string) => Promise<number> };

const settle = <T>(p: Promise<T> | undefined): Promise<T | undefined> | undefined => p?.then((v) => v, () => undefined);

/** Starts the reads (the head script calls this). Never throws: a page without them reads as before. */
export function startEarlyReads(): void {
  try {
    const storage = browser.storage as unknown as { local: Area; session?: Area; managed?: Area; onChanged: { addListener(f: () => void): void } };
    const session = storage.session;
    const early: EarlyReads = {
      local: settle(storage.local.get([STORAGE_KEYS.analysisView, STORAGE_KEYS.settings, STORAGE_KEYS.saveError]))!,
      session: settle(session?.get(STORAGE_KEYS.capturesRevision)),
      sessionBytes: session && typeof session.getBytesInUse === 'function' ? settle(session.getBytesInUse(STORAGE_KEYS.captures)) : undefined,
      managed: settle(storage.managed?.get(null)) ?? Promise.resolve(undefined),
      changed: false,
    };
    storage.onChanged.addListener(() => {
      early.changed = true;
    });
    (globalThis as Record<string, unknown>)[GLOBAL] = early;
  } catch {
    /* no extension APIs here: the page reads as before */
  }
}

/** The reads the head script started, once (a later load reads storage again); undefined when stale or absent. */
export function takeEarlyReads(): EarlyReads | undefined {
  const g = globalThis as Record<string, unknown>;
  const early = g[GLOBAL] as EarlyReads | undefined;
  if (!early) return undefined;
  delete g[GLOBAL];
  return early.changed ? undefined : early;
}
