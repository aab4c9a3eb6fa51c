import { startLab, SCENARIOS } from '../lab/server/index.ts';
import { launchFirefox, openExtensionPage } from './firefox.ts';
const lab = await startLab();
const t0 = Date.now();
const f = await launchFirefox({ extensionDir: '.output/firefox-mv3', labPort: lab.port, backgroundIdleMs: Number(process.env.IDLE ?? 0) || undefined });
console.log('launched', Date.now() - t0);
try {
  for (const name of ['sp-clean', 'audience-mismatch'] as const) {
    const page = await f.browser.newPage();
    await page.goto(SCENARIOS[name].startUrl, { waitUntil: 'load' }).catch((e) => console.log('goto', e.message));
    await page.waitForSelector('main[data-lab-verdict]', { timeout: 20000 });
    console.log(name, 'done', Date.now() - t0);
    await new Promise((r) => setTimeout(r, Number(process.env.WAIT ?? 1500)));
    await page.close();
  }
  const p = await openExtensionPage(f, 'popup.html', '.verdict, .empty');
  const caps = await p.evaluate(`browser.storage.session.get('captures')`) as any;
  for (const st of caps.captures.steps) console.log('step', st.seq, st.method, st.url.slice(0, 90), st.status, st.redirectTo?.slice(0, 60));
  for (const m of caps.captures.messages) console.log('msg', m.seq, m.param, m.url, m.status, m.redirectTo?.slice(0, 60));
  console.log(await p.evaluate(`document.querySelector('.verdict-text')?.textContent`));
} finally {
  await f.close();
  await lab.close();
  console.log(f.log.filter((l) => /samlscope|error/i.test(l)).slice(0, 20).join('\n'));
}
