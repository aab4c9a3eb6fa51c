// What a session must look like in samlscope, attempt by attempt, judged against what the driver
// (test/e2e/session.ts) knows independently: each attempt's own captures (by tab and capture order)
// and its expected verdict (from the lab scenario). Returns readable problems instead of throwing
// at the first, so a failing test (and the demo) says everything that is wrong at once.
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from './browser.ts';
import { stepKey, type CaptureState } from '../../lib/capture/state.ts';
import { analyzeCaptures } from '../../lib/store/analysis.ts';
import { exportEvidence } from '../../lib/evidence/export.ts';
import { toExpectations, type Settings } from '../../lib/settings.ts';
import type { AnalysisResult } from '../../lib/analyze.ts';
import type { Flow } from '../../lib/types.ts';
import type { Attempt } from './session.ts';

const hostPath = (u: string) => {
  try {
    const x = new URL(u);
    return `${x.host}${x.pathname}`;
  } catch {
    return u;
  }
};

export interface SessionJudgement {
  analysis: AnalysisResult;
  /** The flow samlscope made of each attempt (the one holding most of its captures), by attempt n. */
  flowOf: Map<number, Flow | undefined>;
  problems: string[];
}

/** Which attempt a capture belongs to, by message id, step key and page error id. */
function owners(attempts: Attempt[]) {
  const msg = new Map<string, number>();
  const step = new Map<string, number>();
  const err = new Map<string, number>();
  for (const a of attempts) {
    for (const id of a.messageIds) msg.set(id, a.n);
    for (const k of a.stepKeys) step.set(k, a.n);
    for (const id of a.pageErrorIds) err.set(id, a.n);
  }
  return { msg, step, err };
}

/**
 * samlscope's analysis of the stored captures (Node, the lab settings) against the attempts:
 * one flow per attempt, each with exactly its own messages, hops and page errors, its own start
 * time, type and problems.
 */
