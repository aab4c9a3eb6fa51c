// The SCIM client against the loopback server that behaves like Identity Center
// (test/lab/scim/server.ts), over real HTTP: lookups, pagination, and every failure it must
// explain: 400, 401, 404, 429 (back-off, then giving up), 5xx, a dropped connection, a timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEndpoint, ScimClient, ScimClientError, type ClientEvent } from '../../lib/scim/client.ts';
import { startScimLab, type ScimLab } from '../lab/scim/server.ts';

let lab: ScimLab;
const sleeps: number[] = [];

const USERS = [
  { userName: 'alex.morgan@contoso.com', externalId: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f', displayName: 'Alex Morgan', givenName: 'Alex', familyName: 'Morgan', email: 'alex.m@contoso-mail.com', title: 'Engineer' },
  { userName: 'chris.obi@contoso.com', displayName: 'Chris Obi', givenName: 'Chris', familyName: 'Obi', email: 'chris.obi@contoso.com', active: false },
];
const GROUPS = Array.from({ length: 5 }, (_, i) => ({ displayName: `AWS-Team-${i + 1}`, externalId: `g-${i + 1}`, members: ['alex.morgan@contoso.com'] }));

function client(o: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}, events?: ClientEvent[]) {
  return new ScimClient({
    endpoint: lab.endpoint,
    token: lab.token,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...(events ? { onEvent: (e) => events.push(e) } : {}),
    ...o,
  });
}

async function failure(p: Promise<unknown>): Promise<ScimClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ScimClientError);
    return e as ScimClientError;
  }
  throw new Error('expected a ScimClientError');
}

beforeAll(async () => {
  lab = await startScimLab({ users: USERS, groups: GROUPS, pageSize: 2 });
});
afterAll(async () => lab?.close());

describe('lookups', () => {
  it('tests the connection with ServiceProviderConfig', async () => {
    const c = await client().testConnection();
    expect(c).toMatchObject({ patch: true, bulk: false, filter: true, maxResults: 50, authenticationSchemes: ['oauthbearertoken'] });
    expect(lab.requests.slice(-2)).toMatchObject([
      { method: 'GET', path: `/${lab.tenantId}/scim/v2/ServiceProviderConfig`, auth: 'ok', status: 200 },
      { method: 'GET', path: `/${lab.tenantId}/scim/v2/Users`, query: '?filter=userName%20eq%20%22samlscope-connection-test%40invalid%22', auth: 'ok', status: 200 },
    ]);
  });

  it('finds a user by userName (the filter ignores case, like userName\'s caseExact: false) and by externalId', async () => {
    const c = client();
    const u = await c.findUserByUserName('Alex.Morgan@contoso.com');
    expect(u).toMatchObject({ userName: 'alex.morgan@contoso.com', givenName: 'Alex', familyName: 'Morgan', displayName: 'Alex Morgan', active: true, emails: [{ value: 'alex.m@contoso-mail.com', primary: true }] });
    expect(lab.requests.at(-1)!.query).toBe('?filter=userName%20eq%20%22Alex.Morgan%40contoso.com%22');
    expect((await c.findUserByExternalId('5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f'))?.id).toBe(u!.id);
    expect(await c.findUserByUserName('nobody@contoso.com')).toBeUndefined();
    expect((await c.findUserByUserName('chris.obi@contoso.com'))?.active).toBe(false);
    expect(await c.getUser(u!.id)).toMatchObject({ userName: 'alex.morgan@contoso.com' });
  });

  it('escapes quotes in filter values', async () => {
    expect(await client().findUserByUserName('a"b\\c')).toBeUndefined();
    expect(lab.requests.at(-1)!.query).toBe('?filter=userName%20eq%20%22a%5C%22b%5C%5Cc%22');
  });

  it('lists a user\'s groups with members.value, across cursor pages (GetGroup returns no members)', async () => {
    const c = client();
    const u = (await c.findUserByUserName('alex.morgan@contoso.com'))!;
    const before = lab.requests.length;
    const groups = await c.groupsOfUser(u.id);
    expect(groups.map((g) => g.displayName).sort()).toEqual(GROUPS.map((g) => g.displayName));
    const pages = lab.requests.slice(before);
    expect(pages.map((r) => new URLSearchParams(r.query).get('cursor'))).toEqual(['', '2', '4']);
    const g = (await c.findGroup('AWS-Team-1'))!;
    expect(await c.get(`/Groups/${g.id}`)).toMatchObject({ displayName: 'AWS-Team-1', members: [] });
    const members = await c.membersOfGroup(g.id);
    expect(members).toMatchObject({ supported: true, users: [{ userName: 'alex.morgan@contoso.com' }] });
  });
});

