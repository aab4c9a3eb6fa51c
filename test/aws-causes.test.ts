// AWS's generic sign-in error and its documented causes (FACTS A10), ranked by what the capture
// says (lib/flow/error-findings.ts rankCauses): each heading's causes in AWS's order, each one
// ruled out, possible, likely or confirmed with the sentence that says why; a CloudTrail record's
// cause first; and the CloudTrail lookup that confirms it, as it is to be pasted.
import { describe, expect, it } from 'vitest';
import { cloudTrailLookup, rankCauses } from '../lib/flow/error-findings.ts';
import { AWS_NOT_YOU, AWS_UNEXPECTED } from '../lib/pages/errors.ts';
import { parseSaml } from '../lib/saml/parse.ts';
import type { SamlMessage } from '../lib/saml/model.ts';
import type { Finding, Flow } from '../lib/types.ts';
import { makeResponse } from './lab/factory.ts';

const flow = (o: Partial<Flow> = {}): Flow => ({ id: 'f', type: 'sp-initiated', fromMyApps: false, messageIds: [], steps: [], summary: '', ...o });
const model = (o: Parameters<typeof makeResponse>[0] = {}) => parseSaml(makeResponse({ nameId: 'jane@contoso.com', ...o })) as SamlMessage;
const finding = (checkId: string, severity: Finding['severity'], o: Partial<Finding> = {}): Finding => ({ checkId, severity, title: checkId, message: `${checkId} found`, evidence: [], fix: `fix for ${checkId}`, facts: [], ...o });
const brief = (cs: ReturnType<typeof rankCauses>) => cs.map((c) => [c.cause.split(/[:(,]/)[0]!.trim(), c.likelihood]);

describe("AWS's documented causes, ranked", () => {
  it('"An unexpected error has occurred" with a clean response: AWS\'s order, what the capture rules out last', () => {
    const cs = rankCauses(AWS_UNEXPECTED, [], { flow: flow(), model: model(), hasRequest: true });
    expect(brief(cs)).toEqual([
      ['The user does not exist in Identity Center yet', 'possible'],
      ['The NameID is not the user name of the Identity Center user', 'possible'],
      ['The NameID format is not emailAddress', 'ruled-out'],
      ['The response is addressed to another Identity Center ACS', 'ruled-out'],
      ['The response carries more than one assertion.', 'ruled-out'],
      ['The assertion is encrypted', 'ruled-out'],
      ['An AccessControl attribute breaks the rules for attributes for access control', 'ruled-out'],
    ]);
    expect(cs[0]!.basis).toBe("The capture cannot tell whether Identity Center has a user named jane@contoso.com: samlscope's SCIM lookup can ask it.");
    expect(cs[0]!.fix).toMatch(/: look for jane@contoso\.com; if it is missing, provision it \(.*Provision on demand\) or create it with that user name\.$/);
    expect(cs[1]!.basis).toMatch(/^The capture cannot tell which user names Identity Center holds: compare jane@contoso\.com with the user's user name \(/);
    expect(cs[2]!.basis).toBe('NameID jane@contoso.com has the emailAddress format and an email address value.');
    expect(cs[3]!.basis).toBe("Destination, Recipient and Audience match Identity Center's AuthnRequest.");
    expect(cs[4]!.basis).toBe('The response has one assertion.');
    expect(cs[5]!.basis).toBe('The assertion is not encrypted.');
    expect(cs[6]!.basis).toBe('The AccessControl attributes follow those rules.');
    expect(cs.every((c) => c.fix.length > 20 && !!c.facts?.includes('A10'))).toBe(true);
    expect(cs.some((c) => 'checkId' in c)).toBe(false);
  });

  it('"It\'s not you, it\'s us": the clock, the certificate, the format, AD Connector', () => {
    const r = { flow: flow({ clockSkewSeconds: 12 }), model: model(), hasRequest: false };
    const cs = rankCauses(AWS_NOT_YOU, [], r);
    expect(brief(cs)).toEqual([
      ['The response is not signed with the certificate Identity Center holds', 'possible'],
      ['A clock is off', 'ruled-out'],
      ['The NameID format is not emailAddress', 'ruled-out'],
      ['With an AD Connector identity source', 'ruled-out'],
    ]);
    expect(cs[0]!.basis).toBe("Add the certificate Identity Center holds (options page, or Entra's federation metadata) to check it.");
    expect(cs[1]!.basis).toBe('The validity windows held at the capture time.');
    expect(cs[3]!.basis).toBe('The identity source is an external IdP (Entra posted a SAML response), not AD Connector.');
    // With the certificate configured it is ruled out; a clock 301 s off (over the default 300) is possible.
    const withCert = rankCauses(AWS_NOT_YOU, [], { ...r, flow: flow({ clockSkewSeconds: -301 }), expectations: { idpCertificates: ['MIIB'] } });
    expect(brief(withCert)).toEqual([
      ['A clock is off', 'possible'],
      ['The response is not signed with the certificate Identity Center holds', 'ruled-out'],
      ['The NameID format is not emailAddress', 'ruled-out'],
      ['With an AD Connector identity source', 'ruled-out'],
    ]);
    expect(withCert[0]!.basis).toBe("This device's clock differs from AWS's by -301 s.");
    expect(withCert[1]!.basis).toBe('The signature verifies with the configured IdP certificate.');
    // Exactly at the limit: held. A configured limit counts instead of the default.
    expect(rankCauses(AWS_NOT_YOU, [], { ...r, flow: flow({ clockSkewSeconds: 300 }) }).find((c) => c.cause.startsWith('A clock'))!.likelihood).toBe('ruled-out');
    expect(rankCauses(AWS_NOT_YOU, [], { ...r, flow: flow({ clockSkewSeconds: 61 }), expectations: { clockSkewSeconds: 60 } }).find((c) => c.cause.startsWith('A clock'))!.likelihood).toBe('possible');
    // Without a response: AD Connector cannot be ruled out, the format not read.
    const none = rankCauses(AWS_NOT_YOU, [], { flow: flow(), hasRequest: false });
    expect(none.find((c) => c.cause.startsWith('With an AD'))).toMatchObject({ likelihood: 'possible', basis: 'No SAML response was captured.' });
    expect(none.find((c) => c.cause.startsWith('The NameID format'))).toMatchObject({ likelihood: 'possible', basis: 'No NameID was read.' });
  });

  it('heading unknown (HTTP alone): every documented cause; the addressing unknown without request or expectations', () => {
    const cs = rankCauses(undefined, [], { flow: flow(), model: model({ nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', nameId: 'abc123' }), hasRequest: false });
    expect(cs.map((c) => c.likelihood)).toEqual(['possible', 'possible', 'possible', 'possible', 'possible', 'ruled-out', 'ruled-out', 'ruled-out', 'ruled-out', 'ruled-out']);
    expect(brief(cs).slice(0, 5).map((x) => x[0])).toEqual([
      'The user does not exist in Identity Center yet',
      'The NameID is not the user name of the Identity Center user',
      'The NameID format is not emailAddress',
      'The response is addressed to another Identity Center ACS',
      'The response is not signed with the certificate Identity Center holds',
    ]);
    expect(cs[2]!.basis).toBe('NameID format urn:oasis:names:tc:SAML:2.0:nameid-format:persistent.');
    expect(cs[3]!.basis).toBe('Neither the AuthnRequest nor the expected ACS and entity ID are known: configure them in Options to check.');
    // The configured ACS or entity ID is enough to rule it out.
    for (const expectations of [{ acsUrl: 'https://x/acs' }, { spEntityId: 'https://x/e' }]) {
      const c = rankCauses(undefined, [], { flow: flow(), model: model(), hasRequest: false, expectations }).find((x) => x.cause.startsWith('The response is addressed'))!;
      expect(c).toMatchObject({ likelihood: 'ruled-out', basis: 'Destination, Recipient and Audience match the configured Identity Center.' });
    }
    // An unknown heading is treated as unknown.
    expect(rankCauses('Something else', [], { flow: flow(), hasRequest: false })).toHaveLength(10);
    // Two assertions: possible, counted.
    const two = model();
    if (two.kind === 'Response') two.assertions.push(two.assertions[0]!);
    expect(rankCauses(undefined, [], { flow: flow(), model: two, hasRequest: true }).find((c) => c.cause.startsWith('The response carries'))).toMatchObject({ likelihood: 'possible', basis: 'The response has 2 assertions.' });
    // No NameID: said so.
    const noName = rankCauses(undefined, [], { flow: flow(), model: model({ nameId: null }), hasRequest: true });
    expect(noName.slice(0, 3).map((c) => c.basis)).toEqual(['No NameID was read.', 'No NameID was read.', 'No NameID was read.']);
    expect(noName[0]!.fix).toMatch(/: look for the user; if it is missing/);
  });

  it("a check's finding confirms (an error) or makes likely (a warning) its cause, first, with the check's own words and fix; infos do not count", () => {
    const fs = [finding('nameid-format', 'warning'), finding('destination-mismatch', 'error', { fix: 'Reply URL fix' }), finding('encrypted-assertion', 'info'), finding('status-not-success', 'error')];
    const cs = rankCauses(AWS_UNEXPECTED, fs, { flow: flow(), model: model(), hasRequest: true });
    expect(cs.slice(0, 3).map((c) => [c.checkId, c.likelihood, c.basis, c.fix])).toEqual([
      ['destination-mismatch', 'confirmed', 'destination-mismatch found', 'Reply URL fix'],
      ['status-not-success', 'confirmed', 'status-not-success found', 'fix for status-not-success'],
      ['nameid-format', 'likely', 'nameid-format found', 'fix for nameid-format'],
    ]);
    // The encrypted-assertion info did not make its cause likely.
    expect(cs.find((c) => c.cause.startsWith('The assertion is encrypted'))!.likelihood).toBe('ruled-out');
    // A cause AWS does not document for this heading is listed only when a check found it.
    expect(cs.some((c) => c.cause.startsWith('A clock'))).toBe(false);
    const clock = rankCauses(AWS_UNEXPECTED, [finding('conditions-expired', 'error')], { flow: flow(), model: model(), hasRequest: true });
    expect(clock[0]).toMatchObject({ checkId: 'conditions-expired', likelihood: 'confirmed' });
    // Of two findings for one cause, the error speaks.
    const both = rankCauses(AWS_UNEXPECTED, [finding('recipient-mismatch', 'warning'), finding('audience-mismatch', 'error')], { flow: flow(), hasRequest: true });
    expect(both[0]).toMatchObject({ checkId: 'audience-mismatch', likelihood: 'confirmed' });
  });

  it('a NameID that is not the expected user name makes "not provisioned" less likely, said so', () => {
    const cs = rankCauses(AWS_UNEXPECTED, [finding('nameid-mismatch', 'error')], { flow: flow(), model: model(), hasRequest: true });
    expect(cs[0]).toMatchObject({ checkId: 'nameid-mismatch', likelihood: 'confirmed' });
    const np = cs.find((c) => c.cause.startsWith('The user does not exist'))!;
    expect(np.basis).toBe("Less likely: the NameID is not the expected user name (nameid-mismatch), which explains the error. The capture cannot tell whether Identity Center has a user named jane@contoso.com: samlscope's SCIM lookup can ask it.");
    // A warning does not.
    const w = rankCauses(AWS_UNEXPECTED, [finding('nameid-mismatch', 'warning')], { flow: flow(), model: model(), hasRequest: true });
    expect(w.find((c) => c.cause.startsWith('The user does not exist'))!.basis).not.toMatch(/^Less likely/);
  });

  it("AWS's CloudTrail record names the cause: confirmed first, whatever the capture shows, with G2 among the facts", () => {
    const cs = rankCauses(AWS_UNEXPECTED, [], { flow: flow(), model: model(), hasRequest: true }, { key: 'not-provisioned', said: '"UserNotFound" (ExternalIdPDirectoryLogin, 2026-03-02T10:00:00Z)' });
    expect(cs[0]).toMatchObject({
      likelihood: 'confirmed',
      confirmedBy: 'cloudtrail',
      basis: `AWS's CloudTrail record of this sign-in says so: "UserNotFound" (ExternalIdPDirectoryLogin, 2026-03-02T10:00:00Z)`,
      facts: ['A1.4', 'A10', 'G2'],
    });
    expect(cs[0]!.checkId).toBeUndefined();
    // With a finding of the same cause: named beside the record, and its fix wins.
    const withHit = rankCauses(AWS_UNEXPECTED, [finding('nameid-mismatch', 'error', { fix: 'NameID fix' })], { flow: flow(), model: model(), hasRequest: true }, { key: 'user-name', said: 'x' });
    expect(withHit[0]).toMatchObject({ basis: "AWS's CloudTrail record of this sign-in says so: x (and nameid-mismatch found it in the capture)", checkId: 'nameid-mismatch', fix: 'NameID fix' });
    // "No user found with the user name X" beside a NameID that is not the expected user name: the
    // record confirms the user-name cause, with its fix, not "provision the user" (found by a review).
    const named = rankCauses(AWS_UNEXPECTED, [finding('nameid-mismatch', 'error', { fix: 'NameID fix' })], { flow: flow(), model: model(), hasRequest: true }, { key: 'not-provisioned', said: '"No user found with the user name jane@mail.contoso.com"' });
    expect(named[0]).toMatchObject({ likelihood: 'confirmed', confirmedBy: 'cloudtrail', checkId: 'nameid-mismatch', fix: 'NameID fix', cause: expect.stringMatching(/^The NameID is not the user name of the Identity Center user/) });
    expect(named.find((c) => c.cause.startsWith('The user does not exist'))?.likelihood).not.toBe('confirmed');
    // A warning (the NameID differs from the UPN) too: the record rules out "the user name is the NameID".
    expect(rankCauses(AWS_UNEXPECTED, [finding('nameid-mismatch', 'warning')], { flow: flow(), model: model(), hasRequest: true }, { key: 'not-provisioned', said: 'z' })[0]).toMatchObject({ likelihood: 'confirmed', checkId: 'nameid-mismatch' });
    // An info note does not.
    expect(rankCauses(AWS_UNEXPECTED, [finding('nameid-mismatch', 'info')], { flow: flow(), model: model(), hasRequest: true }, { key: 'not-provisioned', said: 'z' })[0]!.cause).toMatch(/^The user does not exist in Identity Center yet/);
    // A cause the heading does not document (the request id) is put first when the record names it.
    const stale = rankCauses(AWS_NOT_YOU, [], { flow: flow(), model: model(), hasRequest: true }, { key: 'request-id', said: 'y' });
    expect(stale[0]).toMatchObject({ likelihood: 'confirmed', cause: expect.stringMatching(/^The response does not answer the AuthnRequest/) });
    expect(stale[0]!.fix).toMatch(/^Start the sign-in again from the AWS access portal URL/);
  });
});

describe('the CloudTrail lookup that confirms the cause', () => {
  const at = Date.parse('2026-03-02T10:00:07.250Z');
  it('in the region of the ACS, 5 minutes before to 10 after, with and without the user, CLI and console', () => {
    const l = cloudTrailLookup(at, 'https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/abc', 'jane@contoso.com');
    const base = 'aws cloudtrail lookup-events --region eu-west-1 --lookup-attributes AttributeKey=EventName,AttributeValue=ExternalIdPDirectoryLogin --start-time 2026-03-02T09:55:07Z --end-time 2026-03-02T10:10:07Z';
    expect(l).toEqual({
      region: 'eu-west-1',
      userName: 'jane@contoso.com',
      start: '2026-03-02T09:55:07Z',
      end: '2026-03-02T10:10:07Z',
      command: `${base} --query "Events[].CloudTrailEvent" --output text`,
      userCommand: `${base} --query "Events[?contains(CloudTrailEvent, 'jane@contoso.com')].CloudTrailEvent" --output text`,
      console: 'CloudTrail console (region eu-west-1) → Event history → Lookup attributes: Event name = ExternalIdPDirectoryLogin, time range 2026-03-02T09:55:07Z to 2026-03-02T10:10:07Z; open the event for jane@contoso.com and read its error fields.',
    });
  });

  it('without a region or a user: a placeholder for the region, no user command; a user name needing quotes is left out of it', () => {
    const l = cloudTrailLookup(at, undefined, undefined);
    expect(l.command).toBe('aws cloudtrail lookup-events --region <Identity Center region> --lookup-attributes AttributeKey=EventName,AttributeValue=ExternalIdPDirectoryLogin --start-time 2026-03-02T09:55:07Z --end-time 2026-03-02T10:10:07Z --query "Events[].CloudTrailEvent" --output text');
    expect(l.console).toBe('CloudTrail console → Event history → Lookup attributes: Event name = ExternalIdPDirectoryLogin, time range 2026-03-02T09:55:07Z to 2026-03-02T10:10:07Z and read its error fields.');
    expect('region' in l || 'userName' in l || 'userCommand' in l).toBe(false);
    for (const user of ["o'brien@contoso.com", 'jane doe', 'a"b', `${'a'.repeat(129)}`, '']) {
      const q = cloudTrailLookup(at, 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x', user);
      expect(q.userCommand, user).toBeUndefined();
    }
    const ok = cloudTrailLookup(at, undefined, 'J.Doe+aws=1,#x@contoso-corp.com');
    expect(ok.userCommand).toContain("contains(CloudTrailEvent, 'J.Doe+aws=1,#x@contoso-corp.com')");
    expect(cloudTrailLookup(at, undefined, 'a'.repeat(128)).userCommand).toBeDefined();
  });
});
