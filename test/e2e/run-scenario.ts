// Drives one lab scenario through the real, built extension in Chromium and reads back what the
// extension itself stored and shows. Shared by the end-to-end tests and `npm run demo`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from './browser.ts';
import { evaluateInWorker, waitForServiceWorker } from './browser.ts';
import { MAIN_INSTANCE, SCENARIOS, type ScenarioName } from '../lab/server/index.ts';
import { LAB } from '../lab/factory.ts';
import type { CaptureState } from '../../lib/capture/state.ts';
import type { Settings } from '../../lib/settings.ts';
import { DEFAULT_SETTINGS } from '../../lib/settings.ts';
import { capturesFromStorage } from '../../lib/capture/stored.ts';

export const ROOT = join(import.meta.dirname, '../..');

/**
 * Builds the extension as `npm run build` does (WXT), for Chrome or Firefox, and returns the
 * unpacked extension's folder.
 *
 * Within a test run (test/global-setup.ts sets SAMLSCOPE_BUILD_DIR) each browser's build is made
 * once, by the first file that asks, and shared: a build took 10 to 13 s, and thirteen test files
 * each made their own. No test writes into the folder, and a build is never replaced while a
 * browser has it loaded. Outside a test run (the demo, the benchmarks) each call builds into a
 * folder of its own.
 */
