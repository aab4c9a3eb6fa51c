// What a person sees first, in the built extension in real Chromium against the lab: the popup
// at 420 × 600 as it opens (verdict naming the cause, AWS's own sentence beneath, the attempt line,
// the top cause with expected vs actual and the first line of its fix, all above the fold; the
// rest folded, nothing clipped), one root cause shown as one problem with one fix, Chromium's real
// side panel opened by the popup's button and updating live with each attempt, axe-core (WCAG 2
// AA, contrast included) on every page in both themes, a keyboard audit of every page (each
// control reached, focus shown, main actions from Enter / Space), and one tab stop per XML tree
// and per message summary in the full view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, type LaunchedBrowser } from './browser.ts';
import { startLab, type Lab } from '../lab/server/index.ts';
import { buildExtension, configure, LAB_SETTINGS, runFlow, runScenario, sendCommand, waitForCaptures } from './run-scenario.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { openSidePanelFromPopup } from './sidepanel.ts';
import { auditKeyboard } from './keyboard.ts';
import { evaluateInWorker } from './browser.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFullView } from './fullview-driver.ts';
import { readState } from './session.ts';

const skip = process.env.CI !== 'true' && findChromium() === undefined;
if (skip) console.warn(`[test/e2e/ui.test.ts] skipped: ${CHROMIUM_INSTALL_HINT}`);

/** The bottom of the visible area above the sticky footer, and where each part ends. */
async function fold(page: Page): Promise<Record<string, number>> {
  return (await page.evaluate(`(() => {
    const bottom = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().bottom : -1; };
    const card = '.findings > .card.problem';
    const rows = (c) => [...document.querySelectorAll(c + ' > .ev .ev-row')];
    return {
      footerTop: document.querySelector('.popup-footer').getBoundingClientRect().top,
      verdict: bottom('.verdict-text'),
      said: bottom('.verdict-said'),
      attempt: bottom('.attempt-line'),
      title: bottom(card + ' > header .title'),
      expected: rows(card)[0] ? rows(card)[0].getBoundingClientRect().bottom : -1,
      actual: rows(card).length ? rows(card)[rows(card).length - 1].getBoundingClientRect().bottom : -1,
      fix: bottom(card + ' > .fix .fix-text'),
      scrollY: window.scrollY,
    };
  })()`)) as Record<string, number>;
}

async function openPopup(b: LaunchedBrowser, path = 'popup.html', size = { width: 420, height: 600 }): Promise<Page> {
  const page = await b.context.newPage();
  await page.setViewportSize(size);
  await page.goto(`chrome-extension://${b.extensionId}/${path}`);
  await page.locator('.verdict, .empty').first().waitFor({ timeout: 10_000 });
  return page;
}

