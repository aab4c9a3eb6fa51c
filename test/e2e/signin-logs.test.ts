// Sign-in logs in the built extension's full view, in Chromium, against the lab: a sign-in AWS
// refuses (the user was never provisioned) is captured live; the CloudTrail events the lab's AWS
// recorded, exported as `aws cloudtrail lookup-events` prints them, are imported (Import…) and
// joined to that attempt: the ranked causes of "An unexpected error has occurred" become the one
// AWS's record names, and the sign-in's own log records are shown. An Entra sign-in log CSV of
// other sign-ins is imported too: its records are listed as not joined, not lost. Then the
// Markdown export carries them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, type LaunchedBrowser } from './browser.ts';
import { LAB_USER, startLab, type Lab } from '../lab/server/index.ts';
import { configure, LAB_SETTINGS, ROOT, runScenario } from './run-scenario.ts';
import { exportText, openFullView, readFullView } from './fullview-driver.ts';
import { entraSignInCsv, lookupEventsOutput } from '../lab/logs.ts';
import { at } from '../clock.ts';

const inCI = process.env.CI === 'true';
const skip = !inCI && findChromium() === undefined;
if (skip) console.warn(`[test/e2e/signin-logs.test.ts] skipped: ${CHROMIUM_INSTALL_HINT}`);

