// The go-live checklist in the built extension: after a lab run of clean and failing scenarios,
// the full view's checklist ticks the items those runs prove (and only those), links each to its
// sign-in, the popup says how far it is, and the Markdown export of all sign-ins carries it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, type LaunchedBrowser } from './browser.ts';
import { startLab, type Lab } from '../lab/server/index.ts';
import { buildExtension, disposeExtension, configure, LAB_SETTINGS, readPopup, runFlow, sendCommand, waitForCaptures } from './run-scenario.ts';
import { exportText, openFullView } from './fullview-driver.ts';

const inCI = process.env.CI === 'true';
const skip = !inCI && findChromium() === undefined;
if (skip) console.warn(`[test/e2e/golive.test.ts] skipped: ${CHROMIUM_INSTALL_HINT}`);

async function readChecklist(page: Page): Promise<Record<string, string>> {
  await page.locator('.checklist-panel [data-item]').first().waitFor({ timeout: 10_000 });
  return (await page.evaluate(
    `Object.fromEntries([...document.querySelectorAll('.checklist-panel [data-item]')].map((e) => [e.getAttribute('data-item'), e.getAttribute('data-status')]))`,
  )) as Record<string, string>;
}

describe.skipIf(skip)('the go-live checklist, in Chromium against the lab', () => {
  let lab: Lab;
  let b: LaunchedBrowser;
  let ext: string;

  beforeAll(async () => {
    ext = buildExtension('chrome');
    lab = await startLab();
    b = await launchBrowser({ extensionDir: ext, hostRules: lab.hostRules });
    await configure(b, LAB_SETTINGS);
  }, 90_000);

  afterAll(async () => {
    await b?.close();
    await lab?.close();
    if (ext) disposeExtension(ext);
  });

  it('ticks what the runs prove, links to the sign-in, and goes into the Markdown export', async () => {
    await sendCommand(b, { type: 'clear' });
    // A failed attempt first, then the ones that work: the latest attempt decides.
    for (const name of ['nameid-mismatch', 'sp-clean', 'idp-clean', 'entra-unassigned'] as const) await runFlow(b, name);
    await waitForCaptures(b, (s) => s.messages.filter((m) => m.param === 'SAMLResponse' && m.status !== undefined).length === 3 && s.pageErrors.some((e) => e.code === 'AADSTS50105'));

    // The checklist line comes from the background's stored analysis, or is computed after the
    // first paint when that is not there yet: wait for it as a person would.
    const glance = await b.context.newPage();
    await glance.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await glance.locator('[data-action="open-checklist"]', { hasText: /: \d+ of \d+ done/ }).waitFor({ timeout: 15_000 });
    expect(await glance.locator('[data-action="open-checklist"]').textContent()).toMatch(/Go-live checklist: 5 of 6 done, 1 to test/);
    await glance.close();
    const page = await openFullView(b, { hash: 'checklist', width: 1300, height: 1000 });
    expect(await readChecklist(page)).toEqual({
      'idp-initiated': 'pass',
      'sp-initiated': 'pass',
      attributes: 'pass',
      mfa: 'pending',
      'unassigned-denied': 'pass',
      certificate: 'pass',
      'scim-users': 'not-applicable',
    });
    await page.screenshot({ path: '/tmp/golive.png', fullPage: false });
    // An evidence link selects that sign-in in the full view.
    await page.locator('[data-item="unassigned-denied"] .cl-link').first().click();
    await page.locator('.checklist-panel').waitFor({ state: 'detached' });
    expect(await page.locator('.fv-flow .verdict-text').textContent()).toMatch(/^Entra stopped the sign-in: AADSTS50105/);

    // The Markdown export of all sign-ins has the checklist.
    const md = await exportText(page, { format: 'markdown', mode: 'pseudonymise', scope: 'all' });
    expect(md.text).toContain('## Go-live checklist');
    expect(md.text).toMatch(/- \[x\] .*IdP-initiated/);
    expect(md.text).toMatch(/- \[ \] .*MFA/i);
    await page.close();

    // A sign-in AWS accepts without the CostCenter claim: the attributes item fails, naming it.
    await runFlow(b, 'accesscontrol-missing');
    await waitForCaptures(b, (s) => s.messages.filter((m) => m.param === 'SAMLResponse' && m.status !== undefined).length === 4);
    const again = await openFullView(b, { hash: 'checklist' });
    expect((await readChecklist(again)).attributes).toBe('fail');
    expect(await again.locator('[data-item="attributes"]').textContent()).toContain('CostCenter');
    await again.close();
  }, 120_000);
});
