// Enterprise policy for real: Chromium reads a managed policy file (/etc/chromium/policies/managed)
// with the extension's keys under 3rdparty.extensions.<its id>, exactly as an administrator's
// deployment does (docs/enterprise.md), and the built extension enforces each key in its own
// pages. The file names only this build's extension id (from its temporary folder), so no other
// browser on the machine is affected; it is removed afterwards. Needs write access to /etc
// (root, as CI runs); skipped with a message otherwise.
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, unpackedExtensionId, type LaunchedBrowser } from './browser.ts';
import { buildExtension, configure, extensionPage, LAB_SETTINGS, runScenario } from './run-scenario.ts';
import { openExport, openFullView } from './fullview-driver.ts';
import { startLab, type Lab } from '../lab/server/index.ts';

const POLICY_DIR = '/etc/chromium/policies/managed';
const ENDPOINT = 'https://scim.eu-west-1.amazonaws.com/a1b2c3d4-1111-2222-3333-444455556666/scim/v2';

function canWritePolicy(): boolean {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const inCI = process.env.CI === 'true';
const noChromium = findChromium() === undefined;
const skip = (!inCI && noChromium) || !canWritePolicy();
if (skip) console.warn(`[test/e2e/policy.test.ts] skipped: ${noChromium ? CHROMIUM_INSTALL_HINT : `cannot write ${POLICY_DIR} (run as root)`}`);

describe.skipIf(skip)('managed policy in Chromium', () => {
  let b: LaunchedBrowser;
  let lab: Lab;
  let policyFile: string;

  beforeAll(async () => {
    const dir = buildExtension('chrome');
    const id = unpackedExtensionId(dir);
    policyFile = `${POLICY_DIR}/samlscope-e2e-${id}.json`;
    writeFileSync(
      policyFile,
      JSON.stringify({
        '3rdparty': {
          extensions: {
            [id]: { redactionFloor: 'remove', disableExport: false, disableScimLookups: true, disablePersistence: true, scimEndpoint: ENDPOINT, region: 'eu-west-1' },
          },
        },
      }),
    );
    lab = await startLab();
    b = await launchBrowser({ extensionDir: dir, hostRules: lab.hostRules });
    // The user asked to keep captures across restarts; the policy says no.
    await configure(b, { ...LAB_SETTINGS, persistAcrossRestarts: true });
  }, 90_000);

  afterAll(async () => {
    await b?.close();
    await lab?.close();
    if (policyFile) rmSync(policyFile, { force: true });
  });

  it('reaches the settings, locked, and keeps captures for the session only', async () => {
    const page = await extensionPage(b, 'options.html');
    await page.locator('form.options').waitFor();
    // region is managed: locked on the options page.
    await expect.poll(() => page.locator('input[name="region"]').isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('input[name="region"]').inputValue()).toBe('eu-west-1');
    const persist = page.locator('input[name="persistAcrossRestarts"]');
    expect(await persist.isChecked()).toBe(false);
    expect(await persist.isDisabled()).toBe(true);
    await page.close();
    // A sign-in is kept in session storage, not on disk.
    const { captures } = await runScenario(b, 'audience-mismatch');
    expect(captures.messages.length).toBeGreaterThan(0);
    const onDisk = (await b.serviceWorker!.evaluate(`chrome.storage.local.get(null)`)) as Record<string, unknown>;
    expect(Object.keys(onDisk).filter((k) => k === 'captures' || k.startsWith('captures:'))).toEqual([]);
  });

  it('export: only the redaction the floor allows is offered and used', async () => {
    const page = await openFullView(b);
    await openExport(page);
    expect(await page.locator('input[name="export-redaction"][value="none"]').isDisabled()).toBe(true);
    expect(await page.locator('input[name="export-redaction"][value="pseudonymise"]').isDisabled()).toBe(true);
    expect(await page.locator('input[name="export-redaction"][value="remove"]').isChecked()).toBe(true);
    expect(await page.locator('[data-policy="redaction-floor"]').textContent()).toContain('redactionFloor');
    expect(await page.locator('.export-size').textContent()).toContain('redaction: remove');
    await page.close();
  });

  it('SCIM: endpoint preset and locked, lookups off with the reason, no request sent', async () => {
    const page = await extensionPage(b, 'scim.html');
    await page.locator('[data-policy="scim-disabled"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-policy="scim-disabled"]').textContent()).toContain('disableScimLookups');
    expect(await page.locator('input[name="scimEndpoint"]').inputValue()).toBe(ENDPOINT);
    expect(await page.locator('input[name="scimEndpoint"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-action="scim-lookup"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-action="scim-test"]').isDisabled()).toBe(true);
    expect(await page.locator('input[name="rememberToken"]').isDisabled()).toBe(true);
    await page.close();
  });
});
