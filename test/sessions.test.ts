// Real sign-in sessions: every attempt is its own flow, with exactly its own hops and page errors,
// and "latest" is the last captured. The captures are made by the real lib/capture code from
// webRequest-shaped events (test/session-sim.ts), in the order a browser produces them.
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../lib/store/analysis.ts';
import { selectBadge, selectFlowsNewestFirst, selectLatestFlow, selectVerdict, selectFlowFindings } from '../lib/store/selectors.ts';
import { DEFAULT_SETTINGS, type Settings } from '../lib/settings.ts';
import type { AnalysisResult } from '../lib/analyze.ts';
import { analyze } from '../lib/analyze.ts';
import type { Flow } from '../lib/types.ts';
import { exportEvidence } from '../lib/evidence/export.ts';
import { readHar } from '../lib/har/index.ts';
import { readSamlTracer } from '../lib/evidence/samltracer.ts';
import { LAB } from './lab/factory.ts';
import { LAUNCHER, SessionSim } from './session-sim.ts';
import { T0 } from './clock.ts';

const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  spEntityId: LAB.spEntityId,
  acsUrl: LAB.acsUrl,
  region: LAB.region,
  idpEntityId: LAB.issuer,
  portalUrl: LAB.portalUrl,
  usernameSource: 'upn',
};

const analyzeSim = (sim: SessionSim): AnalysisResult => analyzeCaptures(sim.state, SETTINGS, new Date(T0));
const errorsOf = (a: AnalysisResult, f: Flow) => selectFlowFindings(a, f).filter((x) => x.severity === 'error').map((x) => x.checkId);
const hostsOf = (f: Flow) => f.steps.map((s) => new URL(s.url).host);
// The NameID is the mail address, the Identity Center user name the UPN (FACTS A1.3).
/** The session as a browser's HAR export holds it: entries in order, Location headers, nothing of ours. */
function browserHar(sim: SessionSim, pageOf?: (tab: number, i: number) => string): string {
  const a = analyzeSim(sim);
  const steps = a.flows.flatMap((f) => f.steps).sort((x, y) => x.seq! - y.seq!);
  const entries = steps.map((s, i) => {
    const m = sim.state.messages.find((x) => x.id === s.messageId);
    const request: Record<string, unknown> = { method: s.method, url: m?.rawQuery ? `${s.url}?${m.rawQuery}` : s.url, headers: [] };
    if (m && m.binding === 'post') request.postData = { mimeType: 'application/x-www-form-urlencoded', text: `SAMLResponse=${encodeURIComponent(m.raw)}` };
    const headers = [{ name: 'Date', value: s.serverDate }, ...(s.redirectTo ? [{ name: 'Location', value: s.redirectTo }] : [])];
    return { ...(pageOf ? { pageref: pageOf(s.tabId!, i) } : {}), startedDateTime: s.time, request, response: { status: s.status, headers } };
  });
  return JSON.stringify({ log: { version: '1.2', entries } });
}

const wrongUser = { nameId: 'alex.m@contoso-mail.com', upn: LAB.user };

