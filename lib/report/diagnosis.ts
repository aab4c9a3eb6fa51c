// One cause, one fix: a sign-in attempt's findings grouped into problems. Findings that share a
// root cause are one problem with one fix, the others listed as its consequences (a My Apps tile
// on another Identity Center instance → the audience, Destination and Recipient of that
// instance; a plain IAM federation app → IAM's endpoint and attributes; a failed status → no
// assertion to check). The page error AWS or Entra showed is evidence beneath the verdict, and
// the verdict names the cause samlscope found. Pure: the popup, side panel, full view, CLI and
// Markdown all render from it, so a fix text is printed once everywhere.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { resultVerdict, sections, unreadableText, type FlowSection, type Verdict } from './common.ts';
import { SEVERITY_ORDER, type Finding, type Flow, type PageError, type Severity } from '../types.ts';
import { isEntraIssuer } from '../domain/idp-words.ts';
import { portalAfterResponse } from '../flow/outcome.ts';

export type DiagnosisTone = 'error' | 'warning' | 'ok' | 'neutral';

export interface Problem {
  /** The finding that names the cause; its fix is the problem's one fix. */
  root: Finding;
  /** Findings that follow from the root: fixed by the root's fix, shown without a fix of their own. */
  consequences: Finding[];
  severity: Severity;
}

/** What the page itself said, verbatim: AWS's heading, Entra's AADSTS sentence, the StatusMessage. */
export interface Said {
  by: 'AWS' | 'Entra' | 'The identity provider';
  text: string;
}

export interface Diagnosis {
  tone: DiagnosisTone;
  /** The verdict in one line, naming the cause found. */
  text: string;
  /** The page's own words beneath the verdict. */
  said?: Said;
  errors: number;
  warnings: number;
  /** Errors first, then warnings; the first is the top cause. */
  problems: Problem[];
  notes: Finding[];
  /**
   * AWS's generic error when a check found its cause: not a problem of its own (the cause is),
   * kept for its ranked causes and CloudTrail lookup, which fold below.
   */
  symptom?: Finding;
}

/**
 * Root causes and what follows from them. A consequence joins its root only when the root is an
 * error in the same attempt; 'same-message' takes every other finding of the root's message.
 */
const CONSEQUENCES: Record<string, string[] | 'same-message'> = {
  // FACTS A4.4 / B4.4: the tile's portal is another instance, so the response carries that
  // instance's entity ID and ACS URL (A3.1, A3.6): changing them would break the other instance.
  'portal-mismatch': ['audience-mismatch', 'destination-mismatch', 'recipient-mismatch'],
  // FACTS A7.7: a response shaped for IAM federation names IAM's endpoint and carries no
  // Identity Center attributes.
  'iam-federation-mixup': ['audience-mismatch', 'destination-mismatch', 'recipient-mismatch', 'accesscontrol-missing', 'accesscontrol-invalid', 'nameid-format'],
  // FACTS E2: a failed status carries no usable assertion: nothing in it is worth checking.
  'status-not-success': 'same-message',
  // An encrypted assertion cannot be read: what is "missing" from it is not known to be missing.
  'encrypted-assertion': ['nameid-missing', 'accesscontrol-missing', 'assertion-unsigned'],
};

const PAGE_ERROR_IDS = new Set(['aws-sign-in-error', 'entra-error']);

function consequenceOf(root: Finding, f: Finding): boolean {
  if (root === f || root.severity !== 'error') return false;
  const rule = CONSEQUENCES[root.checkId];
  if (!rule) return false;
  if (rule === 'same-message') return root.messageId !== undefined && f.messageId === root.messageId && !PAGE_ERROR_IDS.has(f.checkId);
  // A flow-level root (portal-mismatch) covers every message of its attempt.
  if (root.messageId !== undefined && f.messageId !== undefined && f.messageId !== root.messageId) return false;
  return rule.includes(f.checkId);
}

/** The cause AWS's generic error was traced to by a check (confirmed or likely), if any. */
function tracedCause(aws: Finding, findings: Finding[]): Finding | undefined {
  for (const c of aws.causes ?? []) {
    if ((c.likelihood !== 'confirmed' && c.likelihood !== 'likely') || !c.checkId) continue;
    const f = findings.find((x) => x.checkId === c.checkId && x.severity !== 'info');
    if (f) return f;
  }
  return undefined;
}

