// Shared pieces of the report renderers (text, Markdown, JSON): the verdict, grouping of
// findings by flow and severity, and one-line descriptions. Pure.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Finding, Flow, LikelyCause, Severity } from '../types.ts';
import { SEVERITY_ORDER } from '../types.ts';
import { isEntraIssuer } from '../domain/idp-words.ts';

export interface ReportOptions {
  /** samlscope's version, for the report header. */
  version?: string;
  /** What was analysed (file names), for the report header. */
  sources?: string[];
  /** Notes about the capture (from the HAR reader). Markdown lists them; text leaves them to stderr. */
  notes?: string[];
  /** The --now the analysis used, if any. */
  now?: Date;
}

/** How likely a ranked cause is, in words (never colour alone): the same in every view. */
export const LIKELIHOOD_LABEL: Record<LikelyCause['likelihood'], string> = {
  confirmed: 'found in the capture',
  likely: 'likely',
  possible: 'cannot tell from the capture',
  'ruled-out': 'ruled out',
};

/** A cause's likelihood in words: a confirmed one says whether the capture or AWS's record confirmed it. */
export function likelihoodLabel(c: LikelyCause): string {
  return c.likelihood === 'confirmed' && c.confirmedBy === 'cloudtrail' ? "confirmed by AWS's CloudTrail record" : LIKELIHOOD_LABEL[c.likelihood];
}

export type VerdictLevel = 'refused' | 'ok' | 'no-response' | 'none';

export interface Verdict {
  level: VerdictLevel;
  errors: number;
  warnings: number;
  infos: number;
  /** The one line: "AWS will refuse this sign-in: 2 errors", "This sign-in should work"… */
  text: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** The verdict's words when none of `n` messages could be read (diagnosis.ts says the same). */
export function unreadableText(n: number): string {
  return n === 1 ? 'The message could not be read as SAML' : `None of the ${n} messages could be read as SAML`;
}

/** The verdict over a set of findings and the flows they come from. */
export function verdictOf(messages: AnalyzedMessage[], flows: Flow[], findings: Finding[]): Verdict {
  const c = countBySeverity(findings);
  const base = { errors: c.error, warnings: c.warning, infos: c.info };
  // What a page showed (Entra's AADSTS error, AWS's generic error) is the verdict.
  const shown = findings.filter((f) => f.checkId === 'entra-error' || f.checkId === 'aws-sign-in-error');
  if (shown.length) {
    const stopped = new Set(shown.map((f) => f.flowId ?? '')).size;
    const text = flows.length > 1 ? `${stopped} of ${flows.length} sign-ins ended on an error page; first: ${shown[0]!.title}` : shown[0]!.title;
    return { ...base, level: 'refused', text };
  }
  if (messages.length === 0) return { ...base, level: 'none', text: 'No SAML messages found' };
  const warn = c.warning ? ` (${plural(c.warning, 'warning')})` : '';
  if (c.error) {
    const errors = findings.filter((f) => f.severity === 'error');
    if (flows.length <= 1 && errors.every((f) => f.checkId === 'status-not-success')) {
      // The IdP said no itself: say so, with the AADSTS code when the status carries one.
      const text = messages.map((m) => m.summary?.statusMessage ?? '').join(' ');
      const code = /AADSTS\d+/.exec(text)?.[0];
      // "Entra" only when the failed response's Issuer is Entra's.
      const failed = messages.filter((m) => errors.some((f) => f.messageId === m.id));
      const idp = failed.some((m) => isEntraIssuer(m.summary?.issuer)) ? 'Entra' : 'The identity provider';
      return { ...base, level: 'refused', text: `${idp} refused this sign-in${code ? `: ${code}` : ''}${warn}` };
    }
    // Nothing could be read: the errors say why, not what AWS would do (exit code as for errors).
    if (messages.every((m) => !m.ok)) return { ...base, level: 'refused', text: `${unreadableText(messages.length)}: ${plural(c.error, 'error')}${warn}` };
    const refused = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.flowId ?? '')).size;
    const signIns = flows.length > 1 ? `${refused} of ${flows.length} sign-ins` : 'this sign-in';
    return { ...base, level: 'refused', text: `AWS will refuse ${signIns}: ${plural(c.error, 'error')}${warn}` };
  }
  const hasResponse = messages.some((m) => m.ok && m.kind === 'Response');
  if (!hasResponse) {
    return { ...base, level: 'no-response', text: `No SAML Response to judge: only the request was checked${warn}` };
  }
  const which = flows.length > 1 ? `These ${flows.length} sign-ins should work` : 'This sign-in should work';
  return { ...base, level: 'ok', text: `${which}${warn}` };
}

/**
 * The verdict over a whole analysis. With several sign-in attempts, each is judged on its own
 * (a refused attempt is never averaged away by a clean one): the line says how many fail and what
 * the latest attempt (the last captured) says, and the level is 'refused' when any attempt fails,
 * which is the CLI's exit code rule (README, "Exit codes"). `describe` words the latest attempt
 * (lib/report/diagnosis.ts summaryVerdict: as its diagnosis words it, as the lists beneath do).
 */