describe('fail, fix, retry in one tab', () => {
  const sim = new SessionSim();
  sim.spAttempt(1, wrongUser);
  const afterFirst = analyzeSim(sim);
  sim.clock += 20_000; // the admin fixes the claim in Entra
  sim.spAttempt(1, {});
  const afterSecond = analyzeSim(sim);
  sim.clock += 5_000;
  sim.spAttempt(1, { audience: `${LAB.spEntityId}/` });
  const a = analyzeSim(sim);

  it('each attempt is its own flow, in order, with exactly its own hops', () => {
    expect(afterFirst.flows).toHaveLength(1);
    expect(afterSecond.flows).toHaveLength(2);
    expect(a.flows).toHaveLength(3);
    for (const f of a.flows) {
      expect(f.type).toBe('sp-initiated');
      // portal → sign-in host → Entra (AuthnRequest) → ACS (Response) → portal
      expect(hostsOf(f)).toEqual([`${LAB.identityStoreId}.awsapps.com`, `${LAB.region}.signin.aws.amazon.com`, 'login.microsoftonline.com', `${LAB.region}.signin.aws.amazon.com`, `${LAB.identityStoreId}.awsapps.com`]);
      expect(f.messageIds).toHaveLength(2);
      expect(f.fromMyApps).toBe(false);
      expect(f.summary).not.toMatch(/My Apps/);
    }
    // No hop is in two attempts.
    const all = a.flows.flatMap((f) => f.steps.map((s) => `${s.seq}`));
    expect(new Set(all).size).toBe(all.length);
    expect(a.flows.map((f) => f.order)).toEqual([0, 1, 2]);
  });

  it('each attempt is stamped with its own first hop', () => {
    const starts = a.flows.map((f) => f.startedAt);
    expect(starts).toEqual(a.flows.map((f) => f.steps[0]!.time));
    expect(new Set(starts).size).toBe(3);
  });

  it('the verdict and the badge follow the latest attempt', () => {
    expect(errorsOf(afterFirst, selectLatestFlow(afterFirst)!)).toContain('nameid-mismatch');
    expect(selectVerdict(afterFirst, selectLatestFlow(afterFirst)).tone).toBe('error');
    // Fixed: the second attempt should work, whatever the first said.
    const second = selectLatestFlow(afterSecond)!;
    expect(second.id).toBe(afterSecond.flows[1]!.id);
    expect(errorsOf(afterSecond, second)).toEqual([]);
    expect(selectVerdict(afterSecond, second).text).toBe('This sign-in should work');
    expect(selectBadge(afterSecond).text).toBe('ok');
    // Broken again differently: the third attempt's own finding.
    const third = selectLatestFlow(a)!;
    expect(errorsOf(a, third)).toEqual(['audience-mismatch']);
    expect(errorsOf(a, a.flows[0]!)).toEqual(['nameid-mismatch']);
    expect(selectBadge(a)).toEqual({ text: '1', tone: 'error' });
    expect(selectFlowsNewestFirst(a).map((f) => f.id)).toEqual([...a.flows].reverse().map((f) => f.id));
  });

  it('a ticket export of one attempt holds that attempt alone', () => {
    const input = { messages: sim.state.messages, steps: sim.state.steps, pageErrors: sim.state.pageErrors, expectations: {}, analysisTime: new Date(T0) };
    const second = a.flows[1]!;
    const out = exportEvidence({ format: 'json', redaction: { mode: 'none' }, input, analysis: a, flowId: second.id, source: { kind: 'live', names: [] }, version: 't', exportedAt: new Date(T0) });
    const b = out.bundle!;
    expect(b.input.messages.map((m) => m.id)).toEqual(second.messageIds);
    expect(b.input.steps.map((s) => s.seq)).toEqual(second.steps.filter((s) => !s.messageId).map((s) => s.seq));
    expect(b.analysis.flows).toHaveLength(1);
    // Re-analysed, the export is that one attempt, the same hops.
    const again = analyze({ messages: b.input.messages, steps: b.input.steps, expectations: {} });
    expect(again.flows).toHaveLength(1);
    expect(again.flows[0]!.steps.map((s) => s.url)).toEqual(second.steps.map((s) => s.url));
  });
});

