// A signature that does not verify: the signed element's digest, or the SignatureValue over the
// canonical SignedInfo, or an HTTP-Redirect signature over the raw query string. Reads the
// verdicts of lib/signature/verify.ts; without them (the synchronous path) it stays silent.
import type { Evidence } from '../types.ts';
import { signatureLabel } from '../signature/signers.ts';
import { certLabel } from '../signature/signers.ts';
import type { SignatureVerdict } from '../signature/types.ts';
import { ENTRA_CERT } from './fixes.ts';
import { defineCheck } from './types.ts';
import { rawTextAt } from './util.ts';
import { describeCertificate, isCertificateError } from '../signature/cert.ts';

const FIX_CHANGED =
  'Do not trust this message: it is not what Entra signed. Capture the sign-in again straight from the browser (not a copy edited by hand or re-encoded by a tool). ' +
  'If a fresh capture still fails, something between Entra and AWS rewrites the message (a proxy, a browser extension, an attacker): keep the capture and report it to your security team.';
const FIX_KEY =
  `Capture the sign-in again from the browser. If it still fails, the message was re-signed by something other than Entra: compare the certificate in the message with the one in ${ENTRA_CERT} (Thumbprint), and keep the capture for your security team.`;
const FIX_UNVERIFIABLE =
  'Nothing to change for the sign-in itself: samlscope could not check this signature. Configure the IdP certificate (options page, or --idp-cert / --idp-metadata on the command line) to verify signatures that carry no certificate.';

/** Why a DigestValue / SignatureValue text cannot be a base64 value; undefined when it can. */
export function base64Problem(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/[\s]+/g, '');
  if (t === '') return text === '' ? 'empty' : 'only whitespace';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) {
    const bad = [...new Set(t.replace(/[A-Za-z0-9+/=]/g, ''))].slice(0, 5).join('');
    return bad ? `not base64 (it contains ${JSON.stringify(bad)})` : 'not base64 (its length or padding is wrong)';
  }
  return undefined;
}

function where(v: SignatureVerdict, rootPath: string, rootLocal: string): string {
  return signatureLabel(v, rootPath, rootLocal);
}

