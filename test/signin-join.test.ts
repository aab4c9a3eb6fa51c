// Which captured attempt each sign-in log record belongs to (lib/flow/sign-in-logs.ts), rule by
// rule and at each boundary: the ids an Entra error page showed, then user and time within the
// attempt's own minutes (CloudTrail from the moment the response reached AWS), one record of each
// source per attempt, nearest first, and time alone only when it singles an attempt out. A record
// no attempt fits is returned, never dropped.
import { describe, expect, it } from 'vitest';
import { AFTER_MS, attemptFacts, BEFORE_MS, joinSignInLogs, type AttemptFacts } from '../lib/flow/sign-in-logs.ts';
import type { SignInLogRecord } from '../lib/logs/types.ts';
import type { Flow, PageError } from '../lib/types.ts';
import { parseSaml } from '../lib/saml/parse.ts';
import { makeAuthnRequest, makeResponse } from './lab/factory.ts';
import type { SamlMessage } from '../lib/saml/model.ts';
import { errorFits, httpError, tenantOfEntraUrl } from '../lib/flow/page-errors.ts';
import type { FlowItem } from '../lib/flow/index.ts';
import type { CapturedMessage } from '../lib/types.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ACS = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc';

/** An attempt from `start` to `end` (ms after T0), its hops timed. */
function attempt(id: string, start: number, end = start + 10_000, o: Partial<Flow> = {}): Flow {
  return {
    id,
    type: 'sp-initiated',
    fromMyApps: false,
    messageIds: [],
    steps: [
      { url: 'https://d-9067aaaaaa.awsapps.com/start', method: 'GET', time: iso(T0 + start) },
      { url: ACS, method: 'POST', time: iso(T0 + end) },
    ] as Flow['steps'],
    summary: id,
    ...o,
  };
}
const facts = (x: Partial<AttemptFacts> = {}): AttemptFacts => ({ hasRequest: true, hasResponse: true, nameId: 'jane@contoso.com', acsUrl: ACS, ...x });
let n = 0;
const rec = (o: Partial<SignInLogRecord>): SignInLogRecord => ({ id: `r${++n}`, source: 'entra', format: 'entra-graph', outcome: 'failure', origin: 'test', ...o });
const entra = (at: number, o: Partial<SignInLogRecord> = {}) => rec({ source: 'entra', time: iso(T0 + at), user: 'jane@contoso.com', app: 'AWS IAM Identity Center', ...o });
const trail = (at: number, o: Partial<SignInLogRecord> = {}) => rec({ source: 'cloudtrail', format: 'cloudtrail-event', time: iso(T0 + at), user: 'jane@contoso.com', eventName: 'UserAuthentication', region: 'us-east-1', ...o });
const entraError = (o: Partial<PageError>): PageError => ({ source: 'entra', url: 'https://login.microsoftonline.com/x', seenBy: 'page', time: iso(T0 + 5_000), ...o }) as PageError;

const joined = (flows: Flow[], f: Map<string, AttemptFacts>, records: SignInLogRecord[]) => {
  const r = joinSignInLogs(flows, f, records);
  return {
    where: Object.fromEntries(records.map((x) => [x.id, [...r.byFlow].find(([, l]) => l.includes(x))?.[0] ?? 'unmatched'])),
    how: Object.fromEntries(r.how),
    unmatched: r.unmatched.map((x) => x.id),
    byFlow: r.byFlow,
  };
};

