// The shape of the code, enforced: no module imports from a layer above it (issue 13, DESIGN.md
// "Lower layers never borrow from higher ones"). Reads every import of every source file
// (static, type-only, re-exports and dynamic import()) and fails on an upward one, naming it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');

/**
 * Lowest first. A module may import from its own layer and the ones below it. The first
 * pattern that matches a path (relative to the repository, without extension) decides.
 */
export const LAYERS: { name: string; match: RegExp[] }[] = [
  // The verifier's data types are plain declarations that lib/types.ts and the checks share.
  { name: 'base', match: [/^lib\/types$/, /^lib\/strings$/, /^lib\/signature\/types$/, /^lib\/logs\/types$/, /^lib\/version$/] },
  { name: 'reading', match: [/^lib\/decode\//, /^lib\/saml\//, /^lib\/summary$/] },
  // Domain knowledge: AWS and Entra identifiers, hosts, console click paths, expectations.
  { name: 'domain', match: [/^lib\/domain\//] },
  { name: 'knowledge', match: [/^lib\/signature\//, /^lib\/entra\//, /^lib\/flow\//, /^lib\/pages\//, /^lib\/har\//, /^lib\/abac\//, /^lib\/logs\/(json|cloudtrail-causes)$/] },
  { name: 'checks', match: [/^lib\/checks\//] },
  { name: 'analysis', match: [/^lib\/analyze$/, /^lib\/analysis\//] },
  {
    name: 'uses',
    match: [/^lib\/capture\//, /^lib\/settings$/, /^lib\/logs\//, /^lib\/permissions$/, /^lib\/policy$/, /^lib\/report\//, /^lib\/checklist\//, /^lib\/compare\//, /^lib\/scim\//, /^lib\/evidence\//, /^lib\/messages$/],
  },
  { name: 'store', match: [/^lib\/store\//, /^lib\/toolbar$/] },
  { name: 'views', match: [/^components\//] },
  { name: 'shells', match: [/^entrypoints\//, /^cli\//] },
];

function layerOf(path: string): number {
  const i = LAYERS.findIndex((l) => l.match.some((re) => re.test(path)));
  return i;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Edge {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

/** Every relative import of a file: `import … from`, `export … from`, `import type`, `import('…')`. */
export function importsOf(file: string, text: string): Edge[] {
  const out: Edge[] = [];
  const re = /(?:\bimport\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?|\bexport\s+(type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    const spec = m[3]!;
    if (/\.css$/.test(spec)) continue;
    const to = normalize(join(dirname(file), spec)).replace(/\.tsx?$/, '');
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ from: file.replace(/\.tsx?$/, ''), to, line, typeOnly: !!(m[1] || m[2]) });
  }
  return out;
}

const FILES = ['lib', 'components', 'entrypoints', 'cli'].flatMap(sources);
const EDGES = FILES.flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')));

describe('layering', () => {
  it('reads the imports it checks (the reader is not blind)', () => {
    const sample = importsOf(
      'lib/flow/x.ts',
      [
        "import { a } from '../checks/util.ts';",
        "import type { B } from '../analyze.ts';",
        "export * from '../domain/hosts.ts';",
        "export { c, type D } from './y.ts';",
        "const v = await import('../signature/verify.ts');",
        "import '../../components/theme.css';",
      ].join('\n'),
    );
    expect(sample.map((e) => [e.to, e.typeOnly, e.line])).toEqual([
      ['lib/checks/util', false, 1],
      ['lib/analyze', true, 2],
      ['lib/domain/hosts', false, 3],
      ['lib/flow/y', false, 4],
      ['lib/signature/verify', false, 5],
    ]);
    expect(EDGES.length).toBeGreaterThan(300);
  });

  it('places every source file in a layer', () => {
    expect(FILES.filter((f) => layerOf(f.replace(/\.tsx?$/, '')) < 0)).toEqual([]);
  });

  it('has no import from a layer above (values, types and dynamic imports alike)', () => {
    const upward = EDGES.filter((e) => {
      const a = layerOf(e.from);
      const b = layerOf(e.to);
      return b > a;
    }).map((e) => `${e.from}.ts:${e.line} (${LAYERS[layerOf(e.from)]!.name}) imports ${e.to} (${LAYERS[layerOf(e.to)]!.name})`);
    expect(upward).toEqual([]);
  });

  it('keeps lib/ free of browser views and shells, and the CLI free of the extension', () => {
    const bad = EDGES.filter(
      (e) =>
        (e.from.startsWith('lib/') && !e.to.startsWith('lib/') && !(e.from === 'lib/version' && e.to === 'package.json')) ||
        (e.from.startsWith('cli/') && (e.to.startsWith('components/') || e.to.startsWith('entrypoints/'))) ||
        (e.from.startsWith('components/') && e.to.startsWith('entrypoints/')),
    ).map((e) => `${e.from}:${e.line} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('lets no CLI subcommand import the main module or another subcommand (they share cli/load.ts)', () => {
    const helpers = new Set(['cli/args', 'cli/inputs', 'cli/load', 'cli/trust']);
    const bad = EDGES.filter((e) => e.from.startsWith('cli/') && e.to.startsWith('cli/') && e.from !== 'cli/main' && !helpers.has(e.to)).map(
      (e) => `${e.from}:${e.line} → ${e.to}`,
    );
    expect(bad).toEqual([]);
    // The helpers are below the commands: none of them imports a command.
    const up = EDGES.filter((e) => helpers.has(e.from) && e.to.startsWith('cli/') && !helpers.has(e.to)).map((e) => `${e.from}:${e.line} → ${e.to}`);
    expect(up).toEqual([]);
  });

  it('has no import cycle between the directories of the core (up to lib/analyze)', () => {
    // lib/flow ↔ lib/pages was one (both read the hosts, now in lib/domain).
    const core = LAYERS.findIndex((l) => l.name === 'analysis');
    const unit = (p: string) => (p === 'lib/signature/types' ? p : p.split('/').length > 2 ? p.split('/').slice(0, 2).join('/') : p);
    const graph = new Map<string, Set<string>>();
    for (const e of EDGES) {
      if (!e.from.startsWith('lib/') || !e.to.startsWith('lib/') || layerOf(e.from) > core) continue;
      const a = unit(e.from);
      const b = unit(e.to);
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (n: string) => {
      state.set(n, 1);
      stack.push(n);
      for (const m of graph.get(n) ?? []) {
        if (state.get(m) === 1) cycles.push([...stack.slice(stack.indexOf(m)), m].join(' → '));
        else if (!state.has(m)) visit(m);
      }
      stack.pop();
      state.set(n, 2);
    };
    for (const n of graph.keys()) if (!state.has(n)) visit(n);
    expect(cycles).toEqual([]);
  });

  it('names the files of the rule relative to the repository', () => {
    expect(relative(ROOT, join(ROOT, 'lib/analyze.ts'))).toBe('lib/analyze.ts');
  });
});