describe('attempts that happen together', () => {
  it('two tabs signing in at once stay apart and complete', () => {
    const sim = new SessionSim();
    // Interleaved: tab 1 starts, tab 2 starts, tab 2 gets its response first, then tab 1.
    const r1 = sim.spAttempt(1, 'no-answer');
    const r2 = sim.spAttempt(2, 'no-answer');
    sim.postResponse(2, { inResponseTo: r2.requestId });
    sim.postResponse(1, { inResponseTo: r1.requestId, ...wrongUser });
    const a = analyzeSim(sim);
    expect(a.flows).toHaveLength(2);
    const [f1, f2] = a.flows;
    expect(f1!.steps.every((s) => s.tabId === 1)).toBe(true);
    expect(f2!.steps.every((s) => s.tabId === 2)).toBe(true);
    expect(f1!.steps).toHaveLength(5);
    expect(f2!.steps).toHaveLength(5);
    expect(errorsOf(a, f1!)).toEqual(['nameid-mismatch']);
    expect(errorsOf(a, f2!)).toEqual([]);
    // Latest = the attempt whose capture began last (tab 2), whatever finished last.
    expect(selectLatestFlow(a)!.id).toBe(f2!.id);
  });

  it('five retries within 30 seconds, with identical IssueInstant and Date headers, are five complete attempts', () => {
    const sim = new SessionSim();
    sim.tick = 50;
    const sameSecond = new Date(T0);
    const date = sameSecond.toUTCString();
    for (let i = 0; i < 5; i++) {
      const id = sim.spAttempt(1, 'no-answer');
      sim.postResponse(1, { inResponseTo: id.requestId, issueInstant: sameSecond, ...(i === 2 ? wrongUser : {}) });
    }
    // Every Date header of the session in the same second.
    for (const m of sim.state.messages) m.serverDate = date;
    const a = analyzeSim(sim);
    expect(a.flows).toHaveLength(5);
    expect(sim.clock).toBeLessThan(30_000);
    for (const f of a.flows) expect(f.steps).toHaveLength(5);
    expect(a.flows.map((f) => errorsOf(a, f).includes('nameid-mismatch'))).toEqual([false, false, true, false, false]);
    expect(selectLatestFlow(a)!.id).toBe(a.flows[4]!.id);
  });

  it('an IdP-initiated attempt right after an SP-initiated one: the tile and its hops are the IdP attempt\'s', () => {
    const sim = new SessionSim();
    sim.spAttempt(1, wrongUser);
    sim.idpAttempt(1, {});
    const a = analyzeSim(sim);
    expect(a.flows.map((f) => [f.type, f.fromMyApps])).toEqual([
      ['sp-initiated', false],
      ['idp-initiated', true],
    ]);
    expect(a.flows[1]!.steps[0]!.url).toBe(LAUNCHER);
    expect(hostsOf(a.flows[0]!)).not.toContain('launcher.myapps.microsoft.com');
    expect(a.flows[1]!.summary).toMatch(/^IdP-initiated from My Apps/);
  });

  it('a My Apps tile, then a portal sign-in: the SP-initiated retry is not "from a My Apps tile"', () => {
    const sim = new SessionSim();
    sim.idpAttempt(1, {});
    sim.spAttempt(1, {});
    const a = analyzeSim(sim);
    expect(a.flows.map((f) => f.summary.split(' · ')[0])).toEqual(['IdP-initiated from My Apps', 'SP-initiated']);
    expect(a.flows[1]!.fromMyApps).toBe(false);
  });
});

