import type { Evidence } from '../types.ts';
import { formatInteger } from '../strings.ts';
import { ENTRA_CLAIMS } from './fixes.ts';
import { defineCheck } from './types.ts';

/** Identity Center quota "SAML assertion limit": 50,000 characters, cannot be raised (FACTS A2.4). */
export const SAML_ASSERTION_LIMIT = 50_000;
const NEAR = 0.8;
const GROUPS_OVERAGE = 'http://schemas.microsoft.com/claims/groups.link';

const FIX =
  `${ENTRA_CLAIMS}: remove claims nothing on the AWS side needs (Identity Center matches the user on the NameID and reads AccessControl: attributes for ABAC); ` +
  'for the groups claim, edit it and choose "Groups assigned to the application", or use group filtering (Advanced options).';

const fmt = formatInteger;

export const assertionTooLarge = defineCheck({
  id: 'assertion-too-large',
  severity: 'error',
  title: 'The SAML response is over Identity Center\'s size limit',
  docs:
    'IAM Identity Center accepts SAML assertions of at most 50,000 characters (a quota that cannot be raised). ' +
    'Large responses almost always come from long group claims; AWS does not say whether it counts the XML or the base64 form that is posted.',
  facts: ['A2.4', 'B2.3', 'A1.3', 'A8.1'],
  appliesTo: ['Response'],
  messages: {
    overLimit:
      'The decoded response is {xmlLength} characters, over Identity Center\'s SAML assertion limit of {limit} characters{groupsNote}.',
    base64Over:
      'The decoded response is {xmlLength} characters, under the {limit}-character limit, but the base64 form that was posted is {base64Length}; AWS does not say which one it counts{groupsNote}.',
    nearLimit:
      'The decoded response is {xmlLength} characters, over 80% of Identity Center\'s {limit}-character limit (the base64 length is not known for pasted XML){groupsNote}.',
    groupsOverage:
      'Entra sent the groups overage claim ({claim}) instead of the group list: the user is in more groups than fit in a SAML token (150). Any rule that relies on the groups claim gets no groups.',
  },
  titles: {
    overLimit: 'The SAML response is over Identity Center\'s size limit',
    base64Over: 'The posted (base64) response is over Identity Center\'s size limit',
    nearLimit: 'The SAML response is close to Identity Center\'s size limit',
    groupsOverage: 'The groups claim was replaced by the overage claim',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    const { xmlLength, base64Length } = ctx.encoded;
    const groups = m.assertions.flatMap((a) =>
      a.attributes.filter((at) => at.name === 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'),
    );
    const groupCount = groups.reduce((n, g) => n + g.values.length, 0);
    const groupsNote = groupCount ? `; the groups claim alone holds ${fmt(groupCount)} values` : '';
    const evidence: Evidence[] = [
      {
        label: 'decoded XML length',
        expected: `at most ${fmt(SAML_ASSERTION_LIMIT)} characters`,
        actual: `${xmlLength} characters`,
        path: m.rootPath,
        source: 'IAM Identity Center quota "SAML assertion limit"',
      },
    ];
    if (base64Length > 0) {
      evidence.push({
        label: 'base64 length (as posted)',
        expected: `at most ${fmt(SAML_ASSERTION_LIMIT)} characters, if AWS counts this form`,
        actual: `${base64Length} characters`,
        path: 'SAMLResponse form field',
        source: 'IAM Identity Center quota "SAML assertion limit"',
      });
    }
    if (groups[0]) evidence.push({ label: 'groups claim values', actual: String(groupCount), path: groups[0].path });
    const data = { xmlLength: fmt(xmlLength), base64Length: fmt(base64Length), limit: fmt(SAML_ASSERTION_LIMIT), groupsNote };
    if (xmlLength > SAML_ASSERTION_LIMIT) {
      report({ message: 'overLimit', data, evidence, fix: FIX });
    } else if (base64Length > SAML_ASSERTION_LIMIT) {
      report({ message: 'base64Over', severity: 'warning', data, evidence, fix: FIX });
    } else if (xmlLength > SAML_ASSERTION_LIMIT * NEAR) {
      report({ message: 'nearLimit', severity: 'warning', data, evidence, fix: FIX });
    }

    for (const a of m.assertions) {
      const overage = a.attributes.find((at) => at.name === GROUPS_OVERAGE);
      if (!overage) continue;
      report({
        message: 'groupsOverage',
        severity: 'info',
        data: { claim: GROUPS_OVERAGE },
        evidence: [{ label: 'groups overage claim', actual: overage.values[0]?.value ?? overage.name, path: overage.path }],
        fix:
          `${ENTRA_CLAIMS} → the groups claim: choose "Groups assigned to the application", or use group filtering (Advanced options), so the list fits in the token; ` +
          'or remove the groups claim if nothing on the AWS side reads it.',
      });
    }
  },
});
