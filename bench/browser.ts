// The extension's speed as a user meets it (issue 13): the built extension in real headless
// Chromium with 10 and with 500 stored messages (a retention limit's worth of sign-ins made by
// the real capture code), the popup and the full view opened as pages, timed from navigation
// start to the first finding card painted, with the long tasks before it; and what popup.html
// loads before its first paint. Printed as measured against target; exit 1 when a target is missed.
//
//   npm run bench:browser [-- --runs 5] [-- --ext .output/chrome-mv3] [-- --json]
//
// Needs Chromium (/usr/bin/chromium) and a build: it builds into a temp dir unless --ext is given.
import { buildExtension, LAB_SETTINGS } from '../test/e2e/run-scenario.ts';
import { launchBrowser, stopServiceWorker, type LaunchedBrowser } from '../test/e2e/browser.ts';
import type { CaptureState } from '../lib/capture/state.ts';
import { sessionOf } from './session.ts';
import { firstLoad, type FirstLoad } from './first-load.ts';
import { CaptureLayout } from '../lib/capture/stored.ts';
import { startLab } from '../test/lab/server/index.ts';
import { startUrlOf, waitForFinalPage } from '../test/e2e/session.ts';
import { evaluateInWorker } from '../test/e2e/browser.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(opt('runs') ?? 9);
const asJson = args.includes('--json');

export const TARGETS = {
  popupFirstLoadGzip: 40 * 1024,
  popupCardMs: 100,
  popupRatio: 1.3,
  longTaskMs: 50,
  fullViewCardMs: 150,
  captureAtLimitMs: 2,
};

interface PageTiming {
  /**
   * Navigation start → the first finding card painted, by the browser's own account (Element
   * Timing: the render time of the frame that first showed it), ms. The target is checked on this.
   */
  cardMs: number;
  /**
   * Navigation start → a task after the frame that showed the card (requestAnimationFrame, then a
   * task), ms: later than the paint by the tasks queued before it (Preact's effects among them).
   * How the bench measured until 6 December 2026; kept to compare.
   */
  afterFrameMs: number;
  /** First contentful paint, ms. */
  fcpMs: number | undefined;
  /** The longest task before the card was painted, ms (0: none over 50 ms). */
  longestTaskBeforeMs: number;
  /** All long tasks within 3 s, total ms. */
  longTasksTotalMs: number;
}

/**
 * Records, in the page, when the first element matching `selector` is painted and which long
 * tasks came before. The element (and what it holds) is marked for Element Timing as soon as it
 * is in the DOM: a mutation observer's callback runs before the next frame, so the mark is there
 * when the frame that shows it is painted.
 */
const PROBE = (selector: string) => `(() => {
  const b = (window.__bench = { seen: 0, painted: 0, elementPaint: 0, longtasks: [] });
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        const t = e.renderTime || e.loadTime;
        if (e.identifier === 'bench-card' && t && (!b.elementPaint || t < b.elementPaint)) b.elementPaint = t;
      }
    }).observe({ type: 'element', buffered: true });
  } catch {}
  // Every matching element is marked, not only the first: a page may replace the card before
  // the frame (the popup analysing by itself renders it twice), and the one painted counts.
  // The observer stops once the browser has reported a paint.
  const check = () => {
    if (b.elementPaint) return mo.disconnect();
    for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
      if (el.hasAttribute('elementtiming')) continue;
      for (const x of [el, ...el.querySelectorAll('*')]) x.setAttribute('elementtiming', 'bench-card');
      if (!b.seen) {
        b.seen = performance.now();
        requestAnimationFrame(() => setTimeout(() => { b.painted = performance.now(); }, 0));
      }
    }
  };
  const mo = new MutationObserver(check);
  mo.observe(document, { childList: true, subtree: true });
})();`;