export const signatureInvalid = defineCheck({
  id: 'signature-invalid',
  severity: 'error',
  title: 'The signature does not verify',
  docs:
    'A signature holds only when the signed element still hashes to its DigestValue and the SignatureValue verifies over SignedInfo with the signer\'s key. ' +
    'When either fails, the message was changed after Entra signed it (or signed with another key), and Identity Center refuses it.',
  facts: ['A2.8', 'A9.1', 'E3', 'E4'],
  appliesTo: ['Response', 'AuthnRequest', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    digest:
      'The {signed} was changed after it was signed: it now hashes ({algorithm}) to {computed}, but {where} says {expected}. The signature does not hold.',
    value:
      'The SignatureValue of {where} does not verify over its SignedInfo with the key of {certs}: SignedInfo was changed after signing, or the message was signed with another key than that certificate.',
    reference: '{where} points at {uri}, and {detail}: the signature cannot hold.',
    redirect:
      'The HTTP-Redirect signature ({sigAlg}) does not verify over the query string as it was received, with {certs}: the URL was changed, or signed with another key.',
    unverifiable: '{where} was not verified: {detail}.',
    redirectMalformed:
      'The Signature query parameter of the HTTP-Redirect message is {what}, so it cannot be a signature and nothing verifies: the signature is malformed (cut short or mangled, often when the URL was copied by hand), which is not proof that the URL was changed.',
    malformedDigest:
      'The DigestValue of {where} is {what}, so there is no digest to compare: the signature is malformed (written by hand, cut short or mangled), which is not the same as content changed after signing. It does not hold.',
    malformedValue:
      'The SignatureValue of {where} is {what}, so it cannot be a signature and nothing verifies: the signature is malformed, which is not proof that SignedInfo was changed after signing.',
  },
  titles: {
    digest: 'The signed content was changed after signing',
    value: 'The signature does not verify',
    reference: 'The signature\'s Reference cannot hold',
    redirect: 'The HTTP-Redirect signature does not verify',
    redirectMalformed: 'The HTTP-Redirect Signature parameter is empty or not base64',
    unverifiable: 'The signature could not be verified',
    malformedDigest: 'The signature\'s DigestValue is empty or not base64',
    malformedValue: 'The SignatureValue is empty or not base64',
  },
  run(ctx, report) {
    const verdict = ctx.signatures;
    if (!verdict) return; // verification did not run: say nothing rather than guess.
    const m = ctx.message;
    for (const v of verdict.signatures) {
      const w = where(v, m.rootPath, m.rootName);
      const sigEvidence: Evidence = { label: 'signature', actual: w, path: v.path };
      // A malformed DigestValue also breaks the SignatureValue (SignedInfo is no longer what was
      // signed): one cause, reported once as the malformed value.
      let malformedDigest = false;
      for (const [i, r] of v.references.entries()) {
        if (r.ok) continue;
        const refPath = `${v.path}/SignedInfo/Reference${v.references.length > 1 ? `[${i + 1}]` : ''}`;
        const malformed = r.problem === 'digest-mismatch' ? base64Problem(r.digestValue ?? '') : undefined;
        if (malformed) {
          malformedDigest = true;
          report({
            message: 'malformedDigest',
            data: { where: w, what: malformed },
            evidence: [{ label: 'DigestValue', expected: 'the base64 digest of the signed element', actual: r.digestValue === undefined || r.digestValue.trim() === '' ? '(empty)' : r.digestValue, path: `${refPath}/DigestValue` }, sigEvidence],
            fix: FIX_CHANGED,
          });
        } else if (r.problem === 'digest-mismatch') {
          report({
            message: 'digest',
            data: {
              signed: `${r.signedLocal ?? 'element'}${r.signedId ? ` ${r.signedId}` : ''} at ${r.signedPath}`,
              algorithm: r.digestMethod ?? '(none)',
              computed: r.computedDigest ?? '',
              where: w,
              expected: r.digestValue ?? '',
            },
            evidence: [
              {
                label: `digest of the signed ${r.signedLocal ?? 'element'}`,
                expected: r.digestValue ?? '',
                actual: r.computedDigest ?? '',
                path: r.signedPath ?? refPath,
                source: `DigestValue in ${refPath}`,
              },
              sigEvidence,
            ],
            fix: FIX_CHANGED,
          });
        } else if (r.problem === 'unresolved' || r.problem === 'ambiguous') {
          report({
            message: 'reference',
            data: { where: w.charAt(0).toUpperCase() + w.slice(1), uri: r.uri === undefined ? '(no URI)' : `"${r.uri}"`, detail: r.detail ?? r.problem },
            evidence: [{ label: 'Reference URI', expected: 'the ID of exactly one element', actual: r.uri ?? '(no URI attribute)', path: refPath }, sigEvidence],
            fix: FIX_CHANGED,
          });
        }
      }
      const valueText = v.problems.includes('signature-value') ? rawTextAt(ctx.xml, `${v.path}/SignatureValue`) : undefined;
      const badValue = base64Problem(valueText);
      if (badValue) {
        report({
          message: 'malformedValue',
          data: { where: w, what: badValue },
          evidence: [{ label: 'SignatureValue', expected: 'a base64 signature value', actual: valueText!.trim() === '' ? '(empty)' : valueText!, path: `${v.path}/SignatureValue` }],
          fix: FIX_CHANGED,
        });
      } else if (v.problems.includes('signature-value') && !malformedDigest && !ctx.expect.idpCertificates && v.keyInfoCertificates.length > 0 && v.keyInfoCertificates.every((c) => isCertificateError(describeCertificate(c)))) {
        // The only key on offer is a certificate that cannot be read: nothing could be checked,
        // which is not the same as a signature that does not verify.
        report({
          message: 'unverifiable',
          severity: 'info',
          data: { where: w.charAt(0).toUpperCase() + w.slice(1), detail: `its KeyInfo holds ${certLabel(v.keyInfoCertificates[0]!)}, and no IdP certificate is configured` },
          evidence: [{ label: 'certificate in KeyInfo', expected: 'a base64 DER X.509 certificate', actual: certLabel(v.keyInfoCertificates[0]!), path: `${v.path}/KeyInfo/X509Data/X509Certificate` }],
          fix: FIX_UNVERIFIABLE,
        });
      } else if (v.problems.includes('signature-value') && !malformedDigest) {
        const certs = [...new Set([...v.keyInfoCertificates])];
        report({
          message: 'value',
          data: { where: w, certs: certs.length ? certs.map(certLabel).join('; ') : 'the expected certificates' },
          evidence: [
            {
              label: 'SignatureValue',
              expected: 'verifies over the canonical SignedInfo',
              actual: v.detail ?? 'does not verify',
              path: `${v.path}/SignatureValue`,
            },
            ...certs.map((c, i) => ({ label: `certificate in KeyInfo${certs.length > 1 ? ` ${i + 1}` : ''}`, actual: certLabel(c), path: `${v.path}/KeyInfo/X509Data/X509Certificate` })),
          ],
          fix: v.references.every((r) => r.ok) ? FIX_KEY : FIX_CHANGED,
        });
      }
      if (v.status === 'unverifiable') {
        report({
          message: 'unverifiable',
          severity: 'info',
          data: { where: w.charAt(0).toUpperCase() + w.slice(1), detail: v.detail ?? v.problems.join(', ') },
          evidence: [{ label: 'signature', actual: v.detail ?? v.problems.join(', '), path: v.path }],
          fix: FIX_UNVERIFIABLE,
        });
      }
    }
    const r = verdict.redirect;
    if (r?.status === 'invalid' && r.malformed) {
      const raw = ctx.capture.signature ?? '';
      report({
        message: 'redirectMalformed',
        data: { what: r.malformed },
        evidence: [{ label: 'Signature', expected: 'a base64 signature value', actual: raw.trim() === '' ? '(empty)' : raw, path: 'Signature query parameter' }],
        fix: FIX_CHANGED,
      });
    } else if (r?.status === 'invalid') {
      report({
        message: 'redirect',
        data: {
          sigAlg: r.sigAlg ?? '(no SigAlg)',
          certs: ctx.expect.idpCertificates ? ctx.expect.idpCertificates.value.map(certLabel).join('; ') : 'the configured certificates',
        },
        evidence: [
          { label: 'signed octets (raw query)', actual: r.signedString ?? '', path: ctx.capture.url ? `query string of ${ctx.capture.url}` : 'query string' },
          { label: 'Signature', expected: 'verifies with a configured certificate', actual: r.detail ?? 'does not verify', path: 'Signature query parameter' },
        ],
        fix: FIX_CHANGED,
      });
    } else if (r?.status === 'unverifiable') {
      report({
        message: 'unverifiable',
        severity: 'info',
        data: { where: 'The HTTP-Redirect signature', detail: r.detail ?? r.problems.join(', ') },
        evidence: [{ label: 'SigAlg / Signature query parameters', actual: r.detail ?? r.problems.join(', '), path: 'Signature query parameter' }],
        fix: FIX_UNVERIFIABLE,
      });
    }
  },
});
