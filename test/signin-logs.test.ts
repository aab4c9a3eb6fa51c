// Sign-in logs of both clouds, read as really exported and joined to the captured attempts:
// published samples (test/fixtures/signin-logs, sources in its README) and files the lab writes in
// those formats for its scenarios (test/lab/logs.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.ts';
import { readSignInLog, type SignInLogRecord } from '../lib/logs/signin.ts';
import { causeOfCloudTrail } from '../lib/logs/cloudtrail-causes.ts';
import { withSignInLogs } from '../lib/logs/apply.ts';
import { analyze, type AnalysisResult } from '../lib/analyze.ts';
import { readHar } from '../lib/har/index.ts';
import type { JsonReport } from '../lib/report/json.ts';
import { at } from './clock.ts';
import { har, harEntry } from './fixtures/har.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { cloudTrailEvent, entraSignInCsv, graphSignIns, lookupEventsOutput, lookupEventsText } from './lab/logs.ts';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/signin-logs/${f}`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'samlscope-signin-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ok(text: string, origin = 'x') {
  const r = readSignInLog(text, origin);
  if (!r.ok) throw new Error(r.message);
  return r;
}

const run = (argv: string[]) => runCli(argv);

describe('published samples', () => {
  it("Graph's List signIns example (printed with a trailing comma): one successful sign-in, ids and user read", () => {
    const r = ok(fixture('graph-signin-list-v1.json'), 'graph.json');
    expect(r.format).toBe('entra-graph');
    expect(r.notes.join(' ')).toMatch(/1 trailing comma ignored/);
    expect(r.notes.join(' ')).toMatch(/more pages \(@odata.nextLink\)/);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({
      source: 'entra',
      outcome: 'success',
      time: '2020-03-13T19:15:41.619Z',
      user: 'testaccount1@contoso.com',
      app: 'Graph explorer',
      correlationId: 'd79f5bee-5860-4832-928f-3133e22ae912',
      requestId: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
    });
    expect(r.records[0]!.code).toBeUndefined();
  });

  it("AWS's successful external-IdP UserAuthentication event: success, the NameID as UserName, region", () => {
    const r = ok(fixture('aws-userauthentication-external-idp.json'), 'ct.json');
    expect(r).toMatchObject({ source: 'cloudtrail', format: 'cloudtrail-event' });
    expect(r.records[0]).toMatchObject({ outcome: 'success', eventName: 'UserAuthentication', user: 'bobsmith@example.com', region: 'us-east-1', credentialType: 'EXTERNAL_IDP', time: '2020-12-07T20:34:09.000Z' });
  });

  it("AWS's failed-password sequence as a CloudTrail file, trailing commas as printed: two records, the failure read", () => {
    const r = ok(fixture('aws-failed-password.json'), 'trail.json');
    expect(r.format).toBe('cloudtrail-file');
    expect(r.notes.join(' ')).toMatch(/2 trailing commas ignored/);
    expect(r.records.map((x) => [x.eventName, x.outcome])).toEqual([['CredentialChallenge', 'success'], ['CredentialVerification', 'failure']]);
  });

  it('a real (redacted) ExternalIdPDirectoryLogin failure: AWS\'s words read, and they name the stale-request cause', () => {
    const r = ok(fixture('panther-externalidp-failure.json'), 'paste');
    const rec = r.records[0]!;
    expect(rec).toMatchObject({ outcome: 'failure', eventName: 'ExternalIdPDirectoryLogin', reason: 'Not a valid response for the provided request id: aws_ccV60redacted' });
    expect(rec.time).toBeUndefined();
    expect(r.notes.join(' ')).toMatch(/no readable eventTime/);
    expect(causeOfCloudTrail(rec)).toBe('request-id');
  });

  it("the Entra admin center's CSV (its published 56-column header, a duplicated column, 'Application ID ' with a space)", () => {
    const csv = entraSignInCsv([
      { time: at(1), user: 'Ивана.Петрова@contoso.com', correlationId: 'C0A1B2C3-0000-4000-8000-000000000001', requestId: 'r-1', errorCode: 50105, failureReason: "The signed in user 'Ивана.Петрова@contoso.com' is not assigned to a role for the application, \"AWS\"." },
      { time: at(2), user: 'alex.morgan@contoso.com', correlationId: 'c0a1b2c3-0000-4000-8000-000000000002', requestId: 'r-2', errorCode: 0 },
    ]);
    const r = ok(csv, 'InteractiveSignIns.csv');
    expect(r.format).toBe('entra-csv');
    expect(r.records[0]).toMatchObject({ outcome: 'failure', code: 'AADSTS50105', user: 'Ивана.Петрова@contoso.com', correlationId: 'c0a1b2c3-0000-4000-8000-000000000001', appId: 'a5f8c1d2-3b4e-4f60-8a71-9c0d1e2f3a4b', origin: 'InteractiveSignIns.csv:2' });
    expect(r.records[0]!.reason).toContain('"AWS"');
    expect(r.records[1]).toMatchObject({ outcome: 'success', user: 'alex.morgan@contoso.com' });
  });

  it('lookup-events output, its text form and Log Analytics rows are read; other services are counted, not mixed in', () => {
    const evs = [cloudTrailEvent({ time: at(5), user: 'a@contoso.com', errorMessage: 'Not a valid response for the provided request id: x', id: '1' }), cloudTrailEvent({ time: at(9), user: 'a@contoso.com', id: '2' })];
    const withOther = JSON.parse(lookupEventsOutput(evs)) as { Events: Record<string, unknown>[] };
    withOther.Events.push({ EventName: 'CreateUser', CloudTrailEvent: JSON.stringify({ eventName: 'CreateUser', eventSource: 'identitystore.amazonaws.com', eventTime: at(6).toISOString() }) });
    const a = ok(JSON.stringify(withOther), 'lookup.json');
    expect(a.format).toBe('cloudtrail-lookup');
    expect(a.records.map((x) => x.outcome)).toEqual(['failure', 'success']);
    expect(a.notes.join(' ')).toMatch(/1 event of other AWS services left out .*identitystore\.amazonaws\.com CreateUser ×1/);
    const b = ok(lookupEventsText(evs), 'events.txt');
    expect(b.format).toBe('cloudtrail-text');
    expect(b.records).toHaveLength(2);
    const la = ok(JSON.stringify([{ TimeGenerated: at(3).toISOString(), OperationName: 'Sign-in activity', ResultType: '50105', ResultDescription: 'not assigned', UserPrincipalName: 'a@contoso.com', CorrelationId: 'ABC', AppDisplayName: 'AWS IAM Identity Center' }]), 'la.json');
    expect(la.records[0]).toMatchObject({ format: 'entra-log-analytics', code: 'AADSTS50105', correlationId: 'abc' });
  });

  it('every unreadable input gets one specific reason', () => {
    const bad = (t: string) => {
      const r = readSignInLog(t, 'f');
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.message;
    };
    expect(bad('')).toMatch(/empty/);
    expect(bad('{"a": 1}')).toMatch(/neither an Entra sign-in log .* nor CloudTrail events/);
    expect(bad('{"value": []}')).toMatch(/no records/);
    expect(bad('{"Records":[{"eventName":"CreateUser","eventSource":"iam.amazonaws.com","eventTime":"2024-01-01T00:00:00Z"}]}')).toMatch(/none from signin\.amazonaws\.com/);
    expect(bad('{"eventName": ')).toMatch(/not valid JSON/);
    expect(bad('Name,Value\nx,y\n')).toMatch(/neither JSON nor an Entra sign-in log CSV/);
  });
});