describe('sign-in log records joined to the attempts', () => {
  it('by the Correlation Id or Request Id an Entra error page showed, whatever their letter case, before any time rule', () => {
    const a = attempt('a', 0);
    const b = attempt('b', 600_000, 610_000, { errors: [entraError({ correlationId: 'ABCD-1', requestId: 'REQ-1' })] });
    const c = attempt('c', 1_200_000, 1_210_000, { errors: [{ ...entraError({ correlationId: 'AWS-9' }), source: 'aws' } as PageError] });
    const byCorr = entra(0, { correlationId: 'abcd-1' }); // at a's time and user, but b's id
    const byReq = entra(0, { requestId: 'req-1', user: 'other@contoso.com' });
    const both = entra(0, { correlationId: 'abcd-1', requestId: 'req-1' });
    const awsIds = entra(1_200_000, { correlationId: 'aws-9', user: 'nobody@contoso.com' }); // an AWS page's id is not Entra's
    const trailSameId = trail(99_000_000, { correlationId: 'abcd-1' });
    const f = new Map([['a', facts()], ['b', facts()], ['c', facts()]]);
    const r = joined([a, b, c], f, [byCorr, byReq, both, awsIds, trailSameId]);
    expect(r.where).toEqual({ [byCorr.id]: 'b', [byReq.id]: 'b', [both.id]: 'b', [awsIds.id]: 'unmatched', [trailSameId.id]: 'unmatched' });
    expect(r.how[byCorr.id]).toBe('Correlation Id shown on the Entra error page');
    expect(r.how[byReq.id]).toBe('Request Id shown on the Entra error page');
    expect(r.how[both.id]).toBe('Correlation Id shown on the Entra error page');
    expect(r.unmatched).toEqual([awsIds.id, trailSameId.id]);
    // Joined by id even without a time, and to the first attempt that showed it.
    const untimed = entra(0, { correlationId: 'abcd-1', time: undefined });
    const b2 = attempt('b2', 0, 10_000, { errors: [entraError({ correlationId: 'abcd-1' })] });
    expect(joined([b, b2], f, [untimed]).where[untimed.id]).toBe('b');
  });

  it('an Entra record by user and time: from 2 minutes before the attempt to 5 minutes after its last hop, exactly', () => {
    const a = attempt('a', 0, 20_000);
    const f = new Map([['a', facts()]]);
    const cases: [number, string][] = [
      [-BEFORE_MS - 1, 'unmatched'],
      [-BEFORE_MS, 'a'],
      [10_000, 'a'],
      [20_000 + AFTER_MS, 'a'],
      [20_000 + AFTER_MS + 1, 'unmatched'],
    ];
    for (const [at, where] of cases) {
      const r = entra(at, { user: '  Jane@Contoso.COM ' });
      const j = joined([a], f, [r]);
      expect([at, j.where[r.id]]).toEqual([at, where]);
      if (where === 'a') expect(j.how[r.id]).toBe('user and time');
    }
  });

  it('the attempt spans its hops, the errors its pages showed and its start', () => {
    const onlyError = attempt('e', 0, 0, { steps: [], errors: [entraError({ time: iso(T0 + 600_000) })] });
    const onlyStart = attempt('s', 0, 0, { steps: [], startedAt: iso(T0 + 3_600_000) });
    const untimed = attempt('u', 0, 0, { steps: [{ url: ACS, method: 'POST' }] as Flow['steps'] });
    const f = new Map([['e', facts()], ['s', facts({ nameId: 'sam@contoso.com' })], ['u', facts({ nameId: 'uma@contoso.com' })]]);
    const nearError = entra(600_000 + AFTER_MS);
    const nearStart = entra(3_600_000 - BEFORE_MS, { user: 'sam@contoso.com' });
    const forUntimed = entra(0, { user: 'uma@contoso.com' });
    const r = joined([onlyError, onlyStart, untimed], f, [nearError, nearStart, forUntimed]);
    expect(r.where).toEqual({ [nearError.id]: 'e', [nearStart.id]: 's', [forUntimed.id]: 'unmatched' });
    // The start and end are the earliest and the latest of all of them.
    const wide = attempt('w', 0, 0, {
      steps: [{ url: ACS, method: 'POST', time: iso(T0 + 100_000) }] as Flow['steps'],
      errors: [entraError({ time: iso(T0 + 900_000) })],
      startedAt: iso(T0 + 50_000),
    });
    const early = entra(50_000 - BEFORE_MS);
    const late = entra(900_000 + AFTER_MS, { correlationId: undefined });
    const fw = new Map([['w', facts()]]);
    expect(joined([wide], fw, [early]).where[early.id]).toBe('w');
    expect(joined([wide], fw, [late]).where[late.id]).toBe('w');
    expect(joined([wide], fw, [entra(50_000 - BEFORE_MS - 1)]).unmatched).toHaveLength(1);
  });

  it("an Entra record of another app is not AWS's; one naming AWS, Amazon, Identity Center or SSO, or no app, is", () => {
    const a = attempt('a', 0);
    const f = new Map([['a', facts()]]);
    for (const [app, where] of [
      ['Salesforce', 'unmatched'],
      ['AWS IAM Identity Center', 'a'],
      ['Amazon Web Services (AWS)', 'a'],
      ['identity center prod', 'a'],
      ['Corp SSO', 'a'],
      ['awsome app', 'unmatched'],
      [undefined, 'a'],
    ] as const) {
      const r = entra(5_000, { app });
      expect([app, joined([a], f, [r]).where[r.id]]).toEqual([app, where]);
    }
  });

  it("CloudTrail: only external-IdP sign-in events, from when the response reached AWS, in the ACS's region", () => {
    const a = attempt('a', 0, 20_000);
    const posted = 15_000;
    const f = new Map([['a', facts({ postedAt: iso(T0 + posted) })]]);
    const cases: [Partial<SignInLogRecord>, number, string][] = [
      [{}, posted, 'a'],
      [{ eventName: 'ExternalIdPDirectoryLogin' }, posted, 'a'],
      [{ eventName: 'Federate' }, posted, 'a'],
      [{ eventName: 'Authenticate' }, posted, 'a'],
      [{ eventName: 'CredentialChallenge' }, posted, 'unmatched'],
      [{ eventName: undefined }, posted, 'unmatched'],
      [{ credentialType: 'PASSWORD' }, posted, 'unmatched'],
      [{ credentialType: 'EXTERNAL_IDP' }, posted, 'a'],
      [{ region: 'eu-west-1' }, posted, 'unmatched'],
      [{ region: undefined }, posted, 'a'],
      [{}, posted - BEFORE_MS, 'a'],
      [{}, posted - BEFORE_MS - 1, 'unmatched'],
      [{}, posted + AFTER_MS, 'a'],
      [{}, posted + AFTER_MS + 1, 'unmatched'],
      [{ user: 'JANE@contoso.com' }, posted, 'a'],
      [{ user: 'john@contoso.com' }, posted, 'unmatched'],
    ];
    for (const [o, at, where] of cases) {
      const r = trail(at, o);
      const j = joined([a], f, [r]);
      expect([o, at - posted, j.where[r.id]]).toEqual([o, at - posted, where]);
    }
    // Without the time it was posted, the attempt's last hop stands for it.
    const late = trail(20_000 + AFTER_MS);
    expect(joined([a], new Map([['a', facts()]]), [late]).where[late.id]).toBe('a');
    expect(joined([a], new Map([['a', facts({ postedAt: iso(T0 + posted) })]]), [late]).where[late.id]).toBe('unmatched');
    // An attempt that never got a response is not what AWS recorded; one without an ACS region takes any region.
    expect(joined([a], new Map([['a', facts({ hasResponse: false })]]), [trail(posted)]).unmatched).toHaveLength(1);
    expect(joined([a], new Map([['a', facts({ acsUrl: undefined, postedAt: iso(T0 + posted) })]]), [trail(posted, { region: 'eu-west-1' })]).unmatched).toHaveLength(0);
    // An Entra record needs no response: it is the attempt's own time that counts.
    expect(joined([a], new Map([['a', facts({ hasResponse: false })]]), [entra(posted)]).unmatched).toHaveLength(0);
  });

  it('the user: any name of the assertion (NameID, UPN, mail); another user is not joined; no user on one side is time alone', () => {
    const a = attempt('a', 0);
    const f = new Map([['a', facts({ nameId: 'j.doe', names: ['Jane.Doe@Contoso.com', 'jane@contoso.com'] })]]);
    const byUpn = entra(5_000, { user: 'jane.doe@contoso.com' });
    const other = entra(5_000, { user: 'john@contoso.com' });
    const j = joined([a], f, [byUpn, other]);
    expect(j.where).toEqual({ [byUpn.id]: 'a', [other.id]: 'unmatched' });
    const noUser = entra(5_000, { user: undefined });
    expect(joined([a], f, [noUser]).how[noUser.id]).toBe('time alone (no user name on one side)');
    const noNames = new Map([['a', facts({ nameId: undefined, names: undefined })]]);
    const someone = entra(5_000, { user: 'anyone@contoso.com' });
    expect(joined([a], noNames, [someone]).how[someone.id]).toBe('time alone (no user name on one side)');
  });

  it('time alone joins only when it singles out one attempt (30 s between the candidates at least)', () => {
    const f = new Map([['a', facts({ nameId: undefined })], ['b', facts({ nameId: undefined })]]);
    const close = [attempt('a', 0), attempt('b', 20_000)];
    const r1 = entra(10_000, { user: undefined });
    expect(joined(close, f, [r1]).where[r1.id]).toBe('unmatched');
    const apart = [attempt('a', 0), attempt('b', 120_000)];
    const r2 = entra(1_000, { user: undefined });
    expect(joined(apart, f, [r2]).where[r2.id]).toBe('a');
    // Exactly 30 s apart in distance: singled out.
    const r3 = entra(0, { user: undefined });
    expect(joined([attempt('a', 0), attempt('b', 30_000)], f, [r3]).where[r3.id]).toBe('a');
    // A user name breaks the tie that time cannot.
    const g = new Map([['a', facts({ nameId: 'ann@contoso.com' })], ['b', facts({ nameId: 'bob@contoso.com' })]]);
    const r4 = entra(10_000, { user: 'bob@contoso.com' });
    expect(joined(close, g, [r4]).where[r4.id]).toBe('b');
  });

  it('one record of each source per attempt, the nearest first: five retries keep one record each', () => {
    const flows = [0, 1, 2, 3, 4].map((i) => attempt(`t${i}`, i * 60_000, i * 60_000 + 10_000));
    const f = new Map(flows.map((x) => [x.id, facts({ postedAt: x.steps[1]!.time })]));
    // Logged in another order than they happened, each a few seconds after its attempt.
    const es = [3, 0, 4, 1, 2].map((i) => entra(i * 60_000 + 3_000));
    const ts = [2, 4, 0, 3, 1].map((i) => trail(i * 60_000 + 12_000));
    const r = joined(flows, f, [...es, ...ts]);
    for (const i of [0, 1, 2, 3, 4]) {
      const list = r.byFlow.get(`t${i}`)!;
      expect(list.map((x) => [x.source, Date.parse(x.time!) - T0])).toEqual([
        ['entra', i * 60_000 + 3_000],
        ['cloudtrail', i * 60_000 + 12_000],
      ]);
    }
    expect(r.unmatched).toEqual([]);
    // A sixth Entra record fits the same minutes: the attempts already have theirs, so it stays apart.
    const extra = entra(3_000 + 500);
    const r2 = joined(flows, f, [...es, extra]);
    expect(r2.unmatched).toEqual([extra.id]);
  });

  it("each attempt's records in time order, whichever rule joined them; logouts and attempts without facts take none", () => {
    const a = attempt('a', 0, 10_000, { errors: [entraError({ correlationId: 'c-1' })] });
    const byId = entra(200_000, { correlationId: 'c-1' });
    const earlier = trail(5_000);
    const j = joined([a], new Map([['a', facts({ postedAt: iso(T0 + 5_000) })]]), [byId, earlier]);
    expect(j.byFlow.get('a')!.map((x) => x.id)).toEqual([earlier.id, byId.id]);
    const untimedById = entra(0, { correlationId: 'c-1', time: undefined });
    expect(joined([a], new Map([['a', facts()]]), [byId, untimedById]).byFlow.get('a')!.map((x) => x.id)).toEqual([untimedById.id, byId.id]);
    const logout = attempt('l', 0, 10_000, { type: 'logout' });
    expect(joined([logout], new Map([['l', facts()]]), [entra(5_000)]).unmatched).toHaveLength(1);
    expect(joined([attempt('x', 0)], new Map(), [entra(5_000)]).unmatched).toHaveLength(1);
    // A record without a readable time is joined by ids only.
    expect(joined([attempt('a', 0)], new Map([['a', facts()]]), [entra(0, { time: 'yesterday' })]).unmatched).toHaveLength(1);
  });
});