/** Groups findings (of one attempt) into problems, root causes first, each fix once. */
export function groupProblems(findings: Finding[]): { problems: Problem[]; notes: Finding[]; symptom?: Finding } {
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
  const notes = sorted.filter((f) => f.severity === 'info');
  let rest = sorted.filter((f) => f.severity !== 'info');
  const aws = rest.find((f) => f.checkId === 'aws-sign-in-error');
  const traced = aws ? tracedCause(aws, rest) : undefined;
  let symptom: Finding | undefined;
  if (aws && traced) {
    symptom = aws;
    rest = rest.filter((f) => f !== aws);
  }
  // Roots first: a finding that is a consequence of another error never leads a problem.
  const isConsequence = (f: Finding) => rest.some((r) => consequenceOf(r, f));
  const problems: Problem[] = [];
  const placed = new Set<Finding>();
  for (const f of rest) {
    if (placed.has(f) || isConsequence(f)) continue;
    const consequences = rest.filter((x) => !placed.has(x) && x !== f && consequenceOf(f, x));
    placed.add(f);
    consequences.forEach((x) => placed.add(x));
    problems.push({ root: f, consequences, severity: f.severity });
  }
  // A consequence whose root was itself a consequence (none today) is never dropped.
  for (const f of rest) if (!placed.has(f)) problems.push({ root: f, consequences: [], severity: f.severity });
  // One fix, printed once: a problem whose fix is word for word an earlier one's joins it.
  const merged: Problem[] = [];
  for (const p of problems) {
    const same = merged.find((m) => m.root.fix === p.root.fix && SEVERITY_ORDER[m.severity] <= SEVERITY_ORDER[p.severity]);
    if (same) same.consequences.push(p.root, ...p.consequences);
    else merged.push(p);
  }
  // The cause AWS's error was traced to leads.
  if (traced) {
    const at = merged.findIndex((p) => p.root === traced || p.consequences.includes(traced));
    if (at > 0) merged.unshift(...merged.splice(at, 1));
  }
  return { problems: merged, notes, ...(symptom ? { symptom } : {}) };
}

// Names of products and of SAML elements keep their case: "Response Destination", "Audience".
const PROPER = new Set(['Entra', 'Microsoft', 'Identity', 'Amazon', 'Response', 'Audience', 'Destination', 'Recipient', 'Issuer', 'Conditions', 'Status', 'Assertion']);

/** A title as the end of a sentence: "The assertion has expired" → "the assertion has expired". */
export function asClause(title: string): string {
  const m = /^([A-Z][a-z]+)\b/.exec(title);
  if (!m || PROPER.has(m[1]!)) return title;
  return title[0]!.toLowerCase() + title.slice(1);
}

/** The first part of a cause, up to its explanation: "The user does not exist in Identity Center yet". */
function causeHead(cause: string): string {
  return cause.split(/: |\. /)[0]!.replace(/\.$/, '');
}

/**
 * The first line of a fix: its first sentence, or, when that is long (a click path and what to
 * set), the click path up to the field to change ("… → Basic SAML Configuration → Identifier
 * (Entity ID):"); the rest follows one click away.
 */
