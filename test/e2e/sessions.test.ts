// Real sign-in sessions (issue 11): a person fails, the admin changes a setting, they retry in
// the same tab; two tabs sign in at once; IdP-initiated after SP-initiated; five retries within
// 30 s. The built extension in headless Chromium against the lab. After EACH attempt:
//   - the popup shows that attempt's verdict (the lab scenario's), its badge, and lists the OTHER
//     attempts under "Earlier sign-ins" with their own result and top problem;
//   - samlscope's analysis of what the extension stored (in Node, the same settings) has one flow
//     per attempt so far, each with exactly its own messages, hops, start time and page errors;
//   - the ticket export of each attempt holds that attempt alone.
// Which capture belongs to which attempt is known from the driver (tab and capture order, see
// test/e2e/session.ts), and each attempt's verdict from its lab scenario, not from samlscope.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, stopServiceWorker, isServiceWorkerRunning, type LaunchedBrowser } from './browser.ts';
import { startLab, type Lab } from '../lab/server/index.ts';
import { LAB } from '../lab/factory.ts';
import { buildExtension, configure, LAB_SETTINGS, sendCommand } from './run-scenario.ts';
import { LabSession, readState, readStateIn, type Attempt, type AttemptStart } from './session.ts';
import { stepKey } from '../../lib/capture/state.ts';
import { exportProblems, judgeSession, popupProblems, readSessionPopup } from './session-checks.ts';

const inCI = process.env.CI === 'true';
const skip = !inCI && findChromium() === undefined;
if (skip) console.warn(`[test/e2e/sessions.test.ts] skipped: ${CHROMIUM_INSTALL_HINT}`);

