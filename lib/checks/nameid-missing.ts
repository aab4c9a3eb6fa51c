import { NAMEID_EMAIL } from '../saml/model.ts';
import { ENTRA_NAMEID_FORMAT, ENTRA_NAMEID_SOURCE, ENTRA_TOKEN_ENCRYPTION, ENTRA_SIGNIN_LOGS } from './fixes.ts';
import { defineCheck } from './types.ts';
import { primaryAssertion } from './util.ts';
import { describeOtherFormat } from './nameid-format.ts';

const FIX_NAMEID =
  `${ENTRA_NAMEID_SOURCE}: user.userprincipalname for members (user.mail for guests, with a claim condition), and ` +
  `${ENTRA_NAMEID_FORMAT}. If Entra cannot read the source attribute for a user it refuses the sign-in with AADSTS501241 ` +
  `instead (see ${ENTRA_SIGNIN_LOGS}).`;

export const nameidMissing = defineCheck({
  id: 'nameid-missing',
  severity: 'error',
  title: 'The assertion names no user (NameID missing or empty)',
  docs:
    'Identity Center finds the user by matching the NameID exactly against an existing user name, so an assertion without a NameID (or with an empty one) cannot sign anyone in. ' +
    'Entra fills the NameID from the Unique User Identifier claim; when it cannot compute it, it fails with AADSTS501241 rather than sending an empty one.',
  facts: ['A1.1', 'A1.2', 'A1.3', 'A2.2', 'B2.4', 'B2.6', 'E1', 'E3'],
  appliesTo: ['Response', 'LogoutRequest'],
  messages: {
    noSubject: 'The assertion has no Subject, so it names no user; Identity Center matches the NameID inside the Subject against its user names.',
    missing: 'The assertion\'s Subject has no NameID, so Identity Center cannot tell which user signs in.',
    empty: 'The NameID is empty, so it matches no Identity Center user name.',
    emptyOtherFormat:
      'The NameID is empty, so it matches no Identity Center user name, and its Format is {format}: Identity Center needs a user name in the email-address format {expected}. Fix both.',
    logoutMissing:
      'The LogoutRequest has no NameID, so it does not say whose session to end; SAML requires a NameID (or a BaseID or EncryptedID) in every LogoutRequest (SAML Core §3.7.1).',
    logoutEmpty: 'The LogoutRequest\'s NameID is empty, so it names no session to end (SAML Core §3.7.1).',
    encryptedId:
      'The Subject carries an EncryptedID instead of a NameID. Identity Center does not support encrypted SAML content, so it cannot read the user (encrypted-assertion reports the encryption too).',
  },
  titles: {
    noSubject: 'The assertion has no Subject (it names no user)',
    missing: 'The assertion names no user (NameID missing)',
    empty: 'The assertion names no user (NameID empty)',
    emptyOtherFormat: 'The NameID is empty and not in the email-address format',
    logoutMissing: 'The LogoutRequest names no user (NameID missing)',
    logoutEmpty: 'The LogoutRequest names no user (NameID empty)',
    encryptedId: 'The NameID is encrypted (EncryptedID)',
  },
  run(ctx, report) {
    const lr = ctx.message;
    if (lr.kind === 'LogoutRequest') {
      const expectedUser = 'the NameID the user signed in with, e.g. name@domain.com';
      const fix =
        `The sender of the LogoutRequest (its Issuer ${lr.issuer?.value ?? '(none)'}) must name the user with the NameID it received or sent at sign-in. ` +
        `If that sender is Entra, the NameID comes from ${ENTRA_NAMEID_SOURCE}; check it has a value for this user.`;
      // A BaseID or EncryptedID stands in for the NameID (Core §3.7.1): not readable here, not missing.
      if (!lr.nameId && /<(?:[\w.-]+:)?(?:BaseID|EncryptedID)[\s/>]/.test(ctx.xml)) return;
      if (!lr.nameId) {
        report({ message: 'logoutMissing', evidence: [{ label: 'NameID', expected: expectedUser, actual: '(none)', path: lr.rootPath }], fix });
      } else if (lr.nameId.value.trim() === '') {
        report({ message: 'logoutEmpty', evidence: [{ label: 'NameID', expected: expectedUser, actual: '(empty)', path: lr.nameId.path }], fix });
      }
      return;
    }
    const a = primaryAssertion(ctx.message);
    if (!a) return; // No readable assertion: status-not-success / encrypted-assertion explain why.
    const expected = `a user name, e.g. name@domain.com (Format ${NAMEID_EMAIL})`;
    if (!a.hasSubject) {
      report({
        message: 'noSubject',
        evidence: [{ label: 'Subject', expected: 'a Subject with a NameID', actual: '(none)', path: a.path }],
        fix: FIX_NAMEID,
      });
      return;
    }
    const subjectPath = `${a.path}/Subject`;
    if (!a.nameId) {
      if (a.encryptedId) {
        report({
          message: 'encryptedId',
          evidence: [{ label: 'NameID', expected, actual: '(EncryptedID)', path: `${subjectPath}/EncryptedID` }],
          fix: `${ENTRA_TOKEN_ENCRYPTION}: turn token encryption off (Identity Center supports no encryption), then check ${ENTRA_NAMEID_FORMAT}.`,
        });
        return;
      }
      report({
        message: 'missing',
        evidence: [{ label: 'NameID', expected, actual: '(none)', path: subjectPath }],
        fix: FIX_NAMEID,
      });
      return;
    }
    if (a.nameId.value.trim() === '') {
      const format = describeOtherFormat(a.nameId.format);
      const valueEvidence = { label: 'NameID', expected, actual: '(empty)', path: a.nameId.path };
      if (format !== undefined) {
        report({
          message: 'emptyOtherFormat',
          data: { format, expected: NAMEID_EMAIL },
          evidence: [
            valueEvidence,
            {
              label: 'NameID Format',
              expected: NAMEID_EMAIL,
              actual: a.nameId.format ?? '(none: unspecified)',
              path: a.nameId.path,
              source: 'required by IAM Identity Center',
            },
          ],
          fix: FIX_NAMEID,
        });
        return;
      }
      report({
        message: 'empty',
        evidence: [valueEvidence],
        fix: FIX_NAMEID,
      });
    }
  },
});
