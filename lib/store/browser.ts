// The persistence adapter: the only file under lib/ that touches extension APIs. It is imported
// by entrypoints only, never by the core, the CLI or the Node tests of the core.
import { browser } from 'wxt/browser';
import type { CaptureState } from '../capture/model.ts';
import { CAPTURES_HEAD_KEY, isCaptureKey, readStoredCaptures, type CaptureLayout } from '../capture/stored.ts';
import { DEFAULT_SETTINGS, mergeManaged, normalizeSettings, toExpectations, type Settings } from '../settings.ts';
import { expectationsKey, isAnalysisView, joinView, viewCaptures, type AnalysisView } from './view.ts';
import { STORAGE_KEYS, sendUntilReceived, type Command, type CommandResult } from '../messages.ts';
import type { ExtensionPort } from './index.ts';
import { normalizePins } from '../signature/pins.ts';
import { normalizeLearnedKeys, type LearnedKeys } from '../abac/learned.ts';
import type { CertificatePins } from '../signature/types.ts';
import { takeEarlyReads } from './early.ts';

let managedAnswer: Promise<unknown> | undefined;
let managedLate = false;

/** How long a view waits for managed storage before painting without it (see readManaged). */
const MANAGED_QUICK_MS = 250;
/** How long enforcement waits: Chromium answers the first read ~3 s after the browser starts. */
const MANAGED_POLICY_MS = 8_000;

/**
 * The administrator's preset values and policies (undefined: none, or not known yet). Firefox
 * rejects without enterprise policy; Chromium answers {} but its first answer after the browser
 * starts takes seconds while it loads policy. So the answer is kept once it comes, however late;
 * a view waits `waitMs` (short) and is told when a late answer arrives (onManagedLate), while
 * whatever enforces a policy (the background, the SCIM fetch, Options) waits long enough for it.
 */
export function readManaged(waitMs = MANAGED_QUICK_MS): Promise<unknown> {
  managedAnswer ??= browser.storage.managed.get(null).catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    managedAnswer.then((v) => {
      clearTimeout(timer);
      return v;
    }),
    new Promise<undefined>((r) => {
      timer = setTimeout(() => {
        managedLate = true;
        r(undefined);
      }, waitMs);
    }),
  ]);
}

/** Calls back once when an answer that a quick read gave up on arrives. */
function onManagedLate(cb: () => void): void {
  void managedAnswer?.then(() => {
    if (managedLate) {
      managedLate = false;
      cb();
    }
  });
}

/** Policy changed: read it again next time. */
export function forgetManaged(): void {
  managedAnswer = undefined;
  managedLate = false;
}

/**
 * The user's settings with the administrator's values over them. `waitForPolicy`: wait until
 * managed storage answers (up to 8 s), for callers that enforce a policy.
 */
export async function readSettings(o: { waitForPolicy?: boolean } = {}): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  // Both at once: a page's first paint waits for them (one round trip to the browser, not two).
  // The page's first read may have been started from its head (lib/store/early.ts).
  const early = earlyLocal.settings;
  earlyLocal.settings = undefined;
  const [stored, managed] = await Promise.all([
    early ? early.then((v) => v ?? browser.storage.local.get(STORAGE_KEYS.settings)) : browser.storage.local.get(STORAGE_KEYS.settings),
    readManaged(o.waitForPolicy ? MANAGED_POLICY_MS : MANAGED_QUICK_MS),
  ]);
  const user = normalizeSettings(stored[STORAGE_KEYS.settings]);
  return mergeManaged(user, managed);
}

export async function writeSettings(s: Settings): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.settings]: s });
}

/** Session storage where the browser has it (Chrome MV3, Firefox 115+), else local storage. */
export function capturesArea(settings: Settings) {
  const session = (browser.storage as { session?: typeof browser.storage.local }).session;
  return settings.persistAcrossRestarts || !session ? browser.storage.local : session;
}

