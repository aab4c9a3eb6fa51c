// An attempt as lib/flow/index.ts describes it, whole: its type, summary line, hops, start, tenant,
// AWS target, portal, clock skew and errors (the popup's attempt line and the full view's timeline
// show these as they are), and each hop a message made (stepOf).
import { describe, expect, it } from 'vitest';
import { assembleFlows, clockSkewSeconds, messageGroups, stepOf, type FlowItem } from '../lib/flow/index.ts';
import type { CapturedMessage, FlowStep, PageError } from '../lib/types.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const TENANT = '2b0f8f0e-1111-2222-3333-444455556666';
const SSO = `https://login.microsoftonline.com/${TENANT}/saml2`;
const ACS = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc';
const PORTAL = 'https://d-9067aaaaaa.awsapps.com/start';
const LAUNCHER = `https://launcher.myapps.microsoft.com/api/signin/abc?tenantId=${TENANT}`;

const cap = (id: string, o: Partial<CapturedMessage>): CapturedMessage => ({ id, raw: '', tabId: 1, ...o });
const req = (id: string, s: number, o: Partial<CapturedMessage> = {}, samlId = `_${id}`): FlowItem => ({
  kind: 'AuthnRequest',
  samlId,
  capture: cap(id, { url: SSO, method: 'GET', binding: 'redirect', param: 'SAMLRequest', time: at(s), ...o }),
});
const resp = (id: string, s: number, inResponseTo?: string, o: Partial<CapturedMessage> = {}, tenantId: string | null = TENANT): FlowItem => ({
  kind: 'Response',
  samlId: `_${id}`,
  ...(inResponseTo ? { inResponseTo } : {}),
  ...(tenantId ? { tenantId } : {}),
  capture: cap(id, { url: ACS, method: 'POST', binding: 'post', param: 'SAMLResponse', time: at(s), ...o }),
});
const hop = (url: string, s: number, o: Partial<FlowStep> = {}): FlowStep => ({ url, method: 'GET', status: 302, time: at(s), tabId: 1, ...o });

describe('a hop a message made', () => {
  it('keeps every field the capture has, and only those', () => {
    const full = cap('m', { url: ACS, method: 'POST', status: 302, time: at(1), serverDate: 'Mon, 02 Mar 2026 10:00:05 GMT', redirectTo: PORTAL, tabId: 4, frameId: 0, seq: 17, chain: 'c9' });
    expect(stepOf(full)).toStrictEqual({ url: ACS, method: 'POST', messageId: 'm', status: 302, time: at(1), serverDate: 'Mon, 02 Mar 2026 10:00:05 GMT', redirectTo: PORTAL, tabId: 4, frameId: 0, seq: 17, chain: 'c9' });
    // Absent fields stay absent (not undefined): the stored captures and the exports keep no empty keys.
    expect(stepOf({ id: 'p', raw: '' })).toStrictEqual({ url: '(pasted message)', method: '?', messageId: 'p' });
    expect(stepOf({ id: 'p', raw: '', binding: 'redirect' }).method).toBe('GET');
    expect(stepOf({ id: 'p', raw: '', binding: 'post' }).method).toBe('POST');
    expect(stepOf({ id: 'p', raw: '', binding: 'post', method: 'PUT' }).method).toBe('PUT');
    expect(stepOf({ id: 'p', raw: '', tabId: 0, frameId: 0, seq: 0, status: 0 })).toStrictEqual({ url: '(pasted message)', method: '?', messageId: 'p', tabId: 0, frameId: 0, seq: 0, status: 0 });
  });

  it("the server clock against the browser's, in whole seconds, only when both are readable", () => {
    expect(clockSkewSeconds(cap('m', { time: at(0), serverDate: new Date(T0 + 7_400).toUTCString() }))).toBe(7);
    expect(clockSkewSeconds(cap('m', { time: at(10), serverDate: new Date(T0).toUTCString() }))).toBe(-10);
    expect(clockSkewSeconds(cap('m', { time: at(0) }))).toBeUndefined();
    expect(clockSkewSeconds(cap('m', { serverDate: new Date(T0).toUTCString() }))).toBeUndefined();
    expect(clockSkewSeconds(cap('m', { time: 'soon', serverDate: new Date(T0).toUTCString() }))).toBeUndefined();
  });
});

