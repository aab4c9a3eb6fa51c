// Findings for the errors a sign-in page showed: Entra's AADSTS page (FACTS B5) and Identity
// Center's generic error after the POST to its ACS (FACTS A10). The Entra finding explains the
// code for this integration and keeps the Correlation Id ready for a Microsoft ticket. The AWS
// finding ranks the documented causes by what the captured assertion says about each one, and
// gives the exact CloudTrail lookup (event ExternalIdPDirectoryLogin) that confirms it.
import { DEFAULT_CLOCK_SKEW_SECONDS, type Expectations } from '../domain/expectations.ts';
import {
  AWS_ABAC,
  AWS_IDP_CERT,
  AWS_USERS,
  ENTRA_CERT,
  ENTRA_CLAIMS,
  ENTRA_NAMEID_FORMAT,
  ENTRA_NAMEID_SOURCE,
  ENTRA_PROVISIONING,
  ENTRA_SIGNIN_LOGS,
  ENTRA_SIGNING_OPTION,
  ENTRA_TOKEN_ENCRYPTION,
  REPLY_URL_FIX,
} from '../domain/console.ts';
import { awsRegionOf } from '../domain/aws.ts';
import { primaryAssertion } from '../saml/assertion.ts';
import { explainAadsts } from '../entra/aadsts.ts';
import { AWS_NOT_YOU, AWS_UNEXPECTED } from '../pages/errors.ts';
import type { SamlMessage } from '../saml/model.ts';
import { SEVERITY_ORDER, type CapturedMessage, type Evidence, type Finding, type Flow, type LikelyCause, type PageError } from '../types.ts';
import { urlRole } from '../domain/hosts.ts';
import type { SignInLogRecord } from '../logs/types.ts';
import { causeOfCloudTrail, describeCloudTrail, describeEntra, type CloudTrailCause } from '../logs/cloudtrail-causes.ts';
import { withoutQuery } from '../strings.ts';
import { flowIdpIsEntra, inFlowIdpTerms } from './idp.ts';

export const ERROR_CHECK_IDS = ['entra-error', 'aws-sign-in-error'] as const;

export interface ErrorFindingContext {
  /** The flow's analysed messages by id. */
  messages: Map<string, { capture: CapturedMessage; model?: SamlMessage }>;
  /** Message-level findings of the whole analysis. */
  findings: Finding[];
  expectations?: Expectations;
}

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

function flowModels(flow: Flow, ctx: ErrorFindingContext) {
  const list = flow.messageIds.map((id) => ctx.messages.get(id)).filter((m): m is NonNullable<typeof m> => !!m);
  const request = list.map((m) => m.model).find((m) => m?.kind === 'AuthnRequest');
  const responseMsg = list.find((m) => m.model?.kind === 'Response');
  return { request: request?.kind === 'AuthnRequest' ? request : undefined, responseMsg };
}

// ---------------------------------------------------------------------------- Entra

