import type { AttributeInfo } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { AWS_ABAC, ENTRA_CLAIMS } from './fixes.ts';
import { defineCheck } from './types.ts';
import { ACCESS_CONTROL_PREFIX, AWS_SAML_ATTRIBUTES_NS, parseAccessControlName } from './util.ts';

const MAX_ATTRIBUTES = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;
/** Tag characters IAM allows: letters, numbers, spaces and _ . : / = + - @ (FACTS A8.8). */
const BAD_CHAR = /[^\p{L}\p{N} _.:/=+\-@]/gu;

const FIX_CLAIM = `${ENTRA_CLAIMS}: open the AccessControl:<Key> claim`;
const FIX_NAME =
  `${ENTRA_CLAIMS}: edit the claim so that Name is "AccessControl:<Key>" and Namespace is exactly "${AWS_SAML_ATTRIBUTES_NS}" ` +
  '(https, this case, no trailing slash); Entra joins them into https://aws.amazon.com/SAML/Attributes/AccessControl:<Key>.';

const chars = (s: string) => [...s].length;
const badChars = (s: string) => [...new Set(s.match(BAD_CHAR) ?? [])];
const show = (cs: string[]) => cs.map((c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c)).map((c) => `"${c}"`).join(' ');

export const accesscontrolInvalid = defineCheck({
  id: 'accesscontrol-invalid',
  severity: 'error',
  title: 'AccessControl attributes break the ABAC rules',
  docs:
    'With attributes for access control enabled, Identity Center refuses a sign-in with "An unexpected error has occurred" when the AccessControl attributes are multi-valued, duplicated, structured XML or more than 50. ' +
    'Other flaws (empty values, tag keys or values too long, disallowed characters, a wrong namespace) let the sign-in through but lose or break the session tag.',
  facts: ['A8.1', 'A8.2', 'A8.6', 'A8.7', 'A8.8', 'A10'],
  appliesTo: ['Response'],
  messages: {
    multiValued:
      'AccessControl:{key} carries {count} values; AWS session tags must be single-valued, and with attributes for access control enabled Identity Center answers a multi-valued AccessControl attribute with "An unexpected error has occurred".',
    duplicate:
      'The attribute {name} appears {count} times; with attributes for access control enabled, duplicate AccessControl names make Identity Center answer "An unexpected error has occurred".',
    tooMany:
      'The assertion carries {count} AccessControl attributes; with attributes for access control enabled, Identity Center allows at most 50 (and STS at most 50 session tags) and answers more with "An unexpected error has occurred".',
    structured:
      'AccessControl:{key} holds structured XML instead of text; with attributes for access control enabled, Identity Center does not accept structured values and answers with "An unexpected error has occurred".',
    emptyValue:
      'AccessControl:{key} arrives with an empty value. AWS allows empty tag values, but from Entra this almost always means the source attribute is empty for this user, so the tag carries nothing.',
    emptyKey: 'An attribute is named {name} with no tag key after "AccessControl:"; AWS tag keys may not be empty.',
    keyTooLong: 'The tag key {key} is {length} characters long; AWS session tag keys may have at most 128.',
    valueTooLong: 'The value of AccessControl:{key} is {length} characters long; AWS session tag values may have at most 256.',
    badCharacters:
      'The tag {part} of AccessControl:{key} contains {characters}; AWS tags allow only letters, numbers, spaces and _ . : / = + - @.',
    awsPrefix: 'The tag {part} of AccessControl:{key} starts with "aws:", which AWS reserves for itself.',
    caseDuplicate:
      'The AccessControl names {names} differ only in upper/lower case; IAM treats tag keys case-insensitively, so they collide as one tag.',
    wrongNamespace:
      'The attribute {name} looks meant as an AccessControl tag but is not named {expectedName} ({problems}), so Identity Center ignores it.',
  },
  titles: {
    multiValued: 'An AccessControl attribute has several values',
    duplicate: 'An AccessControl attribute appears more than once',
    tooMany: 'More than 50 AccessControl attributes',
    structured: 'An AccessControl value holds XML',
    emptyValue: 'An AccessControl attribute is empty',
    emptyKey: 'An AccessControl attribute has no tag key',
    keyTooLong: 'An AccessControl tag key is too long',
    valueTooLong: 'An AccessControl tag value is too long',
    badCharacters: 'An AccessControl tag has characters AWS does not allow',
    awsPrefix: 'An AccessControl tag starts with the reserved "aws:"',
    caseDuplicate: 'Two AccessControl keys differ only in letter case',
    wrongNamespace: 'An attribute looks like AccessControl but is not named as one',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    for (const a of m.assertions) {
      const statementPath = a.attributes[0]?.path.replace(/\/[^/]+$/, '') ?? a.path;
      const tags: { at: AttributeInfo; key: string }[] = [];
      for (const at of a.attributes) {
        const ac = parseAccessControlName(at.name);
        if (!ac) continue;
        if (ac.wellFormed) {
          tags.push({ at, key: ac.key });
          continue;
        }
        if (ac.problems.length === 0) {
          report({
            message: 'emptyKey',
            severity: 'warning',
            data: { name: at.name },
            evidence: [{ label: 'Attribute Name', expected: `${ACCESS_CONTROL_PREFIX}<Key>`, actual: at.name, path: at.path }],
            fix: FIX_NAME,
          });
          continue;
        }
        report({
          message: 'wrongNamespace',
          severity: 'warning',
          data: { name: at.name, expectedName: `${ACCESS_CONTROL_PREFIX}${ac.key.trim()}`, problems: ac.problems.join('; ') },
          evidence: [{ label: 'Attribute Name', expected: `${ACCESS_CONTROL_PREFIX}${ac.key.trim()}`, actual: at.name, path: at.path }],
          fix: FIX_NAME,
        });
      }
      if (tags.length === 0) continue;

      // Refused by Identity Center (A8.2).
      if (tags.length > MAX_ATTRIBUTES) {
        report({
          message: 'tooMany',
          data: { count: tags.length },
          evidence: [{ label: 'AccessControl attributes', expected: `at most ${MAX_ATTRIBUTES}`, actual: String(tags.length), path: statementPath }],
          fix: `${ENTRA_CLAIMS}: remove AccessControl claims until at most 50 remain (keep the keys the permission-set policies test; ${AWS_ABAC} lists them).`,
        });
      }
      const byName = new Map<string, AttributeInfo[]>();
      for (const t of tags) byName.set(t.at.name, [...(byName.get(t.at.name) ?? []), t.at]);
      for (const [name, list] of byName) {
        if (list.length < 2) continue;
        report({
          message: 'duplicate',
          data: { name, count: list.length },
          evidence: list.map((at, i) => ({
            label: `${name} (${i + 1} of ${list.length})`,
            expected: 'one Attribute element with this name',
            actual: at.values.map((v) => v.value).join(' | ') || '(no value)',
            path: at.path,
          })),
          fix: `${ENTRA_CLAIMS}: two claims produce ${name}; delete one of them.`,
        });
      }
      const byLower = new Map<string, Set<string>>();
      for (const t of tags) byLower.set(t.at.name.toLowerCase(), (byLower.get(t.at.name.toLowerCase()) ?? new Set()).add(t.at.name));
      for (const set of byLower.values()) {
        if (set.size < 2) continue;
        const names = [...set];
        report({
          message: 'caseDuplicate',
          severity: 'warning',
          data: { names: names.join(', ') },
          evidence: names.map((n) => ({
            label: 'AccessControl attribute',
            expected: 'one name per tag key, whatever the case',
            actual: n,
            path: tags.find((t) => t.at.name === n)!.at.path,
          })),
          fix: `${ENTRA_CLAIMS}: keep one of these claims and delete the others.`,
        });
      }

      for (const { at, key } of tags) {
        if (at.values.length > 1) {
          const ev: Evidence[] = [
            { label: `AccessControl:${key}`, expected: 'exactly one AttributeValue', actual: `${at.values.length} AttributeValue elements`, path: at.path },
            ...at.values.map((v, i) => ({ label: `value ${i + 1}`, actual: v.value, path: v.path })),
          ];
          report({
            message: 'multiValued',
            data: { key, count: at.values.length },
            evidence: ev,
            fix: `${FIX_CLAIM.replace('<Key>', key)} and choose a single-valued source attribute (not groups or another multi-valued attribute).`,
          });
        }
        const structured = at.values.filter((v) => v.structured);
        if (structured.length) {
          report({
            message: 'structured',
            data: { key },
            evidence: structured.map((v) => ({ label: `AccessControl:${key} value`, expected: 'plain text', actual: '(XML elements)', path: v.path })),
            fix: `${FIX_CLAIM.replace('<Key>', key)} and use a plain string source attribute or transformation.`,
          });
        }
        const texts = at.values.filter((v) => !v.structured);
        if (at.values.length === 0 || texts.some((v) => v.value === '')) {
          const v = texts.find((x) => x.value === '');
          report({
            message: 'emptyValue',
            severity: 'warning',
            data: { key },
            evidence: [{ label: `AccessControl:${key} value`, expected: 'a value', actual: '(empty)', path: v?.path ?? at.path }],
            fix: `Give this user a value for the source attribute of the AccessControl:${key} claim (${ENTRA_CLAIMS} shows which attribute it is), or add a claim condition so that it is sent only when the attribute is set.`,
          });
        }
        if (chars(key) > MAX_KEY) {
          report({
            message: 'keyTooLong',
            severity: 'warning',
            data: { key, length: chars(key) },
            evidence: [{ label: 'tag key', expected: `at most ${MAX_KEY} characters`, actual: key, path: at.path }],
            fix: `${ENTRA_CLAIMS}: rename the claim AccessControl:<Key> to a key of at most 128 characters, and the key in ${AWS_ABAC} and the policies with it.`,
          });
        }
        for (const v of texts) {
          if (chars(v.value) > MAX_VALUE) {
            report({
              message: 'valueTooLong',
              severity: 'warning',
              data: { key, length: chars(v.value) },
              evidence: [{ label: `AccessControl:${key} value`, expected: `at most ${MAX_VALUE} characters`, actual: v.value, path: v.path }],
              fix: `${FIX_CLAIM.replace('<Key>', key)} and use a source attribute whose values fit in 256 characters.`,
            });
          }
        }
        const parts: { part: 'key' | 'value'; text: string; path: string }[] = [
          { part: 'key', text: key, path: at.path },
          ...texts.map((v) => ({ part: 'value' as const, text: v.value, path: v.path })),
        ];
        for (const p of parts) {
          const bad = badChars(p.text);
          if (bad.length) {
            report({
              message: 'badCharacters',
              severity: 'warning',
              data: { part: p.part, key, characters: show(bad) },
              evidence: [{ label: `tag ${p.part}`, expected: 'letters, numbers, spaces and _ . : / = + - @ only', actual: p.text, path: p.path }],
              fix:
                p.part === 'key'
                  ? `${ENTRA_CLAIMS}: rename the claim AccessControl:${key} with allowed characters only, and the key in ${AWS_ABAC} with it.`
                  : `${FIX_CLAIM.replace('<Key>', key)} and use a source attribute (or a claim transformation) that yields allowed characters only.`,
            });
          }
          if (/^aws:/i.test(p.text)) {
            report({
              message: 'awsPrefix',
              severity: 'warning',
              data: { part: p.part, key },
              evidence: [{ label: `tag ${p.part}`, expected: 'not starting with "aws:"', actual: p.text, path: p.path }],
              fix:
                p.part === 'key'
                  ? `${ENTRA_CLAIMS}: rename the claim AccessControl:${key} so that the key does not start with "aws:".`
                  : `${FIX_CLAIM.replace('<Key>', key)} and change the source so that the value does not start with "aws:".`,
            });
          }
        }
      }
    }
  },
});