export function splitFix(fix: string, max = 170): { first: string; rest: string } {
  const m = /^(.+?[.;])\s+(?=[A-Z("])/.exec(fix);
  let first = m && m[1]!.length >= 25 ? m[1]! : fix;
  if (first.length > max) {
    const colon = fix.lastIndexOf(': ', max + 40);
    if (colon > 40) first = fix.slice(0, colon + 1);
  }
  if (first.length >= fix.length) return { first: fix, rest: '' };
  return { first, rest: fix.slice(first.length).trim() };
}

function pageSaid(e: PageError | undefined): Said | undefined {
  if (!e) return undefined;
  if (e.source === 'entra') return e.code ? { by: 'Entra', text: e.message ? `${e.code}: ${e.message}` : e.code } : undefined;
  if (e.heading) return { by: 'AWS', text: `"${e.heading}"` };
  if (e.status !== undefined) return { by: 'AWS', text: `HTTP ${e.status} after the POST to its ACS (the page was not read)` };
  return undefined;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The attempt's verdict and its problems. `findings` are the attempt's own (selectFlowFindings). */
export function diagnose(flow: Flow | undefined, findings: Finding[], messages: AnalyzedMessage[]): Diagnosis {
  if (!flow) return { tone: 'neutral', text: 'No sign-in captured yet', errors: 0, warnings: 0, problems: [], notes: [] };
  const g = groupProblems(findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const base = { errors, warnings, problems: g.problems, notes: g.notes, ...(g.symptom ? { symptom: g.symptom } : {}) };
  const top = g.problems[0];
  const more = g.problems.filter((p) => p.severity === 'error').length - 1;
  const andMore = more > 0 ? ` (and ${plural(more, 'other problem')})` : '';

  const entra = findings.find((f) => f.checkId === 'entra-error');
  if (entra) {
    const said = pageSaid(flow.errors?.find((e) => e.source === 'entra' && e.code));
    return { ...base, tone: 'error', text: entra.title, ...(said ? { said } : {}) };
  }
  const awsError = flow.errors?.find((e) => e.source === 'aws');
  const aws = findings.find((f) => f.checkId === 'aws-sign-in-error');
  if (aws) {
    const said = pageSaid(awsError) ?? { by: 'AWS' as const, text: aws.title };
    // AWS's own record (CloudTrail) names the cause: that is the verdict.
    const confirmed = aws.causes?.find((c) => c.likelihood === 'confirmed' && c.confirmedBy);
    if (confirmed) return { ...base, tone: 'error', text: `AWS refused the sign-in: ${asClause(causeHead(confirmed.cause))} (confirmed by AWS's CloudTrail record)`, said };
    if (g.symptom && top) return { ...base, tone: 'error', text: `AWS refused the sign-in: ${asClause(top.root.title)}${andMore}`, said };
    const likeliest = aws.causes?.find((c) => c.likelihood === 'possible');
    const text = likeliest
      ? `AWS refused the sign-in for a reason the capture cannot show; most likely: ${asClause(causeHead(likeliest.cause))}`
      : 'AWS refused the sign-in for a reason the capture cannot show';
    return { ...base, tone: 'error', text, said };
  }
  const failed = g.problems.find((p) => p.root.checkId === 'status-not-success' && p.severity === 'error')?.root;
  if (failed) {
    const msg = messages.find((m) => m.id === failed.messageId)?.summary;
    const code = /AADSTS\d+/.exec(msg?.statusMessage ?? '')?.[0];
    const idp = isEntraIssuer(msg?.issuer) ? 'Entra' : 'The identity provider';
    const said: Said | undefined = msg?.statusMessage ? { by: idp, text: msg.statusMessage } : msg?.status ? { by: idp, text: `status ${msg.status}` } : undefined;
    return {
      ...base,
      tone: 'error',
      text: `${idp} refused before AWS was reached: ${code ?? asClause(failed.title)}`,
      ...(said ? { said } : {}),
    };
  }
  // The My Apps tile led to another Identity Center instance, which signed the user in: AWS
  // refused nothing, the user is on the wrong portal (the other findings follow from it).
  const wrongPortal = findings.find((f) => f.checkId === 'portal-mismatch' && f.severity === 'error');
  const landed = wrongPortal && portalAfterResponse(flow, new Set(messages.filter((m) => m.kind === 'Response').map((m) => m.id)));
  if (wrongPortal && landed) {
    const expected = wrongPortal.evidence?.find((e) => e.expected)?.expected;
    return { ...base, tone: 'error', text: `Signed in to another AWS access portal: ${landed}${expected ? `, not ${expected}` : ''}` };
  }
  // Nothing could be read (a value cut short, not SAML at all): nothing says what AWS would do.
  // Had the browser posted it and AWS refused, AWS's page would have said so (above).
  if (messages.length > 0 && messages.every((m) => !m.ok)) {
    return { ...base, tone: errors ? 'error' : 'neutral', text: unreadableText(messages.length) };
  }
  if (errors && top) return { ...base, tone: 'error', text: `AWS will refuse this sign-in: ${asClause(top.root.title)}${andMore}` };
  const hasResponse = messages.some((m) => m.kind === 'Response');
  if (!hasResponse) {
    return { ...base, tone: 'neutral', text: 'No response yet: only the request was captured (the sign-in is still at the identity provider, or stopped there)' };
  }
  if (warnings && top) return { ...base, tone: 'warning', text: `This sign-in should work, with ${plural(warnings, 'warning')}: ${asClause(top.root.title)}` };
  return { ...base, tone: 'ok', text: 'This sign-in should work' };
}

/**
 * The one piece of evidence that shows the problem best: an expected vs actual pair first. Never
 * the page's own sentence (`said`) when it already stands beneath the verdict: AWS's "An
 * unexpected error has occurred" shown twice tells nothing; the next evidence (the NameID) does.
 */
export function keyEvidence(f: Finding, said?: string) {
  const shown = said?.replace(/^"(.*)"$/, '$1');
  const list = shown === undefined ? f.evidence : f.evidence.filter((e) => e.expected !== undefined || e.actual !== shown);
  return list.find((e) => e.expected !== undefined && e.actual !== undefined) ?? list[0];
}

/** Leftover messages (no flow) are judged like one attempt without its hops. */
export function pseudoFlow(f: Flow | undefined): Flow {
  return f ?? { id: '', type: 'fragment', fromMyApps: false, messageIds: [], steps: [], summary: 'messages outside any sign-in' };
}

export interface JudgedSection {
  sec: FlowSection;
  d: Diagnosis;
}

/**
 * Every section of the analysis with its diagnosis, and the attempt a report explains first: the
 * latest that fails, else the latest (the popup shows the latest; the brief text and the Markdown
 * lead with the one that needs fixing).
 */
export function judgeSections(r: AnalysisResult): { judged: JudgedSection[]; focus?: JudgedSection } {
  const judged = sections(r).map((sec) => ({ sec, d: diagnose(pseudoFlow(sec.flow), sec.findings, sec.messages) }));
  const latest = judged.filter((j) => j.sec.flow).sort((a, b) => (b.sec.flow!.order ?? 0) - (a.sec.flow!.order ?? 0));
  const focus = latest.find((j) => j.d.tone === 'error') ?? latest[0] ?? judged[0];
  return { judged, ...(focus ? { focus } : {}) };
}

/**
 * The verdict over the whole analysis (resultVerdict), with the latest attempt in the words of its
 * diagnosis: the same words the popup, the attempt list and the attempt's own block use, where
 * resultVerdict alone quoted the error page's title ("AWS refused the sign-in: \"An unexpected
 * error has occurred\"") above a block naming the likeliest cause.
 */
export function summaryVerdict(r: AnalysisResult): Verdict {
  return resultVerdict(r, (s) => diagnose(pseudoFlow(s.flow), s.findings, s.messages).text);
}
