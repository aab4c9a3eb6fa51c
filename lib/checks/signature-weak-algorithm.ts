import type { SignatureInfo } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { ENTRA_SIGNING_ALGORITHM } from './fixes.ts';
import { defineCheck } from './types.ts';
import { isWeakSignatureAlgorithm, tenantOfIssuer } from './util.ts';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

const FIX_ENTRA = `${ENTRA_SIGNING_ALGORITHM}: choose SHA-256 (Entra's default), then Save.`;
const FIX_OTHER =
  'The sender chose this algorithm. For messages from Entra: ' +
  FIX_ENTRA +
  ' For messages from IAM Identity Center (AuthnRequests are normally unsigned), AWS chooses the algorithm; note it in a support case.';

/** "SHA-1", "MD5" or "SHA-1 and MD5": the weak hashes these algorithm URIs name. */
export function weakHashes(uris: string[]): string {
  const md5 = uris.some((u) => /md5$/i.test(u.trim()));
  const sha1 = uris.some((u) => /sha1$/i.test(u.trim()));
  return sha1 && md5 ? 'SHA-1 and MD5' : md5 ? 'MD5' : 'SHA-1';
}

function where(s: SignatureInfo, rootPath: string): string {
  if (s.parentPath === rootPath) return `the ${s.parentLocal} signature`;
  return `the signature in ${s.parentLocal} (${s.parentPath})`;
}

export const signatureWeakAlgorithm = defineCheck({
  id: 'signature-weak-algorithm',
  severity: 'warning',
  title: 'The signature uses a weak hash (SHA-1 or MD5)',
  docs:
    'SHA-1 is broken for collision resistance (MD5 long before it), and signatures made with them are being retired everywhere. ' +
    'Entra signs with SHA-256 by default and offers SHA-1 only for old applications; which algorithms AWS accepts is not documented.',
  facts: ['B3.2', 'A2.5', 'E4'],
  appliesTo: ['Response', 'AuthnRequest', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    xml: '{where} uses {hash}: {algorithms}.',
    redirect: 'The HTTP-Redirect signature uses {hash}: SigAlg={sigAlg}.',
  },
  titles: {
    xml: 'The signature uses a weak hash (SHA-1 or MD5)',
    redirect: 'The HTTP-Redirect signature uses a weak hash (SHA-1 or MD5)',
  },
  run(ctx, report) {
    const m = ctx.message;
    const fromEntra = !!tenantOfIssuer(m.issuer?.value);
    const fix = m.kind === 'AuthnRequest' ? FIX_OTHER : fromEntra || m.kind === 'Response' ? FIX_ENTRA : FIX_OTHER;
    for (const s of m.allSignatures) {
      const evidence: Evidence[] = [];
      if (isWeakSignatureAlgorithm(s.signatureMethod)) {
        evidence.push({
          label: 'SignatureMethod',
          expected: RSA_SHA256,
          actual: s.signatureMethod!,
          path: `${s.path}/SignedInfo/SignatureMethod/@Algorithm`,
          source: "Entra's default signing algorithm (SHA-256)",
        });
      }
      s.references.forEach((r, i) => {
        if (!isWeakSignatureAlgorithm(r.digestMethod)) return;
        evidence.push({
          label: `DigestMethod${s.references.length > 1 ? ` (Reference ${i + 1})` : ''}`,
          expected: SHA256,
          actual: r.digestMethod!,
          path: `${s.path}/SignedInfo/Reference${s.references.length > 1 ? `[${i + 1}]` : ''}/DigestMethod/@Algorithm`,
          source: "Entra's default signing algorithm (SHA-256)",
        });
      });
      if (evidence.length === 0) continue;
      const w = where(s, m.rootPath);
      report({
        message: 'xml',
        data: {
          where: w.charAt(0).toUpperCase() + w.slice(1),
          hash: weakHashes(evidence.map((e) => e.actual ?? '')),
          algorithms: evidence.map((e) => `${e.label} ${e.actual}`).join(', '),
        },
        evidence,
        fix,
      });
    }
    const sigAlg = ctx.capture.sigAlg;
    if (sigAlg !== undefined && isWeakSignatureAlgorithm(sigAlg)) {
      report({
        message: 'redirect',
        data: { sigAlg, hash: weakHashes([sigAlg]) },
        evidence: [
          {
            label: 'SigAlg query parameter',
            expected: RSA_SHA256,
            actual: sigAlg,
            ...(ctx.capture.url ? { path: `SigAlg in ${ctx.capture.url}` } : { path: 'SigAlg query parameter' }),
            source: 'SHA-256, the algorithm Entra uses by default',
          },
        ],
        fix,
      });
    }
  },
});