describe('failures', () => {
  it('400: a filter Identity Center refuses, with AWS\'s detail and the likely cause', async () => {
    const e = await failure(client().get('/Users?filter=emails.value%20eq%20%22a%40b.c%22'));
    expect(e.kind).toBe('bad-request');
    expect(e.info.status).toBe(400);
    expect(e.info.detail).toBe('Request is unparsable, syntactically incorrect, or violates schema.');
    expect(e.info.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toBe(
      'Identity Center answered HTTP 400 (ValidationException) to GET /Users: "Request is unparsable, syntactically incorrect, or violates schema.". Identity Center refused the request as invalid (HTTP 400, ValidationException). AWS gives the same text for many different problems.',
    );
  });

  it('401: a wrong token, and a wrong tenant id; the token never appears', async () => {
    const e = await failure(client({ token: 'expired-token-XYZ' }).testConnection());
    expect(e.kind).toBe('unauthorized');
    expect(e.message).toMatch(/^Identity Center answered HTTP 401 \(UnauthorizedException\) to GET \/ServiceProviderConfig/);
    // Both causes, the token and the tenant id in the endpoint; the year said once (found by a review).
    expect(e.message).toContain('The SCIM access token expired or was deleted in AWS. Or: the endpoint has the wrong tenant id, or the token belongs to another Identity Center instance (check the endpoint against the one shown beside the tokens in AWS). Generate a new token');
    expect(e.message.match(/one year/g)).toHaveLength(1);
    expect(lab.requests.at(-1)!.auth).toBe('bad');
    const t = await failure(client({ endpoint: lab.endpoint.replace(lab.tenantId, '00000000-0000-0000-0000-000000000000') }).testConnection());
    expect(t.kind).toBe('unauthorized');
    for (const x of [e, t]) expect(JSON.stringify({ m: x.message, i: x.info })).not.toContain(lab.token);
    expect(lab.requests.some((r) => r.query.includes(lab.token) || r.path.includes(lab.token))).toBe(false);
  });

  it('404 on an endpoint whose path is not /<tenant id>/scim/v2: the path, not a missing user (found by a review)', async () => {
    const wrong = lab.endpoint.replace(/\/scim\/v2$/, '');
    const e = await failure(client({ endpoint: wrong }).testConnection());
    expect(e.kind).toBe('bad-response');
    expect(e.message).toBe(
      `Identity Center answered HTTP 404 to GET /ServiceProviderConfig: ${wrong} is not its SCIM endpoint. The endpoint ends in /<tenant id>/scim/v2; copy it whole from IAM Identity Center (Settings → Identity source → Automatic provisioning).`,
    );
    expect(e.message).not.toContain('does not exist in Identity Center');
  });

  it('404: a user id that does not exist, and a membership filter on it', async () => {
    const c = client();
    expect(await c.getUser('00000000-dead-beef-0000-000000000000')).toBeUndefined();
    const e = await failure(c.groupsOfUser('00000000-dead-beef-0000-000000000000'));
    expect(e.kind).toBe('not-found');
    expect(e.message).toMatch(/HTTP 404 \(ResourceNotFoundException\)/);
  });

  it('429: backs off (doubling, or as Retry-After says), says so, and succeeds', async () => {
    const events: ClientEvent[] = [];
    sleeps.length = 0;
    lab.throttleNext(2);
    expect((await client({}, events).testConnection()).patch).toBe(true);
    expect(sleeps).toEqual([1000, 2000]);
    expect(events.map((e) => e.message)).toEqual([
      'Identity Center throttled GET /ServiceProviderConfig (HTTP 429); waiting 1.0 s before retry 1 of 3.',
      'Identity Center throttled GET /ServiceProviderConfig (HTTP 429); waiting 2.0 s before retry 2 of 3.',
    ]);
    sleeps.length = 0;
    lab.throttleNext(1, 3);
    await client().testConnection();
    expect(sleeps).toEqual([3000]);
  });

  it('429: gives up after the bounded retries with a clear error', async () => {
    const events: ClientEvent[] = [];
    sleeps.length = 0;
    lab.throttleNext(10);
    const e = await failure(client({}, events).findUserByUserName('alex.morgan@contoso.com'));
    lab.throttleNext(0);
    expect(e.kind).toBe('throttled');
    expect(e.info.attempts).toBe(4);
    expect(e.message).toBe('Identity Center still throttled GET /Users (HTTP 429) after 3 retries over 7.0 s. Try again in a minute.');
    expect(sleeps).toEqual([1000, 2000, 4000]);
    // The give-up is the error itself: onEvent is not told it again (the CLI printed it twice).
    expect(events.map((x) => x.kind)).toEqual(['throttled', 'throttled', 'throttled']);
    const c = client({});
    await failure((lab.throttleNext(10), c.findUserByUserName('alex.morgan@contoso.com')));
    lab.throttleNext(0);
    expect(c.events.map((x) => x.kind)).toEqual(['throttled', 'throttled', 'throttled', 'gave-up']);
  });

  it('a dropped connection: one retry, then a network error', async () => {
    const events: ClientEvent[] = [];
    lab.dropNext(1);
    expect((await client({}, events).testConnection()).patch).toBe(true);
    expect(events.map((e) => e.message)).toEqual(['The connection dropped on GET /ServiceProviderConfig; retrying once.']);
    lab.dropNext(2);
    const e = await failure(client().testConnection());
    expect(e.kind).toBe('network');
    expect(e.info.attempts).toBe(2);
    expect(e.message).toMatch(/^Could not reach 127\.0\.0\.1 \(.+; 2 attempts\)\. Check the endpoint/);
    expect(lab.requests.filter((r) => r.status === 'dropped').length).toBeGreaterThanOrEqual(3);
  });

  it('5xx: one retry, then a server error', async () => {
    lab.failNext(1);
    expect((await client().testConnection()).patch).toBe(true);
    lab.failNext(2, 503);
    const e = await failure(client().testConnection());
    expect(e.kind).toBe('server');
    expect(e.info.status).toBe(503);
  });

  it('a timeout, and an answer that is not JSON', async () => {
    const hang: typeof fetch = (_u, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const e = await failure(client({ fetch: hang, timeoutMs: 30, transientRetries: 0 }).testConnection());
    expect(e.kind).toBe('timeout');
    const html: typeof fetch = async () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const h = await failure(client({ fetch: html }).testConnection());
    expect(h.kind).toBe('bad-response');
    expect(h.message).toMatch(/is not JSON \(HTTP 200, text\/html\): is this the SCIM endpoint\?/);
    const big: typeof fetch = async () => new Response('x'.repeat(5000), { status: 200 });
    expect((await failure(client({ fetch: big, maxResponseBytes: 1000 }).testConnection())).kind).toBe('bad-response');
  });
});

describe('endpoint', () => {
  it('accepts the two AWS forms and normalises what people paste', () => {
    const a = parseEndpoint(' https://scim.eu-west-1.amazonaws.com/1111-2222/scim/v2/ ');
    expect(a).toMatchObject({ ok: true, info: { endpoint: 'https://scim.eu-west-1.amazonaws.com/1111-2222/scim/v2', region: 'eu-west-1', tenantId: '1111-2222', dualStack: false, permission: 'https://scim.eu-west-1.amazonaws.com/*', warnings: [] } });
    const b = parseEndpoint('https://scim.us-east-1.api.aws/t/scim/v2/Users/abc');
    expect(b).toMatchObject({ ok: true, info: { endpoint: 'https://scim.us-east-1.api.aws/t/scim/v2', dualStack: true, permission: 'https://scim.us-east-1.api.aws/*' } });
  });
  it('refuses clear text, credentials and queries; warns on other hosts', () => {
    expect(parseEndpoint('http://scim.eu-west-1.amazonaws.com/t/scim/v2')).toMatchObject({ ok: false, message: expect.stringMatching(/must be https/) });
    expect(parseEndpoint('https://u:p@scim.eu-west-1.amazonaws.com/t/scim/v2').ok).toBe(false);
    expect(parseEndpoint('https://scim.eu-west-1.amazonaws.com/t/scim/v2?x=1').ok).toBe(false);
    expect(parseEndpoint('not a url').ok).toBe(false);
    const w = parseEndpoint('https://example.com/scim');
    expect(w.ok && w.info.warnings).toEqual(['example.com is not an Identity Center SCIM host (scim.<region>.amazonaws.com or scim.<region>.api.aws).', 'The path /scim does not have the shape /<tenant id>/scim/v2.']);
    expect(() => new ScimClient({ endpoint: 'https://scim.eu-west-1.amazonaws.com/t/scim/v2', token: ' ' })).toThrow(/access token/);
  });
});