export async function timePage(b: LaunchedBrowser, path: string, selector: string): Promise<PageTiming> {
  const page = await b.context.newPage();
  try {
    await page.addInitScript(PROBE(selector));
    await page.goto(`chrome-extension://${b.extensionId}/${path}`);
    // A function, not a string: extension pages forbid eval.
    await page.waitForFunction(() => ((window as unknown as { __bench?: { painted: number } }).__bench?.painted ?? 0) > 0, undefined, { timeout: 30_000 });
    // The browser reports the paint after the frame is presented: wait for it (3 s at most).
    await page.waitForFunction(() => ((window as unknown as { __bench?: { elementPaint: number } }).__bench?.elementPaint ?? 0) > 0, undefined, { timeout: 3000 }).catch(() => undefined);
    await page.waitForTimeout(300);
    const r = (await page.evaluate(`(() => {
      const b = window.__bench;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { painted: b.painted, elementPaint: b.elementPaint, longtasks: b.longtasks, fcp: fcp ? fcp.startTime : undefined };
    })()`)) as { painted: number; elementPaint: number; longtasks: [number, number][]; fcp?: number };
    if (!r.elementPaint) throw new Error(`${path}: the browser reported no paint of ${selector} (Element Timing); the probe saw it in the DOM at ${r.painted.toFixed(0)} ms`);
    const before = r.longtasks.filter(([start]) => start < r.elementPaint);
    return {
      cardMs: r.elementPaint,
      afterFrameMs: r.painted,
      fcpMs: r.fcp,
      longestTaskBeforeMs: before.reduce((m, [, d]) => Math.max(m, d), 0),
      longTasksTotalMs: r.longtasks.reduce((n, [, d]) => n + d, 0),
    };
  } finally {
    await page.close();
  }
}

/** Puts the captures into the extension as the background would have saved them, and lets the background analyse them. */
export async function seed(b: LaunchedBrowser, state: CaptureState, settings?: typeof LAB_SETTINGS): Promise<{ backgroundMs: number }> {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options.html`);
  // Stored as the background stores them (key by key, lib/capture/stored.ts), as after a week of use.
  const keys = new CaptureLayout().plan(state).set;
  await page.evaluate(
    `(async (s, st) => {
      await chrome.storage.local.set({ settings: s });
      await chrome.storage.session.set({ ...st, capturesRevision: 'bench-' + Date.now() });
    })(${JSON.stringify(settings ?? LAB_SETTINGS)}, ${JSON.stringify(keys)})`,
  );
  // A restarted worker reads the captures and settings from storage and analyses them.
  await stopServiceWorker(b.context, b.extensionId);
  const t0 = Date.now();
  // Sent again while nobody receives it: Chromium may still be stopping the worker closed above.
  await page.evaluate(`(async () => {
    for (let i = 0; ; i++) {
      try { return await chrome.runtime.sendMessage({ type: 'ping' }); }
      catch (e) { if (i >= 20 || !/Receiving end does not exist/.test(String(e && e.message))) throw e; await new Promise((r) => setTimeout(r, 100)); }
    }
  })()`);
  for (;;) {
    const fresh = (await page.evaluate(`(async () => {
      const [v, r] = await Promise.all([chrome.storage.local.get('analysisView'), chrome.storage.session.get('capturesRevision')]);
      return !!v.analysisView && v.analysisView.revision === r.capturesRevision;
    })()`)) as boolean;
    if (fresh) break;
    if (Date.now() - t0 > 120_000) throw new Error('the background stored no analysis of the seeded captures in 120 s');
    await page.waitForTimeout(50);
  }
  const backgroundMs = Date.now() - t0;
  await page.close();
  return { backgroundMs };
}

async function withoutView(b: LaunchedBrowser): Promise<void> {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options.html`);
  await page.evaluate(`chrome.storage.local.remove('analysisView')`);
  await page.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Series {
  messages: number;
  backgroundMs: number;
  popup: PageTiming[];
  popupSelfAnalysis?: PageTiming[];
  fullView: PageTiming[];
  /** privacy.html (no storage, no analysis): what any extension page costs here to paint. */
  floor: PageTiming[];
}

