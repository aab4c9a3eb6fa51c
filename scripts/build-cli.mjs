#!/usr/bin/env node
// Builds the command line into one file, dist/samlscope.mjs (esbuild: every import of cli/ and
// lib/ and the packages they use, in one ES module for Node; no runtime dependency left). The
// published package runs it; in a checkout bin/samlscope.mjs prefers it while it is fresh (built
// after every source file it holds last changed) and runs the TypeScript through tsx otherwise.
// `npm run build:cli`; `npm pack` runs it (prepack). Plain JavaScript: it runs without tsx.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'samlscope.mjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(dirname(out), { recursive: true });
const t0 = performance.now();
const result = await build({
  stdin: {
    contents: "import { run } from './cli/main.ts';\nawait run();\n",
    resolveDir: root,
    sourcefile: 'samlscope-cli-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${pkg.engines.node.replace(/^>=\s*/, '').split('.').slice(0, 2).join('.')}`,
  outfile: `${out}.tmp`,
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
renameSync(`${out}.tmp`, out);
// The sources the bundle was made from, for bin/samlscope.mjs's freshness check.
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes('samlscope-cli-entry'));
writeFileSync(join(root, 'dist', 'samlscope.sources.json'), JSON.stringify({ version: pkg.version, inputs: [...inputs, 'package.json'] }, null, 1) + '\n');
const bytes = result.metafile.outputs[relative(root, `${out}.tmp`)]?.bytes ?? 0;
console.log(`dist/samlscope.mjs: ${(bytes / 1024).toFixed(0)} KB from ${inputs.length} source files in ${(performance.now() - t0).toFixed(0)} ms`);
