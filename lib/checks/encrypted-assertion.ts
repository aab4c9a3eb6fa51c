import { ENTRA_TOKEN_ENCRYPTION } from './fixes.ts';
import { defineCheck } from './types.ts';

const FIX =
  `${ENTRA_TOKEN_ENCRYPTION}: select the active certificate's "…" menu → "Deactivate token encryption certificate" (or delete the certificate). ` +
  'Identity Center cannot decrypt: it accepts no encryption key in the IdP metadata.';

export const encryptedAssertion = defineCheck({
  id: 'encrypted-assertion',
  severity: 'error',
  title: 'The assertion (or part of it) is encrypted',
  docs:
    'IAM Identity Center does not support encrypted SAML assertions and has no place for an encryption key, so it cannot read an EncryptedAssertion and refuses the sign-in. ' +
    'Entra encrypts assertions only when token encryption is turned on for the app.',
  facts: ['A2.2', 'A10', 'A1.3'],
  appliesTo: ['Response'],
  messages: {
    encryptedAssertion:
      'The Response carries an EncryptedAssertion instead of an Assertion; Identity Center does not support encrypted assertions ("An unexpected error has occurred").',
    encryptedId:
      'The Subject of the Assertion {assertionId} holds an EncryptedID instead of a NameID; Identity Center cannot decrypt it, so it has no user name to match.',
    encryptedAttribute:
      'The Assertion {assertionId} carries {count} EncryptedAttribute element{plural}; Identity Center cannot decrypt them, so those claims (and any AccessControl attributes among them) are lost. AWS does not document whether it refuses the sign-in.',
  },
  titles: {
    encryptedAssertion: 'The assertion is encrypted',
    encryptedId: 'The NameID is encrypted (EncryptedID)',
    encryptedAttribute: 'Attributes are encrypted (EncryptedAttribute)',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    for (const e of m.encryptedAssertions) {
      report({
        message: 'encryptedAssertion',
        evidence: [{ label: 'assertion', expected: 'a plain saml:Assertion', actual: 'saml:EncryptedAssertion', path: e.path }],
        fix: FIX,
      });
    }
    for (const a of m.assertions) {
      const assertionId = a.id ?? '(no ID)';
      if (a.encryptedId) {
        report({
          message: 'encryptedId',
          data: { assertionId },
          evidence: [{ label: 'Subject identifier', expected: 'saml:NameID (email address)', actual: 'saml:EncryptedID', path: `${a.path}/Subject/EncryptedID` }],
          fix: FIX,
        });
      }
      if (a.encryptedAttributeCount > 0) {
        report({
          message: 'encryptedAttribute',
          severity: 'warning',
          data: { assertionId, count: a.encryptedAttributeCount, plural: a.encryptedAttributeCount > 1 ? 's' : '' },
          evidence: [
            {
              label: 'EncryptedAttribute elements',
              expected: '0',
              actual: String(a.encryptedAttributeCount),
              path: `${a.path}/AttributeStatement`,
            },
          ],
          fix: FIX,
        });
      }
    }
  },
});
