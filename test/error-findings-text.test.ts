// The findings for the errors a sign-in page showed or a log recorded (lib/flow/error-findings.ts
// errorFindings), word by word: Entra's AADSTS page with the ids a Microsoft ticket needs and what
// in the AuthnRequest the code is about; Entra's sign-in log when no page was read; AWS's refusal
// seen on the page, from HTTP alone, or only in CloudTrail, with its lead sentence and evidence.
import { describe, expect, it } from 'vitest';
import { errorFindings, type ErrorFindingContext } from '../lib/flow/error-findings.ts';
import { explainAadsts } from '../lib/entra/aadsts.ts';
import { parseSaml } from '../lib/saml/parse.ts';
import type { SamlMessage } from '../lib/saml/model.ts';
import type { CapturedMessage, Finding, Flow, PageError } from '../lib/types.ts';
import type { SignInLogRecord } from '../lib/logs/types.ts';
import { AWS_UNEXPECTED } from '../lib/pages/errors.ts';
import { makeAuthnRequest, makeResponse } from './lab/factory.ts';

const SSO = 'https://login.microsoftonline.com/2b0f8f0e-1111-2222-3333-444455556666/saml2';
const ACS = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc';
const ENTITY = 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067aaaaaa';
const T = '2026-03-02T10:00:00.000Z';

const flow = (o: Partial<Flow> = {}): Flow => ({ id: 'f', type: 'sp-initiated', fromMyApps: false, messageIds: [], steps: [], summary: '', ...o });
const entraPage = (o: Partial<PageError> = {}): PageError => ({ id: 'pe', source: 'entra', url: SSO, time: T, seenBy: 'page', code: 'AADSTS50105', ...o }) as PageError;
const ctxOf = (msgs: [string, string, Partial<CapturedMessage>][] = [], findings: Finding[] = [], expectations?: ErrorFindingContext['expectations']): ErrorFindingContext => ({
  messages: new Map(msgs.map(([id, xml, c]) => [id, { capture: { id, raw: '', ...c } as CapturedMessage, model: parseSaml(xml) as SamlMessage }])),
  findings,
  ...(expectations ? { expectations } : {}),
});
const log = (o: Partial<SignInLogRecord>): SignInLogRecord => ({ id: 'l1', source: 'entra', format: 'entra-graph', outcome: 'failure', origin: 'signins.json[0]', time: T, ...o });

