import { STATUS_PREFIX, type SignatureInfo } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { ENTRA_SIGNIN_LOGS, ENTRA_SIGNING_OPTION } from './fixes.ts';
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
  title: 'No signature protects the response or its assertion',
  docs:
    'With the HTTP-POST binding every assertion must be signed, either itself or through the signed Response that carries it; ' +
    'an unsigned assertion could have been written by anyone, so the service provider refuses it. A ds:Signature without a SignatureValue or a Reference protects nothing. ' +
    'When a usable signature exists elsewhere in the message (a wrapping shape), signature-wrapping reports it instead.',
  facts: ['A2.8', 'E3', 'A2.6', 'A2.7', 'B3.1', 'E2'],
  appliesTo: ['Response'],
  messages: {
    unsigned:
      'Neither the Response nor the Assertion {assertionId} carries a ds:Signature: nothing protects the assertion, and Identity Center expects a signed assertion.',
    hollow:
      'The Assertion {assertionId} is not protected: the signature{plural} present ({gaps}) cannot be verified, which is as good as no signature.',
    failedUnsigned:
      'A note, not the cause: this Response reports the failure {status} and {what}. The sign-in failed because of the status (status-not-success says why); the signature matters only once the status is fixed, when the assertion Entra sends must be signed, as Identity Center expects.',
  },
  titles: {
    unsigned: 'No signature protects the response or its assertion',
    hollow: 'The signatures present cannot protect the assertion',
    failedUnsigned: 'The failure response is unsigned (a note: the status is the cause)',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    const responseSigned = m.signatures.some(isUsableSignature);
    if (responseSigned) return;
    const code = m.status?.code?.trim();
    if (code !== undefined && code !== `${STATUS_PREFIX}Success`) {
      // A failed sign-in: the status is the cause, so the missing signature is only a note.
      if (m.allSignatures.some(isUsableSignature)) return;
      const unsignedAssertions = m.assertions.filter((a) => !a.signatures.some(isUsableSignature));
      const what = m.assertions.length === 0 ? 'carries no usable signature (and no assertion)' : `neither it nor its Assertion ${m.assertions[0]!.id ?? '(no ID)'} carries a usable signature`;
      report({
        message: 'failedUnsigned',
        severity: 'info',
        data: { status: code.startsWith(STATUS_PREFIX) ? code.slice(STATUS_PREFIX.length) : code, what },
        evidence: [
          {
            label: 'Response signature',
            expected: 'a ds:Signature on the Response or on its Assertion (once the status is Success)',
            actual: describe(m.signatures),
            path: m.signatures[0]?.path ?? m.rootPath,
          },
          ...unsignedAssertions.map((a) => ({ label: 'Assertion signature', expected: 'a ds:Signature with SignatureValue and one Reference', actual: describe(a.signatures), path: a.signatures[0]?.path ?? a.path })),
          { label: 'Status', expected: `${STATUS_PREFIX}Success`, actual: code, path: m.status!.path },
        ],
        fix: `First fix what the status reports (see the status-not-success finding and ${ENTRA_SIGNIN_LOGS}). Then, if the successful response is still unsigned: ${FIX}`,
      });
      return;
    }
    // A response without assertions and without a failed status: nothing to protect here
    // (status-not-success reports a missing Status).
    if (m.assertions.length === 0) return;
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
