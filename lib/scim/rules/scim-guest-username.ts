import { ENTRA_NAMEID_CONDITIONS } from '../../checks/fixes.ts';
import { ENTRA_PROVISIONING_USER_MAPPINGS } from '../fixes.ts';
import { leaves } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { sameAttr } from '../attributes.ts';

/** alias_theirdomain.com#EXT#@tenant.onmicrosoft.com → alias@theirdomain.com (FACTS B2.8, D2.4). */
export function guestMailForm(upn: string): string | undefined {
  const m = /^(.+)_([^_#]+)#EXT#@/i.exec(upn);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

export const scimGuestUsername = defineScimRule({
  id: 'scim-guest-username',
  severity: 'warning',
  title: 'The user name is a guest\'s #EXT# UPN',
  docs:
    'A B2B guest\'s UPN looks like alias_theirdomain#EXT#@yourtenant; Entra strips #EXT# when userPrincipalName is the provisioning source, so a #EXT# user name means a raw originalUserPrincipalName or a custom expression. ' +
    'AWS advises sending guests\' mail as the SAML NameID, and the NameID must equal the user name exactly, so this user will not be able to sign in.',
  facts: ['A1.3', 'A1.6', 'B2.8', 'D2.4'],
  appliesTo: ['User', 'PatchOp'],
  messages: {
    guest:
      'The user name {value} is a guest\'s #EXT# UPN. The SAML NameID AWS advises for guests is their mail (e.g. {mail}), and sign-in matches the NameID against the user name exactly, so the two will not match.',
  },
  run({ payload: p }, report) {
    if (p.resource === 'Group') return;
    for (const l of leaves(p)) {
      if (!sameAttr(l.attr, 'userName') || typeof l.value !== 'string' || !/#EXT#/i.test(l.value)) continue;
      const mail = guestMailForm(l.value) ?? 'alias@theirdomain';
      report({
        message: 'guest',
        data: { value: l.value, mail },
        evidence: [{ label: 'userName', expected: `${mail} (the guest's own address)`, actual: l.value, path: l.pointer }],
        fix:
          `${ENTRA_PROVISIONING_USER_MAPPINGS}: map userPrincipalName (Entra removes #EXT# for guests) or mail → userName, not originalUserPrincipalName; ` +
          `and for sign-in, add a claim condition for guests with source user.mail in ${ENTRA_NAMEID_CONDITIONS}.`,
      });
    }
  },
});
