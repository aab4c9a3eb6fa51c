// The UI store (zustand, vanilla): captures and settings as the background keeps them, the
// analysis derived from them, and the user's selection. Views read it through selectors; every
// mutation of captures goes to the background (the single writer) through the port.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnalysisResult } from '../analyze.ts';
import { emptyState, type CaptureState } from '../capture/model.ts';
import { DEFAULT_SETTINGS, type Settings } from '../settings.ts';
import type { Command } from '../messages.ts';
import type { CertificatePins } from '../signature/types.ts';
import type { AnalysisView } from './view.ts';
import type { AttemptRowView } from './selectors.ts';
import { normalizeLearnedKeys, type LearnedKeys } from '../abac/learned.ts';

/** What the store needs from the extension (implemented with browser APIs in lib/store/browser.ts). */
export interface ExtensionPort {
  loadCaptures(): Promise<CaptureState>;
  loadSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }>;
  /**
   * Calls back when captures or settings change in storage (with `view`: when the background's
   * analysis of them, or the settings, change). Returns an unsubscribe function.
   */
  subscribe(onChange: () => void, o?: { view?: boolean }): () => void;
  /**
   * The background's analysis of the captures as they are now, made with these settings, and the
   * captures as the popup shows them (without raw values); undefined when there is none or it is
   * stale (lib/store/view.ts).
   */
  loadView?(settings: Settings): Promise<{ view: AnalysisView; captures: CaptureState; earlier?: () => Promise<AnalysisView | undefined> } | undefined>;
  send(cmd: Command): Promise<unknown>;
  /** Certificates pinned per tenant (first seen) when none is configured; optional. */
  loadPins?(): Promise<CertificatePins>;
  savePins?(pins: CertificatePins): Promise<void>;
  /** AccessControl keys learned from accepted sign-ins, per instance (lib/abac/learned.ts); optional. */
  loadLearnedKeys?(): Promise<LearnedKeys>;
  saveLearnedKeys?(keys: LearnedKeys): Promise<void>;
  openOptions(): void;
  /** Opens the full view (a tab), on a flow, optionally with the export panel open. */
  openFullView?(flowId?: string, panel?: 'export' | 'checklist'): void;
}

export interface CaptureSlice {
  captures: CaptureState;
  loading: boolean;
  /** A sentence when loading or a command failed; shown, never swallowed. */
  error?: string;
}

export interface SettingsSlice {
  settings: Settings;
  locked: (keyof Settings)[];
}

export interface ViewSlice {
  analysis: AnalysisResult;
  selectedFlowId?: string;
  /**
   * Cryptographic signature verification, which refines the first (synchronous) analysis:
   * 'pending' while the verifier loads and runs, 'verified' when the analysis includes it,
   * 'failed' when it could not run (the synchronous analysis stays).
   */
  signatures?: 'pending' | 'verified' | 'failed';
  /** The go-live checklist's line, when the background's analysis carried it (else computed when shown). */
  checklistSummary?: string;
  /**
   * How many attempts the captures hold, when the analysis shown holds only the newest (painted
   * from the background's stored analysis); else undefined and the analysis holds them all.
   */
  flowTotal?: number;
  /**
   * The popup's rows of the earlier attempts, newest first, while the analysis holds only the
   * latest (painted from the first part of the stored view; the rest is read after the paint).
   */
  earlierRows?: AttemptRowView[];
  /**
   * Painted from the background's stored analysis (viewFirst) and the captures are still being
   * read and analysed: the decoded messages and the other attempts are not there yet.
   */
  detailsLoading?: boolean;
}

export interface Actions {
  load(): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  clear(): Promise<void>;
  selectFlow(id: string | undefined): void;
  openOptions(): void;
  openFullView(panel?: 'export' | 'checklist'): void;
}

export type AppState = CaptureSlice & SettingsSlice & ViewSlice & Actions;

const EMPTY_ANALYSIS: AnalysisResult = { messages: [], flows: [], findings: [] };

export { learnedChanged } from '../abac/learned.ts';
import { learnedChanged } from '../abac/learned.ts';