function entraFinding(flow: Flow, e: PageError, ctx: ErrorFindingContext): Finding {
  const code = (e.code ?? '').replace(/^AADSTS/, '');
  const info = explainAadsts(code);
  const { request } = flowModels(flow, ctx);
  // What a Microsoft ticket needs first; Entra's own sentence (often long) last.
  const evidence: Evidence[] = [];
  if (e.correlationId) evidence.push({ label: 'Correlation Id', actual: e.correlationId });
  if (e.timestamp) evidence.push({ label: 'Timestamp', actual: e.timestamp });
  if (e.requestId) evidence.push({ label: 'Request Id', actual: e.requestId });
  // What in the captured AuthnRequest the code is about.
  const x = ctx.expectations;
  // The value Entra looked up. When it is the configured one, Identity Center asked right and the
  // Entra app's list is what lacks it: say so rather than show two equal values.
  if (request && code === '50011' && request.acsUrl) {
    const same = x?.acsUrl === request.acsUrl;
    evidence.push({
      label: same ? "ACS URL in the AuthnRequest (the configured one: it is missing from the Entra app's Reply URLs)" : 'ACS URL in the AuthnRequest',
      actual: request.acsUrl,
      path: `${request.rootPath}/@AssertionConsumerServiceURL`,
      ...(x?.acsUrl && !same ? { expected: x.acsUrl, source: 'configured' } : {}),
    });
  }
  if (request && (code === '700016' || code === '70001') && request.issuer) {
    const same = x?.spEntityId === request.issuer.value;
    evidence.push({
      label: same ? "Issuer of the AuthnRequest (the configured entity ID: the Entra app's Identifier differs from it)" : 'Issuer of the AuthnRequest',
      actual: request.issuer.value,
      path: request.issuer.path,
      ...(x?.spEntityId && !same ? { expected: x.spEntityId, source: 'configured' } : {}),
    });
  }
  if (request && code === '75011' && request.requestedAuthnContext) {
    evidence.push({ label: 'RequestedAuthnContext', actual: request.requestedAuthnContext.classRefs.join(' ') || '(none)', path: request.requestedAuthnContext.path });
  }
  evidence.push({ label: 'error on the Entra page', actual: e.message ? `${e.code}: ${e.message}` : e.code ?? '' });
  for (const l of (flow.signInLogs ?? []).filter((x) => x.source === 'entra')) {
    evidence.push({ label: `Entra sign-in log (${l.origin})`, actual: describeEntra(l) });
    if (l.additionalDetails) evidence.push({ label: 'Entra sign-in log: additional details', actual: l.additionalDetails });
  }
  evidence.push({ label: 'page', actual: e.url });
  // Where the browser came from: for AADSTS750054 from a My Apps tile, the tile's Sign-on URL.
  const from = [...flow.steps].reverse().find((s) => s.redirectTo && withoutQuery(s.redirectTo) === e.url);
  if (from) evidence.push({ label: 'redirected here by', actual: from.url });
  const ticket = e.correlationId
    ? ` For a Microsoft ticket or the sign-in logs, quote Correlation Id ${e.correlationId}${e.timestamp ? ` and Timestamp ${e.timestamp}` : ''}.`
    : '';
  const name = info ? ` (${info.plain ?? info.name})` : '';
  const viaTile = code === '750054' && flow.fromMyApps && !request
    ? " The My Apps tile sent the browser straight to Entra's SAML endpoint: the app's Sign-on URL points at Entra, not at the AWS access portal."
    : '';
  return {
    checkId: 'entra-error',
    severity: 'error',
    title: `Entra stopped the sign-in: ${e.code}${name}`,
    message: info
      ? `Entra's sign-in page showed ${e.code} (${info.name}), so nothing reached AWS. ${info.cause}${viaTile}`
      : `Entra's sign-in page showed ${e.code}, so nothing reached AWS. This code is not one samlscope explains; Microsoft's description is at https://login.microsoftonline.com/error?code=${code}.`,
    evidence,
    fix: (info ? info.fix : `${ENTRA_SIGNIN_LOGS}: find the sign-in and read "Failure reason".`) + ticket,
    flowId: flow.id,
    facts: ['B5'],
  };
}

// ---------------------------------------------------------------------------- AWS

interface CauseSpec {
  key: string;
  cause: string;
  /** Checks whose findings confirm it. */
  checks: string[];
  facts: string[];
  /** What to change when this is the cause (a confirming finding's own fix wins). */
  fix: (r: Reading) => string;
  /** What the capture says when no check fired: ruled out (with why), or cannot tell. */
  otherwise: (r: Reading) => { ruledOut: boolean; basis: string };
}

interface Reading {
  model?: SamlMessage;
  flow: Flow;
  expectations?: Expectations;
  /** The flow has the AuthnRequest the checks compare the response with. */
  hasRequest: boolean;
}

