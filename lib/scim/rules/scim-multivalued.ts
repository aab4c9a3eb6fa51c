import { FIX_ONE_VALUE } from '../fixes.ts';
import { canon, getAttr, isObj, jsonValue, patchOperations } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { SINGLE_VALUED_LISTS } from '../attributes.ts';

const FIX_PRIMARY =
  'Send the one email with "primary": true. In Entra the AWS app\'s default mapping targets emails[type eq "work"].value, which Entra sends as the primary email; a custom mapping or another SCIM client must set primary itself.';

const isList = (n: string) => SINGLE_VALUED_LISTS.some((x) => x.toLowerCase() === n.toLowerCase());

/** A short rendering of list items for evidence: their value (or formatted address) and type. */
function items(v: unknown[]): string {
  return v
    .map((x) => {
      if (!isObj(x)) return jsonValue(x);
      const val = getAttr(x, 'value') ?? getAttr(x, 'formatted') ?? getAttr(x, 'streetAddress');
      const type = getAttr(x, 'type');
      return `${val === undefined ? JSON.stringify(x) : jsonValue(val)}${typeof type === 'string' ? ` (${type})` : ''}`;
    })
    .join(', ');
}

export const scimMultivalued = defineScimRule({
  id: 'scim-multivalued',
  severity: 'error',
  title: 'A list attribute has more than one value',
  docs:
    'Identity Center stores one email, one phone number, one address and one role per user: "Currently list attributes only allow single item". ' +
    'Entra mapping several attributes (mobile, work phone, fax) into phoneNumbers is the usual cause, and the user is then never created or updated.',
  facts: ['C5.2', 'C5.3', 'C6'],
  appliesTo: ['User', 'PatchOp'],
  messages: {
    many:
      '{attr} has {count} values. Identity Center keeps one value per list attribute and answers HTTP 400 "Currently list attributes only allow single item" ("List attribute {attr} exceeds allowed limit of 1").',
    notPrimary:
      'The email {value} is not marked primary. Identity Center requires the emails value to be marked primary ("primary": true), and refuses the user without it (HTTP 400).',
    types:
      'This PATCH writes {attr} of {count} types ({types}); together they make a list of {count} values, which Identity Center refuses: "Currently list attributes only allow single item".',
  },
  run({ payload: p }, report) {
    const check = (obj: Record<string, unknown>, pointer: string) => {
      // CreateUser: "The emails value must be marked primary" (FACTS C5.2).
      const ek = Object.keys(obj).find((k) => k.toLowerCase() === 'emails');
      const ev = ek ? obj[ek] : undefined;
      const list = Array.isArray(ev) ? ev : isObj(ev) ? [ev] : [];
      if (list.length === 1 && isObj(list[0]) && getAttr(list[0], 'primary') !== true && String(getAttr(list[0], 'primary')).toLowerCase() !== 'true') {
        const val = getAttr(list[0], 'value');
        report({
          message: 'notPrimary',
          data: { value: jsonValue(val ?? '') },
          evidence: [{ label: 'emails[0].primary', expected: 'true', actual: getAttr(list[0], 'primary') === undefined ? '(absent)' : JSON.stringify(getAttr(list[0], 'primary')), path: `${pointer}/${ek}${Array.isArray(ev) ? '/0' : ''}` }],
          fix: `${FIX_PRIMARY}`,
        });
      }
      for (const k of Object.keys(obj)) {
        const v = obj[k];
        if (!isList(k) || !Array.isArray(v) || v.length <= 1) continue;
        const attr = canon(k);
        report({
          message: 'many',
          data: { attr, count: v.length },
          evidence: [{ label: attr, expected: '1 value', actual: `${v.length} values: ${items(v)}`, path: `${pointer}/${k}` }],
          fix: FIX_ONE_VALUE,
        });
      }
    };
    if (p.kind === 'User') {
      check(p.body, p.pointer);
      return;
    }
    if (p.kind !== 'PatchOp' || p.resource === 'Group') return;
    const byType = new Map<string, { filter: string; index: number; pointer: string }[]>();
    for (const op of patchOperations(p)) {
      if (op.op !== 'add' && op.op !== 'replace') continue;
      if (!op.path) {
        if (isObj(op.value)) check(op.value, `${op.pointer}/value`);
        continue;
      }
      const base = op.path.base;
      if (!isList(base) || op.path.urn) continue;
      const attr = canon(base);
      if (op.path.filter === undefined && op.path.sub === undefined && Array.isArray(op.value) && op.value.length > 1) {
        report({
          message: 'many',
          data: { attr, count: op.value.length },
          evidence: [{ label: `${attr} (Operations[${op.index}])`, expected: '1 value', actual: `${op.value.length} values: ${items(op.value)}`, path: `${op.pointer}/value` }],
          fix: FIX_ONE_VALUE,
        });
      }
      if (op.path.filter !== undefined && op.value !== null) {
        const f = op.path.filter.replace(/\s+/g, ' ').trim().toLowerCase();
        const list = byType.get(attr) ?? [];
        if (!list.some((x) => x.filter === f)) list.push({ filter: f, index: op.index, pointer: op.pointer });
        byType.set(attr, list);
      }
    }
    for (const [attr, list] of byType) {
      if (list.length <= 1) continue;
      const types = list.map((x) => /"([^"]*)"/.exec(x.filter)?.[1] ?? x.filter);
      report({
        message: 'types',
        data: { attr, count: list.length, types: types.join(', ') },
        evidence: list.map((x, i) => ({
          label: `${attr} (Operations[${x.index}])`,
          expected: i === 0 ? 'one type only' : '(none)',
          actual: `${attr}[${x.filter}]`,
          path: `${x.pointer}/path`,
        })),
        fix: FIX_ONE_VALUE,
      });
    }
  },
});
