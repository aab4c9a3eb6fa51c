// The loopback Identity Center stand-in answers like AWS where samlscope depends on it (error
// shape, status as a string, single-valued lists, PATCH rules), and the linter agrees with it:
// every payload it refuses, the linter flags with an error, and the other way round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintScim } from '../../lib/scim/lint.ts';
import { parseFilter, startScimLab, UNPARSABLE, type ScimLab } from '../lab/scim/server.ts';
import { entraGroup, entraUser, patch } from './harness.ts';

let lab: ScimLab;
beforeAll(async () => {
  lab = await startScimLab({ users: [{ userName: 'alex.morgan@contoso.com', displayName: 'Alex Morgan', givenName: 'Alex', familyName: 'Morgan', email: 'alex.morgan@contoso.com' }] });
});
afterAll(async () => lab?.close());

const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${lab.endpoint}${path}`, { method, headers: { authorization: `Bearer ${lab.token}`, 'content-type': 'application/scim+json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

describe('the stand-in', () => {
  it("answers errors in AWS's shape: schema and schemas, status a string, a request id, no scimType", async () => {
    const r = await call('POST', '/Users', entraUser({ userName: 'x@contoso.com', emails: [{ value: 'a@contoso.com' }, { value: 'b@contoso.com' }] }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      schema: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      detail: 'List attribute emails exceeds allowed limit of 1',
      status: '400',
      exceptionRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timeStamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/),
    });
  });
  it('creates, refuses a duplicate with 409, and has no PutGroup', async () => {
    expect((await call('POST', '/Users', entraUser({ userName: 'new@contoso.com', externalId: 'n1', emails: [{ value: 'new@contoso.com', primary: true }] }))).status).toBe(201);
    const dup = await call('POST', '/Users', entraUser({ userName: 'NEW@contoso.com', externalId: 'n2', emails: [{ value: 'other@contoso.com', primary: true }] }));
    expect([dup.status, dup.body?.detail]).toEqual([409, 'Refused to create a new, duplicate resource.']);
    const g = await call('POST', '/Groups', entraGroup({ members: [] }));
    expect(g.status).toBe(201);
    expect((await call('PUT', `/Groups/${String(g.body?.id)}`, entraGroup())).status).toBe(400);
  });
  it('only eq filters', () => {
    expect(parseFilter('userName eq "a" and externalId eq "b"')).toEqual([{ attr: 'username', value: 'a' }, { attr: 'externalid', value: 'b' }]);
    expect(() => parseFilter('userName sw "a"')).toThrow(UNPARSABLE);
    expect(() => parseFilter('userName eq "a" or userName eq "b"')).toThrow();
  });
});

// Payloads and what Identity Center (the stand-in) does with them: the linter must agree.
const USER_CASES: { name: string; body: Record<string, unknown> }[] = [
  { name: 'clean', body: entraUser({ userName: 'c1@contoso.com', externalId: 'c1', emails: [{ value: 'c1@contoso.com', primary: true }] }) },
  { name: 'two emails', body: entraUser({ userName: 'c2@contoso.com', externalId: 'c2', emails: [{ value: 'c2@contoso.com' }, { value: 'c2b@contoso.com' }] }) },
  { name: 'three phones', body: entraUser({ userName: 'c3@contoso.com', externalId: 'c3', phoneNumbers: [{ value: '1' }, { value: '2' }, { value: '3' }] }) },
  { name: 'empty given name', body: entraUser({ userName: 'c4@contoso.com', externalId: 'c4', name: { givenName: '', familyName: 'X' } }) },
  { name: 'no family name', body: entraUser({ userName: 'c5@contoso.com', externalId: 'c5', name: { givenName: 'X' } }) },
  { name: 'percent in user name', body: entraUser({ userName: 'c6%x@contoso.com', externalId: 'c6' }) },
  { name: 'space in user name', body: entraUser({ userName: 'c 7@contoso.com', externalId: 'c7' }) },
  { name: 'user name 129 chars', body: entraUser({ userName: `${'a'.repeat(117)}@contoso.com`, externalId: 'c8' }) },
  { name: 'reserved user name', body: entraUser({ userName: 'Administrator', externalId: 'c9' }) },
  { name: 'empty title', body: entraUser({ userName: 'c10@contoso.com', externalId: 'c10', title: '' }) },
  { name: 'no display name', body: (() => { const u = entraUser({ userName: 'c11@contoso.com', externalId: 'c11' }); delete u.displayName; return u; })() },
];

describe('the linter agrees with the stand-in', () => {
  for (const c of USER_CASES) {
    it(`CreateUser: ${c.name}`, async () => {
      const r = await call('POST', '/Users', { ...c.body, emails: c.body.emails ?? [{ value: `${String(c.body.externalId)}@x.contoso.com`, primary: true }] });
      const lint = lintScim(JSON.stringify(c.body));
      const errors = lint.findings.filter((f) => f.severity === 'error').map((f) => f.checkId);
      expect(r.status === 201 ? 'accepted' : `refused ${r.status}`).toBe(errors.length ? 'refused 400' : 'accepted');
    });
  }
  const PATCHES: { name: string; ops: unknown[]; group?: boolean }[] = [
    { name: 'replace title', ops: [{ op: 'replace', path: 'title', value: 'Lead' }] },
    { name: 'disable', ops: [{ op: 'replace', path: 'active', value: false }] },
    { name: 'remove active', ops: [{ op: 'remove', path: 'active' }] },
    { name: 'two userName changes', ops: [{ op: 'replace', path: 'userName', value: 'a1@contoso.com' }, { op: 'replace', path: 'userName', value: 'a2@contoso.com' }] },
    { name: 'work and mobile phone', ops: [{ op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '1' }, { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '2' }] },
    { name: 'remove without path', ops: [{ op: 'remove', value: { title: 'x' } }] },
    { name: 'replace all members', ops: [{ op: 'replace', path: 'members', value: [] }], group: true },
    { name: 'remove all members', ops: [{ op: 'remove', path: 'members' }], group: true },
    { name: 'remove one member', ops: [{ op: 'remove', path: 'members[value eq "00000000-0000-0000-0000-000000000000"]' }], group: true },
  ];
  for (const p of PATCHES) {
    it(`PATCH: ${p.name}`, async () => {
      const target = p.group
        ? String((await call('POST', '/Groups', entraGroup({ displayName: `G ${p.name}`, members: [] }))).body?.id)
        : lab.user('alex.morgan@contoso.com')!.id;
      const r = await call('PATCH', `/${p.group ? 'Groups' : 'Users'}/${target}`, patch(p.ops));
      const lint = lintScim(JSON.stringify(patch(p.ops)), 'p', { target: p.group ? 'Group' : 'User' });
      const errors = lint.findings.filter((f) => f.severity === 'error');
      // PatchUser answers 200 with the user, PatchGroup 204 (AWS's examples).
      expect(r.status === (p.group ? 204 : 200) ? 'accepted' : `refused ${r.status}`).toBe(errors.length ? 'refused 400' : 'accepted');
      if (r.status === 200) expect(r.body?.userName).toBe('alex.morgan@contoso.com');
    });
  }
});

describe('the stand-in, as AWS documents it', () => {
  it("applies Entra's dotted and full-URN enterprise paths, and answers PatchUser with the user", async () => {
    const id = lab.user('alex.morgan@contoso.com')!.id;
    const E = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const r = await call('PATCH', `/Users/${id}`, patch([
      { op: 'replace', path: 'name.givenName', value: 'Alexandra' },
      { op: 'replace', path: `${E}:department`, value: 'Отдел продаж' },
      { op: 'replace', value: { 'name.familyName': 'Morgan-Ito', [`${E}:costCenter`]: 'CC-9' } },
    ]));
    expect(r.status).toBe(200);
    expect(r.body?.name).toMatchObject({ givenName: 'Alexandra', familyName: 'Morgan-Ito' });
    expect(r.body?.[E]).toMatchObject({ department: 'Отдел продаж', costCenter: 'CC-9' });
    expect(Object.keys(r.body ?? {}).filter((k) => k.includes('2.0:User:') || k === 'name.familyName')).toEqual([]);
  });

  it('filters users and groups on id, and requires the one email to be primary', async () => {
    const id = lab.user('alex.morgan@contoso.com')!.id;
    const byId = await call('GET', `/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`);
    expect((byId.body?.Resources as unknown[]).length).toBe(1);
    const notPrimary = await call('POST', '/Users', entraUser({ userName: 'np@contoso.com', externalId: 'np1', emails: [{ value: 'np@contoso.com', type: 'work' }] }));
    expect(notPrimary.status).toBe(400);
    const lint = lintScim(JSON.stringify(entraUser({ userName: 'np@contoso.com', emails: [{ value: 'np@contoso.com', type: 'work' }] })), 'u');
    expect(lint.findings.some((f) => f.severity === 'error' && f.checkId === 'scim-multivalued')).toBe(true);
  });
});