describe("Entra's error page", () => {
  it('a known code: its name and cause, the ids for a ticket first, the page, where the browser came from, the fix with the Correlation Id', () => {
    const info = explainAadsts('50105')!;
    const f = flow({ steps: [{ url: 'https://d-9067aaaaaa.awsapps.com/start', method: 'GET', redirectTo: `${SSO}?SAMLRequest=abc` }], errors: [] });
    const e = entraPage({ correlationId: 'c0ffee', timestamp: '2026-03-02 10:00:00Z', requestId: 'req-9', message: 'The signed in user is not assigned to a role for the application.' });
    f.errors = [e];
    f.signInLogs = [log({ code: 'AADSTS50105', reason: 'not assigned', additionalDetails: 'ask the admin', user: 'jane@contoso.com', app: 'AWS IAM Identity Center' }), { ...log({ outcome: 'success' }), id: 'ct', source: 'cloudtrail' }];
    const [x, ...more] = errorFindings(f, ctxOf());
    expect(more).toEqual([]);
    expect(x).toEqual({
      checkId: 'entra-error',
      severity: 'error',
      title: `Entra stopped the sign-in: AADSTS50105 (${info.plain ?? info.name})`,
      message: `Entra's sign-in page showed AADSTS50105 (${info.name}), so nothing reached AWS. ${info.cause}`,
      evidence: [
        { label: 'Correlation Id', actual: 'c0ffee' },
        { label: 'Timestamp', actual: '2026-03-02 10:00:00Z' },
        { label: 'Request Id', actual: 'req-9' },
        { label: 'error on the Entra page', actual: 'AADSTS50105: The signed in user is not assigned to a role for the application.' },
        { label: 'Entra sign-in log (signins.json[0])', actual: `Failure AADSTS50105 — "not assigned" at ${T} for jane@contoso.com to AWS IAM Identity Center` },
        { label: 'Entra sign-in log: additional details', actual: 'ask the admin' },
        { label: 'page', actual: SSO },
        { label: 'redirected here by', actual: 'https://d-9067aaaaaa.awsapps.com/start' },
      ],
      fix: `${info.fix} For a Microsoft ticket or the sign-in logs, quote Correlation Id c0ffee and Timestamp 2026-03-02 10:00:00Z.`,
      flowId: 'f',
      facts: ['B5'],
    });
    // Without ids or message: the code alone; the ticket sentence without a Timestamp when there is none.
    const [y] = errorFindings(flow({ errors: [entraPage({ correlationId: 'c1' })] }), ctxOf());
    expect(y!.evidence).toEqual([{ label: 'Correlation Id', actual: 'c1' }, { label: 'error on the Entra page', actual: 'AADSTS50105' }, { label: 'page', actual: SSO }]);
    expect(y!.fix.endsWith(' For a Microsoft ticket or the sign-in logs, quote Correlation Id c1.')).toBe(true);
    const [z] = errorFindings(flow({ errors: [entraPage()] }), ctxOf());
    expect(z!.fix).toBe(info.fix);
  });

  it('a code samlscope does not explain: Microsoft\'s page for it, the sign-in logs as the fix; a page without a code is no finding', () => {
    const [x] = errorFindings(flow({ errors: [entraPage({ code: 'AADSTS999999' })] }), ctxOf());
    expect(x!.title).toBe('Entra stopped the sign-in: AADSTS999999');
    expect(x!.message).toBe("Entra's sign-in page showed AADSTS999999, so nothing reached AWS. This code is not one samlscope explains; Microsoft's description is at https://login.microsoftonline.com/error?code=999999.");
    expect(x!.fix).toMatch(/: find the sign-in and read "Failure reason"\.$/);
    expect(errorFindings(flow({ errors: [entraPage({ code: undefined })] }), ctxOf())).toEqual([]);
  });

  it('what in the AuthnRequest the code is about: the ACS URL (50011), the Issuer (700016), the configured value beside it or said to be the same', () => {
    const q = makeAuthnRequest({ acsUrl: ACS, issuer: ENTITY });
    const f = (code: string) => flow({ messageIds: ['q'], errors: [entraPage({ code })] });
    const acs = (e?: ErrorFindingContext['expectations']) => errorFindings(f('AADSTS50011'), ctxOf([['q', q, { url: SSO }]], [], e))[0]!.evidence[0];
    expect(acs()).toEqual({ label: 'ACS URL in the AuthnRequest', actual: ACS, path: '/AuthnRequest/@AssertionConsumerServiceURL' });
    expect(acs({ acsUrl: 'https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/zzz' })).toEqual({ label: 'ACS URL in the AuthnRequest', actual: ACS, path: '/AuthnRequest/@AssertionConsumerServiceURL', expected: 'https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/zzz', source: 'configured' });
    expect(acs({ acsUrl: ACS })).toEqual({ label: "ACS URL in the AuthnRequest (the configured one: it is missing from the Entra app's Reply URLs)", actual: ACS, path: '/AuthnRequest/@AssertionConsumerServiceURL' });
    for (const code of ['AADSTS700016', 'AADSTS70001']) {
      const iss = (e?: ErrorFindingContext['expectations']) => errorFindings(f(code), ctxOf([['q', q, { url: SSO }]], [], e))[0]!.evidence[0];
      expect(iss()).toMatchObject({ label: 'Issuer of the AuthnRequest', actual: ENTITY, path: '/AuthnRequest/Issuer' });
      expect(iss({ spEntityId: `${ENTITY}x` })).toMatchObject({ expected: `${ENTITY}x`, source: 'configured' });
      expect(iss({ spEntityId: ENTITY })).toEqual({ label: "Issuer of the AuthnRequest (the configured entity ID: the Entra app's Identifier differs from it)", actual: ENTITY, path: '/AuthnRequest/Issuer' });
    }
    // Another code says nothing of the request; no request, nothing either.
    expect(errorFindings(f('AADSTS50105'), ctxOf([['q', q, { url: SSO }]]))[0]!.evidence[0]!.label).toBe('error on the Entra page');
    expect(errorFindings(flow({ errors: [entraPage({ code: 'AADSTS50011' })] }), ctxOf())[0]!.evidence[0]!.label).toBe('error on the Entra page');
  });

  it("AADSTS750054 from a My Apps tile with no AuthnRequest: the tile's Sign-on URL points at Entra", () => {
    const info = explainAadsts('750054')!;
    const [x] = errorFindings(flow({ fromMyApps: true, errors: [entraPage({ code: 'AADSTS750054' })] }), ctxOf());
    expect(x!.message).toBe(`Entra's sign-in page showed AADSTS750054 (${info.name}), so nothing reached AWS. ${info.cause} The My Apps tile sent the browser straight to Entra's SAML endpoint: the app's Sign-on URL points at Entra, not at the AWS access portal.`);
    const [y] = errorFindings(flow({ fromMyApps: false, errors: [entraPage({ code: 'AADSTS750054' })] }), ctxOf());
    expect(y!.message).not.toContain('My Apps tile');
  });
});