describe('an attempt, whole', () => {
  it('SP-initiated from the portal: type, summary, hops in order, start, tenant, target, portal, skew', () => {
    const [f, ...more] = assembleFlows([req('q', 2, { serverDate: new Date(T0 + 2_000 + 61_000).toUTCString() }), resp('r', 4, '_q')], { steps: [hop(PORTAL, 1), hop(`${PORTAL}/#/`, 5, { status: 200 })] });
    expect(more).toEqual([]);
    expect(f).toStrictEqual({
      id: 'flow:q',
      type: 'sp-initiated',
      fromMyApps: false,
      messageIds: ['q', 'r'],
      steps: [hop(PORTAL, 1), stepOf(req('q', 2, { serverDate: new Date(T0 + 63_000).toUTCString() }).capture), stepOf(resp('r', 4).capture), hop(`${PORTAL}/#/`, 5, { status: 200 })],
      summary: 'SP-initiated · portal d-9067aaaaaa.awsapps.com · → us-east-1.signin.aws.amazon.com',
      order: 0,
      startedAt: at(1),
      tenantId: TENANT,
      awsTarget: 'us-east-1.signin.aws.amazon.com',
      portal: 'd-9067aaaaaa.awsapps.com',
      clockSkewSeconds: 61,
    });
  });

  it('IdP-initiated from My Apps: an unsolicited Response after the tile', () => {
    const [f] = assembleFlows([resp('r', 3)], { steps: [hop(LAUNCHER, 1), hop(`${PORTAL}/#/`, 5, { status: 200 })] });
    expect(f).toMatchObject({ type: 'idp-initiated', fromMyApps: true, summary: 'IdP-initiated from My Apps · portal d-9067aaaaaa.awsapps.com · → us-east-1.signin.aws.amazon.com', startedAt: at(1), portal: 'd-9067aaaaaa.awsapps.com' });
    // The tile's origin alone (the request's initiator) also says My Apps.
    const [g] = assembleFlows([resp('r', 3, undefined, { initiator: 'https://myapps.microsoft.com' })]);
    expect(g).toMatchObject({ type: 'idp-initiated', fromMyApps: true, summary: 'IdP-initiated from My Apps · → us-east-1.signin.aws.amazon.com' });
    expect(g!.portal).toBeUndefined();
    // Without a tile: an unsolicited Response is IdP-initiated still.
    const [h] = assembleFlows([resp('r', 3)]);
    expect(h).toMatchObject({ type: 'idp-initiated', summary: 'IdP-initiated · → us-east-1.signin.aws.amazon.com', startedAt: at(3), awsTarget: 'us-east-1.signin.aws.amazon.com', tenantId: TENANT });
    expect(h!.fromMyApps).toBe(false);
  });

  it("a tile's Sign-on URL: SP-initiated from a My Apps tile", () => {
    const [f] = assembleFlows([req('q', 3), resp('r', 4, '_q')], { steps: [hop(LAUNCHER, 1), hop(PORTAL, 2)] });
    expect(f!.summary).toBe('SP-initiated from a My Apps tile (Sign-on URL) · portal d-9067aaaaaa.awsapps.com · → us-east-1.signin.aws.amazon.com');
    expect(f!.fromMyApps).toBe(true);
  });

  it('stopped at Entra: an AuthnRequest answered by its error page, the tenant read from the page', () => {
    const e: PageError = { id: 'pe1', source: 'entra', url: SSO, time: at(3), seenBy: 'page', code: 'AADSTS50105', tabId: 1, seq: 3 } as PageError;
    const [f] = assembleFlows([req('q', 2, { seq: 2 })], { pageErrors: [e], steps: [hop(PORTAL, 1, { seq: 1 })] });
    expect(f).toMatchObject({ type: 'sp-initiated', summary: 'SP-initiated · portal d-9067aaaaaa.awsapps.com · stopped at Entra: AADSTS50105', tenantId: TENANT, errors: [e] });
    expect(f!.awsTarget).toBeUndefined();
  });

  it('an error page no attempt explains is an attempt of its own, named by its code or heading', () => {
    const entra: PageError = { id: 'pe1', source: 'entra', url: SSO, time: at(9), seenBy: 'page', code: 'AADSTS750054', tabId: 2 } as PageError;
    const [f] = assembleFlows([], { pageErrors: [entra] });
    expect(f).toEqual({ id: 'flow:pe1', type: 'fragment', fromMyApps: false, messageIds: [], steps: expect.any(Array), summary: 'Stopped at Entra: AADSTS750054', order: 0, startedAt: at(9), tenantId: TENANT, errors: [entra] });
    const noCode = { ...entra, code: undefined };
    const got = assembleFlows([], { pageErrors: [noCode] });
    expect(got.map((x) => x.summary), JSON.stringify(got)).toEqual(['Stopped at Entra: sign-in error']);
    const aws: PageError = { id: 'pe2', source: 'aws', url: ACS, time: at(9), seenBy: 'page', heading: 'It’s not you, it’s us', tabId: 2 } as PageError;
    expect(assembleFlows([], { pageErrors: [aws] }).map((x) => x.summary)).toEqual(['AWS sign-in error: It’s not you, it’s us']);
    expect(assembleFlows([], { pageErrors: [{ ...aws, heading: undefined }] }).map((x) => x.summary)).toEqual(['AWS sign-in error: error page']);
    // The tile that led to it is named; the awsTarget of an error alone is not set.
    const fromTile = assembleFlows([], { pageErrors: [{ ...aws, tabId: 1 }], steps: [hop(LAUNCHER, 8, { chain: 'c1' }), hop(ACS, 8.5, { chain: 'c1', method: 'POST', status: 400 })] });
    expect(fromTile.map((x) => x.summary)).toEqual(['AWS sign-in error: It’s not you, it’s us · from a My Apps tile']);
    expect(fromTile[0]!.awsTarget).toBeUndefined();
    // An error on the access portal that no sign-in explains is not a sign-in error: not shown.
    expect(assembleFlows([], { pageErrors: [{ ...aws, url: `${PORTAL}/#/` }] })).toEqual([]);
  });

  it("HTTP alone tells a refused post, unless a page already showed AWS's error", () => {
    const [f] = assembleFlows([req('q', 2), resp('r', 4, '_q', { status: 400 })]);
    expect(f!.errors).toEqual([{ id: 'http:r', source: 'aws', url: ACS, time: at(4), seenBy: 'http', status: 400, tabId: 1 }]);
    const shown: PageError = { id: 'pe', source: 'aws', url: ACS, time: at(5), seenBy: 'page', heading: 'An unexpected error has occurred', tabId: 1 } as PageError;
    const [g] = assembleFlows([req('q', 2), resp('r', 4, '_q', { status: 400 })], { pageErrors: [shown] });
    expect(g!.errors).toEqual([shown]);
    const [h] = assembleFlows([req('q', 2), resp('r', 4, '_q', { status: 302 })]);
    expect(h!.errors).toBeUndefined();
  });

  it('starts at its earliest hop by time, not the first stored (a worker restart hands events out of order)', () => {
    const [f] = assembleFlows([req('q', 5, { seq: 2 }), resp('r', 6, '_q', { seq: 3 })], { steps: [hop(PORTAL, 3, { seq: 4 }), hop(`${PORTAL}/x`, 1, { seq: 1 })] });
    expect(f!.startedAt).toBe(at(1));
    // Hops without a time: the first message's.
    const [g] = assembleFlows([req('q', 5), resp('r', 6, '_q')].map((i) => ({ ...i, capture: { ...i.capture, time: i.capture.id === 'q' ? at(5) : undefined } })));
    expect(g!.startedAt).toBe(at(5));
    const [h] = assembleFlows([req('q', 0, { time: undefined })]);
    expect(h!.startedAt).toBeUndefined();
  });

  it('numbers attempts in capture order and keeps a tenant the messages did not give from none', () => {
    const flows = assembleFlows([req('a', 1, { seq: 1 }), resp('b', 2, '_a', { seq: 2 }, null), req('c', 10, { seq: 3, tabId: 2 }), resp('d', 11, '_c', { seq: 4, tabId: 2 })]);
    expect(flows.map((f) => [f.id, f.order, f.type])).toEqual([
      ['flow:a', 0, 'sp-initiated'],
      ['flow:c', 1, 'sp-initiated'],
    ]);
    expect(flows[0]!.tenantId).toBeUndefined();
    expect(flows[1]!.tenantId).toBe(TENANT);
  });
});

