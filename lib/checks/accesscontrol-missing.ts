import { AWS_ABAC, ENTRA_CLAIMS } from './fixes.ts';
import { defineCheck } from './types.ts';
import { ACCESS_CONTROL_PREFIX, AWS_SAML_ATTRIBUTES_NS, parseAccessControlName } from './util.ts';

function fixFor(key: string): string {
  return (
    `${ENTRA_CLAIMS} → Add new claim: Name "AccessControl:${key}", Namespace "${AWS_SAML_ATTRIBUTES_NS}" (no trailing slash), ` +
    `Source attribute: the user attribute that holds the value. Then in ${AWS_ABAC}, make sure attributes for access control are enabled and the key "${key}" is listed.`
  );
}

export const accesscontrolMissing = defineCheck({
  id: 'accesscontrol-missing',
  severity: 'warning',
  title: 'An expected AccessControl attribute is missing',
  docs:
    'Identity Center turns each https://aws.amazon.com/SAML/Attributes/AccessControl:{Key} attribute into a session tag for attribute-based access control. ' +
    'When an expected key does not arrive, the sign-in still works but the user lacks the tag, so ABAC policies that test it deny access.',
  facts: ['A8.1', 'A8.3', 'A8.8'],
  appliesTo: ['Response'],
  messages: {
    missing:
      'The expected AccessControl key {key} does not arrive: there is no attribute named {expectedName}. The sign-in works, but the user gets no {key} session tag (unless the Attributes for access control page maps it from the identity store).',
    caseDiffers:
      'The expected AccessControl key {key} arrives as {actualKey}, which differs only in upper/lower case. IAM treats tag keys case-insensitively but keeps their case, so check that the policies and the Attributes for access control page expect the case that arrives.',
    malformedName:
      'The expected AccessControl key {key} arrives under a malformed name, {actualName} ({problems}), so Identity Center ignores it and the user gets no {key} session tag.',
    learnedMissing:
      'This sign-in carries no AccessControl:{key}, which an earlier accepted sign-in of the same Identity Center instance carried ({from}). The key was learned from that sign-in, not configured: if {key} is meant for every user, this user gets no {key} session tag and ABAC policies that test it deny access (often a user whose source attribute, such as a cost center, is empty).',
  },
  titles: {
    missing: 'An expected AccessControl attribute is missing',
    caseDiffers: 'An expected AccessControl key arrives in other letter case',
    malformedName: 'An expected AccessControl attribute has a malformed name',
    learnedMissing: 'An AccessControl key earlier sign-ins carried is missing (learned)',
  },
  run(ctx, report) {
    const m = ctx.message;
    const expected = ctx.expect.accessControlKeys;
    const learned = ctx.expect.learnedAccessControlKeys;
    if (m.kind === 'Response' && !expected && learned?.length && m.assertions[0]) {
      // Nothing configured: judge against the keys earlier accepted sign-ins taught (lib/abac/learned.ts).
      const a = m.assertions[0];
      const arrived = a.attributes.map((at) => parseAccessControlName(at.name)?.key.trim().toLowerCase()).filter((k): k is string => !!k);
      const statementPath = a.attributes[0]?.path.replace(/\/[^/]+$/, '') ?? a.path;
      for (const l of learned) {
        if (arrived.includes(l.key.toLowerCase())) continue;
        const from = `${l.user ? `${l.user}, ` : ''}${l.firstSeen.replace(/\.\d{3}Z$/, 'Z')}, message ${l.messageId}`;
        report({
          message: 'learnedMissing',
          data: { key: l.key, from },
          evidence: [
            {
              label: 'AccessControl attribute',
              expected: `${ACCESS_CONTROL_PREFIX}${l.key}`,
              actual: '(none)',
              path: statementPath,
              source: `learned from the accepted sign-in of ${from} (no keys configured)`,
            },
          ],
          fix:
            `If every user must have ${l.key}: ${fixFor(l.key)} Make sure this user has a value in the source attribute. ` +
            `If ${l.key} is not meant for every user, set the expected AccessControl keys (samlscope's options page, where learned keys can also be forgotten, or --expect-access-control on the command line), and this warning goes.`,
        });
      }
      return;
    }
    if (m.kind !== 'Response' || !expected || expected.value.length === 0) return;
    const a = m.assertions[0];
    if (!a) return; // No assertion at all: other checks say why.
    const statementPath = a.attributes[0]?.path.replace(/\/[^/]+$/, '') ?? a.path;
    const names = a.attributes.map((at) => ({ at, ac: parseAccessControlName(at.name) }));
    for (const key of expected.value) {
      const expectedName = `${ACCESS_CONTROL_PREFIX}${key}`;
      if (names.some((n) => n.at.name === expectedName)) continue;
      const lower = key.toLowerCase();
      const byCase = names.find((n) => n.ac?.wellFormed && n.ac.key.toLowerCase() === lower);
      if (byCase) {
        report({
          message: 'caseDiffers',
          data: { key, actualKey: byCase.ac!.key },
          evidence: [{ label: 'AccessControl attribute', expected: expectedName, actual: byCase.at.name, path: byCase.at.path, source: expected.source }],
          fix: fixFor(key),
        });
        continue;
      }
      const malformed = names.find((n) => n.ac && !n.ac.wellFormed && n.ac.key.trim().toLowerCase() === lower);
      if (malformed) {
        report({
          message: 'malformedName',
          data: { key, actualName: malformed.at.name, problems: malformed.ac!.problems.join('; ') || 'not the exact AWS name' },
          evidence: [{ label: 'AccessControl attribute', expected: expectedName, actual: malformed.at.name, path: malformed.at.path, source: expected.source }],
          fix: fixFor(key),
        });
        continue;
      }
      report({
        message: 'missing',
        data: { key, expectedName },
        evidence: [{ label: 'AccessControl attribute', expected: expectedName, actual: '(none)', path: statementPath, source: expected.source }],
        fix: fixFor(key),
      });
    }
  },
});