const assertionOf = (r: Reading) => (r.model?.kind === 'Response' ? primaryAssertion(r.model) : undefined);
const nameIdOf = (r: Reading) => assertionOf(r)?.nameId?.value;

const CAUSES: CauseSpec[] = [
  {
    key: 'user-name',
    cause: 'The NameID is not the user name of the Identity Center user (the match is exact, against the user name, not the email).',
    checks: ['nameid-mismatch', 'nameid-missing', 'nameid-guest', 'nameid-comment'],
    facts: ['A1.3', 'A10'],
    fix: () => `${ENTRA_NAMEID_SOURCE}: send the attribute that holds the Identity Center user name (usually user.userprincipalname).`,
    otherwise: (r) => {
      const v = nameIdOf(r);
      return {
        ruledOut: false,
        basis: v
          ? `The capture cannot tell which user names Identity Center holds: compare ${v} with the user's user name (${AWS_USERS}, or samlscope's SCIM lookup).`
          : 'No NameID was read.',
      };
    },
  },
  {
    key: 'not-provisioned',
    cause: 'The user does not exist in Identity Center yet: there is no creation at sign-in, so the user must be provisioned first (by SCIM or by hand).',
    checks: [],
    facts: ['A1.4', 'A10'],
    fix: (r) => `${AWS_USERS}: look for ${nameIdOf(r) ?? 'the user'}; if it is missing, provision it (${ENTRA_PROVISIONING}, Provision on demand) or create it with that user name.`,
    otherwise: (r) => {
      const v = nameIdOf(r);
      return { ruledOut: false, basis: v ? `The capture cannot tell whether Identity Center has a user named ${v}: samlscope's SCIM lookup can ask it.` : 'No NameID was read.' };
    },
  },
  {
    key: 'format',
    cause: 'The NameID format is not emailAddress, or its value is not an email address.',
    checks: ['nameid-format'],
    facts: ['A1.1', 'A1.2', 'A10'],
    fix: () => ENTRA_NAMEID_FORMAT,
    otherwise: (r) => {
      const n = assertionOf(r)?.nameId;
      if (!n) return { ruledOut: false, basis: 'No NameID was read.' };
      return n.format === EMAIL_FORMAT
        ? { ruledOut: true, basis: `NameID ${n.value} has the emailAddress format and an email address value.` }
        : { ruledOut: false, basis: `NameID format ${n.format ?? '(none)'}.` };
    },
  },
  {
    key: 'acs',
    cause: "The response is addressed to another Identity Center ACS (Destination, Recipient) or entity ID (Audience): Entra's Reply URL or Identifier does not match.",
    checks: ['destination-mismatch', 'recipient-mismatch', 'audience-mismatch', 'iam-federation-mixup'],
    facts: ['A3.1', 'A3.6', 'A10'],
    fix: () => REPLY_URL_FIX,
    otherwise: (r) => {
      const known = !!r.expectations?.acsUrl || !!r.expectations?.spEntityId || r.hasRequest;
      return {
        ruledOut: known,
        basis: known
          ? `Destination, Recipient and Audience match ${r.expectations?.acsUrl || r.expectations?.spEntityId ? 'the configured Identity Center' : "Identity Center's AuthnRequest"}.`
          : "Neither the AuthnRequest nor the expected ACS and entity ID are known: configure them in Options to check.",
      };
    },
  },
  {
    key: 'assertions',
    cause: 'The response carries more than one assertion.',
    checks: [],
    facts: ['A10'],
    fix: () => `${ENTRA_SIGNING_OPTION}: keep the default; Entra sends one assertion, so a second one was added on the way.`,
    otherwise: (r) => {
      const n = r.model?.kind === 'Response' ? r.model.assertions.length + r.model.encryptedAssertions.length : 0;
      return n > 1 ? { ruledOut: false, basis: `The response has ${n} assertions.` } : { ruledOut: true, basis: 'The response has one assertion.' };
    },
  },
  {
    key: 'encryption',
    cause: 'The assertion is encrypted (Entra token encryption is on).',
    checks: ['encrypted-assertion'],
    facts: ['A10'],
    fix: () => `${ENTRA_TOKEN_ENCRYPTION}: turn it off (Identity Center does not accept encrypted assertions).`,
    otherwise: () => ({ ruledOut: true, basis: 'The assertion is not encrypted.' }),
  },
  {
    key: 'abac',
    cause: 'An AccessControl attribute breaks the rules for attributes for access control (more than 50, multi-valued, duplicated, or XML).',
    checks: ['accesscontrol-invalid'],
    facts: ['A8.2', 'A10'],
    fix: () => `${ENTRA_CLAIMS}: fix the AccessControl claims (one value each, no duplicates, at most 50), or ${AWS_ABAC}.`,
    otherwise: () => ({ ruledOut: true, basis: 'The AccessControl attributes follow those rules.' }),
  },
  {
    key: 'clock',
    cause: 'A clock is off: the assertion was expired or not yet valid when it arrived.',
    checks: ['conditions-expired', 'conditions-not-yet-valid'],
    facts: ['A6.2', 'A10'],
    fix: () => "Sync this device's clock to an NTP time source and sign in again from the start.",
    otherwise: (r) => {
      const skew = r.flow.clockSkewSeconds;
      const limit = r.expectations?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
      if (skew !== undefined && Math.abs(skew) > limit) return { ruledOut: false, basis: `This device's clock differs from AWS's by ${skew} s.` };
      return { ruledOut: true, basis: 'The validity windows held at the capture time.' };
    },
  },
  {
    key: 'certificate',
    cause: 'The response is not signed with the certificate Identity Center holds (a rolled-over Entra certificate not uploaded to AWS, or no signature).',
    checks: ['signature-cert-mismatch', 'signature-invalid', 'signature-missing', 'assertion-unsigned', 'signature-wrapping', 'issuer-mismatch', 'certificate-expiring'],
    facts: ['A9.1', 'A10'],
    fix: () => `${AWS_IDP_CERT}: compare it with the active certificate in ${ENTRA_CERT}, and import the one Entra signs with.`,
    otherwise: (r) => ({
      ruledOut: !!r.expectations?.idpCertificates?.length,
      basis: r.expectations?.idpCertificates?.length
        ? 'The signature verifies with the configured IdP certificate.'
        : "Add the certificate Identity Center holds (options page, or Entra's federation metadata) to check it.",
    }),
  },
  {
    key: 'status',
    cause: 'Entra posted a failure status instead of an assertion.',
    checks: ['status-not-success'],
    facts: ['E2', 'B5'],
    fix: () => `${ENTRA_SIGNIN_LOGS}: read the failure for this sign-in.`,
    otherwise: () => ({ ruledOut: true, basis: 'The status is Success.' }),
  },
  {
    key: 'request-id',
    cause: "The response does not answer the AuthnRequest Identity Center is waiting for (its InResponseTo names another or an older request: a stale tab, a bookmark, a retried sign-in).",
    checks: ['in-response-to-mismatch'],
    facts: ['G2.4', 'E3'],
    fix: () => 'Start the sign-in again from the AWS access portal URL (not a bookmark of an Entra or ACS page), in one tab, without going back.',
    otherwise: () => ({ ruledOut: false, basis: 'The capture cannot tell which request Identity Center was waiting for.' }),
  },
  {
    key: 'ad-connector',
    cause: "With an AD Connector identity source: the connector's service account credentials expired.",
    checks: [],
    facts: ['A10'],
    fix: () => 'AWS Directory Service: update the AD Connector service account credentials.',
    // A SAML response from Entra to the ACS means the identity source is an external IdP.
    otherwise: (r) => (r.model ? { ruledOut: true, basis: 'The identity source is an external IdP (Entra posted a SAML response), not AD Connector.' } : { ruledOut: false, basis: 'No SAML response was captured.' }),
  },
];

