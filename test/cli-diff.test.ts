// `samlscope diff GOOD BAD`, run in-process through main() on real files written to a temp dir:
// HAR vs HAR, message vs message (base64, XML, URL), bundle vs message, SAML-tracer vs HAR,
// choosing a flow, the three formats, and unusable input (exit 2, one line, no stack trace).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../cli/main.ts';
import { LAB, makeAuthnRequest, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { labSignInHar } from './fixtures/har.ts';

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function run(argv: string[], o: { stdin?: string; color?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => o.stdin ?? '', color: !!o.color };
  const t = performance.now();
  const code = await main(argv, io);
  return { code, stdout, stderr, ms: performance.now() - t };
}

/** Exit 2 with one line on stderr, no stack trace, nothing on stdout. */
function refused(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^samlscope: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

const t0 = new Date(Date.now() - 3600e3);
t0.setMilliseconds(0);
const slash = `${LAB.spEntityId}/`;
const P: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-diff-'));
  P.goodHar = file('good.har', labSignInHar({ start: t0 }).text);
  P.badHar = file('bad.har', labSignInHar({ start: new Date(t0.getTime() + 600e3), response: { audience: slash } }).text);
  // Two sign-ins in one HAR: clean first, the trailing-slash audience second.
  const one = JSON.parse(labSignInHar({ start: t0 }).text);
  one.log.entries.push(...JSON.parse(labSignInHar({ start: new Date(t0.getTime() + 1200e3), response: { audience: slash } }).text).log.entries);
  P.twoHar = file('two.har', JSON.stringify(one));
  P.goodB64 = file('good.txt', toPost(signedResponse({ issueInstant: t0 })));
  P.badXml = file('bad.xml', signedResponse({ issueInstant: t0, nameId: 'alex.m@contoso-mail.com', upn: LAB.user }));
  P.badSp = file('bad-sp.xml', signedResponse({ issueInstant: t0, nameId: 'alex.m@contoso-mail.com', upn: LAB.user, inResponseTo: '_an-sp-initiated-request' }));
  P.badUrl = file('bad-url.txt', `${LAB.acsUrl}?SAMLResponse=${encodeURIComponent(toPost(signedResponse({ issueInstant: t0, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' })))}`);
  P.garbage = file('garbage.txt', 'this is not a SAML message at all, just noise');
  P.request = file('request.txt', toRedirect(makeAuthnRequest()));
  P.tracer = file(
    'tracer.json',
    JSON.stringify({
      requests: [
        {
          requestId: 'request-1-POST-abc',
          method: 'POST',
          url: LAB.acsUrl,
          requestHeaders: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
          post: [['SAMLResponse', toPost(signedResponse({ issueInstant: t0, inResponseTo: '_a-request' }))]],
          protocol: 'SAML-P',
          responseStatus: 302,
          responseStatusText: 'HTTP/1.1 302 Found',
          responseHeaders: [{ name: 'Date', value: new Date(t0.getTime() + 1000).toUTCString() }],
        },
      ],
      timestamp: t0.toISOString(),
    }),
  );
  // An evidence bundle, written by samlscope export from the clean HAR.
  P.bundle = join(dir, 'good.samlscope.json');
  const e = await run(['export', '--format', 'json', '--redact', 'none', '-o', P.bundle, P.goodHar!]);
  expect(e.code, e.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('samlscope diff', () => {
  it('HAR vs HAR: the one differing field, the rest folded; exit 1', async () => {
    const r = await run(['diff', P.goodHar!, P.badHar!]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Known-good: .*good\.har · flow 1 of 1 · SP-initiated · .* · no errors\nFailing: {4}.*bad\.har · flow 1 of 1 · SP-initiated · .* · 1 error\n/);
    // Where the values start to differ is marked, as analyze marks it.
    expect(r.stdout).toContain(`      failing     ${slash}\n${' '.repeat(18 + LAB.spEntityId.length)}^ differs from here\n`);
    expect(r.stdout).toContain(`Conditions\n  ≠ Audience (changed)\n      known-good  ${LAB.spEntityId}\n      failing     ${slash}\n`);
    expect(r.stdout).toMatch(/\n1 field differs; (\d+) fields are the same \(--all shows them\)\.\n$/);
    expect(r.stdout.split('\n').slice(2).join('\n')).not.toContain('NameID');
    expect(r.stdout).not.toContain('\x1b[');
    const all = await run(['diff', '--all', P.goodHar!, P.badHar!]);
    expect(all.stdout).toContain(`  = NameID: ${LAB.user}`);
    expect(all.stdout).not.toContain('--all shows them');
    const color = await run(['diff', P.goodHar!, P.badHar!], { color: true });
    expect(color.stdout).toContain('\x1b[33m≠\x1b[0m');
  });

  it('the same HAR on both sides: no difference, exit 0', async () => {
    const r = await run(['diff', P.goodHar!, P.goodHar!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nNo difference: \d+ fields are the same\.\n$/);
  });

  it('a HAR with two sign-ins: the latest failing one is compared and named on stderr; --bad-flow chooses; a wrong choice lists the flows', async () => {
    const r = await run(['diff', P.goodHar!, P.twoHar!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^samlscope: note: .*two\.har holds 2 sign-ins with a Response; the failing one is the latest with errors: flow 2 of 2 · SP-initiated · .* \(choose another with --bad-flow N\)\n$/);
    expect(r.stdout).toContain('≠ Audience (changed)');
    const first = await run(['diff', '--bad-flow', '1', P.goodHar!, P.twoHar!]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Failing: {4}.*two\.har · flow 1 of 2 /);
    const wrong = await run(['diff', '--bad-flow', '3', P.goodHar!, P.twoHar!]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^samlscope: .*two\.har: there is no flow 3; its flows:\n {2}1\. flow 1 of 2 · SP-initiated .*\n {2}2\. flow 2 of 2 · SP-initiated .*1 error\n$/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });

  it('the known-good side of a HAR whose last sign-in failed: its latest without errors, not the last (found by a review)', async () => {
    // two.har: flow 1 clean, flow 2 with an error. As GOOD, flow 2 was compared as "known-good".
    const r = await run(['diff', P.twoHar!, P.badHar!]);
    expect(r.stderr).toMatch(/^samlscope: note: .*two\.har holds 2 sign-ins with a Response; the known-good one is the latest without errors: flow 1 of 2 · SP-initiated · [^\n]* \(choose another with --good-flow N\)\n$/);
    expect(r.stdout).toMatch(/Known-good: .*two\.har · flow 1 of 2 /);
    // Both sides from the same file: each takes its own kind.
    const both = await run(['diff', P.twoHar!, P.twoHar!]);
    expect(both.stdout).toMatch(/Known-good: .*two\.har · flow 1 of 2 /);
    expect(both.stdout).toMatch(/Failing: {4}.*two\.har · flow 2 of 2 /);
  });

  it('message vs message: base64 against XML, and against a URL; JSON lists every row', async () => {
    const r = await run(['diff', '--format', 'json', P.goodB64!, P.badXml!]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.differences).toBe(1);
    expect(j.rows.filter((x: { change: string }) => x.change !== 'same')).toEqual([{ group: 'subject', field: 'NameID', good: LAB.user, bad: 'alex.m@contoso-mail.com', change: 'changed' }]);
    expect(j.rows.length).toBe(j.same + 1);
    expect(j.good).toMatchObject({ messageId: 'file:good.txt', flowNumber: 1 });
    const url = await run(['diff', P.goodB64!, P.badUrl!]);
    expect(url.code).toBe(1);
    expect(url.stdout).toContain('≠ NameID Format (changed)');
  });

  it('bundle vs message, SAML-tracer vs HAR; Markdown for a ticket', async () => {
    const r = await run(['diff', '--format', 'markdown', P.bundle!, P.badSp!]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^## Two SAML sign-ins compared\n\n- \*\*Known-good:\*\* `.*good\.samlscope\.json`, flow 1 of 1/);
    expect(r.stdout).toContain('| Subject: `NameID` | `alex.morgan@contoso.com` | `alex.m@contoso-mail.com`<br>differs from character 7: `…@contoso-mail.com` | **changed** |');
    expect(r.stdout.match(/^\| (Message|Subject|Conditions|Signature|Attributes|Authentication):/gm)).toHaveLength(1);
    const t = await run(['diff', P.tracer!, P.badHar!]);
    expect(t.code, t.stderr).toBe(1);
    expect(t.stdout).toMatch(/^Known-good: .*tracer\.json · flow 1 of 1 /);
    expect(t.stdout).toContain('≠ Audience (changed)');
    expect(t.stdout).toMatch(/\n1 field differs;/);
  });

  it('standard input for one side', async () => {
    const r = await run(['diff', '-', P.badXml!], { stdin: toPost(signedResponse({ issueInstant: t0 })) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Known-good: standard input · /);
  });

  it('refuses unusable input and options: exit 2, one line on stderr', async () => {
    refused(await run(['diff', P.goodB64!, P.garbage!]), /^samlscope: .*garbage\.txt: not a readable SAML message \(bad-base64: [^\n]*\)\n$/);
    refused(await run(['diff', P.goodB64!, join(dir, 'missing.har')]), /missing\.har: file not found\n$/);
    refused(await run(['diff', P.goodB64!, P.request!]), /request\.txt: no sign-in with a SAML Response \(or an AuthnRequest Entra refused\) to compare \(it holds: AuthnRequest\)\n$/);
    refused(await run(['diff', P.goodB64!]), /^samlscope: diff needs two inputs, the known-good sign-in then the failing one: samlscope diff GOOD BAD \(got 1\)\n$/);
    refused(await run(['diff', P.goodB64!, P.badXml!, P.badUrl!]), /diff compares two inputs/);
    refused(await run(['diff', '--format', 'xml', P.goodB64!, P.badXml!]), /^samlscope: --format "xml" is not one of text, markdown, json\n$/);
    refused(await run(['diff', '--colour', P.goodB64!, P.badXml!]), /^samlscope: unknown option --colour \(see samlscope diff --help\)\n$/);
    refused(await run(['diff', '--good-flow', '0', P.goodB64!, P.badXml!]), /--good-flow needs a flow number/);
    refused(await run(['diff', '-', '-']), /"-" \(standard input\) can be given for one side only/);
    refused(await run(['diff', file('x.json', '{"hello": 1}'), P.badXml!]), /x\.json: JSON, but not a HAR export/);
    for (const r of [await run(['diff', P.goodB64!, P.garbage!]), await run(['diff', P.goodB64!])]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('has help, and the main help points to it', async () => {
    const h = await run(['diff', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: samlscope diff \[options\] GOOD BAD\n/);
    expect(h.stdout).toContain('--good-flow N|ID');
    expect((await run(['--help'])).stdout).toContain('samlscope diff --help');
  });

  it('is quick: a HAR pair compares in well under a second in-process', async () => {
    const r = await run(['diff', P.goodHar!, P.badHar!]);
    expect(r.ms).toBeLessThan(1000);
  });
});


describe('samlscope diff and the errors pages showed', () => {
  it('counts an AWS error page on the failing side, and notes GOOD and BAD swapped', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../cli/main.ts');
    const { har, harEntry } = await import('./fixtures/har.ts');
    const { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } = await import('./lab/factory.ts');
    const dir = mkdtempSync(join(tmpdir(), 'samlscope-diff-pe-'));
    const at = (s: number) => new Date(Date.parse('2026-11-25T10:00:00Z') + s * 1000);
    const file = (name: string, nameId: string, body?: string) => {
      const id = samlId();
      const req = toRedirect(makeAuthnRequest({ id, issueInstant: at(0) }));
      const resp = toPost(signedResponse({ inResponseTo: id, issueInstant: at(1), nameId }));
      writeFileSync(
        join(dir, name),
        har([
          harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}`, time: at(0), status: 200 }),
          harEntry({ url: LAB.acsUrl, time: at(2), status: body ? 200 : 302, date: at(2), form: { SAMLResponse: resp }, ...(body ? { body } : { location: LAB.portalUrl }) }),
        ]),
      );
      return join(dir, name);
    };
    const good = file('good.har', LAB.user);
    const bad = file('bad.har', 'sam.lee@contoso.com', '<h1>An unexpected error has occurred</h1>');
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false });
      return { code, stdout, stderr };
    };
    const r = await run(['diff', good, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 error/);
    expect(r.stderr).not.toMatch(/wrong way round/);
    const swapped = await run(['diff', bad, good]);
    expect(swapped.stderr).toMatch(/are GOOD and BAD the wrong way round\?/);
  });
});
