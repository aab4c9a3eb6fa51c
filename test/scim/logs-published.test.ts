// The provisioning-log reader and the SCIM error reader on material others published (Microsoft's
// Graph samples, RFC 7643/7644 examples, AWS's CloudTrail fragment as its page prints it;
// test/fixtures/scim/published, sources in test/fixtures/signin-logs/README.md), and on the
// export formats Log Analytics writes (AADProvisioningLogs columns, FACTS D6.5).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeProvisioningLogs, classify, readProvisioningLogs } from '../../lib/scim/logs.ts';
import { lintScim } from '../../lib/scim/lint.ts';
import { LOG_RECORDS, logJson } from '../fixtures/scim/provisioning-logs.ts';

const pub = (f: string) => readFileSync(new URL(`../fixtures/scim/published/${f}`, import.meta.url), 'utf8');
const values = (f: string) => (JSON.parse(pub(f).replace(/,(\s*[\]}])/g, '$1')) as { value: unknown[] }).value;

describe("Microsoft's Graph samples", () => {
  it('a tenant-wide download: Identity Center\'s records kept, the other apps counted and named', () => {
    const all = [...values('graph-provisioning-list-example1.json'), ...(JSON.parse(logJson()) as unknown[]), ...values('graph-provisioning-list-example2.json')];
    const r = readProvisioningLogs([{ name: 'ProvisioningLogs.json', text: JSON.stringify(all) }]);
    expect(r.records).toHaveLength(LOG_RECORDS.length);
    expect(r.otherApps).toEqual([{ app: 'Contoso', count: 2 }]);
    expect(r.notes.join(' ')).toMatch(/2 records of other apps left out \(a tenant-wide download\): Contoso ×2\. Only AWS IAM Identity Center's 13 are read\./);
  });

  it('each published example alone, printed with trailing commas, is read; a lone other app is said to be one', () => {
    const one = readProvisioningLogs([{ name: 'example1.json', text: pub('graph-provisioning-list-example1.json') }]);
    expect(one.errors).toEqual([]);
    expect(one.notes.join(' ')).toMatch(/trailing comma ignored/);
    expect(one.records[0]).toMatchObject({ action: 'Create', status: 'Success', time: '2019-05-04T03:00:54.000Z', app: 'Contoso' });
    expect(one.records[0]!.steps.map((s) => s.name)).toEqual(['EntryImport', 'EntryExportUpdate']);
    const two = readProvisioningLogs([{ name: 'example2.json', text: pub('graph-provisioning-list-example2.json') }]);
    expect(two.notes.join(' ')).toMatch(/the app "Contoso", not recognisably AWS IAM Identity Center/);
    const c = classify(two.records[0]!)!;
    expect(c.cause).toBe('duplicate');
    expect(two.records[0]!.source).toMatchObject({ displayName: 'Self-service Pilot', type: 'Group' });
  });

  it('a provisionOnDemand response (key/value JSON text, startTime/endTime, statusInfo): one skipped record, already in sync', () => {
    const r = readProvisioningLogs([{ name: 'pod.json', text: pub('provision-on-demand-example1.json') }]);
    expect(r.errors).toEqual([]);
    expect(r.notes).toContain('pod.json: a provisionOnDemand response (one record)');
    expect(r.records[0]).toMatchObject({ action: 'Other', status: 'Skipped', time: '2020-06-26T13:58:24.768Z', app: 'customappsso' });
    expect(r.records[0]!.steps.map((s) => s.type)).toEqual(['Import', 'Matching', 'Scoping', 'Export']);
    const a = analyzeProvisioningLogs(r.records);
    expect(a.causes.map((x) => x.key)).toEqual(['already-in-sync']);
  });
});

/** The project's records as Azure Monitor's AADProvisioningLogs rows (columns of FACTS D6.5). */
function laRows() {
  return (JSON.parse(logJson()) as Record<string, unknown>[]).map((r) => ({
    TenantId: 'x',
    TimeGenerated: r.activityDateTime,
    ChangeId: r.changeId,
    CycleId: r.cycleId,
    JobId: r.jobId,
    Id: r.id,
    OperationName: 'Provisioning activity',
    ProvisioningAction: r.provisioningAction,
    ProvisioningStatusInfo: JSON.stringify(r.provisioningStatusInfo),
    ProvisioningSteps: JSON.stringify(r.provisioningSteps),
    ModifiedProperties: JSON.stringify(r.modifiedProperties),
    SourceIdentity: JSON.stringify(r.sourceIdentity),
    TargetIdentity: JSON.stringify(r.targetIdentity),
    ServicePrincipal: JSON.stringify(r.servicePrincipal),
    ResultType: (r.provisioningStatusInfo as { status: string }).status,
    Type: 'AADProvisioningLogs',
  }));
}

describe('Log Analytics exports (AADProvisioningLogs)', () => {
  const reference = analyzeProvisioningLogs(readProvisioningLogs([{ name: 'p.json', text: logJson() }]).records);
  const view = (a: ReturnType<typeof analyzeProvisioningLogs>) => ({ causes: a.causes.map((c) => [c.key, c.count, c.identities.join(',')]), ids: a.identities.map((i) => [i.label, i.worst, i.type]), from: a.from, to: a.to });

  it('the query API JSON (tables / columns / rows) reads as the download does', () => {
    const rows = laRows();
    const cols = Object.keys(rows[0]!);
    const doc = { tables: [{ name: 'PrimaryResult', columns: cols.map((name) => ({ name, type: 'string' })), rows: rows.map((r) => cols.map((c) => (r as Record<string, unknown>)[c])) }] };
    const r = readProvisioningLogs([{ name: 'query.json', text: JSON.stringify(doc) }]);
    expect(r.notes).toContain(`query.json: a Log Analytics query result, ${LOG_RECORDS.length} rows`);
    expect(view(analyzeProvisioningLogs(r.records))).toEqual(view(reference));
  });

  it('the CSV export keeps times, identities, steps and modified properties, and its Type column is not an identity type', () => {
    const rows = laRows();
    const cols = Object.keys(rows[0]!);
    const q = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
    const csv = [cols.map((c) => (c === 'TimeGenerated' ? 'TimeGenerated [UTC]' : c)).join(','), ...rows.map((r) => cols.map((c) => q((r as Record<string, unknown>)[c])).join(','))].join('\r\n');
    const r = readProvisioningLogs([{ name: 'query_data.csv', text: csv }]);
    expect(r.errors).toEqual([]);
    const a = analyzeProvisioningLogs(r.records);
    expect(view(a)).toEqual(view(reference));
    expect(r.records.some((x) => x.steps.length > 0 && x.modified.length > 0)).toBe(true);
    expect(r.records.every((x) => x.source.type !== 'AADProvisioningLogs')).toBe(true);
  });
});

describe('error bodies as people paste them', () => {
  it('RFC 7644 §3.12 example (scimType mutability): explained from its own detail, not as an AWS error', () => {
    const body = '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"mutability","detail":"Attribute \'id\' is readOnly","status": "400"}';
    const res = lintScim(body, 'rfc7644');
    const f = res!.findings.find((x) => x.checkId === 'scim-error')!;
    expect(f.message).toMatch(/^The SCIM server answered HTTP 400 \(ValidationException\): "Attribute 'id' is readOnly"\. The SCIM server refused the request \(HTTP 400\) with scimType "mutability": the request tried to change a read-only or immutable attribute/);
    expect(f.evidence.find((e) => e.label.startsWith('scimType'))?.actual).toBe('mutability');
  });

  it("a status written as a word and a detail that is an object: both shown", () => {
    const res = lintScim('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"BadRequest","detail":{"message":"Attribute emails is required"}}', 'x');
    const f = res!.findings.find((x) => x.checkId === 'scim-error')!;
    expect(f.message).toMatch(/^AWS answered HTTP 400 \(BadRequest\): "Attribute emails is required"/);
  });

  it("AWS's CloudTrail fragment exactly as its page prints it (no braces, a typographic closing quote) is read", () => {
    const fragment = '"errorCode": "ValidationException",\n"errorMessage": "Currently list attributes only allow single item\u201c';
    const res = lintScim(fragment, 'cloudtrail');
    expect(res.ok ? '' : res.message).toBe('');
    const f = res!.findings.find((x) => x.checkId === 'scim-error')!;
    expect(f.message).toMatch(/more than one value/);
  });

  it('an Entra log reason with "StatusCode: BadRequest" and no number is a 400 with its detail', () => {
    const rec = readProvisioningLogs([{ name: 'x.json', text: JSON.stringify([{ provisioningAction: 'create', activityDateTime: '2025-01-01T00:00:00Z', provisioningStatusInfo: { status: 'failure', errorInformation: { errorCode: 'SystemForCrossDomainIdentityManagementBadRequest', reason: 'StatusCode: BadRequest Message: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the \'Response\' property of this exception for details. Web Response: {"detail":"List attribute emails exceeds allowed limit of 1"}' } }, sourceIdentity: { displayName: 'Aiko 山田', identityType: 'User' } }]) }]).records[0]!;
    const c = classify(rec)!;
    expect(c.cause).toBe('aws-rejected');
    expect(c.aws).toMatchObject({ status: 400, detail: 'List attribute emails exceeds allowed limit of 1', cause: 'single-item' });
  });
});

describe('the CSV tokenizer (sliced, not built a character at a time)', () => {
  it('keeps quoting rules: doubled quotes, quoted delimiters and line breaks, literal mid-field quotes, CR, CRLF and LF, empty fields', async () => {
    const { parseCsv } = await import('../../lib/scim/csv.ts');
    const t = parseCsv('a,b,c\r\n"x, ""y""","line 1\nline 2",5" tall\r"",,\n\nlast,"",z"q"\n');
    expect(t.headers).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['x, "y"', 'line 1\nline 2', '5" tall'],
      ['', '', ''],
      ['last', '', 'z"q"'],
    ]);
    expect(parseCsv('h1;h2\nÅsa;"Ω;\u03a9"').rows).toEqual([['Åsa', 'Ω;Ω']]);
    expect(parseCsv('h\n1\n2\n3\n', 2)).toMatchObject({ truncated: true });
  });
});
