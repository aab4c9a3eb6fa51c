// The options page shows the AccessControl keys learned from accepted sign-ins (issue 17), with
// the sign-in each came from, and forgets one on request; its comma-separated fields take what is
// typed: the built extension in real Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from './browser.ts';
import { buildExtension } from './run-scenario.ts';
import { LAB } from '../lab/factory.ts';

const KEPT = {
  [LAB.spEntityId]: [
    { key: 'CostCenter', firstSeen: '2026-03-02T10:00:00.000Z', messageId: 'cap-17', user: 'ana.silva@contoso.com' },
    { key: 'Department', firstSeen: '2026-03-02T10:00:00.000Z', messageId: 'cap-17', user: 'ana.silva@contoso.com' },
  ],
};

describe('options: learned AccessControl keys', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchBrowser({ extensionDir: buildExtension('chrome'), hostRules: 'MAP none.invalid 127.0.0.1' });
    await b.serviceWorker!.evaluate(async (kept) => {
      await (globalThis as unknown as { chrome: { storage: { local: { set(x: object): Promise<void> } } } }).chrome.storage.local.set({ learnedAccessControlKeys: kept });
    }, KEPT);
  }, 180_000);
  afterAll(async () => b?.close());

  it('lists each learned key with its sign-in, and Forget removes only that key from storage', async () => {
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 900, height: 1400 });
    await page.goto(`chrome-extension://${b.extensionId}/options.html`);
    const box = page.locator('.learned-keys');
    await box.waitFor();
    const items = await box.locator('li').allInnerTexts();
    expect(items.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'CostCenter from the sign-in of ana.silva@contoso.com, 2026-03-02T10:00:00Z (message cap-17) Forget',
      'Department from the sign-in of ana.silva@contoso.com, 2026-03-02T10:00:00Z (message cap-17) Forget',
    ]);
    await expect(box.locator('.label').innerText()).resolves.toContain('(used while none are set above)');
    await box.screenshot({ path: process.env.SAMLSCOPE_SCREENSHOT ?? '/tmp/samlscope-options-learned.png' });
    await page.getByRole('button', { name: 'Forget the learned key CostCenter' }).click();
    await expect.poll(async () => box.locator('li').count()).toBe(1);
    const stored = await b.serviceWorker!.evaluate(async () =>
      (await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('learnedAccessControlKeys')).learnedAccessControlKeys,
    );
    expect(stored).toEqual({ [LAB.spEntityId]: [KEPT[LAB.spEntityId]![1]] });
  });

  it('the comma-separated fields keep what is typed, commas and spaces included, and save the list', async () => {
    // Rendering the parsed list back into the field took each comma away as it was typed:
    // "Department, CostCenter" was saved as one key, "DepartmentCostCenter" (found by a review).
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 900, height: 1400 });
    await page.goto(`chrome-extension://${b.extensionId}/options.html`);
    const keys = page.locator('input[name="accessControlKeys"]');
    const hosts = page.locator('input[name="extraHosts"]');
    await keys.waitFor();
    // Filled in from elsewhere (the learned key left by the test above), then typed after.
    await page.getByRole('button', { name: 'Use the learned keys as the expected keys' }).click();
    await expect.poll(() => keys.inputValue()).toBe('Department');
    await keys.click();
    await page.keyboard.press('End');
    await page.keyboard.type(', CostCenter,');
    await expect(keys.inputValue()).resolves.toBe('Department, CostCenter,');
    await hosts.click();
    await page.keyboard.type('https://adfs.example.com/*, https://sts.example.org/*');
    await expect(hosts.inputValue()).resolves.toBe('https://adfs.example.com/*, https://sts.example.org/*');
    // Not saved with hosts: the browser would ask for them in a prompt the test cannot answer.
    await hosts.fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. The popup uses these values from now on.').waitFor();
    const settings = await b.serviceWorker!.evaluate(async () =>
      (await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('settings')).settings as { accessControlKeys: string[]; extraHosts: string[] },
    );
    expect([settings.accessControlKeys, settings.extraHosts]).toEqual([['Department', 'CostCenter'], []]);
    // Loaded afresh, the list is shown as saved.
    await page.reload();
    await expect.poll(() => page.locator('input[name="accessControlKeys"]').inputValue()).toBe('Department, CostCenter');
  });

  it('says what is wrong with an emptied clock tolerance and a certificate cut short or damaged, once each', async () => {
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 900, height: 1400 });
    await page.goto(`chrome-extension://${b.extensionId}/options.html`);
    const save = () => page.getByRole('button', { name: 'Save', exact: true }).click();
    const skew = page.locator('input[name="clockSkewSeconds"]');
    await skew.waitFor();
    // Emptied, the tolerance was saved as 0 s in silence.
    await skew.fill('');
    const certs = page.locator('textarea[name="idpCertificates"]');
    await certs.fill('-----BEGIN CERTIFICATE-----\nMIIC8DCCAdigAwIBAgIQdkQ3Hr2W\n');
    await save();
    await page.getByText('Not saved: correct the fields marked below.').waitFor();
    const errors = () => page.locator('.error').allInnerTexts();
    await expect(errors()).resolves.toStrictEqual([
      'Enter a number of seconds between 0 and 86400.',
      'The certificate is cut short: it has its -----BEGIN CERTIFICATE----- line but no -----END CERTIFICATE----- line. Copy or download the whole certificate again.',
    ]);
    // A whole PEM block with no certificate inside: its reason once, under the field.
    await skew.fill('300');
    await certs.fill(`-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(30)}\n-----END CERTIFICATE-----`);
    await save();
    await expect.poll(errors).toHaveLength(1);
    expect((await errors())[0]).toMatch(/^Certificate 1: /);
  });
});