describe('a record never contradicts what the capture shows (found by a review)', () => {
  it("an Entra failure does not join an attempt Entra answered with Success; an AWS failure not one that reached the portal; a success not one whose page showed that side's error", () => {
    // Two attempts 1 s apart: the record is nearer the one it cannot belong to.
    const flows = [attempt('a', 0, 1_000), attempt('b', 1_200, 2_000)];
    const f = new Map([
      ['a', facts({ responseSuccess: true, signedIn: true, postedAt: iso(T0 + 900) })],
      ['b', facts({ responseSuccess: false, postedAt: iso(T0 + 1_900) })],
    ]);
    const to = (fl: Flow[], x: Map<string, AttemptFacts>, r: SignInLogRecord) => joined(fl, x, [r]).where[r.id];
    expect(to(flows, f, entra(900, { code: 'AADSTS50105' }))).toBe('b');
    expect(to(flows, f, trail(1_000, { outcome: 'failure' }))).toBe('b');
    // Without what the capture shows, the nearest (as before).
    const bare = new Map([['a', facts({ postedAt: iso(T0 + 900) })], ['b', facts({ postedAt: iso(T0 + 1_900) })]]);
    expect(to(flows, bare, trail(1_000, { outcome: 'failure' }))).toBe('a');
    // Successes: one whose page showed Entra's error, or AWS's, takes none of that source.
    const shown = [attempt('c', 0, 1_000, { errors: [entraError({ code: 'AADSTS50105' })] }), attempt('d', 0, 1_000, { errors: [{ source: 'aws', url: ACS, seenBy: 'page', time: iso(T0 + 500), heading: 'x' } as PageError] })];
    const g = new Map([['c', facts()], ['d', facts()]]);
    expect(to(shown, g, entra(400, { outcome: 'success' }))).toBe('d');
    expect(to(shown, g, trail(400, { outcome: 'success' }))).toBe('c');
  });
});