export function resultVerdict(r: AnalysisResult, describe: (latest: FlowSection) => string = (s) => s.verdict.text): Verdict {
  if (r.flows.length <= 1) return verdictOf(r.messages, r.flows, r.findings);
  const all = verdictOf(r.messages, r.flows, r.findings);
  const parts = sections(r).filter((s) => s.flow);
  const failing = parts.filter((s) => s.verdict.level === 'refused');
  const latest = parts.reduce((a, b) => ((b.flow!.order ?? 0) >= (a.flow!.order ?? 0) ? b : a));
  const n = parts.length;
  const head = failing.length ? `${failing.length} of ${n} sign-ins fail` : `${n} sign-ins, none refused`;
  const text = `${head}; the latest (#${(latest.flow!.order ?? n - 1) + 1}, ${flowTypeLabel(latest.flow!)}): ${describe(latest)}`;
  const level: VerdictLevel = failing.length ? 'refused' : all.level;
  return { ...all, level, text };
}

export interface FlowSection {
  flow?: Flow;
  messages: AnalyzedMessage[];
  findings: Finding[];
  verdict: Verdict;
}

/** Flows in order with their messages and findings (errors first); leftovers in a last section. */
export function sections(r: AnalysisResult): FlowSection[] {
  const out: FlowSection[] = [];
  const byId = new Map(r.messages.map((m) => [m.id, m]));
  const usedMsgs = new Set<string>();
  const usedFindings = new Set<Finding>();
  for (const flow of r.flows) {
    const messages = flow.messageIds.map((id) => byId.get(id)).filter((m): m is AnalyzedMessage => !!m);
    messages.forEach((m) => usedMsgs.add(m.id));
    const ids = new Set(flow.messageIds);
    const findings = sortBySeverity(r.findings.filter((f) => f.flowId === flow.id || (!f.flowId && f.messageId !== undefined && ids.has(f.messageId))));
    findings.forEach((f) => usedFindings.add(f));
    out.push({ flow, messages, findings, verdict: verdictOf(messages, [flow], findings) });
  }
  const restMsgs = r.messages.filter((m) => !usedMsgs.has(m.id));
  const restFindings = sortBySeverity(r.findings.filter((f) => !usedFindings.has(f)));
  if (restMsgs.length || restFindings.length) {
    out.push({ messages: restMsgs, findings: restFindings, verdict: verdictOf(restMsgs, [], restFindings) });
  }
  return out;
}

export function sortBySeverity(f: Finding[]): Finding[] {
  return [...f].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export const SEVERITY_LABEL: Record<Severity, { one: string; many: string }> = {
  error: { one: 'Error', many: 'Errors' },
  warning: { one: 'Warning', many: 'Warnings' },
  info: { one: 'Info', many: 'Info' },
};

export const FLOW_TYPE_LABEL: Record<Flow['type'], string> = {
  'sp-initiated': 'SP-initiated',
  'idp-initiated': 'IdP-initiated',
  logout: 'Logout',
  fragment: 'Incomplete sign-in',
};

export function flowTypeLabel(f: Flow): string {
  // A flow made of an error page alone says what stopped it; so does a request Entra refused.
  if (f.messageIds.length === 0 && f.errors?.length) return f.summary;
  const entra = f.errors?.find((e) => e.source === 'entra');
  if (entra) return `${f.type === 'sp-initiated' ? 'SP-initiated' : FLOW_TYPE_LABEL[f.type]}, stopped at Entra (${entra.code ?? 'error'})`;
  if (f.type === 'idp-initiated' && f.fromMyApps) return 'IdP-initiated from My Apps';
  return FLOW_TYPE_LABEL[f.type];
}

/** The parts of one message's line: kind, then labelled facts. */
export function messageFacts(m: AnalyzedMessage): { kind: string; facts: [string, string][] } {
  if (!m.ok || !m.summary) {
    return { kind: 'unreadable', facts: m.error ? [[m.error.code, m.error.message]] : [] };
  }
  const s = m.summary;
  const facts: [string, string][] = [];
  if (s.issuer) facts.push(['issuer', s.issuer]);
  if (s.kind === 'Response') {
    if (s.nameId !== undefined) facts.push(['NameID', s.nameId]);
    else if (s.encryptedAssertionCount) facts.push(['NameID', '(encrypted assertion)']);
    else if (s.assertionCount === 0) facts.push(['NameID', '(no assertion)']);
    if (s.status && s.status !== 'Success') facts.push(['status', s.statusMessage ? `${s.status}: ${s.statusMessage}` : s.status]);
  } else if (s.kind === 'LogoutRequest') {
    if (s.nameId !== undefined) facts.push(['NameID', s.nameId]);
  } else if (s.kind === 'LogoutResponse') {
    if (s.status) facts.push(['status', s.status]);
  }
  if (s.kind === 'AuthnRequest' && s.id) facts.push(['ID', s.id]);
  return { kind: s.kind, facts };
}

/** Index of the first character where a and b differ, or -1 when equal. */
export function firstDifference(a: string, b: string): number {
  if (a === b) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** Host and path of a URL, without the query (SAML values make them kilobytes long). */
export function shortUrl(url: string, max = 90): string {
  let u = url.split(/[?#]/)[0]!.replace(/^https?:\/\//i, '');
  if (url.includes('?')) u += '?…';
  return u.length > max ? `${u.slice(0, max - 1)}…` : u;
}
