import type { Evidence } from '../types.ts';
import { AWS_USERS, ENTRA_NAMEID_CONDITIONS, ENTRA_NAMEID_FORMAT } from './fixes.ts';
import { defineCheck } from './types.ts';
import { attributeValue, EMAIL_CLAIMS, isGuestUpn, primaryAssertion } from './util.ts';

const FIX =
  `${ENTRA_NAMEID_CONDITIONS}: add a condition for User type "Members" with source attribute user.userprincipalname and one for ` +
  `"All guests" with source attribute user.mail, as AWS recommends for guests; keep ${ENTRA_NAMEID_FORMAT}. ` +
  `The guest's user name in ${AWS_USERS} must then be exactly that mail address.`;

export const nameidGuest = defineCheck({
  id: 'nameid-guest',
  severity: 'error',
  title: 'NameID is a guest UPN (#EXT#) that Identity Center does not expect',
  docs:
    'Guest (B2B) users have a UPN of the form alias_theirdomain#EXT#@yourdomain; sent as NameID it matches no Identity Center user name, because provisioning does not send that form. ' +
    'AWS recommends a claim condition that sends user.mail as the NameID for guests.',
  facts: ['A1.6', 'B2.8', 'D2.4', 'A1.3'],
  appliesTo: ['Response'],
  messages: {
    guest:
      'The NameID {nameId} is a guest user principal name (#EXT# form), which Identity Center does not expect. AWS recommends the guest\'s email (user.mail) as NameID for guests; here that would be {email}.',
    guestNoMail:
      'The NameID {nameId} is a guest user principal name (#EXT# form), which Identity Center does not expect. AWS recommends the guest\'s email (user.mail) as NameID for guests, but this response carries no usable email claim: check that the guest has a mail value in Entra.',
  },
  titles: {
    guest: 'NameID is a guest UPN (#EXT#) that Identity Center does not expect',
    guestNoMail: 'NameID is a guest UPN (#EXT#), and no email claim to use instead',
  },
  run(ctx, report) {
    const a = primaryAssertion(ctx.message);
    const nid = a?.nameId;
    if (!a || !nid || !isGuestUpn(nid.value)) return;
    const email = attributeValue(a, EMAIL_CLAIMS);
    const usable = email && !isGuestUpn(email.value) ? email : undefined;
    const evidence: Evidence[] = [
      {
        label: 'NameID',
        expected: usable?.value ?? "the guest's email address (user.mail)",
        actual: nid.value,
        path: nid.path,
        source: usable ? `the email claim (${usable.name}), what user.mail as NameID would send` : "AWS's recommendation for guests: user.mail",
      },
    ];
    if (email) evidence.push({ label: `email claim (${email.name})`, actual: email.value, path: email.path });
    if (usable) {
      report({ message: 'guest', data: { nameId: nid.value, email: usable.value }, evidence, fix: FIX });
    } else {
      report({ message: 'guestNoMail', data: { nameId: nid.value }, evidence, fix: FIX });
    }
  },
});
