// npm run demo: builds the extension, runs every lab scenario in headless Chromium with the
// extension loaded, and writes demo-output/: a screenshot of the popup after each scenario and
// summary.json mapping each scenario to the check ids (errors and warnings) the extension itself
// reported (read from the popup, not from the lab's expectations); details.json has every finding.
// Then a session (test/fixtures/sessions/plan.ts: seven attempts in one tab, fail → fix → retry,
// SP- and IdP-initiated, by a user with a Cyrillic name): the popup after each attempt as
// session-<n>.png (scrolled out, with "Earlier sign-ins"), and session.json with what the popup
// said and what samlscope's flows got wrong against the attempts (test/e2e/session-checks.ts).
// `npm run demo -- --session` runs the session alone.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser } from '../test/e2e/browser.ts';
import { makeStoreAssets } from './store.ts';
import { buildExtension, configure, LAB_SETTINGS, readPopup, ROOT, runScenario } from '../test/e2e/run-scenario.ts';
import { SCENARIOS, SCENARIO_NAMES, startLab } from '../test/lab/server/index.ts';
import { openFullView, selectFinding } from '../test/e2e/fullview-driver.ts';
import { openSidePanelFromPopup, type SidePanel } from '../test/e2e/sidepanel.ts';
import { sendCommand } from '../test/e2e/run-scenario.ts';
import { LabSession, readState } from '../test/e2e/session.ts';
import { judgeSession, popupProblems, readSessionPopup } from '../test/e2e/session-checks.ts';
import { RECORDED_ATTEMPTS, RECORDED_USER } from '../test/fixtures/sessions/plan.ts';
import type { Lab } from '../test/lab/server/index.ts';
import type { LaunchedBrowser } from '../test/e2e/browser.ts';

/** The session: the popup after each attempt, and what samlscope made of the attempts. */
async function runSession(b: LaunchedBrowser, lab: Lab, out: string): Promise<void> {
  await sendCommand(b, { type: 'clear' });
  await b.context.clearCookies();
  const userBefore = lab.user();
  lab.setUser(RECORDED_USER);
  const session = new LabSession(b, lab);
  const report: unknown[] = [];
  try {
    for (const start of RECORDED_ATTEMPTS) {
      const t = Date.now();
      const a = await session.attempt('session', start);
      const state = await readState(b);
      const j = judgeSession(state, session.attempts, LAB_SETTINGS);
      const p = await readSessionPopup(b, (badge) => (a.expected.tone === 'error' ? /^\d+$/.test(badge) : badge === 'ok'));
      writeFileSync(join(out, `session-${a.n}.png`), p.screenshot);
      const problems = [...j.problems, ...popupProblems(p, session.attempts, j.flowOf)];
      report.push({ attempt: a.n, start, verdict: p.verdictText, badge: p.badge, flows: j.analysis.flows.length, problems });
      console.log(`session ${a.n}  ${start.scenario.padEnd(22)} ${String(Date.now() - t).padStart(5)} ms  ${p.verdictText}  [badge ${p.badge}; ${j.analysis.flows.length} flows; ${problems.length} problems]`);
    }
  } finally {
    await session.close();
    lab.setUser(userBefore);
  }
  writeFileSync(join(out, 'session.json'), JSON.stringify(report, null, 2) + '\n');
}

/**
 * The side panel as Chromium shows it: opened once from the popup's "Side panel" button, it stays
 * open and follows each sign-in; its picture is taken once it shows the verdict the popup showed.
 * Without it (the panel did not open), sidepanel.html in a tab at 400 × 800.
 */
