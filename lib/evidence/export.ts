// Export for a ticket: one flow (or all) as Markdown, a JSON evidence bundle or a HAR 1.2 file,
// with the redaction chosen. The full view and `samlscope export` both call exportEvidence().
// Pure: time and version come in as parameters.
import { analyze, type AnalysisResult, type AnalyzeInput } from '../analyze.ts';
import type { Expectations } from '../checks/types.ts';
import { PolicyError, POLICY_TEXT, redactionAllowed } from '../policy.ts';
import type { RedactionFloor } from '../settings.ts';
import type { CapturedMessage, Finding, FlowStep, PageError } from '../types.ts';
import { bundleAnalysis, bundleMessage, BUNDLE_FORMAT, BUNDLE_VERSION, serializeBundle, type EvidenceBundle, type SourceKind } from './bundle.ts';
import { loneSurrogateNotice, toHar } from './har.ts';
import { hasLoneSurrogate, wellFormed } from '../strings.ts';
import { renderTicketMarkdown } from './markdown.ts';
import type { SignInLogRecord } from '../logs/signin.ts';
import { redactInput, type RedactionInfo, type RedactionOptions, type Redactor } from './redact.ts';
import { hmacSha256 } from './sha256.ts';
import { LiteralMatcher } from './textscan.ts';
import { lowerKeep } from './scripts.ts';
import { TOOL_WORDS } from './tool-words.ts';
import { buildChecklist, redactChecklist, type Checklist, type ScimChecklistInput } from '../checklist/index.ts';
import type { SignatureVerdicts } from '../signature/types.ts';
import { attachRecordedSignatures, recordedExportNote } from './recorded.ts';

export type ExportFormat = 'markdown' | 'json' | 'har';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['markdown', 'json', 'har'];

export interface EvidenceInput {
  messages: CapturedMessage[];
  steps: FlowStep[];
  /** Errors the sign-in pages showed (content script). */
  pageErrors?: PageError[];
  expectations: Expectations;
  now?: Date;
  analysisTime: Date;
  singleFlow?: boolean;
  /** Sign-in logs imported with the capture (Entra sign-in log, CloudTrail sign-in events). */
  signInLogs?: SignInLogRecord[];
}

export interface ExportRequest {
  format: ExportFormat;
  redaction: RedactionOptions;
  input: EvidenceInput;
  /**
   * The analysis of `input`, when the caller has it already: with signatures verified
   * (analyze with the verifier), so that a redacted export carries the verdicts the original bytes
   * gave (its `verdicts`, or the field below).
   */
  analysis?: AnalysisResult & { verdicts?: SignatureVerdicts };
  /** Signature verdicts by message id, when not in `analysis`. */
  verdicts?: SignatureVerdicts;
  /** Export this flow only (default: everything). */
  flowId?: string;
  source: { kind: SourceKind; names: string[] };
  notes?: string[];
  version: string;
  exportedAt: Date;
  /**
   * The go-live checklist (lib/checklist) as the Markdown's "Go-live checklist" section. Included
   * by default when the whole capture is exported (no flowId); false leaves it out. `scim`: the
   * SCIM lookups of the users who signed in, when the SCIM page is set up.
   */
  checklist?: false | { scim?: ScimChecklistInput };
  /**
   * An administrator's policy (lib/policy.ts): the weakest redaction allowed, and whether export
   * is allowed at all. A request against it is refused with a PolicyError, not written.
   */
  policy?: { redactionFloor: RedactionFloor; disableExport: boolean };
}

export interface ExportResult {
  text: string;
  filename: string;
  mime: string;
  redaction: RedactionInfo;
  /** The bundle, for the json format. */
  bundle?: EvidenceBundle;
  /** What the person exporting should know: a value that could not be written exactly as it was. */
  notices: string[];
}

function analysisInput(i: EvidenceInput): AnalyzeInput {
  return {
    messages: i.messages,
    steps: i.steps,
    ...(i.pageErrors?.length ? { pageErrors: i.pageErrors } : {}),
    expectations: i.expectations,
    analysisTime: i.analysisTime,
    ...(i.now ? { now: i.now } : {}),
    ...(i.singleFlow ? { singleFlow: true } : {}),
    ...(i.signInLogs?.length ? { signInLogs: i.signInLogs } : {}),
  };
}

