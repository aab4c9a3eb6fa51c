import { ENTRA_SIGNING_OPTION } from './fixes.ts';
import { defineCheck } from './types.ts';
import { isUsableSignature, signatureGap } from './util.ts';

const FIX =
  `${ENTRA_SIGNING_OPTION}: choose "Sign SAML assertion" (Entra's default for this app) or "Sign SAML response and assertion", then Save.`;

export const assertionUnsigned = defineCheck({
  id: 'assertion-unsigned',
  severity: 'warning',
  title: 'Only the Response is signed, not the Assertion',
  docs:
    'Identity Center\'s SP metadata asks for signed assertions (WantAssertionsSigned="true"), and Entra signs the assertion by default. ' +
    'A signed Response protects the assertion by the SAML standard, but AWS does not document that it accepts this, so keep the assertion signed.',
  facts: ['A2.6', 'A2.5', 'A2.7', 'A2.8', 'B3.1'],
  appliesTo: ['Response'],
  messages: {
    responseOnly:
      'The Response is signed but the Assertion {assertionId} is not{gap}. Identity Center\'s metadata says WantAssertionsSigned="true" (seen in public copies, not documented); Entra\'s "Sign SAML response" option produces this.',
  },
  titles: {
    responseOnly: 'Only the Response is signed, not the Assertion',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    // A usable signature at the Response level that signs the Response itself (its Reference is
    // the Response ID, or the whole document). One that sits there but signs the Assertion does
    // not make "the Response is signed": signature-wrapping reports it as misplaced.
    const signsResponse = (s: (typeof m.signatures)[number]) => s.references.some((r) => r.uri === '' || (m.id !== undefined && r.uri === `#${m.id}`));
    const responseSig = m.signatures.find((s) => isUsableSignature(s) && signsResponse(s));
    // No usable Response signature: signature-missing reports an unprotected assertion.
    if (!responseSig) return;
    for (const a of m.assertions) {
      if (a.signatures.some(isUsableSignature)) continue;
      const hollow = a.signatures[0];
      const gap = hollow ? ` (its ds:Signature has ${signatureGap(hollow) ?? 'a problem'})` : '';
      report({
        message: 'responseOnly',
        data: { assertionId: a.id ?? '(no ID)', gap },
        evidence: [
          {
            label: 'Assertion signature',
            expected: 'a ds:Signature in the Assertion (SP metadata WantAssertionsSigned="true")',
            actual: hollow ? `ds:Signature with ${signatureGap(hollow) ?? 'a problem'}` : '(no ds:Signature)',
            path: hollow?.path ?? a.path,
            source: 'AWS SP metadata (WantAssertionsSigned="true"), Entra default "Sign SAML assertion"',
          },
          { label: 'Response signature', actual: `signed (${responseSig.signatureMethod ?? 'no SignatureMethod'})`, path: responseSig.path },
        ],
        fix: FIX,
      });
    }
  },
});
