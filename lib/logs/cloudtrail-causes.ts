// What a failed CloudTrail sign-in event says about the cause of Identity Center's "An unexpected
// error has occurred" (FACTS A10, G2). AWS does not publish a list of ExternalIdPDirectoryLogin
// error messages: the one seen in public material is "Not a valid response for the provided
// request id: …" (G2.4). The others are read by the words AWS wrote, each tied to a documented
// cause; a message that names none of them is shown as AWS wrote it and confirms nothing.
import type { SignInLogRecord } from './types.ts';

export type CloudTrailCause = 'request-id' | 'not-provisioned' | 'user-name' | 'format' | 'acs' | 'assertions' | 'encryption' | 'abac' | 'clock' | 'certificate' | 'status';

interface Rule {
  cause: CloudTrailCause;
  re: RegExp;
}

/** First match wins: the more specific wording first. */
const RULES: Rule[] = [
  { cause: 'request-id', re: /not a valid response for the provided request id|in ?response ?to|request id/i },
  { cause: 'encryption', re: /encrypt/i },
  { cause: 'assertions', re: /(more than one|multiple|only one) assertion/i },
  { cause: 'abac', re: /access ?control|attributes? for access control|multi-?valued attribute|duplicate attribute/i },
  { cause: 'clock', re: /expired|not yet valid|notonorafter|notbefore|clock|skew/i },
  { cause: 'certificate', re: /signature|certificate|signing key/i },
  { cause: 'format', re: /name ?id format|nameid-format|email ?address format|not an? (valid )?email/i },
  { cause: 'acs', re: /audience|destination|recipient|assertion consumer|\bacs\b/i },
  { cause: 'not-provisioned', re: /(user|subject|principal)[^.]{0,40}(not found|does not exist|doesn't exist|unknown|no such)|\bno [\w ]{0,30}\buser (has|with|found|named)|no (such )?user|not provisioned/i },
  { cause: 'user-name', re: /user ?name|name ?id|subject/i },
  { cause: 'status', re: /status(code)? (is )?not success|responder|requester/i },
];

/** The documented cause a CloudTrail failure names, if its words name one. */
export function causeOfCloudTrail(r: SignInLogRecord): CloudTrailCause | undefined {
  if (r.source !== 'cloudtrail' || r.outcome !== 'failure') return undefined;
  const text = [r.code, r.reason].filter(Boolean).join(': ');
  if (!text) return undefined;
  return RULES.find((x) => x.re.test(text))?.cause;
}

/** One line for the record: event, outcome, AWS's words, time, user. */
export function describeCloudTrail(r: SignInLogRecord): string {
  const what = [r.code, r.reason].filter(Boolean).join(': ');
  return `${r.eventName ?? 'event'} ${r.outcome === 'failure' ? 'Failure' : r.outcome === 'success' ? 'Success' : '(outcome not recorded)'}${what ? ` — "${what}"` : ''} at ${r.time ?? '(time unreadable)'}${r.user ? ` for ${r.user}` : ''}${r.region ? ` (${r.region})` : ''}`;
}

export function describeEntra(r: SignInLogRecord): string {
  return `${r.outcome === 'failure' ? `Failure ${r.code ?? ''}`.trim() : r.outcome === 'success' ? 'Success' : 'outcome not recorded'}${r.reason ? ` — "${r.reason}"` : ''} at ${r.time ?? '(time unreadable)'}${r.user ? ` for ${r.user}` : ''}${r.app ? ` to ${r.app}` : ''}`;
}

export function describeRecord(r: SignInLogRecord): string {
  return r.source === 'cloudtrail' ? `CloudTrail ${describeCloudTrail(r)}` : `Entra sign-in log: ${describeEntra(r)}`;
}