/** Where the background keeps its analysis: the other area than the captures, so it never takes their room. */
export function viewArea(settings: Settings) {
  const captures = capturesArea(settings);
  const session = (browser.storage as { session?: typeof browser.storage.local }).session;
  return captures === browser.storage.local && session ? session : browser.storage.local;
}

/**
 * The background's analysis, when it is of the captures as they are now (same revision) and was
 * made with these settings; else undefined (the caller analyses the captures itself).
 */
export async function readFreshView(settings: Settings): Promise<AnalysisView | undefined> {
  const area = capturesArea(settings);
  const vArea = viewArea(settings);
  const early = prefetched;
  prefetched = undefined;
  const [v, rev, bytes] = early && early.captures === area && early.view === vArea ? await early.parts : await viewParts(area, vArea);
  const view = v[STORAGE_KEYS.analysisView];
  if (!isAnalysisView(view)) return undefined;
  if (view.revision !== rev[STORAGE_KEYS.capturesRevision]) return undefined;
  // Captures written by anything but the background (which writes the revision with them) have
  // another size: the view is not of them.
  if (bytes !== undefined && view.capturesBytes !== undefined && bytes !== view.capturesBytes) return undefined;
  if (view.expectationsKey !== expectationsKey(toExpectations(settings))) return undefined;
  return view;
}

function viewParts(area: ReturnType<typeof capturesArea>, vArea: ReturnType<typeof capturesArea>) {
  return Promise.all([vArea.get(STORAGE_KEYS.analysisView), area.get(STORAGE_KEYS.capturesRevision), capturesBytes(area)]);
}

let prefetched: { captures: ReturnType<typeof capturesArea>; view: ReturnType<typeof capturesArea>; parts: ReturnType<typeof viewParts> } | undefined;

/**
 * Starts reading the background's analysis where the default settings keep it, before the
 * settings are read (the popup's first paint: one round trip to the browser instead of two).
 * readFreshView uses it when the settings put it there, else reads again.
 */
export function prefetchView(): void {
  const captures = capturesArea(DEFAULT_SETTINGS);
  const view = viewArea(DEFAULT_SETTINGS);
  // Reads the page's head already started (lib/store/early.ts), when they are of these areas: the
  // analysis in storage.local, the captures in storage.session.
  const early = takeEarlyReads();
  const session = (browser.storage as { session?: typeof browser.storage.local }).session;
  if (early) {
    earlyLocal = { settings: early.local, saveError: early.local };
    managedAnswer ??= early.managed;
  }
  const parts: ReturnType<typeof viewParts> =
    early?.session && captures === session && view === browser.storage.local
      ? Promise.all([
          early.local.then((v) => v ?? view.get(STORAGE_KEYS.analysisView)),
          early.session.then((v) => v ?? captures.get(STORAGE_KEYS.capturesRevision)),
          early.sessionBytes ? early.sessionBytes : capturesBytes(captures),
        ])
      : viewParts(captures, view);
  prefetched = { captures, view, parts };
  prefetched.parts.catch(() => undefined);
}

/** What the head's storage.local read holds for readSettings and readSaveError, each taken once. */
let earlyLocal: { settings?: Promise<Record<string, unknown> | undefined> | undefined; saveError?: Promise<Record<string, unknown> | undefined> | undefined } = {};

