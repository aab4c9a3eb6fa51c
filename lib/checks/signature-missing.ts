import type { SignatureInfo } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { ENTRA_SIGNING_OPTION } from './fixes.ts';
import { defineCheck } from './types.ts';
import { isUsableSignature, signatureGap } from './util.ts';

const FIX =
  `${ENTRA_SIGNING_OPTION}: choose "Sign SAML assertion" (Entra's default) or "Sign SAML response and assertion", then Save. ` +
  'Entra always signs what it sends: if this setting is already right, the message was rebuilt or altered on its way (a proxy, a test tool, a copy by hand); capture it again from the browser.';

/** What the evidence says about the signatures found directly in one element. */
function describe(sigs: SignatureInfo[]): string {
  if (sigs.length === 0) return '(no ds:Signature)';
  return sigs.map((s) => `ds:Signature with ${signatureGap(s) ?? 'a SignatureValue and a Reference'}`).join('; ');
}

export const signatureMissing = defineCheck({
  id: 'signature-missing',
  severity: 'error',
  title: 'The assertion is not protected by any signature',
  docs:
    'With the HTTP-POST binding every assertion must be signed, either itself or through the signed Response that carries it; ' +
    'an unsigned assertion could have been written by anyone, so the service provider refuses it. A ds:Signature without a SignatureValue or a Reference protects nothing. ' +
    'When a usable signature exists elsewhere in the message (a wrapping shape), signature-wrapping reports it instead.',
  facts: ['A2.8', 'E3', 'A2.6', 'A2.7', 'B3.1'],
  appliesTo: ['Response'],
  messages: {
    unsigned:
      'Neither the Response nor the Assertion {assertionId} carries a ds:Signature: nothing protects the assertion, and Identity Center expects a signed assertion.',
    hollow:
      'The Assertion {assertionId} is not protected: the signature{plural} present ({gaps}) cannot be verified, which is as good as no signature.',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    // A failed-status response without assertions has nothing to protect (status-not-success explains it).
    if (m.assertions.length === 0) return;
    const responseSigned = m.signatures.some(isUsableSignature);
    if (responseSigned) return;
    // A signature that can be verified exists, but elsewhere than on the Response or on the
    // assertion read (moved into Extensions or Advice, on a second assertion): that is the shape
    // of signature wrapping, which signature-wrapping reports. "Not signed" would send the engineer
    // to Entra's signing options, which are not the problem.
    if (m.allSignatures.some(isUsableSignature)) return;
    if (ctx.signatures?.signatures.some((v) => v.status === 'valid')) return;
    for (const a of m.assertions) {
      if (a.signatures.some(isUsableSignature)) continue;
      const evidence: Evidence[] = [
        {
          label: 'Response signature',
          expected: 'a ds:Signature with SignatureValue and one Reference (or one in the Assertion)',
          actual: describe(m.signatures),
          path: m.signatures[0]?.path ?? m.rootPath,
        },
        {
          label: 'Assertion signature',
          expected: 'a ds:Signature with SignatureValue and one Reference',
          actual: describe(a.signatures),
          path: a.signatures[0]?.path ?? a.path,
        },
      ];
      const hollow = [...m.signatures, ...a.signatures];
      const assertionId = a.id ?? '(no ID)';
      if (hollow.length === 0) {
        report({ message: 'unsigned', data: { assertionId }, evidence, fix: FIX });
      } else {
        const gaps = hollow.map((s) => `${s.parentLocal}: ${signatureGap(s) ?? 'usable'}`).join('; ');
        report({ message: 'hollow', data: { assertionId, plural: hollow.length > 1 ? 's' : '', gaps }, evidence, fix: FIX });
      }
    }
  },
});