describe.skipIf(skip)('what the user sees first', () => {
  let lab: Lab;
  let b: LaunchedBrowser;

  beforeAll(async () => {
    const dir = buildExtension('chrome');
    lab = await startLab();
    b = await launchBrowser({ extensionDir: dir, hostRules: lab.hostRules });
    await configure(b, LAB_SETTINGS);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await lab?.close();
  });

  it('popup at 420 × 600: verdict naming the cause, AWS\'s sentence, attempt, expected vs actual and the fix, above the fold', async () => {
    await runScenario(b, 'nameid-mismatch');
    const page = await openPopup(b);
    try {
      expect(await page.locator('.verdict-text').textContent()).toMatch(/^AWS refused the sign-in: NameID/);
      expect(await page.locator('.verdict-said').textContent()).toBe('AWS showed: An unexpected error has occurred');
      expect(await page.locator('.attempt-line').textContent()).toMatch(/^Sign-in #1 · \d\d:\d\d:\d\d UTC · SP-initiated/);
      const top = page.locator('.findings > .card.problem').first();
      expect(await top.getAttribute('data-check-id')).toBe('nameid-mismatch');
      expect(await top.locator('> .ev .ev-row .val').first().textContent()).toBe('alex.morgan@contoso.com');
      expect(await top.locator('> .ev .ev-row .val').last().textContent()).toBe('alex.m@contoso-mail.com');
      const f = await fold(page);
      expect(f.scrollY).toBe(0);
      for (const k of ['verdict', 'said', 'attempt', 'title', 'expected', 'actual', 'fix']) {
        expect(f[k], `${k} is shown`).toBeGreaterThan(0);
        expect(f[k], `${k} ends above the footer (${f.footerTop} px)`).toBeLessThanOrEqual(f.footerTop!);
      }
      // The rest is one click away: causes, CloudTrail, hops and notes are folded.
      const open = await page.evaluate(`[...document.querySelectorAll('details')].filter((d) => d.open).length`);
      expect(open).toBe(0);
      await page.locator('.card.symptom > details > summary').click();
      expect(await page.locator('.card.symptom').textContent()).toContain('ExternalIdPDirectoryLogin');
      // No internal message id anywhere as a label.
      expect(await page.locator('body').innerText()).not.toMatch(/\br\d+-\d{10,}/);
      // Nothing clipped at 420 px: the bars fit, the footer's buttons in one row, the version whole.
      expect(
        await page.evaluate(`(() => ({
          overflow: ['.topbar', '.popup-footer'].filter((s) => { const e = document.querySelector(s); return e.scrollWidth > e.clientWidth; }),
          rows: new Set([...document.querySelectorAll('.popup-footer > *')].map((e) => Math.round(e.getBoundingClientRect().top))).size,
          version: (() => { const v = document.querySelector('.topbar .version'); const r = v.getBoundingClientRect(); return r.right <= innerWidth && v.scrollWidth <= v.clientWidth ? v.textContent : 'clipped'; })(),
        }))()`),
      ).toEqual({ overflow: [], rows: 1, version: expect.stringMatching(/^v\d+\.\d+\.\d+$/) });
    } finally {
      await page.close();
    }
  }, 60_000);

  it('failing lab scenarios (long URLs, a long Entra sentence, no cause found): verdict, attempt line, top cause with its values and the first line of its fix above the fold', async () => {
    const missed: string[] = [];
    for (const name of ['audience-mismatch', 'reply-url-mismatch', 'entra-unassigned', 'user-not-provisioned'] as const) {
      await runScenario(b, name);
      const page = await openPopup(b);
      try {
        const f = await fold(page);
        for (const k of ['verdict', 'attempt', 'title', 'actual', 'fix']) if (!(f[k]! > 0)) missed.push(`${name}: no ${k}`);
        for (const [k, v] of Object.entries(f)) if (k !== 'footerTop' && k !== 'scrollY' && v > f.footerTop!) missed.push(`${name}: ${k} ends at ${v} px, below the fold (${f.footerTop} px)`);
      } finally {
        await page.close();
      }
    }
    expect(missed).toEqual([]);
  }, 120_000);

  it('one root cause, one problem, one fix: a My Apps tile on another instance', async () => {
    await runScenario(b, 'myapps-wrong-portal');
    const page = await openPopup(b);
    try {
      // The other instance signed the user in: AWS refused nothing, the user is on the wrong portal.
      expect(await page.locator('.verdict-text').textContent()).toBe('Signed in to another AWS access portal: d-0000000000.awsapps.com, not d-93670a1b2c.awsapps.com');
      expect(await page.locator('.findings > .card.problem').count()).toBe(1);
      const top = page.locator('.findings > .card.problem').first();
      expect(await top.getAttribute('data-consequences')).toBe('audience-mismatch destination-mismatch recipient-mismatch');
      const f = await fold(page);
      expect(f.fix!).toBeLessThanOrEqual(f.footerTop!);
      // Everything unfolded: the Reply URL / Identifier fixes of the consequences are not printed.
      await page.evaluate(`document.querySelectorAll('details').forEach((d) => (d.open = true))`);
      const fixes = await page.locator('.findings .card.problem .fix-text, .findings .card.problem .fix-rest').allTextContents();
      expect(fixes.length, 'the one fix: its first line, and the rest of it if any').toBeLessThanOrEqual(2);
      expect(fixes[0]).toMatch(/Sign on URL/);
      expect(fixes.join(' ')).not.toMatch(/Reply URL \(Assertion Consumer Service URL\): set it/);
      const all = await page.locator('.findings .fix-text').allTextContents();
      expect(new Set(all).size).toBe(all.length);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('axe-core finds no WCAG 2 AA violation (contrast included) on any page, in either theme', async () => {
    // The My Apps sign-in of the test before: an error verdict, a problem card, notes.
    const problems: string[] = [];
    for (const path of ['popup.html', 'sidepanel.html', 'fullview.html', 'options.html', 'scim.html']) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await b.context.newPage();
        try {
          await page.setViewportSize(path === 'fullview.html' ? { width: 1280, height: 900 } : { width: 420, height: 600 });
          await page.emulateMedia({ colorScheme });
          await page.goto(`chrome-extension://${b.extensionId}/${path}`);
          await page.locator('#app > *').first().waitFor({ timeout: 10_000 });
          await page.waitForTimeout(300);
          // Folded content counts too.
          await page.evaluate(`document.querySelectorAll('details').forEach((d) => (d.open = true))`);
          const v = await axeViolations(page);
          if (v.length) problems.push(describeViolations(`${path} (${colorScheme})`, v));
        } finally {
          await page.close();
        }
      }
    }
    expect(problems.join('\n')).toBe('');
  }, 120_000);

  it("the popup's Side panel button opens Chromium's side panel, which follows each attempt live", async () => {
    await sendCommand(b, { type: 'clear' });
    // A real click on the popup's button (sidePanel.open must run inside the user's gesture); the
    // popup steps aside once the panel is open, as a popup closes on the first click into the page.
    const panel = await openSidePanelFromPopup(b);
    try {
      // Chromium's own record: the extension has a SIDE_PANEL context, on sidepanel.html.
      // (Its documentUrl is empty until the page has committed: polled.)
      const sidePanels = () => evaluateInWorker<string[]>(b.context, b.extensionId, `chrome.runtime.getContexts({ contextTypes: ['SIDE_PANEL'] }).then((c) => c.map((x) => x.documentUrl))`);
      await expect.poll(sidePanels, { timeout: 10_000 }).toEqual([`chrome-extension://${b.extensionId}/sidepanel.html`]);
      const read = () =>
        panel.evaluate<{ variant: string | null; empty: string; verdict: string; attempt: string; earlier: number; width: number; overflow: string[]; version: string; body: string; stylesheets: string[] }>(`(() => ({
          variant: document.querySelector('[data-variant]')?.getAttribute('data-variant') ?? null,
          empty: document.querySelector('.empty')?.textContent ?? '',
          verdict: document.querySelector('.verdict-text')?.textContent ?? '',
          attempt: document.querySelector('.attempt-line .num')?.textContent ?? '',
          earlier: document.querySelectorAll('.flowlist [data-flow-id]').length,
          width: innerWidth,
          // Nothing clipped at the panel's width: the bars fit, the version reads whole.
          overflow: ['.topbar', '.popup-footer', 'body'].filter((s) => { const e = document.querySelector(s); return e && e.scrollWidth > e.clientWidth; }),
          version: document.querySelector('.topbar .version')?.textContent ?? '',
          // Laid out as a page from its top, not as another page's floating dialog: the full view's
          // stylesheet, loaded with a chunk the panel's analysis shares, once set <body class="panel">
          // position: fixed 48 px down, and the panel could not scroll.
          body: getComputedStyle(document.body).position + ' ' + Math.round(document.querySelector('.topbar')?.getBoundingClientRect().top ?? -1),
          // Each stylesheet's name without its 8-character content hash ("fullview-BD6xXfpZ.css").
          stylesheets: [...document.styleSheets].map((x) => (x.href ?? '').split('/').pop() ?? '').filter(Boolean).map((n) => n.slice(0, -13) + '.css').sort(),
        }))()`);
      // The panel's page target exists before it has painted and loaded the captures: wait for them.
      await expect.poll(async () => (await read()).empty, { timeout: 10_000 }).toContain('No sign-in captured yet');
      const first = await read();
      expect(first).toMatchObject({ variant: 'panel', overflow: [], version: expect.stringMatching(/^v\d+\.\d+\.\d+/) });
      expect(first.width).toBeLessThanOrEqual(420);
      // The panel stays open while the user signs in, and each attempt appears in it.
      await runFlow(b, 'nameid-mismatch');
      await expect.poll(async () => (await read()).verdict, { timeout: 15_000 }).toMatch(/^AWS refused the sign-in: NameID/);
      await runFlow(b, 'sp-clean');
      await waitForCaptures(b, (s) => s.messages.filter((m) => m.param === 'SAMLResponse' && m.status !== undefined).length >= 2);
      await expect.poll(async () => (await read()).verdict, { timeout: 15_000 }).toMatch(/^This sign-in should work/);
      expect(await read()).toMatchObject({ attempt: 'Sign-in #2', earlier: 1, overflow: [], body: 'static 0' });
      expect((await read()).stylesheets).not.toContain('fullview.css');
      if (process.env.SAMLSCOPE_SHOTS) writeFileSync(join(process.env.SAMLSCOPE_SHOTS, 'side-panel-live.png'), await panel.screenshot());
    } finally {
      await panel.detach();
    }
  }, 90_000);

  it('keyboard: on every page each control is reached by Tab (or by arrows in its group), shows focus and is not hidden under a sticky bar when focused; the main actions run from Enter / Space', async () => {
    // The auditor is not blind: a control without a ring and one Tab never reaches are caught.
    const probe = await b.context.newPage();
    try {
      await probe.goto(`chrome-extension://${b.extensionId}/privacy.html`);
      await probe.locator('#app > *').first().waitFor({ timeout: 10_000 });
      await probe.evaluate(`(() => {
        const a = document.createElement('button'); a.textContent = 'no ring'; a.style.outline = 'none'; a.style.boxShadow = 'none';
        a.addEventListener('focus', () => a.style.setProperty('outline', 'none', 'important'));
        const c = document.createElement('button'); c.textContent = 'not tabbable'; c.tabIndex = -1;
        document.body.prepend(a, c);
      })()`);
      const self = await auditKeyboard(probe);
      expect(self.noIndicator).toEqual(['button "no ring"']);
      expect(self.unreachable).toEqual(['button "not tabbable"']);
    } finally {
      await probe.close();
    }

    await sendCommand(b, { type: 'clear' });
    await runFlow(b, 'sp-clean');
    await runFlow(b, 'nameid-mismatch');
    await waitForCaptures(b, (s) => s.messages.filter((m) => m.param === 'SAMLResponse' && m.status !== undefined).length >= 2);
    const problems: string[] = [];
    for (const path of ['popup.html', 'sidepanel.html', 'fullview.html', 'options.html', 'scim.html', 'privacy.html']) {
      const page = await b.context.newPage();
      try {
        await page.setViewportSize(path === 'fullview.html' ? { width: 1280, height: 900 } : { width: 420, height: 600 });
        await page.goto(`chrome-extension://${b.extensionId}/${path}`);
        await page.locator(path === 'fullview.html' ? '.fv-flow .verdict' : '#app > *').first().waitFor({ timeout: 15_000 });
        await page.waitForTimeout(300);
        const a = await auditKeyboard(page);
        if (path !== 'privacy.html' && a.controls < 10) problems.push(`${path}: only ${a.controls} controls found`);
        for (const u of a.unreachable) problems.push(`${path}: not reached by keyboard: ${u}`);
        for (const n of a.noIndicator) problems.push(`${path}: no focus indicator: ${n}`);
        for (const o of a.obscured) problems.push(`${path}: focused but hidden: ${o}`);
      } finally {
        await page.close();
      }
    }
    expect(problems).toEqual([]);

    // The main actions, each from the keyboard alone (focus, then Enter or Space).
    const popup = await openPopup(b);
    try {
      const pause = popup.locator('.topbar button[aria-pressed]');
      await pause.focus();
      await popup.keyboard.press('Space');
      await expect.poll(() => pause.getAttribute('aria-pressed')).toBe('true');
      await popup.keyboard.press('Enter');
      await expect.poll(() => pause.getAttribute('aria-pressed')).toBe('false');
      const fold = popup.locator('details.fold.hops');
      await fold.locator('> summary').focus();
      await popup.keyboard.press('Enter');
      expect(await fold.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      await popup.locator('.flowlist button[data-flow-id]').first().focus();
      await popup.keyboard.press('Enter');
      await expect.poll(() => popup.locator('.attempt-line .num').textContent()).toBe('Sign-in #1');
      const opened = b.context.waitForEvent('page', { timeout: 5000 });
      await popup.locator('.popup-footer button[data-action="open-full-view"]').focus();
      await popup.keyboard.press('Enter');
      const full = await opened;
      await full.waitForURL(/fullview\.html/);
      await full.locator('.fv-flow .verdict').first().waitFor({ timeout: 15_000 });
      // Full view: a finding chosen with Enter, the export panel opened with Enter.
      const card = full.locator('.fv-finding').first();
      await card.focus();
      await full.keyboard.press('Enter');
      await expect.poll(() => card.getAttribute('class')).toMatch(/\bselected\b/);
      await full.getByRole('button', { name: 'Export for a ticket…' }).focus();
      await full.keyboard.press('Enter');
      await full.locator('.export-panel').waitFor({ timeout: 5000 });
      await full.close();
    } finally {
      await popup.close();
    }
    const options = await b.context.newPage();
    try {
      await options.goto(`chrome-extension://${b.extensionId}/options.html`);
      await options.locator('button[type="submit"]').focus();
      await options.keyboard.press('Enter');
      await expect.poll(() => options.locator('.actions [role="status"]').textContent()).toMatch(/^Saved\./);
    } finally {
      await options.close();
    }
    const scim = await b.context.newPage();
    try {
      await scim.goto(`chrome-extension://${b.extensionId}/scim.html`);
      const example = scim.locator('button.btn.small').first();
      await example.focus();
      await scim.keyboard.press('Space');
      await expect.poll(() => scim.locator('textarea').first().inputValue()).not.toBe('');
      const box = scim.locator('input[type="checkbox"]:not([disabled])').first();
      const before = await box.isChecked();
      await box.focus();
      await scim.keyboard.press('Space');
      expect(await box.isChecked()).toBe(!before);
    } finally {
      await scim.close();
    }
  }, 120_000);

  it('Clear asks once before it empties the captures: a second click within 5 s clears, Escape or waiting keeps them', async () => {
    // One click next to Pause once wiped a week of captures (found by a review).
    await runScenario(b, 'sp-clean');
    const page = await openPopup(b);
    try {
      const clear = page.locator('.topbar button', { hasText: /^Clear/ });
      await clear.click();
      await expect(clear.textContent()).resolves.toBe('Clear all?');
      await expect(clear.getAttribute('aria-label')).resolves.toMatch(/^Clear all \d+ captured messages?: click again to confirm$/);
      await page.keyboard.press('Escape');
      await expect(clear.textContent()).resolves.toBe('Clear');
      await expect(page.locator('.verdict').count()).resolves.toBe(1);
      // Left armed, it disarms by itself.
      await clear.click();
      await expect.poll(() => clear.textContent(), { timeout: 8000 }).toBe('Clear');
      expect((await readState(b)).messages.length).toBeGreaterThan(0);
      await clear.click();
      await clear.click();
      await page.locator('.empty').waitFor({ timeout: 10_000 });
      expect((await readState(b)).messages).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('full view: one tab stop per XML tree and per message summary, arrows move within them', async () => {
    await runScenario(b, 'nameid-mismatch');
    const page = await openFullView(b);
    try {
      const stops = (await page.evaluate(`(() => {
        const box = document.querySelector('.fv-messages');
        const all = [...box.querySelectorAll('button, [tabindex], summary, a[href], input, select')].filter((e) => e.offsetParent !== null);
        return { buttons: all.filter((e) => e.tagName === 'BUTTON').length, tabbable: all.filter((e) => e.tabIndex >= 0).length, messages: box.querySelectorAll('[data-message-id]').length };
      })()`)) as { buttons: number; tabbable: number; messages: number };
      expect(stops.messages).toBe(2);
      expect(stops.buttons).toBeGreaterThan(30);
      // Per message: the summary's copy buttons, the attribute and XML folds, the XML tree.
      expect(stops.tabbable).toBeLessThanOrEqual(stops.messages * 5);
      const tree = page.locator('.fv-messages .xml').last();
      const first = tree.locator('button[tabindex="0"]');
      await first.focus();
      await page.keyboard.press('ArrowDown');
      const moved = await page.evaluate(`document.activeElement && document.activeElement.closest('.xml') !== null && document.activeElement.tabIndex === 0`);
      expect(moved).toBe(true);
      expect(await tree.locator('button[tabindex="0"]').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 60_000);
});