/** The stored size of the captures, without reading them (undefined where the browser cannot tell). */
export async function capturesBytes(area: ReturnType<typeof capturesArea>): Promise<number | undefined> {
  const f = (area as { getBytesInUse?: (keys: string) => Promise<number> }).getBytesInUse;
  if (typeof f !== 'function') return undefined;
  try {
    // The head of the stored captures (lib/capture/stored.ts): written with every change of order
    // or count, and by anything that writes captures the old way.
    const n = await f.call(area, CAPTURES_HEAD_KEY);
    return typeof n === 'number' ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The toolbar action: `action` in MV3, `browserAction` in Firefox's MV2. */
export function toolbarAction(): typeof browser.action {
  const b = browser as unknown as { action?: typeof browser.action; browserAction?: typeof browser.action };
  return (b.action ?? b.browserAction)!;
}

export async function readCaptures(settings?: Settings): Promise<CaptureState> {
  const s = settings ?? (await readSettings()).settings;
  const [got, err] = await Promise.all([capturesArea(s).get(null), readSaveError()]);
  const { state } = readStoredCaptures(got);
  // A failure to save is shown with the captures, even though it could not be saved with them.
  return err ? { ...state, notices: [...state.notices, { id: `save-error-${err.time}`, kind: 'error', text: err.text, time: err.time }] } : state;
}

/**
 * Writes the captures in their keyed layout (lib/capture/stored.ts): only what changed since the
 * layout's last write, with `extra` keys (the revision) in the same write. The single writer (the
 * background) calls it; a failed write throws and leaves the layout knowing what is stored.
 */
export async function writeCaptures(area: ReturnType<typeof capturesArea>, layout: CaptureLayout, state: CaptureState, extra: Record<string, unknown>): Promise<{ planMs: number }> {
  const t0 = performance.now();
  const p = layout.plan(state);
  const planMs = performance.now() - t0;
  Object.assign(p.set, extra);
  if (!p.removeAfterSet && p.remove.length) {
    await area.remove(p.remove);
    layout.removed(p);
  }
  try {
    await area.set(p.set);
  } catch (e) {
    layout.failed(p);
    throw e;
  }
  layout.written(p);
  if (p.removeAfterSet && p.remove.length) {
    // A full rewrite removes the old keys only once the new ones are stored; if this fails, the
    // next write removes them (a reader meanwhile keeps the later copy of each).
    try {
      await area.remove(p.remove);
      layout.removed(p);
    } catch (e) {
      console.error('samlscope: could not remove old capture keys', e);
    }
  }
  return { planMs };
}

export interface SaveError {
  time: string;
  text: string;
}

export async function readSaveError(): Promise<SaveError | undefined> {
  const early = earlyLocal.saveError;
  earlyLocal.saveError = undefined;
  const got: Record<string, unknown> = (early ? await early : undefined) ?? (await browser.storage.local.get(STORAGE_KEYS.saveError));
  const v = got[STORAGE_KEYS.saveError] as Partial<SaveError> | undefined;
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
  // A page can send while Chromium stops the idle worker: nobody receives it, and a try later starts
  // a new one (sendUntilReceived).
  const r = (await sendUntilReceived(() => browser.runtime.sendMessage(cmd))) as CommandResult | undefined;
  if (!r) throw new Error('the background did not answer');
  if (!r.ok) throw new Error(r.error);
  return r;
}

export function browserPort(): ExtensionPort {
  return {
    async loadCaptures() {
      return readCaptures();
    },
    loadSettings: () => readSettings(),
    async loadView(settings) {
      const [view, err] = await Promise.all([readFreshView(settings), readSaveError()]);
      if (!view) return undefined;
      const captures = viewCaptures(view);
      if (err) captures.notices = [...captures.notices, { id: `save-error-${err.time}`, kind: 'error', text: err.text, time: err.time }];
      // The second part of the view (the earlier attempts in full), read when the store asks: after the first paint.
      const earlier = view.earlierRows ? async () => joinView(view, (await viewArea(settings).get(STORAGE_KEYS.analysisViewEarlier))[STORAGE_KEYS.analysisViewEarlier]) : undefined;
      return { view, captures, ...(earlier ? { earlier } : {}) };
    },
    subscribe(onChange, o) {
      // A view painted before managed storage answered: load again with the policy applied.
      onManagedLate(onChange);
      // A view-first page (the popup) follows the background's analysis, which follows every
      // change of the captures; the others follow the captures.
      const keys: string[] = o?.view ? [STORAGE_KEYS.analysisView, STORAGE_KEYS.settings, STORAGE_KEYS.saveError] : [STORAGE_KEYS.capturesRevision, STORAGE_KEYS.settings, STORAGE_KEYS.saveError];
      const listener = (changes: Record<string, unknown>) => {
        if (keys.some((k) => k in changes) || (!o?.view && Object.keys(changes).some(isCaptureKey))) onChange();
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
