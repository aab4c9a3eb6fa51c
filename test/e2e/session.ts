// Real sign-in sessions against the lab: several attempts in one tab (fail, the admin fixes
// something, retry), or in two tabs at once, in real Chromium with the built extension loaded.
// The driver knows, independently of samlscope's analysis, which captured messages, HTTP hops and
// page errors belong to which attempt: every capture carries its tab, and the attempts of one tab
// follow each other (the next one starts only when the previous one's last page is shown and
// stored). So an attempt's own captures are those of its tab that were stored after the previous
// attempt of that tab ended and by the time it ended itself.
//
// Shared by test/e2e/sessions.test.ts, scripts/demo.ts (session screenshots) and
// scripts/record-sessions.ts (the recorded HAR and SAML-tracer files).
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from './browser.ts';
import { evaluateInWorker, waitForServiceWorker } from './browser.ts';
import { launcherUrl, appIdFor, MAIN_INSTANCE, OTHER_INSTANCE, SCENARIOS, type Lab, type LabFlow, type ScenarioName } from '../lab/server/index.ts';
import type { CaptureState } from '../../lib/capture/state.ts';
import { stepKey } from '../../lib/capture/state.ts';
import type { FlowType, PageError } from '../../lib/types.ts';
import { capturesFromStorage } from '../../lib/capture/stored.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How an attempt starts: what the person clicks or opens. */
export type AttemptStart =
  /** The access portal with the scenario named (SP-initiated): `/start?lab-scenario=<name>`. */
  | { via: 'portal'; scenario: ScenarioName }
  /**
   * The admin changed the enterprise app (the lab's default scenario becomes `scenario`, for the
   * same app), then the user opens the plain access portal URL again (SP-initiated). The portal's
   * session cookie is dropped first, as after signing out, so the portal signs in again.
   */
  | { via: 'portal-after-change'; scenario: ScenarioName }
  /** The scenario's My Apps launcher URL opened directly (IdP-initiated, a bookmark of the tile). */
  | { via: 'launcher'; scenario: ScenarioName }
  /** myapps.microsoft.com, then a click on the scenario's tile (IdP-initiated, or the app's Sign-on URL). */
  | { via: 'myapps-tile'; scenario: ScenarioName };

/** What the lab scenario says the attempt ends with: known before samlscope runs. */
export interface ExpectedAttempt {
  scenario: ScenarioName;
  /** samlscope's flow type for it. */
  flowType: FlowType;
  /** The problems (errors and warnings) samlscope must report: the scenario's expectedChecks. */
  checks: string[];
  /** The popup's verdict tone. */
  tone: 'error' | 'warning' | 'ok';
  /** The popup's verdict sentence. */
  text: RegExp;
  /** The check ids one of which must be the top problem ('' when there is none). */
  topCheck: string[];
  /** The page error the attempt ends on, if any. */
  pageError?: { source: 'entra'; code: string } | { source: 'aws'; heading: string };
  /** Whether a SAMLRequest / SAMLResponse is sent. */
  request: boolean;
  response: boolean;
}

/**
 * Scenarios whose expected problems include an error-severity check although the lab signs the
 * user in (samlscope warns that AWS is reached with the wrong instance's response).
 */
const ERROR_WITHOUT_PAGE: ReadonlySet<ScenarioName> = new Set(['myapps-wrong-portal']);

