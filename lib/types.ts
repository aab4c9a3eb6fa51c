// Shared shapes of the analysis pipeline: findings, captures, flows.
// Pure types: nothing here touches a browser or Node API.
import type { MessageVerdict } from './signature/types.ts';
import type { SignInLogRecord } from './logs/types.ts';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** One piece of evidence: what was expected, what was found, and where it was read. */
export interface Evidence {
  label: string;
  expected?: string;
  actual?: string;
  /** Where in the message the actual value was read, e.g. `/Response/Assertion/Subject/NameID`. */
  path?: string;
  /** Where the expected value came from, e.g. "configured", "the AuthnRequest's Issuer". */
  source?: string;
}

/** One possible cause of an error, ranked by what the capture says about it. */
export interface LikelyCause {
  /**
   * confirmed: a check found it in the capture (an error); likely: a warning points at it;
   * possible: the capture cannot tell; ruled-out: the capture shows it is not this.
   */
  likelihood: 'confirmed' | 'likely' | 'possible' | 'ruled-out';
  cause: string;
  /** What in the capture says so. */
  basis: string;
  /** The finding behind a confirmed or likely cause. */
  checkId?: string;
  /** What to change when this is the cause. */
  fix?: string;
  /** FACTS.md ids the cause stands on. */
  facts?: string[];
  /** A confirmed cause that AWS's own record (a CloudTrail sign-in event) names, not the capture. */
  confirmedBy?: 'cloudtrail';
}

export interface Finding {
  checkId: string;
  severity: Severity;
  title: string;
  /** The rendered message: what is wrong, in one or two sentences. */
  message: string;
  evidence: Evidence[];
  /** Where to change it: the exact place in the Entra admin center or the AWS console. */
  fix: string;
  /** The id of the analysed message (our own, stable within one analysis). */
  messageId?: string;
  flowId?: string;
  /** The catalogue key the message was rendered from (for the UI and tests). */
  messageKey?: string;
  /** Facts (FACTS.md ids) the rule stands on. */
  facts?: string[];
  /** For an error with several documented causes: each one, most likely first. */
  causes?: LikelyCause[];
}

/** How a message reached us. */
export type Binding = 'redirect' | 'post' | 'unknown';

/**
 * One SAML message as captured: from the browser, from a HAR entry, or from a file.
 * `raw` is the parameter value as it travelled (URL-decoded once for POST form data, or as it
 * stood in the query string for redirects), or plain XML.
 */
export interface CapturedMessage {
  id: string;
  raw: string;
  binding?: Binding;
  /** SAMLRequest or SAMLResponse, when known from the parameter name. */
  param?: 'SAMLRequest' | 'SAMLResponse';
  url?: string;
  method?: string;
  relayState?: string;
  sigAlg?: string;
  signature?: string;
  /** Client time of capture, ISO 8601. */
  time?: string;
  /** The server's Date header of the response to this request (RFC 7231 format or ISO). */
  serverDate?: string;
  /** HTTP status of the response to this request, if known. */
  status?: number;
  /** Where the response redirected to (Location), if it was a redirect. */
  redirectTo?: string;
  tabId?: number;
  frameId?: number;
  /** The page the request was made from (Referer / initiator), if known. */
  initiator?: string;
  /** Where this came from, for display: "live", "har:<file>", "file:<name>", "stdin". */
  origin?: string;
  /** Raw query string as received, for redirect-binding signature verification. */
  rawQuery?: string;
  /**
   * Order of capture within its source (live capture, HAR entry, SAML-tracer request, argument):
   * messages, hops and page errors share one sequence, so attempts are told apart by order, not
   * by time (Date headers have a 1 s resolution; five retries fit in one).
   */
  seq?: number;
  /** The redirect chain the request was part of (the browser's request id, which redirects keep). */
  chain?: string;
  /**
   * From a redacted export: the signature verdict the original bytes gave when the capture was
   * exported. Redaction rewrites the signed XML, so the signatures no longer verify; re-analysis
   * uses this verdict instead of verifying again (lib/evidence/recorded.ts).
   */
  recordedSignature?: RecordedSignature;
  /**
   * Not seen by webRequest but by the page (lib/capture/witness.ts): the background's worker was
   * stopped as the request went by. Replaced by webRequest's own record when that arrives.
   */
  recovered?: boolean;
}

