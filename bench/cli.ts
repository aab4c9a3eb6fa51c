// The command line's cost as a user pays it (issue 13): CPU of one message against `node -e 0`,
// a HAR of 100 sign-ins, and `analyze --each` over ten HARs against one. Measures the bundled CLI
// (made by `npm run build:cli`, issue 15) when it is there, else says "not built", and always the
// sources through tsx (bin/samlscope.mjs) for comparison. The bundle is built first (npm run
// build:cli) unless --no-build-cli.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { har, harEntry } from '../test/fixtures/har.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from '../test/lab/factory.ts';

const ROOT = new URL('..', import.meta.url).pathname;
/** Where the bundled CLI may be (npm run build:cli). */
const BUNDLE_CANDIDATES = ['dist/samlscope.mjs', 'dist/samlscope.js', 'dist/cli.mjs', 'dist/cli.js', 'dist/cli/samlscope.mjs'];

/** CPU seconds (user + system) of a child process, from bash's `times`. */
function cpuOf(cmd: string[], runs: number): { cpuMs: number; wallMs: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  const quoted = cmd.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const out = execFileSync('bash', ['-c', `${quoted} >/dev/null 2>&1; times`], { cwd: ROOT, encoding: 'utf8' });
    wall.push(performance.now() - t);
    // `times`: the shell's line, then the children's: "0m0.250s 0m0.030s".
    const line = out.trim().split('\n').pop()!;
    const [u, s] = line.split(/\s+/).map((x) => {
      const m = /(\d+)m([\d.]+)s/.exec(x)!;
      return Number(m[1]) * 60 + Number(m[2]);
    });
    cpu.push((u! + s!) * 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return { cpuMs: med(cpu), wallMs: med(wall) };
}

function signInsHar(n: number, start: number): string {
  const entries: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const id = samlId();
    const t = new Date(start + i * 60_000);
    entries.push(harEntry({ method: 'GET', url: `${LAB.ssoUrl}?SAMLRequest=${toRedirect(makeAuthnRequest({ id, issueInstant: t }))}`, status: 200, time: t }));
    entries.push(harEntry({ method: 'POST', url: LAB.acsUrl, status: 302, time: new Date(t.getTime() + 2000), form: { SAMLResponse: toPost(signedResponse({ inResponseTo: id, issueInstant: t })) } }));
  }
  return har(entries);
}

export interface CliBench {
  nodeFloorMs: number;
  tsx: { oneMessageCpuMs: number; ratio: number; har100WallMs: number };
  bundle?: { path: string; oneMessageCpuMs: number; ratio: number; har100WallMs: number; each10WallMs: number; each1WallMs: number };
  each: { oneWallMs: number; tenWallMs: number };
  notBuilt?: string;
}

export function runCliBench(quick: boolean, o: { build?: boolean } = {}): CliBench {
  // The bundle as the sources are now (npm run build:cli): a stale dist/ would measure old code.
  if (o.build !== false) execFileSync('node', [join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT, stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'samlscope-clibench-'));
  try {
    const runs = quick ? 3 : 7;
    const start = Date.now() - 3600_000;
    const msg = join(dir, 'response.txt');
    writeFileSync(msg, toPost(signedResponse({ issueInstant: new Date(start) })));
    const big = join(dir, 'hundred.har');
    writeFileSync(big, signInsHar(100, start));
    const small: string[] = [];
    for (let i = 0; i < 10; i++) {
      const f = join(dir, `signin-${i}.har`);
      writeFileSync(f, signInsHar(2, start + i * 3600_000));
      small.push(f);
    }
    const floor = cpuOf(['node', '-e', '0'], runs).cpuMs;
    const tsxBin = ['node', join(ROOT, 'bin/samlscope.mjs')];
    const tsxOne = cpuOf([...tsxBin, 'analyze', msg], runs).cpuMs;
    const tsxHar = cpuOf([...tsxBin, 'analyze', big], Math.max(2, runs >> 1)).wallMs;
    const one = cpuOf([...tsxBin, 'analyze', '--each', small[0]!], Math.max(2, runs >> 1)).wallMs;
    const ten = cpuOf([...tsxBin, 'analyze', '--each', ...small], Math.max(2, runs >> 1)).wallMs;
    const out: CliBench = { nodeFloorMs: floor, tsx: { oneMessageCpuMs: tsxOne, ratio: tsxOne / floor, har100WallMs: tsxHar }, each: { oneWallMs: one, tenWallMs: ten } };
    const bundle = BUNDLE_CANDIDATES.map((p) => join(ROOT, p)).find((p) => existsSync(p));
    if (bundle) {
      const b = ['node', bundle];
      const c = cpuOf([...b, 'analyze', msg], runs).cpuMs;
      out.bundle = {
        path: bundle.slice(ROOT.length),
        oneMessageCpuMs: c,
        ratio: c / floor,
        har100WallMs: cpuOf([...b, 'analyze', big], Math.max(2, runs >> 1)).wallMs,
        each1WallMs: cpuOf([...b, 'analyze', '--each', small[0]!], Math.max(2, runs >> 1)).wallMs,
        each10WallMs: cpuOf([...b, 'analyze', '--each', ...small], Math.max(2, runs >> 1)).wallMs,
      };
    } else {
      out.notBuilt = `not built (no ${BUNDLE_CANDIDATES.join(', ')}; npm run build:cli makes it)`;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printCliBench(c: CliBench): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const lines = [`CLI (child processes; node -e 0 costs ${ms(c.nodeFloorMs)} of CPU here):`];
  if (c.bundle) {
    lines.push(
      `  bundled ${c.bundle.path}: one message ${ms(c.bundle.oneMessageCpuMs)} CPU = ${c.bundle.ratio.toFixed(1)}× node -e 0 (target ≤ 2.5×) ${c.bundle.ratio <= 2.5 ? 'ok' : 'MISSED'}; ` +
        `a HAR of 100 sign-ins ${ms(c.bundle.har100WallMs)} (target ≤ 500 ms) ${c.bundle.har100WallMs <= 500 ? 'ok' : 'MISSED'}; ` +
        `--each: 10 HARs ${ms(c.bundle.each10WallMs)} vs 1 HAR ${ms(c.bundle.each1WallMs)}`,
    );
  } else {
    lines.push(`  bundled CLI: ${c.notBuilt}`);
  }
  lines.push(
    `  sources through tsx (bin/samlscope.mjs): one message ${ms(c.tsx.oneMessageCpuMs)} CPU = ${c.tsx.ratio.toFixed(1)}× node -e 0; a HAR of 100 sign-ins ${ms(c.tsx.har100WallMs)}; ` +
      `--each: 10 HARs ${ms(c.each.tenWallMs)} vs 1 HAR ${ms(c.each.oneWallMs)} (${(c.each.tenWallMs / c.each.oneWallMs).toFixed(2)}×)`,
  );
  return lines.join('\n');
}

/** Targets the bundle must meet (none for the tsx path: it is the slow path the bundle replaces). */
export function cliMissed(c: CliBench): string[] {
  if (!c.bundle) return [];
  const out: string[] = [];
  if (c.bundle.ratio > 2.5) out.push('CLI one message ≤ 2.5× node -e 0');
  if (c.bundle.har100WallMs > 500) out.push('CLI HAR of 100 sign-ins ≤ 0.5 s');
  return out;
}