describe('page errors belong to the attempt that showed them', () => {
  it("Entra's error ends its attempt; the clean retry does not inherit it", () => {
    const sim = new SessionSim();
    sim.spAttempt(1, 'entra-stops');
    sim.pageError(1, { source: 'entra', url: LAB.ssoUrl, code: 'AADSTS50105', message: 'not assigned', correlationId: '1b2c3d4e-0000-4000-8000-000000000001' });
    sim.clock += 60_000; // assigned in Entra, then a retry
    sim.spAttempt(1, {});
    const a = analyzeSim(sim);
    expect(a.flows).toHaveLength(2);
    expect(a.flows[0]!.errors?.map((e) => e.code)).toEqual(['AADSTS50105']);
    expect(a.flows[0]!.summary).toMatch(/stopped at Entra: AADSTS50105/);
    expect(a.flows[1]!.errors).toBeUndefined();
    expect(selectVerdict(a, selectLatestFlow(a)).text).toBe('This sign-in should work');
    expect(selectVerdict(a, a.flows[0]).tone).toBe('error');
  });

  it("AWS's error page belongs to the refused attempt only, even with a clean retry seconds later", () => {
    const sim = new SessionSim();
    sim.spAttempt(1, wrongUser, { acsStatus: 200 });
    sim.pageError(1, { source: 'aws', url: LAB.acsUrl, heading: 'An unexpected error has occurred' });
    sim.spAttempt(1, {});
    const a = analyzeSim(sim);
    expect(a.flows.map((f) => (f.errors ?? []).map((e) => e.heading))).toEqual([['An unexpected error has occurred'], []].map((x) => x));
    expect(selectFlowFindings(a, a.flows[1]!).map((f) => f.checkId)).not.toContain('aws-sign-in-error');
    expect(selectFlowFindings(a, a.flows[0]!)[0]!.checkId).toBe('aws-sign-in-error');
  });

  it('the same AWS error on two retries seconds apart is two errors, one per attempt (not one page read twice)', () => {
    const sim = new SessionSim();
    sim.spAttempt(1, wrongUser, { acsStatus: 200 });
    sim.pageError(1, { source: 'aws', url: LAB.acsUrl, heading: 'An unexpected error has occurred' });
    // The page re-renders and is read again: still one error.
    sim.pageError(1, { source: 'aws', url: LAB.acsUrl, heading: 'An unexpected error has occurred' });
    sim.spAttempt(1, { audience: `${LAB.spEntityId}/` }, { acsStatus: 200 });
    sim.pageError(1, { source: 'aws', url: LAB.acsUrl, heading: 'An unexpected error has occurred' });
    expect(sim.clock).toBeLessThan(30_000);
    expect(sim.state.pageErrors).toHaveLength(2);
    const a = analyzeSim(sim);
    expect(a.flows.map((f) => (f.errors ?? []).length)).toEqual([1, 1]);
    expect(a.flows.map((f) => selectFlowFindings(a, f)[0]!.checkId)).toEqual(['aws-sign-in-error', 'aws-sign-in-error']);
    expect(errorsOf(a, a.flows[1]!)).toContain('audience-mismatch');
  });

  it('an Entra error with no request of its own (a tile pointing at Entra) is its own attempt with its own hops', () => {
    const sim = new SessionSim();
    sim.spAttempt(1, {});
    sim.navigate(1, [
      { url: LAUNCHER, status: 302 },
      { url: LAB.ssoUrl, status: 400 },
    ]);
    sim.pageError(1, { source: 'entra', url: LAB.ssoUrl, code: 'AADSTS750054', message: 'SAMLRequest or SAMLResponse must be present' });
    const a = analyzeSim(sim);
    expect(a.flows).toHaveLength(2);
    expect(a.flows[0]!.steps).toHaveLength(5);
    expect(a.flows[1]).toMatchObject({ messageIds: [], fromMyApps: true, summary: 'Stopped at Entra: AADSTS750054 · from a My Apps tile' });
    expect(a.flows[1]!.steps.map((s) => s.url)).toEqual([LAUNCHER, LAB.ssoUrl]);
    expect(selectLatestFlow(a)!.id).toBe(a.flows[1]!.id);
  });
});

