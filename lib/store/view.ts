// The analysis as the background keeps it beside the captures (issue 13): computed once per
// capture by the single writer (incrementally, signatures verified), stored without the raw
// values, XML and parsed models, so the popup paints its verdict and cards from it without
// decoding, parsing or checking anything. Pure: the background and the popup store it and read it
// through lib/store/browser.ts.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { CAPTURE_STATE_VERSION, type CaptureState } from '../capture/model.ts';
import type { Expectations } from '../checks/types.ts';

export const ANALYSIS_VIEW_VERSION = 1;

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
  analysis: AnalysisResult;
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
}

/**
 * The attempts, newest first, whose messages keep their parsed model in the view: the ones the
 * popup can show (the latest and the earlier ones it lists), for the SCIM cross-check of the
 * shown sign-in. The rest are one click away in the full view, which reads the captures.
 */
export const VIEW_FLOWS_WITH_MODELS = 9;

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
  return { ...rest, ...(keepModel && model ? { model } : {}), capture: { ...capture, raw: '' } };
}

export function toView(
  analysis: AnalysisResult,
  state: CaptureState,
  o: { revision: string; capturesBytes?: number | undefined; expectationsKey: string; computedAt: Date; signatures: 'verified' | 'failed'; signatureError?: string; checklistSummary?: string },
): AnalysisView {
  const newest = analysis.flows
    .map((f, i) => ({ f, k: f.order ?? i }))
    .sort((x, y) => y.k - x.k)
    .slice(0, VIEW_FLOWS_WITH_MODELS);
  const keep = new Set(newest.flatMap((x) => x.f.messageIds));
  return {
    version: ANALYSIS_VIEW_VERSION,
    revision: o.revision,
    ...(o.capturesBytes !== undefined ? { capturesBytes: o.capturesBytes } : {}),
    expectationsKey: o.expectationsKey,
    computedAt: o.computedAt.toISOString(),
    analysis: { flows: analysis.flows, findings: analysis.findings, messages: analysis.messages.map((m) => liteMessage(m, keep.has(m.id))) },
    paused: state.paused,
    notices: state.notices,
    pageErrors: state.pageErrors,
    messageCount: state.messages.length,
    signatures: o.signatures,
    ...(o.signatureError ? { signatureError: o.signatureError } : {}),
    ...(o.checklistSummary ? { checklistSummary: o.checklistSummary } : {}),
  };
}

/** Whether a stored value is a view this version can read. */
export function isAnalysisView(v: unknown): v is AnalysisView {
  if (!v || typeof v !== 'object') return false;
  const x = v as Partial<AnalysisView>;
  return (
    x.version === ANALYSIS_VIEW_VERSION &&
    typeof x.revision === 'string' &&
    typeof x.expectationsKey === 'string' &&
    !!x.analysis &&
    Array.isArray(x.analysis.flows) &&
    Array.isArray(x.analysis.findings) &&
    Array.isArray(x.analysis.messages) &&
    Array.isArray(x.notices) &&
    Array.isArray(x.pageErrors)
  );
}

/**
 * The captures as the popup shows them when it paints from a view: the messages without their raw
 * values (the full view and export read the real captures).
 */
export function viewCaptures(v: AnalysisView): CaptureState {
  return {
    version: CAPTURE_STATE_VERSION,
    messages: v.analysis.messages.map((m) => m.capture),
    steps: [],
    pageErrors: v.pageErrors,
    paused: v.paused,
    notices: v.notices,
  };
}
