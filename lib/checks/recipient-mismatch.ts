import { CM_BEARER } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { ENTRA_APP, ENTRA_NEW_APP, REPLY_URL_FIX } from './fixes.ts';
import { hasIamFederationEvidence } from './iam-federation-mixup.ts';
import { defineCheck } from './types.ts';
import { acsComparisons, acsVerdict, bearerConfirmations, IDC_ACS_RE, isIamFederationUri, primaryAssertion } from './util.ts';

export const recipientMismatch = defineCheck({
  id: 'recipient-mismatch',
  severity: 'error',
  title: 'SubjectConfirmation Recipient is not Identity Center\'s ACS URL',
  docs:
    'The bearer SubjectConfirmationData\'s Recipient says which ACS URL may use the assertion; the Web SSO profile requires it, and an SP refuses an assertion meant for another one. ' +
    'Entra writes its Reply URL there, so a Reply URL that differs from Identity Center\'s ACS URL fails every sign-in.',
  facts: ['E3', 'B2.7', 'A3.4', 'A3.5', 'A3.6', 'A5.2', 'A7.7'],
  appliesTo: ['Response'],
  messages: {
    noBearer:
      'The assertion has no bearer SubjectConfirmation (Method {bearer}){found}. The Web SSO profile requires one, and Entra always sends it.',
    missing: 'The bearer SubjectConfirmationData has no Recipient. The Web SSO profile requires it to be the ACS URL the assertion is meant for.',
    differs: 'The Recipient is not {against} ({source}): {difference}.{also}',
    otherAcs:
      'The Recipient {actual} is an ACS URL of the same Identity Center instance, but not the configured {expected}: {difference}. That is right only if this Region or endpoint form is enabled for the instance (multi-Region); IdP-initiated sign-ins go to Entra\'s default Reply URL.',
    iamRecipient:
      'The Recipient {actual} is the endpoint of plain IAM SAML federation, not Identity Center\'s ACS URL{expected}{rest}. Identity Center refuses an assertion meant for another recipient. A possible explanation is a mix-up with IAM federation: an Entra app or a Reply URL set up from the IAM federation template ("AWS Single-Account Access").',
    unknownShape:
      'The Recipient {actual} is not an Identity Center ACS URL (https://<region>.signin.aws/platform/saml/acs/<tenant-id> or one of its alternative forms), and nothing was configured or captured to compare it with.',
  },
  titles: {
    noBearer: 'The assertion has no bearer SubjectConfirmation',
    missing: 'The SubjectConfirmationData has no Recipient',
    differs: 'SubjectConfirmation Recipient is not Identity Center\'s ACS URL',
    otherAcs: 'Recipient is another ACS URL of the same instance',
    iamRecipient: 'Recipient is the plain IAM federation endpoint',
    unknownShape: 'Recipient is not an Identity Center ACS URL',
  },
  run(ctx, report) {
    const a = primaryAssertion(ctx.message);
    if (!a || !a.hasSubject) return; // nameid-missing reports a missing Subject.
    const bearers = bearerConfirmations(a);
    const expectedAcs = ctx.expect.acsUrl?.value ?? "Identity Center's ACS URL";
    if (bearers.length === 0) {
      const methods = a.subjectConfirmations.map((sc) => sc.method ?? '(no Method)');
      report({
        message: 'noBearer',
        data: { bearer: CM_BEARER, found: methods.length ? `; it has ${methods.join(', ')}` : '; it has no SubjectConfirmation at all' },
        evidence: [
          {
            label: 'SubjectConfirmation Method',
            expected: CM_BEARER,
            actual: methods.length ? methods.join(', ') : '(no SubjectConfirmation)',
            path: a.subjectConfirmations[0]?.path ?? `${a.path}/Subject`,
          },
        ],
        fix: `Entra always sends a bearer SubjectConfirmation: make sure the response comes from the gallery app (${ENTRA_APP}), not from another issuer or a proxy that rewrites the assertion.`,
      });
      return;
    }
    const withRecipient = bearers.filter((b) => b.data?.recipient !== undefined);
    if (withRecipient.length === 0) {
      const b = bearers[0]!;
      report({
        message: 'missing',
        evidence: [
          {
            label: 'Recipient',
            expected: expectedAcs,
            actual: '(none)',
            path: b.data?.path ?? b.path,
            ...(ctx.expect.acsUrl ? { source: ctx.expect.acsUrl.source } : {}),
          },
        ],
        fix: REPLY_URL_FIX,
      });
      return;
    }
    // One bearer confirmation that fits is enough (profiles §4.1.4.2).
    const iam = withRecipient.find((b) => isIamFederationUri(b.data!.recipient));
    if (iam) {
      if (hasIamFederationEvidence(ctx)) return; // iam-federation-mixup reports the whole response.
      const m = ctx.message;
      const rest: string[] = [];
      if (m.kind === 'Response' && m.destination) rest.push(`Destination ${m.destination}`);
      const audience = a.conditions?.audiences[0]?.value;
      if (audience) rest.push(`Audience ${audience}`);
      report({
        message: 'iamRecipient',
        // The ACS URL in brackets when one is known (configured or from the AuthnRequest); the
        // rest of the response named only when it shows Identity Center's values.
        data: { actual: iam.data!.recipient!, expected: ctx.expect.acsUrl ? ` (${ctx.expect.acsUrl.value})` : '', rest: rest.length ? `, while the rest of the response is made for Identity Center (${rest.join(', ')})` : '' },
        evidence: [
          {
            label: 'Recipient',
            expected: expectedAcs,
            actual: iam.data!.recipient!,
            path: `${iam.data!.path}/@Recipient`,
            ...(ctx.expect.acsUrl ? { source: ctx.expect.acsUrl.source } : { source: 'the ACS URL forms AWS documents' }),
          },
        ],
        fix: `${REPLY_URL_FIX} If the Entra app was made from "AWS Single-Account Access" or the generic AWS app, use the gallery app "AWS IAM Identity Center" instead (${ENTRA_NEW_APP}).`,
      });
      return;
    }
    const judged = withRecipient.map((b) => ({ b, recipient: b.data!.recipient!, cmp: acsComparisons(ctx, b.data!.recipient!) }));
    if (judged.some((j) => j.cmp.every((c) => c.same) && (j.cmp.length > 0 || IDC_ACS_RE.test(j.recipient.trim())))) return;
    const first = judged[0]!;
    const recipient = first.recipient;
    const path = `${first.b.data!.path}/@Recipient`;
    if (first.cmp.length === 0) {
      report({
        message: 'unknownShape',
        severity: 'warning',
        data: { actual: recipient },
        evidence: [{ label: 'Recipient', expected: 'https://<region>.signin.aws/platform/saml/acs/<tenant-id>', actual: recipient, path, source: 'the ACS URL forms AWS documents' }],
        fix: REPLY_URL_FIX,
      });
      return;
    }
    const bad = first.cmp.filter((c) => !c.same);
    const evidence: Evidence[] = bad.map((c) => ({ label: `Recipient vs ${c.against}`, expected: c.expected, actual: recipient, path, source: c.source }));
    // acsVerdict chooses between the messages 'otherAcs' and 'differs'.
    report({ ...acsVerdict(first.cmp, recipient), evidence, fix: REPLY_URL_FIX });
  },
});
