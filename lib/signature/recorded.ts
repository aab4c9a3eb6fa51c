// Signature verdicts that travel with a redacted export (issue 14, item 6): their shape, read
// from a file (outside input: only what the verifier writes is accepted). lib/evidence/recorded.ts
// attaches them on export; verifyMessages uses them instead of verifying rewritten bytes.
import type { RecordedSignature } from '../types.ts';
import type { MessageVerdict, RecordedCertificateInfo } from './types.ts';
import { describeCertificate, isCertificateError } from './cert.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || isStr(v);
const STATUSES = new Set(['valid', 'invalid', 'unverifiable']);
const PROBLEMS = new Set(['reference', 'signature-value', 'unsupported-algorithm', 'no-key', 'malformed']);
const REF_PROBLEMS = new Set(['unresolved', 'ambiguous', 'external', 'unsupported-transform', 'unsupported-digest', 'digest-mismatch']);
/** Bounds on what a file may claim (a real message has one or two signatures). */
const MAX_SIGNATURES = 8;
const MAX_REFERENCES = 8;
const MAX_CERTS = 8;

function problems(v: unknown, allowed: Set<string>): boolean {
  return Array.isArray(v) && v.length <= 8 && v.every((p) => isStr(p) && allowed.has(p));
}

function reference(v: unknown): boolean {
  if (!isObj(v) || typeof v.ok !== 'boolean') return false;
  if (v.problem !== undefined && !(isStr(v.problem) && REF_PROBLEMS.has(v.problem))) return false;
  return ['uri', 'detail', 'signedPath', 'signedLocal', 'signedId', 'digestMethod', 'digestValue', 'computedDigest'].every((k) => optStr(v[k]));
}

function signature(v: unknown): boolean {
  if (!isObj(v) || !isStr(v.path) || !isStr(v.parentPath) || !isStr(v.status) || !STATUSES.has(v.status)) return false;
  if (!problems(v.problems, PROBLEMS)) return false;
  if (!Array.isArray(v.references) || v.references.length > MAX_REFERENCES || !v.references.every(reference)) return false;
  if (!Array.isArray(v.keyInfoCertificates) || v.keyInfoCertificates.length > MAX_CERTS || !v.keyInfoCertificates.every(isStr)) return false;
  if (v.keySource !== undefined && v.keySource !== 'keyinfo' && v.keySource !== 'expected') return false;
  if (v.certificateInfo !== undefined && !certificateInfo(v.certificateInfo)) return false;
  return ['detail', 'signatureMethod', 'c14nMethod', 'signingCertificate'].every((k) => optStr(v[k]));
}

const isTime = (v: unknown) => v === undefined || (isStr(v) && !Number.isNaN(Date.parse(v)));

function certificateInfo(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (!['subject', 'issuer', 'sha1', 'sha256', 'keyType'].every((k) => isStr(v[k]))) return false;
  if (v.keySize !== undefined && !(typeof v.keySize === 'number' && Number.isFinite(v.keySize))) return false;
  return isTime(v.notBefore) && isTime(v.notAfter);
}

function redirect(v: unknown): boolean {
  if (!isObj(v) || !isStr(v.status) || !STATUSES.has(v.status) || !problems(v.problems, PROBLEMS)) return false;
  if (v.keySource !== undefined && v.keySource !== 'expected') return false;
  return ['detail', 'sigAlg', 'signedString', 'signingCertificate', 'malformed'].every((k) => optStr(v[k]));
}

/**
 * A recorded verdict read from a file, or why it is refused: the shape the verifier writes, and
 * nothing else (a file is outside input).
 */
export function readRecordedSignature(v: unknown): { ok: true; value: RecordedSignature } | { ok: false; why: string } {
  if (!isObj(v)) return { ok: false, why: 'is not an object' };
  if (v.verifiedAt !== undefined && !(isStr(v.verifiedAt) && !Number.isNaN(Date.parse(v.verifiedAt)))) return { ok: false, why: 'has a verifiedAt that is not a time' };
  const verdict = v.verdict;
  if (!isObj(verdict)) return { ok: false, why: 'has no verdict object' };
  if (!Array.isArray(verdict.signatures) || verdict.signatures.length > MAX_SIGNATURES || !verdict.signatures.every(signature)) {
    return { ok: false, why: 'has a verdict whose signatures are not in the shape samlscope writes' };
  }
  if (verdict.redirect !== undefined && !redirect(verdict.redirect)) return { ok: false, why: 'has a redirect verdict not in the shape samlscope writes' };
  const value: RecordedSignature = { verdict: verdict as unknown as RecordedSignature['verdict'] };
  if (isStr(v.verifiedAt)) value.verifiedAt = v.verifiedAt;
  return { ok: true, value };
}

/**
 * The recorded verdict of a message, without its message id (ids change on re-import), with what
 * each signing certificate said (its dates are judged again on re-analysis, and the export may
 * mask the certificate itself). `maskThumbprints`: the export masks certificates, so their
 * thumbprints (which name them as well) are not written either.
 */
export function toRecorded(v: MessageVerdict, verifiedAt: Date, maskThumbprints = false): RecordedSignature {
  const { messageId: _id, ...verdict } = v;
  verdict.signatures = verdict.signatures.map((s) => {
    const cert = s.signingCertificate ?? s.keyInfoCertificates[0];
    const info = cert ? describeCertificate(cert) : undefined;
    if (!info || isCertificateError(info)) return s;
    const ci: RecordedCertificateInfo = {
      subject: info.subject,
      issuer: info.issuer,
      sha1: maskThumbprints ? 'redacted' : info.sha1,
      sha256: maskThumbprints ? 'redacted' : info.sha256,
      keyType: info.keyType,
    };
    if (info.keySize !== undefined) ci.keySize = info.keySize;
    if (info.notBefore) ci.notBefore = info.notBefore.toISOString();
    if (info.notAfter) ci.notAfter = info.notAfter.toISOString();
    return { ...s, certificateInfo: ci };
  });
  return { verdict, verifiedAt: verifiedAt.toISOString() };
}

