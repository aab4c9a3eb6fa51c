// Rows of the full view's message header that must agree with the findings: the validity window
// judged as the checks judge it (with the clock tolerance, and the 1 s resolution of an HTTP Date
// header), and the signature as verified / invalid / not checked. Pure, tested in Node.
import type { AnalyzedMessage } from '../analyze.ts';
import { DEFAULT_CLOCK_SKEW_SECONDS } from '../checks/types.ts';
import type { Finding } from '../types.ts';

export type RowTone = 'ok' | 'warning' | 'error' | 'neutral';

export interface ValidityRow {
  tone: RowTone;
  text: string;
  /** The time it was judged at and where it came from. */
  at?: string;
  atSource?: string;
}

/** A time as milliseconds, undefined when absent or unreadable. */
export const parse = (s: string | undefined) => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

/** "45 s", "12 min", "3 h 5 min". */
export function dur(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * The Conditions window against the time of capture. An HTTP Date header has a 1 s resolution
 * (RFC 9110 §5.6.7), so the server's time lies anywhere in [Date, Date + 1 s): a NotBefore inside
 * that second is valid. Beyond that, a difference within the clock tolerance (Options; 300 s by
 * default, FACTS A6.2) is tolerated, as the checks tolerate it: a note, never red.
 */
export function selectValidityRow(m: AnalyzedMessage, toleranceSeconds = DEFAULT_CLOCK_SKEW_SECONDS): ValidityRow | undefined {
  const s = m.summary;
  if (!s || (s.notBefore === undefined && s.notOnOrAfter === undefined)) return undefined;
  const server = parse(m.capture.serverDate);
  const client = parse(m.capture.time);
  const ref = server ?? client;
  const window = `${s.notBefore ?? '…'} → ${s.notOnOrAfter ?? '…'}`;
  if (ref === undefined) return { tone: 'neutral', text: `${window} (no capture time to judge it against)` };
  const atSource = server !== undefined ? "the server's Date header (1 s resolution)" : 'the capture time';
  const at = new Date(ref).toISOString();
  // The latest the true time can be: a Date header rounds down to the second.
  const latest = server !== undefined ? ref + 999 : ref;
  const tol = toleranceSeconds * 1000;
  const nb = parse(s.notBefore);
  const noa = parse(s.notOnOrAfter);
  const base = { at, atSource };
  if (noa !== undefined && ref >= noa) {
    return ref - noa >= tol
      ? { ...base, tone: 'error', text: `${window}: expired ${dur(ref - noa)} before capture, beyond the ${dur(tol)} clock tolerance` }
      : { ...base, tone: 'warning', text: `${window}: expired ${dur(ref - noa)} before capture, within the ${dur(tol)} clock tolerance` };
  }
  if (nb !== undefined && latest < nb) {
    return nb - latest > tol
      ? { ...base, tone: 'error', text: `${window}: not valid until ${dur(nb - latest)} after capture, beyond the ${dur(tol)} clock tolerance` }
      : { ...base, tone: 'ok', text: `${window}: valid at capture within the ${dur(tol)} clock tolerance (NotBefore ${dur(nb - latest)} ahead)` };
  }
  const left = noa !== undefined ? `, ${dur(noa - ref)} left` : '';
  return { ...base, tone: 'ok', text: `${window}: valid at capture${left}` };
}

export interface SignatureRow {
  tone: RowTone;
  /** verified / invalid / not checked, with what was signed. */
  state: 'verified' | 'invalid' | 'not checked' | 'unsigned' | 'unreadable';
  text: string;
}

/**
 * The Signature row from the signature findings of the message and whether verification ran:
 * "verified", "invalid" or "not checked". A certificate pinned on first sight is a note, not a
 * mismatch; a certificate not among those AWS holds is an error.
 */
export function selectSignatureRow(m: AnalyzedMessage, findings: Finding[], checked: boolean): SignatureRow {
  const s = m.summary;
  if (!s) return { tone: 'neutral', state: 'unreadable', text: 'unreadable' };
  const own = findings.filter((f) => f.messageId === m.id);
  const parts = s.signedParts === 'none' ? '' : `${s.signedParts} signed`;
  if (s.signedParts === 'none' && !m.capture.sigAlg) {
    return s.kind === 'Response' ? { tone: 'error', state: 'unsigned', text: 'not signed' } : { tone: 'neutral', state: 'unsigned', text: 'not signed (normal for this message)' };
  }
  const what = parts || 'HTTP-Redirect signature';
  const invalid = own.find((f) => f.checkId === 'signature-invalid' && f.severity === 'error');
  if (invalid) return { tone: 'error', state: 'invalid', text: `${what}: invalid (${invalid.title})` };
  const unverifiable = own.find((f) => f.checkId === 'signature-invalid');
  if (unverifiable) return { tone: 'warning', state: 'not checked', text: `${what}: not checked (${unverifiable.message})` };
  if (!checked) return { tone: 'neutral', state: 'not checked', text: `${what}: not checked (the verifier has not run on this capture)` };
  const cert = own.find((f) => f.checkId === 'signature-cert-mismatch');
  if (cert?.severity === 'error') return { tone: 'error', state: 'verified', text: `${what}: verified, but not with a certificate AWS holds` };
  if (cert?.messageKey === 'pinned') return { tone: 'ok', state: 'verified', text: `${what}: verified (certificate pinned on first sight: a note)` };
  if (cert?.messageKey === 'notConfigured') return { tone: 'ok', state: 'verified', text: `${what}: verified (whether AWS holds this certificate is unknown until you configure it)` };
  const weak = own.some((f) => f.checkId === 'signature-weak-algorithm' && f.severity !== 'info');
  return { tone: weak ? 'warning' : 'ok', state: 'verified', text: `${what}: verified${weak ? ' (with SHA-1)' : ''}` };
}