describe("Entra's sign-in log, when no page was read", () => {
  it('a failure with a code: the record, its ids and details; a known code explained, an unknown one pointed to Microsoft', () => {
    const info = explainAadsts('50105')!;
    const [x, ...more] = errorFindings(flow({ signInLogs: [log({ code: 'AADSTS50105', reason: 'not assigned', correlationId: 'c9', requestId: 'r9', additionalDetails: 'more' })] }), ctxOf());
    expect(more).toEqual([]);
    expect(x).toEqual({
      checkId: 'entra-error',
      severity: 'error',
      title: `Entra's sign-in log records a failure: AADSTS50105 (${info.plain ?? info.name})`,
      message: `Entra's sign-in log records AADSTS50105 (${info.name}) for this sign-in: "not assigned". ${info.cause}`,
      evidence: [
        { label: 'Entra sign-in log (signins.json[0])', actual: `Failure AADSTS50105 — "not assigned" at ${T}` },
        { label: 'Correlation Id', actual: 'c9' },
        { label: 'Request Id', actual: 'r9' },
        { label: 'Additional details', actual: 'more' },
      ],
      fix: `${info.fix} For a Microsoft ticket, quote Correlation Id c9.`,
      flowId: 'f',
      facts: ['B5', 'G1'],
    });
    const [y] = errorFindings(flow({ signInLogs: [log({ code: 'AADSTS123' })] }), ctxOf());
    expect(y!.title).toBe("Entra's sign-in log records a failure: AADSTS123");
    expect(y!.message).toBe("Entra's sign-in log records AADSTS123 for this sign-in. This code is not one samlscope explains; Microsoft's description is at https://login.microsoftonline.com/error?code=123.");
    expect(y!.fix).toMatch(/: open the record and read "Failure reason"\.$/);
    // A success, a failure without a code, or a page that already showed the code: nothing more.
    expect(errorFindings(flow({ signInLogs: [log({ outcome: 'success', code: 'AADSTS50105' })] }), ctxOf())).toEqual([]);
    expect(errorFindings(flow({ signInLogs: [log({ code: undefined })] }), ctxOf())).toEqual([]);
    expect(errorFindings(flow({ errors: [entraPage()], signInLogs: [log({ code: 'AADSTS50105' })] }), ctxOf()).map((f) => f.title)).toEqual([expect.stringMatching(/^Entra stopped the sign-in/)]);
  });
});

