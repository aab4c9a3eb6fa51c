// Real Chromium for end-to-end tests (see /work/shared/BROWSER-TESTING.md): Debian's unbranded
// Chromium driven by playwright-core (never a browser download), a persistent context in a fresh
// temp dir, optionally with the built extension loaded, and the lab's host rules so pages and
// the extension see the real Entra / AWS host names.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Worker } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_INSTALL_HINT =
  'Chromium not found at /usr/bin/chromium. Install Debian\'s package: ' +
  'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium ' +
  '(or set CHROMIUM_PATH). Do not use `npx playwright install`: it downloads a browser.';

/** The Chromium to drive, or undefined. CHROMIUM_PATH overrides. */
export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** The Chromium to drive; throws with install instructions if there is none. */
export function chromiumPath(): string {
  const p = findChromium();
  if (!p) throw new Error(CHROMIUM_INSTALL_HINT);
  return p;
}

export interface LaunchOptions {
  /** The unpacked, built extension (e.g. .output/chrome-mv3). Relative paths are resolved. */
  extensionDir?: string;
  /** The lab's --host-resolver-rules value. */
  hostRules: string;
  /** Default true (new headless mode, which loads extensions). */
  headless?: boolean;
  /** More Chromium switches. */
  args?: string[];
  /** How long to wait for the extension's service worker. Default 15 s. */
  serviceWorkerTimeoutMs?: number;
  /**
   * More unpacked extensions to load next to `extensionDir` (e.g. SAML-tracer). `serviceWorker`
   * and `extensionId` stay those of `extensionDir`.
   */
  extraExtensionDirs?: string[];
  /** Playwright's own HAR recorder (written when the context closes). */
  recordHar?: { path: string; content?: 'embed' | 'omit' | 'attach'; urlFilter?: string | RegExp };
}

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The extension's service worker (when an extension was loaded and it has one). */
  serviceWorker?: Worker;
  extensionId?: string;
  userDataDir: string;
  close(): Promise<void>;
}

const isExtensionWorker = (w: Worker) => w.url().startsWith('chrome-extension://');

/**
 * The id Chromium gives an unpacked extension: the SHA-256 of its absolute path, first 32 hex
 * digits written with the letters a–p. Lets a test tell two loaded extensions apart.
 */
