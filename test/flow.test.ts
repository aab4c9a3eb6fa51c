import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import type { FlowStep } from '../lib/types.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { T0 } from './clock.ts';

const t0 = T0;
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
const launcher = `https://launcher.myapps.microsoft.com/api/signin/abc?tenantId=${LAB.tenantId}`;

function spFlowFrom(portal: string, withLauncher: boolean) {
  const id = samlId();
  const steps: FlowStep[] = [
    ...(withLauncher ? [{ url: launcher, method: 'GET', status: 302, time: at(0), tabId: 1 }] : []),
    { url: portal, method: 'GET', status: 302, time: at(1), tabId: 1 },
  ];
  return analyze({
    messages: [
      { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: at(2), tabId: 1 },
      { id: 'r', raw: toPost(signedResponse({ inResponseTo: id, issueInstant: new Date(t0) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: at(3), tabId: 1 },
    ],
    steps,
    expectations: { spEntityId: LAB.spEntityId, portalUrl: LAB.portalUrl },
  });
}

describe('flows and where a My Apps tile leads', () => {
  it('an SP-initiated sign-in from the portal is not said to come from My Apps', () => {
    const a = spFlowFrom(LAB.portalUrl, false);
    expect(a.flows[0]).toMatchObject({ type: 'sp-initiated', fromMyApps: false, portal: `${LAB.identityStoreId}.awsapps.com` });
    expect(a.flows[0]!.steps.map((s) => s.method)).toEqual(['GET', 'GET', 'POST']);
    expect(a.findings.map((f) => f.checkId)).toEqual([]);
  });

  it('a My Apps tile with a Sign-on URL to the right portal is an info', () => {
    const a = spFlowFrom(LAB.portalUrl, true);
    expect(a.flows[0]!.fromMyApps).toBe(true);
    expect(a.flows[0]!.summary).toMatch(/My Apps tile \(Sign-on URL\)/);
    expect(a.findings.map((f) => [f.checkId, f.severity])).toEqual([['myapps-sign-on-url', 'info']]);
  });

  it('a My Apps tile whose Sign-on URL leads to another instance is an error naming both portals', () => {
    const a = spFlowFrom('https://d-0000000000.awsapps.com/start', true);
    const f = a.findings.find((x) => x.checkId === 'portal-mismatch')!;
    expect(f.severity).toBe('error');
    expect(f.evidence.slice(0, 2)).toMatchObject([
      { expected: `${LAB.identityStoreId}.awsapps.com`, actual: 'd-0000000000.awsapps.com' },
      { label: 'URL reached', actual: 'https://d-0000000000.awsapps.com/start' },
    ]);
  });

  it('an IdP-initiated sign-in that lands on the right portal says nothing about the Sign-on URL', () => {
    const a = analyze({
      messages: [{ id: 'r', raw: toPost(signedResponse({ issueInstant: new Date(t0) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: at(2), tabId: 1 }],
      steps: [
        { url: launcher, method: 'GET', status: 302, time: at(0), tabId: 1 },
        { url: LAB.portalUrl, method: 'GET', status: 200, time: at(3), tabId: 1 },
      ],
      expectations: { portalUrl: LAB.portalUrl },
    });
    expect(a.flows[0]).toMatchObject({ type: 'idp-initiated', fromMyApps: true });
    expect(a.findings.filter((f) => f.flowId && !f.messageId)).toEqual([]);
  });

  it('steps of another tab do not join the flow', () => {
    const a = analyze({
      messages: [{ id: 'r', raw: toPost(signedResponse({ issueInstant: new Date(t0) })), param: 'SAMLResponse', url: LAB.acsUrl, time: at(2), tabId: 1 }],
      steps: [{ url: launcher, method: 'GET', time: at(0), tabId: 2 }],
    });
    expect(a.flows[0]!.fromMyApps).toBe(false);
  });

  it('measures clock skew from the server Date header', () => {
    const a = analyze({
      messages: [{ id: 'r', raw: toPost(signedResponse({ issueInstant: new Date(t0) })), url: LAB.acsUrl, time: at(0), serverDate: new Date(t0 + 125_000).toUTCString() }],
    });
    expect(a.flows[0]!.clockSkewSeconds).toBe(125);
  });
});

describe('pairing a response with the request it should answer', () => {
  it('a response answering another (stale) request right after a captured one joins it, and the mismatch is an error', () => {
    const id = samlId();
    const a = analyze({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', url: LAB.ssoUrl, time: at(0), tabId: 3 },
        { id: 'r', raw: toPost(signedResponse({ inResponseTo: '_stale-request', issueInstant: new Date(t0) })), param: 'SAMLResponse', url: LAB.acsUrl, time: at(5), tabId: 3 },
      ],
    });
    expect(a.flows).toHaveLength(1);
    expect(a.flows[0]!.type).toBe('sp-initiated');
    const f = a.findings.filter((x) => x.checkId === 'in-response-to-mismatch');
    expect(f.map((x) => x.severity)).toContain('error');
  });

  it('does not pair across tabs; on the same tab the waiting request is answered whatever the time between', () => {
    const id = samlId();
    const a = analyze({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', time: at(0), tabId: 3 },
        { id: 'r1', raw: toPost(signedResponse({ inResponseTo: '_x', issueInstant: new Date(t0) })), param: 'SAMLResponse', time: at(5), tabId: 4 },
        { id: 'r2', raw: toPost(signedResponse({ inResponseTo: '_y', issueInstant: new Date(t0) })), param: 'SAMLResponse', time: at(700), tabId: 3 },
      ],
    });
    // r1 (another tab) is a fragment of its own; r2 answers the request its tab is waiting on,
    // even 700 s later (a slow MFA prompt): order, not a time window, ties them.
    expect(a.flows.map((f) => [f.type, f.messageIds])).toEqual([
      ['sp-initiated', ['q', 'r2']],
      ['fragment', ['r1']],
    ]);
  });
});

describe('messageGroups (retention evicts whole attempts with it)', () => {
  it('groups the messages as assembleFlows does, attempt for attempt, in a session with retries over three tabs', async () => {
    const { SessionSim } = await import('./session-sim.ts');
    const { messageGroups, assembleFlows } = await import('../lib/flow/index.ts');
    const { flowItemOf } = await import('../lib/capture/state.ts');
    const { LAB } = await import('./lab/factory.ts');
    const sim = new SessionSim();
    for (let i = 0; i < 12; i++) {
      if (i % 4 === 3) sim.idpAttempt(1 + (i % 3), {});
      else if (i % 5 === 2) sim.spAttempt(1 + (i % 3), 'entra-stops');
      else sim.spAttempt(1 + (i % 3), i % 3 === 1 ? { audience: `${LAB.spEntityId}/` } : {});
    }
    const items = sim.state.messages.map(flowItemOf);
    const flows = assembleFlows(items);
    expect(messageGroups(items)).toEqual(flows.map((f) => f.messageIds));
    expect(flows.length).toBeGreaterThan(10);
  });
});