describe('the same rules for every input', () => {
  function sixAttempts(): SessionSim {
    const sim = new SessionSim();
    sim.spAttempt(1, wrongUser);
    sim.spAttempt(1, { audience: `${LAB.spEntityId}/` });
    sim.spAttempt(1, {});
    sim.idpAttempt(1, {});
    sim.idpAttempt(1, wrongUser);
    sim.spAttempt(1, {});
    return sim;
  }
  const expected = [['nameid-mismatch'], ['audience-mismatch'], [], [], ['nameid-mismatch'], []];

  it('live capture: six attempts', () => {
    const a = analyzeSim(sixAttempts());
    expect(a.flows.map((f) => errorsOf(a, f))).toEqual(expected);
  });

  it("samlscope's HAR export of the session reads back to the same six attempts, tabs and hops", () => {
    const sim = sixAttempts();
    // Two tabs, to prove the tab travels too.
    sim.spAttempt(2, {});
    const a = analyzeSim(sim);
    const input = { messages: sim.state.messages, steps: sim.state.steps, pageErrors: sim.state.pageErrors, expectations: {}, analysisTime: new Date(T0) };
    const out = exportEvidence({ format: 'har', redaction: { mode: 'none' }, input, analysis: a, source: { kind: 'live', names: [] }, version: 't', exportedAt: new Date(T0) });
    const back = readHar(out.text);
    if (!back.ok) throw new Error(back.message);
    const again = analyze({ messages: back.messages, steps: back.steps, pageErrors: back.pageErrors, expectations: a === undefined ? {} : { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, expectedUsername: LAB.user } });
    expect(again.flows.map((f) => f.steps.map((s) => s.url))).toEqual(a.flows.map((f) => f.steps.map((s) => s.url)));
    expect(again.flows.map((f) => errorsOf(again, f))).toEqual([...expected, []]);
  });

  it('an evidence bundle of the whole session reads back to the same attempts, hops and errors', async () => {
    const { readBundle } = await import('../lib/evidence/bundle.ts');
    const sim = sixAttempts();
    sim.spAttempt(2, 'entra-stops');
    sim.pageError(2, { source: 'entra', url: LAB.ssoUrl, code: 'AADSTS50105', message: 'not assigned' });
    const a = analyzeSim(sim);
    const input = { messages: sim.state.messages, steps: sim.state.steps, pageErrors: sim.state.pageErrors, expectations: {}, analysisTime: new Date(T0) };
    const out = exportEvidence({ format: 'json', redaction: { mode: 'none' }, input, analysis: a, source: { kind: 'live', names: [] }, version: 't', exportedAt: new Date(T0) });
    const r = readBundle(out.text);
    if (!r.ok) throw new Error(r.message);
    const b = r.bundle.input;
    const again = analyze({ messages: b.messages, steps: b.steps, ...(b.pageErrors ? { pageErrors: b.pageErrors } : {}), singleFlow: b.singleFlow, expectations: {} });
    expect(again.flows.map((f) => [f.id, f.steps.map((s) => s.url), (f.errors ?? []).map((e) => e.code)])).toEqual(a.flows.map((f) => [f.id, f.steps.map((s) => s.url), (f.errors ?? []).map((e) => e.code)]));
  });

  it('a browser HAR (no tabs, no request ids): attempts by entry order and redirects', () => {
    const sim = sixAttempts();
    const a = analyzeSim(sim);
    const r = readHar(browserHar(sim));
    if (!r.ok) throw new Error(r.message);
    const again = analyze({ messages: r.messages, steps: r.steps, expectations: { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, expectedUsername: LAB.user } });
    expect(again.flows.map((f) => errorsOf(again, f))).toEqual(expected);
    expect(again.flows.map((f) => f.steps.length)).toEqual(a.flows.map((f) => f.steps.length));
  });

  it('a SAML-tracer export keeps the order SAML-tracer recorded, even when Date headers tie', () => {
    const sim = sixAttempts();
    const a = analyzeSim(sim);
    const sameDate = new Date(T0).toUTCString();
    const requests = a.flows.flatMap((f) => f.steps).sort((x, y) => x.seq! - y.seq!).map((s, i) => {
      const m = sim.state.messages.find((x) => x.id === s.messageId);
      return {
        requestId: String(Math.floor(i / 3)), // not used for chains here: SAML-tracer's ids are per request
        method: s.method,
        url: m?.rawQuery ? `${s.url}?${m.rawQuery}` : s.url,
        requestHeaders: [],
        post: m && m.binding === 'post' ? [['SAMLResponse', m.raw]] : [],
        responseStatus: s.status,
        responseHeaders: [{ name: 'Date', value: sameDate }, ...(s.redirectTo ? [{ name: 'Location', value: s.redirectTo }] : [])],
      };
    });
    // Real request ids: the same through a redirect chain, as the browser gives them.
    let chain = 0;
    requests.forEach((r, i) => {
      if (i > 0 && requests[i - 1]!.responseHeaders.some((h) => h.name === 'Location' && h.value === r.url)) r.requestId = requests[i - 1]!.requestId;
      else r.requestId = String(++chain);
    });
    const t = readSamlTracer(JSON.stringify({ requests, timestamp: new Date(T0).toISOString() }));
    if (!t.ok) throw new Error(t.message);
    const again = analyze({ messages: t.messages, steps: t.steps, expectations: { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, expectedUsername: LAB.user } });
    expect(again.flows.map((f) => errorsOf(again, f))).toEqual(expected);
    expect(again.flows.map((f) => f.steps.map((s) => s.url))).toEqual(a.flows.map((f) => f.steps.map((s) => s.url)));
  });

  it('message files: a request and its response pair, every other response is its own attempt', () => {
    const sim = sixAttempts();
    const msgs = sim.state.messages.map((m, i) => ({ id: `file:${i}`, raw: m.raw, seq: i }));
    const again = analyze({ messages: msgs, expectations: { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, expectedUsername: LAB.user } });
    expect(again.flows.map((f) => f.messageIds.length)).toEqual([2, 2, 2, 1, 1, 2]);
    expect(again.flows.map((f) => errorsOf(again, f))).toEqual(expected);
  });

  it('captures stored before the order was recorded (no seq) still split by time and chain', () => {
    const sim = sixAttempts();
    for (const m of sim.state.messages) delete m.seq;
    for (const s of sim.state.steps) delete s.seq;
    const a = analyzeSim(sim);
    expect(a.flows.map((f) => errorsOf(a, f))).toEqual(expected);
    expect(a.flows.map((f) => f.steps.length)).toEqual([5, 5, 5, 4, 4, 5]);
  });
});

