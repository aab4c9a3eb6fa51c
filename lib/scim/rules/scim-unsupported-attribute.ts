import { ENTRA_PROVISIONING_GROUP_MAPPINGS, ENTRA_PROVISIONING_USER_MAPPINGS } from '../fixes.ts';
import { canon, getAttr, isObj, keyOf, leaves, patchOperations, pathAttr } from '../payload.ts';
import { defineScimRule } from '../types.ts';
import {
  ENTERPRISE_KNOWN,
  GROUP_KNOWN,
  PATCH_GROUP_ALLOWED,
  PATCH_USER_ALLOWED,
  SINGLE_VALUED_LISTS,
  USER_KNOWN,
  USER_UNSUPPORTED,
  sameAttr,
  topOf,
} from '../attributes.ts';

const has = (list: readonly string[], n: string) => list.some((x) => x.toLowerCase() === n.toLowerCase());
const ENTERPRISE_RE = /^urn:ietf:params:scim:schemas:extension:enterprise:2\.0:user$/i;
/**
 * An enterprise attribute named in full, as Entra writes it in its standards-compliant mode
 * (aadOptscim062020): "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" (FACTS C4.6).
 */
const ENTERPRISE_ATTR_RE = /^urn:ietf:params:scim:schemas:extension:enterprise:2\.0:user:([\w.]+)$/i;
const FIX_USER = `${ENTRA_PROVISIONING_USER_MAPPINGS}: delete the mapping whose target attribute is the one named here (Identity Center does not store it).`;
const FIX_GROUP = `${ENTRA_PROVISIONING_GROUP_MAPPINGS}: map only displayName, externalId and members.`;