/** The analysis core, loaded when a page analyses the captures itself (not on the popup's first paint). */
const core = () => import('./analysis.ts');

export interface AppStoreOptions {
  /**
   * Paint from the background's stored analysis when it is fresh (the popup): no decoding,
   * parsing or checking on open. Else, and without it (the full view, which shows the XML), the
   * store analyses the captures itself.
   */
  fromView?: boolean;
  /**
   * Paint from the background's stored analysis when it is fresh (the attempts it holds in full),
   * then read the captures and analyse them all (signatures verified) for the details: the full
   * view, which shows every attempt and the XML, but need not wait for 500 messages to show the
   * latest one (issue 13: ≤ 150 ms to its first card).
   */
  viewFirst?: boolean;
  /**
   * Runs a function once the page has painted (the pages pass one built on requestAnimationFrame);
   * by default on the next turn of the event loop. The second part of the stored view is read then.
   */
  afterPaint?: (fn: () => void) => void;
}

export function createAppStore(port: ExtensionPort, opts: AppStoreOptions = {}): StoreApi<AppState> {
  let generation = 0;
  const whenPainted = opts.afterPaint ?? ((fn: () => void) => setTimeout(fn, 0));
  const store = createStore<AppState>()((set, get) => {
    const fail = (what: string, e: unknown) => set({ error: `${what}: ${(e as Error)?.message ?? String(e)}` });
    /** Second step after a load: the same captures, with signatures verified. Latest load wins. */
    const refine = async (captures: CaptureState, settings: Settings, analysisTime: Date, current?: number) => {
      const gen = current ?? ++generation;
      if (!captures.messages.length && !captures.pageErrors?.length) return;
      set({ signatures: 'pending' });
      try {
        const pins = port.loadPins ? await port.loadPins().catch(() => ({})) : undefined;
        const learned = port.loadLearnedKeys ? await port.loadLearnedKeys().catch(() => ({})) : undefined;
        const r = await (await core()).analyzeCapturesWithSignatures(captures, settings, pins, analysisTime, learned);
        if (gen !== generation) return;
        set({ analysis: r.analysis, signatures: 'verified', detailsLoading: false });
        if (r.pinsChanged && r.pins && port.savePins) await port.savePins(r.pins);
        if (port.saveLearnedKeys && learnedChanged(learned, r.analysis.learnedAccessControlKeys)) await port.saveLearnedKeys(r.analysis.learnedAccessControlKeys!);
      } catch {
        if (gen !== generation) return;
        set({ signatures: 'failed' });
        if (get().detailsLoading) {
          // Painted from the stored analysis: without the verifier, the captures analysed without it.
          try {
            set({ analysis: (await core()).analyzeCaptures(captures, settings, analysisTime), detailsLoading: false });
          } catch (e) {
            set({ detailsLoading: false });
            fail('The analysis failed', e);
          }
        }
      }
    };
    return {
      captures: emptyState(),
      loading: true,
      settings: DEFAULT_SETTINGS,
      locked: [],
      analysis: EMPTY_ANALYSIS,
      async load() {
        try {
          if ((opts.fromView || opts.viewFirst) && port.loadView) {
            const { settings, locked } = await port.loadSettings();
            const got = await port.loadView(settings).catch(() => undefined);
            if (got) {
              // A later load (a newer view) wins over a verification still running from an older one.
              const gen = ++generation;
              const sel = get().selectedFlowId;
              // The attempts the view holds in full (since version 4 the latest, with the rows of the
              // earlier ones until they are read after the paint); the others are counted.
              let analysis = got.view.analysis;
              let earlier = got.earlier;
              let earlierRows = got.view.earlierRows;
              if (earlier && sel && earlierRows?.some((r) => r.flowId === sel)) {
                // An earlier attempt is shown (chosen in the popup, then a new capture came): read
                // its part first, or the popup would show the latest for a frame.
                const whole = await earlier().catch(() => undefined);
                if (gen !== generation) return;
                if (whole) {
                  analysis = whole.analysis;
                  earlier = undefined;
                  earlierRows = undefined;
                }
              }
              if (earlier) {
                whenPainted(() => {
                  if (gen !== generation) return;
                  void earlier()
                    .catch(() => undefined)
                    .then((whole) => {
                      // Only over the analysis painted from the view (the full view may have analysed the captures meanwhile).
                      if (gen !== generation || get().analysis !== analysis) return;
                      // Without the second part (a newer view is being written: its change reloads), the
                      // rows go and the attempts are counted.
                      set(whole ? { analysis: whole.analysis, earlierRows: undefined } : { earlierRows: undefined });
                    });
                });
              }
              if (opts.viewFirst) {
                // After this paint: the captures themselves, analysed with signatures (the details).
                // Once the frame is painted: reading 500 messages (2.6 MB) takes the browser ~80 ms, and
                // the reply, turned into objects on this thread for ~30 ms, would otherwise land
                // before the first frame and hold it back.
                whenPainted(() => {
                  if (gen !== generation) return;
                  void Promise.all([port.loadCaptures(), port.loadSettings()])
                    .then(async ([captures, s]) => {
                      if (gen !== generation) return;
                      set({ captures, settings: s.settings, locked: s.locked, checklistSummary: undefined, flowTotal: undefined, earlierRows: undefined });
                      if (!captures.messages.length && !captures.pageErrors?.length) {
                        set({ analysis: { messages: [], flows: [], findings: [] }, detailsLoading: false });
                        return;
                      }
                      await refine(captures, s.settings, new Date(), gen);
                    })
                    .catch((e) => {
                      set({ detailsLoading: false });
                      fail('Could not read the captured sign-ins', e);
                    });
                });
              }
              set({
                captures: got.captures,
                settings,
                locked,
                analysis,
                loading: false,
                signatures: got.view.signatures,
                checklistSummary: got.view.checklistSummary,
                flowTotal: got.view.flowCount,
                earlierRows,
                detailsLoading: !!opts.viewFirst,
                ...(sel && !analysis.flows.some((f) => f.id === sel) ? { selectedFlowId: undefined } : {}),
              });
              return;
            }
          }
          const [captures, { settings, locked }, learned] = await Promise.all([
            port.loadCaptures(),
            port.loadSettings(),
            port.loadLearnedKeys ? port.loadLearnedKeys().catch(() => undefined) : Promise.resolve(undefined),
          ]);
          let analysis: AnalysisResult;
          const analysisTime = new Date();
          try {
            analysis = (await core()).analyzeCaptures(captures, settings, analysisTime, learned);
          } catch (e) {
            // The core does not throw by design; if it ever does, keep the captures visible.
            analysis = EMPTY_ANALYSIS;
            fail('The analysis failed', e);
          }
          const sel = get().selectedFlowId;
          set({
            captures,
            settings,
            locked,
            analysis,
            checklistSummary: undefined,
            flowTotal: undefined,
            earlierRows: undefined,
            detailsLoading: false,
            loading: false,
            ...(sel && !analysis.flows.some((f) => f.id === sel) ? { selectedFlowId: undefined } : {}),
          });
          void refine(captures, settings, analysisTime);
        } catch (e) {
          set({ loading: false });
          fail('Could not read the captured sign-ins', e);
        }
      },
      async setPaused(paused) {
        try {
          await port.send({ type: 'set-paused', paused });
          await get().load();
        } catch (e) {
          fail(paused ? 'Could not pause capture' : 'Could not resume capture', e);
        }
      },
      async clear() {
        try {
          await port.send({ type: 'clear' });
          set({ selectedFlowId: undefined });
          await get().load();
        } catch (e) {
          fail('Could not clear the captures', e);
        }
      },
      selectFlow(id) {
        set({ selectedFlowId: id });
      },
      openOptions() {
        port.openOptions();
      },
      openFullView(panel) {
        port.openFullView?.(get().selectedFlowId, panel);
      },
    };
  });
  port.subscribe(() => void store.getState().load(), opts.fromView ? { view: true } : undefined);
  return store;
}
