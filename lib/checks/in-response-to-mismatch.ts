import { ENTRA_APP, ENTRA_BASIC_SAML } from './fixes.ts';
import { defineCheck } from './types.ts';
import { bearerConfirmations, primaryAssertion } from './util.ts';

const FIX_RETRY =
  "Start the sign-in again from the AWS access portal in a single tab, without the browser's Back button, a bookmarked Entra sign-in page or an old tab: " +
  'a response can answer only the AuthnRequest Identity Center just sent. If it repeats, capture the whole flow and check that the AuthnRequest and the response belong to the same Identity Center instance and Region.';
const FIX_ALTERED =
  `Entra copies the AuthnRequest's ID into both InResponseTo attributes; a response where they differ or one is missing did not come unchanged from the gallery app (${ENTRA_APP}). Look for a proxy or another identity provider in between.`;

interface IrtValue {
  label: string;
  value: string;
  path: string;
}

export const inResponseToMismatch = defineCheck({
  id: 'in-response-to-mismatch',
  severity: 'error',
  title: 'InResponseTo does not answer the AuthnRequest',
  docs:
    'A response to an AuthnRequest must name that request\'s ID in Response/@InResponseTo and in the bearer SubjectConfirmationData; an SP refuses a response to a request it did not send or no longer waits for. ' +
    'An unsolicited (IdP-initiated) response carries no InResponseTo at all.',
  facts: ['E3', 'B2.7', 'B4.4', 'A5.1'],
  appliesTo: ['Response'],
  messages: {
    differs:
      'The {which} {actual} does not match the AuthnRequest ID {expected} ({source}). Identity Center accepts a response only to the request it sent, so it refuses this one.',
    partlyAbsent:
      'The {missing} is missing, while the {present} answers the AuthnRequest {expected} ({source}). A response to an AuthnRequest must carry its ID in both places.',
    absent:
      'The Response has no InResponseTo, although it should answer the AuthnRequest {expected} ({source}): it reads as unsolicited (IdP-initiated), so Identity Center cannot tie it to the sign-in it started.',
    disagree:
      'The Response InResponseTo {response} and the SubjectConfirmationData InResponseTo {scd} name different requests; a response answers one request, and both must equal its ID.',
    fromMyApps:
      'The response answers the AuthnRequest {actual}, but this flow began at My Apps and no AuthnRequest was captured. Entra sets InResponseTo only when it answers a request, and an IdP-initiated response must have none: either the tile went through the Sign on URL (SP-initiated) before the capture saw it, or Identity Center will look for a request it never sent.',
    unchecked:
      'The response answers the AuthnRequest {actual}, but that request was not captured and no request ID was given, so whether it is the one Identity Center waits for cannot be checked.',
  },
  titles: {
    differs: 'InResponseTo does not answer the AuthnRequest',
    partlyAbsent: 'InResponseTo is missing in one of its two places',
    absent: 'The Response does not answer the AuthnRequest (no InResponseTo)',
    disagree: 'The two InResponseTo values name different requests',
    fromMyApps: 'A My Apps sign-in carries an InResponseTo',
    unchecked: 'InResponseTo cannot be checked (the request was not captured)',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    const a = primaryAssertion(m);
    const values: IrtValue[] = [];
    if (m.inResponseTo !== undefined) values.push({ label: 'Response InResponseTo', value: m.inResponseTo, path: `${m.rootPath}/@InResponseTo` });
    const confirmations = a ? (bearerConfirmations(a).length ? bearerConfirmations(a) : a.subjectConfirmations) : [];
    const scdValues: IrtValue[] = [];
    for (const sc of confirmations) {
      if (sc.data?.inResponseTo !== undefined) {
        scdValues.push({ label: 'SubjectConfirmationData InResponseTo', value: sc.data.inResponseTo, path: `${sc.data.path}/@InResponseTo` });
      }
    }
    values.push(...scdValues);

    const exp = ctx.expect.requestId;
    if (exp) {
      const wrong = values.filter((v) => v.value !== exp.value);
      if (wrong.length) {
        report({
          message: 'differs',
          data: {
            which: [...new Set(wrong.map((w) => w.label))].join(' and the '),
            actual: wrong[0]!.value,
            expected: exp.value,
            source: exp.source,
          },
          evidence: wrong.map((w) => ({ label: w.label, expected: exp.value, actual: w.value, path: w.path, source: exp.source })),
          fix: FIX_RETRY,
        });
        return;
      }
      if (values.length === 0) {
        report({
          message: 'absent',
          data: { expected: exp.value, source: exp.source },
          evidence: [{ label: 'Response InResponseTo', expected: exp.value, actual: '(none)', path: m.rootPath, source: exp.source }],
          fix: FIX_RETRY,
        });
        return;
      }
      const missing: IrtValue[] = [];
      if (m.inResponseTo === undefined) missing.push({ label: 'Response InResponseTo', value: '(none)', path: m.rootPath });
      const firstScd = confirmations.find((sc) => sc.data);
      if (scdValues.length === 0 && firstScd?.data) {
        missing.push({ label: 'SubjectConfirmationData InResponseTo', value: '(none)', path: firstScd.data.path });
      }
      if (missing.length) {
        report({
          message: 'partlyAbsent',
          data: { missing: missing.map((x) => x.label).join(' and the '), present: values[0]!.label, expected: exp.value, source: exp.source },
          evidence: missing.map((x) => ({ label: x.label, expected: exp.value, actual: '(none)', path: x.path, source: exp.source })),
          fix: FIX_ALTERED,
        });
      }
      return;
    }

    if (values.length === 0) return; // Unsolicited, with nothing expected: IdP-initiated.
    const responseIrt = values.find((v) => v.label === 'Response InResponseTo');
    const otherScd = scdValues.find((v) => responseIrt && v.value !== responseIrt.value);
    if (responseIrt && otherScd) {
      report({
        message: 'disagree',
        data: { response: responseIrt.value, scd: otherScd.value },
        evidence: [{ label: otherScd.label, expected: responseIrt.value, actual: otherScd.value, path: otherScd.path, source: 'the Response InResponseTo' }],
        fix: FIX_ALTERED,
      });
      return;
    }
    const answered = values[0]!;
    const evidence = [{ label: answered.label, actual: answered.value, path: answered.path }];
    if (ctx.flow?.fromMyApps) {
      report({
        message: 'fromMyApps',
        severity: 'warning',
        data: { actual: answered.value },
        evidence,
        fix:
          `${ENTRA_BASIC_SAML} → Sign on URL: when it holds the AWS access portal URL, My Apps starts an SP-initiated sign-in; capture from the My Apps click to see the AuthnRequest. ` +
          'When it is empty (IdP-initiated), Entra should send no InResponseTo.',
      });
      return;
    }
    report({
      message: 'unchecked',
      severity: 'info',
      data: { actual: answered.value },
      evidence,
      fix: 'Capture the sign-in from its start at the AWS access portal, or give the AuthnRequest ID (--request-id, or the options page) to check it.',
    });
  },
});