describe('what the join knows of an attempt', () => {
  it("reads the response's NameID, UPN and mail, when and where it was posted; and whether a request was seen", () => {
    const resp = parseSaml(makeResponse({ nameId: 'jane@contoso.com', upn: 'jane.doe@contoso.com', email: 'jane@mail.contoso.com' })) as SamlMessage;
    const req = parseSaml(makeAuthnRequest()) as SamlMessage;
    expect(resp.kind).toBe('Response');
    const byId = new Map([
      ['q', { model: req, capture: { id: 'q', url: 'https://login.microsoftonline.com/t/saml2', raw: '' } }],
      ['r', { model: resp, capture: { id: 'r', url: ACS, raw: '', time: iso(T0) } }],
      ['bad', { capture: { id: 'bad', url: 'https://x', raw: '' } }],
    ]) as Parameters<typeof attemptFacts>[1];
    const flows = [attempt('both', 0, 1, { messageIds: ['q', 'r'] }), attempt('req', 0, 1, { messageIds: ['q', 'gone'] }), attempt('none', 0, 1, { messageIds: ['bad'] }), attempt('resp', 0, 1, { messageIds: ['r'] })];
    const f = attemptFacts(flows, byId);
    expect(f.get('both')).toEqual({ hasRequest: true, hasResponse: true, responseSuccess: true, nameId: 'jane@contoso.com', names: ['jane.doe@contoso.com', 'jane@mail.contoso.com'], postedAt: iso(T0), acsUrl: ACS });
    expect(f.get('req')).toEqual({ hasRequest: true, hasResponse: false });
    expect(f.get('none')).toEqual({ hasRequest: false, hasResponse: false });
    expect(f.get('resp')).toMatchObject({ hasRequest: false, hasResponse: true });
    // Without NameID, claims, time or URL: only what is there.
    const bare = parseSaml(makeResponse({ nameId: null, defaultClaims: false })) as SamlMessage;
    const g = attemptFacts([attempt('b', 0, 1, { messageIds: ['r'] })], new Map([['r', { model: bare, capture: { id: 'r', url: '', raw: '' } }]]) as Parameters<typeof attemptFacts>[1]);
    expect(g.get('b')).toEqual({ hasRequest: false, hasResponse: true, responseSuccess: true });
    // A failed status is no Entra Success; the portal reached after the POST is a sign-in AWS accepted.
    const failed = parseSaml(makeResponse({ status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Requester' } })) as SamlMessage;
    const portal = 'd-9067aaaaaa.awsapps.com';
    const landed = attempt('l', 0, 1, { messageIds: ['r'], portal, steps: [{ url: ACS, method: 'POST', status: 302, messageId: 'r', time: iso(T0) }, { url: `https://${portal}/start/`, method: 'GET', status: 200, time: iso(T0 + 100) }] });
    const h = attemptFacts([landed, attempt('x', 0, 1, { messageIds: ['f'] })], new Map([['r', { model: resp, capture: { id: 'r', url: ACS, raw: '' } }], ['f', { model: failed, capture: { id: 'f', url: ACS, raw: '' } }]]) as Parameters<typeof attemptFacts>[1]);
    expect(h.get('l')).toMatchObject({ responseSuccess: true, signedIn: true });
    expect(h.get('x')).toMatchObject({ responseSuccess: false });
    expect(h.get('x')!.signedIn).toBeUndefined();
  });
});


describe('which attempt a page error ends (lib/flow/page-errors.ts)', () => {
  const item = (kind: FlowItem['kind'], c: Partial<CapturedMessage> = {}): FlowItem => ({ kind, capture: { id: `${kind}-1`, url: ACS, raw: '', ...c } as CapturedMessage });
  const err = (o: Partial<PageError>): PageError => ({ id: 'e', source: 'aws', url: 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc', seenBy: 'page', time: iso(T0), ...o }) as PageError;

  it("an Entra error ends an attempt whose AuthnRequest got no Response, unless it already ended in another Entra code", () => {
    const e = err({ source: 'entra', code: 'AADSTS50105', url: 'https://login.microsoftonline.com/x/saml2' });
    expect(errorFits(e, [item('AuthnRequest')], [])).toBe(true);
    expect(errorFits(e, [item('AuthnRequest'), item('Response')], [])).toBe(false);
    expect(errorFits(e, [], [])).toBe(false);
    expect(errorFits(e, [item('AuthnRequest')], [{ ...e, code: 'AADSTS50105' }])).toBe(true);
    expect(errorFits(e, [item('AuthnRequest')], [{ ...e, code: 'AADSTS700016' }])).toBe(false);
    expect(errorFits(e, [item('AuthnRequest')], [{ ...e, source: 'aws', code: 'X' } as PageError])).toBe(true);
  });

  it("an AWS error ends an attempt whose Response was posted; on the access portal, only within a minute of the post", () => {
    const posted = item('Response', { time: iso(T0) });
    expect(errorFits(err({}), [item('AuthnRequest')], [])).toBe(false);
    expect(errorFits(err({}), [posted], [])).toBe(true);
    // Away from the portal, time does not matter.
    expect(errorFits(err({ time: iso(T0 + 3_600_000) }), [posted], [])).toBe(true);
    const portal = (at: number | undefined) => err({ url: 'https://d-9067aaaaaa.awsapps.com/start/', ...(at === undefined ? { time: '' } : { time: iso(T0 + at) }) });
    expect(errorFits(portal(60_000), [posted], [])).toBe(true);
    expect(errorFits(portal(60_001), [posted], [])).toBe(false);
    expect(errorFits(portal(-5_000), [posted], [])).toBe(true);
    expect(errorFits(portal(undefined), [posted], [])).toBe(false);
    expect(errorFits(portal(1_000), [item('Response', { time: undefined })], [])).toBe(false);
  });

  it('HTTP alone: a Response posted to the ACS and answered 4xx or 5xx is an AWS error of that tab; 3xx, other hosts or no status are not', () => {
    const e = httpError([item('AuthnRequest', { status: 500 }), item('Response', { id: 'r9', url: `${ACS}?x=1`, status: 400, time: iso(T0), tabId: 7 })]);
    expect(e).toEqual({ id: 'http:r9', source: 'aws', url: ACS, time: iso(T0), seenBy: 'http', status: 400, tabId: 7 });
    expect(httpError([item('Response', { status: 399 })])).toBeUndefined();
    expect(httpError([item('Response', { status: 302 })])).toBeUndefined();
    expect(httpError([item('Response', {})])).toBeUndefined();
    expect(httpError([item('Response', { url: 'https://example.com/acs', status: 500 })])).toBeUndefined();
    const noTab = httpError([item('Response', { status: 503, time: undefined })])!;
    expect(noTab).toEqual({ id: 'http:Response-1', source: 'aws', url: ACS, time: '', seenBy: 'http', status: 503 });
    expect('tabId' in noTab).toBe(false);
    // The first refused post, not a later one.
    expect(httpError([item('Response', { id: 'a', status: 403 }), item('Response', { id: 'b', status: 500 })])!.id).toBe('http:a');
  });

  it("reads the tenant from Entra's SAML endpoint, in lower case, and nothing from elsewhere", () => {
    const t = '2B0F8F0E-1111-2222-3333-444455556666';
    expect(tenantOfEntraUrl(`https://login.microsoftonline.com/${t}/saml2`)).toBe(t.toLowerCase());
    expect(tenantOfEntraUrl(`https://login.microsoft.com/${t}/saml2`)).toBe(t.toLowerCase());
    expect(tenantOfEntraUrl(`https://evil.example/https://login.microsoftonline.com/${t}/saml2`)).toBeUndefined();
    expect(tenantOfEntraUrl(`https://login.microsoftonline.com/${t}`)).toBeUndefined();
    expect(tenantOfEntraUrl('https://login.microsoftonline.com/common/saml2')).toBeUndefined();
  });
});
