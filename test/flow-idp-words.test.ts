// "Entra" only when the Issuer is Entra's (issue 12), for the findings lib/flow builds of a whole
// attempt too (AWS's generic error and its ranked causes, where a My Apps tile led) and for the
// verdict lines: a sign-in from another identity provider (messages other people wrote: Okta,
// ADFS, SimpleSAMLphp, samlify) is told in general identity-provider terms, while the same
// attempt from Entra (the lab's message) keeps Entra's click paths.
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../lib/analyze.ts';
import { flowFindings } from '../lib/flow/findings.ts';
import { resultVerdict } from '../lib/report/common.ts';
import { selectDiagnosis, selectLatestFlow } from '../lib/store/selectors.ts';
import type { Finding, Flow } from '../lib/types.ts';
import { captureOf, ownInstant } from './thirdparty/load.ts';
import { LAB, makeResponse, toPost } from './lab/factory.ts';
import { MAIN_INSTANCE, OTHER_INSTANCE } from './lab/server/scenarios.ts';

const NON_ENTRA = [
  'crewjam.TestSPCanHandleOktaSignedResponseEncryptedAssertion_response', // Okta
  'ruby-saml.adfs_response_sha256.xml', // ADFS
  'pysaml2.simplesamlphp_authnresponse.xml', // SimpleSAMLphp (openidp.feide.no)
  'samlify.failed_response.xml', // a failed status from idp.example.com
] as const;

/** Every text of a finding a person reads, its ranked causes included. */
function texts(f: Finding): string[] {
  return [
    f.title,
    f.message,
    f.fix,
    ...f.evidence.flatMap((e) => [e.label, e.source ?? '']),
    ...(f.causes ?? []).flatMap((c) => [c.cause, c.basis, c.fix ?? '']),
  ];
}
const entraWords = (f: Finding) => texts(f).filter((t) => /\bEntra\b|AADSTS/.test(t));

/** The response posted to Identity Center's ACS, and AWS's generic error page after it (one tab). */
function refusedByAws(raw: { raw: string; param?: 'SAMLResponse' | 'SAMLRequest' }, at: Date): AnalysisResult {
  const t = (s: number) => new Date(at.getTime() + s * 1000).toISOString();
  return analyze({
    messages: [{ id: 'r', raw: raw.raw, param: 'SAMLResponse', binding: 'post', method: 'POST', url: LAB.acsUrl, time: t(0), tabId: 1 }],
    pageErrors: [{ id: 'a1', source: 'aws', url: LAB.acsUrl, time: t(1), tabId: 1, heading: 'An unexpected error has occurred', seenBy: 'page' }],
    now: at,
  });
}

describe("AWS's generic error after another identity provider's response", () => {
  for (const file of NON_ENTRA) {
    it(`${file}: the finding and its ranked causes name no Entra setting`, () => {
      const at = ownInstant(file) ?? new Date(Date.UTC(2020, 0, 1));
      const a = refusedByAws(captureOf(file, 'r'), at);
      const aws = a.findings.find((f) => f.checkId === 'aws-sign-in-error');
      expect(aws, 'AWS refused the sign-in').toBeDefined();
      expect(aws!.causes!.length).toBeGreaterThan(3);
      expect(entraWords(aws!)).toEqual([]);
      // The places to change are the identity provider's configuration in general terms.
      expect(texts(aws!).join(' ')).toMatch(/the identity provider's configuration of the AWS IAM Identity Center application/);
      const d = selectDiagnosis(a, selectLatestFlow(a));
      expect(d.text).toMatch(/^AWS refused the sign-in: /);
      expect(d.text).not.toMatch(/\bEntra\b/);
    });
  }

  it("the same error after Entra's response keeps Entra's click paths", () => {
    const at = new Date('2026-03-14T09:00:00Z');
    const a = refusedByAws({ raw: toPost(makeResponse({ issueInstant: at, nameId: 'alex.m@contoso-mail.com' })) }, at);
    const aws = a.findings.find((f) => f.checkId === 'aws-sign-in-error')!;
    expect(texts(aws).join(' ')).toMatch(/Entra admin center → Identity → Applications → Enterprise applications → AWS IAM Identity Center/);
    expect(entraWords(aws).length).toBeGreaterThan(0);
  });
});

describe('the verdict of a failed status', () => {
  it("another identity provider's failure is not called Entra's", () => {
    const file = 'samlify.failed_response.xml';
    const a = analyze({ messages: [captureOf(file, 'r')], now: ownInstant(file)! });
    expect(resultVerdict(a).text).toMatch(/^The identity provider refused this sign-in/);
    const d = selectDiagnosis(a, selectLatestFlow(a));
    expect(d.text).toMatch(/^The identity provider refused before AWS was reached: /);
    expect(d.said?.by).toBe('The identity provider');
  });

  it("Entra's failure is", () => {
    const at = new Date('2026-03-14T09:00:00Z');
    const a = analyze({
      messages: [{ id: 'r', raw: toPost(makeResponse({ issueInstant: at, status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Requester', message: 'AADSTS50105: not assigned.' } })), param: 'SAMLResponse' }],
      now: at,
    });
    expect(resultVerdict(a).text).toBe('Entra refused this sign-in: AADSTS50105');
  });
});

describe('where a My Apps tile led', () => {
  // A tile that opened another instance's portal (SP-initiated, as the lab's myapps-wrong-portal
  // scenario does), with the response of that attempt read from its identity provider.
  const flow: Flow = {
    id: 'f1',
    type: 'sp-initiated',
    fromMyApps: true,
    portal: new URL(OTHER_INSTANCE.portalUrl).host,
    messageIds: ['r'],
    steps: [{ url: OTHER_INSTANCE.portalUrl, method: 'GET', time: '2026-03-14T09:00:00.000Z' }] as Flow['steps'],
    summary: 'SP-initiated from a My Apps tile',
  };
  const expectations = { spEntityId: MAIN_INSTANCE.entityId, portalUrl: MAIN_INSTANCE.portalUrl };
  const messagesOf = (file: string) => new Map(analyze({ messages: [captureOf(file, 'r')], now: ownInstant(file)! }).messages.map((m) => [m.id, m]));

  it('another identity provider: the portal mismatch is told without Entra', () => {
    const [f] = flowFindings(flow, expectations, messagesOf('ruby-saml.adfs_response_sha256.xml'));
    expect(f?.checkId).toBe('portal-mismatch');
    expect(entraWords(f!)).toEqual([]);
    expect(f!.message).toMatch(/: the Sign-on URL of the AWS app in the identity provider points at the wrong IAM Identity Center instance\.$/);
    expect(f!.fix).toMatch(/^The identity provider's configuration of the AWS IAM Identity Center application → /);
  });

  it("Entra's response: Entra's Sign on URL", () => {
    const at = new Date('2026-03-14T09:00:00Z');
    const messages = new Map(analyze({ messages: [{ id: 'r', raw: toPost(makeResponse({ issueInstant: at })), param: 'SAMLResponse' }], now: at }).messages.map((m) => [m.id, m]));
    const [f] = flowFindings(flow, expectations, messages);
    expect(f?.checkId).toBe('portal-mismatch');
    expect(f!.fix).toMatch(/^Entra admin center → .* → Basic SAML Configuration → Sign on URL/);
  });
});
