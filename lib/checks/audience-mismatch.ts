import { ENTRA_BASIC_SAML, AWS_IDENTITY_SOURCE } from './fixes.ts';
import { defineCheck } from './types.ts';
import { describeUriDifference, IDC_ENTITY_RE, isIamFederationUri } from './util.ts';

const FIX_IDENTIFIER =
  `${ENTRA_BASIC_SAML} → Identifier (Entity ID): set it to the "IAM Identity Center issuer URL" shown in ` +
  `${AWS_IDENTITY_SOURCE} → Actions → Change identity source (or in the AWS SP metadata), exactly, without a trailing slash.`;

export const audienceMismatch = defineCheck({
  id: 'audience-mismatch',
  severity: 'error',
  title: 'Audience does not match the AWS entity ID',
  docs:
    'Identity Center accepts an assertion only when its Audience is its own issuer URL (Entra calls it the Identifier). ' +
    'Entra copies the Identifier into the Audience, so a wrong Identifier in Entra fails every sign-in.',
  facts: ['A3.1', 'A3.3', 'B2.7', 'E3'],
  appliesTo: ['Response'],
  messages: {
    missing: 'The assertion has no Audience, so it is not restricted to Identity Center and will be refused.',
    differs: 'The Audience is not the Identity Center entity ID expected ({source}): {difference}.',
    unknownShape:
      'The Audience {actual} does not have the shape of an Identity Center issuer URL (https://<region>.signin.aws.amazon.com/platform/saml/<id>); {why}.',
    undecided:
      '{why}, and no AWS entity ID is configured, so the Audience {actual} cannot be compared. It has the right shape; set the expected SP entity ID to check it exactly.',
  },
  titles: {
    missing: 'The assertion has no Audience',
    differs: 'Audience does not match the AWS entity ID',
    unknownShape: 'The Audience is not an Identity Center entity ID',
    undecided: 'The Audience cannot be compared (no AWS entity ID configured)',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    for (const a of m.assertions) {
      // An empty <Audience/> restricts to nothing: treat it as missing.
      const audiences = (a.conditions?.audiences ?? []).filter((x) => x.value !== '');
      if (audiences.length === 0) {
        report({
          message: 'missing',
          evidence: [
            {
              label: 'Audience',
              expected: ctx.expect.spEntityId?.value ?? 'the Identity Center issuer URL',
              actual: '(none)',
              path: a.conditions?.path ?? a.path,
              ...(ctx.expect.spEntityId ? { source: ctx.expect.spEntityId.source } : {}),
            },
          ],
          fix: FIX_IDENTIFIER,
        });
        continue;
      }
      const exp = ctx.expect.spEntityId;
      if (exp) {
        if (audiences.some((au) => au.value === exp.value)) continue;
        // Report the closest audience: the first one.
        const au = audiences[0]!;
        if (isIamFederationUri(au.value)) continue; // iam-federation-mixup explains this one.
        report({
          message: 'differs',
          data: { source: exp.source, difference: describeUriDifference(exp.value, au.value) },
          evidence: audiences.map((x) => ({ label: 'Audience', expected: exp.value, actual: x.value, path: x.path, source: exp.source })),
          fix: FIX_IDENTIFIER,
        });
        continue;
      }
      const au = audiences[0]!;
      if (isIamFederationUri(au.value)) continue;
      // A captured request that is not Identity Center's was not used (request-not-identity-center).
      const foreign = ctx.request?.issuer?.value;
      if (!IDC_ENTITY_RE.test(au.value)) {
        report({
          message: 'unknownShape',
          severity: 'warning',
          data: {
            actual: au.value,
            why: foreign
              ? `the captured AuthnRequest's Issuer ${foreign} is not Identity Center's either, so this sign-in is not one to Identity Center`
              : 'nothing was configured or captured to compare it with',
          },
          evidence: [{ label: 'Audience', expected: 'https://<region>.signin.aws.amazon.com/platform/saml/d-xxxxxxxxxx', actual: au.value, path: au.path }],
          fix: FIX_IDENTIFIER,
        });
        continue;
      }
      report({
        message: 'undecided',
        severity: 'info',
        data: { actual: au.value, why: foreign ? `The captured AuthnRequest is not Identity Center's (its Issuer is ${foreign})` : 'No AuthnRequest was captured' },
        evidence: [{ label: 'Audience', actual: au.value, path: au.path }],
        fix: 'Set the expected AWS SP entity ID in samlscope\'s options (or --sp-entity-id) to the "IAM Identity Center issuer URL" from ' + AWS_IDENTITY_SOURCE + '.',
      });
    }
  },
});
