// The go-live checklist over real lab-made sign-ins analysed by analyze(): each item's pass, fail
// and pending cases, its Markdown section, and the export (redacted and not).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../lib/analyze.ts';
import {
  buildChecklist,
  checklistSummary,
  MULTIPLE_AUTHN,
  scimLookupsFromCrossChecks,
  type Checklist,
  type ChecklistItem,
  type ChecklistItemId,
  type ScimChecklistInput,
} from '../lib/checklist/index.ts';
import type { Expectations } from '../lib/checks/types.ts';
import { exportEvidence } from '../lib/evidence/export.ts';
import { renderMarkdown } from '../lib/report/markdown.ts';
import type { CrossCheckResult } from '../lib/scim/crosscheck.ts';
import type { CapturedMessage, FlowStep, PageError } from '../lib/types.ts';
import { main, type Io } from '../cli/main.ts';
import { labCapture, PEOPLE } from './evidence/fixtures.ts';
import { findLeaks } from './evidence/scan.ts';
import { labSignInHar } from './fixtures/har.ts';
import { CLAIM, LAB, makeAuthnRequest, makeResponse, samlId, signedResponse, toPost, toRedirect, type ResponseOptions, type SignOptions } from './lab/factory.ts';
import { makeKey, type TestKey } from './lab/keys.ts';

