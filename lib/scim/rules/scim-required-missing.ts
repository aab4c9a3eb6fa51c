import { ENTRA_PROVISIONING_GROUP_MAPPINGS, ENTRA_PROVISIONING_USER_MAPPINGS, ENTRA_PROVISION_ON_DEMAND, ENTRA_USER_PROPERTIES } from '../fixes.ts';
import { getAttr, isObj, keyOf, patchOperations, pathAttr } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { USER_REQUIRED } from '../attributes.ts';

const FIX_USER =
  `Fill First name, Last name and Display name on the user in ${ENTRA_USER_PROPERTIES}, and check that ${ENTRA_PROVISIONING_USER_MAPPINGS} maps ` +
  'givenName → name.givenName, surname → name.familyName, displayName → displayName and userPrincipalName → userName. ' +
  `Then retry with ${ENTRA_PROVISION_ON_DEMAND}.`;

const ENTRA_SOURCE: Record<string, string> = {
  userName: 'userPrincipalName',
  'name.givenName': 'givenName (First name)',
  'name.familyName': 'surname (Last name)',
  displayName: 'displayName (Display name)',
};

export const scimRequiredMissing = defineScimRule({
  id: 'scim-required-missing',
  severity: 'error',
  title: 'A required attribute is missing',
  docs:
    'Identity Center creates a user only with userName, name.givenName, name.familyName and displayName, and a group only with displayName. ' +
    'Entra users without a first name, last name or display name are therefore never provisioned, and cannot sign in (there is no just-in-time creation).',
  facts: ['C5.1', 'C4.4', 'A1.4'],
  appliesTo: ['User', 'Group', 'PatchOp'],
  messages: {
    missing: 'The {resource} has no {attrs}. Identity Center requires {required} and refuses the request with HTTP 400.',
    removed: 'This PATCH removes {attr}, which Identity Center requires on every {resource}: expect HTTP 400, or a user left without it.',
  },
  run({ payload: p }, report) {
    if (p.kind === 'User' || p.kind === 'Group') {
      const required = p.kind === 'User' ? [...USER_REQUIRED] : ['displayName'];
      const missing: { attr: string; path: string }[] = [];
      const name = getAttr(p.body, 'name');
      for (const a of required) {
        if (a.startsWith('name.')) {
          const v = isObj(name) ? getAttr(name, a.slice(5)) : undefined;
          if (v === undefined || v === null) missing.push({ attr: a, path: isObj(name) ? `${p.pointer}/${keyOf(p.body, 'name')}` : p.pointer || '/' });
        } else {
          const v = getAttr(p.body, a);
          if (v === undefined || v === null) missing.push({ attr: a, path: p.pointer || '/' });
        }
      }
      if (!missing.length) return;
      report({
        message: 'missing',
        data: { resource: p.kind === 'User' ? 'user' : 'group', attrs: missing.map((m) => m.attr).join(', '), required: required.join(', ') },
        evidence: missing.map((m) => ({
          label: m.attr,
          expected: p.kind === 'User' ? `a value (Entra: ${ENTRA_SOURCE[m.attr]})` : 'a value',
          actual: '(missing)',
          path: m.path,
        })),
        fix: p.kind === 'User' ? FIX_USER : `${ENTRA_PROVISIONING_GROUP_MAPPINGS}: map displayName → displayName, and give the Entra group a name.`,
      });
      return;
    }
    if (p.resource === 'Group') {
      for (const op of patchOperations(p)) {
        if (!op.path || pathAttr(op.path).toLowerCase() !== 'displayname') continue;
        if (op.op === 'remove' || ((op.op === 'replace' || op.op === 'add') && op.value === null)) {
          report({
            message: 'removed',
            data: { attr: 'displayName', resource: 'group' },
            evidence: [{ label: `Operations[${op.index}]`, expected: 'a display name', actual: `${String(op.opRaw)} ${op.path.raw}`, path: op.pointer }],
            fix: `${ENTRA_PROVISIONING_GROUP_MAPPINGS}: keep displayName mapped; give the Entra group a name.`,
          });
        }
      }
      return;
    }
    // A user PATCH (or one whose target is unknown): removing a required name attribute.
    for (const op of patchOperations(p)) {
      if (!op.path) continue;
      const attr = pathAttr(op.path);
      const hit = ['name.givenName', 'name.familyName', 'displayName', 'name'].find((a) => a.toLowerCase() === attr.toLowerCase());
      if (!hit) continue;
      const removes = op.op === 'remove' || ((op.op === 'replace' || op.op === 'add') && op.value === null);
      if (!removes) continue;
      report({
        message: 'removed',
        severity: 'warning',
        data: { attr: hit === 'name' ? 'name (givenName and familyName)' : hit, resource: 'user' },
        evidence: [{ label: `Operations[${op.index}]`, expected: 'a value', actual: `${String(op.opRaw)} ${op.path.raw}${op.hasValue ? ` = ${JSON.stringify(op.value)}` : ''}`, path: op.pointer }],
        fix: FIX_USER,
      });
    }
  },
});