/**
 * The causes AWS documents for each heading (FACTS A10), most likely first. A cause that is not
 * documented for the heading is listed only when a check found it in the capture.
 */
const DOCUMENTED: Record<string, string[]> = {
  [AWS_UNEXPECTED]: ['not-provisioned', 'user-name', 'format', 'acs', 'assertions', 'encryption', 'abac'],
  [AWS_NOT_YOU]: ['clock', 'certificate', 'format', 'ad-connector'],
};
/** Heading unknown (told from HTTP alone): every documented cause, in this order. */
const ANY_HEADING = ['not-provisioned', 'user-name', 'format', 'acs', 'clock', 'certificate', 'assertions', 'encryption', 'abac', 'ad-connector'];
/** Also listed (after the documented ones) when a check found them. */
const FOUND_ONLY = ['acs', 'clock', 'certificate', 'status', 'user-name', 'format', 'encryption', 'abac'];

const TIER: Record<LikelyCause['likelihood'], number> = { confirmed: 0, likely: 1, possible: 2, 'ruled-out': 3 };

export interface RankedCause extends LikelyCause {
  /** What to change for it. */
  fix: string;
}

/** A cause AWS's own record (a CloudTrail sign-in event) names. */
export interface LoggedCause {
  key: string;
  /** What the record says, for the basis. */
  said: string;
}

