// The analysis as the background keeps it beside the captures (issue 13): computed once per
// capture by the single writer (incrementally, signatures verified) and stored for the popup,
// which paints its verdict and cards from it without decoding, parsing or checking anything.
// Bounded, so that reading it costs the same with 10 messages as with 500: the attempts the popup
// shows (the latest and the earlier ones it lists) in full, without raw values and XML, and the
// count of all (the rest are in the full view, which reads the captures). Pure: stored and read
// through lib/store/browser.ts.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { CAPTURE_STATE_VERSION, type CaptureState } from '../capture/model.ts';
import type { Expectations } from '../checks/types.ts';
import type { Flow } from '../types.ts';
import { attemptRowView, selectFlowsNewestFirst, type AttemptRowView } from './selectors.ts';

/**
 * 4: stored in two parts (splitView): the latest attempt with the rows of the earlier ones, read
 * for the first paint, and the earlier attempts in full, read after it.
 */
export const ANALYSIS_VIEW_VERSION = 4;

export interface AnalysisView {
  version: number;
  /** The captures' revision it was computed from (written with the captures). */
  revision: string;
  /** The stored size of those captures (getBytesInUse), when the browser tells it: a second check of freshness. */
  capturesBytes?: number;
  /** The expectations it was computed with (see expectationsKey). */
  expectationsKey: string;
  /** When the background computed it (ISO). */
  computedAt: string;
  /** The attempts the popup shows, in full (see toView). */
  analysis: AnalysisResult;
  /** How many attempts the captures hold (the popup's "N more sign-ins"). */
  flowCount: number;
  /** What the popup shows of the captures: counts, the pause switch, notices. */
  paused: boolean;
  notices: CaptureState['notices'];
  pageErrors: CaptureState['pageErrors'];
  messageCount: number;
  /** Signatures verified by the background (always, unless the verifier failed: then a sentence). */
  signatures: 'verified' | 'failed';
  signatureError?: string;
  /** The go-live checklist's one line ("5 of 6 done, 1 to test"), computed with the analysis. */
  checklistSummary?: string;
  /**
   * Set on the first part of a stored view (splitView): `analysis` holds the latest attempt only,
   * and these are the popup's rows of the earlier ones, newest first, until the second part is read.
   */
  earlierRows?: AttemptRowView[];
}

/** The second part of a stored view: the earlier attempts in full (see splitView). */
export interface AnalysisViewEarlier {
  version: number;
  /** The revision and time of the first part it goes with. */
  revision: string;
  computedAt: string;
  analysis: AnalysisResult;
}

/**
 * The attempts, newest first, kept in full (their messages with the parsed model, for the SCIM
 * cross-check of the shown sign-in, and their findings): the ones the popup can show, the latest
 * and the 8 earlier ones it lists. The rest are one click away in the full view.
 */
export const VIEW_FLOWS_IN_FULL = 9;

/**
 * Of those, the attempts whose messages keep their parsed model (~8 KB a Response): the latest,
 * which the popup opens on and cross-checks with SCIM. An earlier one chosen in the popup shows
 * its verdict, cards and hops; its SCIM cross-check is in the full view.
 */
export const VIEW_FLOWS_WITH_MODELS = 1;

/** A stable text of the expectations, to tell whether a stored view was made with the current ones. */
export function expectationsKey(e: Expectations): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sorted(e));
}

/** A message without its raw value and XML, and without its parsed model unless kept (the summary stays). */
function liteMessage(m: AnalyzedMessage, keepModel: boolean): AnalyzedMessage {
  const { xml: _xml, model, capture, ...rest } = m;
  const { rawQuery: _q, ...cap } = capture;
  return { ...rest, ...(keepModel && model ? { model } : {}), capture: { ...cap, raw: '' } };
}

export function toView(
  analysis: AnalysisResult,
  state: CaptureState,
  o: { revision: string; capturesBytes?: number | undefined; expectationsKey: string; computedAt: Date; signatures: 'verified' | 'failed'; signatureError?: string; checklistSummary?: string },
): AnalysisView {
  const newest = new Set(
    analysis.flows
      .map((f, i) => ({ f, k: f.order ?? i }))
      .sort((x, y) => y.k - x.k)
      .slice(0, VIEW_FLOWS_IN_FULL)
      .map((x) => x.f.id),
  );
  const keep = new Set(analysis.flows.filter((f) => newest.has(f.id)).flatMap((f) => f.messageIds));
  const latest = analysis.flows
    .map((f, i) => ({ f, k: f.order ?? i }))
    .sort((x, y) => y.k - x.k)
    .slice(0, VIEW_FLOWS_WITH_MODELS);
  const withModel = new Set(latest.flatMap((x) => x.f.messageIds));
  // The other attempts are counted (flowCount), not stored: a stub each was a quarter of the view
  // at 500 messages (33 KB of 136), read on every popup open for a count.
  const findings = analysis.findings.filter(
    (x) => (x.flowId !== undefined && newest.has(x.flowId)) || (x.messageId !== undefined && keep.has(x.messageId)) || (x.flowId === undefined && x.messageId === undefined),
  );
  return {
    version: ANALYSIS_VIEW_VERSION,
    revision: o.revision,
    ...(o.capturesBytes !== undefined ? { capturesBytes: o.capturesBytes } : {}),
    expectationsKey: o.expectationsKey,
    computedAt: o.computedAt.toISOString(),
    analysis: {
      // Each keeps its place in capture order (the popup numbers attempts by it).
      flows: analysis.flows.map((f, i) => (f.order === undefined ? { ...f, order: i } : f)).filter((f) => newest.has(f.id)),
      findings,
      messages: analysis.messages.filter((m) => keep.has(m.id)).map((m) => liteMessage(m, withModel.has(m.id))),
    },
    flowCount: analysis.flows.length,
    paused: state.paused,
    notices: state.notices,
    pageErrors: state.pageErrors,
    messageCount: state.messages.length,
    signatures: o.signatures,
    ...(o.signatureError ? { signatureError: o.signatureError } : {}),
    ...(o.checklistSummary ? { checklistSummary: o.checklistSummary } : {}),
  };
}

