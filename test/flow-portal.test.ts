// Where a My Apps tile led (lib/flow/findings.ts), finding by finding and word by word: the
// portal expected from Options (its URL, else the AWS entity ID's identity store and region),
// the mismatch named, the evidence, the fix; and whose words they are (lib/flow/idp.ts).
import { describe, expect, it } from 'vitest';
import { flowFindings } from '../lib/flow/findings.ts';
import { flowIdpIsEntra } from '../lib/flow/idp.ts';
import type { Flow } from '../lib/types.ts';
import type { SamlMessage } from '../lib/saml/model.ts';
import type { CapturedMessage } from '../lib/types.ts';

const PORTAL = 'd-9067aaaaaa.awsapps.com';
const ENTITY = (store: string, region = 'us-east-1') => `https://${region}.signin.aws.amazon.com/platform/saml/${store}`;

const flow = (over: Partial<Flow> = {}): Flow => ({
  id: 'f1',
  type: 'idp-initiated',
  fromMyApps: true,
  messageIds: [],
  steps: [
    { url: 'https://myapps.microsoft.com/signin/x', method: 'GET' },
    { url: `https://${PORTAL}/start/#/?tab=accounts`, method: 'GET', status: 200 },
  ] as Flow['steps'],
  portal: PORTAL,
  summary: 'IdP-initiated from My Apps',
  ...over,
});