describe('joined to the captured attempts (CLI)', () => {
  const CORR = '4f1c2b3a-9e8d-4c7b-a6f5-0e1d2c3b4a59';
  const entraPage = (code: string) =>
    `<!DOCTYPE html><html><head><script>//<![CDATA[\n$Config={"iErrorCode":${code.slice(6)},"strServiceExceptionMessage":"${code}: The signed in user is not assigned to a role for the application.","correlationId":"${CORR}","sessionId":"5b2a1c3d-e5f6-4a7b-8c9d-0e1f2a3b4c5d","strTimestamp":"2026-11-25T10:00:02Z"};\n//]]></script></head><body></body></html>`;
  const awsPage = "<html><body><h1>It's not you, it's us</h1><p>An unexpected error has occurred.</p></body></html>";

  /** Three retries in one tab for the same user, each refused by AWS, then a fourth stopped at Entra. */
  function session(user: string) {
    const entries: Record<string, unknown>[] = [];
    const posted: Date[] = [];
    for (let i = 0; i < 3; i++) {
      const t = 20 * i;
      const id = samlId();
      const req = toRedirect(makeAuthnRequest({ id, issueInstant: at(t + 1) }));
      const resp = toPost(signedResponse({ inResponseTo: id, issueInstant: at(t + 2), nameId: user }));
      entries.push(harEntry({ url: LAB.portalUrl, time: at(t), location: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}` }));
      entries.push(harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}`, time: at(t + 1), status: 200 }));
      entries.push(harEntry({ url: LAB.acsUrl, time: at(t + 3), status: 200, date: at(t + 3), form: { SAMLResponse: resp }, body: awsPage }));
      posted.push(at(t + 3));
    }
    const id = samlId();
    const req = toRedirect(makeAuthnRequest({ id, issueInstant: at(71) }));
    entries.push(harEntry({ url: LAB.portalUrl, time: at(70), location: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}` }));
    entries.push(harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}`, time: at(71), status: 200, body: entraPage('AADSTS50105') }));
    return { text: har(entries), posted };
  }

  it('retries in one HAR + CloudTrail lookup-events + Entra CSV: each attempt gets its own records; AWS\'s words confirm the cause', async () => {
    const user = 'alex.morgan@contoso.com';
    const s = session(user);
    writeFileSync(join(dir, 'sign-in.har'), s.text);
    const events = s.posted.map((p, i) => cloudTrailEvent({ time: new Date(p.getTime() + 1000), user, errorMessage: `Not a valid response for the provided request id: aws_${i}`, id: `a${i}` }));
    events.push(cloudTrailEvent({ time: at(30), user: 'someone.else@contoso.com', errorMessage: 'Not a valid response for the provided request id: other', id: 'other' }));
    writeFileSync(join(dir, 'cloudtrail.json'), lookupEventsOutput(events));
    writeFileSync(
      join(dir, 'signins.csv'),
      entraSignInCsv([
        { time: at(72), user, correlationId: CORR, requestId: 'b0000000-0000-4000-8000-000000000001', errorCode: 50105, failureReason: 'The signed in user is not assigned to a role for the application.' },
        { time: at(1), user, correlationId: 'c0000000-0000-4000-8000-000000000001', requestId: 'b0000000-0000-4000-8000-000000000002', errorCode: 0 },
        { time: at(2), user, correlationId: 'c0000000-0000-4000-8000-000000000009', requestId: 'b0000000-0000-4000-8000-000000000009', errorCode: 0, app: 'Office 365 Exchange Online' },
      ]),
    );
    const r = await run(['analyze', '--format', 'json', join(dir, 'sign-in.har'), join(dir, 'cloudtrail.json'), join(dir, 'signins.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cloudtrail\.json: CloudTrail sign-in events, 4 records/);
    const rep = JSON.parse(r.stdout) as JsonReport;
    expect(rep.flows).toHaveLength(4);
    // Each refused attempt: its own ExternalIdPDirectoryLogin, by user and time.
    for (let i = 0; i < 3; i++) {
      const logs = rep.flows[i]!.signInLogs!.filter((l) => l.source === 'cloudtrail');
      expect(logs.map((l) => l.reason)).toEqual([`Not a valid response for the provided request id: aws_${i}`]);
    }
    // The Entra success record joins the first attempt; the Exchange one joins nothing.
    expect(rep.flows[0]!.signInLogs!.filter((l) => l.source === 'entra').map((l) => l.requestId)).toEqual(['b0000000-0000-4000-8000-000000000002']);
    // The attempt stopped at Entra: joined by the Correlation Id its page showed.
    expect(rep.flows[3]!.signInLogs!.map((l) => l.code)).toEqual(['AADSTS50105']);
    const entra = rep.findings.find((f) => f.checkId === 'entra-error')!;
    expect(entra.evidence.some((e) => e.label.startsWith('Entra sign-in log') && /Failure AADSTS50105/.test(e.actual ?? ''))).toBe(true);
    // The AWS errors: the CloudTrail record turns the ranked causes into a confirmed one.
    const aws = rep.findings.filter((f) => f.checkId === 'aws-sign-in-error');
    expect(aws).toHaveLength(3);
    for (const f of aws) {
      expect(f.title).toBe(`AWS refused the sign-in: "It's not you, it's us" (cause confirmed by CloudTrail)`);
      expect(f.causes![0]!.likelihood).toBe('confirmed');
      expect(f.causes![0]!.confirmedBy).toBe('cloudtrail');
      expect(f.causes![0]!.cause).toMatch(/does not answer the AuthnRequest/);
      expect(f.causes![0]!.basis).toMatch(/^AWS's CloudTrail record of this sign-in says so: "Not a valid response/);
      expect(f.causes!.filter((c) => c.likelihood === 'confirmed')).toHaveLength(1);
    }
    // Nothing given is lost: the other user's event and the Exchange sign-in are listed apart.
    expect(rep.unmatchedLogs!.map((l) => l.user ?? '').sort()).toEqual(['alex.morgan@contoso.com', 'someone.else@contoso.com']);

    const md = await run(['analyze', '--format', 'markdown', join(dir, 'sign-in.har'), join(dir, 'cloudtrail.json'), join(dir, 'signins.csv')]);
    expect(md.stdout).toContain('### Sign-in logs');
    expect(md.stdout).toContain('## Sign-in log records not joined to a captured sign-in');
    // The brief text names the confirmed cause in the attempt's line; --verbose shows the records.
    const txt = await run(['analyze', join(dir, 'sign-in.har'), join(dir, 'cloudtrail.json')]);
    expect(txt.stdout).toMatch(/✖ AWS refused the sign-in: the response does not answer the AuthnRequest.*\(confirmed by AWS's CloudTrail record\)/i);
    const verbose = await run(['analyze', '--verbose', join(dir, 'sign-in.har'), join(dir, 'cloudtrail.json')]);
    expect(verbose.stdout).toMatch(/sign-in logs:\n\s+CloudTrail ExternalIdPDirectoryLogin Failure/);
    expect(verbose.stdout).toMatch(/1\. \[confirmed by AWS's CloudTrail record\] The response does not answer the AuthnRequest/);
  });

  it('a HAR whose pages were not saved: the CloudTrail failure alone makes the AWS finding, and a Graph Entra failure an Entra one', async () => {
    const user = 'sam.lee@contoso.com';
    const id = samlId();
    const req = toRedirect(makeAuthnRequest({ id, issueInstant: at(1) }));
    const resp = toPost(signedResponse({ inResponseTo: id, issueInstant: at(2), nameId: user }));
    const id2 = samlId();
    const req2 = toRedirect(makeAuthnRequest({ id: id2, issueInstant: at(40) }));
    writeFileSync(
      join(dir, 'bare.har'),
      har([
        harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req)}`, time: at(1), status: 200 }),
        harEntry({ url: LAB.acsUrl, time: at(3), status: 200, form: { SAMLResponse: resp } }),
        harEntry({ url: `${LAB.ssoUrl}?SAMLRequest=${encodeURIComponent(req2)}`, time: at(40), status: 200 }),
      ]),
    );
    writeFileSync(join(dir, 'events.txt'), lookupEventsText([cloudTrailEvent({ time: at(4), user: user.toUpperCase(), errorMessage: 'Not a valid response for the provided request id: z', id: 'z' })]));
    writeFileSync(join(dir, 'graph.json'), graphSignIns([{ time: at(41), user, correlationId: 'c1', requestId: 'r1', errorCode: 50105, failureReason: 'not assigned' }]));
    const r = await run(['analyze', '--format', 'json', join(dir, 'bare.har'), join(dir, 'events.txt'), join(dir, 'graph.json')]);
    const rep = JSON.parse(r.stdout) as JsonReport;
    const aws = rep.findings.find((f) => f.checkId === 'aws-sign-in-error')!;
    expect(aws.title).toBe('AWS refused the sign-in: CloudTrail ExternalIdPDirectoryLogin Failure (cause confirmed by CloudTrail)');
    expect(aws.message).toMatch(/^AWS's CloudTrail recorded a failed sign-in/);
    const entra = rep.findings.find((f) => f.checkId === 'entra-error')!;
    expect(entra.title).toBe("Entra's sign-in log records a failure: AADSTS50105 (the user is not assigned to the app)");
    expect(entra.flowId).toBe(rep.flows[1]!.id);
  });

  it('sign-in logs alone: every record listed, none lost; a broken log file is a usage error that says why', async () => {
    const r = await run(['analyze', join(dir, 'cloudtrail.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4 CloudTrail events fit no captured sign-in/);
    writeFileSync(join(dir, 'broken.json'), '{"Records": [{"eventName": "CreateUser", "eventSource": "iam.amazonaws.com", "eventTime": "2024-01-01T00:00:00Z"}]}');
    const b = await run(['analyze', join(dir, 'sign-in.har'), join(dir, 'broken.json')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/broken\.json: looks like a sign-in log but cannot be read: CloudTrail events, but none from signin\.amazonaws\.com/);
  });
});

describe('logs added to an analysis already made (the full view)', () => {
  it('withSignInLogs gives what analyze() with the logs gives, and removing them gives the first analysis back', () => {
    const parsed = readHar(readFileSync(join(dir, 'sign-in.har'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const records = [
      ...ok(readFileSync(join(dir, 'cloudtrail.json'), 'utf8'), 'cloudtrail.json').records,
      ...ok(readFileSync(join(dir, 'signins.csv'), 'utf8'), 'signins.csv').records,
    ];
    const input = { messages: parsed.messages, steps: parsed.steps, pageErrors: parsed.pageErrors };
    const plain = analyze(input);
    const direct = analyze({ ...input, signInLogs: records });
    const added = withSignInLogs(plain, records);
    const view = (r: AnalysisResult) => ({
      findings: r.findings.map((f) => [f.checkId, f.title, f.causes?.[0]?.likelihood ?? '']),
      logs: r.flows.map((f) => (f.signInLogs ?? []).map((l) => l.id)),
      unmatched: (r.unmatchedLogs ?? []).map((l) => l.id),
    });
    expect(view(added)).toEqual(view(direct));
    const removed = withSignInLogs(added, []);
    expect(view(removed).findings).toEqual(view(plain).findings);
  });
});

describe('evidence bundle and ticket', () => {
  it('the bundle carries the logs, pseudonymised with the capture, and re-imports to the same joins; the ticket shows them', async () => {
    // Uses the files the first CLI test wrote.
    const out = join(dir, 'bundle.samlscope.json');
    const e = await run(['export', '--format', 'json', '--redact', 'pseudonymise', '--output', out, join(dir, 'sign-in.har'), join(dir, 'cloudtrail.json'), join(dir, 'signins.csv')]);
    expect(e.stderr).toMatch(/wrote/);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('alex.morgan');
    expect(text).not.toContain('someone.else');
    const b = JSON.parse(text) as { input: { signInLogs: SignInLogRecord[] }; analysis: { unmatchedLogs: SignInLogRecord[] } };
    expect(b.input.signInLogs).toHaveLength(7);
    expect(b.analysis.unmatchedLogs).toHaveLength(2);
    const again = await run(['analyze', '--format', 'json', out]);
    const rep = JSON.parse(again.stdout) as JsonReport;
    expect(rep.flows.map((f) => (f.signInLogs ?? []).length)).toEqual([2, 1, 1, 1]);
    expect(rep.findings.filter((f) => f.checkId === 'aws-sign-in-error').every((f) => f.causes![0]!.likelihood === 'confirmed')).toBe(true);
    const md = await run(['export', '--format', 'markdown', join(dir, 'sign-in.har'), join(dir, 'cloudtrail.json'), join(dir, 'signins.csv')]);
    expect(md.stdout).toContain('### Sign-in logs');
    expect(md.stdout).toMatch(/CloudTrail ExternalIdPDirectoryLogin Failure — \\?"Not a valid response for the provided request id: aws\\?_0/);
  });
});

export type { SignInLogRecord };
