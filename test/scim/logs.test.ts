// The provisioning-log reader on downloads written to the documented formats (FACTS D6): the JSON
// file (v1.0 and the older beta field names), the CSV download's three files under two header
// styles, Azure Monitor rows, and what the reader refuses.
import { describe, expect, it } from 'vitest';
import { analyzeProvisioningLogs, awsErrorIn, classify, readProvisioningLogs, type LogAnalysis } from '../../lib/scim/logs.ts';
import { parseCsv } from '../../lib/scim/csv.ts';
import { AWS_400_PHONES, AWS_409, betaRecords, LOG_RECORDS, logCsvFiles, logJson, PEOPLE } from '../fixtures/scim/provisioning-logs.ts';

const analyzeFiles = (files: { name: string; text: string }[]): LogAnalysis => {
  const r = readProvisioningLogs(files);
  expect(r.errors).toEqual([]);
  expect(r.ok).toBe(true);
  return analyzeProvisioningLogs(r.records);
};

const causeTable = (a: LogAnalysis) => a.causes.map((c) => [c.key, c.severity, c.count, c.identities.join(', ')]);

const EXPECTED_CAUSES = [
  ['aws-rejected:single-item', 'error', 2, 'Priya Shah'],
  ['aws-rejected:constraint', 'error', 1, 'Sam Lee'],
  ['duplicate', 'error', 1, 'Dana Cruz'],
  ['aws-rejected:unparsable', 'error', 1, 'Sam Lee'],
  ['not-effectively-entitled', 'warning', 1, 'Jordan Kim'],
  ['throttled', 'warning', 1, 'Taylor Reed'],
  ['already-in-sync', 'info', 1, 'Robin Park'],
];