/** The verdict of one attempt, from the lab scenario that produced it (not from samlscope). */
export function expectedAttempt(start: AttemptStart): ExpectedAttempt {
  const s = SCENARIOS[start.scenario];
  const o = s.outcome;
  const idpStart = start.via === 'launcher' || start.via === 'myapps-tile';
  // A launcher of an app without Sign-on URL signs in IdP-initiated; with one (myapps-wrong-portal,
  // entra-no-request) it opens that URL, and the flow is what that URL starts.
  const idp = idpStart ? !s.app?.signOnUrl : s.initiation === 'idp' && !s.app?.signOnUrl;
  const entraStop = o.verdict === 'entra-error';
  // entra-no-request: the tile opens Entra with no SAMLRequest, so nothing but Entra's page.
  const request = !idp && s.name !== 'entra-no-request';
  const response = !entraStop;
  // A sign-in Entra stopped is still the kind it started as (the contract of extension.test.ts).
  const flowType: FlowType = s.name === 'entra-no-request' ? 'fragment' : idp ? 'idp-initiated' : 'sp-initiated';
  const tone = o.verdict !== 'signed-in' || ERROR_WITHOUT_PAGE.has(s.name) ? 'error' : s.expectedChecks.length ? 'warning' : 'ok';
  const pageError: ExpectedAttempt['pageError'] = o.verdict === 'entra-error' ? { source: 'entra', code: o.code } : o.verdict === 'error' ? { source: 'aws', heading: o.heading } : undefined;
  const text =
    o.verdict === 'entra-error'
      ? new RegExp(`^Entra stopped the sign-in: ${o.code} \\(`)
      : o.verdict === 'error'
        ? // The verdict names the cause a check found, else says the capture cannot show it; AWS's heading is beneath.
          /^AWS refused the sign-in(: [^"]| for a reason the capture cannot show)/
        : ERROR_WITHOUT_PAGE.has(s.name)
          ? // Signed in, by the other instance the tile's app names: AWS refused nothing.
            new RegExp(`^Signed in to another AWS access portal: ${OTHER_INSTANCE.portalHost.replace(/\./g, '\\.')}, not ${MAIN_INSTANCE.portalHost.replace(/\./g, '\\.')}$`)
          : tone === 'error'
            ? /^AWS will refuse this sign-in: (?!\d+ errors?$)\S/
            : /^This sign-in should work/;
  const topCheck =
    o.verdict === 'entra-error'
      ? ['entra-error']
      : o.verdict === 'error'
        ? // Behind AWS's generic error, the list names the cause a check found (else the error itself).
          s.expectedChecks.filter((c) => c !== 'aws-sign-in-error').length
          ? s.expectedChecks.filter((c) => c !== 'aws-sign-in-error')
          : ['aws-sign-in-error']
        : ERROR_WITHOUT_PAGE.has(s.name)
          ? s.expectedChecks.filter((c) => c !== 'portal-mismatch')
          : s.expectedChecks.length
            ? [s.expectedChecks[0]!]
            : [''];
  return { scenario: s.name, flowType, checks: [...s.expectedChecks], tone, text, topCheck, ...(pageError ? { pageError } : {}), request, response };
}

/** The URL the attempt opens first. */
export function startUrlOf(start: AttemptStart): string {
  const s = SCENARIOS[start.scenario];
  switch (start.via) {
    case 'portal':
      return s.initiation === 'sp' ? s.startUrl : `${MAIN_INSTANCE.portalUrl}?lab-scenario=${s.name}`;
    case 'portal-after-change':
      return MAIN_INSTANCE.portalUrl;
    case 'launcher':
      return launcherUrl(appIdFor(s.name));
    case 'myapps-tile':
      return 'https://myapps.microsoft.com/';
  }
}

/** One attempt as it happened: what the lab made of it and which captures are its own. */
export interface Attempt {
  /** 1-based, in the order the attempts ended (capture order within each tab). */
  n: number;
  tab: string;
  tabId: number;
  start: AttemptStart;
  expected: ExpectedAttempt;
  /** What the lab's Entra and AWS did (its AuthnRequest, response, verdict or Entra error). */
  labFlow: LabFlow;
  /** The NameID the lab's Entra put in the response, if it sent one. */
  nameId?: string;
  finalUrl: string;
  /** When the driver started it and when its last page was stored (Node clock, ms). */
  startedMs: number;
  endedMs: number;
  /** The extension's captures that belong to this attempt: its tab, in its time. */
  messageIds: string[];
  stepKeys: string[];
  pageErrorIds: string[];
  /** The time of its first captured hop (the earliest capture time among the above). */
  firstHopTime: string;
  /**
   * Its page showed an error but the extension stored none of its own: it took the page for the
   * previous attempt's (the same error on the same tab shortly before), whose entry this is.
   */
  pageErrorMergedInto?: string;
  /** Every host it went through, in capture order. */
  hosts: string[];
}

interface Tab {
  label: string;
  page: Page;
  tabId?: number;
  /** Set by waitForStored when the attempt's page error was merged into an earlier entry. */
  mergedInto?: string | undefined;
}

const hostOf = (u: string) => {
  try {
    return new URL(u).host;
  } catch {
    return u;
  }
};

/**
 * Drives sign-in attempts in tabs of one browser (extension loaded) against one lab. Attempts in
 * one tab must be awaited one after the other; attempts in different tabs may run at once.
 */
export class LabSession {
  readonly attempts: Attempt[] = [];
  private readonly tabs = new Map<string, Tab>();
  /** Captures already given to an attempt. */
  private readonly taken = { messages: new Set<string>(), steps: new Set<string>(), errors: new Set<string>() };
  /** Serialises the bookkeeping (snapshots) of attempts that end at the same time in two tabs. */
  private bookkeeping: Promise<unknown> = Promise.resolve();

  constructor(
    readonly browser: LaunchedBrowser,
    readonly lab: Lab,
    /** Whether the extension is loaded (false: SAML-tracer only; no capture bookkeeping). */
    readonly withExtension = true,
  ) {}

  /** A new tab (one Playwright page), kept for the whole session. */
  async tab(label: string): Promise<Page> {
    let t = this.tabs.get(label);
    if (!t) {
      t = { label, page: await this.browser.context.newPage() };
      this.tabs.set(label, t);
    }
    return t.page;
  }

  async close(): Promise<void> {
    for (const t of this.tabs.values()) await t.page.close().catch(() => undefined);
    this.tabs.clear();
  }

  /** Runs one attempt in the tab (created on first use) until its last page is shown and stored. */
  async attempt(tabLabel: string, start: AttemptStart): Promise<Attempt> {
    const page = await this.tab(tabLabel);
    const tab = this.tabs.get(tabLabel)!;
    const expected = expectedAttempt(start);
    const url = startUrlOf(start);
    const labFlowsBefore = new Set(this.lab.flows);
    const startedMs = Date.now();
    if (start.via === 'portal-after-change') {
      this.lab.setScenario(start.scenario);
      // Signed out of the portal: its session cookie is gone, so /start signs in again.
      await this.browser.context.clearCookies({ name: 'lab_portal_session' });
    }
    // The previous document (if any) is marked, so its final page is not taken for this one's.
    await page.evaluate(() => ((window as unknown as { __labStale?: boolean }).__labStale = true)).catch(() => undefined);
    if (start.via === 'myapps-tile') {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      await page.locator(`a[href="${launcherUrl(appIdFor(start.scenario))}"]`).click({ noWaitAfter: true });
    } else {
      await page.goto(url, { waitUntil: 'commit' });
    }
    const verdict = await waitForFinalPage(page, 25_000);
    const labFlow = await this.waitForLabFlow(labFlowsBefore, start, 10_000);
    const finalUrl = page.url();
    const nameId = labFlow.responseXml ? /<(?:\w+:)?NameID\b[^>]*>([^<]*)</.exec(labFlow.responseXml)?.[1] : undefined;
    const want = expected.pageError ? 'error' : 'signed-in';
    const shown = verdict === 'entra-error' ? 'error' : verdict;
    if (shown !== want) throw new Error(`attempt ${start.via} ${start.scenario} in tab ${tabLabel} ended on "${verdict}", the lab scenario says ${want} (${finalUrl})`);
    if (!this.withExtension) {
      const a: Attempt = {
        n: this.attempts.length + 1,
        tab: tabLabel,
        tabId: -1,
        start,
        expected,
        labFlow,
        ...(nameId !== undefined ? { nameId } : {}),
        finalUrl,
        startedMs,
        endedMs: Date.now(),
        messageIds: [],
        stepKeys: [],
        pageErrorIds: [],
        firstHopTime: new Date(startedMs).toISOString(),
        hosts: [],
      };
      this.attempts.push(a);
      return a;
    }
    // Until the extension stored the last page of this attempt (with its status), and the error
    // the page showed (with Entra's ids), the attempt is not over.
    const state = await this.waitForStored(tab, url, startedMs, finalUrl, expected);
    const run = this.bookkeeping.then(() => this.assign(tab, start, expected, labFlow, nameId, finalUrl, startedMs, state));
    this.bookkeeping = run.catch(() => undefined);
    return run;
  }

  private async waitForLabFlow(before: Set<LabFlow>, start: AttemptStart, timeoutMs: number): Promise<LabFlow> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const f = this.lab.flows.find((x) => !before.has(x) && x.scenario === start.scenario && (x.verdict || x.entraError));
      if (f) return f;
      if (Date.now() > end) throw new Error(`the lab recorded no finished flow of ${start.scenario} for ${start.via}`);
      await sleep(50);
    }
  }

  /** The tab's Chromium tab id: from the first hop of its first attempt (its start URL). */
  private tabIdOf(tab: Tab, s: CaptureState, startUrl: string, startedMs: number): number | undefined {
    if (tab.tabId !== undefined) return tab.tabId;
    const others = new Set([...this.tabs.values()].map((t) => t.tabId).filter((x) => x !== undefined));
    const hits = s.steps.filter((x) => x.url === startUrl && x.tabId !== undefined && !others.has(x.tabId) && Date.parse(x.time ?? '') >= startedMs - 1000);
    const ids = new Set(hits.map((x) => x.tabId!));
    if (ids.size > 1) throw new Error(`two tabs opened ${startUrl} at once: give concurrent tabs different start URLs`);
    const id = [...ids][0];
    if (id !== undefined) tab.tabId = id;
    return id;
  }

  private async waitForStored(tab: Tab, startUrl: string, startedMs: number, finalUrl: string, e: ExpectedAttempt): Promise<CaptureState> {
    const end = Date.now() + 15_000;
    const final = finalUrl.split('#')[0]!;
    let last: CaptureState | undefined;
    let why = '';
    let mergedSince: number | undefined;
    tab.mergedInto = undefined;
    while (Date.now() < end) {
      last = await readState(this.browser);
      const tabId = this.tabIdOf(tab, last, startUrl, startedMs);
      why = 'the tab id (its first hop)';
      if (tabId !== undefined) {
        const mine = <T extends { tabId?: number }>(xs: T[], taken: Set<string>, key: (x: T) => string) => xs.filter((x) => x.tabId === tabId && !taken.has(key(x)));
        const msgs = mine(last.messages, this.taken.messages, (m) => m.id);
        const steps = mine(last.steps, this.taken.steps, stepKey);
        const errors = mine(last.pageErrors ?? [], this.taken.errors, (x) => x.id);
        const finalHop =
          steps.some((x) => x.url.split('#')[0] === final && x.status !== undefined) ||
          msgs.some((m) => m.url === final.split('?')[0] && m.status !== undefined && (m.method === 'POST' || final.includes('SAMLRequest=') || final.includes('SAMLResponse=')));
        const req = !e.request || msgs.some((m) => m.param === 'SAMLRequest');
        const resp = !e.response || msgs.some((m) => m.param === 'SAMLResponse' && m.status !== undefined);
        const pe = e.pageError;
        const same = (x: PageError) => (pe?.source === 'entra' ? x.code === pe.code && !!x.correlationId && !!x.timestamp : x.source === 'aws' && x.heading === pe?.heading);
        let err = !pe || errors.some(same);
        // The extension keeps one entry for the same error read on the same tab within 30 s
        // (lib/capture/state.ts addPageError): a retry that ends on the same page adds nothing.
        // Give a new entry a moment, then take the attempt as shown on the earlier one.
        const earlier = pe ? (last.pageErrors ?? []).filter((x) => x.tabId === tabId && this.taken.errors.has(x.id) && same(x) && Date.now() - Date.parse(x.time) < 30_000).at(-1) : undefined;
        if (!err && earlier && finalHop && req && resp) {
          mergedSince ??= Date.now();
          if (Date.now() - mergedSince > 2_000) {
            err = true;
            tab.mergedInto = earlier.id;
          }
        }
        why = `${finalHop ? '' : `the last hop ${final} with its status; `}${req ? '' : 'the SAMLRequest; '}${resp ? '' : 'the SAMLResponse with its status; '}${err ? '' : `the page error ${JSON.stringify(pe)}`}`;
        if (finalHop && req && resp && err) return last;
      }
      await sleep(150);
    }
    throw new Error(
      `tab ${tab.label}: the extension did not store ${why} within 15 s; stored: ${JSON.stringify({
        messages: last?.messages.map((m) => [m.tabId, m.param, m.url, m.status]),
        steps: last?.steps.map((x) => [x.tabId, x.method, x.url.slice(0, 100), x.status]),
        pageErrors: last?.pageErrors?.map((x) => [x.tabId, x.code ?? x.heading]),
      })}`,
    );
  }

  private assign(tab: Tab, start: AttemptStart, expected: ExpectedAttempt, labFlow: LabFlow, nameId: string | undefined, finalUrl: string, startedMs: number, s: CaptureState): Attempt {
    const tabId = tab.tabId!;
    const msgs = s.messages.filter((m) => m.tabId === tabId && !this.taken.messages.has(m.id));
    const steps = s.steps.filter((x) => x.tabId === tabId && !this.taken.steps.has(stepKey(x)));
    const errors = (s.pageErrors ?? []).filter((x) => x.tabId === tabId && !this.taken.errors.has(x.id));
    for (const m of msgs) this.taken.messages.add(m.id);
    for (const x of steps) this.taken.steps.add(stepKey(x));
    for (const x of errors) this.taken.errors.add(x.id);
    const timed = [...msgs.map((m) => ({ t: m.time ?? '', url: m.url ?? '' })), ...steps.map((x) => ({ t: x.time ?? '', url: x.url }))].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
    const a: Attempt = {
      n: this.attempts.length + 1,
      tab: tab.label,
      tabId,
      start,
      expected,
      labFlow,
      ...(nameId !== undefined ? { nameId } : {}),
      finalUrl,
      startedMs,
      endedMs: Date.now(),
      messageIds: msgs.map((m) => m.id),
      stepKeys: steps.map(stepKey),
      pageErrorIds: errors.map((x) => x.id),
      firstHopTime: timed[0]?.t ?? '',
      hosts: timed.map((x) => hostOf(x.url)),
      ...(tab.mergedInto && !errors.length ? { pageErrorMergedInto: tab.mergedInto } : {}),
    };
    this.attempts.push(a);
    return a;
  }
}

