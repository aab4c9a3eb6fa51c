// What an extension page loads before its first paint, from the built files: the HTML's module
// script, its modulepreload links and stylesheets, and every module those import statically
// (import … from "./x.js"), followed through the chunks. A dynamic import("./x.js") is loaded
// later, when used, so it is not counted. Sizes are gzip -9, as a browser would receive them
// compressed (a packed extension is a zip: deflate, the same order of size).
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FirstLoad {
  page: string;
  files: { path: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
  /** Modules reachable only through import(): loaded when used. */
  lazy: string[];
}

const STATIC_IMPORT = /(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g;

export function firstLoad(outDir: string, page: string): FirstLoad {
  const html = readFileSync(join(outDir, page), 'utf8');
  const roots: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) roots.push(m[1]!);
  for (const m of html.matchAll(/<link[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref="([^"]+)"/g)) roots.push(m[1]!);
  const seen = new Set<string>();
  const lazy = new Set<string>();
  const queue = roots.map((r) => normalize(r.replace(/^\//, '')));
  while (queue.length) {
    const p = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    if (!p.endsWith('.js')) continue;
    const text = readFileSync(join(outDir, p), 'utf8');
    // Dynamic imports first, and out of the text, so the static pattern cannot see them.
    const stripped = text.replace(DYNAMIC_IMPORT, (_all, spec: string) => {
      lazy.add(normalize(join(dirname(p), spec)));
      return '';
    });
    for (const m of stripped.matchAll(STATIC_IMPORT)) queue.push(normalize(join(dirname(p), m[1]!)));
  }
  const files = [...seen].map((path) => {
    const buf = readFileSync(join(outDir, path));
    return { path, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  });
  return {
    page,
    files,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzip: files.reduce((n, f) => n + f.gzip, 0),
    lazy: [...lazy].filter((l) => !seen.has(l)).sort(),
  };
}
