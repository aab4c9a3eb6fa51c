// The real command line, spawned as a user runs it (node bin/samlscope.mjs analyze ...), on
// files written from the lab factory. Spawning tsx costs about half a second, so every spawn
// starts at once in beforeAll and the cases read their results; option handling that needs no
// process of its own runs in-process through main().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.ts';
import { parseCommand } from '../cli/args.ts';
import { decodeText } from '../cli/inputs.ts';
import type { JsonReport } from '../lib/report/json.ts';
import { analyze } from '../lib/analyze.ts';
import { mdCode, mdText, renderMarkdown, renderText, resultVerdict, safeText } from '../lib/report/index.ts';
import { CHECKS } from '../lib/checks/index.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, sign, signedResponse, toPost, toRedirect, URN } from './lab/factory.ts';
import { har, labSignInHar } from './fixtures/har.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'samlscope.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[], stdin?: string, command: string[] = ['node', BIN]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const p = spawn(command[0]!, [...command.slice(1), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t }));
    p.stdin.end(stdin ?? '');
  });
}

const json = (r: Run) => JSON.parse(r.stdout) as JsonReport;

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const runs: Record<string, Run> = {};
const hasNameIdFormat = CHECKS.some((c) => c.id === 'nameid-format');
const t0 = new Date(Date.now() - 3 * 3600e3); // an old sign-in: expired now
t0.setMilliseconds(0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-cli-'));
  const id = samlId();
  const req = file('request.txt', toRedirect(makeAuthnRequest({ id })));
  const resp = file('response.txt', toPost(signedResponse({ inResponseTo: id })));
  const brokenXml = sign(makeResponse({ nameIdFormat: URN.unspecified, audience: 'https://wrong.example/' }));
  const broken = file('broken.txt', toPost(brokenXml));
  const garbage = file('garbage.bin', 'this is not a SAML message \u0000\u0001 at all, just noise');
  const old = file('old.xml', signedResponse({ issueInstant: t0 }));
  const lab = labSignInHar({ skewSeconds: 3 });
  const harFile = file('signin.har', lab.text);
  const config = file('config.json', JSON.stringify({ spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, clockSkewSeconds: 120 }));
  const badConfig = file('bad-config.json', JSON.stringify({ spEntityId: LAB.spEntityId, acsURL: LAB.acsUrl, colour: 'red' }));
  const wrong = ['--sp-entity-id', LAB.spEntityId];

  const jobs: Record<string, Promise<Run>> = {
    pair: cli(['analyze', '--format', 'json', req, resp]),
    brokenJson: cli(['analyze', '--format=json', ...wrong, broken]),
    brokenMarkdown: cli(['analyze', '--format', 'markdown', ...wrong, broken]),
    stdinText: cli(['analyze', '--verbose', ...wrong, '-'], toPost(brokenXml)),
    oneError: cli(['analyze', ...wrong, '-'], toPost(sign(makeResponse({ audience: 'https://wrong.example/' })))),
    garbage: cli(['analyze', '--format', 'json', garbage]),
    har: cli(['analyze', '--format', 'json', '--config', config, harFile]),
    missing: cli(['analyze', join(dir, 'nope.har')]),
    badOption: cli(['analyze', '--colour', resp]),
    badConfig: cli(['analyze', '--config', badConfig, resp]),
    // A file carries no capture time: without --now it is judged at its own IssueInstant.
    oldAtIssue: cli(['analyze', '--format', 'json', old]),
    expiredLater: cli(['analyze', '--format', 'json', '--now', new Date(t0.getTime() + 3 * 3600e3).toISOString(), old]),
    npmHelp: cli(['run', '-s', 'samlscope', '--', 'analyze', '--help'], undefined, ['npm']),
  };
  const done = await Promise.all(Object.values(jobs));
  Object.keys(jobs).forEach((k, i) => (runs[k] = done[i]!));
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('samlscope analyze (spawned)', () => {
  it('reads a request file and a response file as one SP-initiated flow, exit 0', () => {
    const r = runs.pair!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.flows).toHaveLength(1);
    expect(j.flows[0]).toMatchObject({ type: 'sp-initiated', tenantId: LAB.tenantId, messageIds: ['file:request.txt', 'file:response.txt'] });
    expect(j.messages.map((m) => [m.id, m.kind, m.ok, m.encoding, m.flowId])).toEqual([
      ['file:request.txt', 'AuthnRequest', true, 'base64-deflate', j.flows[0]!.id],
      ['file:response.txt', 'Response', true, 'base64', j.flows[0]!.id],
    ]);
    expect(j.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // The documented shape, and no more: no model, no XML without --include-xml.
    expect(Object.keys(j)).toEqual(['messages', 'flows', 'findings']);
    expect(Object.keys(j.messages[0]!).sort()).toEqual(['binding', 'encoding', 'error', 'flowId', 'id', 'kind', 'ok', 'relayState', 'summary', 'url'].sort());
  });

  it('exits 1 on a broken response and names the check in JSON', () => {
    const r = runs.brokenJson!;
    expect(r.code).toBe(1);
    const j = json(r);
    const ids = j.findings.map((f) => f.checkId);
    expect(ids).toContain('audience-mismatch');
    if (hasNameIdFormat) expect(ids).toContain('nameid-format');
    const f = j.findings.find((x) => x.checkId === 'audience-mismatch')!;
    expect(f).toMatchObject({ severity: 'error', messageId: 'file:broken.txt' });
    expect(Object.keys(f).sort()).toEqual(['checkId', 'evidence', 'fix', 'flowId', 'message', 'messageId', 'severity', 'title']);
    expect(f.evidence[0]).toMatchObject({ expected: LAB.spEntityId, actual: 'https://wrong.example/' });
    expect(f.fix).toMatch(/Identifier/);
  });

  it('writes Markdown for a ticket with the check id, the evidence table and the fix', () => {
    const r = runs.brokenMarkdown!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^# SAML sign-in report/);
    expect(r.stdout).toContain('`audience-mismatch`');
    expect(r.stdout).toContain('| Evidence | Expected | Actual | Where |');
    expect(r.stdout).toContain('`https://wrong.example/`');
    expect(r.stdout).toMatch(/\*\*Fix:\*\* .*Identifier/);
    expect(r.stdout).toContain('AWS will refuse this sign-in');
  });

  it('by default leads with the verdict naming the cause, then its evidence and fix, in about 25 lines', () => {
    const r = runs.oneError!;
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✖ AWS will refuse this sign-in: audience does not match/i);
    expect(lines.length).toBeLessThanOrEqual(25);
    const out = r.stdout;
    expect(out).toMatch(/✖ audience-mismatch/);
    expect(out).toMatch(/actual\s+https:\/\/wrong\.example\//);
    expect(out).toMatch(/\^ differs from here|\^ \(ends here/);
    expect(out).toMatch(/Fix: .*Entra admin center/);
    expect(lines.at(-1)).toMatch(/--verbose for every finding/);
    // Internal message ids are not labels.
    expect(out).not.toContain('[stdin]');
  });

  it('reads "-" from stdin and prints the text report: check id, expected / actual, fix, verdict', () => {
    const r = runs.stdinText!;
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).not.toMatch(/\x1b\[/); // NO_COLOR
    expect(out.split('\n')[0]).toMatch(/^✖ AWS will refuse this sign-in/); // the verdict leads
    expect(out).toContain('[stdin] Response');
    expect(out).toContain(`NameID ${LAB.user}`);
    expect(out).toMatch(/✖ audience-mismatch/);
    expect(out).toMatch(new RegExp(`expected\\s+${LAB.spEntityId.replace(/[.?]/g, '\\$&')}`));
    expect(out).toMatch(/actual\s+https:\/\/wrong\.example\//);
    expect(out).toMatch(/Fix: .*Entra admin center/);
    expect(out.trim().split('\n').at(-1)).toMatch(/^✖ AWS will refuse this sign-in: \d+ errors?/);
  });

  it('reports a file that is not a SAML message as a decode-error finding, exit 1', () => {
    const r = runs.garbage!;
    expect(r.code).toBe(1);
    const j = json(r);
    expect(j.messages[0]).toMatchObject({ id: 'file:garbage.bin', ok: false, kind: null });
    expect(j.messages[0]!.error?.code).toBeTruthy();
    expect(j.findings.map((f) => f.checkId)).toEqual(['decode-error']);
  });

  it('reads a HAR: flows with their steps, the Date headers and the config file', () => {
    const r = runs.har!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.messages.map((m) => [m.id, m.kind, m.binding])).toEqual([
      ['har:2', 'AuthnRequest', 'redirect'],
      ['har:3', 'Response', 'post'],
    ]);
    expect(j.flows).toHaveLength(1);
    const f = j.flows[0]!;
    expect(f).toMatchObject({ type: 'sp-initiated', awsTarget: new URL(LAB.acsUrl).host, portal: new URL(LAB.portalUrl).host, tenantId: LAB.tenantId });
    expect(f.steps.map((s) => [s.method, s.url.split('?')[0], s.status])).toEqual([
      ['GET', LAB.portalUrl, 302],
      ['GET', LAB.ssoUrl, 200],
      ['POST', LAB.acsUrl, 302],
    ]);
    expect(f.steps[0]!.messageId).toBeUndefined();
    expect(f.clockSkewSeconds).toBeGreaterThanOrEqual(2);
    expect(j.messages[1]!.relayState).toMatch(/awsapps\.com/);
  });

  it('exits 2 with one clear line for a missing file, an unknown option, a bad --config', () => {
    for (const [name, pattern] of [
      ['missing', /nope\.har: file not found/],
      ['badOption', /unknown option --colour/],
      ['badConfig', /unknown keys "acsURL", "colour"/],
    ] as const) {
      const r = runs[name]!;
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe('');
      expect(r.stderr, name).toMatch(pattern);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
    }
  });

  it('judges an old message file at its IssueInstant, and --now changes the expiry verdict', () => {
    expect(runs.oldAtIssue!.code).toBe(0);
    expect(json(runs.oldAtIssue!).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(runs.expiredLater!.code).toBe(1);
    expect(json(runs.expiredLater!).findings.filter((f) => f.severity === 'error').map((f) => f.checkId)).toEqual(['conditions-expired']);
  });

  it('runs through the npm script with no build', () => {
    expect(runs.npmHelp!.code).toBe(0);
    expect(runs.npmHelp!.stdout).toMatch(/^Usage: samlscope analyze/);
  });
});

/** main() in-process: the same code path after argv, without the process start. */
const inProcess = (argv: string[], stdin = '') => runCli(argv, { stdin });

describe('samlscope analyze (in-process)', () => {
  it('refuses mixing HAR files and message files', async () => {
    const r = await inProcess(['analyze', join(dir, 'signin.har'), join(dir, 'response.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot mix HAR files .*signin\.har.* with message files .*response\.txt/);
  });

  it('refuses a HAR with no SAML message, with a hint', async () => {
    const empty = file('empty.har', har([{ startedDateTime: new Date().toISOString(), request: { method: 'GET', url: LAB.portalUrl }, response: { status: 200 } }]));
    const r = await inProcess(['analyze', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no SAML message in 1 entry \(1 of them to Entra \/ AWS sign-in hosts\).*Preserve log/);
  });

  it('refuses JSON that is not a HAR, and bad option values', async () => {
    const notHar = file('x.json', '{"hello": 1}');
    for (const [argv, pattern] of [
      [['analyze', notHar], /not a HAR export/],
      [['analyze', '--now', 'yesterday', notHar], /--now "yesterday" is not an ISO 8601 time/],
      [['analyze', '--clock-skew', '-5', notHar], /^samlscope: option --clock-skew needs a value, and what follows it starts with "-" \(an option, not a value\); write --clock-skew=VALUE to give a value that starts with "-"\n$/],
      [['analyze', '--clock-skew=-5', notHar], /--clock-skew/],
      [['analyze', '--clock-skew', 'ten', notHar], /--clock-skew "ten" is not a number of seconds/],
      [['analyze', '--format', 'yaml', notHar], /--format "yaml"/],
      [['analyze', '--region', 'Europe', notHar], /--region "Europe" is not an AWS region/],
      [['analyze', '--max-bytes', 'lots', notHar], /--max-bytes/],
      [['analyze'], /no input given/],
      // A misspelt command is replaced, not kept as an input (found by a review).
      [['analyse', notHar], new RegExp(`^samlscope: unknown command "analyse"; did you mean: samlscope analyze ${notHar.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`)],
      [['exprt', '--format', 'har', notHar], /did you mean: samlscope export --format har /],
      [['signin.har'], /^samlscope: unknown command "signin\.har"; did you mean: samlscope analyze signin\.har\n$/],
      [['analyze', file('cut.har', '{"log": {"version": "1.2", "entries": [{"startedDateTime": "2026-')], /^samlscope: .*cut\.har: looks like JSON but ends in the middle, after 65 characters: the file was cut short/],
      [['analyze', file('broken.har', '{"log": {"entries": [}')], /^samlscope: .*broken\.har: looks like JSON but does not parse \(.*\), so it is neither a HAR/],
      [['analyze', '-', '-'], /only once/],
      [['analyze', '-'], /standard input is empty/],
      [['analyze', '--config', join(dir, 'none.json'), notHar], /--config .*none\.json: file not found/],
      [['analyze', '--config', notHar, notHar], /--config .*x\.json: unknown key "hello"/],
      [['analyze', '--config', file('c2.json', '{"clockSkewSeconds": "5"}'), notHar], /"clockSkewSeconds" must be a number/],
      [['analyze', '--config', file('c3.json', '{"spEntityId": '), notHar], /not valid JSON/],
      [['analyze', dir], /is a directory/],
    ] as [string[], RegExp][]) {
      const r = await inProcess(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(pattern);
    }
  });

  it('takes a URL or SAMLResponse=... given directly, and adds the XML on request', async () => {
    const xml = makeAuthnRequest();
    const url = `${LAB.ssoUrl}?SAMLRequest=${toRedirect(xml)}&RelayState=abc`;
    const r = await inProcess(['analyze', '--format', 'json', '--include-xml', url]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.messages[0]).toMatchObject({ id: 'arg:1', kind: 'AuthnRequest', binding: 'redirect', url: LAB.ssoUrl, relayState: 'abc' });
    expect(j.messages[0]!.xml).toContain('AuthnRequest');
  });

  it('lets flags override the config file', () => {
    const cfg = JSON.stringify({ spEntityId: 'https://from-file/', region: 'eu-west-1', expectedAccessControlKeys: ['A'] });
    const c = parseCommand(['analyze', '--config', 'c.json', '--sp-entity-id', 'https://from-flag/', '--expect-access-control', 'B, C', 'x'], () => cfg);
    expect(c.command === 'analyze' && c.options.expectations).toEqual({
      spEntityId: 'https://from-flag/',
      region: 'eu-west-1',
      expectedAccessControlKeys: ['B', 'C'],
    });
  });

  it('prints help and version with exit 0', async () => {
    expect((await inProcess(['--help'])).stdout).toMatch(/Exit codes/);
    const v = await inProcess(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^samlscope \d+\.\d+\.\d+/);
  });
});

describe('reports (lib/report)', () => {
  it('says so when there is nothing to judge, and when Entra refused', () => {
    const none = analyze({ messages: [] });
    expect(resultVerdict(none).text).toBe('No SAML messages found');
    expect(renderText(none)).toMatch(/No SAML messages found\n$/);
    const refused = analyze({
      messages: [{ id: 'r', raw: toPost(makeResponse({ status: { code: URN.responder, message: 'AADSTS50105: The signed in user is not assigned' } })) }],
    });
    expect(resultVerdict(refused)).toMatchObject({ level: 'refused', text: 'Entra refused this sign-in: AADSTS50105' });
  });

  it('never passes control characters from a capture to the terminal or raw HTML to Markdown', () => {
    expect(safeText('a\x1b[31mb\u202ec')).toBe('a\\u001b[31mb\\u202ec');
    expect(mdCode('x|`y`')).toBe('`` x\\|`y` ``');
    expect(mdCode('')).toBe('*(empty)*');
    expect(mdCode('https://a/ ')).toBe('`"https://a/ "`');
    expect(mdText('<img src=x onerror=alert(1)> [link](javascript:x)')).toBe('\\<img src=x onerror=alert(1)\\> \\[link\\](javascript:x)');
    // XML forbids C0 controls such as ESC, so a message carries the C1 CSI (U+009B), which
    // terminals also act on.
    const r = analyze({ messages: [{ id: 'evil', raw: toPost(signedResponse({ audience: '<b>x</b>|\u009b2J' })) }], expectations: { spEntityId: LAB.spEntityId } });
    expect(renderText(r)).not.toContain('\u009b');
    const md = renderMarkdown(r);
    expect(md).toContain('`<b>x</b>\\|\\u009b2J`'); // inside a code span: shown, not rendered
    expect(md.replace(/`[^`\n]*`/g, '')).not.toMatch(/(^|[^\\])<b>|\u009b/);
  });

  it('reads UTF-16 files as PowerShell writes them', () => {
    const le = new Uint8Array([0xff, 0xfe, ...Array.from('PHN=').flatMap((ch) => [ch.charCodeAt(0), 0])]);
    expect(decodeText(le)).toBe('PHN=');
    expect(decodeText(new TextEncoder().encode('\uFEFFabc'))).toBe('abc');
  });
});
