// samlscope's SCIM client and `scim lookup` against a SCIM server this project did not write:
// SCIMMY (npm "scimmy") on loopback (test/lab/scim/scimmy-server.ts). It pages the RFC 7644 way
// (startIndex/totalResults, 20 a page) and ignores AWS's cursor; its errors carry scimType.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, ScimClientError } from '../../lib/scim/client.ts';
import { scimMain, type ScimIo } from '../../cli/scim.ts';
import { startScimmyLab, type ScimmyLab } from '../lab/scim/scimmy-server.ts';

let lab: ScimmyLab;
let alexId = '';
beforeAll(async () => {
  lab = await startScimmyLab();
  alexId = lab.addUser({ userName: 'alex.morgan@contoso.com', externalId: 'x-alex', displayName: 'Alex Morgan', name: { givenName: 'Alex', familyName: 'Morgan' }, emails: [{ value: 'alex.morgan@contoso.com', type: 'work', primary: true }], active: true });
  lab.addUser({ userName: 'Зоя.Петрова@contoso.com', displayName: 'Зоя Петрова', name: { givenName: 'Зоя', familyName: 'Петрова' }, emails: [{ value: 'zoya@contoso.com', primary: true }], active: true });
  for (let i = 1; i <= 26; i++) lab.addGroup(`AWS-Team-${String(i).padStart(2, '0')}`, [alexId]);
});
afterAll(async () => lab?.close());

const client = (o: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}) =>
  new ScimClient({ endpoint: lab.endpoint, token: lab.token, baseDelayMs: 1, sleep: async () => undefined, ...o });

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: ScimIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false, env: { SCIMMY_TOKEN: lab.token } };
  const code = await scimMain(['lookup', '--endpoint', lab.endpoint, '--token-env', 'SCIMMY_TOKEN', ...args], io);
  return { code, stdout, stderr };
}

describe('against SCIMMY', () => {
  it('connects, and finds users by userName (non-Latin too) and externalId', async () => {
    const c = client();
    const info = await c.testConnection();
    expect(info.patch).toBe(true);
    expect((await c.findUserByUserName('alex.morgan@contoso.com'))?.id).toBe(alexId);
    expect((await c.findUserByUserName('Зоя.Петрова@contoso.com'))?.displayName).toBe('Зоя Петрова');
    expect((await c.findUserByExternalId('x-alex'))?.userName).toBe('alex.morgan@contoso.com');
  });

  it('a user in 26 groups is shown with 26: the RFC startIndex pages are followed when the cursor is ignored', async () => {
    const c = client();
    const groups = await c.groupsOfUser(alexId);
    expect(groups).toHaveLength(26);
    expect(new Set(groups.map((g) => g.displayName)).size).toBe(26);
    expect(lab.requests.filter((r) => r.startsWith('GET /scim/v2/Groups?')).slice(-2).map((r) => new URL(r.slice(4), 'http://x').searchParams.get('startIndex'))).toEqual([null, '21']);
    // With a page limit that cuts it, the list says so instead of pretending to be whole.
    const short = client({ maxPages: 1 });
    expect(await short.groupsOfUser(alexId)).toHaveLength(20);
    expect(short.notes).toEqual([expect.stringMatching(/stopped after 1 pages with 20 results read; 6 more of 26 not read/)]);
  });

  it('`scim lookup --test` on a working endpoint says it connected, and nothing about a user', async () => {
    const r = await cli(['--test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ Connected in \d+ ms/);
    expect(r.stdout).not.toMatch(/No user/);
    const u = await cli(['--user', 'alex.morgan@contoso.com']);
    expect(u.stdout).toMatch(/✔ User alex\.morgan@contoso\.com/);
    expect(u.stdout).toMatch(/groups\s+AWS-Team-01, .*AWS-Team-26/);
  });

  it('a 503 web page is a server error (after one retry), not a wrong endpoint', async () => {
    lab.unavailableNext(2);
    const e = await client().testConnection().catch((x: unknown) => x as ScimClientError);
    expect(e).toBeInstanceOf(ScimClientError);
    expect((e as ScimClientError).kind).toBe('server');
    expect((e as ScimClientError).message).toMatch(/answered HTTP 503 to GET \/ServiceProviderConfig \(also after 1 retry\) with a web page, not a SCIM error: the server is failing or unavailable/);
    expect((e as ScimClientError).message).not.toMatch(/is this the SCIM endpoint/);
  });

  it('--timeout: a stalled answer is a timeout after the time given; a bad value is a usage error', async () => {
    lab.stallNext(1500, 2);
    const r = await cli(['--test', '--timeout', '300ms', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { error: { kind: string; message: string } };
    expect(out.error).toEqual({ kind: 'timeout', message: 'Identity Center did not answer GET /ServiceProviderConfig within 0.3 s (2 attempts).' });
    await expect(cli(['--test', '--timeout', 'soon'])).rejects.toThrow(/--timeout "soon" is not a time from 100ms to 600s/);
  });
});
