// The certificate that signed the message is not one Identity Center holds: the configured IdP
// certificates (options page, --idp-cert, imported Entra federation metadata), or, when none is
// configured, the first certificate seen for the tenant (pinned), so that a rollover shows.
import type { Evidence } from '../types.ts';
import { certLabel, signers } from '../signature/signers.ts';
import { describeCertificate, isCertificateError } from '../signature/cert.ts';
import { CERT_ROLLOVER_FIX, ENTRA_CERT } from './fixes.ts';
import { defineCheck } from './types.ts';
import { tenantOfIssuer } from './util.ts';

const FIX_CONFIGURE =
  `Nothing to change for the sign-in itself. To check that AWS trusts this certificate, give samlscope the certificate Identity Center holds: ` +
  `on the options page paste it or import the Entra federation metadata (${ENTRA_CERT} → Federation Metadata XML), or on the command line use --idp-cert FILE or --idp-metadata FILE.`;

const day = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

export const signatureCertMismatch = defineCheck({
  id: 'signature-cert-mismatch',
  severity: 'error',
  title: 'Signing certificate vs the certificate AWS holds',
  docs:
    'Identity Center verifies the response with the IdP certificate uploaded to it, so a response signed with any other certificate is refused ("It\'s not you, it\'s us"). ' +
    'This happens after an Entra certificate rollover, or when the certificate of another app or tenant was uploaded to AWS.',
  facts: ['A9.1', 'A9.2', 'A9.3', 'A9.4', 'B3.3'],
  appliesTo: ['Response', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    notExpected:
      'The message is signed with {actual}, which is not among the {count} IdP certificate{plural} {source}: {expected}. Identity Center verifies with the certificate uploaded to it, so it refuses this sign-in.',
    rollover:
      'The signing certificate changed: this message is signed with {actual}, but the first certificate seen for tenant {tenant} (on {firstSeen}) was {pinned}. Entra rolled its certificate over; if Identity Center still holds the old one, it refuses this sign-in.',
    pinned:
      'No IdP certificate is configured, so samlscope pinned the first certificate it saw for tenant {tenant}: {pinned}, first seen {firstSeen}. Later sign-ins signed with another certificate are flagged. Whether AWS holds this certificate is unknown until you configure it.',
    notConfigured:
      'The message is signed with {actual}; no IdP certificate is configured to compare it with, so whether Identity Center trusts it is unknown.',
  },
  titles: {
    notExpected: 'Signed with a certificate AWS does not hold',
    rollover: 'The signing certificate changed (rollover)',
    pinned: 'Signing certificate pinned (first seen)',
    notConfigured: 'Signing certificate not compared (none configured)',
  },
  run(ctx, report) {
    const m = ctx.message;
    // Logout messages are compared only when they come from Entra (an SP's own signature is not the IdP's).
    if (m.kind !== 'Response' && !tenantOfIssuer(m.issuer?.value)) return;
    const found = signers(ctx);
    if (found.length === 0) return; // unsigned: signature-missing explains it.
    const exp = ctx.expect.idpCertificates;
    const signerEvidence = (s: (typeof found)[number]): Evidence => ({
      label: `certificate of ${s.label}`,
      actual: certLabel(s.certificate),
      path: s.path,
    });
    if (!exp) {
      if (!ctx.signatures) return; // synchronous path with nothing configured: silent.
      for (const s of found) {
        report({ message: 'notConfigured', severity: 'info', data: { actual: certLabel(s.certificate) }, evidence: [signerEvidence(s)], fix: FIX_CONFIGURE });
      }
      return;
    }
    const pin = ctx.expect.certificatePin;
    for (const s of found) {
      if (exp.value.includes(s.certificate)) {
        if (pin) {
          report({
            message: 'pinned',
            severity: 'info',
            data: { tenant: pin.tenantId, pinned: certLabel(pin.certificate), firstSeen: day(pin.firstSeen) },
            evidence: [{ ...signerEvidence(s), expected: certLabel(pin.certificate), source: exp.source }],
            fix: FIX_CONFIGURE,
          });
        }
        continue;
      }
      const actualInfo = s.info;
      const certEvidence: Evidence[] = [
        {
          label: `SHA-1 thumbprint (${s.label})`,
          expected: exp.value.map((c) => sha1Of(c)).join(', '),
          actual: actualInfo?.sha1 ?? '(unreadable certificate)',
          path: s.path,
          source: exp.source,
        },
        {
          label: 'SHA-256 fingerprint',
          expected: exp.value.map((c) => sha256Of(c)).join(', '),
          actual: actualInfo?.sha256 ?? '(unreadable certificate)',
          path: s.path,
          source: exp.source,
        },
        { label: 'subject', expected: exp.value.map((c) => subjectOf(c)).join('; '), actual: actualInfo?.subject ?? '(unreadable)', path: s.path, source: exp.source },
      ];
      if (actualInfo?.notBefore) certEvidence.push({ label: 'signing certificate valid from', actual: actualInfo.notBefore.toISOString().replace('.000Z', 'Z'), path: s.path });
      if (pin) {
        report({
          message: 'rollover',
          severity: 'warning',
          data: { actual: certLabel(s.certificate), tenant: pin.tenantId, firstSeen: day(pin.firstSeen), pinned: certLabel(pin.certificate) },
          evidence: certEvidence,
          fix: CERT_ROLLOVER_FIX,
        });
      } else {
        report({
          message: 'notExpected',
          data: {
            actual: certLabel(s.certificate),
            count: exp.value.length,
            plural: exp.value.length > 1 ? 's' : '',
            source: exp.source === 'configured' ? 'configured' : `from ${exp.source}`,
            expected: exp.value.map(certLabel).join('; '),
          },
          evidence: certEvidence,
          fix: CERT_ROLLOVER_FIX,
        });
      }
    }
  },
});

function sha1Of(c: string): string {
  const i = describeCertificate(c);
  return isCertificateError(i) ? '(unreadable)' : i.sha1;
}
function sha256Of(c: string): string {
  const i = describeCertificate(c);
  return isCertificateError(i) ? '(unreadable)' : i.sha256;
}
function subjectOf(c: string): string {
  const i = describeCertificate(c);
  return isCertificateError(i) ? '(unreadable)' : i.subject;
}