describe('JSON download (Graph provisioningObjectSummary, v1.0)', () => {
  const a = analyzeFiles([{ name: 'ProvisioningLogs.json', text: logJson() }]);

  it('reads every record and counts statuses, actions and cycles', () => {
    expect(a.records).toBe(LOG_RECORDS.length);
    expect(a.byStatus).toEqual({ Success: 5, Failure: 6, Skipped: 2, Warning: 0, Unknown: 0 });
    expect(a.byAction).toEqual({ Create: 8, Other: 2, Update: 2, Disable: 1 });
    expect(a.cycles).toBe(3);
    expect([a.from, a.to]).toEqual(['2025-03-14T09:01:02.118Z', '2025-03-14T10:21:03.330Z']);
  });

  it('groups failures and skips by cause, errors first, with the AWS detail verbatim', () => {
    expect(causeTable(a)).toEqual(EXPECTED_CAUSES);
    const phones = a.causes.find((c) => c.key === 'aws-rejected:single-item')!;
    expect(phones.details).toEqual([{ text: AWS_400_PHONES, count: 2 }]);
    expect(phones.title).toMatch(/^AWS refused the request \(HTTP 400\): Identity Center refused a list attribute with more than one value \(phoneNumbers\)/);
    expect(phones.explanation).toMatch(/mobile, work and fax phones/);
    expect(phones.fix).toMatch(/Provisioning → Mappings → Provision Microsoft Entra ID Users: keep ONE mapping/);
    expect(phones.examples[0]).toMatchObject({ identity: 'Priya Shah', action: 'Create', errorCode: 'SystemForCrossDomainIdentityManagementBadRequest', origin: 'ProvisioningLogs.json[11]' });
    const dup = a.causes.find((c) => c.key === 'duplicate')!;
    expect(dup.details[0]!.text).toBe(AWS_409);
    const nee = a.causes.find((c) => c.key === 'not-effectively-entitled')!;
    expect(nee.explanation).toMatch(/nested groups do not count/);
    expect(nee.explanation).toMatch(/Default Access/);
    expect(nee.fix).toMatch(/Users and groups/);
    const unparsable = a.causes.find((c) => c.key === 'aws-rejected:unparsable')!;
    expect(unparsable.title).toBe('AWS refused the request (HTTP 400, SystemForCrossDomainIdentityManagementBadRequest)');
    expect(unparsable.fix).toMatch(/scim lint/);
  });

  it('tells each object what happened, in order, failures first', () => {
    expect(a.identities.map((t) => [t.label, t.worst])).toEqual([
      ['Dana Cruz', 'Failure'],
      ['Priya Shah', 'Failure'],
      ['Sam Lee', 'Failure'],
      ['Taylor Reed', 'Failure'],
      ['Jordan Kim', 'Skipped'],
      ['Robin Park', 'Skipped'],
      ['Alex Morgan', 'Success'],
      ['AWS-Engineers', 'Success'],
      ['Chris Obi', 'Success'],
    ]);
    const sam = a.identities.find((t) => t.label === 'Sam Lee')!;
    expect(sam.sourceId).toBe(PEOPLE.sam.id);
    expect(sam.events.map((e) => [e.time, e.action, e.status, e.cause])).toEqual([
      ['2025-03-14T09:01:07.903Z', 'Create', 'Failure', 'aws-rejected'],
      ['2025-03-14T10:21:03.330Z', 'Create', 'Failure', 'aws-rejected'],
    ]);
    expect(sam.events[0]!.text).toMatch(/^AWS: 2 validation errors detected: Value at 'name.givenName'/);
    expect(sam.summary).toMatch(/^Failing: AWS: Request is unparsable.*never created in AWS/);
    const alex = a.identities.find((t) => t.label === 'Alex Morgan')!;
    expect(alex.events.map((e) => e.action)).toEqual(['Create', 'Update']);
    expect(alex.events[1]!.modified).toEqual(['title', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department']);
    expect(alex.summary).toBe('Created in AWS and in sync after the last record.');
    expect(a.identities.find((t) => t.label === 'Chris Obi')!.summary).toMatch(/^Disabled in AWS/);
    expect(a.identities.find((t) => t.label === 'AWS-Engineers')!.type).toBe('Group');
  });

  it('says what the logs cannot show, marking what matters for these records', () => {
    const relevant = a.limits.filter((l) => l.relevant).map((l) => l.id);
    expect(relevant).toEqual(['nested-groups', 'dynamic-groups', 'removed-attributes', 'cycle-interval', 'quarantine-state', 'other-logs', 'sign-in']);
    expect(a.limits.find((l) => l.id === 'cycle-interval')!.text).toMatch(/about every 40 minutes.*after 2025-03-14 10:21:03Z/);
    expect(a.limits.every((l) => l.facts.length > 0)).toBe(true);
  });
});

describe('other JSON shapes', () => {
  const base = causeTable(analyzeFiles([{ name: 'a.json', text: logJson() }]));

  it('the older beta fields (action, statusInfo) read the same', () => {
    expect(causeTable(analyzeFiles([{ name: 'beta.json', text: JSON.stringify(betaRecords()) }]))).toEqual(base);
  });

  it('a Graph response ({"value": [...]}) reads the same', () => {
    expect(causeTable(analyzeFiles([{ name: 'graph.json', text: JSON.stringify({ '@odata.context': 'x', value: LOG_RECORDS }) }]))).toEqual(base);
  });

  it('Azure Monitor rows (AADProvisioningLogs: nested JSON as text, ResultType / ResultSignature)', () => {
    const row = {
      TimeGenerated: '2025-03-14T09:01:05.441Z',
      ChangeId: 'c1',
      CycleId: 'y1',
      ProvisioningAction: 'Create',
      ResultType: 'Failure',
      ResultSignature: 'SystemForCrossDomainIdentityManagementBadRequest',
      ResultDescription: `Failed to create User 'priya.shah@contoso.com'; Web Response: {"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"${AWS_400_PHONES}","status":"400"}`,
      SourceIdentity: JSON.stringify({ id: PEOPLE.priya.id, displayName: 'Priya Shah', identityType: 'User' }),
      TargetIdentity: '{}',
      ProvisioningSteps: '[]',
      ModifiedProperties: '[]',
    };
    const a = analyzeFiles([{ name: 'monitor.json', text: JSON.stringify([row]) }]);
    expect(causeTable(a)).toEqual([['aws-rejected:single-item', 'error', 1, 'Priya Shah']]);
  });

  it('quarantine, 401 and missing values', () => {
    const mk = (errorCode: string, reason: string, status = 'failure') => ({
      activityDateTime: '2025-03-15T08:00:00Z',
      provisioningAction: 'create',
      sourceIdentity: { id: 'x', displayName: 'X', identityType: 'User' },
      provisioningStatusInfo: { status, errorInformation: { errorCode, reason } },
    });
    const a = analyzeFiles([
      {
        name: 'q.json',
        text: JSON.stringify([
          mk('EncounteredQuarantineException', 'The provisioning job is in quarantine because the credentials are invalid.'),
          mk('Unauthorized', 'StatusCode: Unauthorized (401)'),
          mk('MandatoryFieldsMissing', "Required attribute 'name.familyName' is missing"),
        ]),
      },
    ]);
    expect(a.causes.map((c) => c.key).sort()).toEqual(['missing-attributes', 'quarantine', 'unauthorized']);
    expect(a.causes.find((c) => c.key === 'unauthorized')!.fix).toMatch(/Generate a new token/);
  });
});

describe('CSV download (three files joined by change ID)', () => {
  const base = analyzeFiles([{ name: 'a.json', text: logJson() }]);
  for (const style of ['portal', 'graph'] as const) {
    it(`${style} headers: the same causes and stories as the JSON`, () => {
      const r = readProvisioningLogs(logCsvFiles(style));
      expect(r.format).toBe('csv');
      expect(r.errors).toEqual([]);
      const a = analyzeProvisioningLogs(r.records);
      expect(causeTable(a)).toEqual(causeTable(base));
      expect(a.identities.map((t) => [t.label, t.worst, t.events.length])).toEqual(base.identities.map((t) => [t.label, t.worst, t.events.length]));
      // Steps and modified properties were joined on the change ID.
      const alex = a.identities.find((t) => t.label === 'Alex Morgan')!;
      expect(alex.events[1]!.modified).toEqual(['title', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department']);
      expect(r.records.find((x) => x.source.displayName === 'Jordan Kim')!.steps.map((s) => s.details.SkipReason).filter(Boolean)).toEqual(['NotEffectivelyEntitled']);
      expect(a.limits.find((l) => l.id === 'removed-attributes')!.relevant).toBe(true);
    });
  }

  it('the main file alone still groups causes (the AWS detail is in the reason)', () => {
    const [main] = logCsvFiles('portal');
    const a = analyzeFiles([main!]);
    expect(a.causes.map((c) => c.key)).toContain('aws-rejected:single-item');
  });

  it('names unused columns and refuses files it cannot place', () => {
    const r = readProvisioningLogs([...logCsvFiles('portal'), { name: 'other.csv', text: 'a,b\n1,2\n' }]);
    expect(r.notes).toContain('ProvisioningLogs_2025-03-14.csv: columns not used: Duration (Milliseconds), Source System');
    expect(r.errors).toEqual([{ file: 'other.csv', message: expect.stringMatching(/^CSV with columns "a", "b": not one of the three provisioning-log files/) }]);
    const steps = readProvisioningLogs([logCsvFiles('portal')[1]!]);
    expect(steps.ok).toBe(false);
    expect(steps.errors[0]!.message).toMatch(/add ProvisioningLogs\.csv/);
  });

  it('semicolon-separated (Excel in some locales) with quoted line breaks', () => {
    const text = 'Date;Change ID;Action;Status;Source Identity Name;Error Code;Reason\r\n2025-03-14 09:00:00;c1;Create;Failure;"Morgan; Alex";Conflict;"line 1\nRefused to create a new, duplicate resource."\r\n';
    const a = analyzeFiles([{ name: 'ProvisioningLogs.csv', text }]);
    expect(a.identities[0]!.label).toBe('Morgan; Alex');
    expect(causeTable(a)).toEqual([['duplicate', 'error', 1, 'Morgan; Alex']]);
  });
});

describe('what the reader refuses', () => {
  it('JSON that is not provisioning logs, broken JSON, empty files', () => {
    const r = readProvisioningLogs([
      { name: 'har.json', text: '{"log":{"entries":[]}}' },
      { name: 'bad.json', text: '[{"provisioningAction": ' },
      { name: 'empty.csv', text: '' },
    ]);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.file)).toEqual(['har.json', 'bad.json', 'empty.csv']);
    expect(r.errors[0]!.message).toMatch(/no provisioning log records/);
  });
});

describe('pieces', () => {
  it('finds the AWS error body Entra quotes, or a bare status and detail', () => {
    expect(awsErrorIn(`x Web Response: {"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"${AWS_409}","status":"409"}. We will retry`)).toEqual({ status: 409, detail: AWS_409 });
    expect(awsErrorIn('StatusCode: BadRequest (HTTP 400) Message: nope')).toEqual({ status: 400 });
    expect(awsErrorIn('nothing here')).toBeUndefined();
  });
  it('a success has no cause; a warning without a code neither', () => {
    expect(classify({ action: 'Create', status: 'Success', source: {}, target: {}, steps: [], modified: [], origin: 'x' })).toBeUndefined();
    expect(classify({ action: 'Update', status: 'Warning', source: {}, target: {}, steps: [], modified: [], origin: 'x' })).toBeUndefined();
  });
  it('parses RFC 4180 CSV', () => {
    const t = parseCsv('\ufeffa,"b ""q""",c\r\n1,"x,y",\n2,"multi\nline",3');
    expect(t.headers).toEqual(['a', 'b "q"', 'c']);
    expect(t.rows).toEqual([['1', 'x,y', ''], ['2', 'multi\nline', '3']]);
  });
});

describe('size', () => {
  it('reads and analyses 10,000 JSON records in linear time', () => {
    const run = (n: number) => {
      const many = Array.from({ length: n }, (_, i) => ({ ...LOG_RECORDS[i % LOG_RECORDS.length]!, changeId: `c${i}`, sourceIdentity: { id: `u${i % 3000}`, displayName: `User ${i % 3000}`, identityType: 'User' } }));
      const text = JSON.stringify(many);
      const t0 = performance.now();
      const r = readProvisioningLogs([{ name: 'big.json', text }]);
      const a = analyzeProvisioningLogs(r.records);
      return { a, ms: performance.now() - t0, mb: text.length / 1e6 };
    };
    const small = run(1_000);
    const big = run(10_000);
    console.log(`[logs] 10,000 records (${big.mb.toFixed(1)} MB): read + analysed in ${big.ms.toFixed(0)} ms (1,000: ${small.ms.toFixed(0)} ms)`);
    expect(big.a.records).toBe(10_000);
    expect(big.a.identities.length).toBe(3000);
    // Held against 1,000 records measured alongside (a fixed limit in ms failed on a loaded
    // machine): ten times the records, about ten times the time; quadratic would be 100×.
    expect(big.ms).toBeLessThan(30 * small.ms + 250);
  });
});
