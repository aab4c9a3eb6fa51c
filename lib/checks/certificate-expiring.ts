// The certificate that signs the message has expired, expires within 30 days, or is not valid
// yet, judged at the time of the sign-in. Reads the certificate from the verifier's verdict, or
// from KeyInfo on the synchronous path (dates need no cryptography).
import type { Evidence } from '../types.ts';
import { signers } from '../signature/signers.ts';
import { CERT_ROLLOVER_FIX, ENTRA_NEW_CERT, AWS_IDP_CERT } from './fixes.ts';
import { defineCheck } from './types.ts';
import { formatDuration, iso } from './util.ts';

export const EXPIRY_WARNING_DAYS = 30;

/** "10 days" for whole-day distances (certificate dates), finer under two days. */
function distance(ms: number): string {
  const days = Math.round(ms / 86400e3);
  return days >= 2 ? `${days} days` : formatDuration(ms / 1000);
}

const FIX_RENEW =
  `Roll the certificate over before it expires: ${ENTRA_NEW_CERT}. Then upload the new certificate to AWS at once (${AWS_IDP_CERT}), ` +
  'since Identity Center trusts only the certificate uploaded to it. Entra mails the notification addresses 60, 30 and 7 days before expiry.';

export const certificateExpiring = defineCheck({
  id: 'certificate-expiring',
  severity: 'warning',
  title: 'The signing certificate has expired or expires soon',
  docs:
    "Entra's SAML signing certificate is valid for three years; when it expires, Entra switches to another valid certificate if one exists, which AWS does not hold until it is uploaded. " +
    'Whether Identity Center refuses an expired certificate itself is not documented, so an expired one is a warning: renew it and upload the new one to AWS before the switch breaks sign-in.',
  facts: ['A9.3', 'A9.1', 'A9.2'],
  appliesTo: ['Response', 'LogoutRequest', 'LogoutResponse', 'AuthnRequest'],
  messages: {
    expired: 'The signing certificate {subject} (SHA-1 {sha1}) expired on {notAfter}, {ago} before this sign-in ({nowSource}).',
    expiring: 'The signing certificate {subject} (SHA-1 {sha1}) expires on {notAfter}, in {left} (less than {days} days after this sign-in, {nowSource}).',
    notYetValid: 'The signing certificate {subject} (SHA-1 {sha1}) is valid only from {notBefore}, {ahead} after this sign-in ({nowSource}).',
  },
  titles: {
    expired: 'The signing certificate has expired',
    expiring: 'The signing certificate expires soon',
    notYetValid: 'The signing certificate is not valid yet',
  },
  run(ctx, report) {
    const now = ctx.now.getTime();
    for (const s of signers(ctx)) {
      const c = s.info;
      if (!c?.notAfter) continue;
      const base = { subject: c.subject || '(no subject)', sha1: c.sha1, nowSource: ctx.nowSource };
      const evidence = (label: string, expected: string, actual: string): Evidence[] => [
        { label, expected, actual, path: s.path, source: ctx.nowSource },
        { label: 'certificate', actual: `${c.subject} (SHA-1 thumbprint ${c.sha1}, SHA-256 ${c.sha256})`, path: s.path },
      ];
      const left = c.notAfter.getTime() - now;
      // The validity period runs from notBefore through notAfter, inclusive (RFC 5280 §4.1.2.5):
      // at the NotAfter instant itself the certificate is still valid.
      if (left < 0) {
        report({
          message: 'expired',
          data: { ...base, notAfter: iso(c.notAfter), ago: distance(-left) },
          evidence: evidence('certificate valid to (NotAfter)', `after ${iso(ctx.now)}`, iso(c.notAfter)),
          fix: CERT_ROLLOVER_FIX,
        });
      } else if (left < EXPIRY_WARNING_DAYS * 86400e3) {
        report({
          message: 'expiring',
          data: { ...base, notAfter: iso(c.notAfter), left: distance(left), days: EXPIRY_WARNING_DAYS },
          evidence: evidence('certificate valid to (NotAfter)', `${EXPIRY_WARNING_DAYS} days or more after ${iso(ctx.now)}`, iso(c.notAfter)),
          fix: FIX_RENEW,
        });
      }
      if (c.notBefore && c.notBefore.getTime() > now) {
        report({
          message: 'notYetValid',
          data: { ...base, notBefore: iso(c.notBefore), ahead: distance(c.notBefore.getTime() - now) },
          evidence: evidence('certificate valid from (NotBefore)', `before ${iso(ctx.now)}`, iso(c.notBefore)),
          fix: CERT_ROLLOVER_FIX,
        });
      }
    }
  },
});
