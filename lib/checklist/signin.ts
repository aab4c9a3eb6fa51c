// Did a captured sign-in work? The outcome of one flow, from what the capture shows: the findings
// on its Response, the errors its pages showed, and where AWS sent the browser after the POST to
// the ACS (a successful sign-in lands on the access portal: FACTS A4.1, A4.2). Pure.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { urlHost, urlRole } from '../flow/hosts.ts';
import { causeFirst } from '../flow/outcome.ts';
import type { Finding, Flow, FlowStep, PageError } from '../types.ts';

export type SignInResult = 'pass' | 'fail' | 'unknown';

export interface SignInOutcome {
  flow: Flow;
  /** The flow's Response (the last one), when it has one. */
  response?: AnalyzedMessage;
  result: SignInResult;
  /** pass: where it landed; fail: why; unknown: what is missing. A clause, no final period. */
  reason: string;
  /** fail: the first error finding on the Response (or the flow), if any. */
  finding?: Finding;
  /** fail: the AWS error page (or HTTP error) after the POST to the ACS, if any. */
  awsError?: PageError;
  /** pass: the access-portal host it landed on, when known. */
  landedOn?: string;
  /** The time of the sign-in (the Response's capture time, else the flow's start), ISO. */
  time?: string;
}

/** The flow's last Response (decoded or not: a value posted as SAMLResponse counts). */
export function flowResponse(flow: Flow, a: AnalysisResult): AnalyzedMessage | undefined {
  const byId = new Map(a.messages.map((m) => [m.id, m]));
  let out: AnalyzedMessage | undefined;
  for (const id of flow.messageIds) {
    const m = byId.get(id);
    if (m && (m.kind === 'Response' || (!m.kind && m.capture.param === 'SAMLResponse'))) out = m;
  }
  return out;
}

/** The flow's AuthnRequest, if captured. */
export function flowRequest(flow: Flow, a: AnalysisResult): AnalyzedMessage | undefined {
  const ids = new Set(flow.messageIds);
  return a.messages.find((m) => ids.has(m.id) && m.kind === 'AuthnRequest');
}

/** Error findings that say this Response (or the flow as a whole) is refused. */
function errorFindings(flow: Flow, response: AnalyzedMessage, a: AnalysisResult): Finding[] {
  return a.findings.filter((f) => f.severity === 'error' && (f.messageId === response.id || (!f.messageId && f.flowId === flow.id)));
}

function awsErrorText(e: PageError): string {
  if (e.heading) return `AWS showed "${e.heading}"`;
  if (e.status !== undefined) return `AWS answered the POST to its ACS with HTTP ${e.status}`;
  return 'AWS showed its sign-in error page';
}

function stepAfter(steps: FlowStep[], index: number): FlowStep | undefined {
  return steps.slice(index + 1).find((s) => urlRole(s.url) === 'aws-portal');
}

/** Judges one flow's sign-in. */
export function judgeSignIn(flow: Flow, a: AnalysisResult): SignInOutcome {
  const response = flowResponse(flow, a);
  const time = response?.capture.time ?? flow.startedAt;
  const base = { flow, ...(response ? { response } : {}), ...(time ? { time } : {}) };
  if (!response) return { ...base, result: 'unknown', reason: 'no SAML response was captured' };
  const awsError = flow.errors?.find((e) => e.source === 'aws');
  // The cause, not AWS's page (the symptom) when a check found one: "Audience does not match"
  // rather than "AWS refused the sign-in: \"An unexpected error has occurred\"" (found by a review).
  const errors = errorFindings(flow, response, a);
  const finding = causeFirst(errors);
  if (finding || awsError) {
    const reason = finding ? `${finding.title} (${finding.checkId})` : awsErrorText(awsError!);
    return { ...base, result: 'fail', reason, ...(finding ? { finding } : {}), ...(awsError ? { awsError } : {}) };
  }
  // Where the response went: Identity Center's ACS (FACTS A3.4), then where AWS sent the browser.
  const postedTo = urlHost(response.capture.url);
  if (urlRole(response.capture.url) !== 'aws-acs') {
    return { ...base, result: 'unknown', reason: postedTo ? `the response was posted to ${postedTo}, not to an Identity Center ACS URL` : 'where the response was posted to was not captured' };
  }
  const i = flow.steps.findIndex((s) => s.messageId === response.id);
  const acs = i >= 0 ? flow.steps[i] : undefined;
  const landed = i >= 0 ? stepAfter(flow.steps, i) : undefined;
  if (landed) return { ...base, result: 'pass', reason: `landed on the access portal ${urlHost(landed.url)}`, landedOn: urlHost(landed.url)! };
  const redirectTo = acs?.redirectTo ?? response.capture.redirectTo;
  const status = acs?.status ?? response.capture.status;
  if (redirectTo && urlRole(redirectTo) === 'aws-portal') {
    return { ...base, result: 'pass', reason: `AWS redirected to the access portal ${urlHost(redirectTo)}`, landedOn: urlHost(redirectTo)! };
  }
  if (status !== undefined && status >= 300 && status < 400) {
    const to = urlHost(redirectTo);
    return { ...base, result: 'pass', reason: `AWS answered the POST to its ACS with a redirect (HTTP ${status}${to ? ` to ${to}` : ''})` };
  }
  if (status !== undefined && status >= 400) return { ...base, result: 'fail', reason: `AWS answered the POST to its ACS with HTTP ${status}` };
  return { ...base, result: 'unknown', reason: 'AWS\'s answer to the POST to its ACS was not captured (no redirect to the access portal was seen)' };
}

/** The step on the access portal before the AuthnRequest: the sign-in started at the portal. */
export function portalStart(flow: Flow, a: AnalysisResult): string | undefined {
  const req = flowRequest(flow, a);
  if (!req) return undefined;
  const i = flow.steps.findIndex((s) => s.messageId === req.id);
  const before = i >= 0 ? flow.steps.slice(0, i).find((s) => urlRole(s.url) === 'aws-portal') : undefined;
  if (before) return urlHost(before.url);
  if (urlRole(req.capture.initiator) === 'aws-portal') return urlHost(req.capture.initiator);
  return undefined;
}
