// Named selectors over an analysis: what the popup and the full view show. Plain functions,
// tested in Node.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { diagnose, type Diagnosis, type Said } from '../report/diagnosis.ts';
import { SEVERITY_ORDER, type Finding, type Flow } from '../types.ts';

export type VerdictTone = 'error' | 'warning' | 'ok' | 'neutral';

export interface Verdict {
  tone: VerdictTone;
  text: string;
  errors: number;
  warnings: number;
  /** The page's own words (AWS's heading, Entra's AADSTS sentence), shown beneath the verdict. */
  said?: Said;
}

/** Attempts, the last captured first (their order of capture; never a tie of equal times). */
export function selectFlowsNewestFirst(a: AnalysisResult): Flow[] {
  return a.flows
    .map((f, i) => ({ f, k: f.order ?? i }))
    .sort((x, y) => y.k - x.k)
    .map((x) => x.f);
}

export function selectLatestFlow(a: AnalysisResult): Flow | undefined {
  return selectFlowsNewestFirst(a)[0];
}

export function selectFlow(a: AnalysisResult, id: string | undefined): Flow | undefined {
  return id ? a.flows.find((f) => f.id === id) : undefined;
}

/** A flow's findings, errors first, in message order within a severity. */
export function selectFlowFindings(a: AnalysisResult, flow: Flow | undefined): Finding[] {
  if (!flow) return [];
  const ids = new Set(flow.messageIds);
  const list = a.findings.filter((f) => f.flowId === flow.id || (f.messageId !== undefined && ids.has(f.messageId)));
  return list
    .map((f, i) => ({ f, i }))
    .sort((x, y) => SEVERITY_ORDER[x.f.severity] - SEVERITY_ORDER[y.f.severity] || x.i - y.i)
    .map((x) => x.f);
}

export function selectFlowMessages(a: AnalysisResult, flow: Flow | undefined): AnalyzedMessage[] {
  if (!flow) return [];
  return flow.messageIds.map((id) => a.messages.find((m) => m.id === id)).filter((m): m is AnalyzedMessage => !!m);
}

export function countBySeverity(findings: Finding[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** The one-line verdict the popup opens with: it names the cause found (lib/report/diagnosis.ts). */
export function selectVerdict(a: AnalysisResult, flow: Flow | undefined): Verdict {
  const d = selectDiagnosis(a, flow);
  return { tone: d.tone, text: d.text, errors: d.errors, warnings: d.warnings, ...(d.said ? { said: d.said } : {}) };
}

/** The attempt's findings grouped into problems (one cause, one fix), with the verdict. */
export function selectDiagnosis(a: AnalysisResult, flow: Flow | undefined): Diagnosis {
  return diagnose(flow, selectFlowFindings(a, flow), selectFlowMessages(a, flow));
}

/** One attempt in a list of sign-ins: enough to tell it from the others at a glance. */
export interface AttemptRow {
  flow: Flow;
  /** 1-based, in order of capture: "#3" tells apart attempts made in the same second. */
  number: number;
  kind: 'SP' | 'IdP' | 'logout' | 'partial';
  /** The NameID of its response, when it has one. */
  user?: string;
  tone: VerdictTone;
  /**
   * The check id of its top problem (error, else warning), if any; for AWS's generic error, the
   * cause a check found in the capture (nameid-mismatch, audience-mismatch…) when there is one.
   */
  topCheckId?: string;
  /** The top problem in a few words: the check id, with the AADSTS code for Entra's errors. */
  topLabel: string;
}

export function selectAttemptRow(a: AnalysisResult, flow: Flow): AttemptRow {
  // The problem the verdict names: for AWS's generic error, the cause a check traced it to.
  const verdict = selectDiagnosis(a, flow);
  const top = verdict.problems[0]?.root;
  const resp = selectFlowMessages(a, flow).find((m) => m.kind === 'Response');
  const number = (flow.order ?? a.flows.indexOf(flow)) + 1;
  const kind = flow.type === 'sp-initiated' ? 'SP' : flow.type === 'idp-initiated' ? 'IdP' : flow.type === 'logout' ? 'logout' : 'partial';
  const code = top?.checkId === 'entra-error' ? flow.errors?.find((e) => e.code)?.code : undefined;
  const row: AttemptRow = {
    flow,
    number,
    kind,
    tone: verdict.tone,
    topLabel: top ? `${top.checkId}${code ? ` ${code}` : ''}` : verdict.tone === 'neutral' ? 'no response' : 'should work',
  };
  if (resp?.summary?.nameId) row.user = resp.summary.nameId;
  if (top) row.topCheckId = top.checkId;
  return row;
}

/** An attempt as the popup lists it: its row, with what the row shows of the flow (plain data, stored in a view's first part). */
export interface AttemptRowView extends Omit<AttemptRow, 'flow'> {
  flowId: string;
  /** The flow's one-line summary (the row's tooltip). */
  summary: string;
  startedAt?: string;
}

export function attemptRowView(a: AnalysisResult, flow: Flow): AttemptRowView {
  const { flow: _f, ...row } = selectAttemptRow(a, flow);
  return { ...row, flowId: flow.id, summary: flow.summary, ...(flow.startedAt !== undefined ? { startedAt: flow.startedAt } : {}) };
}

/** Errors in the latest flow, for the toolbar badge. */
export function selectBadge(a: AnalysisResult): { text: string; tone: VerdictTone } {
  const flow = selectLatestFlow(a);
  if (!flow) return { text: '', tone: 'neutral' };
  const v = selectVerdict(a, flow);
  if (v.tone === 'error') return { text: String(Math.max(1, v.errors)), tone: 'error' };
  if (v.tone === 'neutral') return { text: '…', tone: 'neutral' };
  return { text: 'ok', tone: v.tone };
}

/** Marks where two strings differ: [common prefix, differing middle of a, common suffix]. */
export function diffParts(expected: string, actual: string): { prefix: string; expectedMid: string; actualMid: string; suffix: string } {
  let p = 0;
  const max = Math.min(expected.length, actual.length);
  while (p < max && expected[p] === actual[p]) p++;
  let s = 0;
  while (s < max - p && expected[expected.length - 1 - s] === actual[actual.length - 1 - s]) s++;
  return {
    prefix: actual.slice(0, p),
    expectedMid: expected.slice(p, expected.length - s),
    actualMid: actual.slice(p, actual.length - s),
    suffix: actual.slice(actual.length - s),
  };
}