/** The part of an input and its analysis that one flow covers. */
export function scopeToFlow(input: EvidenceInput, a: AnalysisResult, flowId: string | undefined): { input: EvidenceInput; analysis: AnalysisResult } {
  if (!flowId) return { input, analysis: a };
  const flow = a.flows.find((f) => f.id === flowId);
  if (!flow) throw new Error(`no flow ${flowId} in this capture`);
  const ids = new Set(flow.messageIds);
  // A hop is known by its place in the capture order (and its tab), so a retry of the same URL in
  // the same second is not mistaken for this attempt's hop.
  const key = (s: FlowStep) => `${s.seq ?? ''}|${s.tabId ?? ''}|${s.time}|${s.method}|${s.url}`;
  const stepKeys = new Set(flow.steps.filter((s) => !s.messageId).map(key));
  const errorIds = new Set((flow.errors ?? []).map((e) => e.id));
  const pageErrors = (input.pageErrors ?? []).filter((e) => errorIds.has(e.id));
  const logIds = new Set((flow.signInLogs ?? []).map((l) => l.id));
  return {
    input: {
      ...input,
      messages: input.messages.filter((m) => ids.has(m.id)),
      steps: input.steps.filter((s) => !s.messageId && stepKeys.has(key(s))),
      pageErrors,
      ...(input.signInLogs ? { signInLogs: input.signInLogs.filter((l) => logIds.has(l.id)) } : {}),
    },
    analysis: {
      messages: a.messages.filter((m) => ids.has(m.id)),
      flows: [flow],
      findings: a.findings.filter((f: Finding) => f.flowId === flow.id || (f.messageId !== undefined && ids.has(f.messageId))),
    },
  };
}

const stamp = (d: Date) => d.toISOString().replace(/[:]/g, '').replace(/\.\d{3}Z$/, 'Z');

export function exportEvidence(req: ExportRequest): ExportResult {
  // A pseudonym that by chance holds a real identifier collected after it (lib/evidence/redact.ts,
  // originalRuns): made again under another key. Rare (about 1 export in 10,000 with Hangul names).
  for (let again = 0; ; again++) {
    const made: { redactor?: Redactor } = {};
    const key = again === 0 ? req.redaction.key : req.redaction.key ? hmacSha256(req.redaction.key, `again:${again}`) : undefined;
    const out = exportOnce({ ...req, redaction: { ...req.redaction, ...(key ? { key } : {}) } }, made);
    if (!made.redactor?.collided || again >= 3) return out;
  }
}

