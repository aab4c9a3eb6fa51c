// The UI store (zustand, vanilla): captures and settings as the background keeps them, the
// analysis derived from them, and the user's selection. Views read it through selectors; every
// mutation of captures goes to the background (the single writer) through the port.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze, type AnalysisResult } from '../analyze.ts';
import { emptyState, type CaptureState } from '../capture/state.ts';
import { DEFAULT_SETTINGS, toExpectations, type Settings } from '../settings.ts';
import type { Command } from '../messages.ts';

/** What the store needs from the extension (implemented with browser APIs in lib/store/browser.ts). */
export interface ExtensionPort {
  loadCaptures(): Promise<CaptureState>;
  loadSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }>;
  /** Calls back when captures or settings change in storage. Returns an unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  send(cmd: Command): Promise<unknown>;
  openOptions(): void;
  openFullView?(flowId?: string): void;
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
}

export interface Actions {
  load(): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  clear(): Promise<void>;
  selectFlow(id: string | undefined): void;
  openOptions(): void;
}

export type AppState = CaptureSlice & SettingsSlice & ViewSlice & Actions;

const EMPTY_ANALYSIS: AnalysisResult = { messages: [], flows: [], findings: [] };

export function analyzeCaptures(c: CaptureState, s: Settings, analysisTime = new Date()): AnalysisResult {
  if (!c.messages.length) return EMPTY_ANALYSIS;
  return analyze({ messages: c.messages, steps: c.steps, expectations: toExpectations(s), analysisTime });
}

export function createAppStore(port: ExtensionPort): StoreApi<AppState> {
  const store = createStore<AppState>()((set, get) => {
    const fail = (what: string, e: unknown) => set({ error: `${what}: ${(e as Error)?.message ?? String(e)}` });
    return {
      captures: emptyState(),
      loading: true,
      settings: DEFAULT_SETTINGS,
      locked: [],
      analysis: EMPTY_ANALYSIS,
      async load() {
        try {
          const [captures, { settings, locked }] = await Promise.all([port.loadCaptures(), port.loadSettings()]);
          let analysis: AnalysisResult;
          try {
            analysis = analyzeCaptures(captures, settings);
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
    };
  });
  port.subscribe(() => void store.getState().load());
  return store;
}
