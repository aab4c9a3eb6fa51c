// The machine-readable report: a stable, documented subset of the analysis (README "JSON
// output"). Not the whole model: the parsed message stays inside; the decoded XML only on request.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Evidence, Finding, Flow, Severity, LikelyCause } from '../types.ts';
import type { MessageSummary } from '../summary.ts';
import type { SignInLogRecord } from '../logs/signin.ts';

export interface JsonMessage {
  id: string;
  kind: string | null;
  ok: boolean;
  error: { code: string; message: string } | null;
  binding: 'redirect' | 'post' | 'unknown' | null;
  encoding: string | null;
  url: string | null;
  relayState: string | null;
  summary: MessageSummary | null;
  flowId: string | null;
  /** Only with includeXml. */
  xml?: string | null;
}

export interface JsonFinding {
  checkId: string;
  severity: Severity;
  title: string;
  message: string;
  evidence: Evidence[];
  fix: string;
  messageId: string | null;
  flowId: string | null;
  /** For an error with several documented causes (aws-sign-in-error): each one, most likely first. */
  causes?: LikelyCause[];
}

export interface JsonReport {
  messages: JsonMessage[];
  flows: Flow[];
  findings: JsonFinding[];
  /** Sign-in log records given that fit no captured attempt (those that fit are in flows[].signInLogs). */
  unmatchedLogs?: SignInLogRecord[];
}

export interface JsonOptions {
  /** Add each message's decoded XML as `xml`. */
  includeXml?: boolean;
}

function message(m: AnalyzedMessage, o: JsonOptions): JsonMessage {
  const j: JsonMessage = {
    id: m.id,
    kind: m.kind ?? null,
    ok: m.ok,
    error: m.error ? { code: m.error.code, message: m.error.message } : null,
    binding: m.binding ?? m.capture.binding ?? null,
    encoding: m.encoding ?? null,
    url: m.capture.url ?? null,
    relayState: m.capture.relayState ?? null,
    summary: m.summary ?? null,
    flowId: m.flowId ?? null,
  };
  if (o.includeXml) j.xml = m.xml ?? null;
  return j;
}

function finding(f: Finding): JsonFinding {
  return {
    checkId: f.checkId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    evidence: f.evidence.map((e) => ({ ...e })),
    fix: f.fix,
    messageId: f.messageId ?? null,
    flowId: f.flowId ?? null,
    ...(f.causes ? { causes: f.causes.map((c) => ({ ...c })) } : {}),
  };
}

export function toJsonReport(r: AnalysisResult, o: JsonOptions = {}): JsonReport {
  return {
    messages: r.messages.map((m) => message(m, o)),
    flows: r.flows.map((f) => ({ ...f, steps: f.steps.map((s) => ({ ...s })) })),
    findings: r.findings.map(finding),
    ...(r.unmatchedLogs?.length ? { unmatchedLogs: r.unmatchedLogs.map((l) => ({ ...l })) } : {}),
  };
}

export function renderJson(r: AnalysisResult, o: JsonOptions = {}): string {
  return JSON.stringify(toJsonReport(r, o), null, 2) + '\n';
}
