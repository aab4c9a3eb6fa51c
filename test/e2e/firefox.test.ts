// The Firefox MV3 build in Debian's firefox-esr, driven over WebDriver BiDi (test/e2e/firefox.ts):
// a clean and a failing lab sign-in in one tab, as a session, with the background page suspended
// between events (Firefox then delivers the queued webRequest events grouped by type, which is
// what recorded the first hops wrongly), the findings read from the popup; then host access taken
// away and asked for again from the popup.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_INSTALL_HINT, findFirefox, launchFirefox, openExtensionPage, type LaunchedFirefox } from './firefox.ts';
import { buildExtension, LAB_SETTINGS, ROOT } from './run-scenario.ts';
import { SCENARIOS, startLab, type Lab } from '../lab/server/index.ts';
import type { CaptureState } from '../../lib/capture/state.ts';
import { capturesFromStorage } from '../../lib/capture/stored.ts';

const inCI = process.env.CI === 'true';
const skip = !inCI && findFirefox() === undefined;
if (skip) console.warn(`[test/e2e/firefox.test.ts] skipped: ${FIREFOX_INSTALL_HINT}`);

describe.skipIf(skip)('the Firefox MV3 build in Firefox against the lab', () => {
  let lab: Lab;
  let ff: LaunchedFirefox;
  let ext: Page;

  beforeAll(async () => {
    const dir = buildExtension('firefox');
    lab = await startLab();
    // The background page is suspended after 300 ms idle, so sign-in hops wake it.
    ff = await launchFirefox({ extensionDir: dir, labPort: lab.port, backgroundIdleMs: 300, prefs: { 'extensions.webextOptionalPermissionPrompts': false } });
    ext = await openExtensionPage(ff, 'popup.html', '.popup-root');
    await ext.evaluate(`(async (s) => { await browser.storage.local.set({ settings: s }); await browser.runtime.sendMessage({ type: 'settings-changed' }); })(${JSON.stringify(LAB_SETTINGS)})`);
  }, 90_000);

  afterAll(async () => {
    await ff?.close();
    await lab?.close();
  });

  const captures = async () => capturesFromStorage((await ext.evaluate(`browser.storage.session.get(null)`)) as Record<string, unknown>);
  async function waitFor(ok: (s: CaptureState) => boolean): Promise<CaptureState> {
    // Generous: the machines running CI are shared and often loaded.
    const end = Date.now() + 30_000;
    let last: CaptureState | undefined;
    while (Date.now() < end) {
      last = await captures();
      if (last && ok(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`captures not as expected: ${JSON.stringify(last?.steps.map((s) => [s.url, s.status]))} ${JSON.stringify(last?.messages.map((m) => [m.param, m.url, m.status, m.redirectTo]))}`);
  }

  it('captures a clean and a failing sign-in in one tab, every hop with its own status, and the popup tells them apart', async () => {
    const tab = await ff.browser.newPage();
    for (const name of ['sp-clean', 'audience-mismatch'] as const) {
      await tab.goto(SCENARIOS[name].startUrl, { waitUntil: 'load' }).catch(() => undefined);
      await tab.waitForSelector('main[data-lab-verdict]', { timeout: 20_000 });
      // Long enough for the background page to be suspended before the next attempt.
      await new Promise((r) => setTimeout(r, 800));
    }
    const s = await waitFor((c) => c.messages.filter((m) => m.param === 'SAMLResponse' && m.status !== undefined).length === 2);
    const portalHops = s.steps.filter((st) => st.url.includes('awsapps.com/start?lab-scenario='));
    expect(portalHops).toHaveLength(2);
    for (const hop of portalHops) {
      expect(hop.status).toBe(302);
      expect(hop.redirectTo).toMatch(/^https:\/\/login\.microsoftonline\.com\/[^/]+\/saml2\?SAMLRequest=/);
    }
    const requests = s.messages.filter((m) => m.param === 'SAMLRequest');
    expect(requests).toHaveLength(2);
    for (const r of requests) {
      // Entra answers with its form_post page: 200, no redirect (never the portal's 302 to itself).
      expect(r.status).toBe(200);
      expect(r.redirectTo).toBeUndefined();
    }
    const responses = s.messages.filter((m) => m.param === 'SAMLResponse');
    expect(responses.map((m) => m.status)).toEqual([302, 200]);

    const popup = await openExtensionPage(ff, 'popup.html', '.verdict');
    await popup.setViewport({ width: 420, height: 600 });
    const r = (await popup.evaluate(`(() => ({
      verdict: document.querySelector('.verdict-text')?.textContent ?? '',
      tone: document.querySelector('.verdict')?.getAttribute('data-tone'),
      checks: [...document.querySelectorAll('.findings [data-check-id]')].map((e) => e.getAttribute('data-check-id')),
      earlier: document.querySelectorAll('.flowlist li, .flowlist button').length,
      version: document.querySelector('.topbar .version')?.textContent,
    }))()`)) as { verdict: string; tone: string; checks: string[]; earlier: number; version: string };
    expect(r.tone).toBe('error');
    expect(r.checks).toContain('audience-mismatch');
    expect(r.earlier).toBeGreaterThanOrEqual(1);
    expect(r.version).toMatch(/^v\d+\.\d+\.\d+/);
    if (process.env.SAMLSCOPE_SCREENSHOTS) {
      mkdirSync(join(ROOT, 'demo-output'), { recursive: true });
      writeFileSync(join(ROOT, 'demo-output', 'firefox-popup.png'), await popup.screenshot());
    }
    await popup.close();
    await tab.close();
  }, 60_000);

  it('says which sign-in hosts it may no longer read and asks for them again from the popup', async () => {
    const removed = await ext.evaluate(`browser.permissions.remove({ origins: ['https://login.microsoftonline.com/*', 'https://*.awsapps.com/*'] })`);
    expect(removed).toBe(true);
    // The toolbar says so before the popup is opened.
    await expect.poll(() => ext.evaluate(`browser.action.getTitle({})`), { timeout: 5_000 }).toMatch(/cannot read 2 sign-in host\(s\)/);
    const popup = await openExtensionPage(ff, 'popup.html', '.host-access');
    const text = await popup.$eval('.host-access', (e) => e.textContent ?? '');
    expect(text).toContain('login.microsoftonline.com');
    expect(text).toContain('*.awsapps.com');
    expect(text).toContain('Entra sign-in');
    if (process.env.SAMLSCOPE_SCREENSHOTS) {
      await popup.setViewport({ width: 420, height: 600 });
      writeFileSync(join(ROOT, 'demo-output', 'firefox-host-access.png'), await popup.screenshot());
    }
    await popup.click('[data-action="allow-hosts"]');
    await popup.waitForSelector('.host-access', { hidden: true, timeout: 10_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}; the popup shows: ${await popup.$eval('.host-access', (x) => x.textContent ?? '').catch(() => '?')}; log: ${ff.log.filter((l) => /samlscope|permission/i.test(l)).slice(-5).join(' | ')}`);
    });
    expect(await ext.evaluate(`browser.permissions.contains({ origins: ['https://login.microsoftonline.com/*'] })`)).toBe(true);
    await expect.poll(() => ext.evaluate(`browser.action.getTitle({})`), { timeout: 5_000 }).not.toMatch(/cannot read/);
    await popup.close();
  }, 30_000);

  it("a SCIM test asks for the SCIM host and Firefox's optional data-collection permissions together", async () => {
    const page = await openExtensionPage(ff, 'scim.html', 'input[name="scimEndpoint"]');
    await page.type('input[name="scimEndpoint"]', 'https://scim.eu-west-1.amazonaws.com/a1b2c3d4-1111-2222-3333-444455556666/scim/v2');
    await page.type('input[name="scimToken"]', 'lab-token');
    await page.click('[data-action="scim-test"]');
    const end = Date.now() + 10_000;
    let got: { origins: string[]; data_collection?: string[] } = { origins: [] };
    while (Date.now() < end) {
      got = (await ext.evaluate(`browser.permissions.getAll()`)) as typeof got;
      if (got.origins.includes('https://scim.eu-west-1.amazonaws.com/*')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const status = await page.$$eval('.status, .notice, [data-scim-outcome]', (xs) => xs.map((x) => x.textContent).join(' | '));
    expect(got.origins, `the SCIM page says: ${status}; log: ${ff.log.filter((l) => /samlscope|permission|data_collection/i.test(l)).slice(-4).join(' | ')}`).toContain('https://scim.eu-west-1.amazonaws.com/*');
    expect(got.data_collection).toEqual(expect.arrayContaining(['personallyIdentifyingInfo', 'authenticationInfo']));
    await page.close();
  }, 30_000);
});