function exportOnce(req: ExportRequest, made: { redactor?: Redactor }): ExportResult {
  if (req.policy?.disableExport) throw new PolicyError(POLICY_TEXT.exportDisabled);
  if (req.policy && !redactionAllowed(req.redaction.mode, req.policy.redactionFloor)) {
    throw new PolicyError(`${POLICY_TEXT.redactionFloor(req.policy.redactionFloor)} "${req.redaction.mode}" is not allowed.`);
  }
  const full = req.analysis ?? analyze(analysisInput(req.input));
  const { input, analysis } = scopeToFlow(req.input, full, req.flowId);
  const extraText = analysis.findings.flatMap((f) => [f.message, ...f.evidence.flatMap((e) => [e.expected ?? '', e.actual ?? ''])]);
  const logs = input.signInLogs ?? [];
  // The people in the sign-in logs (user, display name, address; e-mail addresses in the reasons)
  // are collected with the capture's, so they are replaced wherever they appear.
  const identities = logs.flatMap((l) => [l.user, l.userDisplayName, l.ipAddress]).filter((v): v is string => !!v);
  const red = redactInput({ messages: input.messages, steps: input.steps, pageErrors: input.pageErrors ?? [], expectations: input.expectations, extraText: [...extraText, ...logs.flatMap((l) => [l.reason ?? '', l.additionalDetails ?? ''])], identities }, req.redaction);
  const r = red.redactor;
  made.redactor = r;
  // Redaction rewrote the signed XML: the export carries the verdicts the original bytes gave, so
  // that re-analysis reproduces them (lib/evidence/recorded.ts).
  const carried = r.active
    ? attachRecordedSignatures(red.messages, input.messages, req.verdicts ?? req.analysis?.verdicts, input.analysisTime, (v) => r.deep(v), !!req.redaction.signatures)
    : { messages: red.messages, recorded: 0 };
  const redMessages = carried.messages;
  const redInput: EvidenceInput = { ...input, messages: redMessages, steps: red.steps, pageErrors: red.pageErrors, expectations: red.expectations, ...(logs.length ? { signInLogs: r.deep(logs) } : {}) };
  // What to show: the findings as analysed on the real values (a removed value can no longer be
  // compared), with every string redacted; the messages as they are exported.
  let shown: AnalysisResult = analysis;
  if (r.active) {
    const again = analyze(analysisInput(redInput));
    shown = { messages: again.messages, flows: r.deep(analysis.flows), findings: r.deep(analysis.findings), ...(analysis.unmatchedLogs ? { unmatchedLogs: r.deep(analysis.unmatchedLogs) } : {}) };
  }
  const notes = [...r.deep(req.notes ?? []), ...(carried.recorded ? [recordedExportNote(carried.recorded)] : [])];
  const source = { kind: req.source.kind, names: req.source.names.map((n) => r.text(n)) };
  const info = r.info();
  const base = `samlscope-${stamp(req.exportedAt)}${req.redaction.mode !== 'none' ? `-${req.redaction.mode === 'remove' ? 'redacted' : 'pseudonymised'}` : ''}`;

  if (req.format === 'markdown') {
    const checklist = exportChecklist(req, analysis, input, (t) => r.text(t));
    const text = renderTicketMarkdown(shown, {
      ...(checklist ? { checklist } : {}),
      version: req.version,
      exportedAt: req.exportedAt,
      source,
      redaction: info,
      expectations: red.expectations,
      notes,
      ...(input.now ? { now: input.now } : {}),
    });
    // Markdown is written as UTF-8, which has no lone surrogates: U+FFFD, and the person is told.
    const notices: string[] = [];
    if (hasLoneSurrogate(text)) notices.push('The Markdown held a lone UTF-16 surrogate (half of a character, which UTF-8 cannot carry): written as U+FFFD. The JSON bundle keeps it exactly.');
    return { text: finalScan(wellFormed(text), r.originals()), filename: `${base}.md`, mime: 'text/markdown', redaction: info, notices };
  }
  if (req.format === 'har') {
    const notices: string[] = [];
    if (r.loneSurrogates) notices.push(loneSurrogateNotice(r.loneSurrogates));
    const har = toHar(redMessages, red.steps, {
      notices,
      pageErrors: red.pageErrors,
      expectations: red.expectations,
      creatorVersion: req.version,
      fallbackTime: req.exportedAt.toISOString(),
      comment: `Exported by samlscope; redaction: ${info.mode}${info.covers.length ? ` (${info.covers.join(', ')})` : ''}. Response bodies are not included.${carried.recorded ? ` ${recordedExportNote(carried.recorded)}` : ''}${notices.length ? ` ${notices.join(' ')}` : ''}`,
    });
    return { text: finalScan(JSON.stringify(har, null, 2) + '\n', r.originals()), filename: `${base}.har`, mime: 'application/json', redaction: info, notices };
  }
  const recorded = r.active ? { ...bundleAnalysis(shown), verdict: bundleAnalysis(analysis).verdict, messages: shown.messages.map(bundleMessage) } : bundleAnalysis(analysis);
  const bundle: EvidenceBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: req.exportedAt.toISOString(),
    generator: { name: 'samlscope', version: req.version },
    source,
    redaction: info,
    input: {
      messages: redMessages,
      steps: red.steps,
      ...(red.pageErrors.length ? { pageErrors: red.pageErrors } : {}),
      expectations: red.expectations,
      now: input.now ? input.now.toISOString() : null,
      analysisTime: input.analysisTime.toISOString(),
      singleFlow: !!input.singleFlow,
      ...(redInput.signInLogs?.length ? { signInLogs: redInput.signInLogs } : {}),
    },
    analysis: recorded,
    notes,
  };
  // JSON escapes a lone surrogate (\ud800), so the bundle keeps every value exactly.
  return { text: finalScan(serializeBundle(bundle), r.originals()), filename: `${base}.samlscope.json`, mime: 'application/json', redaction: info, bundle, notices: [] };
}