async function panelScreenshot(b: LaunchedBrowser, panel: SidePanel | undefined, verdict: string): Promise<Buffer> {
  if (panel) {
    const end = Date.now() + 10_000;
    while ((await panel.evaluate<string>(`document.querySelector('.verdict-text')?.textContent ?? ''`)) !== verdict && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    return panel.screenshot();
  }
  const page = await b.context.newPage();
  try {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.goto(`chrome-extension://${b.extensionId}/sidepanel.html`);
    await page.locator('.verdict, .empty').first().waitFor({ timeout: 10_000 });
    return await page.screenshot();
  } finally {
    await page.close();
  }
}

async function main(): Promise<number> {
  if (!findChromium()) {
    console.error(`samlscope demo needs Chromium. ${CHROMIUM_INSTALL_HINT}`);
    return 2;
  }
  const out = join(ROOT, 'demo-output');
  if (!process.argv.some((x) => x.startsWith('--only='))) rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  console.log('building the extension (wxt build)…');
  const dir = buildExtension('chrome');
  const lab = await startLab();
  const b = await launchBrowser({ extensionDir: dir, hostRules: lab.hostRules });
  const summary: Record<string, string[]> = {};
  const details: Record<string, unknown> = {};
  const sessionOnly = process.argv.includes('--session');
  try {
    await configure(b, LAB_SETTINGS);
    const panel = await openSidePanelFromPopup(b).catch((e: unknown) => {
      console.warn(`the side panel did not open (${(e as Error)?.message ?? e}): its pictures are of sidepanel.html in a tab`);
      return undefined;
    });
    // `npm run demo -- --only nameid-mismatch,unsigned` runs those scenarios alone.
    const only = process.argv.find((x) => x.startsWith('--only='))?.slice(7).split(',');
    for (const name of sessionOnly ? [] : SCENARIO_NAMES.filter((n) => !only || only.includes(n))) {
      const t = Date.now();
      const { popup, captures } = await runScenario(b, name);
      writeFileSync(join(out, `${name}.png`), popup.screenshot);
      writeFileSync(join(out, `${name}-glance.png`), popup.glance);
      // The side panel (Chromium's own, beside the page) and the full view of the same sign-in.
      writeFileSync(join(out, `${name}-sidepanel.png`), await panelScreenshot(b, panel, popup.verdictText));
      const fv = await openFullView(b);
      writeFileSync(join(out, `${name}-fullview.png`), await fv.screenshot());
      await fv.close();
      // The problems the extension reported (errors and warnings); info notes, such as the
      // certificate pinned on first sight, are in details.json.
      const ids = popup.checkIds.filter((c) => !c.endsWith(':info')).map((c) => c.split(':')[0]!);
      summary[name] = ids;
      details[name] = {
        description: SCENARIOS[name].description,
        verdict: popup.verdictText,
        flowType: popup.flowType,
        findings: popup.checkIds.map((c) => ({ checkId: c.split(':')[0], severity: c.split(':')[1] })),
        messages: captures.messages.map((m) => ({ param: m.param, binding: m.binding, url: m.url, status: m.status })),
        steps: captures.steps.map((s) => ({ method: s.method, url: s.url, status: s.status })),
      };
      console.log(`${name.padEnd(22)} ${String(Date.now() - t).padStart(5)} ms  ${popup.verdictText}${ids.length ? `  [${ids.join(', ')}]` : ''}`);
    }
    if (!sessionOnly && !only) {
      // The last scenario once more in the dark theme, to show both.
      writeFileSync(join(out, 'popup-dark.png'), (await readPopup(b, { colorScheme: 'dark' })).screenshot);
      // The full view of a broken sign-in with its finding chosen: the NameID highlighted in the XML.
      await runScenario(b, 'nameid-mismatch');
      for (const [file, colorScheme] of [['fullview.png', 'light'], ['fullview-dark.png', 'dark']] as const) {
        const page = await openFullView(b, { colorScheme });
        await selectFinding(page, 'nameid-mismatch');
        writeFileSync(join(out, file), await page.screenshot());
        await page.close();
      }
    }
    if (!only) await runSession(b, lab, out);
  } finally {
    await b.close();
    await lab.close();
  }
  writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(out, 'details.json'), JSON.stringify(details, null, 2) + '\n');
  // The store listing (screenshots, promo tile, description) from these screenshots.
  if (!sessionOnly) console.log(`wrote ${(await makeStoreAssets(out)).length} store listing files in ${out}/store/`);
  console.log(`\nwrote ${out}/summary.json, details.json, per scenario the popup as it opens (<name>-glance.png) and scrolled out (<name>.png), fullview.png, and the session's popup after each attempt (session-<n>.png, session.json)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`samlscope demo failed: ${(e as Error)?.message ?? e}`);
    process.exit(1);
  },
);