/**
 * A view as two stored values (issue 13). Reading the whole view (95 KB at the retention limit)
 * was the larger part of the popup's wait for its first card; the first part (~25 KB) holds what
 * the first paint shows: the latest attempt in full, and the earlier ones as the rows the popup
 * lists. The second part, read after the first paint, holds those earlier attempts in full (for a
 * click on a row, and for the full view). Findings of no attempt stay in the first part.
 */
export function splitView(v: AnalysisView): { head: AnalysisView; earlier: AnalysisViewEarlier } {
  const [latest, ...older] = selectFlowsNewestFirst(v.analysis);
  const headMessages = new Set(latest?.messageIds ?? []);
  const inHead = (flowId: string | undefined, messageId: string | undefined) =>
    (flowId === undefined && messageId === undefined) || (latest !== undefined && flowId === latest.id) || (messageId !== undefined && headMessages.has(messageId));
  const head: AnalysisView = {
    ...v,
    analysis: {
      ...v.analysis,
      flows: latest ? [latest] : [],
      findings: v.analysis.findings.filter((f) => inHead(f.flowId, f.messageId)),
      messages: v.analysis.messages.filter((m) => headMessages.has(m.id)),
    },
    earlierRows: older.map((f) => attemptRowView(v.analysis, f)),
  };
  const earlier: AnalysisViewEarlier = {
    version: ANALYSIS_VIEW_VERSION,
    revision: v.revision,
    computedAt: v.computedAt,
    analysis: {
      flows: older,
      findings: v.analysis.findings.filter((f) => !inHead(f.flowId, f.messageId)),
      messages: v.analysis.messages.filter((m) => !headMessages.has(m.id)),
    },
  };
  return { head, earlier };
}

/** The view whole again: its first part with the second, when they were stored together; else undefined. */
export function joinView(head: AnalysisView, earlier: unknown): AnalysisView | undefined {
  if (!isViewEarlier(earlier) || earlier.revision !== head.revision || earlier.computedAt !== head.computedAt) return undefined;
  const { earlierRows: _rows, ...rest } = head;
  return {
    ...rest,
    analysis: {
      ...head.analysis,
      flows: [...earlier.analysis.flows, ...head.analysis.flows],
      findings: [...earlier.analysis.findings, ...head.analysis.findings],
      messages: [...earlier.analysis.messages, ...head.analysis.messages],
    },
  };
}

/** An analysis as stored: its three lists. */
function isStoredAnalysis(a: Partial<AnalysisResult> | undefined): boolean {
  return !!a && Array.isArray(a.flows) && Array.isArray(a.findings) && Array.isArray(a.messages);
}

function isViewEarlier(v: unknown): v is AnalysisViewEarlier {
  if (!v || typeof v !== 'object') return false;
  const x = v as Partial<AnalysisViewEarlier>;
  return x.version === ANALYSIS_VIEW_VERSION && typeof x.revision === 'string' && typeof x.computedAt === 'string' && isStoredAnalysis(x.analysis);
}

/** Whether a stored value is a view this version can read. */
export function isAnalysisView(v: unknown): v is AnalysisView {
  if (!v || typeof v !== 'object') return false;
  const x = v as Partial<AnalysisView>;
  return (
    x.version === ANALYSIS_VIEW_VERSION &&
    typeof x.revision === 'string' &&
    typeof x.expectationsKey === 'string' &&
    isStoredAnalysis(x.analysis) &&
    Array.isArray(x.notices) &&
    Array.isArray(x.pageErrors)
  );
}

/**
 * The captures as the popup shows them when it paints from a view: the messages without their raw
 * values (the full view and export read the real captures).
 */
export function viewCaptures(v: AnalysisView): CaptureState {
  // As many entries as captured messages (the popup counts them); those of the attempts in the
  // view as they were captured, without raw values.
  const shown = v.analysis.messages.map((m) => m.capture);
  const others = Array.from({ length: Math.max(0, v.messageCount - shown.length) }, (_, i) => ({ id: `not-in-view-${i}`, raw: '' }));
  return {
    version: CAPTURE_STATE_VERSION,
    messages: [...others, ...shown],
    steps: [],
    pageErrors: v.pageErrors,
    paused: v.paused,
    notices: v.notices,
  };
}