const summary = (t: PageTiming[]) => ({
  cardMs: median(t.map((x) => x.cardMs)),
  afterFrameMs: median(t.map((x) => x.afterFrameMs)),
  fcpMs: median(t.map((x) => x.fcpMs ?? NaN)),
  longestTaskBeforeMs: Math.max(...t.map((x) => x.longestTaskBeforeMs)),
  longTasksTotalMs: median(t.map((x) => x.longTasksTotalMs)),
});

export async function series(extDir: string, attempts: number, selfAnalysis: boolean): Promise<Series> {
  const b = await launchBrowser({ extensionDir: extDir, hostRules: 'MAP nothing.invalid 127.0.0.1' });
  try {
    const state = sessionOf(attempts);
    const { backgroundMs } = await seed(b, state);
    const FINDING = '.findings [data-check-id]';
    // One warm-up open (the browser's first extension page pays for its own start-up), then the runs.
    await timePage(b, 'popup.html', FINDING);
    // The floor: an extension page that reads no storage and analyses nothing (the privacy policy),
    // opened in turn with the popup and the full view, so that all three meet the machine in the
    // same state (run to run, all move by 20 ms and more together on this 2-core machine; single
    // opens of one page range over 80 ms, so each page gets as many opens as the popup: a median
    // of three full-view opens once read 152 ms where nine read 120 ms).
    const popup: PageTiming[] = [];
    const floor: PageTiming[] = [];
    const fullView: PageTiming[] = [];
    for (let i = 0; i < RUNS; i++) {
      popup.push(await timePage(b, 'popup.html', FINDING));
      floor.push(await timePage(b, 'privacy.html', 'main.markdown-page h1, main.markdown-page h2'));
      fullView.push(await timePage(b, 'fullview.html', '[data-check-id]'));
    }
    const out: Series = { messages: state.messages.length, backgroundMs, popup, fullView, floor };
    if (selfAnalysis) {
      // The popup as it was before the background kept the analysis: it analyses every message itself.
      await withoutView(b);
      out.popupSelfAnalysis = [];
      for (let i = 0; i < Math.max(2, Math.ceil(RUNS / 2)); i++) out.popupSelfAnalysis.push(await timePage(b, 'popup.html', FINDING));
    }
    return out;
  } finally {
    await b.close();
  }
}

interface AtLimit {
  stored: number;
  attempts: number;
  /** Each change of the captures during those attempts (a hop, a message, a status): the worker's work (retention, planning the write), ms. */
  costs: number[];
  /** The same changes until the browser confirmed the write, ms (IPC to the browser process, and the analysis interleaved). */
  written: number[];
  /** The changes, slowest first: what changed (message, step, status…), retention and the write plan apart, ms. */
  slowest: { kind: string; fnMs: number; planMs: number; /** Its place among the changes, in time order. */ i: number }[];
  /** The changes of the first sign-in after the worker started (its code runs for the first time), ms: not in `costs`. */
  cold: number[];
}

/**
 * The background at the retention limit, as a user meets it: a week of sign-ins stored (500
 * messages), then real sign-ins retried in one tab through the lab (Entra and AWS under their
 * real names), each hop and message captured by webRequest, kept (evicting the oldest attempt) and
 * written by the real worker. The worker times each change itself (retention + storage write).
 */
