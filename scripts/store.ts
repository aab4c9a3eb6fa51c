// Store listing assets, generated from the demo's output (`npm run demo` runs this at its end;
// `npm run store` runs it again on an existing demo-output/): demo-output/store/
//   screenshot-<n>-<name>.png  1280×800, what the Chrome Web Store, Edge Add-ons and AMO accept:
//                              a demo screenshot of the real extension on a plain background with
//                              a one-line caption
//   promo-440x280.png          the Chrome Web Store's small promo tile
//   description.md             the listing text: summary (≤ 132 characters), description, the
//                              checks it runs (from lib/checks), permissions and privacy
// Rendered with Debian's Chromium through playwright-core, like the demo; no download.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../test/e2e/browser.ts';
import { CHECKS } from '../lib/checks/index.ts';
import { REQUIRED_HOST_PERMISSIONS } from '../lib/permissions.ts';
import { VERSION } from '../lib/version.ts';

const ROOT = join(import.meta.dirname, '..');

/** The demo screenshots the listing shows, in order, with their captions. */
export const STORE_SHOTS: { file: string; name: string; caption: string }[] = [
  { file: 'audience-mismatch-glance.png', name: 'verdict', caption: 'Why AWS refused the sign-in, and the exact place to fix it in Entra' },
  { file: 'fullview.png', name: 'full-view', caption: 'Every hop and finding, pinned to the decoded SAML response' },
  { file: 'entra-unassigned-glance.png', name: 'entra-error', caption: "Entra's AADSTS errors explained for AWS IAM Identity Center" },
  { file: 'session-4.png', name: 'retries', caption: 'Fail, fix, retry: each attempt of a sign-in kept apart' },
  { file: 'popup-dark.png', name: 'dark', caption: 'Light and dark themes; nothing leaves the browser unless you export it' },
];

export const SUMMARY = 'Debug SAML sign-in from Microsoft Entra ID to AWS IAM Identity Center: what broke, the evidence, and where to fix it.';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slide(png: Buffer, caption: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html,body{margin:0;width:1280px;height:800px;overflow:hidden;font-family:"DejaVu Sans",sans-serif}
    body{background:linear-gradient(160deg,#eef3ff,#dfe7fb);display:flex;flex-direction:column;align-items:center}
    h1{font-size:30px;font-weight:600;color:#0b1a3a;margin:34px 40px 22px;text-align:center}
    .shot{flex:1;display:flex;align-items:flex-start;justify-content:center;min-height:0;padding-bottom:30px}
    img{max-width:1180px;max-height:100%;object-fit:contain;border-radius:8px;box-shadow:0 8px 30px rgba(11,26,58,.25);background:#fff}
  </style></head><body><h1>${esc(caption)}</h1><div class="shot"><img src="data:image/png;base64,${png.toString('base64')}"></div></body></html>`;
}

function promo(iconSvg: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html,body{margin:0;width:440px;height:280px;overflow:hidden;font-family:"DejaVu Sans",sans-serif}
    body{background:#2f5bd3;color:#fff;display:flex;align-items:center;gap:22px;padding:0 30px;box-sizing:border-box}
    svg{width:120px;height:120px;flex:none}
    h1{font-size:34px;margin:0 0 8px} p{margin:0;font-size:15px;line-height:1.35}
  </style></head><body>${iconSvg}<div><h1>samlscope</h1><p>SAML sign-in from Entra ID to AWS IAM Identity Center, explained.</p></div></body></html>`;
}

export function storeDescription(): string {
  const checks = CHECKS.map((c) => `- ${c.title} (\`${c.id}\`)`).join('\n');
  const hosts = REQUIRED_HOST_PERMISSIONS.map((h) => `\`${h}\``).join(', ');
  return `# samlscope ${VERSION}: store listing

## Summary (≤ 132 characters)

${SUMMARY}

## Description

When a sign-in from Microsoft Entra ID to AWS IAM Identity Center fails with "invalid assertion" or
"An unexpected error has occurred", samlscope shows what broke and where to fix it. It captures
the sign-in's SAML request and response as they pass through the browser, decodes them, and runs
${CHECKS.length} checks. The popup gives the verdict in one line ("AWS will refuse this sign-in: 2
errors"), the flow hop by hop, and each finding with the expected and actual values, where in the
message they were read, and the exact place to click in the Entra admin center or the AWS console.

- SP-initiated (AWS access portal) and IdP-initiated (My Apps) sign-ins, retries kept apart.
- Entra's AADSTS error pages and AWS's generic error explained, with the CloudTrail lookup.
- Full view: timeline, decoded XML with the finding's element highlighted, compare a good and a bad
  sign-in, import HAR files and SAML-tracer exports, go-live checklist.
- Export for a ticket (Markdown, evidence bundle, HAR), pseudonymised by default.
- SCIM provisioning: payload checker, provisioning-log reader, lookups in Identity Center.
- Enterprise ready: managed settings and policies (redaction floor, exports or SCIM lookups off).

## The checks

${checks}

## Permissions

- \`webRequest\`: to read the SAML messages of sign-ins as they pass.
- \`storage\`: to keep the captured sign-ins for this browser session and your settings.
- Host access: ${hosts}. Only these sign-in hosts are read. Others (your ADFS, the regional
  access portal, the SCIM endpoint) are asked for when you need them.

## Privacy

No account, no server, no telemetry. Captures stay in the browser (session storage by default).
Only SCIM lookups you ask for send a user name and your token to the SCIM endpoint you
configured. Full policy: PRIVACY.md (also in the extension, linked from Options).
`;
}

/** Writes demo-output/store/ from the screenshots in `demoDir`. Returns the files written. */
export async function makeStoreAssets(demoDir: string): Promise<string[]> {
  const out = join(demoDir, 'store');
  mkdirSync(out, { recursive: true });
  const missing = STORE_SHOTS.filter((s) => !existsSync(join(demoDir, s.file))).map((s) => s.file);
  if (missing.length) throw new Error(`store: ${missing.join(', ')} missing in ${demoDir}: run npm run demo first`);
  const written: string[] = [];
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    for (const [i, s] of STORE_SHOTS.entries()) {
      await page.setContent(slide(readFileSync(join(demoDir, s.file)), s.caption), { waitUntil: 'load' });
      const f = join(out, `screenshot-${i + 1}-${s.name}.png`);
      writeFileSync(f, await page.screenshot());
      written.push(f);
    }
    await page.setViewportSize({ width: 440, height: 280 });
    await page.setContent(promo(readFileSync(join(ROOT, 'icons', 'idle.svg'), 'utf8').replace(/<!--[\s\S]*?-->/g, '')), { waitUntil: 'load' });
    const p = join(out, 'promo-440x280.png');
    writeFileSync(p, await page.screenshot());
    written.push(p);
  } finally {
    await browser.close();
  }
  const d = join(out, 'description.md');
  writeFileSync(d, storeDescription());
  written.push(d);
  return written;
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('scripts/store.ts')) {
  makeStoreAssets(join(ROOT, 'demo-output')).then(
    (files) => console.log(`wrote ${files.map((f) => f.slice(ROOT.length + 1)).join(', ')}`),
    (e: unknown) => {
      console.error(`samlscope store: ${(e as Error)?.message ?? e}`);
      process.exit(1);
    },
  );
}