const t0 = Date.parse('2026-11-25T10:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
const DAY = 86400e3;
/** The reference time of the checklist: an hour after the sign-ins. */
const NOW = new Date(t0 + 3600e3);
const LAUNCHER = `https://launcher.myapps.microsoft.com/api/signin/abc?tenantId=${LAB.tenantId}`;
const PORTAL_HOST = `${LAB.identityStoreId}.awsapps.com`;
const EXPECT: Expectations = { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, portalUrl: LAB.portalUrl, expectedAccessControlKeys: ['Department', 'CostCenter'] };
const AC = { Department: 'Engineering', CostCenter: 'CC-1042' };

let GOOD_KEY: TestKey;
let SOON_KEY: TestKey;
let EXPIRED_KEY: TestKey;
let EDGE_KEY: TestKey;
let JUST_OVER_KEY: TestKey;

beforeAll(async () => {
  const from = new Date(t0 - 300 * DAY);
  [GOOD_KEY, SOON_KEY, EXPIRED_KEY, EDGE_KEY, JUST_OVER_KEY] = await Promise.all([
    makeKey('CN=Microsoft Azure Federated SSO Certificate', { notBefore: from, notAfter: new Date(NOW.getTime() + 400 * DAY) }),
    makeKey('CN=Microsoft Azure Federated SSO Certificate', { notBefore: from, notAfter: new Date(NOW.getTime() + 10 * DAY) }),
    makeKey('CN=Microsoft Azure Federated SSO Certificate', { notBefore: from, notAfter: new Date(NOW.getTime() - 2 * DAY) }),
    makeKey('CN=Microsoft Azure Federated SSO Certificate', { notBefore: from, notAfter: new Date(NOW.getTime() + 30 * DAY) }),
    makeKey('CN=Microsoft Azure Federated SSO Certificate', { notBefore: from, notAfter: new Date(NOW.getTime() + 30 * DAY + 3600e3) }),
  ]);
});

interface Capture {
  messages: CapturedMessage[];
  steps: FlowStep[];
}

/** How AWS answered the POST to the ACS: landed on the portal, a bare redirect, nothing captured, or an HTTP status. */
type Outcome = 'portal' | 'redirect' | 'unknown' | number;

function respond(msg: CapturedMessage, steps: FlowStep[], outcome: Outcome, tab: number, t: number): void {
  if (outcome === 'portal') {
    msg.status = 302;
    msg.redirectTo = `${LAB.portalUrl}/`;
    steps.push({ url: `${LAB.portalUrl}/`, method: 'GET', status: 200, time: at(t + 1), tabId: tab });
  } else if (outcome === 'redirect') msg.status = 302;
  else if (typeof outcome === 'number') msg.status = outcome;
}

interface SignInOptions {
  response?: ResponseOptions;
  sign?: SignOptions;
  outcome?: Outcome;
  /** IdP-initiated: the My Apps launcher opened it (default). SP-initiated: it started at the portal (default). */
  start?: boolean;
  /** The Response XML as posted, instead of a signed lab response. */
  xml?: string;
}

/** An IdP-initiated sign-in from the My Apps tile, on its own tab, `s` seconds after t0. */
function idp(tab: number, s: number, o: SignInOptions = {}): Capture {
  const xml = o.xml ?? signedResponse({ issueInstant: new Date(t0 + s * 1000), accessControl: AC, ...o.response }, { key: GOOD_KEY, ...o.sign });
  const msg: CapturedMessage = { id: `idp-${tab}`, raw: toPost(xml), param: 'SAMLResponse', binding: 'post', url: LAB.acsUrl, method: 'POST', time: at(s + 2), tabId: tab };
  const steps: FlowStep[] = o.start === false ? [] : [{ url: LAUNCHER, method: 'GET', status: 200, time: at(s), tabId: tab }];
  respond(msg, steps, o.outcome ?? 'portal', tab, s + 2);
  return { messages: [msg], steps };
}

/** An SP-initiated sign-in started at the access portal, on its own tab, `s` seconds after t0. */
function sp(tab: number, s: number, o: SignInOptions = {}): Capture {
  const id = samlId();
  const steps: FlowStep[] = o.start === false ? [] : [{ url: LAB.portalUrl, method: 'GET', status: 302, time: at(s), tabId: tab }];
  const req: CapturedMessage = {
    id: `sp-${tab}-req`,
    raw: toRedirect(makeAuthnRequest({ id, issueInstant: new Date(t0 + (s + 1) * 1000) })),
    param: 'SAMLRequest',
    binding: 'redirect',
    url: LAB.ssoUrl,
    method: 'GET',
    time: at(s + 1),
    tabId: tab,
  };
  const xml = o.xml ?? signedResponse({ inResponseTo: id, issueInstant: new Date(t0 + (s + 2) * 1000), accessControl: AC, ...o.response }, { key: GOOD_KEY, ...o.sign });
  const resp: CapturedMessage = { id: `sp-${tab}`, raw: toPost(xml), param: 'SAMLResponse', binding: 'post', url: LAB.acsUrl, method: 'POST', time: at(s + 3), tabId: tab };
  respond(resp, steps, o.outcome ?? 'portal', tab, s + 3);
  return { messages: [req, resp], steps };
}

/** An AuthnRequest sent from the portal that got no Response (Entra showed an error page instead). */
function stopped(tab: number, s: number): Capture {
  return {
    messages: [
      { id: `stop-${tab}`, raw: toRedirect(makeAuthnRequest({ id: samlId(), issueInstant: new Date(t0 + s * 1000) })), param: 'SAMLRequest', binding: 'redirect', url: LAB.ssoUrl, method: 'GET', time: at(s + 1), tabId: tab },
    ],
    steps: [{ url: LAB.portalUrl, method: 'GET', status: 302, time: at(s), tabId: tab }],
  };
}

function entraError(code: string, s: number, extra: Partial<PageError> = {}): PageError {
  return { id: `pe-${code}-${s}`, source: 'entra', code, message: 'as shown', url: LAB.ssoUrl, time: at(s), seenBy: 'page', ...extra };
}

interface RunOptions {
  expectations?: Expectations;
  scim?: ScimChecklistInput;
  /** Page errors per flow (by the id of one of its messages), set on the Flow as the capture would. */
  errors?: Record<string, PageError[]>;
  now?: Date;
}

function run(caps: Capture[], o: RunOptions = {}): { a: AnalysisResult; c: Checklist } {
  const a = analyze({ messages: caps.flatMap((c) => c.messages), steps: caps.flatMap((c) => c.steps), expectations: o.expectations ?? EXPECT });
  for (const [messageId, errs] of Object.entries(o.errors ?? {})) {
    const f = a.flows.find((x) => x.messageIds.includes(messageId));
    if (!f) throw new Error(`no flow with message ${messageId}`);
    f.errors = [...(f.errors ?? []), ...errs];
  }
  const c = buildChecklist({ analysis: a, expectations: o.expectations ?? EXPECT, now: o.now ?? NOW, ...(o.scim ? { scim: o.scim } : {}) });
  return { a, c };
}

function item(c: Checklist, id: ChecklistItemId): ChecklistItem {
  const i = c.items.find((x) => x.id === id);
  if (!i) throw new Error(`no item ${id}`);
  return i;
}

const flowOf = (a: AnalysisResult, messageId: string) => a.flows.find((f) => f.messageIds.includes(messageId))!.id;

describe('the checklist', () => {
  it('has the seven items of the test plan, in order, with counts that add up', () => {
    const { c } = run([]);
    expect(c.items.map((i) => i.id)).toEqual(['idp-initiated', 'sp-initiated', 'attributes', 'mfa', 'unassigned-denied', 'certificate', 'scim-users']);
    expect(c.items.every((i) => i.status === 'pending' || (i.id === 'scim-users' && i.status === 'not-applicable'))).toBe(true);
    expect(c.counts).toEqual({ pass: 0, fail: 0, pending: 6, 'not-applicable': 1 });
    expect(checklistSummary(c)).toBe('0 of 6 done, 6 to test');
    expect(c.now).toBe(NOW.toISOString());
    for (const i of c.items) expect(i.facts.length).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const caps = [idp(1, 0), sp(2, 60)];
    expect(run(caps).c).toEqual(run(caps).c);
  });
});

describe('idp-initiated', () => {
  it('passes when a sign-in from the My Apps tile lands on the access portal, linking to its flow and response', () => {
    const { a, c } = run([idp(1, 0)]);
    const i = item(c, 'idp-initiated');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain(`landed on the access portal ${PORTAL_HOST}`);
    expect(i.detail).toContain('at 2026-11-25T10:00:02Z');
    expect(i.evidence[0]).toMatchObject({ flowId: flowOf(a, 'idp-1'), messageId: 'idp-1' });
  });

  it('passes when the POST to the ACS is answered with a redirect', () => {
    const i = item(run([idp(1, 0, { outcome: 'redirect' })]).c, 'idp-initiated');
    expect(i.status).toBe('pass');
    expect(i.detail).toMatch(/redirect \(HTTP 302\)/);
  });

  it('fails when the response has an error finding, naming the first one', () => {
    const { a, c } = run([idp(1, 0, { response: { audience: 'https://wrong.example/' } })]);
    const i = item(c, 'idp-initiated');
    expect(i.status).toBe('fail');
    const f = a.findings.find((x) => x.severity === 'error' && x.messageId === 'idp-1')!;
    expect(f.checkId).toBe('audience-mismatch');
    expect(i.detail).toContain(f.title);
    expect(i.evidence).toEqual([
      { flowId: flowOf(a, 'idp-1'), text: a.flows[0]!.summary },
      { flowId: flowOf(a, 'idp-1'), messageId: 'idp-1', text: `${f.title} (audience-mismatch)` },
    ]);
  });

  it("fails on AWS's error page after the POST, even with no error finding", () => {
    const aws: PageError = { id: 'aws-1', source: 'aws', url: LAB.acsUrl, time: at(3), seenBy: 'page', heading: "It's not you, it's us" };
    const { a, c } = run([idp(1, 0, { outcome: 'unknown' })], { errors: { 'idp-1': [aws] } });
    expect(a.findings.filter((f) => f.severity === 'error' && f.messageId === 'idp-1')).toEqual([]);
    const i = item(c, 'idp-initiated');
    expect(i.status).toBe('fail');
    expect(i.detail).toContain("It's not you, it's us");
  });

  it("names the cause a check found, not AWS's error page, when both are there (found by a review)", () => {
    // AWS's page as the capture records it (a page error the analysis reads): aws-sign-in-error beside the cause.
    const aws: PageError = { id: 'aws-1', source: 'aws', url: LAB.acsUrl, time: at(3), seenBy: 'page', heading: 'An unexpected error has occurred', tabId: 1 };
    const cap = idp(1, 0, { outcome: 'unknown', response: { audience: 'https://wrong.example/' } });
    const a = analyze({ messages: cap.messages, steps: cap.steps, pageErrors: [aws], expectations: EXPECT });
    const c = buildChecklist({ analysis: a, expectations: EXPECT, now: NOW });
    expect(a.findings.filter((f) => f.severity === 'error').map((f) => f.checkId).sort()).toEqual(['audience-mismatch', 'aws-sign-in-error']);
    const i = item(c, 'idp-initiated');
    expect(i.status).toBe('fail');
    expect(i.evidence[1]!.text).toMatch(/\(audience-mismatch\)$/);
    expect(i.detail).not.toContain('aws-sign-in-error');
  });

  it('fails when AWS answers the POST with an HTTP error', () => {
    expect(item(run([idp(1, 0, { outcome: 400 })]).c, 'idp-initiated').status).toBe('fail');
  });

  it('is pending with what to do when none was captured', () => {
    const i = item(run([sp(1, 0)]).c, 'idp-initiated');
    expect(i.status).toBe('pending');
    expect(i.detail).toBe('Open the AWS IAM Identity Center tile in My Apps (https://myapps.microsoft.com) with the extension running.');
    expect(i.evidence).toEqual([]);
  });

  it('is pending when the IdP-initiated sign-in did not start at My Apps, saying so', () => {
    const { a, c } = run([idp(1, 0, { start: false })]);
    expect(a.flows[0]).toMatchObject({ type: 'idp-initiated', fromMyApps: false });
    const i = item(c, 'idp-initiated');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('not started from My Apps');
    expect(i.evidence[0]!.flowId).toBe(a.flows[0]!.id);
  });

  it("is pending when AWS's answer to the POST was not captured", () => {
    const i = item(run([idp(1, 0, { outcome: 'unknown' })]).c, 'idp-initiated');
    expect(i.status).toBe('pending');
    expect(i.detail).toMatch(/was captured at .* but not whether it worked/);
  });

  it('follows the latest attempt: a failure fixed later passes, a later failure fails', () => {
    const broken = { response: { audience: 'https://wrong.example/' } };
    const fixed = item(run([idp(1, 0, broken), idp(2, 300)]).c, 'idp-initiated');
    expect(fixed.status).toBe('pass');
    expect(fixed.detail).toContain('after 1 failed attempt');
    const regressed = run([idp(1, 0), idp(2, 300, broken)]);
    const r = item(regressed.c, 'idp-initiated');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('(an earlier one worked)');
    expect(r.evidence[0]!.flowId).toBe(flowOf(regressed.a, 'idp-2'));
  });
});

describe('sp-initiated', () => {
  it('passes when a sign-in started at the access portal lands on it again', () => {
    const { a, c } = run([sp(1, 0)]);
    expect(a.flows[0]!.type).toBe('sp-initiated');
    const i = item(c, 'sp-initiated');
    expect(i.status).toBe('pass');
    expect(i.evidence[0]).toMatchObject({ flowId: flowOf(a, 'sp-1'), messageId: 'sp-1' });
    expect(item(c, 'idp-initiated').status).toBe('pending');
  });

  it('fails when its response has an error finding', () => {
    const i = item(run([sp(1, 0, { response: { nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' } })]).c, 'sp-initiated');
    expect(i.status).toBe('fail');
    expect(i.evidence[1]!.text).toContain('(nameid-format)');
  });

  it('is pending when the sign-in was not seen to start at the access portal', () => {
    const { a, c } = run([sp(1, 0, { start: false })]);
    expect(a.flows[0]!.portal).toBe(PORTAL_HOST); // it landed there, but did not start there
    const i = item(c, 'sp-initiated');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('not seen to start at the access portal');
  });

  it('is pending with the portal URL to open when none was captured', () => {
    const i = item(run([idp(1, 0)]).c, 'sp-initiated');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain(`(${LAB.portalUrl})`);
  });
});

describe('attributes', () => {
  it('passes when email, first and last name and every expected AccessControl key arrive', () => {
    const i = item(run([idp(1, 0)]).c, 'attributes');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain('carries email, first name, last name, AccessControl:Department and AccessControl:CostCenter.');
    expect(i.evidence[0]!.messageId).toBe('idp-1');
  });

  it('fails listing what is missing from the latest accepted response', () => {
    const response: ResponseOptions = {
      defaultClaims: false,
      accessControl: { Department: 'Engineering' },
      attributes: [
        { name: CLAIM.email, values: [LAB.user] },
        { name: CLAIM.givenName, values: ['Alex'] },
        { name: 'https://aws.amazon.com/SAML/Attributes//AccessControl:CostCenter', values: ['CC-1042'] },
      ],
    };
    const i = item(run([idp(1, 0, { response })]).c, 'attributes');
    expect(i.status).toBe('fail');
    expect(i.detail).toContain(`last name (${CLAIM.surname})`);
    expect(i.detail).toContain('AccessControl:CostCenter (sent under the malformed name');
    expect(i.detail).not.toContain('email (');
    expect(i.detail).not.toContain('AccessControl:Department');
    expect(i.detail).toContain('Attributes & Claims');
  });

  it('reads the latest accepted response, not an earlier one', () => {
    const early = idp(1, 0, { response: { defaultClaims: false } });
    expect(item(run([early]).c, 'attributes').status).toBe('fail');
    expect(item(run([early, idp(2, 300)]).c, 'attributes').status).toBe('pass');
  });

  it('says when no AccessControl keys are expected', () => {
    const i = item(run([idp(1, 0)], { expectations: { spEntityId: LAB.spEntityId } }).c, 'attributes');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain('no AccessControl keys are expected');
  });

  it('is pending with no response, or when it is not known that AWS accepted the response', () => {
    expect(item(run([stopped(1, 0)]).c, 'attributes').status).toBe('pending');
    const i = item(run([idp(1, 0, { outcome: 'unknown' })]).c, 'attributes');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('whether AWS accepted it was not captured');
  });
});

describe('mfa', () => {
  const claims = (methods: string[]): ResponseOptions => ({
    defaultClaims: false,
    attributes: [
      { name: CLAIM.email, values: [LAB.user] },
      { name: CLAIM.givenName, values: ['Alex'] },
      { name: CLAIM.surname, values: ['Morgan'] },
      { name: CLAIM.authMethods, values: methods },
    ],
  });
  const PASSWORD = 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password';

  it('passes when the authnmethodsreferences claim lists multipleauthn', () => {
    const i = item(run([idp(1, 0, { response: claims([PASSWORD, MULTIPLE_AUTHN]) })]).c, 'mfa');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain(`${CLAIM.authMethods} claim lists ${MULTIPLE_AUTHN}`);
    expect(i.evidence[0]!.messageId).toBe('idp-1');
  });

  it('passes when the AuthnContextClassRef is multipleauthn', () => {
    const i = item(run([sp(1, 0, { response: { authnContextClassRef: MULTIPLE_AUTHN } })]).c, 'mfa');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain('AuthnContextClassRef');
  });

  it('is pending (never failing) after a password-only sign-in, saying when it matters and how to test', () => {
    const i = item(run([idp(1, 0, { response: claims([PASSWORD]) })]).c, 'mfa');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('Conditional Access');
    expect(i.detail).toContain(MULTIPLE_AUTHN);
  });

  it('says when Entra asked for MFA but no response after it was captured', () => {
    const { a, c } = run([stopped(1, 0)], { errors: { 'stop-1': [entraError('AADSTS50076', 2)] } });
    const i = item(c, 'mfa');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('Entra asked for MFA (AADSTS50076)');
    expect(i.evidence[0]!.flowId).toBe(a.flows[0]!.id);
  });
});

describe('unassigned-denied', () => {
  it('passes when Entra stopped a user with AADSTS50105 before AWS, with the Correlation Id', () => {
    const { a, c } = run([stopped(1, 0)], { errors: { 'stop-1': [entraError('AADSTS50105', 2, { correlationId: '9f8e7d6c-0000-4000-8000-00000000dcba' })] } });
    const i = item(c, 'unassigned-denied');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain('AADSTS50105 at 2026-11-25T10:00:02Z');
    expect(i.detail).toContain('Correlation Id 9f8e7d6c-0000-4000-8000-00000000dcba');
    expect(i.evidence[0]!.flowId).toBe(a.flows[0]!.id);
  });

  it('is pending on other Entra errors or none', () => {
    expect(item(run([stopped(1, 0)], { errors: { 'stop-1': [entraError('AADSTS50011', 2)] } }).c, 'unassigned-denied').status).toBe('pending');
    const i = item(run([idp(1, 0)]).c, 'unassigned-denied');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('not assigned to the app');
  });
});

describe('certificate', () => {
  it('passes with more than 30 days left, naming the date and the days', () => {
    const i = item(run([idp(1, 0)]).c, 'certificate');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain(`SHA-1 thumbprint ${GOOD_KEY.sha1}`);
    expect(i.detail).toContain('400 days left');
    expect(i.evidence[0]!.messageId).toBe('idp-1');
  });

  it('fails with 30 days or less left, or expired, with the date and the days', () => {
    const soon = item(run([idp(1, 0, { sign: { key: SOON_KEY } })]).c, 'certificate');
    expect(soon.status).toBe('fail');
    expect(soon.detail).toContain(`expires on ${new Date(NOW.getTime() + 10 * DAY).toISOString().replace('.000Z', 'Z')}, 10 days left`);
    expect(soon.detail).toContain('upload it to AWS');
    const expired = item(run([idp(1, 0, { sign: { key: EXPIRED_KEY } })]).c, 'certificate');
    expect(expired.status).toBe('fail');
    expect(expired.detail).toContain('expired on');
    expect(expired.detail).toContain('2 days before');
  });

  it('draws the line at 30 days', () => {
    expect(item(run([idp(1, 0, { sign: { key: EDGE_KEY } })]).c, 'certificate').status).toBe('fail');
    expect(item(run([idp(1, 0, { sign: { key: JUST_OVER_KEY } })]).c, 'certificate').status).toBe('pass');
  });

  it('judges the latest signed response, at the time given', () => {
    expect(item(run([idp(1, 0, { sign: { key: SOON_KEY } }), idp(2, 300)]).c, 'certificate').status).toBe('pass');
    expect(item(run([idp(1, 0)], { now: new Date(NOW.getTime() + 380 * DAY) }).c, 'certificate').status).toBe('fail');
  });

  it('is pending when no signed response was captured', () => {
    const i = item(run([idp(1, 0, { xml: makeResponse({ issueInstant: new Date(t0), accessControl: AC }) })]).c, 'certificate');
    expect(i.status).toBe('pending');
  });
});

describe('scim-users', () => {
  const configured = (lookups: ScimChecklistInput['lookups']): ScimChecklistInput => ({ configured: true, lookups });

  it('is not applicable when SCIM is not configured', () => {
    expect(item(run([idp(1, 0)]).c, 'scim-users').status).toBe('not-applicable');
    expect(item(run([idp(1, 0)], { scim: { configured: false, lookups: [] } }).c, 'scim-users').status).toBe('not-applicable');
  });

  it('is pending until the NameID that signed in is looked up', () => {
    const i = item(run([idp(1, 0)], { scim: configured([]) }).c, 'scim-users');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain(LAB.user);
    const failed = item(run([idp(1, 0)], { scim: configured([{ nameId: LAB.user, found: false, error: 'offline' }]) }).c, 'scim-users');
    expect(failed.status).toBe('pending');
  });

  it('is pending when no sign-in succeeded', () => {
    const i = item(run([idp(1, 0, { outcome: 'unknown' })], { scim: configured([{ nameId: LAB.user, found: false }]) }).c, 'scim-users');
    expect(i.status).toBe('pending');
    expect(i.detail).toContain('No successful sign-in');
  });

  it('passes when every NameID that signed in was found (the filter ignores case)', () => {
    const other = 'sam.lee@contoso.com';
    const caps = [idp(1, 0), sp(2, 60, { response: { nameId: other } })];
    const lookups = [
      { nameId: LAB.user.toUpperCase(), found: true, userName: LAB.user },
      { nameId: other, found: true, userName: other },
    ];
    const i = item(run(caps, { scim: configured(lookups) }).c, 'scim-users');
    expect(i.status).toBe('pass');
    expect(i.detail).toContain(`${LAB.user} and ${other}`);
    expect(i.evidence).toHaveLength(2);
    // One of them not looked up yet: pending.
    expect(item(run(caps, { scim: configured(lookups.slice(0, 1)) }).c, 'scim-users').status).toBe('pending');
  });

  it('fails listing the NameIDs Identity Center does not have; the latest lookup wins', () => {
    const { a, c } = run([idp(1, 0)], { scim: configured([{ nameId: LAB.user, found: true }, { nameId: LAB.user, found: false }]) });
    const i = item(c, 'scim-users');
    expect(i.status).toBe('fail');
    expect(i.detail).toContain(`no user named ${LAB.user}`);
    expect(i.evidence[0]).toMatchObject({ flowId: flowOf(a, 'idp-1'), messageId: 'idp-1' });
  });

  it('reads the SCIM cross-check results', () => {
    const ident = (nameId: string) => ({ nameId, nameIdPath: '/Response/Assertion/Subject/NameID', messageId: 'm' });
    const results: Pick<CrossCheckResult, 'identity' | 'user' | 'error'>[] = [
      { identity: ident('a@contoso.com'), user: { id: 'u1', userName: 'A@contoso.com', emails: [], active: false, raw: {} } },
      { identity: ident('b@contoso.com'), error: { kind: 'unauthorized', message: 'token expired' } },
      { identity: ident('c@contoso.com') },
    ];
    expect(scimLookupsFromCrossChecks(results)).toEqual([
      { nameId: 'a@contoso.com', found: true, userName: 'A@contoso.com', active: false },
      { nameId: 'b@contoso.com', found: false, error: 'token expired' },
      { nameId: 'c@contoso.com', found: false },
    ]);
  });
});

describe('Markdown', () => {
  it('renders the checklist as a task list with status words, details and evidence references', () => {
    const { a, c } = run([idp(1, 0), sp(2, 60, { response: { audience: 'https://wrong.example/' } })]);
    const md = renderMarkdown(a, { checklist: c });
    const section = md.slice(md.indexOf('## Go-live checklist'));
    expect(md).toContain('\n## Go-live checklist\n\n3 of 6 done, 1 failing, 2 to test;');
    expect(section).toContain('- [x] ✅ **IdP-initiated sign-in works (from My Apps)** (done): IdP-initiated sign-in from My Apps worked at');
    expect(section).toContain('- [ ] ❌ **SP-initiated sign-in works (from the access portal)** (failing):');
    expect(section).toContain('- [ ] ⏳ **Step-up MFA is seen when required** (to test):');
    expect(section).toContain('- [ ] ➖ **The users who signed in exist in Identity Center (SCIM)** (not applicable):');
    // Sign-ins and messages are named as people read them, never by internal id.
    expect(section).toMatch(/ {2}- sign-in #1 \(\d\d:\d\d:\d\d UTC\), Response \d\d:\d\d:\d\d: /);
    expect(section).toMatch(/ {2}- sign-in #2 \(\d\d:\d\d:\d\d UTC\), Response \d\d:\d\d:\d\d: /);
    expect(section).not.toContain(flowOf(a, 'idp-1'));
    expect(section).not.toMatch(/`(idp-1|sp-2)`/);
    expect(renderMarkdown(a)).not.toContain('Go-live checklist');
  });

  it('escapes what comes from the capture', () => {
    const evil = 'x<img src=x onerror=alert(1)>@contoso.com';
    const { a, c } = run([idp(1, 0)], { scim: { configured: true, lookups: [] } });
    const i = item(c, 'scim-users');
    i.detail = `Not looked up yet: ${evil}`;
    const md = renderMarkdown(a, { checklist: c });
    expect(md).toContain('x\\<img src=x onerror=alert(1)\\>@contoso.com');
    expect(md).not.toMatch(/(^|[^\\])<img/);
  });

  it('closes the `analyze --format markdown` report of the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samlscope-checklist-'));
    try {
      const file = join(dir, 'sign-in.har');
      writeFileSync(file, labSignInHar({ start: new Date(t0), response: { accessControl: AC } }).text);
      let stdout = '';
      const io: Io = { stdout: (s) => (stdout += s), stderr: () => {}, readStdin: async () => '', color: false };
      const code = await main(['analyze', '--format', 'markdown', '--expect-access-control', 'Department,CostCenter', '--now', at(30), file], io);
      expect(code).toBe(0);
      expect(stdout).toContain('## Go-live checklist');
      expect(stdout).toContain('- [x] ✅ **SP-initiated sign-in works (from the access portal)** (done)');
      expect(stdout).toContain('- [x] ✅ **Attributes flow (email, first and last name, AccessControl keys)** (done)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('export', () => {
  // The lab capture: an SP-initiated sign-in from the portal that lands on it again.
  const cap = () => labCapture({ start: new Date(t0), expectations: { expectedUsername: PEOPLE.mail } });
  const exportMd = (mode: 'none' | 'pseudonymise' | 'remove', extra: { flowId?: string; checklist?: false | { scim?: ScimChecklistInput } } = {}) => {
    const c = cap();
    return exportEvidence({
      format: 'markdown',
      redaction: { mode },
      input: { messages: c.messages, steps: c.steps, expectations: c.expectations, analysisTime: new Date(t0) },
      source: { kind: 'live', names: [] },
      version: 'test',
      exportedAt: NOW,
      ...extra,
    }).text;
  };
  const notFound = { scim: { configured: true, lookups: [{ nameId: PEOPLE.mail, found: false }] } };

  it('puts the checklist in the Markdown of the whole capture, before the decoded messages', () => {
    const md = exportMd('none', { checklist: notFound });
    const at = md.indexOf('## Go-live checklist');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('## Decoded messages'));
    const section = md.slice(at, md.indexOf('## Decoded messages'));
    expect(section).toContain('- [x] ✅ **SP-initiated sign-in works (from the access portal)** (done)');
    expect(section).toContain('- [ ] ❌ **The users who signed in exist in Identity Center (SCIM)** (failing)');
    // Unredacted, the NameID Identity Center lacks is named.
    expect(section).toContain(PEOPLE.mail);
  });

  it('keeps NameIDs and emails out of a redacted checklist', () => {
    for (const mode of ['pseudonymise', 'remove'] as const) {
      const md = exportMd(mode, { checklist: notFound });
      const section = md.slice(md.indexOf('## Go-live checklist'), md.indexOf('## Decoded messages'));
      expect(section).toContain('(SCIM)** (failing): Identity Center has no user named ');
      expect(findLeaks(md, [PEOPLE.mail, PEOPLE.upn, 'contoso'])).toEqual([]);
    }
  });

  it('leaves it out of a one-flow export, or when asked', () => {
    const c = cap();
    const flowId = analyze({ messages: c.messages, steps: c.steps, expectations: c.expectations }).flows[0]!.id;
    expect(exportMd('none', { flowId })).not.toContain('Go-live checklist');
    expect(exportMd('none', { checklist: false })).not.toContain('Go-live checklist');
    expect(exportMd('none')).toContain('Go-live checklist');
  });
});