export async function atLimit(extDir: string, attempts: number): Promise<AtLimit> {
  const lab = await startLab();
  const b = await launchBrowser({ extensionDir: extDir, hostRules: lab.hostRules });
  try {
    const state = sessionOf(263);
    await seed(b, state);
    type Cost = { workMs: number; writtenMs: number; fnMs: number; planMs: number; kind: string };
    const costs = () => evaluateInWorker<Cost[]>(b.context, b.extensionId, 'samlscopeCaptureCosts()');
    const page = await b.context.newPage();
    const attempt = async (i: number) => {
      // Fail, fix, retry: the same tab, alternating a refused and a working sign-in.
      await page.evaluate(() => ((window as unknown as { __labStale?: boolean }).__labStale = true)).catch(() => undefined);
      await page.goto(startUrlOf({ via: 'portal', scenario: i % 2 ? 'sp-clean' : 'audience-mismatch' }), { waitUntil: 'commit' });
      await waitForFinalPage(page, 30_000);
      await page.waitForTimeout(300);
    };
    // The first sign-in after the worker started (seed() restarts it) runs its capture code for the
    // first time (compiled lazily, not optimised): its changes cost 5–8 ms each, once per worker
    // start. Reported apart, not in the per-change figure, which is the cost at the limit.
    const start = await costs();
    await attempt(1);
    await page.waitForTimeout(500);
    const before = await costs();
    const cold = before.slice(start.length);
    for (let i = 0; i < attempts; i++) await attempt(i);
    await page.waitForTimeout(500);
    const after = (await costs()).slice(before.length);
    const slowest = [...after].map((c, i) => ({ kind: c.kind, fnMs: c.fnMs, planMs: c.planMs, i })).sort((a, b) => b.fnMs + b.planMs - (a.fnMs + a.planMs));
    return { stored: state.messages.length, attempts, costs: after.map((c) => c.workMs), written: after.map((c) => c.writtenMs), slowest, cold: cold.map((c) => c.workMs) };
  } finally {
    await b.close();
    await lab.close();
  }
}

export interface BrowserBench {
  firstLoad: FirstLoad;
  atLimit: AtLimit;
  small: Series;
  full: Series;
  checks: { name: string; measured: string; target: string; pass: boolean }[];
}

export async function runBrowserBench(extDir?: string): Promise<BrowserBench> {
  const dir = extDir ?? buildExtension('chrome');
  const fl = firstLoad(dir, 'popup.html');
  const limit = await atLimit(dir, 6);
  const small = await series(dir, 5, false);
  const full = await series(dir, 263, true);
  const s = summary(small.popup);
  const f = summary(full.popup);
  const fv = summary(full.fullView);
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const sorted = [...limit.costs].sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? NaN;
  const checks = [
    {
      name: `background, ${limit.stored} stored messages, ${limit.attempts} retries in one tab after a first one: the worker's work per change of the captures (retention + write plan), p90 of ${limit.costs.length}`,
      measured: `${p90.toFixed(2)} ms (median ${median(limit.costs).toFixed(2)}, max ${(sorted.at(-1) ?? NaN).toFixed(1)}; until the write is confirmed: median ${median(limit.written).toFixed(1)} ms; the first sign-in after the worker started, not counted: max ${Math.max(...limit.cold).toFixed(1)} ms over ${limit.cold.length} changes; slowest: ${limit.slowest.slice(0, 5).map((c) => `${c.kind} #${c.i + 1} ${c.fnMs.toFixed(1)}+${c.planMs.toFixed(1)}`).join(', ')})`,
      target: `≤ ${TARGETS.captureAtLimitMs} ms`,
      pass: p90 <= TARGETS.captureAtLimitMs,
    },
    { name: 'popup first load (gzip, before first paint)', measured: `${(fl.gzip / 1024).toFixed(1)} KB`, target: `≤ ${TARGETS.popupFirstLoadGzip / 1024} KB`, pass: fl.gzip <= TARGETS.popupFirstLoadGzip },
    { name: `popup, ${full.messages} messages: first card painted`, measured: ms(f.cardMs), target: `≤ ${TARGETS.popupCardMs} ms`, pass: f.cardMs <= TARGETS.popupCardMs },
    {
      name: `popup, ${full.messages} vs ${small.messages} messages`,
      measured: `${(f.cardMs / s.cardMs).toFixed(2)}× (${ms(f.cardMs)} / ${ms(s.cardMs)})`,
      target: `≤ ${TARGETS.popupRatio}×`,
      pass: f.cardMs / s.cardMs <= TARGETS.popupRatio,
    },
    {
      name: `popup, ${full.messages} messages: longest task before the card`,
      measured: f.longestTaskBeforeMs ? ms(f.longestTaskBeforeMs) : 'none over 50 ms',
      target: `none over ${TARGETS.longTaskMs} ms`,
      pass: f.longestTaskBeforeMs <= TARGETS.longTaskMs,
    },
    { name: `full view, ${full.messages} messages: first card painted`, measured: ms(fv.cardMs), target: `≤ ${TARGETS.fullViewCardMs} ms`, pass: fv.cardMs <= TARGETS.fullViewCardMs },
  ];
  return { firstLoad: fl, atLimit: limit, small, full, checks };
}

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, k) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ') + (k === 0 ? `\n${w.map((n) => '-'.repeat(n)).join('  ')}` : '')).join('\n');
}

