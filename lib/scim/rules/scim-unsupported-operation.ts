import { ENTRA_PROVISIONING, ENTRA_PROVISIONING_GROUP_MAPPINGS } from '../fixes.ts';
import { getAttr, isObj, patchOperations, pathAttr } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import { sameAttr } from '../attributes.ts';

const OPS = ['add', 'replace', 'remove'];
const FIX_CLIENT =
  'This request was not written by Entra\'s AWS IAM Identity Center gallery app: change the script or tool that sends it to use the form AWS documents ' +
  '(lower-case add / replace / remove, a path on every remove, only eq in path filters).';
const FIX_ENTRA_FLAG =
  `If it comes from a non-gallery Entra SCIM app, use the gallery app "AWS IAM Identity Center" instead, or add the aadOptscim062020 flag to the Tenant URL in ${ENTRA_PROVISIONING} → Admin Credentials for RFC-compliant PATCH requests.`;

/** Operators other than eq, and or/not, outside quoted values (FACTS C3.1, C4.1). */
export function badFilterOperators(filter: string): string[] {
  const bare = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const out = new Set<string>();
  for (const m of bare.matchAll(/\b(ne|co|sw|ew|gt|lt|ge|le|pr|or|not)\b/gi)) out.add(m[1]!.toLowerCase());
  return [...out];
}