describe("AWS's refusal", () => {
  const resp = makeResponse({ nameId: 'jane@contoso.com' });
  const withResponse = (o: Partial<Flow>, findings: Finding[] = []) => {
    const f = flow({ messageIds: ['r'], ...o });
    return errorFindings(f, ctxOf([['r', resp, { url: ACS, time: T }]], findings));
  };
  const awsPage = (o: Partial<PageError> = {}): PageError => ({ id: 'aws', source: 'aws', url: ACS, time: T, seenBy: 'page', heading: AWS_UNEXPECTED, ...o }) as PageError;

  it('seen on the page, nothing in the capture explains it: the likeliest causes a capture cannot see, and CloudTrail to confirm', () => {
    const [x] = withResponse({ errors: [awsPage()] });
    expect(x!.title).toBe(`AWS refused the sign-in: "${AWS_UNEXPECTED}"`);
    expect(x!.message).toBe(`IAM Identity Center showed "${AWS_UNEXPECTED}" after the POST of the SAML response to its ACS. Nothing in the capture explains it: the likeliest causes are ones a capture cannot see (below).`);
    expect(x!.evidence.map((e) => e.label)).toEqual(['AWS error', 'NameID (Identity Center user name)', 'POST to the ACS', 'CloudTrail lookup (AWS CLI)', 'CloudTrail lookup, this user only (if it finds nothing, use the one above)', 'CloudTrail lookup (console)']);
    expect(x!.evidence[0]!.actual).toBe(AWS_UNEXPECTED);
    expect(x!.evidence[1]!.actual).toBe('jane@contoso.com');
    expect(x!.evidence[2]!.actual).toBe(ACS);
    expect(x!.fix).toMatch(/^Most likely: .+ Confirm it in CloudTrail: event ExternalIdPDirectoryLogin in us-east-1 between 2026-03-02T09:55:00Z and 2026-03-02T10:10:00Z for jane@contoso\.com \(the command is below\)\.$/);
    expect(x).toMatchObject({ messageId: 'r', flowId: 'f', facts: ['A10'], severity: 'error' });
    expect(x!.causes!.length).toBeGreaterThan(3);
  });

  it('a check found the cause: said in the lead with its id, and its fix first', () => {
    const [x] = withResponse({ errors: [awsPage()] }, [{ checkId: 'nameid-mismatch', severity: 'error', title: 't', message: 'm', evidence: [], fix: 'Send the user name.', messageId: 'r', facts: [] }]);
    expect(x!.message).toBe(`IAM Identity Center showed "${AWS_UNEXPECTED}" after the POST of the SAML response to its ACS. A check found the cause in the capture (first below: nameid-mismatch).`);
    expect(x!.fix.startsWith('Send the user name. Confirm it in CloudTrail')).toBe(true);
    // A finding of another message does not count.
    const [y] = withResponse({ errors: [awsPage()] }, [{ checkId: 'nameid-mismatch', severity: 'error', title: 't', message: 'm', evidence: [], fix: 'x', messageId: 'other', facts: [] }]);
    expect(y!.message).toMatch(/Nothing in the capture explains it/);
  });

  it('from HTTP alone: the status in the title, how it was read in the message', () => {
    const [x] = withResponse({ errors: [awsPage({ seenBy: 'http', status: 500, heading: undefined })] });
    expect(x!.title).toBe('AWS refused the sign-in: HTTP 500');
    expect(x!.message).toBe('IAM Identity Center answered with HTTP 500 (read from the HTTP status; the page itself was not read) after the POST of the SAML response to its ACS. Nothing in the capture explains it: the likeliest causes are ones a capture cannot see (below).');
    expect(x!.evidence[0]).toEqual({ label: 'AWS error', actual: 'HTTP 500' });
  });

  it('only in CloudTrail: its event in the title; its words that name a cause confirm it; words that name none are quoted', () => {
    const ct = (o: Partial<SignInLogRecord>) => log({ id: 'ct1', source: 'cloudtrail', format: 'cloudtrail-event', eventName: 'ExternalIdPDirectoryLogin', region: 'us-east-1', user: 'jane@contoso.com', ...o });
    const [x] = withResponse({ signInLogs: [ct({ code: 'InvalidRequest', reason: 'Not a valid response for the provided request id: abc' })] });
    expect(x!.title).toBe('AWS refused the sign-in: CloudTrail ExternalIdPDirectoryLogin Failure (cause confirmed by CloudTrail)');
    expect(x!.message).toBe("AWS's CloudTrail recorded a failed sign-in (ExternalIdPDirectoryLogin) for this attempt's SAML response. AWS's own CloudTrail record of this sign-in names the cause (first below).");
    expect(x!.evidence[0]).toEqual({ label: 'CloudTrail ExternalIdPDirectoryLogin (signins.json[0])', actual: `ExternalIdPDirectoryLogin Failure — "InvalidRequest: Not a valid response for the provided request id: abc" at ${T} for jane@contoso.com (us-east-1)` });
    expect(x!.causes![0]).toMatchObject({ likelihood: 'confirmed', confirmedBy: 'cloudtrail' });
    expect(x!.fix.startsWith('Start the sign-in again')).toBe(true);
    expect(x!.fix).not.toContain('Confirm it in CloudTrail');
    const [y] = withResponse({ signInLogs: [ct({ code: 'Oops', reason: 'Something odd' })] });
    expect(y!.title).toBe('AWS refused the sign-in: CloudTrail ExternalIdPDirectoryLogin Failure');
    expect(y!.message).toBe(`AWS's CloudTrail recorded a failed sign-in (ExternalIdPDirectoryLogin) for this attempt's SAML response. AWS's CloudTrail record says "Oops: Something odd", which names none of the documented causes; the likeliest are below.`);
    expect(y!.fix.startsWith('Most likely: ')).toBe(true);
    // A page that showed the error and a CloudTrail record: one finding, from the page, with the record as evidence.
    const both = withResponse({ errors: [awsPage()], signInLogs: [ct({ code: 'Oops', reason: '' })] });
    expect(both).toHaveLength(1);
    expect(both[0]!.message).toContain(`AWS's CloudTrail record says "Oops", which names none of the documented causes`);
    expect(both[0]!.evidence.map((e) => e.label).slice(0, 2)).toEqual(['AWS error', 'CloudTrail ExternalIdPDirectoryLogin (signins.json[0])']);
    // A CloudTrail success says nothing.
    expect(withResponse({ signInLogs: [ct({ outcome: 'success' })] })).toEqual([]);
  });
});