export function printBrowserBench(r: BrowserBench): string {
  const lines: string[] = [];
  const row = (what: string, t: PageTiming[]) => {
    const x = summary(t);
    return [what, `${x.cardMs.toFixed(0)} ms`, `${x.afterFrameMs.toFixed(0)} ms`, Number.isNaN(x.fcpMs) ? '—' : `${x.fcpMs.toFixed(0)} ms`, `${x.longestTaskBeforeMs.toFixed(0)} ms`, `${x.longTasksTotalMs.toFixed(0)} ms`];
  };
  lines.push(`browser bench — Chromium headless, built extension, median of ${RUNS} opens after a warm-up\n`);
  lines.push(
    table([
      ['page', 'first card painted', 'a task after that frame', 'FCP', 'longest task before', 'long tasks (all)'],
      row(`popup, ${r.small.messages} messages`, r.small.popup),
      row(`popup, ${r.full.messages} messages`, r.full.popup),
      ...(r.full.popupSelfAnalysis ? [row(`popup, ${r.full.messages} messages, analysing itself (no stored analysis)`, r.full.popupSelfAnalysis)] : []),
      row(`full view, ${r.small.messages} messages`, r.small.fullView),
      row(`full view, ${r.full.messages} messages`, r.full.fullView),
      row('floor: privacy.html (no storage read, no analysis), first heading', r.full.floor),
    ]),
  );
  const over = r.full.popup.map((t, i) => t.cardMs - (r.full.floor[i]?.cardMs ?? NaN));
  lines.push(`\npopup, ${r.full.messages} messages, over the floor (each open against the privacy page opened after it): median ${median(over).toFixed(0)} ms, from ${Math.min(...over).toFixed(0)} to ${Math.max(...over).toFixed(0)} ms`);
  const fvOver = r.full.fullView.map((t, i) => t.cardMs - (r.full.floor[i]?.cardMs ?? NaN));
  lines.push(`full view, ${r.full.messages} messages, over the floor (each open against the privacy page opened before it): median ${median(fvOver).toFixed(0)} ms, from ${Math.min(...fvOver).toFixed(0)} to ${Math.max(...fvOver).toFixed(0)} ms`);
  lines.push(
    `\nbackground: worker restart → stored analysis of ${r.small.messages} messages ${r.small.backgroundMs} ms, of ${r.full.messages} messages ${r.full.backgroundMs} ms (full analysis with signatures, once; later captures are incremental)`,
  );
  lines.push(`\npopup.html before first paint: ${r.firstLoad.files.map((f) => `${f.path} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ')}`);
  lines.push(`loaded when used: ${r.firstLoad.lazy.join(', ')}\n`);
  lines.push(table([['measured against target', 'measured', 'target', ''], ...r.checks.map((c) => [c.name, c.measured, c.target, c.pass ? 'ok' : 'MISSED'])]));
  const missed = r.checks.filter((c) => !c.pass);
  lines.push(missed.length ? `\n${missed.length} browser target(s) missed: ${missed.map((c) => c.name).join('; ')}` : '\nall browser targets met');
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runBrowserBench(opt('ext'));
  console.log(asJson ? JSON.stringify(r, null, 2) : printBrowserBench(r));
  process.exitCode = r.checks.every((c) => c.pass) ? 0 : 1;
}
