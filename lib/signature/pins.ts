// Trust on first use, per Entra tenant: when no IdP certificate is configured, the first
// certificate that validly signed a message of a tenant is pinned, so that a later change (a
// certificate rollover, FACTS A9.3) is flagged with both fingerprints. Pure: the extension keeps
// the pins in storage.local, the CLI within one run.
import type { SamlMessage } from '../saml/model.ts';
import { tenantOfIssuer } from '../domain/entra.ts';
import { describeCertificate, isCertificateError } from './cert.ts';
import type { CertificatePin, CertificatePins, SignatureVerdicts } from './types.ts';

/** What pinning reads of a message the analysis has read (an PinnableMessage fits). */
export interface PinnableMessage {
  id: string;
  capture: { time?: string | undefined };
  model?: SamlMessage | undefined;
}

/** The Entra tenant a message comes from, by its (Response or Assertion) Issuer. */
export function tenantOfMessage(m: PinnableMessage): string | undefined {
  const model = m.model;
  if (!model) return undefined;
  const fromRoot = tenantOfIssuer(model.issuer?.value);
  if (fromRoot) return fromRoot;
  return model.kind === 'Response' ? tenantOfIssuer(model.assertions[0]?.issuer?.value) : undefined;
}

function timeOf(m: PinnableMessage): number {
  const t = Date.parse(m.capture.time ?? '') || Date.parse(m.model?.issueInstant ?? '');
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * Pins, for each tenant not pinned yet, the certificate from the KeyInfo of the first (by time)
 * message whose signature verified with it. Returns the new pins and which were added.
 */
export function pinFirstSeen(
  pins: CertificatePins,
  messages: PinnableMessage[],
  verdicts: SignatureVerdicts,
  analysisTime: Date,
): { pins: CertificatePins; added: CertificatePin[] } {
  const out: CertificatePins = { ...pins };
  const added: CertificatePin[] = [];
  const ordered = messages.map((m, i) => ({ m, i, t: timeOf(m) })).sort((a, b) => a.t - b.t || a.i - b.i);
  for (const { m, t } of ordered) {
    const tenant = tenantOfMessage(m);
    if (!tenant || out[tenant]) continue;
    const v = verdicts[m.id];
    const good = v?.signatures.find((s) => s.status === 'valid' && s.keySource === 'keyinfo' && s.signingCertificate);
    if (!good?.signingCertificate) continue;
    const info = describeCertificate(good.signingCertificate);
    if (isCertificateError(info)) continue;
    const pin: CertificatePin = {
      tenantId: tenant,
      certificate: good.signingCertificate,
      sha1: info.sha1,
      firstSeen: new Date(Number.isFinite(t) ? t : analysisTime.getTime()).toISOString(),
      messageId: m.id,
    };
    out[tenant] = pin;
    added.push(pin);
  }
  return { pins: out, added };
}

/** Reads stored pins of any shape, keeping only well-formed entries. */
export function normalizePins(stored: unknown): CertificatePins {
  const out: CertificatePins = {};
  if (!stored || typeof stored !== 'object') return out;
  for (const [k, v] of Object.entries(stored as Record<string, unknown>)) {
    if (!v || typeof v !== 'object') continue;
    const p = v as Partial<CertificatePin>;
    if (typeof p.certificate !== 'string' || typeof p.sha1 !== 'string' || typeof p.firstSeen !== 'string') continue;
    out[k] = { tenantId: k, certificate: p.certificate, sha1: p.sha1, firstSeen: p.firstSeen };
  }
  return out;
}