describe('the portal a My Apps tile led to', () => {
  it('IdP-initiated, landed on another configured portal: portal-mismatch with the Reply URL fix', () => {
    const [f, ...more] = flowFindings(flow(), { portalUrl: 'https://d-9067bbbbbb.awsapps.com/start' });
    expect(more).toEqual([]);
    expect(f).toEqual({
      flowId: 'f1',
      facts: ['A4.4', 'B4.4'],
      checkId: 'portal-mismatch',
      severity: 'error',
      title: 'The My Apps tile leads to another AWS access portal',
      message: `The My Apps tile signed in and landed on the AWS access portal ${PORTAL}, which is another portal (${PORTAL} instead of d-9067bbbbbb.awsapps.com): the Entra app's default Reply URL belongs to another IAM Identity Center instance.`,
      // Host against host (found by a review: the host expected beside the URL reached), then the URL.
      evidence: [
        { label: 'access portal reached', expected: 'd-9067bbbbbb.awsapps.com', actual: PORTAL, source: 'configured' },
        { label: 'URL reached', actual: `https://${PORTAL}/start/#/?tab=accounts` },
      ],
      fix: expect.stringMatching(/Reply URL \(Assertion Consumer Service URL\): make this instance's ACS URL the default one/),
    });
  });

  it('the configured portal reached: nothing for an IdP-initiated tile; a note for one that used the Sign-on URL', () => {
    expect(flowFindings(flow(), { portalUrl: `https://${PORTAL}/start` })).toEqual([]);
    const [f] = flowFindings(flow({ type: 'sp-initiated' }), { portalUrl: `https://${PORTAL}/start` });
    expect(f).toEqual({
      flowId: 'f1',
      facts: ['A4.4', 'B4.4'],
      checkId: 'myapps-sign-on-url',
      severity: 'info',
      title: 'The My Apps tile uses the Sign-on URL',
      message: `The My Apps tile opened the AWS access portal ${PORTAL} because the Entra app has a Sign-on URL, so the sign-in ran SP-initiated from there.`,
      evidence: [{ label: 'access portal reached', expected: PORTAL, actual: `https://${PORTAL}/start/#/?tab=accounts` }],
      fix: expect.stringMatching(/→ Sign on URL: set it to the "AWS access portal sign-in URL"/),
    });
  });

  it('with nothing configured: the Sign-on URL note asks for the expected portal, without an expected value', () => {
    const [f, ...more] = flowFindings(flow({ type: 'sp-initiated', steps: [] }), undefined);
    expect(more).toEqual([]);
    expect(f!.message).toBe(
      `The My Apps tile opened the AWS access portal ${PORTAL} because the Entra app has a Sign-on URL, so the sign-in ran SP-initiated from there. Configure the expected portal or AWS entity ID to check that it is the right instance.`,
    );
    // No hop to the portal recorded: the portal's host stands as what was reached.
    expect(f!.evidence).toEqual([{ label: 'access portal reached', actual: PORTAL }]);
    expect(flowFindings(flow(), undefined)).toEqual([]);
    expect(flowFindings(flow(), {})).toEqual([]);
  });

  it('from the AWS entity ID: another identity store, or another region, each named', () => {
    const [store] = flowFindings(flow({ type: 'sp-initiated' }), { spEntityId: ENTITY('d-9067bbbbbb') });
    expect(store!.checkId).toBe('portal-mismatch');
    expect(store!.message).toBe(
      `The My Apps tile opened the AWS access portal ${PORTAL}, which is another identity store (d-9067aaaaaa instead of d-9067bbbbbb): the Entra app's Sign-on URL points at the wrong IAM Identity Center instance.`,
    );
    expect(store!.evidence).toEqual([{ label: 'access portal reached', expected: 'd-9067bbbbbb.awsapps.com, region us-east-1', actual: `https://${PORTAL}/start/#/?tab=accounts`, source: 'the configured AWS entity ID' }]);
    expect(store!.fix).toMatch(/Sign on URL/);
    // The same store: the note, with the expected store and region.
    const [same] = flowFindings(flow({ type: 'sp-initiated' }), { spEntityId: ENTITY('d-9067aaaaaa') });
    expect(same!.checkId).toBe('myapps-sign-on-url');
    expect(same!.evidence[0]!.expected).toBe('d-9067aaaaaa.awsapps.com, region us-east-1');
    // A regional portal host names its region: another region is a mismatch.
    const regional = 'ssoins-7223aaaaaaaaaaaa.eu-west-1.portal.amazonaws.com';
    const [region] = flowFindings(flow({ portal: regional, steps: [] }), { spEntityId: ENTITY('d-9067aaaaaa', 'us-east-1') });
    expect(region!.message).toContain(`which is another region (eu-west-1 instead of us-east-1)`);
    expect(region!.evidence[0]).toEqual({ label: 'access portal reached', expected: 'd-9067aaaaaa.awsapps.com, region us-east-1', actual: regional, source: 'the configured AWS entity ID' });
    expect(flowFindings(flow({ portal: regional }), { spEntityId: ENTITY('d-9067aaaaaa', 'eu-west-1') })).toEqual([]);
    // An alias portal (not d-…) cannot be compared with the store: no finding.
    expect(flowFindings(flow({ portal: 'mycompany.awsapps.com' }), { spEntityId: ENTITY('d-9067bbbbbb') })).toEqual([]);
    // An entity ID of a tenant UUID (no d-… store) and no region: expects nothing it can compare.
    const [uuid] = flowFindings(flow({ type: 'sp-initiated' }), { spEntityId: 'https://example.com/saml/12345678-1234-1234-1234-123456789abc' });
    expect(uuid!.checkId).toBe('myapps-sign-on-url');
    expect(uuid!.evidence[0]).toEqual({ label: 'access portal reached', actual: `https://${PORTAL}/start/#/?tab=accounts` });
    expect(uuid!.message).not.toContain('Configure the expected portal');
  });

  it('says nothing of an attempt not from My Apps, without a portal, or that is a logout or a fragment', () => {
    const e = { portalUrl: 'https://d-9067bbbbbb.awsapps.com/start' };
    expect(flowFindings(flow({ fromMyApps: false }), e)).toEqual([]);
    expect(flowFindings(flow({ portal: undefined }), e)).toEqual([]);
    expect(flowFindings(flow({ type: 'logout' }), e)).toEqual([]);
    expect(flowFindings(flow({ type: 'fragment' }), e)).toEqual([]);
    // An unreadable configured portal URL: nothing to compare, no finding for IdP-initiated.
    expect(flowFindings(flow(), { portalUrl: 'not a url' })).toEqual([]);
  });

  it("speaks of the identity provider, not Entra, when the attempt's identity provider is not Entra", () => {
    const okta = flow({ steps: [{ url: 'https://acme.okta.com/app/x/sso/saml', method: 'POST' }, { url: `https://${PORTAL}/start`, method: 'GET' }] as Flow['steps'] });
    const e = { portalUrl: 'https://d-9067bbbbbb.awsapps.com/start', idpEntityId: 'http://www.okta.com/exk1' };
    const [f] = flowFindings(okta, e);
    expect(f!.checkId).toBe('portal-mismatch');
    expect(`${f!.message} ${f!.fix}`).not.toMatch(/Entra/);
    // The same attempt with no identity provider configured: nothing names another, so Entra's words.
    const [g] = flowFindings(flow(), { portalUrl: e.portalUrl });
    expect(g!.message).toContain("the Entra app's default Reply URL");
    expect(flowFindings(flow(), e)[0]!.message).toContain("the default Reply URL of the AWS app in the identity provider");
  });
});

describe("the attempt's identity provider", () => {
  const msg = (kind: 'Response' | 'AuthnRequest', issuer: string, url: string) => ({
    capture: { id: kind, url, raw: '' } as unknown as CapturedMessage,
    model: { kind, issuer: { value: issuer }, assertions: [] } as unknown as SamlMessage,
  });
  const ENTRA = 'https://sts.windows.net/2b0f8f0e-1111-2222-3333-444455556666/';
  const withMessages = (ids: string[]) => flow({ messageIds: ids, steps: [] });

  it("is the Response's Issuer first, then the AuthnRequest's destination, then a hop, then the configured IdP", () => {
    const m = new Map([
      ['r', msg('Response', 'http://www.okta.com/exk1', 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x')],
      ['q', msg('AuthnRequest', 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067aaaaaa', 'https://login.microsoftonline.com/t/saml2')],
      ['e', msg('Response', ENTRA, 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x')],
    ]);
    expect(flowIdpIsEntra(withMessages(['q', 'r']), m)).toBe(false);
    expect(flowIdpIsEntra(withMessages(['q', 'e']), m)).toBe(true);
    // The request alone: it went to Entra's sign-in host.
    expect(flowIdpIsEntra(withMessages(['q']), m)).toBe(true);
    const toOkta = new Map([['q', msg('AuthnRequest', 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067aaaaaa', 'https://acme.okta.com/app/sso/saml')]]);
    expect(flowIdpIsEntra(withMessages(['q']), toOkta)).toBe(false);
    // A message without a model is not read; an id not analysed is skipped.
    const noModel = new Map([['r', { capture: { id: 'r', url: 'https://x', raw: '' } as unknown as CapturedMessage }]]);
    expect(flowIdpIsEntra(withMessages(['r', 'missing']), noModel, { idpEntityId: 'http://www.okta.com/exk1' })).toBe(false);
    // No message: a hop to Entra's host says Entra, whatever is configured.
    expect(flowIdpIsEntra(flow({ steps: [{ url: 'https://login.microsoftonline.com/t/saml2', method: 'GET' }] as Flow['steps'] }), new Map(), { idpEntityId: 'http://www.okta.com/exk1' })).toBe(true);
    // Neither: the configured IdP decides; nothing at all: Entra, the integration this is for.
    const bare = flow({ steps: [{ url: `https://${PORTAL}/start`, method: 'GET' }] as Flow['steps'] });
    expect(flowIdpIsEntra(bare, new Map(), { idpEntityId: 'http://www.okta.com/exk1' })).toBe(false);
    expect(flowIdpIsEntra(bare, new Map(), { idpEntityId: ENTRA })).toBe(true);
    expect(flowIdpIsEntra(bare, new Map(), {})).toBe(true);
    expect(flowIdpIsEntra(bare, new Map())).toBe(true);
  });
});
