import { ENTRA_PROVISIONING_GROUP_MAPPINGS, ENTRA_PROVISIONING_USER_MAPPINGS } from '../fixes.ts';
import { leaves } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { RESERVED_NAMES, sameAttr } from '../attributes.ts';

export const scimReservedName = defineScimRule({
  id: 'scim-reserved-name',
  severity: 'error',
  title: 'The name is reserved by Identity Center',
  docs:
    'Identity Center reserves Administrator and AWSAdministrators: no user may have that user name and no group that display name. ' +
    'Provisioning an Entra group or account called that fails on every cycle.',
  facts: ['C5.4'],
  appliesTo: ['User', 'Group', 'PatchOp'],
  messages: {
    reserved: 'The {what} {value} is reserved by Identity Center and cannot be used for a {resource}.',
    caseOnly:
      'The {what} {value} differs from the reserved name {reserved} only in letter case; AWS does not say whether the reservation ignores case, so it may be refused.',
  },
  run({ payload: p }, report) {
    const attr = p.resource === 'Group' ? 'displayName' : 'userName';
    for (const l of leaves(p)) {
      if (!sameAttr(l.attr, attr) || typeof l.value !== 'string') continue;
      const v = l.value.trim();
      const exact = RESERVED_NAMES.find((r) => r === v);
      const folded = exact ?? RESERVED_NAMES.find((r) => r.toLowerCase() === v.toLowerCase());
      if (!folded) continue;
      const resource = p.resource === 'Group' ? 'group' : 'user';
      report({
        message: exact ? 'reserved' : 'caseOnly',
        ...(exact ? {} : { severity: 'warning' as const }),
        data: { what: p.resource === 'Group' ? 'group name' : 'user name', value: l.value, resource, reserved: folded },
        evidence: [{ label: attr, expected: `not ${RESERVED_NAMES.join(' or ')}`, actual: l.value, path: l.pointer }],
        fix:
          p.resource === 'Group'
            ? `Rename the group in Entra, or map a prefixed name in ${ENTRA_PROVISIONING_GROUP_MAPPINGS} (e.g. Join("", "Entra-", [displayName])).`
            : `Give the account another user principal name, or leave it out of provisioning; see ${ENTRA_PROVISIONING_USER_MAPPINGS}.`,
      });
    }
  },
});