export const scimUnsupportedAttribute = defineScimRule({
  id: 'scim-unsupported-attribute',
  severity: 'warning',
  title: 'An attribute Identity Center does not support',
  docs:
    'Identity Center stores the core User attributes and the enterprise extension, but not ims, photos, x509Certificates, entitlements, password, a user\'s groups, or the display sub-attribute of emails, phone numbers and addresses. ' +
    'PATCH may change only a fixed list of attributes (for groups: displayName, members and externalId); other targets are refused.',
  facts: ['C5.2', 'C4.2', 'C4.3', 'D1.5'],
  appliesTo: ['User', 'Group', 'PatchOp'],
  messages: {
    unsupported: '{attr} is not supported by Identity Center: expect it to be dropped, or the request refused with HTTP 400.',
    rolesDisplay: 'roles.display is refused by Identity Center: AWS documents a role with a display sub-attribute as not supported, and the request fails (HTTP 400).',
    groups: 'groups cannot be set on a user in Identity Center: memberships are added by PATCHing the group\'s members.',
    unknown: '{attr} is not a SCIM {resource} attribute Identity Center knows: expect it to be dropped, or the request refused.',
    extension: 'The extension schema {attr} is not supported by Identity Center (only the core schema and the enterprise extension).',
    patchNotAllowed: 'PATCH on a {resource} may change only {allowed}; {attr} is not one of them, so Identity Center refuses it (HTTP 400).',
  },
  run({ payload: p }, report) {
    const at = (k: string, base = p.pointer) => `${base}/${k}`;
    const userSub = (obj: Record<string, unknown>, pointer: string) => {
      for (const list of SINGLE_VALUED_LISTS) {
        const k = keyOf(obj, list);
        const v = k ? obj[k] : undefined;
        const items = Array.isArray(v) ? v : isObj(v) ? [v] : [];
        items.forEach((it, i) => {
          if (isObj(it) && getAttr(it, 'display') !== undefined) {
            report({
              message: list === 'roles' ? 'rolesDisplay' : 'unsupported',
              // AWS documents roles with display as refused (FACTS C5.11): an error, not a dropped value.
              ...(list === 'roles' ? { severity: 'error' as const } : {}),
              data: { attr: `${list}.display` },
              evidence: [{ label: `${list}.display`, expected: '(not sent)', actual: String(getAttr(it, 'display')), path: `${pointer}/${k}${Array.isArray(v) ? `/${i}` : ''}/${keyOf(it, 'display')}` }],
              fix: FIX_USER,
            });
          }
        });
      }
    };
    if (p.kind === 'User') {
      for (const k of Object.keys(p.body)) {
        const v = p.body[k];
        if (/^urn:/i.test(k)) {
          const named = ENTERPRISE_ATTR_RE.exec(k)?.[1];
          if (named) {
            const sub = named.split('.')[0]!;
            if (!has(ENTERPRISE_KNOWN, sub)) report({ message: 'unknown', data: { attr: `enterprise.${named}`, resource: 'enterprise' }, evidence: [{ label: `enterprise.${named}`, actual: JSON.stringify(v), path: at(k) }], fix: FIX_USER });
            continue;
          }
          if (!ENTERPRISE_RE.test(k)) {
            report({ message: 'extension', data: { attr: k }, evidence: [{ label: 'extension', expected: 'core or enterprise schema', actual: k, path: at(k) }], fix: FIX_USER });
            continue;
          }
          if (!isObj(v)) continue;
          for (const ek of Object.keys(v)) {
            if (!has(ENTERPRISE_KNOWN, ek)) {
              report({ message: 'unknown', data: { attr: `enterprise.${ek}`, resource: 'enterprise' }, evidence: [{ label: `enterprise.${ek}`, actual: JSON.stringify(v[ek]), path: at(ek, at(k)) }], fix: FIX_USER });
            } else if (sameAttr(ek, 'manager') && isObj(v[ek]) && getAttr(v[ek] as Record<string, unknown>, 'displayName') !== undefined) {
              report({ message: 'unsupported', data: { attr: 'enterprise.manager.displayName' }, evidence: [{ label: 'manager.displayName', expected: '(not sent)', actual: String(getAttr(v[ek] as Record<string, unknown>, 'displayName')), path: at('displayName', at(ek, at(k))) }], fix: FIX_USER });
            }
          }
          continue;
        }
        if (has(['schema'], k)) continue;
        if (sameAttr(k, 'groups')) {
          report({ message: 'groups', data: {}, evidence: [{ label: 'groups', expected: '(not sent on a user)', actual: JSON.stringify(v), path: at(k) }], fix: FIX_USER });
        } else if (has(USER_UNSUPPORTED, k)) {
          report({ message: 'unsupported', data: { attr: canon(k) }, evidence: [{ label: canon(k), expected: '(not sent)', actual: sameAttr(k, 'password') ? '(a password)' : JSON.stringify(v), path: at(k) }], fix: FIX_USER });
        } else if (!has(USER_KNOWN, k)) {
          report({ message: 'unknown', data: { attr: k, resource: 'User' }, evidence: [{ label: k, actual: JSON.stringify(v), path: at(k) }], fix: FIX_USER });
        } else if (sameAttr(k, 'meta') && isObj(v) && getAttr(v, 'version') !== undefined) {
          report({ message: 'unsupported', data: { attr: 'meta.version' }, evidence: [{ label: 'meta.version', expected: '(not sent)', actual: String(getAttr(v, 'version')), path: at('version', at(k)) }], fix: FIX_USER });
        }
      }
      userSub(p.body, p.pointer);
      return;
    }
    if (p.kind === 'Group') {
      for (const k of Object.keys(p.body)) {
        if (has(GROUP_KNOWN, k) || sameAttr(k, 'schema')) continue;
        report({ message: 'unknown', data: { attr: k, resource: 'Group' }, evidence: [{ label: k, actual: JSON.stringify(p.body[k]), path: at(k) }], fix: FIX_GROUP });
      }
      return;
    }
    if (p.kind !== 'PatchOp') return;
    const allowed = p.resource === 'Group' ? PATCH_GROUP_ALLOWED : PATCH_USER_ALLOWED;
    for (const op of patchOperations(p)) {
      const targets: { attr: string; pointer: string; ext?: string }[] = [];
      if (op.path) {
        const ext = op.path.urn && !ENTERPRISE_RE.test(op.path.urn) ? op.path.urn : undefined;
        targets.push({ attr: pathAttr(op.path), pointer: `${op.pointer}/path`, ...(ext ? { ext } : {}) });
      } else if (isObj(op.value)) {
        for (const k of Object.keys(op.value)) {
          if (sameAttr(k, 'schemas')) continue;
          const ext = /^urn:/i.test(k) && !ENTERPRISE_RE.test(k) && !ENTERPRISE_ATTR_RE.test(k) ? k : undefined;
          targets.push({ attr: ENTERPRISE_RE.test(k) || ENTERPRISE_ATTR_RE.test(k) ? 'enterprise' : ext ?? canon(k), pointer: `${op.pointer}/value/${k}`, ...(ext ? { ext } : {}) });
        }
      }
      for (const t of targets) {
        const top = topOf(t.attr);
        if (t.ext) {
          report({ message: 'extension', data: { attr: t.ext }, evidence: [{ label: `Operations[${op.index}]`, expected: 'core or enterprise schema', actual: t.attr, path: t.pointer }], fix: FIX_USER });
        } else if (p.resource && !has(allowed, top)) {
          report({
            message: 'patchNotAllowed',
            severity: 'error',
            data: { resource: p.resource === 'Group' ? 'group' : 'user', allowed: allowed.join(', '), attr: t.attr },
            evidence: [{ label: `Operations[${op.index}]`, expected: `one of ${allowed.join(', ')}`, actual: t.attr, path: t.pointer }],
            fix: p.resource === 'Group' ? FIX_GROUP : FIX_USER,
          });
        } else if (!p.resource && has(USER_UNSUPPORTED, top)) {
          report({ message: 'unsupported', data: { attr: t.attr }, evidence: [{ label: `Operations[${op.index}]`, expected: '(not changed)', actual: t.attr, path: t.pointer }], fix: FIX_USER });
        }
      }
    }
    if (p.resource !== 'Group') {
      for (const l of leaves(p)) {
        if (/^(emails|phoneNumbers|addresses)\.display$/i.test(l.attr)) {
          report({ message: 'unsupported', data: { attr: l.attr }, evidence: [{ label: l.attr, expected: '(not sent)', actual: String(l.value), path: l.pointer }], fix: FIX_USER });
        }
      }
    }
  },
});
