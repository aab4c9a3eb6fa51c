#!/usr/bin/env node
// samlscope's command-line entry. Runs the one-file build, dist/samlscope.mjs (`npm run build:cli`,
// made by `npm pack` for the package), when it is there and, in a checkout, built after every
// source file it holds last changed; otherwise runs the TypeScript sources through tsx, so a
// checkout works after `npm ci` with no build step and never runs a stale build.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const bundle = new URL('dist/samlscope.mjs', root);

function bundleIsFresh() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  let sources;
  try {
    sources = JSON.parse(readFileSync(new URL('dist/samlscope.sources.json', root), 'utf8')).inputs;
  } catch {
    sources = [];
  }
  for (const f of sources) {
    try {
      if (statSync(new URL(f, root)).mtimeMs > built) return false;
    } catch (e) {
      // A source that is gone: in the installed package there are none (only package.json);
      // in a checkout a file was removed or renamed, so the build is stale.
      if (e.code !== 'ENOENT') return false;
      if (f.startsWith('cli/') || f.startsWith('lib/')) {
        try {
          statSync(new URL('cli/main.ts', root));
          return false;
        } catch {
          // not a checkout
        }
      }
    }
  }
  return true;
}

if (bundleIsFresh()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { run } = await import(new URL('../cli/main.ts', import.meta.url).href);
  await run();
}