/** Waits (polling, across navigations) for a new document that shows the lab's final verdict. */
export async function waitForFinalPage(page: Page, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await page
      .evaluate(() => {
        if ((window as unknown as { __labStale?: boolean }).__labStale) return null;
        const v = document.querySelector('main[data-lab-verdict]')?.getAttribute('data-lab-verdict') ?? null;
        return v === 'signed-in' || v === 'error' || v === 'entra-error' ? v : null;
      })
      .catch(() => null); // the document changed under us: try again
    if (v) return v;
    if (Date.now() > end) throw new Error(`no final lab page in ${timeoutMs} ms (at ${page.url()})`);
    await sleep(100);
  }
}

// Kept key by key (lib/capture/stored.ts): everything read, and put together.
const READ_CAPTURES = `chrome.storage.session.get(null)`;

/** The capture state as the extension stored it (session storage, the default). */
export async function readState(b: LaunchedBrowser): Promise<CaptureState> {
  return capturesFromStorage(await evaluateInWorker<Record<string, unknown>>(b.context, b.extensionId, READ_CAPTURES));
}

/**
 * The same, read from an extension page (any of the extension's pages, kept open by the caller):
 * unlike readState it neither wakes a stopped worker nor waits for one.
 */
export async function readStateIn(extensionPage: Page): Promise<CaptureState> {
  return capturesFromStorage((await extensionPage.evaluate(READ_CAPTURES)) as Record<string, unknown>);
}
