// The persistence adapter: the only file under lib/ that touches extension APIs. It is imported
// by entrypoints only, never by the core, the CLI or the Node tests of the core.
import { browser } from 'wxt/browser';
import { migrateState, type CaptureState } from '../capture/state.ts';
import { mergeManaged, normalizeSettings, type Settings } from '../settings.ts';
import { STORAGE_KEYS, type Command, type CommandResult } from '../messages.ts';
import type { ExtensionPort } from './index.ts';
import { normalizePins } from '../signature/pins.ts';
import { normalizeLearnedKeys, type LearnedKeys } from '../abac/learned.ts';
import type { CertificatePins } from '../signature/types.ts';

let managedCache: Promise<unknown> | undefined;

/**
 * The administrator's preset values. Absent outside enterprise policy: Firefox rejects, and
 * Chromium without any policy never answers, so the read is bounded.
 */
export function readManaged(): Promise<unknown> {
  managedCache ??= Promise.race([
    browser.storage.managed.get(null).catch(() => undefined),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 250)),
  ]);
  return managedCache;
}

/** Policy changed: read it again next time. */
export function forgetManaged(): void {
  managedCache = undefined;
}

export async function readSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  const stored = await browser.storage.local.get(STORAGE_KEYS.settings);
  const user = normalizeSettings(stored[STORAGE_KEYS.settings]);
  return mergeManaged(user, await readManaged());
}

export async function writeSettings(s: Settings): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.settings]: s });
}

/** Session storage where the browser has it (Chrome MV3, Firefox 115+), else local storage. */
export function capturesArea(settings: Settings) {
  const session = (browser.storage as { session?: typeof browser.storage.local }).session;
  return settings.persistAcrossRestarts || !session ? browser.storage.local : session;
}

/** The toolbar action: `action` in MV3, `browserAction` in Firefox's MV2. */
export function toolbarAction(): typeof browser.action {
  const b = browser as unknown as { action?: typeof browser.action; browserAction?: typeof browser.action };
  return (b.action ?? b.browserAction)!;
}

export async function readCaptures(settings?: Settings): Promise<CaptureState> {
  const s = settings ?? (await readSettings()).settings;
  const [got, err] = await Promise.all([capturesArea(s).get(STORAGE_KEYS.captures), readSaveError()]);
  const state = migrateState(got[STORAGE_KEYS.captures]);
  // A failure to save is shown with the captures, even though it could not be saved with them.
  return err ? { ...state, notices: [...state.notices, { id: `save-error-${err.time}`, kind: 'error', text: err.text, time: err.time }] } : state;
}

export interface SaveError {
  time: string;
  text: string;
}

export async function readSaveError(): Promise<SaveError | undefined> {
  const v = (await browser.storage.local.get(STORAGE_KEYS.saveError))[STORAGE_KEYS.saveError] as Partial<SaveError> | undefined;
  return v && typeof v.time === 'string' && typeof v.text === 'string' ? { time: v.time, text: v.text } : undefined;
}

/** Records (or, with undefined, clears) the last failure to save the captures. Never throws. */
export async function writeSaveError(e: SaveError | undefined): Promise<void> {
  try {
    if (e) await browser.storage.local.set({ [STORAGE_KEYS.saveError]: e });
    else await browser.storage.local.remove(STORAGE_KEYS.saveError);
  } catch (x) {
    console.error('samlscope: could not record the save failure', x);
  }
}

/** Certificates pinned per tenant (first seen), kept across restarts in storage.local. */
export async function readPins(): Promise<CertificatePins> {
  const got = await browser.storage.local.get(STORAGE_KEYS.certificatePins);
  return normalizePins(got[STORAGE_KEYS.certificatePins]);
}

export async function writePins(pins: CertificatePins): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.certificatePins]: normalizePins(pins) });
}

/** AccessControl keys learned from accepted sign-ins, per instance, kept in storage.local (lib/abac/learned.ts). */
export async function readLearnedKeys(): Promise<LearnedKeys> {
  const got = await browser.storage.local.get(STORAGE_KEYS.learnedAccessControlKeys);
  return normalizeLearnedKeys(got[STORAGE_KEYS.learnedAccessControlKeys]);
}

export async function writeLearnedKeys(keys: LearnedKeys): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.learnedAccessControlKeys]: normalizeLearnedKeys(keys) });
}

export async function sendCommand(cmd: Command): Promise<CommandResult> {
  const r = (await browser.runtime.sendMessage(cmd)) as CommandResult | undefined;
  if (!r) throw new Error('the background did not answer');
  if (!r.ok) throw new Error(r.error);
  return r;
}

export function browserPort(): ExtensionPort {
  return {
    async loadCaptures() {
      return readCaptures();
    },
    loadSettings: readSettings,
    subscribe(onChange) {
      const listener = (changes: Record<string, unknown>) => {
        if (STORAGE_KEYS.captures in changes || STORAGE_KEYS.settings in changes || STORAGE_KEYS.saveError in changes) onChange();
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
    send: sendCommand,
    loadPins: readPins,
    savePins: writePins,
    loadLearnedKeys: readLearnedKeys,
    saveLearnedKeys: writeLearnedKeys,
    openOptions() {
      void browser.runtime.openOptionsPage();
    },
    openFullView(flowId, panel) {
      const hash = new URLSearchParams();
      if (flowId) hash.set('flow', flowId);
      if (panel) hash.set(panel, '');
      const url = (browser.runtime.getURL as (p: string) => string)('/fullview.html') + (hash.size ? `#${hash.toString()}` : '');
      void browser.tabs.create({ url });
    },
  };
}
