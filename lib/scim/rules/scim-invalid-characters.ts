import { FIX_USER_DATA } from '../fixes.ts';
import { leaves } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { describeChar, NAME_ALLOWED_CHAR, NAME_ATTRS, sameAttr, USERNAME_ALLOWED_CHAR, USERNAME_FORBIDDEN } from '../attributes.ts';

const FIX =
  `${FIX_USER_DATA} For a user name, Entra's userPrincipalName never holds these characters: ` +
  'check for a mapping that builds userName from another attribute, or a Replace() expression that strips them.';

const unique = (xs: string[]) => [...new Set(xs)];

export const scimInvalidCharacters = defineScimRule({
  id: 'scim-invalid-characters',
  severity: 'error',
  title: 'A value has characters Identity Center refuses',
  docs:
    'Identity Center\'s user name admits letters, marks, symbols, numbers and punctuation except < > ; : %, and no whitespace; names and display names admit no control characters. ' +
    'Microsoft also lists tab, newline and carriage return as refused by AWS, so a request carrying them fails with HTTP 400.',
  facts: ['C5.3', 'C5.5', 'C5.6', 'C6'],
  appliesTo: ['User', 'Group', 'PatchOp'],
  messages: {
    userName: 'The user name {value} contains {chars}, which Identity Center refuses in a user name: HTTP 400.',
    name: '{attr} contains {chars}, which the Identity Store\'s pattern for names does not admit: HTTP 400.',
    listed:
      '{attr} contains {chars}. Microsoft lists these as characters Identity Center does not support (tab, newline, carriage return, < > ; : %); AWS\'s API pattern admits them in names, so the outcome is uncertain.',
  },
  run({ payload: p }, report) {
    for (const l of leaves(p)) {
      if (typeof l.value !== 'string' || l.value === '') continue;
      const v = l.value;
      const chars = [...v];
      if (p.resource !== 'Group' && sameAttr(l.attr, 'userName')) {
        const bad = unique([...(v.match(USERNAME_FORBIDDEN) ?? []), ...chars.filter((c) => !USERNAME_ALLOWED_CHAR.test(c))]);
        if (bad.length) {
          report({
            message: 'userName',
            data: { value: JSON.stringify(v), chars: bad.map(describeChar).join(', ') },
            evidence: [{ label: 'userName', expected: 'letters, digits, symbols and punctuation except < > ; : % (no spaces)', actual: v, path: l.pointer }],
            fix: FIX,
          });
        }
        continue;
      }
      const isName = p.resource !== 'Group' && NAME_ATTRS.some((a) => sameAttr(a, l.attr));
      if (isName) {
        const bad = unique(chars.filter((c) => !NAME_ALLOWED_CHAR.test(c)));
        if (bad.length) {
          report({
            message: 'name',
            data: { attr: l.attr, chars: bad.map(describeChar).join(', ') },
            evidence: [{ label: l.attr, expected: 'letters, digits, symbols, punctuation and spaces', actual: v, path: l.pointer }],
            fix: FIX_USER_DATA,
          });
          continue;
        }
      }
      // Microsoft's list (tab, newline, CR, < > ; : %): names and display names; whitespace controls anywhere.
      const listed = unique(chars.filter((c) => c === '\t' || c === '\n' || c === '\r' || ((isName || (p.resource === 'Group' && sameAttr(l.attr, 'displayName'))) && /[<>;:%]/.test(c))));
      const controls = unique(chars.filter((c) => /\p{Cc}/u.test(c) && !'\t\n\r'.includes(c)));
      if (listed.length || controls.length) {
        report({
          message: 'listed',
          severity: controls.length ? 'error' : 'warning',
          data: { attr: l.attr, chars: [...listed, ...controls].map(describeChar).join(', ') },
          evidence: [{ label: l.attr, expected: 'no tab, newline, carriage return or < > ; : %', actual: v, path: l.pointer }],
          fix: FIX_USER_DATA,
        });
      }
    }
  },
});