export function unpackedExtensionId(absDir: string): string {
  return [...createHash('sha256').update(absDir).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export async function launchBrowser(o: LaunchOptions): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath();
  const userDataDir = mkdtempSync(join(tmpdir(), 'samlscope-chromium-'));
  const abs = (d: string) => (isAbsolute(d) ? d : resolve(d));
  const extDir = o.extensionDir ? abs(o.extensionDir) : undefined;
  if (extDir && !existsSync(join(extDir, 'manifest.json'))) {
    throw new Error(`no manifest.json in ${extDir}: build the extension first (npm run build)`);
  }
  const extraDirs = (o.extraExtensionDirs ?? []).map(abs);
  for (const d of extraDirs) if (!existsSync(join(d, 'manifest.json'))) throw new Error(`no manifest.json in ${d}`);
  const allExtDirs = [...(extDir ? [extDir] : []), ...extraDirs].join(',');
  const args = [
    `--host-resolver-rules=${o.hostRules}`,
    '--ignore-certificate-errors',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(allExtDirs ? [`--disable-extensions-except=${allExtDirs}`, `--load-extension=${allExtDirs}`] : []),
    ...(o.args ?? []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: o.headless ?? true,
      ignoreHTTPSErrors: true,
      ...(allExtDirs ? { ignoreDefaultArgs: ['--disable-extensions'] } : {}),
      ...(o.recordHar
        ? { recordHar: { path: o.recordHar.path, content: o.recordHar.content ?? 'embed', ...(o.recordHar.urlFilter ? { urlFilter: o.recordHar.urlFilter } : {}) } }
        : {}),
      args,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
  };

  let serviceWorker: Worker | undefined;
  let extensionId: string | undefined;
  if (extDir) {
    // With several extensions loaded, the one of extensionDir (its id follows from its path).
    const ours = extraDirs.length ? (w: Worker) => w.url().startsWith(`chrome-extension://${unpackedExtensionId(extDir)}/`) : isExtensionWorker;
    try {
      serviceWorker =
        context.serviceWorkers().find(ours) ??
        (await context.waitForEvent('serviceworker', {
          predicate: ours,
          timeout: o.serviceWorkerTimeoutMs ?? 15_000,
        }));
      extensionId = new URL(serviceWorker.url()).host;
    } catch (e) {
      await close();
      throw new Error(`the extension in ${extDir} started no service worker: ${(e as Error).message}`);
    }
  }
  return { context, serviceWorker, extensionId, userDataDir, close };
}

/**
 * A CDP session on a blank page of its own, kept for the context: attaching to a page that is
 * navigating waits for it (seconds), so a worker stopped "mid-flow" through the sign-in's own tab
 * was stopped only after the flow had ended.
 */
const cdpPages = new WeakMap<BrowserContext, Promise<import('playwright-core').Page>>();

async function cdpSession(context: BrowserContext): Promise<CDPSession> {
  const browser = context.browser();
  if (browser) return browser.newBrowserCDPSession();
  let page = cdpPages.get(context);
  if (!page || (await page).isClosed()) {
    page = context.newPage();
    cdpPages.set(context, page);
  }
  return context.newCDPSession(await page);
}

async function workerTargets(cdp: CDPSession, extensionId?: string) {
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const prefix = extensionId ? `chrome-extension://${extensionId}/` : 'chrome-extension://';
  return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
}

/**
 * Stops the extension's service worker the way Chromium does when it idles (it never idles
 * while Playwright is attached), via CDP Target.closeTarget. The next matching event (e.g. a
 * webRequest) restarts it with module state gone and chrome.storage.session kept. Returns how
 * many workers were stopped.
 *
 * Careful: Playwright keeps listing the stopped worker in context.serviceWorkers(), and
 * evaluate() on it while it is stopped hangs (~100 s here) and then takes the whole context
 * down. After a stop, get the worker back with waitForServiceWorker() before evaluating.
 */
export async function stopServiceWorker(context: BrowserContext, extensionId?: string, o: { waitUntilGone?: boolean } = {}): Promise<number> {
  return withWorkerLock(context, async () => {
    const cdp = await cdpSession(context);
    try {
      const targets = await workerTargets(cdp, extensionId);
      for (const t of targets) await cdp.send('Target.closeTarget', { targetId: t.targetId });
      const closed = new Set(targets.map((t) => t.targetId));
      // Until the workers closed are gone (a restarted one is a new target)…
      for (let i = 0; i < 50 && (await workerTargets(cdp, extensionId)).some((t) => closed.has(t.targetId)); i++) await sleep(20);
      // …and, unless stopped in the middle of a sign-in (whose next request restarts it at once),
      // until none runs, so the caller's next step sees a stopped worker.
      for (let i = 0; o.waitUntilGone !== false && i < 50 && (await workerTargets(cdp, extensionId)).length > 0; i++) await sleep(50);
      return targets.length;
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  });
}

/**
 * Stopping the worker and evaluating in it never overlap (per context): evaluate() on a worker
 * stopped under it hangs for ~100 s and takes the context down.
 */
const workerLocks = new WeakMap<BrowserContext, Promise<unknown>>();

function withWorkerLock<T>(context: BrowserContext, fn: () => Promise<T>): Promise<T> {
  const prev = workerLocks.get(context) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  workerLocks.set(context, run.catch(() => undefined));
  return run;
}

/** Whether the extension's service worker is running right now (per CDP, not Playwright's list). */
export async function isServiceWorkerRunning(context: BrowserContext, extensionId?: string): Promise<boolean> {
  const cdp = await cdpSession(context);
  try {
    return (await workerTargets(cdp, extensionId)).length > 0;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * The extension's running service worker, waiting (polling CDP) until Chromium runs one: after
 * stopServiceWorker() it comes back on the next event the extension listens to.
 */
export async function waitForServiceWorker(context: BrowserContext, extensionId?: string, timeoutMs = 10_000): Promise<Worker> {
  const deadline = Date.now() + timeoutMs;
  const prefix = extensionId ? `chrome-extension://${extensionId}/` : 'chrome-extension://';
  // A worker stopped with nothing left to do stays stopped until an event comes: after a while,
  // send it one (a runtime message from one of its pages, as the popup would).
  let woken = !extensionId;
  const wakeAt = Date.now() + 1500;
  for (;;) {
    if (!woken && Date.now() > wakeAt) {
      woken = true;
      const page = await context.newPage();
      try {
        await page.goto(`${prefix}popup.html`);
        await page.evaluate(`chrome.runtime.sendMessage({ type: 'ping' }).catch(() => undefined)`);
      } finally {
        await page.close().catch(() => undefined);
      }
    }
    if (await isServiceWorkerRunning(context, extensionId)) {
      // The newest: Playwright keeps listing workers that were stopped, and evaluate() on one hangs.
      const w = context.serviceWorkers().filter((x) => x.url().startsWith(prefix)).at(-1);
      if (w) return w;
    }
    if (Date.now() > deadline) throw new Error(`no running service worker for ${prefix} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Evaluates in the extension's running service worker, again on a worker that restarted in the
 * meantime (a test that stops it mid-sign-in races its own reads).
 */
export async function evaluateInWorker<T>(context: BrowserContext, extensionId: string | undefined, expression: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withWorkerLock(context, async () => (await (await waitForServiceWorker(context, extensionId)).evaluate(expression)) as T);
    } catch (e) {
      if (attempt >= 4 || !/restarted|closed|destroyed|detached/i.test((e as Error)?.message ?? '')) throw e;
      await sleep(200);
    }
  }
}