describe('which messages make one attempt', () => {
  const logoutReq = (id: string, s: number, samlId = `_${id}`): FlowItem => ({ kind: 'LogoutRequest', samlId, capture: cap(id, { url: SSO, time: at(s) }) });
  const logoutResp = (id: string, s: number, inResponseTo?: string): FlowItem => ({ kind: 'LogoutResponse', samlId: `_${id}`, ...(inResponseTo ? { inResponseTo } : {}), capture: cap(id, { url: ACS, time: at(s) }) });
  const broken = (id: string, s: number): FlowItem => ({ capture: cap(id, { url: ACS, time: at(s) }) });
  const shape = (items: FlowItem[], o: { singleFlow?: boolean } = {}) => assembleFlows(items, o).map((f) => [f.type, f.messageIds.join(',')]);

  it('a request and its answer; a second answer to it, or an answer to a request not seen, is an attempt of its own', () => {
    expect(shape([req('a', 1), resp('b', 2, '_a')])).toEqual([['sp-initiated', 'a,b']]);
    expect(shape([req('a', 1), resp('b', 2, '_a'), resp('c', 3, '_a')])).toEqual([
      ['sp-initiated', 'a,b'],
      ['fragment', 'c'],
    ]);
    // While the tab's attempt waits at Entra, an answer to another (stale) request is its answer.
    expect(shape([req('a', 1), resp('b', 2, '_old')])).toEqual([['sp-initiated', 'a,b']]);
    // On another tab it is not.
    expect(shape([req('a', 1), resp('b', 2, '_old', { tabId: 2 })])).toEqual([
      ['sp-initiated', 'a'],
      ['fragment', 'b'],
    ]);
    // A request still unanswered is SP-initiated (Entra may still show its page).
    expect(shape([req('a', 1)])).toEqual([['sp-initiated', 'a']]);
    // An unsolicited Response is IdP-initiated.
    expect(shape([resp('b', 2)])).toEqual([['idp-initiated', 'b']]);
  });

  it('logout: a LogoutRequest and the LogoutResponse to it; a stale answer to a sign-in waiting at Entra is not taken by a logout', () => {
    expect(shape([logoutReq('l', 1), logoutResp('m', 2, '_l')])).toEqual([['logout', 'l,m']]);
    expect(shape([logoutReq('l', 1), logoutResp('m', 2, '_x')])).toEqual([
      ['logout', 'l'],
      ['logout', 'm'],
    ]);
    expect(shape([logoutResp('m', 2)])).toEqual([['logout', 'm']]);
    expect(shape([logoutReq('l', 1), resp('b', 2, '_old')])).toEqual([
      ['logout', 'l'],
      ['fragment', 'b'],
    ]);
    expect(assembleFlows([logoutReq('l', 1), logoutResp('m', 2, '_l')])[0]!.summary).toBe('Logout · → us-east-1.signin.aws.amazon.com');
  });

  it('a message that could not be decoded is an attempt of its own, never merged', () => {
    expect(shape([req('a', 1), broken('x', 2), resp('b', 3, '_a')])).toEqual([
      ['sp-initiated', 'a,b'],
      ['fragment', 'x'],
    ]);
    expect(assembleFlows([broken('x', 2)])[0]!.summary).toBe('Incomplete sign-in (not every step captured) · → us-east-1.signin.aws.amazon.com');
  });

  it('one attempt of everything (bundles written by older versions), typed by what it holds', () => {
    expect(shape([req('a', 1), resp('b', 2, '_zzz'), resp('c', 3)], { singleFlow: true })).toEqual([['sp-initiated', 'a,b,c']]);
    expect(shape([resp('b', 2, '_zzz'), resp('c', 3)], { singleFlow: true })).toEqual([['idp-initiated', 'b,c']]);
    expect(shape([resp('b', 2, '_zzz')], { singleFlow: true })).toEqual([['fragment', 'b']]);
    expect(shape([req('a', 1)], { singleFlow: true })).toEqual([['fragment', 'a']]);
    expect(shape([logoutReq('l', 1), resp('b', 2, '_q')], { singleFlow: true })).toEqual([['logout', 'l,b']]);
    expect(shape([broken('x', 1), logoutResp('m', 2)], { singleFlow: true })).toEqual([['logout', 'x,m']]);
    expect(shape([], { singleFlow: true })).toEqual([]);
  });
});