export function rankCauses(heading: string | undefined, flowFindings: Finding[], r: Reading, record?: LoggedCause): RankedCause[] {
  // "No user found with the user name X" is what AWS records both for a user never provisioned and
  // for a NameID that is not the user's name. When a check found the NameID is not the expected
  // user name, or differs from the user's UPN (a warning: "works only if the user name is exactly
  // the NameID", which the record rules out), that is the cause the record confirms, and its fix
  // (look the user up by the other name, send that one) the one to give, not "provision the user"
  // (found by a review).
  const logged = record?.key === 'not-provisioned' && flowFindings.some((f) => f.checkId === 'nameid-mismatch' && f.severity !== 'info') ? { ...record, key: 'user-name' } : record;
  const documented = DOCUMENTED[heading ?? ''] ?? ANY_HEADING;
  const order = [...documented, ...FOUND_ONLY.filter((k) => !documented.includes(k))];
  if (logged && !order.includes(logged.key)) order.unshift(logged.key);
  const out: (RankedCause & { pos: number })[] = [];
  for (const key of order) {
    const spec = CAUSES.find((c) => c.key === key)!;
    const hits = flowFindings.filter((f) => spec.checks.includes(f.checkId) && f.severity !== 'info');
    hits.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    const hit = hits[0];
    const pos = out.length;
    if (logged?.key === key) {
      // AWS's own record of this sign-in says which cause it was: confirmed, whatever the capture shows.
      out.push({
        likelihood: 'confirmed',
        cause: spec.cause,
        basis: `AWS's CloudTrail record of this sign-in says so: ${logged.said}${hit ? ` (and ${hit.checkId} found it in the capture)` : ''}`,
        ...(hit ? { checkId: hit.checkId } : {}),
        facts: [...spec.facts, 'G2'],
        fix: hit?.fix ?? spec.fix(r),
        confirmedBy: 'cloudtrail',
        pos,
      });
    } else if (hit) {
      out.push({ likelihood: hit.severity === 'error' ? 'confirmed' : 'likely', cause: spec.cause, basis: hit.message, checkId: hit.checkId, facts: spec.facts, fix: hit.fix, pos });
    } else if (documented.includes(key)) {
      const o = spec.otherwise(r);
      out.push({ likelihood: o.ruledOut ? 'ruled-out' : 'possible', cause: spec.cause, basis: o.basis, facts: spec.facts, fix: spec.fix(r), pos });
    }
  }
  // A user-name mismatch found by a check explains "no such user": that one is then no longer open.
  if (out.some((c) => c.checkId === 'nameid-mismatch' && c.likelihood === 'confirmed')) {
    const np = out.find((c) => c.cause === CAUSES.find((x) => x.key === 'not-provisioned')!.cause);
    if (np && np.likelihood === 'possible') np.basis = `Less likely: the NameID is not the expected user name (nameid-mismatch), which explains the error. ${np.basis}`;
  }
  out.sort((a, b) => TIER[a.likelihood] - TIER[b.likelihood] || a.pos - b.pos);
  return out.map(({ pos: _pos, ...c }) => c);
}

