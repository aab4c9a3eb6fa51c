import { expect, it } from 'vitest';
import { ruleTable, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';
import { guestMailForm } from '../../../lib/scim/rules/scim-guest-username.ts';

const GUEST = 'alex_fabrikam.com#EXT#@contoso.onmicrosoft.com';

ruleTable(
  'scim-guest-username',
  [...CLEAN, { name: 'guest provisioned with userPrincipalName (Entra strips #EXT#)', body: entraUser({ userName: 'alex@fabrikam.com' }) }],
  [
    {
      name: 'guest #EXT# UPN as user name',
      body: entraUser({ userName: GUEST }),
      key: 'guest',
      severity: 'warning',
      messageHas: [GUEST, 'alex@fabrikam.com'],
      evidence: [{ label: 'userName', expected: "alex@fabrikam.com (the guest's own address)", actual: GUEST, path: '/userName' }],
    },
    { name: 'lower-case #ext# in a PATCH', body: patch([{ op: 'replace', path: 'userName', value: 'kim_example.org#ext#@contoso.onmicrosoft.com' }]), key: 'guest', severity: 'warning', messageHas: ['kim@example.org'] },
  ],
);

it('guestMailForm keeps underscores of the alias', () => {
  expect(guestMailForm('john_smith_fabrikam.com#EXT#@contoso.onmicrosoft.com')).toBe('john_smith@fabrikam.com');
  expect(guestMailForm('alex@contoso.com')).toBeUndefined();
});
