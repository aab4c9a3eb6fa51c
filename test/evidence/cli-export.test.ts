// `samlscope export` and the inputs `samlscope analyze` gained (SAML-tracer, bundles), in-process.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../cli/main.ts';
import { parseCommand } from '../../cli/args.ts';
import { readBundle } from '../../lib/evidence/bundle.ts';
import { readHar } from '../../lib/har/index.ts';
import { labSignInHar } from '../fixtures/har.ts';
import { findLeaks } from './scan.ts';

let dir: string;
let harFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-export-'));
  harFile = join(dir, 'sign-in.har');
  writeFileSync(harFile, labSignInHar({ response: { nameId: 'alex.m@contoso-mail.com', accessControl: { Department: 'Engineering' } } }).text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('samlscope export', () => {
  it('writes ticket Markdown, pseudonymised by default', async () => {
    const r = await run(['export', '--expected-username', 'alex.morgan@contoso.com', harFile]);
    expect(r.code).toBe(0);
    // The popup's verdict naming the cause leads, with the cause's values (pseudonymised) and the
    // first line of its fix; the counts follow in the table.
    expect(r.stdout).toMatch(/^# SAML sign-in evidence: AWS will refuse this sign-in: NameID is not the expected Identity Center user name\n\n\*\*❌ AWS will refuse this sign-in: NameID is not the expected Identity Center user name\*\*\n\n\*\*Cause:\*\* NameID is not the expected Identity Center user name \(`nameid-mismatch`\)\n\n\| \| Expected \| Actual \|\n\|---\|---\|---\|\n\| NameID \| `[^`]+` \| `[^`]+` \|\n\n\*\*Fix:\*\* Compare with the user name in AWS console → IAM Identity Center → Users/);
    expect(r.stdout.indexOf('| Findings | 1 error, 0 warnings, 1 info |')).toBeGreaterThan(r.stdout.indexOf('**Fix:**'));
    expect(r.stdout).toContain('nameid-mismatch');
    expect(r.stdout).toContain('<details>');
    expect(r.stdout).toMatch(/\| Redaction \| pseudonymised/);
    expect(findLeaks(r.stdout, ['alex.morgan@contoso.com', 'alex.m@contoso-mail.com', 'contoso', 'Engineering'])).toEqual([]);
  });

  it('writes a bundle that analyze reads back to the same verdict, and a HAR that lib/har reads', async () => {
    const bundleFile = join(dir, 'b.samlscope.json');
    const e = await run(['export', '--format', 'json', '--redact', 'remove', '--redact-tenant', '--expected-username', 'alex.morgan@contoso.com', '-o', bundleFile, harFile]);
    expect(e.code).toBe(0);
    expect(e.stderr).toMatch(/wrote .*b\.samlscope\.json/);
    const b = readBundle(readFileSync(bundleFile, 'utf8'));
    expect(b).toMatchObject({ ok: true, bundle: { redaction: { mode: 'remove', tenant: true }, source: { kind: 'har', names: ['sign-in.har'] } } });
    const a = await run(['analyze', '--format', 'json', bundleFile]);
    expect(a.code).toBe(1);
    expect((JSON.parse(a.stdout) as { findings: { checkId: string }[] }).findings.map((f) => f.checkId)).toContain('nameid-mismatch');
    const h = await run(['export', '--format', 'har', '--redact', 'none', harFile]);
    expect(h.code).toBe(0);
    const har = readHar(h.stdout);
    expect(har).toMatchObject({ ok: true, messages: [{ param: 'SAMLRequest' }, { param: 'SAMLResponse' }] });
    // A HAR exported by samlscope is an input too.
    writeFileSync(join(dir, 'again.har'), h.stdout);
    expect((await run(['analyze', join(dir, 'again.har')])).code).toBe(0);
  });

  it('exports one flow by its number or id, and says when there is no such flow', async () => {
    const ids = JSON.parse((await run(['analyze', '--format', 'json', harFile])).stdout) as { flows: { id: string }[] };
    const ok = await run(['export', '--format', 'json', '--flow', ids.flows[0]!.id, harFile]);
    expect(ok.code).toBe(0);
    const bad = await run(['export', '--flow', 'flow:nope', harFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('samlscope: --flow flow:nope: no flow flow:nope in this capture (give the sign-in\'s number, #1 to #1, or an id from samlscope analyze --format json)\n');
    // By the number analyze shows (sign-in #1): the same export as by its id.
    const byNumber = await run(['export', '--format', 'json', '--flow', '1', harFile]);
    expect(byNumber.code).toBe(0);
    const messagesOf = (t: string) => (JSON.parse(t) as { input: { messages: { id: string }[] } }).input.messages.map((m) => m.id);
    expect(messagesOf(byNumber.stdout)).toStrictEqual(messagesOf(ok.stdout));
    expect(messagesOf(ok.stdout).length).toBeGreaterThan(0);
    const none = await run(['export', '--flow', '2', harFile]);
    expect([none.code, none.stderr]).toStrictEqual([2, 'samlscope: --flow 2: this capture has sign-ins #1 to #1\n']);
  });

  it('refuses bad options with one line, and keeps export options out of analyze', () => {
    const read = () => '{}';
    expect(() => parseCommand(['export', '--redact', 'hide', 'x'], read)).toThrow(/--redact "hide" is not one of none, pseudonymise, remove/);
    expect(() => parseCommand(['export', '--redact', 'none', '--redact-tenant', 'x'], read)).toThrow(/need --redact pseudonymise or remove/);
    expect(() => parseCommand(['export', '--format', 'text', 'x'], read)).toThrow(/not one of markdown, json, har/);
    expect(() => parseCommand(['analyze', '--redact', 'none', 'x'], read)).toThrow(/--redact belongs to samlscope export/);
    expect(() => parseCommand(['export'], read)).toThrow(/no input given: samlscope export/);
    expect(parseCommand(['export', '--redact', 'pseudonymize', 'x'], read)).toMatchObject({ command: 'export', options: { redact: 'pseudonymise', exportFormat: 'markdown' } });
    expect(parseCommand(['export', '--help'], read)).toEqual({ command: 'help', topic: 'export' });
  });

  it('prints its own help', async () => {
    const r = await run(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: samlscope export/);
    expect(r.stdout).toContain('--redact none|pseudonymise|remove');
  });

  it('refuses an evidence bundle given with other inputs', async () => {
    const bundleFile = join(dir, 'c.json');
    await run(['export', '--format', 'json', '-o', bundleFile, harFile]);
    const r = await run(['analyze', bundleFile, harFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evidence bundle .* give it alone/);
  });
});

// Issue 14, item 3: a lone surrogate made `export --format har` exit 3 (encodeURIComponent
// throws on it), and a CDATA section inside SignatureValue made redaction's final scan refuse.
describe('samlscope export on values that cannot be written as they are', () => {
  it('a lone surrogate in a RelayState: exit 0, written as U+FFFD in the HAR and said so; the bundle keeps it exactly', async () => {
    const har = JSON.parse(labSignInHar({ response: { nameId: 'alex.m@contoso-mail.com' } }).text) as { log: { entries: { request: { url: string; postData?: { text: string } } }[] } };
    // The browser's HAR holds the form body as text: a JSON escape of a lone surrogate is possible there.
    for (const e of har.log.entries) {
      if (e.request.postData) e.request.postData.text = `${e.request.postData.text.replace(/&RelayState=[^&]*/, '')}&RelayState=ab\uD800cd`;
    }
    const file = join(dir, 'lone.har');
    writeFileSync(file, JSON.stringify(har));
    for (const redact of ['none', 'pseudonymise', 'remove']) {
      const h = await run(['export', '--format', 'har', '--redact', redact, file]);
      expect(h.code, `${redact}: ${h.stderr}`).toBe(0);
      const back = readHar(h.stdout);
      expect(back.ok).toBe(true);
      if (redact === 'none') {
        expect(h.stderr).toMatch(/note: 1 value held a lone UTF-16 surrogate.*U\+FFFD/);
        expect(back.ok && back.messages.find((m) => m.param === 'SAMLResponse')?.relayState).toBe('ab\uFFFDcd');
      }
    }
    const bundleFile = join(dir, 'lone.samlscope.json');
    expect((await run(['export', '--format', 'json', '--redact', 'none', '-o', bundleFile, file])).code).toBe(0);
    const b = readBundle(readFileSync(bundleFile, 'utf8'));
    expect(b.ok && b.bundle.input.messages.find((m) => m.param === 'SAMLResponse')?.relayState).toBe('ab\uD800cd');
    const md = await run(['export', '--format', 'markdown', '--redact', 'none', file]);
    expect(md.code).toBe(0);
  });
});