export const scimUnsupportedOperation = defineScimRule({
  id: 'scim-unsupported-operation',
  severity: 'error',
  title: 'A PATCH operation or request Identity Center does not support',
  docs:
    'Identity Center takes PATCH operations add, replace and remove, with a path on every remove, only eq in path filters, no remove of userName or active, at most one change of each per request, ' +
    'and for groups neither replacing nor removing all members; it has no PUT for groups and no /Bulk, /Me or /Search. Entra\'s older non-compliant PATCH shape (capitalised ops, "False" as a string) is flagged too.',
  facts: ['C4.1', 'C4.2', 'C4.3', 'C4.5', 'C4.6', 'C2.1', 'C2.2'],
  appliesTo: ['PatchOp', 'User', 'Group'],
  messages: {
    noOperations: 'The PATCH request has no Operations.',
    opMissing: 'Operation {index} has no op; Identity Center requires one of add, replace, remove.',
    opUnknown: 'Operation {index} has op {op}; Identity Center supports only add, replace and remove: HTTP 400.',
    opCase:
      'The operations are written {ops}: Entra\'s older non-compliant PATCH form. AWS documents lower-case add, replace and remove; a request that Identity Center does not parse fails with HTTP 400.',
    removeNoPath: 'Operation {index} is a remove without a path; Identity Center requires a path on remove: HTTP 400.',
    noValue: 'Operation {index} ({op}) has no value; Identity Center requires a value for add and replace: HTTP 400.',
    removeForbidden: 'Operation {index} removes {attr}; Identity Center does not allow remove on userName or active (send replace, e.g. active = false).',
    repeated: 'The request changes {attr} {count} times; Identity Center supports one operation on userName and on active per request.',
    filterOperator: 'The path {path} filters with {ops}; Identity Center allows only eq (and "and") in PATCH path filters: HTTP 400.',
    replaceMembers:
      'Operation {index} replaces the group\'s members{empty}. Identity Center does not support replacing all memberships in one request (HTTP 400 ValidationException); add and remove members one by one.',
    removeAllMembers: 'Operation {index} removes all members (remove on members without a filter or value); Identity Center refuses removing all memberships in one request: HTTP 400.',
    activeString: 'active is the string {value}, which is neither true nor false: Identity Center takes true or false (a boolean, or the string "true"/"false" as Entra and AWS\'s own example send it).',
    removeByValue:
      'Operation {index} removes members by value ({count}) with path "members": Entra\'s older form. The RFC form is path members[value eq "<id>"]; whether Identity Center takes both is not documented.',
    putGroup: 'The request is a PUT on a group; Identity Center has no PutGroup: groups change only through PATCH.',
    endpoint: 'The request goes to {endpoint}, which Identity Center does not support.',
  },
  run({ payload: p }, report) {
    const path = p.http?.path ?? '';
    if (p.http?.method === 'PUT' && /\/Groups\b/i.test(path)) {
      report({ message: 'putGroup', evidence: [{ label: 'request', expected: 'PATCH /Groups/{id}', actual: `PUT ${path}` }], fix: `${FIX_CLIENT} Send the changes as a PATCH.` });
    }
    const ep = /\/(Bulk|Me|Search)\b|\/\.search\b/i.exec(path);
    if (ep) {
      report({ message: 'endpoint', data: { endpoint: `/${ep[1] ?? '.search'}` }, evidence: [{ label: 'request', expected: '/Users, /Groups, /ServiceProviderConfig, /Schemas, /ResourceTypes', actual: `${p.http?.method ?? ''} ${path}`.trim() }], fix: FIX_CLIENT });
    }
    if (p.kind !== 'PatchOp') return;
    const ops = patchOperations(p);
    if (!ops.length) {
      report({ message: 'noOperations', severity: 'warning', evidence: [{ label: 'Operations', expected: 'one or more operations', actual: '[]', path: `${p.pointer}/Operations` }], fix: FIX_CLIENT });
      return;
    }
    const capitalised: string[] = [];
    const counts = new Map<string, { n: number; pointers: string[] }>();
    const count = (attr: string, pointer: string) => {
      const key = attr.toLowerCase() === 'username' ? 'userName' : 'active';
      const c = counts.get(key) ?? { n: 0, pointers: [] };
      c.n++;
      c.pointers.push(pointer);
      counts.set(key, c);
    };
    for (const op of ops) {
      const i = String(op.index);
      if (op.opRaw === undefined) {
        report({ message: 'opMissing', data: { index: i }, evidence: [{ label: `Operations[${i}].op`, expected: 'add, replace or remove', actual: '(missing)', path: op.pointer }], fix: FIX_CLIENT });
        continue;
      }
      if (typeof op.opRaw !== 'string' || !OPS.includes(op.op!)) {
        report({ message: 'opUnknown', data: { index: i, op: JSON.stringify(op.opRaw) }, evidence: [{ label: `Operations[${i}].op`, expected: 'add, replace or remove', actual: String(op.opRaw), path: `${op.pointer}/op` }], fix: FIX_CLIENT });
        continue;
      }
      if (op.opRaw !== op.op && !capitalised.includes(op.opRaw)) capitalised.push(op.opRaw);
      if (op.op === 'remove' && (typeof op.pathRaw !== 'string' || op.pathRaw.trim() === '')) {
        report({ message: 'removeNoPath', data: { index: i }, evidence: [{ label: `Operations[${i}]`, expected: 'remove with a path', actual: JSON.stringify({ op: op.opRaw, ...(op.hasValue ? { value: op.value } : {}) }), path: op.pointer }], fix: FIX_CLIENT });
        continue;
      }
      if ((op.op === 'add' || op.op === 'replace') && !op.hasValue) {
        report({ message: 'noValue', data: { index: i, op: op.opRaw }, evidence: [{ label: `Operations[${i}].value`, expected: 'a value', actual: '(missing)', path: op.pointer }], fix: FIX_CLIENT });
      }
      if (op.path) {
        const attr = pathAttr(op.path);
        if (op.path.filter !== undefined) {
          const bad = badFilterOperators(op.path.filter);
          if (bad.length) {
            report({ message: 'filterOperator', data: { path: op.path.raw, ops: bad.join(', ') }, evidence: [{ label: `Operations[${i}].path`, expected: 'attr[sub eq "value"]', actual: op.path.raw, path: `${op.pointer}/path` }], fix: FIX_CLIENT });
          }
        }
        if (sameAttr(attr, 'userName') || sameAttr(attr, 'active')) {
          count(attr, `${op.pointer}/path`);
          if (op.op === 'remove') {
            report({ message: 'removeForbidden', data: { index: i, attr: sameAttr(attr, 'active') ? 'active' : 'userName' }, evidence: [{ label: `Operations[${i}]`, expected: 'replace', actual: `${op.opRaw} ${op.path.raw}`, path: op.pointer }], fix: `${FIX_CLIENT} To disable a user, replace active with false.` });
          }
        }
        // "true"/"false" as strings: Entra's default, and AWS's own PatchUser example: accepted.
        if (sameAttr(attr, 'active') && typeof op.value === 'string' && !/^(true|false)$/i.test(op.value.trim())) {
          report({ message: 'activeString', severity: 'warning', data: { value: JSON.stringify(op.value) }, evidence: [{ label: 'active', expected: 'true or false (boolean)', actual: JSON.stringify(op.value), path: `${op.pointer}/value` }], fix: FIX_ENTRA_FLAG });
        }
        if (p.resource !== 'User' && op.path.base.toLowerCase() === 'members' && !op.path.urn) {
          if (op.op === 'replace' && op.path.filter === undefined) {
            const empty = Array.isArray(op.value) && op.value.length === 0;
            report({
              message: 'replaceMembers',
              data: { index: i, empty: empty ? ' with an empty list (seen to answer 204 and leave the group unchanged)' : '' },
              evidence: [{ label: `Operations[${i}]`, expected: 'add / remove of single members', actual: `${op.opRaw} members${Array.isArray(op.value) ? ` (${op.value.length} values)` : ''}`, path: op.pointer }],
              fix: `${FIX_CLIENT} ${ENTRA_PROVISIONING_GROUP_MAPPINGS}`,
            });
          }
          if (op.op === 'remove' && op.path.filter === undefined) {
            if (!op.hasValue || op.value === null || (Array.isArray(op.value) && op.value.length === 0)) {
              report({ message: 'removeAllMembers', data: { index: i }, evidence: [{ label: `Operations[${i}]`, expected: 'remove members[value eq "<id>"]', actual: `${op.opRaw} members`, path: op.pointer }], fix: FIX_CLIENT });
            } else if (Array.isArray(op.value)) {
              report({
                message: 'removeByValue',
                severity: 'info',
                data: { index: i, count: `${op.value.length} member${op.value.length === 1 ? '' : 's'}` },
                evidence: [{ label: `Operations[${i}]`, expected: 'remove members[value eq "<id>"]', actual: `${op.opRaw} members value=${JSON.stringify(op.value)}`, path: op.pointer }],
                fix: FIX_ENTRA_FLAG,
              });
            }
          }
        }
      } else if (isObj(op.value)) {
        for (const k of Object.keys(op.value)) {
          if (sameAttr(k, 'userName') || sameAttr(k, 'active')) count(k, `${op.pointer}/value/${k}`);
        }
        const active = getAttr(op.value, 'active');
        if (typeof active === 'string' && !/^(true|false)$/i.test(active.trim())) {
          report({ message: 'activeString', severity: 'warning', data: { value: JSON.stringify(active) }, evidence: [{ label: 'active', expected: 'true or false (boolean)', actual: JSON.stringify(active), path: `${op.pointer}/value` }], fix: FIX_ENTRA_FLAG });
        }
        if (op.op === 'replace' && p.resource !== 'User' && getAttr(op.value, 'members') !== undefined) {
          report({ message: 'replaceMembers', data: { index: i, empty: '' }, evidence: [{ label: `Operations[${i}]`, expected: 'add / remove of single members', actual: 'replace with value.members', path: op.pointer }], fix: FIX_CLIENT });
        }
      }
    }
    for (const [attr, c] of counts) {
      if (c.n <= 1) continue;
      report({ message: 'repeated', data: { attr, count: c.n }, evidence: c.pointers.map((ptr, k) => ({ label: `${attr} (change ${k + 1})`, path: ptr, actual: attr })), fix: FIX_CLIENT });
    }
    if (capitalised.length) {
      report({
        message: 'opCase',
        severity: 'warning',
        data: { ops: capitalised.map((o) => `"${o}"`).join(', ') },
        evidence: [{ label: 'op', expected: capitalised.map((o) => o.toLowerCase()).join(', '), actual: capitalised.join(', '), path: `${p.pointer}/Operations` }],
        fix: FIX_ENTRA_FLAG,
      });
    }
  },
});
