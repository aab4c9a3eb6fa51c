// npx tsx scripts/record-sessions.ts [--saml-tracer DIR] [--out DIR]
//
// Re-records the multi-attempt session files in test/fixtures/sessions/ from the lab, in real
// headless Chromium, with other people's export code:
//   session.har               Playwright's own HAR writer (recordHar, content: 'embed')
//   session.saml-tracer.json  SAML-tracer's own export code (SAMLTraceIO exportRequests/serialize,
//                             profile '1' = no filtering), run in its TraceWindow page
// The same browser session is written to both: SAML-tracer is loaded unpacked (samlscope is not
// loaded), its TraceWindow page open in a tab traces while the session runs in another tab.
//
// SAML-tracer itself is not part of this repository. Get it (BSD-2-Clause) with
//   git clone https://github.com/simplesamlphp/SAML-tracer /tmp/saml-tracer
// and, for its syntax highlighting, the four files its release build copies from
// @highlightjs/cdn-assets 11.11.1 into its lib/ (es/core.min.js, es/languages/{xml,http,properties}.min.js):
//   npm pack @highlightjs/cdn-assets@11.11.1 && tar -xzf highlightjs-cdn-assets-11.11.1.tgz && cp … /tmp/saml-tracer/lib/
// Default DIR: $SAML_TRACER_DIR or /tmp/saml-tracer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_INSTALL_HINT, chromiumPath, findChromium, launchBrowser } from '../test/e2e/browser.ts';
import { ROOT } from '../test/e2e/run-scenario.ts';
import { LabSession } from '../test/e2e/session.ts';
import { startLab } from '../test/lab/server/index.ts';
import { RECORDED_ATTEMPTS, RECORDED_USER } from '../test/fixtures/sessions/plan.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<number> {
  if (!findChromium()) {
    console.error(CHROMIUM_INSTALL_HINT);
    return 2;
  }
  const tracerDir = resolve(arg('saml-tracer') ?? process.env.SAML_TRACER_DIR ?? '/tmp/saml-tracer');
  const manifestPath = join(tracerDir, 'manifest.json');
  if (!existsSync(manifestPath) || (JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string }).name !== 'SAML-tracer') {
    console.error(`No SAML-tracer in ${tracerDir}: git clone https://github.com/simplesamlphp/SAML-tracer ${tracerDir} (see the top of this script).`);
    return 2;
  }
  const tracerVersion = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
  const out = resolve(arg('out') ?? join(ROOT, 'test/fixtures/sessions'));
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'samlscope-record-'));
  const harPath = join(work, 'session.har');

  const lab = await startLab({ user: RECORDED_USER });
  const b = await launchBrowser({
    extensionDir: tracerDir,
    hostRules: lab.hostRules,
    // Only the web: not SAML-tracer's own extension pages.
    recordHar: { path: harPath, content: 'embed', urlFilter: /^https:\/\// },
  });
  let tracerJson = '';
  try {
    // SAML-tracer traces while its window is open: its TraceWindow page, in a tab of its own.
    const tracer = await b.context.newPage();
    await tracer.goto(`chrome-extension://${b.extensionId}/src/TraceWindow.html`);
    await tracer.waitForFunction(() => typeof (window as unknown as { tracer?: unknown }).tracer === 'object', undefined, { timeout: 10_000 });

    const session = new LabSession(b, lab, false);
    for (const start of RECORDED_ATTEMPTS) {
      const a = await session.attempt('session', start);
      console.log(`attempt ${a.n}: ${start.via.padEnd(20)} ${start.scenario.padEnd(22)} → ${a.labFlow.verdict ? (a.labFlow.verdict.ok ? 'signed in' : `AWS error (${a.labFlow.verdict.reason})`) : `Entra ${a.labFlow.entraError?.code}`}`);
      // Entra's error page renders by script: let it, as a person reading it would.
      await new Promise((r) => setTimeout(r, 400));
    }
    await session.close();

    // SAML-tracer's own export: the Export button opens its dialog (setupContent with the traced
    // requests), profile 1 ("None": no filtering) is chosen, and its SAMLTraceIO serializes.
    await tracer.locator('#button-export-list').click();
    const dialog = tracer.frameLocator('#exportDialogContent');
    await dialog.locator('#cookie-filter-profile-none').check();
    const frame = tracer.frames().find((f) => f.url().endsWith('/src/exportDialog.html'));
    if (!frame) throw new Error('SAML-tracer export dialog frame not found');
    tracerJson = (await frame.evaluate(`(() => {
      ui.createExportResult();
      return new SAMLTraceIO().serialize(ui.exportResult);
    })()`)) as string;
    const count = (JSON.parse(tracerJson) as { requests: unknown[] }).requests.length;
    if (!count) throw new Error('SAML-tracer exported no requests');
    console.log(`SAML-tracer ${tracerVersion} exported ${count} requests`);
  } finally {
    await b.close(); // writes the HAR
    await lab.close();
  }
  writeFileSync(join(out, 'session.saml-tracer.json'), tracerJson.endsWith('\n') ? tracerJson : tracerJson + '\n');
  renameSync(harPath, join(out, 'session.har'));
  rmSync(work, { recursive: true, force: true });
  const chromium = execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8' }).trim();
  const playwright = (JSON.parse(readFileSync(join(ROOT, 'node_modules/playwright-core/package.json'), 'utf8')) as { version: string }).version;
  console.log(`wrote ${out}/session.har (Playwright ${playwright}, ${chromium}) and session.saml-tracer.json (SAML-tracer ${tracerVersion})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`record-sessions failed: ${(e as Error)?.stack ?? e}`);
    process.exit(1);
  },
);