describe('comparing attempts of one session', () => {
  it('an attempt Entra stopped against a good one is never "no difference": the outcome differs', async () => {
    const { candidatesOf, compareCandidates } = await import('../lib/compare/index.ts');
    const sim = new SessionSim();
    sim.spAttempt(1, 'entra-stops');
    sim.pageError(1, { source: 'entra', url: LAB.ssoUrl, code: 'AADSTS50105', message: 'not assigned' });
    sim.spAttempt(1, {});
    const a = analyzeSim(sim);
    const [stopped, good] = candidatesOf(a);
    const c = compareCandidates(good!, stopped!);
    expect(c.differences).toBeGreaterThan(0);
    expect(c.rows.find((r) => r.field === 'outcome')).toMatchObject({ change: 'changed', good: 'Response posted to AWS, answered 302 (redirect)', bad: 'stopped at Entra: AADSTS50105' });
  });
});

describe('the list of attempts', () => {
  it('tells attempts apart at a glance: number, kind, NameID and the top problem (the cause behind AWS\'s generic error)', async () => {
    const { selectAttemptRow } = await import('../lib/store/selectors.ts');
    const sim = new SessionSim();
    sim.spAttempt(1, wrongUser, { acsStatus: 200 });
    sim.pageError(1, { source: 'aws', url: LAB.acsUrl, heading: 'An unexpected error has occurred' });
    sim.spAttempt(1, 'entra-stops');
    sim.pageError(1, { source: 'entra', url: LAB.ssoUrl, code: 'AADSTS50105', message: 'not assigned' });
    sim.idpAttempt(1, {});
    const a = analyzeSim(sim);
    const rows = a.flows.map((f) => selectAttemptRow(a, f));
    expect(rows.map((r) => [r.number, r.kind, r.user, r.tone, r.topCheckId, r.topLabel])).toEqual([
      [1, 'SP', 'alex.m@contoso-mail.com', 'error', 'nameid-mismatch', 'nameid-mismatch'],
      [2, 'SP', undefined, 'error', 'entra-error', 'entra-error AADSTS50105'],
      [3, 'IdP', LAB.user, 'ok', undefined, 'should work'],
    ]);
  });
});

