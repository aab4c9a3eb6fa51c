// The UI store (zustand, vanilla): captures and settings as the background keeps them, the
// analysis derived from them, and the user's selection. Views read it through selectors; every
// mutation of captures goes to the background (the single writer) through the port.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze, type AnalysisResult } from '../analyze.ts';
import { emptyState, type CaptureState } from '../capture/state.ts';
import { DEFAULT_SETTINGS, toExpectations, type Settings } from '../settings.ts';
import type { Command } from '../messages.ts';
import type { CertificatePins } from '../signature/types.ts';
import { normalizeLearnedKeys, type LearnedKeys } from '../abac/learned.ts';

/** What the store needs from the extension (implemented with browser APIs in lib/store/browser.ts). */
export interface ExtensionPort {
  loadCaptures(): Promise<CaptureState>;
  loadSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }>;
  /** Calls back when captures or settings change in storage. Returns an unsubscribe function. */
  subscribe(onChange: () => void): () => void;
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

/** The expectations of the settings, with the AccessControl keys learned so far (when kept). */
function expectationsOf(s: Settings, learned?: LearnedKeys) {
  return { ...toExpectations(s), ...(learned ? { learnedAccessControlKeys: learned } : {}) };
}

/** Did the analysis learn keys the stored ones lack (so they must be saved)? */
export function learnedChanged(before: LearnedKeys | undefined, after: LearnedKeys | undefined): boolean {
  if (!after) return false;
  return JSON.stringify(normalizeLearnedKeys(before ?? {})) !== JSON.stringify(normalizeLearnedKeys(after));
}

export function analyzeCaptures(c: CaptureState, s: Settings, analysisTime = new Date(), learned?: LearnedKeys): AnalysisResult {
  if (!c.messages.length && !c.pageErrors?.length) return EMPTY_ANALYSIS;
  return analyze({ messages: c.messages, steps: c.steps, pageErrors: c.pageErrors ?? [], expectations: expectationsOf(s, learned), analysisTime });
}

/**
 * The same analysis with signatures verified (WebCrypto) and the certificate checks that need
 * them. The verifier is loaded here, lazily: it is not part of the popup's first load.
 */
export async function analyzeCapturesWithSignatures(
  c: CaptureState,
  s: Settings,
  pins?: CertificatePins,
  analysisTime = new Date(),
  learned?: LearnedKeys,
): Promise<{ analysis: AnalysisResult; pins?: CertificatePins; pinsChanged: boolean }> {
  if (!c.messages.length && !c.pageErrors?.length) return { analysis: EMPTY_ANALYSIS, pinsChanged: false };
  const { analyzeWithSignatures } = await import('../signature/verify.ts');
  const r = await analyzeWithSignatures(
    { messages: c.messages, steps: c.steps, pageErrors: c.pageErrors ?? [], expectations: expectationsOf(s, learned), analysisTime },
    pins ? { pins } : {},
  );
  return {
    analysis: { messages: r.messages, flows: r.flows, findings: r.findings, ...(r.learnedAccessControlKeys ? { learnedAccessControlKeys: r.learnedAccessControlKeys } : {}) },
    ...(r.pins ? { pins: r.pins } : {}),
    pinsChanged: r.newPins.length > 0,
  };
}

export function createAppStore(port: ExtensionPort): StoreApi<AppState> {
  let generation = 0;
  const store = createStore<AppState>()((set, get) => {
    const fail = (what: string, e: unknown) => set({ error: `${what}: ${(e as Error)?.message ?? String(e)}` });
    /** Second step after a load: the same captures, with signatures verified. Latest load wins. */
    const refine = async (captures: CaptureState, settings: Settings, analysisTime: Date) => {
      const gen = ++generation;
      if (!captures.messages.length && !captures.pageErrors?.length) return;
      set({ signatures: 'pending' });
      try {
        const pins = port.loadPins ? await port.loadPins().catch(() => ({})) : undefined;
        const learned = port.loadLearnedKeys ? await port.loadLearnedKeys().catch(() => ({})) : undefined;
        const r = await analyzeCapturesWithSignatures(captures, settings, pins, analysisTime, learned);
        if (gen !== generation) return;
        set({ analysis: r.analysis, signatures: 'verified' });
        if (r.pinsChanged && r.pins && port.savePins) await port.savePins(r.pins);
        if (port.saveLearnedKeys && learnedChanged(learned, r.analysis.learnedAccessControlKeys)) await port.saveLearnedKeys(r.analysis.learnedAccessControlKeys!);
      } catch {
        if (gen === generation) set({ signatures: 'failed' });
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
          const [captures, { settings, locked }, learned] = await Promise.all([
            port.loadCaptures(),
            port.loadSettings(),
            port.loadLearnedKeys ? port.loadLearnedKeys().catch(() => undefined) : Promise.resolve(undefined),
          ]);
          let analysis: AnalysisResult;
          const analysisTime = new Date();
          try {
            analysis = analyzeCaptures(captures, settings, analysisTime, learned);
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
  port.subscribe(() => void store.getState().load());
  return store;
}