/** A signature verdict carried by an export (see CapturedMessage.recordedSignature). */
export interface RecordedSignature {
  verdict: Omit<MessageVerdict, 'messageId'>;
  /** When the original was verified, ISO (the export's analysis time). */
  verifiedAt?: string;
}

/** One HTTP hop of a sign-in (a request with its response), SAML or not. */
export interface FlowStep {
  url: string;
  method: string;
  status?: number;
  time?: string;
  serverDate?: string;
  redirectTo?: string;
  /** The id of the CapturedMessage this step carried, if any. */
  messageId?: string;
  tabId?: number;
  frameId?: number;
  /** Error text shown by the page (e.g. an AADSTS code), filled by later capture features. */
  note?: string;
  /** Order of capture, shared with messages and page errors (see CapturedMessage.seq). */
  seq?: number;
  /** The redirect chain the request was part of (see CapturedMessage.chain). */
  chain?: string;
  /** Seen by the page, not by webRequest (see CapturedMessage.recovered). */
  recovered?: boolean;
}

/**
 * An error a sign-in page showed: an AADSTS error on Entra's sign-in page, or Identity Center's
 * generic sign-in error after the POST to the ACS. Read by a content script (only these fields,
 * nothing else of the page), or inferred from HTTP alone.
 */
export interface PageError {
  id: string;
  /** entra: an AADSTS error on login.microsoftonline.com; aws: Identity Center's generic sign-in error. */
  source: 'entra' | 'aws';
  /** The page's URL without its query (the query of a sign-in URL carries the SAMLRequest). */
  url: string;
  /** Client time it was read, ISO 8601. */
  time: string;
  tabId?: number;
  frameId?: number;
  /** entra: the code with its prefix, e.g. "AADSTS50105". */
  code?: string;
  /** entra: the sentence after the code, as shown. */
  message?: string;
  requestId?: string;
  correlationId?: string;
  /** entra: the page's own Timestamp line. */
  timestamp?: string;
  /** aws: the heading shown, "An unexpected error has occurred" or "It's not you, it's us". */
  heading?: string;
  /** page: read from the page by the content script; http: inferred from status codes and redirects. */
  seenBy: 'page' | 'http';
  /** http: the status that ended the sign-in. */
  status?: number;
  /** Order of capture, shared with messages and hops: read after the page that showed it. */
  seq?: number;
}

export type FlowType = 'sp-initiated' | 'idp-initiated' | 'logout' | 'fragment';

/** One sign-in attempt: an AuthnRequest and its answer, or one unsolicited Response, with its own hops. */
export interface Flow {
  id: string;
  type: FlowType;
  /** True when the flow began at a My Apps launcher / My Apps page. */
  fromMyApps: boolean;
  messageIds: string[];
  steps: FlowStep[];
  startedAt?: string;
  /** Entra tenant id from the Issuer (https://sts.windows.net/<tenant>/), when seen. */
  tenantId?: string;
  /** The AWS host the response was posted to, or the portal it started from. */
  awsTarget?: string;
  /** Access portal the flow started from or landed on, when seen. */
  portal?: string;
  /** Human summary: "SP-initiated from d-1234567890.awsapps.com". */
  summary: string;
  /** Server clock minus client clock in seconds, from Date headers, when known. */
  clockSkewSeconds?: number;
  /** Errors the pages of this sign-in showed (Entra AADSTS page, AWS generic error), in time order. */
  errors?: PageError[];
  /**
   * Place among the attempts of the analysis, in order of capture (0 = first): the latest
   * attempt is the one with the highest order, never a tie of equal times broken at random.
   */
  order?: number;
  /**
   * Records of the sign-in logs given with the capture (Entra sign-in log, CloudTrail sign-in
   * events) that belong to this attempt (lib/flow/sign-in-logs.ts), in time order.
   */
  signInLogs?: SignInLogRecord[];
}