describe.skipIf(skip)('sign-in logs in the full view (Chromium)', () => {
  let lab: Lab;
  let b: LaunchedBrowser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samlscope-signin-logs-e2e-'));
    execFileSync('node', ['--input-type=module', '-e', `import { build } from 'wxt'; await build({ browser: 'chrome', outDir: ${JSON.stringify(dir)} });`], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, NO_COLOR: '1' },
    });
    lab = await startLab();
    b = await launchBrowser({ extensionDir: join(dir, 'chrome-mv3'), hostRules: lab.hostRules });
    await configure(b, LAB_SETTINGS);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("joins the lab's CloudTrail record to the live attempt and confirms the cause; lists the Entra records that fit none", async () => {
    await runScenario(b, 'user-not-provisioned');
    const page = await openFullView(b);
    const before = await readFullView(page);
    expect(before.findings[0]).toBe('aws-sign-in-error:error');
    expect(await page.locator('.fv-finding:has([data-check-id="aws-sign-in-error"]) .causes').first().textContent()).not.toMatch(/confirmed/i);

    // What the lab's AWS recorded, as lookup-events prints it.
    expect(lab.cloudTrail.length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'cloudtrail.json'), lookupEventsOutput(lab.cloudTrail));
    await page.getByRole('button', { name: 'Import…' }).first().click();
    await page.locator('input[name="import-file"]').setInputFiles(join(dir, 'cloudtrail.json'));
    await page.locator('[data-testid="signin-logs-bar"], .notice.tone-error[role="alert"]').first().waitFor({ timeout: 20_000 }).catch(async (e) => {
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR ?? dir, 'signin-logs-fail.png'), fullPage: true });
      throw e;
    });
    expect(await page.locator('.notice.tone-error[role="alert"]').count()).toBe(0);
    expect(await page.locator('.fv-source').getAttribute('data-source')).toBe('live');
    const card = page.locator('.fv-finding:has([data-check-id="aws-sign-in-error"])').first();
    await expect.poll(async () => (await card.textContent()) ?? '', { timeout: 10_000 }).toMatch(/cause confirmed by CloudTrail/);
    const causes = (await card.locator('.causes').textContent()) ?? '';
    expect(causes).toMatch(/confirmed by AWS's CloudTrail record\s*The user does not exist in Identity Center yet/);
    expect(causes).toMatch(/AWS's CloudTrail record of this sign-in says so: "no Identity Center user has the user name/);
    const own = page.locator('.fv-signin-logs:not(.unmatched) [data-testid="signin-logs"] tbody tr');
    expect(await own.count()).toBe(1);
    expect(await own.first().getAttribute('data-outcome')).toBe('failure');

    // Entra's sign-ins of another app, in the admin center's CSV: fit no captured sign-in.
    writeFileSync(
      join(dir, 'InteractiveSignIns.csv'),
      entraSignInCsv([
        { time: at(-3600), user: 'Ивана.Петрова@contoso.com', correlationId: 'c0a1b2c3-0000-4000-8000-0000000000aa', requestId: 'r-aa', errorCode: 50105, failureReason: 'not assigned', app: 'Office 365 Exchange Online' },
      ]),
    );
    await page.getByRole('button', { name: 'Import…' }).first().click();
    await page.locator('input[name="import-file"]').setInputFiles(join(dir, 'InteractiveSignIns.csv'));
    await expect.poll(async () => (await page.locator('[data-testid="signin-logs-bar"]').textContent()) ?? '', { timeout: 20_000 }).toMatch(/InteractiveSignIns\.csv/);
    const unmatched = page.locator('[data-testid="signin-logs-unmatched"]');
    expect(await unmatched.locator('summary').textContent()).toMatch(/^\d+ sign-in log records? fit no captured sign-in/);
    await unmatched.locator('summary').click();
    expect(await unmatched.textContent()).toContain('Ивана.Петрова@contoso.com');
    await page.screenshot({ path: join(process.env.SCREENSHOT_DIR ?? dir, 'signin-logs-fullview.png'), fullPage: true });

    const md = await exportText(page, { format: 'markdown', mode: 'none' });
    expect(md.text).toContain('### Sign-in logs');
    expect(md.text).toMatch(/cause confirmed by CloudTrail/);

    // Removing the logs gives the ranked causes back.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Remove the logs' }).click();
    await expect.poll(async () => (await card.textContent()) ?? '', { timeout: 10_000 }).not.toMatch(/cause confirmed by CloudTrail/);
    // The first-sight pin note (signature-cert-mismatch, info) depends on whether the certificate
    // had been pinned when the live analysis ran, not on the logs: compare the rest.
    const rest = (f: string[]) => f.filter((x) => x !== 'signature-cert-mismatch:info');
    const after = await readFullView(page);
    expect(rest(after.findings)).toEqual(rest(before.findings));
    await page.close();
  }, 120_000);

  it("joins Entra's sign-in log record to the attempt whose error page showed its Correlation Id", async () => {
    await runScenario(b, 'entra-unassigned');
    const shown = lab.entraErrors[lab.entraErrors.length - 1]!;
    // The sign-in log Entra keeps for that page: same ids, its code, the user.
    writeFileSync(
      join(dir, 'EntraSignIns.csv'),
      entraSignInCsv([
        { time: new Date(shown.timestamp), user: LAB_USER.upn, correlationId: shown.correlationId, requestId: shown.requestId, errorCode: Number(shown.code.slice(6)), failureReason: shown.message },
      ]),
    );
    const page = await openFullView(b);
    await page.getByRole('button', { name: 'Import…' }).first().click();
    await page.locator('input[name="import-file"]').setInputFiles(join(dir, 'EntraSignIns.csv'));
    await page.locator('[data-testid="signin-logs-bar"]').waitFor({ timeout: 20_000 });
    const own = page.locator('.fv-signin-logs:not(.unmatched) [data-testid="signin-logs"] tbody tr');
    await expect.poll(() => own.count(), { timeout: 10_000 }).toBe(1);
    expect(await own.first().textContent()).toContain(shown.correlationId);
    const card = page.locator('.fv-finding:has([data-check-id="entra-error"])').first();
    expect(await card.textContent()).toMatch(/Entra sign-in log \(EntraSignIns\.csv:2\)/);
    expect(await page.locator('[data-testid="signin-logs-bar"]').textContent()).toMatch(/1 joined to a captured sign-in, 0 not/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(process.env.SCREENSHOT_DIR ?? dir, 'signin-logs-entra-dark.png') });
    await page.close();
  }, 120_000);
});
