// What a captured attempt shows of its own outcome, from its hops alone: whether the browser
// reached the access portal after posting a SAML Response (Identity Center signed the user in;
// on a refusal it shows its error page instead). Shared by the verdict (lib/report/diagnosis.ts)
// and the sign-in log join (sign-in-logs.ts), which must not tie a failure record to an attempt
// that worked.
import type { Finding, Flow } from '../types.ts';
import { urlHost } from '../domain/hosts.ts';

/**
 * The access portal host the browser reached after posting one of `responseIds` to an ACS, with
 * no error status; undefined when no step after the POST reached the flow's portal.
 */
export function portalAfterResponse(flow: Flow, responseIds: ReadonlySet<string>): string | undefined {
  if (!flow.portal) return undefined;
  let posted = -1;
  flow.steps.forEach((s, i) => {
    if (s.messageId && responseIds.has(s.messageId)) posted = i;
  });
  if (posted < 0) return undefined;
  const reached = flow.steps.slice(posted + 1).some((s) => urlHost(s.url) === flow.portal && (s.status === undefined || s.status < 400));
  return reached ? flow.portal : undefined;
}

/**
 * The error to name for an attempt: the first one a check found, AWS's error page (the symptom,
 * aws-sign-in-error) only when nothing else explains it. The checklist and Compare name it so,
 * as the verdict does (lib/report/diagnosis.ts groups the symptom under its cause).
 */
export function causeFirst(errors: readonly Finding[]): Finding | undefined {
  return errors.find((f) => f.checkId !== 'aws-sign-in-error') ?? errors[0];
}
