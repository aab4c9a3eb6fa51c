// Session and state tokens in URLs (a portal's session, a workflow state handle, an OAuth code)
// are replaced in a redacted export like SessionIndex (found by a review: the lab portal's
// ?lab-session=… stayed in 12 places of a HAR and a JSON export redacted with "remove").
// Run on files written by other people's code: Playwright's HAR and SAML-tracer's export.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-run.ts';

const ROOT = new URL('../fixtures/sessions/', import.meta.url).pathname;
const tokensIn = (text: string) => [...new Set(text.match(/lab-session=[A-Za-z0-9_-]{16,}/g) ?? [])];

async function exportOf(file: string, args: string[]): Promise<string> {
  const r = await runCli(['export', ...args, file]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('session tokens in URLs', () => {
  for (const file of ['session.har', 'session.saml-tracer.json']) {
    it(`${file}: kept as captured without redaction, replaced in every format with it`, async () => {
      const path = ROOT + file;
      const original = tokensIn(readFileSync(path, 'utf8'));
      expect(original.length).toBeGreaterThanOrEqual(4);
      expect(tokensIn(await exportOf(path, ['--format', 'json', '--redact', 'none']))).toStrictEqual(expect.arrayContaining(original));
      for (const format of ['har', 'json', 'markdown']) {
        for (const redact of ['pseudonymise', 'remove']) {
          const out = await exportOf(path, ['--format', format, '--redact', redact]);
          const left = original.filter((t) => out.includes(t.slice('lab-session='.length)));
          expect(left, `${format} ${redact}`).toStrictEqual([]);
          if (format !== 'markdown') {
            // The parameter stays, with a look-alike (or masked) value, and the export says what it replaced.
            expect(out, `${format} ${redact}`).toMatch(/lab-session=/);
            expect(out).toContain('session and state tokens in URLs');
          }
        }
      }
    });
  }
});

describe('which URL parameters are tokens', () => {
  it('long values of session, state, handle, nonce, code and ctx parameters are replaced everywhere they appear; short flags and correlation ids stay', async () => {
    const { Redactor } = await import('../../lib/evidence/redact.ts');
    const r = new Redactor({ mode: 'remove' });
    const url =
      'https://us-east-1.signin.aws/platform/login?workflowStateHandle=c2a1f7e0b9d84e6a8f3b2d1c0e9f8a7b&state=1&code=SplxlOBeZQQYbYS6WxSbIA' +
      '&client-request-id=6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f&sso_nonce=AwABEgEAAAADAOz_BQD0_2x&ctx=rQQIARAAhZKxa9tAFMY&lab-scenario=expired';
    r.collectUrl(url);
    const params = (u: string) => Object.fromEntries(new URL(u).searchParams);
    const before = params(url);
    const after = params(r.url(url));
    for (const k of ['workflowStateHandle', 'code', 'sso_nonce', 'ctx']) {
      expect(after[k], k).not.toBe(before[k]);
      expect(after[k]!.length, k).toBe(before[k]!.length);
      expect(after[k], k).toMatch(/^[x0X_-]+$/);
    }
    for (const k of ['state', 'client-request-id', 'lab-scenario']) expect(after[k], k).toBe(before[k]);
    // The same token elsewhere (a redirect's Location) gets the same replacement.
    expect(r.text('→ https://d-1.awsapps.com/start/?s=c2a1f7e0b9d84e6a8f3b2d1c0e9f8a7b')).toBe(`→ https://d-1.awsapps.com/start/?s=${after.workflowStateHandle}`);
  });
});
