#!/usr/bin/env node
// npm run zip: the store packages, in .output/:
//   samlscope-<version>-chrome-mv3.zip   Chrome Web Store and Microsoft Edge Add-ons (one MV3 build)
//   samlscope-<version>-firefox-mv3.zip  addons.mozilla.org (MV3, Firefox 140+)
//   samlscope-<version>-sources.zip      the sources AMO reviewers build the Firefox zip from
// then checks the Firefox build with web-ext lint (warnings are errors) and lists each zip's size.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
const bin = (n) => join(root, 'node_modules', '.bin', n);

run(bin('wxt'), ['zip', '-b', 'chrome']);
run(bin('wxt'), ['zip', '-b', 'firefox', '--mv3']);
run(bin('web-ext'), ['lint', '--self-hosted=false', '--warnings-as-errors', '-s', join(root, '.output', 'firefox-mv3')]);
const { version } = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: root, encoding: 'utf8' }));
const zips = readdirSync(join(root, '.output')).filter((f) => f.endsWith('.zip') && f.includes(`-${version}-`));
for (const want of [`samlscope-${version}-chrome-mv3.zip`, `samlscope-${version}-firefox-mv3.zip`, `samlscope-${version}-sources.zip`]) {
  if (!zips.includes(want)) {
    console.error(`zip: ${want} was not made`);
    process.exit(1);
  }
}
for (const z of zips.sort()) console.log(`.output/${z}  ${(statSync(join(root, '.output', z)).size / 1024).toFixed(0)} KB`);
