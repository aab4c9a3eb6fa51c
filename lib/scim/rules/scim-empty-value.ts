import { ENTRA_PROVISIONING_USER_MAPPINGS, FIX_USER_DATA } from '../fixes.ts';
import { leaves } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { sameAttr, USER_REQUIRED } from '../attributes.ts';

export const scimEmptyValue = defineScimRule({
  id: 'scim-empty-value',
  severity: 'error',
  title: 'An attribute is an empty string',
  docs:
    'Identity Center takes a value or no attribute at all, never "": an empty given name fails with "Member must have length greater than or equal to 1". ' +
    'Entra sends "" when a mapping produces an empty text (an expression over a blank attribute), so the user fails every cycle.',
  facts: ['C5.3', 'C5.6', 'C6', 'D1.7'],
  appliesTo: ['User', 'Group', 'PatchOp'],
  messages: {
    required: '{attr} is an empty string. Identity Center requires a value of at least 1 character and answers HTTP 400 ("Value at \'{attr}\' failed to satisfy constraint: Member must have length greater than or equal to 1").',
    other: '{attr} is an empty string. Identity Center accepts a value or no attribute, not "" (HTTP 400 "Request is unparsable, syntactically incorrect, or violates schema.").',
  },
  run({ payload: p }, report) {
    for (const l of leaves(p)) {
      if (l.value !== '' || sameAttr(l.attr, 'schemas')) continue;
      const required = (USER_REQUIRED as readonly string[]).some((a) => sameAttr(a, l.attr)) || (p.resource === 'Group' && sameAttr(l.attr, 'displayName'));
      report({
        message: required ? 'required' : 'other',
        data: { attr: l.attr },
        evidence: [{ label: l.attr, expected: 'a value, or leave the attribute out', actual: '', path: l.pointer }],
        fix: required
          ? FIX_USER_DATA
          : `${ENTRA_PROVISIONING_USER_MAPPINGS}: for optional attributes, map only attributes that are filled, or wrap the expression so it yields nothing instead of "" (Entra skips null attributes). ${FIX_USER_DATA}`,
      });
    }
  },
});
