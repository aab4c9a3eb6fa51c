import type { Evidence } from '../types.ts';
import { AWS_USERS, ENTRA_NAMEID_SOURCE, ENTRA_PROVISIONING_USER_MAPPINGS } from './fixes.ts';
import { defineCheck } from './types.ts';
import {
  attributeValue,
  describeSurroundingWhitespace,
  EMAIL_CLAIMS,
  guestUpnToAddress,
  isGuestUpn,
  primaryAssertion,
  rawTextAt,
  UPN_CLAIMS,
} from './util.ts';

const MATCH_RULE = 'Identity Center matches the NameID exactly against the user name (not the email address)';

function difference(expected: string, actual: string): string {
  return expected.toLowerCase() === actual.toLowerCase() ? 'they differ only in upper/lower case' : 'they are different values';
}

export const nameidMismatch = defineCheck({
  id: 'nameid-mismatch',
  severity: 'error',
  title: 'NameID cannot match the Identity Center user name',
  docs:
    'Identity Center signs in the existing user whose user name equals the NameID exactly; the email address in Identity Center plays no part. ' +
    'Users provisioned from Entra usually get their UPN as user name, so a NameID taken from another attribute (often the mail) finds no one.',
  facts: ['A1.3', 'A1.4', 'A1.6', 'A1.7', 'A1.8', 'C5.9', 'D1.5', 'D2.4'],
  appliesTo: ['Response'],
  messages: {
    whitespace:
      'The NameID value has {whitespace}. {rule}, so "{trimmed}" with extra whitespace matches no user.',
    whitespaceReformatted:
      'The NameID value has {whitespace}. This pasted XML may have been reformatted (line breaks inside NameID); if the original message has them too, {rule} and it matches no user.',
    differs: 'The NameID {actual} is not the expected Identity Center user name {expected} ({source}). {rule}, so the sign-in fails.',
    caseOnly:
      'The NameID {actual} differs from the expected Identity Center user name {expected} ({source}) only in upper/lower case. AWS does not document whether this match is case-sensitive (its SCIM schema marks userName as not case-exact); if the sign-in fails, make them identical.',
    emailNotUpn:
      'The NameID {nameId} is the email claim, while the user principal name is {upn} ({difference}). {rule}, and users provisioned by Entra usually get their UPN as user name: this sign-in works only if this user\'s Identity Center user name is exactly {nameId}.',
    guestNotProvisionedName:
      'The NameID {nameId} is this guest\'s email, while Entra provisioning sends the guest UPN {upn} as the user name {provisioned} ({difference}). {rule}: this sign-in works only if the guest\'s Identity Center user name is exactly {nameId}.',
  },
  titles: {
    whitespace: 'NameID has extra whitespace',
    whitespaceReformatted: 'NameID may have extra whitespace (pasted XML)',
    differs: 'NameID is not the expected Identity Center user name',
    caseOnly: 'NameID differs from the user name only in letter case',
    emailNotUpn: 'NameID is the email, not the user principal name',
    guestNotProvisionedName: 'NameID is the guest\'s email, not the provisioned user name',
  },
  run(ctx, report) {
    const a = primaryAssertion(ctx.message);
    const nid = a?.nameId;
    if (!a || !nid || nid.value === '') return; // nameid-missing reports it.
    const value = nid.value;

    // 1. Whitespace around the value (the model trims; read the text as written).
    const raw = rawTextAt(ctx.xml, nid.path);
    const ws = raw !== undefined && raw !== raw.trim() ? describeSurroundingWhitespace(raw) : undefined;
    if (raw !== undefined && ws) {
      const reformatted = ctx.encoded.binding === 'unknown' && /[\r\n]/.test(raw);
      report({
        message: reformatted ? 'whitespaceReformatted' : 'whitespace',
        ...(reformatted ? { severity: 'warning' as const } : {}),
        data: { whitespace: ws, trimmed: value, rule: MATCH_RULE },
        evidence: [{ label: 'NameID (as written)', expected: value, actual: raw, path: nid.path, source: 'the NameID without the whitespace' }],
        fix:
          `Remove the whitespace from the attribute Entra reads for this user (${ENTRA_NAMEID_SOURCE}; e.g. the user's mail or an extension attribute), ` +
          'or pick an attribute without it such as user.userprincipalname.',
      });
    }

    // 2. A user name we were told to expect.
    const exp = ctx.expect.username;
    if (exp) {
      if (value === exp.value) return;
      const caseOnly = value.toLowerCase() === exp.value.toLowerCase();
      report({
        message: caseOnly ? 'caseOnly' : 'differs',
        ...(caseOnly ? { severity: 'warning' as const } : {}),
        data: { actual: value, expected: exp.value, source: exp.source, rule: MATCH_RULE },
        evidence: [{ label: 'NameID', expected: exp.value, actual: value, path: nid.path, source: exp.source }],
        fix:
          `Compare with the user name in ${AWS_USERS} (not the email address). Either change ${ENTRA_NAMEID_SOURCE} so it yields that ` +
          'user name for every user (user.userprincipalname when users are provisioned from Entra), or fix the Identity Center user name.',
      });
      return;
    }

    // 3. No user name configured: only what the claims themselves show. Never guess beyond.
    const email = attributeValue(a, EMAIL_CLAIMS);
    const upn = attributeValue(a, UPN_CLAIMS);
    if (!email || !upn) return;
    if (value.toLowerCase() !== email.value.toLowerCase() || value === upn.value) return;
    const evidence: Evidence[] = [
      { label: 'NameID', actual: value, path: nid.path },
      { label: `email claim (${email.name})`, actual: email.value, path: email.path },
      { label: `UPN claim (${upn.name})`, actual: upn.value, path: upn.path },
    ];
    if (isGuestUpn(upn.value)) {
      // AWS recommends user.mail as NameID for guests (A1.6); provisioning sends alias@theirdomain (D2.4).
      const provisioned = guestUpnToAddress(upn.value);
      if (!provisioned || provisioned === value) return;
      report({
        message: 'guestNotProvisionedName',
        severity: 'warning',
        data: { nameId: value, upn: upn.value, provisioned, difference: difference(provisioned, value), rule: MATCH_RULE },
        evidence: [
          { label: 'NameID', expected: provisioned, actual: value, path: nid.path, source: 'the user name Entra provisioning derives from the guest UPN (#EXT# and the domain removed)' },
          ...evidence.slice(1),
        ],
        fix:
          `Check the guest in ${AWS_USERS}: its user name must be exactly ${value}. If it is ${provisioned}, change that user name ` +
          `or the userName mapping in ${ENTRA_PROVISIONING_USER_MAPPINGS}, so that both sides use the guest's mail.`,
      });
      return;
    }
    if (isGuestUpn(value)) return; // nameid-guest explains it.
    report({
      message: 'emailNotUpn',
      severity: 'warning',
      data: { nameId: value, upn: upn.value, difference: difference(upn.value, value), rule: MATCH_RULE },
      evidence: [
        { label: 'NameID', expected: upn.value, actual: value, path: nid.path, source: `the UPN claim (${upn.name}), the usual Identity Center user name` },
        ...evidence.slice(1),
      ],
      fix:
        `Look the user up in ${AWS_USERS}. If its user name is ${upn.value}, set ${ENTRA_NAMEID_SOURCE} to user.userprincipalname ` +
        `(AWS's recommendation for members). If it is ${value}, nothing needs to change; set the expected Identity Center user name in samlscope's options to check it exactly.`,
    });
  },
});
