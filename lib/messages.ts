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