describe.skipIf(skip)('real sign-in sessions: every attempt is its own flow', () => {
  let lab: Lab;
  let b: LaunchedBrowser;
  let session: LabSession;

  beforeAll(async () => {
    const dir = buildExtension('chrome');
    lab = await startLab();
    b = await launchBrowser({ extensionDir: dir, hostRules: lab.hostRules });
    await configure(b, LAB_SETTINGS);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await b?.close();
    await lab?.close();
  });

  beforeEach(async () => {
    await session?.close();
    lab.setScenario('sp-clean');
    await b.context.clearCookies();
    await sendCommand(b, { type: 'clear' });
    session = new LabSession(b, lab);
  });

  /**
   * Everything samlscope must say after an attempt, as soft assertions: the whole list of what is
   * wrong shows at once, and the session goes on to its next attempt.
   */
  async function checkAfter(a: Attempt | Attempt[]) {
    const ended = Array.isArray(a) ? a : [a];
    const state = await readState(b);
    const j = judgeSession(state, session.attempts, LAB_SETTINGS);
    const when = `after attempt ${ended.map((x) => `${x.n} (${x.start.via} ${x.start.scenario})`).join(' and ')}`;
    // What the driver itself saw: each attempt's captures are in its tab and start where it did.
    for (const x of ended) {
      expect(x.messageIds.length + x.stepKeys.length, `${when}: the extension stored captures of attempt ${x.n}`).toBeGreaterThan(0);
      // (An error the extension merged into an earlier attempt's entry is judged in judgeSession.)
      expect(x.pageErrorIds.length > 0 || !!x.pageErrorMergedInto, `${when}: attempt ${x.n}'s pages showed an error`).toBe(!!x.expected.pageError);
    }
    if (j.problems.length && process.env.SAMLSCOPE_DEBUG_SESSIONS) {
      for (const x of ended) console.log('DEBUG attempt', x.n, JSON.stringify({ msgs: state.messages.filter((m) => x.messageIds.includes(m.id)).map((m) => [m.seq, m.time, m.param, m.url, m.status, m.recovered]), steps: state.steps.filter((st) => x.stepKeys.includes(stepKey(st))).map((st) => [st.seq, st.time, st.method, st.url.slice(0, 90), st.status, st.recovered, st.messageId]), flow: j.flowOf.get(x.n) }));
    }
    expect.soft(j.problems, `${when}: samlscope's flows against the attempts`).toEqual([]);
    const exports = session.attempts.flatMap((x) => exportProblems(state, LAB_SETTINGS, x, j.flowOf.get(x.n), j.analysis));
    expect.soft(exports, `${when}: the export of each sign-in`).toEqual([]);
    // The popup: for two attempts ending at once, "latest" is the one captured last.
    const last = Array.isArray(a) ? lastCaptured(ended, state) : a;
    const ordered = [...session.attempts.filter((x) => x !== last), last];
    const badgeWanted = (t: string) => (last.expected.tone === 'error' ? /^\d+$/.test(t) : t === 'ok');
    const p = await readSessionPopup(b, badgeWanted);
    expect.soft(popupProblems(p, ordered, j.flowOf), `${when}: the popup`).toEqual([]);
    return { state, judgement: j, popup: p };
  }

  /**
   * Of attempts that ran at once, the latest: the one captured last, i.e. whose first hop the
   * extension captured last (its capture sequence, else its time). For attempts one after the
   * other this is simply the last one.
   */
  function lastCaptured(ended: Attempt[], state: Awaited<ReturnType<typeof readState>>): Attempt {
    const first = (x: Attempt) => {
      const seqs = [...state.messages.filter((m) => x.messageIds.includes(m.id)), ...state.steps.filter((s) => x.stepKeys.includes(stepKey(s)))].map((c) => c.seq).filter((n): n is number => n !== undefined);
      return seqs.length ? Math.min(...seqs) : Date.parse(x.firstHopTime);
    };
    return [...ended].sort((p, q) => first(p) - first(q)).at(-1)!;
  }

  const run = async (tab: string, start: AttemptStart) => {
    const a = await session.attempt(tab, start);
    await checkAfter(a);
    return a;
  };

  it('fail → the admin fixes the claim → clean → a different failure, in one tab', async () => {
    // The app's NameID claim is the mail (nameid-mismatch); the admin sets it to the UPN; later
    // someone adds a trailing slash to the Identifier (audience-mismatch).
    await run('tab', { via: 'portal-after-change', scenario: 'nameid-mismatch' });
    await run('tab', { via: 'portal-after-change', scenario: 'sp-clean' });
    await run('tab', { via: 'portal-after-change', scenario: 'audience-mismatch' });
    expect(session.attempts.map((x) => x.tabId).every((t) => t === session.attempts[0]!.tabId)).toBe(true);
  }, 60_000);

  it('two tabs sign in at once: one SP-initiated failing, one IdP-initiated clean, then each again', async () => {
    const round1 = await Promise.all([
      session.attempt('left', { via: 'portal', scenario: 'nameid-mismatch' }),
      session.attempt('right', { via: 'launcher', scenario: 'idp-clean' }),
    ]);
    expect(round1[0].tabId).not.toBe(round1[1].tabId);
    // Both were under way at once: each started before the other ended.
    expect(round1[0].startedMs).toBeLessThan(round1[1].endedMs);
    expect(round1[1].startedMs).toBeLessThan(round1[0].endedMs);
    await checkAfter(round1);
    const round2 = await Promise.all([
      session.attempt('left', { via: 'portal', scenario: 'sp-clean' }),
      session.attempt('right', { via: 'portal', scenario: 'expired' }),
    ]);
    await checkAfter(round2);
  }, 60_000);

  it('IdP-initiated from the My Apps launcher, then SP-initiated from the portal, in one tab', async () => {
    await run('tab', { via: 'launcher', scenario: 'idp-clean' });
    await run('tab', { via: 'portal', scenario: 'sp-clean' });
  }, 40_000);

  it('five retries within 30 s in one tab (same scenario twice in a row: same-second IssueInstant and Date)', async () => {
    for (const scenario of ['expired', 'expired', 'unsigned', 'sp-clean', 'sp-clean'] as const) await run('tab', { via: 'portal', scenario });
    // All five, with the checks after each, within 30 s: first hop of the first to last page of the last.
    expect(session.attempts.at(-1)!.endedMs - session.attempts[0]!.startedMs).toBeLessThan(30_000);
    expect(Date.parse(session.attempts.at(-1)!.firstHopTime) - Date.parse(session.attempts[0]!.firstHopTime)).toBeLessThan(30_000);
    // (The two 'expired' and the two 'sp-clean' responses are made the same way about a second
    // apart: IssueInstant and Date may be equal to the second; judgeSession holds each to its own.)
  }, 90_000);

  it('a My Apps tile, then a portal sign-in with a missing AccessControl claim', async () => {
    await run('tab', { via: 'myapps-tile', scenario: 'idp-clean' });
    await run('tab', { via: 'portal', scenario: 'accesscontrol-missing' });
  }, 40_000);

  it("Entra stops the attempt (AADSTS50105), the admin assigns the user, the retry is clean and does not inherit the error", async () => {
    const stopped = await run('tab', { via: 'portal-after-change', scenario: 'entra-unassigned' });
    expect(stopped.pageErrorIds.length).toBeGreaterThan(0);
    const retry = await run('tab', { via: 'portal-after-change', scenario: 'sp-clean' });
    expect(retry.pageErrorIds).toEqual([]);
    const { judgement, popup } = await checkAfter(retry);
    // The retry's flow carries no page error, and the popup says it should work.
    expect(judgement.flowOf.get(retry.n)?.errors ?? []).toEqual([]);
    expect(popup.verdictTone).toBe('ok');
    expect(popup.checkIds.filter((c) => c.startsWith('entra-error'))).toEqual([]);
  }, 40_000);

  it('the same AADSTS error twice within 30 s in one tab: each attempt keeps the error and the Correlation Id its own page showed', async () => {
    const first = await run('tab', { via: 'portal-after-change', scenario: 'entra-unassigned' });
    const second = await run('tab', { via: 'portal-after-change', scenario: 'entra-unassigned' });
    expect(first.labFlow.entraError!.correlationId).not.toBe(second.labFlow.entraError!.correlationId);
  }, 40_000);
  // Not in `npm test` yet: in about 1 run of 15 one attempt's flow starts a hop late (its first
  // hop, the portal's redirect, left out of the flow after a kill); `npm run e2e:worker-stops`
  // runs it, with SAMLSCOPE_DEBUG_SESSIONS=1 to print that attempt's captures (issue 14, item 7).
  it('the service worker stopped mid-sign-in in six attempts in one tab (while a capture is being written, while Entra\'s page is shown, between attempts): every SAML message the lab received is stored, and each attempt is its own flow', async () => {
    // Issue 14, item 7. Three stops an attempt, counted against the lab's own request log:
    // 1. During a write: as Entra's page is requested (the worker is taking the request in and
    //    storing it, or has just done so), the worker is killed. What it had not stored yet is lost
    //    to webRequest; the page itself witnesses its URL, status and form (lib/capture/witness.ts).
    // 2. Idle, mid-flow: while Entra's page is shown (the lab's form_post page waits 4 s before
    //    posting, as a person on Entra's pages would), once that page is stored. (With 2 s, the
    //    fresh-clone CI run stored the page after its kill too late for an idle stop in 5 of 6.) Chromium stops an
    //    idle worker like this; the POST to the ACS must wake a new one that captures it whole.
    // 3. Idle, between attempts, once everything is stored.
    // (A stop forced at the very instant the browser hands the worker an event of a page that
    // leaves at once can lose that event; Chromium's own idle stop never does that, and 1. is the
    // strongest form of it that a page can recover from.)
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const HOLD_MS = 4000;
    lab.setFormPostDelay(HOLD_MS);
    const fromRequest = lab.requests.length;
    const plan: AttemptStart[] = [
      { via: 'portal-after-change', scenario: 'nameid-mismatch' },
      { via: 'portal-after-change', scenario: 'sp-clean' },
      { via: 'launcher', scenario: 'idp-clean' },
      { via: 'portal', scenario: 'audience-mismatch' },
      { via: 'portal-after-change', scenario: 'entra-unassigned' },
      { via: 'portal-after-change', scenario: 'unsigned' },
    ];
    const stops = { write: 0, idle: 0, between: 0 };
    // The captures as stored, read from an extension page of its own: reading them through the
    // worker would wake it, and wait for it while it is stopped.
    const reader = await b.context.newPage();
    await reader.goto(`chrome-extension://${b.extensionId}/privacy.html`);
    const stored = () => readStateIn(reader);
    /**
     * The request to this URL is stored with the status it was answered with, and a redirect with
     * where it led (the status comes with the headers, the Location a moment later: a kill between
     * the two leaves a redirect that no page can link to the next hop).
     */
    const isStoredWithStatus = (st: Awaited<ReturnType<typeof stored>>, url: string) => {
      const answered = (c: { status?: number; redirectTo?: string }) => c.status !== undefined && (c.status < 300 || c.status >= 400 || c.redirectTo !== undefined);
      return st.messages.some((m) => m.url === url.split('?')[0] && answered(m)) || st.steps.some((x) => x.url.split('#')[0] === url && answered(x));
    };
    const isEntra = (u: string) => new URL(u).hostname === 'login.microsoftonline.com';
    try {
      for (const start of plan) {
        let running = true;
        const seen = lab.requests.length;
        const stopper = (async () => {
          // 1. The first request to Entra of this attempt, as soon as the lab has it and the hop
          //    before it (the portal's redirect) is stored: the kill lands on the Entra page's own
          //    capture. (Killed before the redirect's answer is stored, that answer is gone for
          //    good: no page can witness another page's redirect.)
          let req: (typeof lab.requests)[number] | undefined;
          while (running && !(req = lab.requests.slice(seen).find((r) => isEntra(r.url)))) await sleep(2);
          if (!req) return;
          const servedAt = Date.now();
          const before = lab.requests.slice(seen, lab.requests.indexOf(req)).at(-1);
          while (running && before && !isStoredWithStatus(await stored(), before.url)) await sleep(2);
          stops.write += await stopServiceWorker(b.context, b.extensionId, { waitUntilGone: false });
          // 2. Once that page is stored with its status, while it is still shown.
          while (running && Date.now() - servedAt < HOLD_MS - 400) {
            if (isStoredWithStatus(await stored(), req.url)) {
              // Stopped now (or already, when the kill above came after the write): the POST
              // to the ACS meets no running worker.
              if (Date.now() - servedAt < HOLD_MS - 400) {
                await stopServiceWorker(b.context, b.extensionId);
                if (!(await isServiceWorkerRunning(b.context, b.extensionId))) stops.idle++;
              }
              return;
            }
            await sleep(20);
          }
        })();
        const done = await session.attempt('tab', start);
        running = false;
        await stopper;
        await checkAfter(done);
        stops.between += await stopServiceWorker(b.context, b.extensionId);
      }
    } finally {
      lab.setFormPostDelay(0);
      await reader.close();
    }
    // The worker was really stopped: while writing in each attempt, and idle in at least half
    // (an idle stop is skipped when the page was not stored early enough in its pause).
    expect(stops.write, JSON.stringify(stops)).toBe(plan.length);
    expect(stops.idle, JSON.stringify(stops)).toBeGreaterThanOrEqual(plan.length / 2);
    expect(stops.between).toBe(plan.length);
    const served = lab.requests.slice(fromRequest);
    const state = await readState(b);
    const redirects = served.filter((r) => r.method === 'GET' && /[?&]SAMLRequest=/.test(r.url)).map((r) => r.url);
    const posts = served.filter((r) => r.method === 'POST' && r.url.startsWith(LAB.acsUrl));
    // What the lab scenarios send (known from the lab, not from samlscope).
    expect(redirects.length).toBe(session.attempts.filter((x) => x.expected.request).length);
    expect(posts.length).toBe(session.attempts.filter((x) => x.expected.response).length);
    const requests = state.messages.filter((m) => m.param === 'SAMLRequest');
    const responses = state.messages.filter((m) => m.param === 'SAMLResponse');
    expect(requests.length, 'AuthnRequests stored vs sent to Entra').toBe(redirects.length);
    expect(responses.length, 'SAMLResponses stored vs posted to the ACS').toBe(posts.length);
    // Each one stored with its response (status), as the lab answered it.
    expect(responses.map((m) => m.status)).toEqual(posts.map((r) => r.status));
    for (const m of requests) expect(redirects.some((u) => u.includes(m.raw.slice(0, 200))), `AuthnRequest ${m.id} is one Entra received`).toBe(true);
    // Nothing stored twice (a worker that restarts must not replay what it had saved).
    expect(new Set(state.messages.map((m) => m.raw)).size).toBe(state.messages.length);
    expect(state.notices.filter((n) => n.kind === 'error')).toEqual([]);
  }, 180_000);
});