/**
 * The go-live checklist of a whole-capture export, built from the analysis of the real values (a
 * redacted certificate or NameID can no longer be judged), with every string redacted as the
 * findings are. Undefined for a one-flow export or when left out.
 */
function exportChecklist(req: ExportRequest, analysis: AnalysisResult, input: EvidenceInput, text: (s: string) => string): Checklist | undefined {
  if (req.checklist === false || req.flowId) return undefined;
  const scim = req.checklist?.scim;
  const c = buildChecklist({ analysis, expectations: input.expectations, now: input.now ?? req.exportedAt, ...(scim ? { scim } : {}) });
  return redactChecklist(c, text);
}

/** A hex digit of lower-cased text. */
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
const isAsciiLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);

let toolWords: Set<string> | undefined;
/** Is the lower-case run one of the words samlscope writes itself (lib/evidence/tool-words.ts)? */
function isToolWord(run: string): boolean {
  toolWords ??= new Set(TOOL_WORDS.split(/\s+/).filter(Boolean));
  return toolWords.has(run);
}

/**
 * A value made of English words only ("Request", "Identity Center", "request " as collected with its
 * space): one the tool may write itself. Not with digits or an '@' (an address is never the tool's).
 */
const WORDS_ONLY = /^[a-z]+(?:[\s\-'.,:;/_()|]+[a-z]+)*$/;

/**
 * Does this occurrence of a value stand in words the tool writes itself? The value is made of
 * English letters only, and every word the occurrence touches, taken whole ("AuthnRequest" for
 * "request", "Identity Center" for "identity center"), is one of samlscope's own words: a heading,
 * a JSON key, the protocol's element names. A display name or AccessControl value "Request",
 * "Center" or "Identity" stood there, and every export of the capture was refused (the hostile
 * fuzz run met the NameID "request" in a HAR's "request" key). Where the value came from the
 * capture, redaction replaced it (the vocabulary of runs covers every text it rewrites); what is
 * excused here is only the tool's own text.
 */
function inToolWords(lower: string, start: number, end: number, value: string): boolean {
  if (!WORDS_ONLY.test(value.trim())) return false;
  let s = start;
  while (s > 0 && isAsciiLetter(lower.charCodeAt(s - 1))) s--;
  let e = end;
  while (e < lower.length && isAsciiLetter(lower.charCodeAt(e))) e++;
  for (let i = s; i < e; ) {
    if (!isAsciiLetter(lower.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < e && isAsciiLetter(lower.charCodeAt(j))) j++;
    if (!isToolWord(lower.slice(i, j))) return false;
    i = j;
  }
  return true;
}

/**
 * A last look over the finished text: any identifier collected for redaction that still shows
 * is a bug, and the export is refused rather than handed out. Exported for its tests.
 */
export function finalScan(text: string, originals: string[]): string {
  const keys = originals.filter((o) => o.length >= 6).map(lowerKeep);
  if (!keys.length) return text;
  // All at once, in one pass over the text: one includes() per value was text × values.
  const lower = lowerKeep(text);
  // A match that begins on the second hex digit of a %-escape is not the value: in a HAR's form
  // body "E]]>ngineering" is written "E%5D%5D%3Engineering", which holds "Engineering" (the fuzz run
  // met it, and the export was refused). The value itself, written anywhere, is still found.
  const accept = (start: number, end: number, key: number) =>
    !(start >= 2 && lower.charCodeAt(start - 2) === 0x25 && isHex(lower.charCodeAt(start - 1)) && isHex(lower.charCodeAt(start))) && !inToolWords(lower, start, end, keys[key]!);
  const found = new LiteralMatcher(keys).find(lower, accept)[0];
  if (found) {
    throw new Error(`redaction incomplete: a collected identifier (${keys[found.key]!.length} characters) is still in the export; nothing was exported`);
  }
  return text;
}