describe('HAR pages', () => {
  function harOf(sim: SessionSim, pageOf: (tab: number, i: number) => string) {
    const r = readHar(browserHar(sim, pageOf));
    if (!r.ok) throw new Error(r.message);
    return { before: analyzeSim(sim), after: analyze({ messages: r.messages, steps: r.steps, expectations: { expectedUsername: LAB.user } }) };
  }

  it('pages whose entries interleave are tabs: two tabs at once in one HAR stay apart', () => {
    const sim = new SessionSim();
    const r1 = sim.spAttempt(1, 'no-answer');
    const r2 = sim.spAttempt(2, 'no-answer');
    sim.postResponse(2, { inResponseTo: r2.requestId });
    sim.postResponse(1, { inResponseTo: r1.requestId, ...wrongUser });
    const { before, after } = harOf(sim, (tab) => `page@tab${tab}`);
    expect(after.flows.map((f) => f.steps.map((s) => s.url))).toEqual(before.flows.map((f) => f.steps.map((s) => s.url)));
    expect(after.flows.map((f) => new Set(f.steps.map((s) => s.tabId)).size)).toEqual([1, 1]);
  });

  it('pages that follow one another (DevTools: a page per navigation) are one tab', () => {
    const sim = new SessionSim();
    sim.spAttempt(1, wrongUser);
    sim.spAttempt(1, {});
    let page = 0;
    let last = '';
    const { after } = harOf(sim, (_tab, i) => {
      // a new page at each portal visit, as DevTools starts one per top-level navigation
      const url = `${i}`;
      if (url !== last && i % 5 === 0) page++;
      last = url;
      return `page_${page}`;
    });
    expect(after.flows).toHaveLength(2);
    expect(after.flows.flatMap((f) => f.steps.map((s) => s.tabId))).toEqual(Array(10).fill(undefined));
    expect(after.flows.map((f) => f.steps.length)).toEqual([5, 5]);
  });
});

describe('hops far from any attempt', () => {
  it('a portal visit an hour before the first attempt, or long after the last, is part of no attempt', () => {
    const sim = new SessionSim();
    sim.navigate(1, [{ url: `${LAB.portalUrl}/#/accounts`, status: 200 }]);
    sim.clock += 3600_000;
    sim.spAttempt(1, {});
    sim.clock += 3600_000;
    sim.navigate(1, [{ url: `${LAB.portalUrl}/#/settings`, status: 200 }]);
    const a = analyzeSim(sim);
    expect(a.flows).toHaveLength(1);
    expect(a.flows[0]!.steps).toHaveLength(5);
    expect(a.flows[0]!.startedAt).toBe(new Date(T0 + 3600_000 + 2 * 150).toISOString());
    // Still in the capture: nothing is dropped from storage.
    expect(sim.state.steps.filter((s) => s.url.includes('#/'))).toHaveLength(3);
  });
});

describe('events handed over out of order', () => {
  it('a portal redirect stored after the AuthnRequest it led to (a worker restarting mid-sign-in) still starts the attempt', () => {
    // Seen in the e2e that stops the worker: the redirect's capture got the later sequence number.
    const sim = new SessionSim();
    sim.spAttempt(1, {});
    const step = sim.state.steps[0]!;
    const msg = sim.state.messages[0]!;
    expect(Date.parse(step.time!)).toBeLessThan(Date.parse(msg.time!));
    sim.state = { ...sim.state, steps: sim.state.steps.map((s) => (s === step ? { ...s, seq: msg.seq! } : s)), messages: sim.state.messages.map((m) => (m === msg ? { ...m, seq: step.seq! } : m)) };
    const a = analyzeSim(sim);
    expect(a.flows).toHaveLength(1);
    expect(a.flows[0]!.startedAt).toBe(step.time);
  });
});
