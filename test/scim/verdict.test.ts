// The one line the SCIM page and `samlscope scim` open with (issue 17: the verdict line for
// warnings survived mutation). Each case lints a real payload, so the counts come from the rules.
import { describe, expect, it } from 'vitest';
import { lintScim, lintVerdict } from '../../lib/scim/lint.ts';
import { analyzeProvisioningLogs, readProvisioningLogs } from '../../lib/scim/logs.ts';
import { logsVerdict } from '../../lib/scim/report.ts';
import { LOG_RECORDS, logJson } from '../fixtures/scim/provisioning-logs.ts';
import { entraUser, patch } from './harness.ts';

const GUEST = 'alex_fabrikam.com#EXT#@contoso.onmicrosoft.com';
const verdictOf = (body: unknown) => lintVerdict(lintScim(JSON.stringify(body), 'case'));

describe('lintVerdict', () => {
  it('a clean user: ok, no count', () => {
    expect(verdictOf(entraUser())).toEqual({ tone: 'ok', text: 'Identity Center should accept this user' });
  });

  it('one warning: accepted, and the warning counted in the singular', () => {
    expect(verdictOf(entraUser({ userName: GUEST }))).toEqual({ tone: 'warning', text: 'Identity Center should accept this user, with 1 warning' });
  });

  it('two warnings: accepted, counted in the plural', () => {
    const v = verdictOf(entraUser({ userName: GUEST, name: { givenName: 'Alex', familyName: 'Morgan;Lee' } }));
    expect(v).toEqual({ tone: 'warning', text: 'Identity Center should accept this user, with 2 warnings' });
  });

  it('an error and a warning: refused, both counted', () => {
    const v = verdictOf(entraUser({ userName: GUEST, emails: [{ type: 'work', value: 'alex@fabrikam.com' }] }));
    expect(v).toEqual({ tone: 'error', text: 'Identity Center will refuse this user: 1 error, 1 warning' });
  });

  it('an error alone: no warning count', () => {
    const v = verdictOf(entraUser({ emails: [{ type: 'work', value: 'alex.morgan@contoso.com' }] }));
    expect(v).toEqual({ tone: 'error', text: 'Identity Center will refuse this user: 1 error' });
  });

  it('a warning in a PATCH names the PATCH', () => {
    const v = verdictOf(patch([{ op: 'replace', path: 'userName', value: GUEST }]));
    expect(v.tone).toBe('warning');
    expect(v.text).toMatch(/^Identity Center should accept this PATCH (of a user|request), with 1 warning$/);
  });
});

describe('logsVerdict', () => {
  const verdictOfRecords = (records: unknown[]) => {
    const r = readProvisioningLogs([{ name: 'ProvisioningLogs.json', text: logJson(records) }]);
    expect(r.errors).toEqual([]);
    return logsVerdict(analyzeProvisioningLogs(r.records));
  };
  const ofPeople = (...names: string[]) => LOG_RECORDS.filter((r) => names.some((n) => JSON.stringify(r).includes(n)));

  it('only skipped as not entitled: a warning, not "no failures"', () => {
    expect(verdictOfRecords(ofPeople('Jordan Kim', 'Robin Park'))).toEqual({ tone: 'warning', text: '1 object skipped as not entitled (2 records)' });
  });

  it('failures and a skip: an error naming both', () => {
    expect(verdictOfRecords(ofPeople('Dana Cruz', 'Jordan Kim'))).toEqual({ tone: 'error', text: '1 object failing to provision, 1 skipped as not entitled (2 records)' });
  });

  it('a redundant skip only: no failures', () => {
    expect(verdictOfRecords(ofPeople('Robin Park', 'Alex Morgan'))).toEqual({ tone: 'ok', text: 'No provisioning failures in 3 records' });
  });
});