export function buildExtension(browser: 'chrome' | 'firefox' = 'chrome'): string {
  const sub = browser === 'firefox' ? 'firefox-mv3' : 'chrome-mv3';
  const shared = process.env.SAMLSCOPE_BUILD_DIR;
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), `samlscope-build-${browser}-`));
    runBuild(browser, dir);
    return join(dir, sub);
  }
  const dir = join(shared, browser);
  const built = join(dir, 'built');
  const failed = join(dir, 'failed');
  try {
    mkdirSync(dir); // atomic: the one that makes the folder builds; the others wait for it
  } catch {
    const until = Date.now() + 180_000;
    while (!existsSync(built)) {
      if (existsSync(failed)) throw new Error(`The ${browser} build of this test run failed: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() > until) throw new Error(`Waited 3 minutes for the ${browser} build of this test run in ${dir}; none finished.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
    return join(dir, sub);
  }
  try {
    runBuild(browser, dir);
  } catch (e) {
    writeFileSync(failed, String((e as { stderr?: unknown }).stderr ?? e));
    throw e;
  }
  writeFileSync(built, '');
  return join(dir, sub);
}

function runBuild(browser: 'chrome' | 'firefox', outDir: string): void {
  execFileSync('node', ['--input-type=module', '-e', `import { build } from 'wxt'; await build({ browser: ${JSON.stringify(browser)}, outDir: ${JSON.stringify(outDir)} });`], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** Removes a build made for one caller; a build shared by the test run stays for the others. */
export function disposeExtension(extensionDir: string): void {
  const shared = process.env.SAMLSCOPE_BUILD_DIR;
  if (shared && extensionDir.startsWith(`${shared}/`)) return;
  rmSync(dirname(extensionDir), { recursive: true, force: true });
}

/** The expectations an admin of the lab tenant would enter on the options page. */
export const LAB_SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  spEntityId: MAIN_INSTANCE.entityId,
  acsUrl: MAIN_INSTANCE.acsUrl,
  region: MAIN_INSTANCE.region,
  idpEntityId: LAB.issuer,
  portalUrl: MAIN_INSTANCE.portalUrl,
  accessControlKeys: ['Department', 'CostCenter'],
  usernameSource: 'upn',
};

/** An extension page to send commands and read storage from (the popup page itself). */
export async function extensionPage(b: LaunchedBrowser, path = 'popup.html'): Promise<Page> {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/${path}`);
  return page;
}

export async function configure(b: LaunchedBrowser, settings: Settings): Promise<void> {
  const page = await extensionPage(b);
  await page.evaluate(
    `(async (s) => {
      await chrome.storage.local.set({ settings: s });
      const r = await chrome.runtime.sendMessage({ type: 'settings-changed' });
      if (!r || !r.ok) throw new Error('settings-changed: ' + JSON.stringify(r));
    })(${JSON.stringify(settings)})`,
  );
  await page.close();
}

export async function sendCommand(b: LaunchedBrowser, cmd: object): Promise<void> {
  const page = await extensionPage(b);
  await page.evaluate(`chrome.runtime.sendMessage(${JSON.stringify(cmd)}).then((r) => { if (!r || !r.ok) throw new Error(JSON.stringify(r)); })`);
  await page.close();
}

export async function readCaptures(b: LaunchedBrowser): Promise<CaptureState> {
  // Kept key by key (lib/capture/stored.ts): read everything and put it together.
  return capturesFromStorage(await evaluateInWorker<Record<string, unknown>>(b.context, b.extensionId, `chrome.storage.session.get(null)`));
}

/** Polls storage until the condition holds (writes are asynchronous). */
export async function waitForCaptures(b: LaunchedBrowser, ok: (s: CaptureState) => boolean, timeoutMs = 15_000): Promise<CaptureState> {
  const end = Date.now() + timeoutMs;
  let last: CaptureState | undefined;
  while (Date.now() < end) {
    last = await readCaptures(b);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`captures did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(last?.messages.map((m) => [m.param, m.url, m.status]))}`);
}

/** The page error the scenario ends on, as the content script stores it, if any. */
export function expectedPageError(name: ScenarioName): ((s: CaptureState) => boolean) | undefined {
  const o = SCENARIOS[name].outcome;
  if (o.verdict === 'entra-error') return (s) => (s.pageErrors ?? []).some((e) => e.code === o.code && !!e.correlationId && !!e.timestamp);
  if (o.verdict === 'error') return (s) => (s.pageErrors ?? []).some((e) => e.source === 'aws' && e.heading === o.heading);
  return undefined;
}

/**
 * Runs the scenario's start URL until the lab's final page is shown and, when that page shows an
 * error, until the content script has stored it (the page stays open meanwhile: Entra's error page
 * renders by script, and the content script reads it as it appears).
 */
export async function runFlow(b: LaunchedBrowser, name: ScenarioName): Promise<void> {
  const page = await b.context.newPage();
  try {
    await page.goto(SCENARIOS[name].startUrl, { waitUntil: 'commit' });
    await page.locator('main[data-lab-verdict]').waitFor({ timeout: 20_000 });
    const shown = expectedPageError(name);
    if (shown) await waitForCaptures(b, shown, 10_000);
  } finally {
    await page.close();
  }
}

export interface PopupReading {
  verdictText: string;
  /** The page's own sentence beneath the verdict ("AWS showed: …"), or ''. */
  verdictSaid: string;
  verdictTone: string;
  checkIds: string[];
  flowType: string;
  html: string;
  /** The whole popup, scrolled out (the sticky footer lies across it). */
  screenshot: Buffer;
  /** What the user sees on opening it: the 420×600 viewport. */
  glance: Buffer;
}

/** Opens the popup page at the popup's size and reads what a person would see. */
export async function readPopup(b: LaunchedBrowser, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<PopupReading> {
  const page = await b.context.newPage();
  try {
    await page.setViewportSize({ width: 420, height: 600 });
    if (opts.colorScheme) await page.emulateMedia({ colorScheme: opts.colorScheme });
    await page.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await page.locator('.verdict, .empty').first().waitFor({ timeout: 10_000 });
    const r = (await page.evaluate(`(() => ({
      verdictText: document.querySelector('.verdict-text')?.textContent ?? '',
      verdictSaid: document.querySelector('.verdict-said')?.textContent ?? '',
      verdictTone: document.querySelector('.verdict')?.getAttribute('data-tone') ?? '',
      checkIds: [...document.querySelectorAll('.findings [data-check-id]')].map((e) => e.getAttribute('data-check-id') + ':' + e.getAttribute('data-severity')),
      flowType: document.querySelector('.flow')?.getAttribute('data-flow-type') ?? '',
      html: document.documentElement.outerHTML,
    }))()`)) as Omit<PopupReading, 'screenshot'>;
    const glance = await page.screenshot();
    const screenshot = await page.screenshot({ fullPage: true });
    return { ...r, screenshot, glance };
  } finally {
    await page.close();
  }
}

/** One scenario, from a clean capture to the popup's reading. */
export async function runScenario(b: LaunchedBrowser, name: ScenarioName): Promise<{ captures: CaptureState; popup: PopupReading }> {
  await sendCommand(b, { type: 'clear' });
  await runFlow(b, name);
  // The response and what AWS answered to it (status, Date) are stored; or, when Entra stopped
  // the sign-in, the error its page showed.
  const stopped = SCENARIOS[name].outcome.verdict === 'entra-error';
  const captures = await waitForCaptures(b, (s) =>
    stopped ? !!expectedPageError(name)?.(s) : s.messages.some((m) => m.param === 'SAMLResponse' && m.status !== undefined),
  );
  const popup = await readPopup(b);
  return { captures, popup };
}
