// `samlscope analyze --each FILES…` (issue 13): a support queue in one process, one JSON line per
// file, a bad file reported and skipped, a progress line only on a terminal. In-process through
// main(), as the CLI's other option tests run (spawning is covered by test/cli.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../cli/main.ts';
import type { EachLine } from '../cli/each.ts';
import { labSignInHar } from './fixtures/har.ts';
import { LAB, signedResponse, toPost } from './lab/factory.ts';
import { at } from './clock.ts';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-each-'));
  writeFileSync(file('good.har'), labSignInHar({ start: at(0) }).text);
  writeFileSync(file('wrong-audience.har'), labSignInHar({ start: at(60), response: { audience: `${LAB.spEntityId}/` } }).text);
  writeFileSync(file('Łódź-user.har'), labSignInHar({ start: at(120), response: { nameId: 'łucja.żak@contoso.com' } }).text);
  writeFileSync(file('response.txt'), toPost(signedResponse({ issueInstant: at(180) })));
  writeFileSync(file('broken.har'), '{"log": {"entries": [');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], o: { progress?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false, ...(o.progress ? { progress: true, progressColumns: 60 } : {}) };
  const code = await main(argv, io);
  const lines = stdout.trim() ? stdout.trim().split('\n').map((l) => JSON.parse(l) as EachLine) : [];
  return { code, lines, stdout, stderr };
}

const expectations = ['--sp-entity-id', LAB.spEntityId, '--acs-url', LAB.acsUrl];

describe('samlscope analyze --each', () => {
  it('writes one JSON line per file, in order, each analysed on its own', async () => {
    const r = await run(['analyze', '--each', ...expectations, file('good.har'), file('wrong-audience.har'), file('Łódź-user.har'), file('response.txt')]);
    expect(r.lines.map((l) => l.file)).toEqual([file('good.har'), file('wrong-audience.har'), file('Łódź-user.har'), file('response.txt')]);
    const [good, wrong, other, msg] = r.lines;
    expect(good).toMatchObject({ ok: true, flows: 1, messages: 2, verdict: { level: 'ok', errors: 0 } });
    expect(good!.checks).toEqual([]);
    expect(wrong).toMatchObject({ ok: true, flows: 1, verdict: { level: 'refused' } });
    expect(wrong!.checks).toContain('audience-mismatch');
    expect(wrong!.verdict!.errors).toBeGreaterThan(0);
    expect(other).toMatchObject({ ok: true, flows: 1 });
    expect(msg).toMatchObject({ ok: true, flows: 1, messages: 1 });
    // Signatures are verified in batch mode too (the lab's responses are signed and valid).
    expect(r.lines.flatMap((l) => l.checks ?? [])).not.toContain('signature-invalid');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('reports an unusable file on its line and goes on; exit 2', async () => {
    const r = await run(['analyze', '--each', file('broken.har'), file('good.har'), file('missing.har')]);
    expect(r.lines.map((l) => [l.ok, l.file])).toEqual([
      [false, file('broken.har')],
      [true, file('good.har')],
      [false, file('missing.har')],
    ]);
    expect(r.lines[0]!.error).toMatch(/JSON/);
    expect(r.lines[2]!.error).toMatch(/not found|no such file/i);
    expect(r.code).toBe(2);
  });

  it('draws a progress line on stderr only when it is a terminal, and clears it', async () => {
    const quiet = await run(['analyze', '--each', file('good.har'), file('response.txt')]);
    expect(quiet.stderr).toBe('');
    const tty = await run(['analyze', '--each', file('good.har'), file('response.txt')], { progress: true });
    expect(tty.stderr).toContain('[1/2]');
    expect(tty.stderr).toContain('[2/2]');
    expect(tty.stderr.endsWith('\r')).toBe(true);
    expect(tty.lines).toHaveLength(2);
  });

  it('refuses what cannot go with it', async () => {
    const a = await run(['analyze', '--each', '--format', 'text', file('good.har')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--each writes one JSON line per file/);
    const b = await run(['export', '--each', file('good.har')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--each belongs to samlscope analyze/);
  });
});
