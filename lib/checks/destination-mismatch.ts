import type { Evidence } from '../types.ts';
import { REPLY_URL_FIX } from './fixes.ts';
import { defineCheck } from './types.ts';
import { acsComparisons, acsVerdict, describeUriDifference, IDC_ACS_RE, isIamFederationUri, sameEndpoint, stripQuery } from './util.ts';
import type { CheckContext } from './types.ts';
import type { LogoutRequestInfo, LogoutResponseInfo } from '../saml/model.ts';

/** Who sent a logout message, for the fix: its Issuer as written. */
function logoutFix(m: LogoutRequestInfo | LogoutResponseInfo): string {
  const who = m.issuer?.value ? `the party whose Issuer is ${m.issuer.value}` : 'its sender';
  return (
    `The ${m.kind} was written by ${who}: there, set the Destination to the recipient's single logout URL exactly as the recipient's metadata names it ` +
    '(SingleLogoutService Location), and send the message to that same URL.'
  );
}

/** A LogoutRequest / LogoutResponse: Destination, when present, must be where it was received (Core §3.2.1, §3.2.2). */
interface LogoutFinding {
  missing: boolean;
  data: Record<string, string>;
  evidence: Evidence[];
  fix: string;
}

function checkLogout(ctx: CheckContext, m: LogoutRequestInfo | LogoutResponseInfo): LogoutFinding | undefined {
  const url = ctx.capture.url ? stripQuery(ctx.capture.url) : undefined;
  const dest = m.destination;
  if (dest === undefined) {
    // Required on a signed message under HTTP-Redirect and HTTP-POST (Bindings §3.4.5.2 / §3.5.5.2).
    const signed = m.signatures.length > 0 || !!ctx.capture.signature;
    if (!signed) return undefined;
    return {
      missing: true,
      data: { kind: m.kind },
      evidence: [{ label: 'Destination', expected: url ?? "the recipient's single logout URL", actual: '(none)', path: m.rootPath, ...(url ? { source: 'the URL the message was sent to' } : {}) }],
      fix: logoutFix(m),
    };
  }
  if (!url || sameEndpoint(dest, url)) return undefined; // Nothing to compare with, or it matches.
  return {
    missing: false,
    data: { kind: m.kind, actual: dest, url, difference: describeUriDifference(url, dest.trim().split(/[?#]/)[0]!) },
    evidence: [{ label: `${m.kind} Destination`, expected: url, actual: dest, path: `${m.rootPath}/@Destination`, source: 'the URL the message was sent to' }],
    fix: logoutFix(m),
  };
}

export const destinationMismatch = defineCheck({
  id: 'destination-mismatch',
  severity: 'error',
  title: 'Response Destination is not Identity Center\'s ACS URL',
  docs:
    'A Response\'s Destination must be the URL it was received at, and Identity Center refuses a response meant for another ACS URL. ' +
    'Entra writes its Reply URL into the Destination, so a Reply URL that differs from Identity Center\'s ACS URL by a slash, a scheme, a Region or a tenant id fails every sign-in.',
  facts: ['E3', 'B2.7', 'A3.4', 'A3.5', 'A3.6', 'A5.2'],
  appliesTo: ['Response', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    differs: 'The Response Destination is not {against} ({source}): {difference}.{also}',
    otherAcs:
      'The Response Destination {actual} is an ACS URL of the same Identity Center instance, but not the configured {expected}: {difference}. That is right only if this Region or endpoint form is enabled for the instance (multi-Region); IdP-initiated sign-ins go to Entra\'s default Reply URL.',
    missingSigned:
      'The Response is signed but has no Destination. The SAML bindings require a Destination on a signed Response sent by HTTP-POST, and Entra always sets it to the Reply URL, so Identity Center may refuse it.',
    unknownShape:
      'The Destination {actual} is not an Identity Center ACS URL (https://<region>.signin.aws/platform/saml/acs/<tenant-id> or one of its alternative forms), and nothing was configured or captured to compare it with.',
    logoutDiffers:
      'The {kind} Destination {actual} is not the URL it was sent to, {url}: {difference}. The recipient must discard a message whose Destination is not where it was received (SAML Core §3.2.1, §3.2.2), so this logout does not take effect there.',
    logoutMissingSigned:
      'The {kind} is signed but has no Destination. The SAML bindings require a Destination on a signed message sent by HTTP-Redirect or HTTP-POST (Bindings §3.4.5.2, §3.5.5.2), so the recipient may discard it.',
  },
  titles: {
    differs: 'Response Destination is not Identity Center\'s ACS URL',
    otherAcs: 'Response Destination is another ACS URL of the same instance',
    missingSigned: 'A signed Response has no Destination',
    unknownShape: 'Response Destination is not an Identity Center ACS URL',
    logoutDiffers: 'The logout message\'s Destination is not where it was sent',
    logoutMissingSigned: 'A signed logout message has no Destination',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind === 'LogoutRequest' || m.kind === 'LogoutResponse') {
      const f = checkLogout(ctx, m);
      if (f?.missing) report({ message: 'logoutMissingSigned', severity: 'warning', data: f.data, evidence: f.evidence, fix: f.fix });
      else if (f) report({ message: 'logoutDiffers', data: f.data, evidence: f.evidence, fix: f.fix });
      return;
    }
    if (m.kind !== 'Response') return;
    const dest = m.destination;
    if (dest === undefined) {
      if (m.signatures.length === 0) return; // Allowed on an unsigned Response (bindings 3.5.5.2).
      const url = ctx.capture.url ? stripQuery(ctx.capture.url) : undefined;
      report({
        message: 'missingSigned',
        severity: 'warning',
        evidence: [
          {
            label: 'Destination',
            expected: ctx.expect.acsUrl?.value ?? url ?? "Identity Center's ACS URL",
            actual: '(none)',
            path: m.rootPath,
            ...(ctx.expect.acsUrl ? { source: ctx.expect.acsUrl.source } : url ? { source: 'the URL the response was posted to' } : {}),
          },
        ],
        fix: REPLY_URL_FIX,
      });
      return;
    }
    if (isIamFederationUri(dest)) return; // iam-federation-mixup explains this one.
    const cmp = acsComparisons(ctx, dest);
    if (cmp.length === 0) {
      if (!IDC_ACS_RE.test(dest.trim())) {
        report({
          message: 'unknownShape',
          severity: 'warning',
          data: { actual: dest },
          evidence: [{ label: 'Destination', expected: 'https://<region>.signin.aws/platform/saml/acs/<tenant-id>', actual: dest, path: `${m.rootPath}/@Destination`, source: 'the ACS URL forms AWS documents' }],
          fix: REPLY_URL_FIX,
        });
      }
      return;
    }
    const bad = cmp.filter((c) => !c.same);
    if (bad.length === 0) return;
    const evidence: Evidence[] = bad.map((c) => ({
      label: `Destination vs ${c.against}`,
      expected: c.expected,
      actual: dest,
      path: `${m.rootPath}/@Destination`,
      source: c.source,
    }));
    // acsVerdict chooses between the messages 'otherAcs' and 'differs'.
    report({ ...acsVerdict(cmp, dest), evidence, fix: REPLY_URL_FIX });
  },
});
