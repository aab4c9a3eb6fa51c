#!/usr/bin/env node
// What a user of the published CLI gets: `npm pack` (which builds dist/samlscope.mjs, prepack),
// the tarball installed in an empty folder with no dev dependencies and nothing from this
// checkout, then `samlscope --version` and `samlscope analyze` on a recorded session HAR.
// Exits non-zero, saying what failed, if any step does. `npm run check:pack`; .ci/run runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'samlscope-pack-'));
const t0 = performance.now();
const fail = (msg) => {
  console.error(`check:pack: ${msg}`);
  process.exitCode = 1;
};
try {
  const packOut = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const info = JSON.parse(packOut.slice(packOut.lastIndexOf('[\n  {')))[0];
  const files = info.files.map((f) => f.path).sort();
  console.log(`packed ${info.filename}: ${(info.size / 1024).toFixed(0)} KB, ${files.length} files: ${files.join(', ')}`);
  for (const need of ['bin/samlscope.mjs', 'dist/samlscope.mjs', 'package.json', 'LICENSE', 'README.md']) if (!files.includes(need)) fail(`${need} is not in the tarball`);
  if (files.some((f) => f.startsWith('lib/') || f.startsWith('cli/') || f.startsWith('test/'))) fail('sources or tests are in the tarball');

  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "empty", "private": true }\n');
  // --omit=dev and --ignore-scripts off: exactly what `npm install samlscope` does for a user.
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', join(work, info.filename)], { cwd: app, stdio: ['ignore', 'inherit', 'inherit'] });
  const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
  if (installed.join() !== 'samlscope') fail(`the install brought more than samlscope: ${installed.join(', ')}`);

  const bin = join(app, 'node_modules', '.bin', 'samlscope');
  const v = spawnSync(bin, ['--version'], { cwd: app, encoding: 'utf8' });
  if (v.status !== 0 || v.stdout.trim() !== `samlscope ${pkg.version}`) fail(`samlscope --version: exit ${v.status}, "${v.stdout.trim()}" ${v.stderr}`);
  else console.log(`samlscope --version: ${v.stdout.trim()}`);

  const har = join(root, 'test', 'fixtures', 'sessions', 'session.har');
  const a = spawnSync(bin, ['analyze', '--format', 'json', har], { cwd: app, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // 0: no error, 1: findings with errors (the session has failed attempts); 2 and 3 are failures.
  let flows = -1;
  try {
    flows = JSON.parse(a.stdout).flows.length;
  } catch {
    flows = -1;
  }
  if ((a.status !== 0 && a.status !== 1) || flows < 1) fail(`samlscope analyze: exit ${a.status}, ${flows} flows; stderr: ${a.stderr.slice(0, 500)}`);
  else console.log(`samlscope analyze session.har: exit ${a.status}, ${flows} flows`);
} catch (e) {
  fail(e.message);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`check:pack ${process.exitCode ? 'FAILED' : 'passed'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
