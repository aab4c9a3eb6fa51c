// A customer's HAR file holds the pages themselves: Entra's error page (its inline configuration
// carries the AADSTS code and the ids) and AWS's generic error. The CLI reads them from the
// response bodies, so support sees the same explanation the extension shows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../cli/main.ts';
import { readHar } from '../lib/har/index.ts';
import type { JsonReport } from '../lib/report/json.ts';
import { har, harEntry } from './fixtures/har.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';

const dir = mkdtempSync(join(tmpdir(), 'samlscope-page-errors-'));
afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });

const CORR = '4f1c2b3a-9e8d-4c7b-a6f5-0e1d2c3b4a59';
const REQ = 'b2a1c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const start = new Date('2026-11-25T10:00:00Z');
const at = (s: number) => new Date(start.getTime() + s * 1000);

/** The shape of Entra's error page as saved in a HAR: the error lives in the page configuration. */
const entraPage = (code: string, msg: string) =>
  `<!DOCTYPE html><html><head><title>Sign in to your account</title><script type="text/javascript">//<![CDATA[\n` +
  `$Config={"iErrorCode":${code.slice(6)},"strServiceExceptionMessage":"${code}: ${msg.replace(/'/g, '\\u0027')}","correlationId":"${CORR}","sessionId":"${REQ}","strTimestamp":"2026-11-25T10:00:02Z","urlPost":"/common/login","sFT":"secret-flow-token"};\n` +
  `//]]></script></head><body><div id="root"></div></body></html>`;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('page errors in a HAR file', () => {
  it('an SP-initiated sign-in that Entra stopped with AADSTS50105: explained, with the Correlation Id', async () => {
    const id = samlId();
    const req = toRedirect(makeAuthnRequest({ id, issueInstant: at(1) }));
    const file = join(dir, 'unassigned.har');
    writeFileSync(
      file,
      har([
        harEntry({ url: LAB.portalUrl, time: at(0), location: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}` }),
        harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}`, time: at(1), status: 200, body: entraPage('AADSTS50105', "The signed in user 'alex.morgan@contoso.com' is not assigned to a role for the application.") }),
      ]),
    );
    const r = await run(['analyze', '--format', 'json', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as JsonReport;
    const f = rep.findings[0]!;
    expect(f.checkId).toBe('entra-error');
    expect(f.title).toBe('Entra stopped the sign-in: AADSTS50105 (the user is not assigned to the app)');
    expect(f.evidence.find((e) => e.label === 'Correlation Id')?.actual).toBe(CORR);
    expect(f.evidence[0]!.label).toBe('Correlation Id');
    expect(f.evidence.find((e) => e.label === 'error on the Entra page')!.actual).toBe("AADSTS50105: The signed in user 'alex.morgan@contoso.com' is not assigned to a role for the application.");
    // Only the error is read from the page: not the flow token next to it.
    expect(r.stdout).not.toContain('secret-flow-token');
  });

  it('a HAR with only an Entra error page (AADSTS750054, no SAML message) is analysed, not refused', async () => {
    const file = join(dir, 'no-request.har');
    writeFileSync(
      file,
      har([
        harEntry({ url: `https://launcher.myapps.microsoft.com/api/signin/abc?tenantId=${LAB.tenantId}`, time: at(0), location: LAB.ssoUrl }),
        harEntry({ url: LAB.ssoUrl, time: at(1), status: 200, bodyBase64: true, body: entraPage('AADSTS750054', 'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.') }),
      ]),
    );
    const r = await run(['analyze', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Stopped at Entra: AADSTS750054 · from a My Apps tile');
    expect(r.stdout).toMatch(/^✖ Entra stopped the sign-in: AADSTS750054/m);
    expect(r.stdout).toContain('entra-error');
    expect(r.stdout).toContain(`Correlation Id: ${CORR}`);
  });

  it("AWS's generic error page after the POST: ranked causes and the CloudTrail lookup", async () => {
    const id = samlId();
    const req = toRedirect(makeAuthnRequest({ id, issueInstant: at(1) }));
    const resp = toPost(signedResponse({ inResponseTo: id, issueInstant: at(2), nameId: 'sam.lee@contoso.com' }));
    const text = har([
      harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}`, time: at(1), status: 200 }),
      harEntry({ url: LAB.acsUrl, time: at(3), status: 200, date: at(3), form: { SAMLResponse: resp }, body: "<html><body><h1>It's not you, it's us</h1><p>An unexpected error has occurred.</p></body></html>" }),
    ]);
    const parsed = readHar(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.pageErrors).toEqual([expect.objectContaining({ source: 'aws', heading: "It's not you, it's us", url: LAB.acsUrl, status: 200 })]);
    const file = join(dir, 'aws.har');
    writeFileSync(file, text);
    const r = await run(['analyze', '--format', 'json', file]);
    const rep = JSON.parse(r.stdout) as JsonReport;
    const f = rep.findings.find((x) => x.checkId === 'aws-sign-in-error')!;
    expect(f.title).toBe(`AWS refused the sign-in: "It's not you, it's us"`);
    expect(f.evidence.find((e) => e.label === 'CloudTrail lookup (AWS CLI)')?.actual).toContain('--region eu-west-1');
    expect((f as { causes?: unknown[] }).causes?.length).toBeGreaterThan(3);
  });
});
