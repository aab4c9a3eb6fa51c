// Issue 14, item 6: an export, analysed again (by a colleague, in support, by the CLI), gives the
// verdict the capture gave: the same check ids and severities, attempt by attempt, in every
// format samlscope reads back (JSON bundle, HAR) and every redaction mode. Redaction rewrites the
// messages, so their signatures no longer verify: the export carries the verdicts the original
// bytes gave, and re-analysis uses them. Runs the CLI in-process, as support would run it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../cli/main.ts';
import { labSignInHar } from '../fixtures/har.ts';
import { makeAuthnRequest, makeResponse, samlId, sign, signedResponse, toPost, toRedirect } from '../lab/factory.ts';
import { CYRILLIC_USER } from '../lab/server/scenarios.ts';
import { at } from '../clock.ts';

let dir: string;
const sources: { name: string; files: string[]; args?: string[] }[] = [];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Per attempt, in order: its check ids with severity, sorted. */
function verdicts(json: string): string[][] {
  const r = JSON.parse(json) as { flows: { id: string }[]; findings: { checkId: string; severity: string; flowId?: string }[] };
  return r.flows.map((f) =>
    r.findings
      .filter((x) => x.flowId === f.id)
      .map((x) => `${x.checkId}:${x.severity}`)
      .sort(),
  );
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-reanalysis-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const fixtures = new URL('../fixtures/sessions/', import.meta.url);
  sources.push({ name: 'recorded session (Playwright HAR, 7 attempts, Cyrillic user)', files: [file('session.har', readFileSync(new URL('session.har', fixtures), 'utf8'))] });
  sources.push({ name: 'recorded session (SAML-tracer export)', files: [file('session.json', readFileSync(new URL('session.saml-tracer.json', fixtures), 'utf8'))] });
  sources.push({
    name: 'lab HAR, wrong NameID',
    files: [file('lab.har', labSignInHar({ start: at(-60_000), response: { nameId: 'alex.m@contoso-mail.com', accessControl: { Department: 'Engineering' } } }).text)],
    args: ['--expected-username', 'alex.morgan@contoso.com'],
  });
  // Message files, as support gets them pasted: a request and its signed response, an unsigned
  // and an expired response, a response whose assertion was edited after signing.
  const reqId = samlId();
  const signed = signedResponse({
    inResponseTo: reqId,
    issueInstant: at(-30_000),
    nameId: CYRILLIC_USER.upn,
    attributes: [{ name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', values: ['Ярослава'] }],
  });
  const tampered = sign(makeResponse({ issueInstant: at(-30_000), nameId: 'jane.doe+aws@contoso.com' })).replace('jane.doe+aws@contoso.com', 'john.doe@contoso.com');
  sources.push({
    name: 'message files',
    files: [
      file('request.txt', toRedirect(makeAuthnRequest({ id: reqId, issueInstant: at(-31_000) }))),
      file('response.txt', toPost(signed)),
      file('unsigned.xml', makeResponse({ issueInstant: at(-20_000), nameId: 'jane.doe@contoso.com' })),
      file('expired.txt', toPost(signedResponse({ issueInstant: at(-7_200_000), nameId: 'jane.doe@contoso.com' }))),
      file('tampered.xml', tampered),
    ],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('re-analysing an export gives the capture’s verdict', () => {
  const modes: { redact: 'none' | 'pseudonymise' | 'remove'; flags: string[] }[] = [
    { redact: 'none', flags: [] },
    { redact: 'pseudonymise', flags: [] },
    { redact: 'pseudonymise', flags: ['--redact-tenant'] },
    { redact: 'pseudonymise', flags: ['--redact-signatures', '--redact-tenant'] },
    { redact: 'remove', flags: ['--redact-signatures', '--redact-tenant'] },
  ];
  for (const format of ['json', 'har'] as const) {
    for (const { redact, flags } of modes) {
      it(`${format}, redaction ${redact} ${flags.join(' ')}`, async () => {
        const differences: string[] = [];
        for (const s of sources) {
          const original = await run(['analyze', '--format', 'json', ...(s.args ?? []), ...s.files]);
          expect(original.code, `${s.name}: ${original.stderr}`).toBeLessThan(2);
          const out = join(dir, `export-${format}-${redact}${flags.join('')}-${sources.indexOf(s)}.${format}`);
          const exp = await run(['export', '--format', format, '--redact', redact, ...flags, '--output', out, ...(s.args ?? []), ...s.files]);
          if (redact !== 'none' && s.files.some((f) => /session|lab|response/.test(f))) {
            // The export says which verdicts are the original capture's.
            expect(readFileSync(out, 'utf8')).toMatch(/Signature verdicts of \d+ messages? are those of the original capture/);
          }
          expect(exp.code, `${s.name}: ${exp.stderr}`).toBe(0);
          const again = await run(['analyze', '--format', 'json', out]);
          expect(again.code, `${s.name}: ${again.stderr}`).toBeLessThan(2);
          // …and the re-analysis says it used them, instead of verifying rewritten bytes.
          if (redact !== 'none') expect(again.stderr).toMatch(/note: signature verdicts of \d+ messages? come from the original capture/);
          else expect(again.stderr).not.toMatch(/come from the original capture/);
          expect(again.code).toBe(original.code);
          const a = verdicts(original.stdout);
          const b = verdicts(again.stdout);
          if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${s.name}:\n  capture: ${JSON.stringify(a)}\n  export:  ${JSON.stringify(b)}`);
        }
        expect(differences.join('\n')).toBe('');
      });
    }
  }
});

describe('recorded verdicts are outside input', () => {
  it('a HAR entry whose _samlscopeSignature is not in the shape samlscope writes is ignored, with a warning, and the signature is verified as it is', async () => {
    const { readHar } = await import('../../lib/har/index.ts');
    const { text } = labSignInHar({ start: at(-60) });
    const har = JSON.parse(text) as { log: { entries: Record<string, unknown>[] } };
    const post = har.log.entries.find((e) => (e.request as { method: string }).method === 'POST')!;
    post._samlscopeSignature = { verdict: { signatures: [{ path: '/Response', status: 'valid-ish' }] } };
    const r = readHar(JSON.stringify(har));
    if (!r.ok) throw new Error(r.message);
    expect(r.messages.every((m) => m.recordedSignature === undefined)).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/1 recorded signature verdict was ignored, not being in the shape samlscope writes \(entry \d+: has a verdict whose signatures/);
  });

  it('a bundle whose recordedSignature is malformed is refused, naming the field', async () => {
    const { readBundle } = await import('../../lib/evidence/bundle.ts');
    const out = join(dir, 'bad-bundle.json');
    const exp = await run(['export', '--format', 'json', '--redact', 'pseudonymise', '--output', out, sources[2]!.files[0]!]);
    expect(exp.code).toBe(0);
    const b = JSON.parse(readFileSync(out, 'utf8')) as { input: { messages: { recordedSignature?: unknown }[] } };
    const m = b.input.messages.find((x) => x.recordedSignature)!;
    expect(m).toBeTruthy();
    m.recordedSignature = { verdict: { signatures: 'valid' } };
    const r = readBundle(JSON.stringify(b));
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(/input\.messages\[\d+\]\.recordedSignature has a verdict whose signatures are not in the shape samlscope writes/);
  });

  it('a pasted message exported as HAR reads back without the host, method and time the HAR had to fill in', async () => {
    const out = join(dir, 'pasted.har');
    const exp = await run(['export', '--format', 'har', '--redact', 'none', '--output', out, ...sources[3]!.files]);
    expect(exp.code).toBe(0);
    const { readHar } = await import('../../lib/har/index.ts');
    const r = readHar(readFileSync(out, 'utf8'));
    if (!r.ok) throw new Error(r.message);
    expect(r.messages).toHaveLength(5);
    expect(r.steps).toEqual([]);
    for (const m of r.messages) {
      expect(m.url).toBeUndefined();
      expect(m.time).toBeUndefined();
      expect(m.binding).toBeUndefined();
    }
  });
});
