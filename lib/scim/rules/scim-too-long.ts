import { ENTRA_PROVISIONING_GROUP_MAPPINGS, FIX_USER_DATA } from '../fixes.ts';
import { getAttr, isObj, keyOf, leaves, patchOperations } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { LENGTH_LIMITS, MAX_MEMBERS_PER_REQUEST, sameAttr } from '../attributes.ts';

const FIX_MEMBERS =
  `Nothing to change in Entra for its own requests (it batches memberships); for a script or another client, split the change into requests of ${MAX_MEMBERS_PER_REQUEST} members or fewer. ` +
  `Check ${ENTRA_PROVISIONING_GROUP_MAPPINGS} if groups are provisioned by hand-made requests.`;

export const scimTooLong = defineScimRule({
  id: 'scim-too-long',
  severity: 'error',
  title: 'A value or a list is over Identity Center\'s limit',
  docs:
    'The Identity Store behind the SCIM endpoint takes user names of 1–128 characters and names and display names of 1–1024, ' +
    'and one request may add at most 100 members to a group or change at most 100 memberships; longer values and bigger batches are refused.',
  facts: ['C5.3', 'C4.3', 'C4.4'],
  appliesTo: ['User', 'Group', 'PatchOp'],
  messages: {
    length: '{attr} is {length} characters long; Identity Center takes at most {max}: HTTP 400.',
    members: 'This {what} {count} members; Identity Center takes at most {max} per request: HTTP 400.',
  },
  run({ payload: p }, report) {
    if (p.resource !== 'Group') {
      for (const l of leaves(p)) {
        if (typeof l.value !== 'string') continue;
        const lim = LENGTH_LIMITS.find((x) => sameAttr(x.attr, l.attr));
        if (!lim) continue;
        const length = [...l.value].length;
        if (length <= lim.max) continue;
        report({
          message: 'length',
          data: { attr: lim.attr, length, max: lim.max },
          evidence: [{ label: lim.attr, expected: `at most ${lim.max} characters`, actual: l.value, path: l.pointer }],
          fix: FIX_USER_DATA,
        });
      }
    }
    if (p.kind === 'Group') {
      const members = getAttr(p.body, 'members');
      if (Array.isArray(members) && members.length > MAX_MEMBERS_PER_REQUEST) {
        report({
          message: 'members',
          data: { what: 'group has', count: members.length, max: MAX_MEMBERS_PER_REQUEST },
          evidence: [{ label: 'members', expected: `at most ${MAX_MEMBERS_PER_REQUEST}`, actual: `${members.length} members`, path: `${p.pointer}/${keyOf(p.body, 'members')}` }],
          fix: FIX_MEMBERS,
        });
      }
      return;
    }
    if (p.kind !== 'PatchOp' || p.resource === 'User') return;
    let changes = 0;
    for (const op of patchOperations(p)) {
      let v: unknown;
      if (op.path && op.path.base.toLowerCase() === 'members') {
        if (op.path.filter !== undefined) {
          changes += 1;
          continue;
        }
        v = op.value;
      } else if (!op.path && isObj(op.value)) v = getAttr(op.value, 'members');
      if (Array.isArray(v)) changes += v.length;
    }
    if (changes > MAX_MEMBERS_PER_REQUEST) {
      report({
        message: 'members',
        data: { what: 'PATCH request changes', count: changes, max: MAX_MEMBERS_PER_REQUEST },
        evidence: [{ label: 'membership changes', expected: `at most ${MAX_MEMBERS_PER_REQUEST}`, actual: String(changes), path: `${p.pointer}/Operations` }],
        fix: FIX_MEMBERS,
      });
    }
  },
});
