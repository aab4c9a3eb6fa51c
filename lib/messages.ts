// The one typed map of messages between the UI pages and the background.

export type Command =
  | { type: 'set-paused'; paused: boolean }
  | { type: 'clear' }
  /** Re-read settings (the options page saved) and re-apply retention and storage area. */
  | { type: 'settings-changed' }
  | { type: 'ping' }
  /** From the content script: the error a sign-in page shows (lib/pages/errors.ts). */
  | { type: 'page-error'; reading: unknown }
  /** From the content script: what a sign-in page saw of its own load (lib/capture/witness.ts). */
  | { type: 'witness'; witness: unknown };

export type CommandResult = { ok: true } | { ok: false; error: string };

export function isCommand(x: unknown): x is Command {
  if (!x || typeof x !== 'object') return false;
  const t = (x as { type?: unknown }).type;
  return t === 'set-paused' || t === 'clear' || t === 'settings-changed' || t === 'ping' || t === 'page-error' || t === 'witness';
}

/**
 * What Chromium answers a runtime message when no page or worker of the extension listens: the
 * message was delivered to nobody. It happens when a page sends while the service worker is being
 * stopped (Chromium stops an idle worker after 30 s); the next try starts a new worker.
 */
const NOBODY_LISTENED = /Receiving end does not exist/i;

/** The waits before each further try of a command nobody received, ms (0.75 s in all). */
export const COMMAND_RETRY_WAITS_MS = [50, 100, 200, 400] as const;

/**
 * Sends a command, trying again (after COMMAND_RETRY_WAITS_MS) only while the browser says nobody
 * received it: then it did nothing, so trying again cannot do it twice. Any other failure, and an
 * answer, come back at once. When every try found nobody, says so in words a user can act on.
 */
export async function sendUntilReceived<T>(
  send: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  waits: readonly number[] = COMMAND_RETRY_WAITS_MS,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await send();
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      if (!NOBODY_LISTENED.test(message)) throw e;
      if (i >= waits.length) {
        const total = waits.reduce((n, w) => n + w, 0);
        throw new Error(`samlscope's background service worker did not start: ${waits.length + 1} tries over ${(total / 1000).toFixed(2)} s were received by nobody (${message}). Reload samlscope on the browser's extensions page.`);
      }
      await sleep(waits[i]!);
    }
  }
}

/** Storage keys, declared once. Captures live in the session area unless kept across restarts. */
export const STORAGE_KEYS = {
  captures: 'captures',
  settings: 'settings',
  /** The first IdP certificate seen per Entra tenant, when none is configured (storage.local). */
  certificatePins: 'certificatePins',
  learnedAccessControlKeys: 'learnedAccessControlKeys',
  /**
   * The last failure to save the captures ({time, text}), kept apart from them in storage.local
   * (small, so it fits when the captures' area is full): the popup shows it, and it survives a
   * worker restart that loses what could not be saved. Removed by the next successful save.
   */
  saveError: 'captureSaveError',
  /** Changes with every save of the captures, written with them: which captures a view is of. */
  capturesRevision: 'capturesRevision',
  /**
   * The background's analysis of the captures (lib/store/view.ts), in the other area than the
   * captures (so it never takes their room): the popup paints from it.
   */
  analysisView: 'analysisView',
  /** Its second part: the earlier attempts in full, read after the popup's first paint (lib/store/view.ts splitView). */
  analysisViewEarlier: 'analysisViewEarlier',
} as const;