describe('the hops between two attempts of one tab', () => {
  const steps = (f: { steps: FlowStep[] }) => f.steps.map((s) => new URL(s.url).host + (s.messageId ? ` [${s.messageId}]` : ''));
  it('a retry from the portal: the portal hop leads into the new attempt, not the last one', () => {
    const flows = assembleFlows([req('a', 1, { seq: 1 }), resp('b', 2, '_a', { seq: 2 }), req('c', 5, { seq: 4 }), resp('d', 6, '_c', { seq: 5 })], { steps: [hop(PORTAL, 4, { seq: 3 })] });
    expect(flows.map(steps)).toEqual([
      ['login.microsoftonline.com [a]', 'us-east-1.signin.aws.amazon.com [b]'],
      ['d-9067aaaaaa.awsapps.com', 'login.microsoftonline.com [c]', 'us-east-1.signin.aws.amazon.com [d]'],
    ]);
    // A hop elsewhere (not the portal, the ACS or My Apps) does not lead into an SP-initiated attempt.
    const other = assembleFlows([req('a', 1, { seq: 1 }), resp('b', 2, '_a', { seq: 2 }), req('c', 5, { seq: 4 }), resp('d', 6, '_c', { seq: 5 })], { steps: [hop('https://example.com/x', 4, { seq: 3 })] });
    expect(other.map(steps)).toEqual([
      ['login.microsoftonline.com [a]', 'us-east-1.signin.aws.amazon.com [b]', 'example.com'],
      ['login.microsoftonline.com [c]', 'us-east-1.signin.aws.amazon.com [d]'],
    ]);
  });

  it('IdP-initiated from the tile: the run starts at the tile; Entra pages before the tile stay with the attempt before', () => {
    const flows = assembleFlows([req('a', 1, { seq: 1 }), resp('b', 2, '_a', { seq: 2 }), resp('d', 9, undefined, { seq: 6 })], {
      steps: [hop(`${SSO}/x`, 3, { seq: 3 }), hop(LAUNCHER, 4, { seq: 4 }), hop(`${SSO}/y`, 5, { seq: 5 })],
    });
    expect(flows.map(steps)).toEqual([
      ['login.microsoftonline.com [a]', 'us-east-1.signin.aws.amazon.com [b]', 'login.microsoftonline.com'],
      ['launcher.myapps.microsoft.com', 'login.microsoftonline.com', 'us-east-1.signin.aws.amazon.com [d]'],
    ]);
    expect(flows[1]).toMatchObject({ type: 'idp-initiated', fromMyApps: true });
  });

  it("without a tile, Entra's pages belong to the attempt still waiting there for its answer", () => {
    const waiting = assembleFlows([req('a', 1, { seq: 1 }), resp('d', 9, undefined, { seq: 3 })], { steps: [hop(`${SSO}/x`, 3, { seq: 2 })] });
    expect(waiting.map(steps)).toEqual([['login.microsoftonline.com [a]', 'login.microsoftonline.com'], ['us-east-1.signin.aws.amazon.com [d]']]);
    // An answered attempt before: they lead into the IdP-initiated one.
    const answered = assembleFlows([req('a', 1, { seq: 1 }), resp('b', 2, '_a', { seq: 2 }), resp('d', 9, undefined, { seq: 4 })], { steps: [hop(`${SSO}/x`, 3, { seq: 3 })] });
    expect(answered.map(steps)).toEqual([['login.microsoftonline.com [a]', 'us-east-1.signin.aws.amazon.com [b]'], ['login.microsoftonline.com', 'us-east-1.signin.aws.amazon.com [d]']]);
  });
});

