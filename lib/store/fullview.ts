// The full view's own state (zustand, vanilla): what is shown (the live capture or an imported
// file), the selection, the filters, an import in progress, and the export choices. The live
// capture itself stays in the app store (./index.ts); this store never writes captures.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnalysisResult } from '../analyze.ts';
import type { EvidenceInput, ExportFormat } from '../evidence/export.ts';
import type { InputKind } from '../evidence/import.ts';
import type { RedactionMode } from '../evidence/redact.ts';
import type { Severity } from '../types.ts';
import type { ScimChecklistInput } from '../checklist/types.ts';
import type { SignInLogRecord } from '../logs/signin.ts';

export interface Filters {
  query: string;
  host: string;
  /** A message kind the flow must hold (AuthnRequest, Response…), or ''. */
  kind: string;
  severity: '' | Severity;
}

export const NO_FILTERS: Filters = { query: '', host: '', kind: '', severity: '' };

export interface ImportedSource {
  name: string;
  kind: InputKind;
  input: EvidenceInput;
  analysis: AnalysisResult;
  notes: string[];
  /** How long the import took, ms. */
  ms?: number;
}

export interface ImportedSignInLogs {
  /** The files, in the order imported. */
  names: string[];
  records: SignInLogRecord[];
  notes: string[];
}

export type ImportPhase = 'reading' | 'parsing' | 'scanning' | 'analysing';

export interface ImportProgress {
  name: string;
  phase: ImportPhase;
  done: number;
  total: number;
}

export interface ExportSettings {
  format: ExportFormat;
  mode: RedactionMode;
  tenant: boolean;
  signatures: boolean;
  scope: 'flow' | 'all';
}

export type Theme = 'auto' | 'light' | 'dark';

export interface FullViewState {
  imported?: ImportedSource;
  selectedFlowId?: string;
  selectedFindingKey?: string;
  filters: Filters;
  importing?: ImportProgress;
  importError?: string;
  panel: 'none' | 'import' | 'export' | 'scim' | 'compare' | 'checklist';
  exportSettings: ExportSettings;
  theme: Theme;
  /**
   * What the go-live checklist knows from Identity Center (SCIM) about the users who signed in:
   * set by the checklist panel, used by the Markdown export. Undefined: not asked yet.
   */
  checklistScim?: ScimChecklistInput;
  /**
   * Sign-in logs imported (Entra sign-in log, CloudTrail events): joined to whatever is shown,
   * the live capture or an imported file, until cleared.
   */
  signInLogs?: ImportedSignInLogs;
  addSignInLogs(name: string, records: SignInLogRecord[], notes: string[]): void;
  clearSignInLogs(): void;
  setFilters(f: Partial<Filters>): void;
  selectFlow(id: string | undefined): void;
  selectFinding(key: string | undefined): void;
  setPanel(p: FullViewState['panel']): void;
  startImport(name: string): void;
  progress(p: Omit<ImportProgress, 'name'>): void;
  finishImport(src: ImportedSource): void;
  failImport(message: string): void;
  showLive(): void;
  setExportSettings(s: Partial<ExportSettings>): void;
  setTheme(t: Theme): void;
  setChecklistScim(s: ScimChecklistInput | undefined): void;
}

export const DEFAULT_EXPORT: ExportSettings = { format: 'markdown', mode: 'pseudonymise', tenant: false, signatures: false, scope: 'flow' };

export function createFullViewStore(init: Partial<Pick<FullViewState, 'theme' | 'selectedFlowId' | 'panel'>> = {}): StoreApi<FullViewState> {
  return createStore<FullViewState>()((set, get) => ({
    filters: NO_FILTERS,
    panel: init.panel ?? 'none',
    exportSettings: DEFAULT_EXPORT,
    theme: init.theme ?? 'auto',
    ...(init.selectedFlowId ? { selectedFlowId: init.selectedFlowId } : {}),
    setFilters(f) {
      set({ filters: { ...get().filters, ...f } });
    },
    selectFlow(id) {
      if (id === get().selectedFlowId) return;
      set({ selectedFlowId: id, selectedFindingKey: undefined });
    },
    selectFinding(key) {
      set({ selectedFindingKey: key });
    },
    setPanel(panel) {
      set({ panel });
    },
    startImport(name) {
      set({ importing: { name, phase: 'reading', done: 0, total: 0 }, importError: undefined });
    },
    progress(p) {
      const cur = get().importing;
      if (cur) set({ importing: { ...cur, ...p } });
    },
    finishImport(src) {
      set({ imported: src, importing: undefined, importError: undefined, selectedFlowId: undefined, selectedFindingKey: undefined, filters: NO_FILTERS, panel: 'none' });
    },
    failImport(message) {
      set({ importing: undefined, importError: message });
    },
    showLive() {
      set({ imported: undefined, selectedFlowId: undefined, selectedFindingKey: undefined, filters: NO_FILTERS });
    },
    setExportSettings(s) {
      set({ exportSettings: { ...get().exportSettings, ...s } });
    },
    setTheme(theme) {
      set({ theme });
    },
    setChecklistScim(checklistScim) {
      set({ checklistScim });
    },
    addSignInLogs(name, records, notes) {
      const cur = get().signInLogs;
      // The same file twice adds nothing twice: its records replace the earlier ones.
      const keep = cur ? cur.records.filter((r) => !r.id.startsWith(`${name}#`) && !r.id.startsWith(`${name}:`)) : [];
      const names = [...(cur?.names.filter((n) => n !== name) ?? []), name];
      set({ signInLogs: { names, records: [...keep, ...records], notes: [...(cur?.notes ?? []), ...notes.map((n) => `${name}: ${n}`)] }, importing: undefined, importError: undefined, panel: 'none' });
    },
    clearSignInLogs() {
      set({ signInLogs: undefined });
    },
  }));
}
