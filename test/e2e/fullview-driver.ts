// Drives the built extension's full view (fullview.html) in Chromium: what it shows, its export
// panel, its import. Shared by test/e2e/fullview.test.ts and `npm run demo`.
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from './browser.ts';

/** Opens the full view and waits for the latest sign-in (or, with `empty`, for anything shown). */
export async function openFullView(
  b: LaunchedBrowser,
  o: { colorScheme?: 'light' | 'dark'; width?: number; height?: number; hash?: string; empty?: boolean } = {},
): Promise<Page> {
  const page = await b.context.newPage();
  await page.setViewportSize({ width: o.width ?? 1440, height: o.height ?? 1000 });
  if (o.colorScheme) await page.emulateMedia({ colorScheme: o.colorScheme });
  await page.goto(`chrome-extension://${b.extensionId}/fullview.html${o.hash ? `#${o.hash}` : ''}`);
  await page.locator(o.empty ? '.fv-flow .verdict, .fv-flow.empty:not(:has(.loading))' : '.fv-flow .verdict').first().waitFor({ timeout: 15_000 });
  // Painted first from the background's stored analysis; the decoded messages come a moment later.
  if (!o.empty) await page.locator('.fv-messages[data-details="ready"]').first().waitFor({ timeout: 30_000 });
  return page;
}

export interface FullViewReading {
  verdict: string;
  tone: string;
  source: string;
  flowType: string;
  /** checkId:severity of each finding card, in order. */
  findings: string[];
  messages: string[];
}

export async function readFullView(page: Page): Promise<FullViewReading> {
  return (await page.evaluate(`(() => ({
    verdict: document.querySelector('.fv-flow .verdict-text')?.textContent ?? '',
    tone: document.querySelector('.fv-flow .verdict')?.getAttribute('data-tone') ?? '',
    source: document.querySelector('.fv-source')?.getAttribute('data-source') ?? '',
    flowType: document.querySelector('.fv-flow')?.getAttribute('data-flow-type') ?? '',
    findings: [...document.querySelectorAll('.fv-findings [data-check-id]')].map((e) => e.getAttribute('data-check-id') + ':' + e.getAttribute('data-severity')),
    messages: [...document.querySelectorAll('.fv-messages [data-message-id]')].map((e) => e.getAttribute('data-kind')),
  }))()`)) as FullViewReading;
}

/** Chooses a finding (its "Show in the XML" button) and waits for its element to be highlighted. */
export async function selectFinding(page: Page, checkId?: string): Promise<string> {
  const card = checkId ? page.locator(`.fv-finding:has([data-check-id="${checkId}"])`) : page.locator('.fv-finding:has([data-action="show-in-xml"])').first();
  await card.locator('[data-action="show-in-xml"]').click();
  const sel = page.locator('.x-el.x-selected').first();
  await sel.waitFor({ timeout: 5_000 });
  return (await sel.getAttribute('data-path')) ?? '';
}

export async function openExport(page: Page): Promise<void> {
  if (!(await page.locator('.export-panel').count())) await page.getByRole('button', { name: 'Export for a ticket…' }).click();
  await page.locator('.export-panel').waitFor();
}

/** Sets the export choices in the panel and returns the text it would export (the preview). */
export async function exportText(
  page: Page,
  o: { format: 'markdown' | 'json' | 'har'; mode: 'none' | 'pseudonymise' | 'remove'; tenant?: boolean; signatures?: boolean; scope?: 'flow' | 'all' },
): Promise<{ text: string; filename: string }> {
  await openExport(page);
  await page.locator(`input[name="export-format"][value="${o.format}"]`).check();
  await page.locator(`input[name="export-redaction"][value="${o.mode}"]`).check();
  if (o.mode !== 'none') await page.locator('input[name="redact-tenant"]').setChecked(!!o.tenant);
  if (o.mode !== 'none') await page.locator('input[name="redact-signatures"]').setChecked(!!o.signatures);
  if (o.scope) await page.locator(`input[name="export-scope"][value="${o.scope}"]`).check();
  const area = page.locator(`textarea.export-preview[data-export-format="${o.format}"][data-export-mode="${o.mode}"]`);
  await area.waitFor();
  return { text: await area.inputValue(), filename: (await area.getAttribute('data-filename')) ?? '' };
}

/** Saves the current export through the page's Save button; returns the downloaded text. */
export async function saveExport(page: Page): Promise<{ text: string; filename: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="save-export"]').click()]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  return { text: readFileSync(path, 'utf8'), filename: download.suggestedFilename() };
}

/** Imports a file through the import panel's file chooser; waits until it is shown. */
export async function importFile(page: Page, path: string, timeoutMs = 30_000): Promise<void> {
  if (await page.locator('.export-panel').count()) await page.keyboard.press('Escape');
  if (!(await page.locator('.import-panel').count())) await page.getByRole('button', { name: 'Import…' }).first().click();
  await page.locator('input[name="import-file"]').setInputFiles(path);
  await page.locator('.fv-source[data-source="imported"], .notice.tone-error[role="alert"]').first().waitFor({ timeout: timeoutMs });
  const err = page.locator('.notice.tone-error[role="alert"]');
  if (await err.count()) throw new Error(`import failed: ${await err.first().textContent()}`);
}

export async function pasteMessage(page: Page, text: string): Promise<void> {
  if (!(await page.locator('.import-panel').count())) await page.getByRole('button', { name: 'Import…' }).first().click();
  await page.locator('textarea[name="import-paste"]').fill(text);
  await page.getByRole('button', { name: 'Analyse' }).click();
  await page.locator('.fv-source[data-source="imported"]').waitFor({ timeout: 15_000 });
}

export async function backToLive(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Back to the live capture' }).click();
  await page.locator('.fv-source[data-source="live"]').waitFor();
}
