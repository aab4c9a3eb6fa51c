// Which certificates sign the parts of a message the sign-in is read from, for the checks:
// from the verifier's verdicts when verification ran, else from the signatures' KeyInfo.
// Synchronous and small: the checks (and so the popup's first render) import it.
import type { SamlMessage, SignatureInfo } from '../saml/model.ts';
import { describeCertificate, isCertificateError, type CertificateInfo } from './cert.ts';
import type { MessageVerdict, RecordedCertificateInfo, SignatureVerdict } from './types.ts';

/** What the signer helpers read of a check's context (a CheckContext fits). */
export interface SignedMessageContext {
  message: SamlMessage;
  signatures?: MessageVerdict | undefined;
}

export interface Signer {
  /** Base64 DER. */
  certificate: string;
  /** Undefined when the certificate cannot be read. */
  info?: CertificateInfo;
  /** Path of the ds:Signature. */
  signaturePath: string;
  /** Where the certificate was read, for evidence. */
  path: string;
  /** "the Assertion signature", "the Response signature". */
  label: string;
  /** True when the SignatureValue verified with this certificate's key. */
  verified: boolean;
}

/** Signatures directly in the root or in the Assertion the sign-in is read from. */
export function protectingSignatures(ctx: SignedMessageContext): SignatureInfo[] {
  const m = ctx.message;
  const out = [...m.signatures];
  if (m.kind === 'Response' && m.assertions[0]) out.push(...m.assertions[0].signatures);
  return out;
}

export function signatureLabel(s: { parentPath: string; path: string }, rootPath: string, rootLocal: string): string {
  if (s.parentPath === rootPath) return `the ${rootLocal} signature`;
  const local = s.parentPath.split('/').pop()!.replace(/\[\d+\]$/, '');
  return `the ${local} signature (${s.path})`;
}

/** The signing certificate of each protecting signature, one entry per distinct certificate. */
export function signers(ctx: SignedMessageContext): Signer[] {
  const m = ctx.message;
  const verdicts = new Map<string, SignatureVerdict>((ctx.signatures?.signatures ?? []).map((v) => [v.path, v]));
  const out: Signer[] = [];
  for (const s of protectingSignatures(ctx)) {
    const v = verdicts.get(s.path);
    const cert = v?.signingCertificate ?? v?.keyInfoCertificates[0] ?? s.certificates[0];
    if (!cert || out.some((o) => o.certificate === cert)) continue;
    const info = describeCertificate(cert);
    const keyInfoPath = `${s.path}/KeyInfo/X509Data/X509Certificate`;
    const signer: Signer = {
      certificate: cert,
      signaturePath: s.path,
      path: v?.keySource === 'expected' ? `${s.path}/SignatureValue (verified with an expected certificate)` : keyInfoPath,
      label: signatureLabel(s, m.rootPath, m.rootName),
      verified: !!v?.signingCertificate && v.signingCertificate === cert,
    };
    if (!isCertificateError(info)) signer.info = info;
    else if (v?.certificateInfo) signer.info = fromRecorded(cert, v.certificateInfo);
    out.push(signer);
  }
  return out;
}

/**
 * A certificate a redacted export masked, as its recorded verdict describes it: names and dates
 * for the checks, no key (nothing verifies with it; the verdict was recorded).
 */
function fromRecorded(cert: string, r: RecordedCertificateInfo): CertificateInfo {
  const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
  const info: CertificateInfo = { base64: cert, subject: r.subject, issuer: r.issuer, serialNumber: '', sha1: r.sha1, sha256: r.sha256, keyType: r.keyType, spki: new Uint8Array(0), selfSigned: r.subject === r.issuer };
  const nb = date(r.notBefore);
  const na = date(r.notAfter);
  if (nb) info.notBefore = nb;
  if (na) info.notAfter = na;
  if (r.keySize !== undefined) info.keySize = r.keySize;
  return info;
}

/** "CN=… (SHA-1 AB12…)" or a note when unreadable. */
export function certLabel(cert: string): string {
  const info = describeCertificate(cert);
  if (isCertificateError(info)) return `an unreadable certificate (${cert.length > 24 ? `${cert.slice(0, 24)}…` : cert})`;
  return `${info.subject || '(no subject)'} (SHA-1 thumbprint ${info.sha1})`;
}