describe('the order of everything captured', () => {
  const order = (f: { steps: FlowStep[] }) => f.steps.map((s) => s.messageId ?? new URL(s.url).pathname);
  it('by capture sequence when everything has one, whatever the clock said', () => {
    const [f] = assembleFlows([req('q', 50, { seq: 2 }), resp('r', 10, '_q', { seq: 3 })], { steps: [hop(`${PORTAL}/a`, 90, { seq: 1 }), hop(`${PORTAL}/b`, 0, { seq: 4 })] });
    expect(order(f!)).toEqual(['/start/a', 'q', 'r', '/start/b']);
  });

  it('else by time, a hop without time staying after the one before it in its own list; at one moment a hop, then the message', () => {
    const [f] = assembleFlows([req('q', 5), resp('r', 8, '_q')], {
      steps: [hop(`${PORTAL}/a`, 3), { url: `${PORTAL}/b`, method: 'GET', tabId: 1 }, hop(`${PORTAL}/c`, 5), hop(`${PORTAL}/d`, 9)],
    });
    expect(order(f!)).toEqual(['/start/a', '/start/b', '/start/c', 'q', 'r', '/start/d']);
    // One item without a sequence number: time decides for all.
    const [g] = assembleFlows([req('q', 5, { seq: 1 }), resp('r', 8, '_q', { seq: 2 })], { steps: [hop(`${PORTAL}/a`, 3)] });
    expect(order(g!)).toEqual(['/start/a', 'q', 'r']);
  });

  it('messageGroups gives the attempts assembleFlows gives, oldest first', () => {
    const items = [req('a', 1, { seq: 1 }), resp('b', 2, '_a', { seq: 2 }), resp('c', 3, undefined, { seq: 3, tabId: 2 }), req('d', 4, { seq: 4 }), resp('e', 5, '_d', { seq: 5 })];
    expect(messageGroups(items)).toEqual(assembleFlows(items).map((f) => f.messageIds));
    expect(messageGroups(items)).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
  });
});