export function judgeSession(state: CaptureState, attempts: Attempt[], settings: Settings): SessionJudgement {
  const analysis = analyzeCaptures(state, settings);
  const { msg, step, err } = owners(attempts);
  const problems: string[] = [];
  const flowOf = new Map<number, Flow | undefined>();
  const label = (a: Attempt) => `attempt ${a.n} (${a.start.via} ${a.start.scenario}, tab ${a.tab})`;
  if (analysis.flows.length !== attempts.length) {
    problems.push(`${analysis.flows.length} flows for ${attempts.length} attempts: ${analysis.flows.map((f) => `[${f.type}: ${f.messageIds.length} messages, ${f.steps.length} hops]`).join(' ')}`);
  }
  const stepOwner = (s: Flow['steps'][number]) => (s.messageId !== undefined ? msg.get(s.messageId) : step.get(stepKey(s)));
  for (const a of attempts) {
    // The flow holding most of this attempt's captures.
    let best: Flow | undefined;
    let bestScore = 0;
    for (const f of analysis.flows) {
      const score =
        f.messageIds.filter((id) => msg.get(id) === a.n).length * 10 +
        f.steps.filter((s) => stepOwner(s) === a.n).length +
        (f.errors ?? []).filter((e) => err.get(e.id) === a.n).length;
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    flowOf.set(a.n, best);
    if (!best) {
      problems.push(`${label(a)}: no flow holds any of its captures`);
      continue;
    }
    const shared = attempts.filter((o) => o.n < a.n && flowOf.get(o.n) === best).map((o) => o.n);
    if (shared.length) problems.push(`${label(a)}: its flow ${best.id} is also attempt ${shared.join(', ')}'s`);
    if (best.type !== a.expected.flowType) problems.push(`${label(a)}: flow type ${best.type}, expected ${a.expected.flowType}`);
    // Messages: exactly its own.
    const foreignMsgs = best.messageIds.filter((id) => msg.get(id) !== a.n);
    const missingMsgs = a.messageIds.filter((id) => !best!.messageIds.includes(id));
    if (foreignMsgs.length) problems.push(`${label(a)}: its flow holds messages of ${foreignMsgs.map((id) => `attempt ${msg.get(id) ?? '?'}`).join(', ')}`);
    if (missingMsgs.length) problems.push(`${label(a)}: its flow lacks ${missingMsgs.length} of its own messages`);
    // Hops: exactly its own (and so only its hosts).
    const foreignSteps = best.steps.filter((s) => stepOwner(s) !== a.n);
    const own = new Set(best.steps.filter((s) => s.messageId === undefined).map(stepKey));
    const missingSteps = a.stepKeys.filter((k) => !own.has(k));
    if (foreignSteps.length) {
      problems.push(`${label(a)}: its flow shows hops of other attempts: ${foreignSteps.map((s) => `${s.method} ${hostPath(s.url)} (attempt ${stepOwner(s) ?? '?'})`).join(', ')}`);
    }
    if (missingSteps.length) problems.push(`${label(a)}: its flow lacks its own hops: ${missingSteps.map((k) => hostPath(k.split('|').slice(2).join('|'))).join(', ')}`);
    // Its own start.
    if (best.startedAt !== a.firstHopTime) problems.push(`${label(a)}: startedAt ${best.startedAt}, its first hop was at ${a.firstHopTime}`);
    // Page errors: only the ones its pages showed.
    const errs = (best.errors ?? []).map((e) => e.id);
    const foreignErrs = errs.filter((id) => err.get(id) !== a.n);
    const missingErrs = a.pageErrorIds.filter((id) => !errs.includes(id));
    if (foreignErrs.length) problems.push(`${label(a)}: its flow carries page errors of ${foreignErrs.map((id) => `attempt ${err.get(id) ?? '?'}`).join(', ')}`);
    if (missingErrs.length) problems.push(`${label(a)}: its flow lacks the page error its page showed`);
    if (a.expected.pageError && !a.pageErrorIds.length) {
      const into = a.pageErrorMergedInto ? attempts.find((o) => o.pageErrorIds.includes(a.pageErrorMergedInto!)) : undefined;
      problems.push(
        `${label(a)}: its page showed ${JSON.stringify(a.expected.pageError)} but the extension stored no page error of its own` +
          (into ? ` (it kept one entry for attempt ${into.n}'s same error on this tab less than 30 s before: lib/capture/state.ts addPageError)` : ''),
      );
    }
    // Entra's ids on its flow are the ones its own page showed (the lab made them at random).
    const rec = a.labFlow.entraError;
    if (rec) {
      const got = (best.errors ?? []).filter((e) => e.source === 'entra').map((e) => e.correlationId);
      if (!got.includes(rec.correlationId)) problems.push(`${label(a)}: its flow's Entra Correlation Id is [${got.join(', ')}], its page showed ${rec.correlationId}`);
    }
    // Its problems (errors and warnings): the lab scenario's.
    const ids = [...new Set(analysis.findings.filter((f) => f.flowId === best!.id && f.severity !== 'info').map((f) => f.checkId))].sort();
    const want = [...a.expected.checks].sort();
    if (JSON.stringify(ids) !== JSON.stringify(want)) problems.push(`${label(a)}: problems [${ids.join(', ')}], the scenario expects [${want.join(', ')}]`);
  }
  return { analysis, flowOf, problems };
}

/** The ticket export (JSON bundle) of one attempt's flow holds that attempt alone. */
export function exportProblems(state: CaptureState, settings: Settings, a: Attempt, flow: Flow | undefined, analysis: AnalysisResult): string[] {
  if (!flow) return [`attempt ${a.n}: no flow to export`];
  const r = exportEvidence({
    format: 'json',
    redaction: { mode: 'none' },
    input: { messages: state.messages, steps: state.steps, pageErrors: state.pageErrors ?? [], expectations: toExpectations(settings), analysisTime: new Date() },
    analysis,
    flowId: flow.id,
    source: { kind: 'live', names: [] },
    version: 'test',
    exportedAt: new Date(),
  });
  const b = r.bundle!;
  const out: string[] = [];
  const ids = b.input.messages.map((m) => m.id).sort();
  if (JSON.stringify(ids) !== JSON.stringify([...a.messageIds].sort())) out.push(`attempt ${a.n}: its export holds messages [${ids.join(', ')}], its own are [${[...a.messageIds].sort().join(', ')}]`);
  const steps = b.input.steps.map(stepKey);
  const foreign = steps.filter((k) => !a.stepKeys.includes(k));
  const missing = a.stepKeys.filter((k) => !steps.includes(k));
  if (foreign.length) out.push(`attempt ${a.n}: its export holds hops of other attempts: ${foreign.map((k) => hostPath(k.split('|').slice(2).join('|'))).join(', ')}`);
  if (missing.length) out.push(`attempt ${a.n}: its export lacks its own hops: ${missing.map((k) => hostPath(k.split('|').slice(2).join('|'))).join(', ')}`);
  const errs = (b.input.pageErrors ?? []).map((e) => e.id).sort();
  if (JSON.stringify(errs) !== JSON.stringify([...a.pageErrorIds].sort())) out.push(`attempt ${a.n}: its export holds page errors [${errs.join(', ')}], its own are [${[...a.pageErrorIds].sort().join(', ')}]`);
  if (b.analysis.flows.length !== 1) out.push(`attempt ${a.n}: its export holds ${b.analysis.flows.length} flows`);
  return out;
}

export interface ListedSignIn {
  flowId: string;
  result: string;
  topCheck: string;
  when: string;
  user: string;
  top: string;
}

export interface SessionPopup {
  verdictText: string;
  verdictTone: string;
  checkIds: string[];
  flowType: string;
  /** "Earlier sign-ins": one entry per OTHER attempt (ul.flowlist li > button[data-flow-id]). */
  earlier: ListedSignIn[];
  /** How many li the list has (buttons with or without data-flow-id). */
  earlierRows: number;
  badge: string;
  glance: Buffer;
  screenshot: Buffer;
}

/** The popup at its size, as a person sees it, with the list of earlier sign-ins and the badge. */
export async function readSessionPopup(b: LaunchedBrowser, expectBadge?: (badge: string) => boolean): Promise<SessionPopup> {
  const page: Page = await b.context.newPage();
  try {
    await page.setViewportSize({ width: 420, height: 600 });
    await page.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await page.locator('.verdict, .empty').first().waitFor({ timeout: 10_000 });
    // The badge is set a moment after each write (debounced): give it that moment.
    let badge = '';
    for (let i = 0; i < 20; i++) {
      badge = (await page.evaluate(`chrome.action.getBadgeText({})`)) as string;
      if (!expectBadge || expectBadge(badge)) break;
      await page.waitForTimeout(150);
    }
    const r = (await page.evaluate(`(() => ({
      verdictText: document.querySelector('.verdict-text')?.textContent ?? '',
      verdictTone: document.querySelector('.verdict')?.getAttribute('data-tone') ?? '',
      checkIds: [...document.querySelectorAll('.findings [data-check-id]')].map((e) => e.getAttribute('data-check-id') + ':' + e.getAttribute('data-severity')),
      flowType: document.querySelector('.flow')?.getAttribute('data-flow-type') ?? '',
      earlierRows: document.querySelectorAll('ul.flowlist > li').length,
      earlier: [...document.querySelectorAll('ul.flowlist > li > button[data-flow-id]')].map((e) => ({
        flowId: e.getAttribute('data-flow-id') ?? '',
        result: e.getAttribute('data-result') ?? '',
        topCheck: e.getAttribute('data-top-check') ?? '',
        when: e.querySelector('.when')?.textContent ?? '',
        user: e.querySelector('.user')?.textContent ?? '',
        top: e.querySelector('.top')?.textContent ?? '',
      })),
    }))()`)) as Omit<SessionPopup, 'badge' | 'glance' | 'screenshot'>;
    const glance = await page.screenshot();
    const screenshot = await page.screenshot({ fullPage: true });
    return { ...r, badge, glance, screenshot };
  } finally {
    await page.close();
  }
}

/** The popup's reading against the latest attempt (verdict, badge) and the others (the list). */
export function popupProblems(p: SessionPopup, attempts: Attempt[], flowOf: Map<number, Flow | undefined>): string[] {
  const out: string[] = [];
  const latest = attempts.at(-1)!;
  const e = latest.expected;
  const tag = `after attempt ${latest.n} (${latest.start.scenario})`;
  if (!e.text.test(p.verdictText)) out.push(`${tag}: popup verdict "${p.verdictText}", expected ${e.text}`);
  if (p.verdictTone !== e.tone) out.push(`${tag}: popup tone ${p.verdictTone}, expected ${e.tone}`);
  const shown = [...new Set(p.checkIds.filter((c) => !c.endsWith(':info')).map((c) => c.split(':')[0]!))].sort();
  if (JSON.stringify(shown) !== JSON.stringify([...e.checks].sort())) out.push(`${tag}: popup cards [${shown.join(', ')}], expected [${[...e.checks].sort().join(', ')}]`);
  if (p.flowType !== e.flowType) out.push(`${tag}: popup flow type ${p.flowType}, expected ${e.flowType}`);
  // The badge: the latest attempt's (its error count, or ok).
  const errors = p.checkIds.filter((c) => c.endsWith(':error')).length;
  const badge = e.tone === 'error' ? String(Math.max(1, errors)) : 'ok';
  if (p.badge !== badge) out.push(`${tag}: badge "${p.badge}", expected "${badge}"`);
  // Earlier sign-ins: the other attempts, each with its own result and top problem.
  const others = attempts.filter((a) => a !== latest);
  if (p.earlierRows !== others.length) out.push(`${tag}: "Earlier sign-ins" has ${p.earlierRows} rows, expected ${others.length} (the other attempts)`);
  const latestFlow = flowOf.get(latest.n);
  if (latestFlow && p.earlier.some((x) => x.flowId === latestFlow.id)) out.push(`${tag}: "Earlier sign-ins" lists the sign-in shown above it`);
  for (const o of others) {
    const f = flowOf.get(o.n);
    const row = f ? p.earlier.find((x) => x.flowId === f.id) : undefined;
    if (!row) {
      out.push(`${tag}: "Earlier sign-ins" has no button[data-flow-id] for attempt ${o.n} (${o.start.scenario})`);
      continue;
    }
    const result = o.expected.tone;
    if (row.result !== result) out.push(`${tag}: earlier attempt ${o.n} listed as data-result="${row.result}", expected "${result}"`);
    if (!o.expected.topCheck.includes(row.topCheck)) out.push(`${tag}: earlier attempt ${o.n} data-top-check="${row.topCheck}", expected one of [${o.expected.topCheck.join(', ')}]`);
    // .top shows the top problem's check id (with an icon, and Entra's code, around it); none when there is none.
    if (row.topCheck ? !row.top.split(/\s+/).includes(row.topCheck) : o.expected.checks.some((c) => row.top.includes(c))) {
      out.push(`${tag}: earlier attempt ${o.n} .top "${row.top}" does not show data-top-check "${row.topCheck}"`);
    }
    if (!/\d\d:\d\d/.test(row.when)) out.push(`${tag}: earlier attempt ${o.n} .when "${row.when}" shows no time`);
    if (o.nameId !== undefined && row.user !== o.nameId) out.push(`${tag}: earlier attempt ${o.n} .user "${row.user}", expected its NameID ${o.nameId}`);
  }
  return out;
}