const CLOUDTRAIL_EVENT = 'ExternalIdPDirectoryLogin';
const isoSeconds = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface CloudTrailLookup {
  region?: string;
  start: string;
  end: string;
  userName?: string;
  /** The AWS CLI command, ready to paste: every such event in the window. */
  command: string;
  /** The same, narrowed to events that mention the user name (when it needs no quoting). */
  userCommand?: string;
  /** The same lookup in the CloudTrail console. */
  console: string;
}

/**
 * The CloudTrail lookup that shows why Identity Center refused the sign-in (FACTS A10: events
 * named ExternalIdPDirectoryLogin). Identity Center is regional: its ACS host names the region.
 * Lookup attributes take one key, so the user name is filtered with --query.
 */
export function cloudTrailLookup(at: number, acsUrl: string | undefined, userName: string | undefined): CloudTrailLookup {
  const region = acsUrl ? awsRegionOf(acsUrl) : undefined;
  const start = isoSeconds(at - 5 * 60_000);
  const end = isoSeconds(at + 10 * 60_000);
  // Only names that need no quoting in a shell or JMESPath go into the command.
  const safeUser = userName && /^[A-Za-z0-9@._+=,#-]{1,128}$/.test(userName) ? userName : undefined;
  const base = [
    'aws cloudtrail lookup-events',
    region ? `--region ${region}` : '--region <Identity Center region>',
    `--lookup-attributes AttributeKey=EventName,AttributeValue=${CLOUDTRAIL_EVENT}`,
    `--start-time ${start} --end-time ${end}`,
  ].join(' ');
  const out: CloudTrailLookup = {
    start,
    end,
    command: `${base} --query "Events[].CloudTrailEvent" --output text`,
    console:
      `CloudTrail console${region ? ` (region ${region})` : ''} → Event history → Lookup attributes: Event name = ${CLOUDTRAIL_EVENT}, ` +
      `time range ${start} to ${end}${userName ? `; open the event for ${userName}` : ''} and read its error fields.`,
  };
  if (region) out.region = region;
  if (userName) out.userName = userName;
  // Whether a refused sign-in's event names the user is not documented: the narrowed command is a
  // second choice, and says to drop the filter when it finds nothing.
  if (safeUser) out.userCommand = `${base} --query "Events[?contains(CloudTrailEvent, '${safeUser}')].CloudTrailEvent" --output text`;
  return out;
}

/** The CloudTrail failure of this attempt (the one that names a cause first), if one was joined to it. */
function cloudTrailFailure(flow: Flow): { record: SignInLogRecord; cause?: CloudTrailCause } | undefined {
  const fails = (flow.signInLogs ?? []).filter((l) => l.source === 'cloudtrail' && l.outcome === 'failure');
  const named = fails.map((record) => ({ record, cause: causeOfCloudTrail(record) })).find((x) => x.cause);
  if (named) return named;
  return fails[0] ? { record: fails[0] } : undefined;
}

function awsFinding(flow: Flow, e: PageError, ctx: ErrorFindingContext): Finding {
  const { responseMsg } = flowModels(flow, ctx);
  const ct = cloudTrailFailure(flow);
  const model = responseMsg?.model;
  const ids = new Set(flow.messageIds);
  const own = ctx.findings.filter((f) => f.messageId !== undefined && ids.has(f.messageId));
  const hasRequest = flow.messageIds.some((id) => ctx.messages.get(id)?.model?.kind === 'AuthnRequest');
  const reading: Reading = { flow, hasRequest, ...(model ? { model } : {}), ...(ctx.expectations ? { expectations: ctx.expectations } : {}) };
  const causes = rankCauses(e.heading, own, reading, ct?.cause ? { key: ct.cause, said: `"${[ct.record.code, ct.record.reason].filter(Boolean).join(': ')}" (${ct.record.eventName}, ${ct.record.time ?? 'time unreadable'})` } : undefined);
  const acsUrl = responseMsg?.capture.url ?? flow.steps.find((s) => urlRole(s.url) === 'aws-acs')?.url;
  const nameId = model?.kind === 'Response' ? primaryAssertion(model)?.nameId?.value : undefined;
  const at = Date.parse(responseMsg?.capture.time ?? e.time);
  const lookup = cloudTrailLookup(Number.isNaN(at) ? Date.parse(e.time) || 0 : at, acsUrl, nameId);
  const shown = e.heading ? `"${e.heading}"` : e.status !== undefined ? `HTTP ${e.status}` : 'an error';
  const top = causes[0]!;
  const how = e.seenBy === 'page' ? 'showed' : `answered with HTTP ${e.status ?? '?'} (read from the HTTP status; the page itself was not read)`;
  const logged = (flow.signInLogs ?? []).filter((l) => l.source === 'cloudtrail');
  const evidence: Evidence[] = [
    ...(e.seenBy === 'page' || e.status !== undefined || !ct ? [{ label: 'AWS error', actual: e.heading ?? (e.status !== undefined ? `HTTP ${e.status}` : 'error') }] : []),
    ...logged.map((l) => ({ label: `CloudTrail ${l.eventName ?? 'event'} (${l.origin})`, actual: describeCloudTrail(l) })),
    // The user name Identity Center looked up first: the documented causes most often concern it.
    ...(nameId ? [{ label: 'NameID (Identity Center user name)', actual: nameId }] : []),
    ...(acsUrl ? [{ label: 'POST to the ACS', actual: acsUrl }] : []),
    { label: 'CloudTrail lookup (AWS CLI)', actual: lookup.command },
    ...(lookup.userCommand ? [{ label: 'CloudTrail lookup, this user only (if it finds nothing, use the one above)', actual: lookup.userCommand }] : []),
    { label: 'CloudTrail lookup (console)', actual: lookup.console },
  ];
  const found = top.likelihood === 'confirmed' || top.likelihood === 'likely';
  const fromLog = !!ct?.cause && top.basis.startsWith("AWS's CloudTrail record");
  const lead = fromLog
    ? "AWS's own CloudTrail record of this sign-in names the cause (first below)."
    : ct
      ? `AWS's CloudTrail record says "${[ct.record.code, ct.record.reason].filter(Boolean).join(': ') || 'Failure'}", which names none of the documented causes; ${found ? `a check found one in the capture (first below${top.checkId ? `: ${top.checkId}` : ''}).` : 'the likeliest are below.'}`
      : found
        ? `A check found the cause in the capture (first below${top.checkId ? `: ${top.checkId}` : ''}).`
        : 'Nothing in the capture explains it: the likeliest causes are ones a capture cannot see (below).';
  const what = e.seenBy === 'page' || e.status !== undefined ? `IAM Identity Center ${how} ${e.seenBy === 'page' ? shown : ''} after the POST of the SAML response to its ACS.` : `AWS's CloudTrail recorded a failed sign-in (${ct?.record.eventName ?? CLOUDTRAIL_EVENT}) for this attempt's SAML response.`;
  return {
    checkId: 'aws-sign-in-error',
    severity: 'error',
    title: `AWS refused the sign-in: ${e.seenBy === 'page' || e.status !== undefined || !ct ? shown : `CloudTrail ${ct.record.eventName ?? 'sign-in event'} Failure`}${fromLog ? ' (cause confirmed by CloudTrail)' : ''}`,
    message: `${what} ${lead}`.replace(/\s+/g, ' ').trim(),
    evidence,
    fix: ct
      ? `${found ? '' : 'Most likely: '}${top.fix}`
      : `${found ? '' : 'Most likely: '}${top.fix} ` +
        `Confirm it in CloudTrail: event ${CLOUDTRAIL_EVENT}${lookup.region ? ` in ${lookup.region}` : ''} between ${lookup.start} and ${lookup.end}` +
        `${nameId ? ` for ${nameId}` : ''} (the command is below).`,
    flowId: flow.id,
    ...(responseMsg ? { messageId: responseMsg.capture.id } : {}),
    facts: ['A10'],
    causes,
  };
}

export function errorFindings(flow: Flow, ctx: ErrorFindingContext): Finding[] {
  const out: Finding[] = [];
  // AWS's error names the identity provider's settings among its causes: "Entra" only when the
  // attempt's identity provider is Entra. Entra's own page and sign-in log are Entra's by nature.
  // Decided only when an AWS error is to be reported (most attempts show none).
  let entra: boolean | undefined;
  for (const e of flow.errors ?? []) {
    if (e.source === 'entra' && e.code) out.push(entraFinding(flow, e, ctx));
    else if (e.source === 'aws') out.push(inFlowIdpTerms([awsFinding(flow, e, ctx)], (entra ??= flowIdpIsEntra(flow, ctx.messages, ctx.expectations)))[0]!);
  }
  // What the logs recorded when no page was read (a HAR, a capture without the content script).
  const logs = flow.signInLogs ?? [];
  const entraFail = logs.find((l) => l.source === 'entra' && l.outcome === 'failure' && l.code);
  if (entraFail && !(flow.errors ?? []).some((e) => e.source === 'entra' && e.code)) out.push(entraLogFinding(flow, entraFail));
  const ct = cloudTrailFailure(flow);
  if (ct && !(flow.errors ?? []).some((e) => e.source === 'aws')) {
    const e: PageError = { id: `log:${ct.record.id}`, source: 'aws', url: '', time: ct.record.time ?? '', seenBy: 'http' };
    out.push(inFlowIdpTerms([awsFinding(flow, e, ctx)], (entra ??= flowIdpIsEntra(flow, ctx.messages, ctx.expectations)))[0]!);
  }
  return out;
}

/** An Entra sign-in log record of failure for an attempt whose error page was not read. */
function entraLogFinding(flow: Flow, r: SignInLogRecord): Finding {
  const code = (r.code ?? '').replace(/^AADSTS/, '');
  const info = explainAadsts(code);
  const evidence: Evidence[] = [{ label: `Entra sign-in log (${r.origin})`, actual: describeEntra(r) }];
  if (r.correlationId) evidence.push({ label: 'Correlation Id', actual: r.correlationId });
  if (r.requestId) evidence.push({ label: 'Request Id', actual: r.requestId });
  if (r.additionalDetails) evidence.push({ label: 'Additional details', actual: r.additionalDetails });
  const name = info ? ` (${info.plain ?? info.name})` : '';
  return {
    checkId: 'entra-error',
    severity: 'error',
    title: `Entra's sign-in log records a failure: ${r.code}${name}`,
    message: info
      ? `Entra's sign-in log records ${r.code} (${info.name}) for this sign-in${r.reason ? `: "${r.reason}"` : ''}. ${info.cause}`
      : `Entra's sign-in log records ${r.code} for this sign-in${r.reason ? `: "${r.reason}"` : ''}. This code is not one samlscope explains; Microsoft's description is at https://login.microsoftonline.com/error?code=${code}.`,
    evidence,
    fix: (info ? info.fix : `${ENTRA_SIGNIN_LOGS}: open the record and read "Failure reason".`) + (r.correlationId ? ` For a Microsoft ticket, quote Correlation Id ${r.correlationId}.` : ''),
    flowId: flow.id,
    facts: ['B5', 'G1'],
  };
}
