// The SAML ↔ SCIM cross-check: real Entra-shaped responses from the lab factory, analysed by the
// pipeline, and their NameID asked of the loopback Identity Center over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../lib/analyze.ts';
import { ScimClient } from '../../lib/scim/client.ts';
import { crossCheck, identityFromAnalysis, judgeCrossCheck, type AssertionIdentity } from '../../lib/scim/crosscheck.ts';
import { LAB, signedResponse, toPost, URN, type ResponseOptions } from '../lab/factory.ts';
import { startScimLab, type ScimLab } from '../lab/scim/server.ts';

let lab: ScimLab;
const OBJECT_ID = '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f';
beforeAll(async () => {
  lab = await startScimLab({
    users: [
      { userName: LAB.user, externalId: OBJECT_ID, displayName: 'Alex Morgan', givenName: 'Alex', familyName: 'Morgan', email: 'alex.m@contoso-mail.com' },
      { userName: 'chris.obi@contoso.com', displayName: 'Chris Obi', givenName: 'Chris', familyName: 'Obi', email: 'chris.obi@contoso.com', active: false },
      { userName: 'kim@fabrikam.com', displayName: 'Kim Lee', givenName: 'Kim', familyName: 'Lee', email: 'kim@fabrikam.com' },
    ],
    groups: [{ displayName: 'AWS-Engineers', members: [LAB.user] }],
  });
});
afterAll(async () => lab?.close());

function identity(o: ResponseOptions): AssertionIdentity {
  const a = analyze({ messages: [{ id: 'r1', raw: toPost(signedResponse(o)), param: 'SAMLResponse', binding: 'post', url: LAB.acsUrl, method: 'POST', time: new Date().toISOString() }] });
  const id = identityFromAnalysis(a, a.flows[0]);
  expect(id).toBeDefined();
  return id!;
}

const client = () => new ScimClient({ endpoint: lab.endpoint, token: lab.token, sleep: async () => undefined });
const keys = (fs: { checkId: string; messageKey?: string; severity: string }[]) => fs.map((f) => `${f.checkId}:${f.messageKey}:${f.severity}`);

describe('cross-check against Identity Center', () => {
  it('reads the NameID and claims of the assertion', () => {
    const id = identity({ nameId: 'alex.m@contoso-mail.com', upn: LAB.user, email: 'alex.m@contoso-mail.com' });
    expect(id).toMatchObject({
      nameId: 'alex.m@contoso-mail.com',
      nameIdPath: '/Response/Assertion/Subject/NameID',
      nameIdFormat: URN.email,
      upn: { value: LAB.user },
      email: { value: 'alex.m@contoso-mail.com' },
      givenName: { value: 'Alex' },
      familyName: { value: 'Morgan' },
      objectId: { value: OBJECT_ID },
      messageId: 'r1',
    });
  });

  it('the user exists, active, names and email agree: no finding, and its groups', async () => {
    const r = await crossCheck(client(), identity({ email: 'alex.m@contoso-mail.com' }), { groups: true });
    expect(r.error).toBeUndefined();
    expect(r.findings).toEqual([]);
    expect(r.user?.userName).toBe(LAB.user);
    expect(r.groups?.map((g) => g.displayName)).toEqual(['AWS-Engineers']);
    expect(r.asked).toEqual([`userName eq "${LAB.user}"`, `groups: members.value eq "${r.user!.id}"`]);
  });

  it('NameID is the mail (the nameid-mismatch scenario): not found, the closest match is the same email under the UPN', async () => {
    const r = await crossCheck(client(), identity({ nameId: 'alex.m@contoso-mail.com', upn: LAB.user, email: 'alex.m@contoso-mail.com' }));
    expect(keys(r.findings)).toEqual(['scim-user-not-found:sameEmail:error']);
    const f = r.findings[0]!;
    expect(f.message).toBe(`Identity Center has no user named alex.m@contoso-mail.com; the user whose email is alex.m@contoso-mail.com has the user name ${LAB.user}. Sign-in matches the user name, not the email, so AWS will refuse it.`);
    expect(f.evidence[0]).toEqual({ label: 'NameID', expected: LAB.user, actual: 'alex.m@contoso-mail.com', path: '/Response/Assertion/Subject/NameID', source: 'the closest Identity Center user' });
    expect(f.fix).toMatch(/Unique User Identifier \(Name ID\) → Source attribute/);
    expect(f.messageId).toBe('r1');
    expect(r.asked).toEqual(['userName eq "alex.m@contoso-mail.com"', `userName eq "${LAB.user}"`]);
  });

  it('nobody by any identifier: not found, with what was asked', async () => {
    const r = await crossCheck(client(), identity({ nameId: 'ghost@contoso.com', defaultClaims: false }));
    expect(keys(r.findings)).toEqual(['scim-user-not-found:none:error']);
    expect(r.findings[0]!.message).toMatch(/^Identity Center \(127\.0\.0\.1\) has no user named ghost@contoso\.com/);
    expect(r.findings[0]!.fix).toMatch(/Provision on demand/);
  });

  it('a case difference is a warning (AWS does not document case-insensitive matching)', async () => {
    const r = await crossCheck(client(), identity({ nameId: 'Alex.Morgan@contoso.com', email: 'alex.m@contoso-mail.com' }));
    expect(keys(r.findings)).toEqual(['scim-user-not-found:caseDiffers:warning']);
  });

  it('the user is disabled', async () => {
    const r = await crossCheck(client(), identity({ nameId: 'chris.obi@contoso.com', givenName: 'Chris', surname: 'Obi' }));
    expect(keys(r.findings)).toEqual(['scim-user-inactive:inactive:error']);
    expect(r.findings[0]!.evidence[0]).toMatchObject({ label: 'active', expected: 'true', actual: 'false' });
  });

  it('names and email drift', async () => {
    const r = await crossCheck(client(), identity({ givenName: 'Alexandra', email: 'alex.morgan@contoso.com' }));
    expect(keys(r.findings)).toEqual(['scim-attribute-drift:drift:warning']);
    expect(r.findings[0]!.message).toMatch(/^2 attributes differ between the assertion and Identity Center user alex\.morgan@contoso\.com: given name, email\./);
    expect(r.findings[0]!.evidence.map((e) => [e.label, e.expected, e.actual])).toEqual([
      ['given name', 'Alex', 'Alexandra'],
      ['email', 'alex.m@contoso-mail.com', 'alex.morgan@contoso.com'],
    ]);
  });

  it("a guest's #EXT# UPN as NameID: found as the guest's own address", async () => {
    const r = await crossCheck(client(), identity({ nameId: 'kim_fabrikam.com#EXT#@contoso.onmicrosoft.com', upn: 'kim_fabrikam.com#EXT#@contoso.onmicrosoft.com', email: 'kim.other@example.org', givenName: 'Kim', surname: 'Lee' }));
    expect(keys(r.findings)).toEqual(['scim-user-not-found:guest:error']);
  });

  it('a persistent NameID: found by externalId = the Entra object id', async () => {
    const r = await crossCheck(client(), identity({ nameId: 'AAAAAAAAAAAAAAAAAAAAAIx3x', nameIdFormat: URN.persistent, upn: 'other@contoso.com', email: 'other@contoso.com' }));
    expect(keys(r.findings)).toEqual(['scim-user-not-found:objectId:error']);
    expect(r.findings[0]!.message).toContain(OBJECT_ID);
  });

  it('cannot ask (bad token): an error, no finding', async () => {
    const r = await crossCheck(new ScimClient({ endpoint: lab.endpoint, token: 'wrong' }), identity({}));
    expect(r.findings).toEqual([]);
    expect(r.error?.kind).toBe('unauthorized');
  });

  it('throttled while asking: the back-off is reported with the result', async () => {
    lab.throttleNext(1);
    const r = await crossCheck(client(), identity({ email: 'alex.m@contoso-mail.com' }));
    expect(r.findings).toEqual([]);
    expect(r.events.map((e) => e.kind)).toEqual(['throttled']);
  });

  it('judgeCrossCheck is pure', () => {
    const id: AssertionIdentity = { nameId: 'a@b.c', nameIdPath: '/x', messageId: 'm' };
    expect(keys(judgeCrossCheck(id, { candidates: [] }, 'scim.eu-west-1.amazonaws.com'))).toEqual(['scim-user-not-found:none:error']);
  });

  it('a user name typed on the SCIM page: no assertion or sign-in is spoken of, and e-mail addresses are explained (found by a review)', () => {
    const typed: AssertionIdentity = { nameId: 'alex.m@contoso-mail.com', nameIdPath: 'the user name typed here', messageId: 'scim-page', typed: true };
    const [f] = judgeCrossCheck(typed, { candidates: [] }, 'scim.eu-west-1.amazonaws.com');
    expect(keys([f!])).toEqual(['scim-user-not-found:typed:error']);
    expect(f!.message).toBe(
      "Identity Center (scim.eu-west-1.amazonaws.com) has no user named alex.m@contoso-mail.com. It finds users by their user name (or externalId), not by e-mail address: if alex.m@contoso-mail.com is someone's e-mail, look them up by their user name (with Entra's default mappings, the UPN). Else the user was never provisioned, and a sign-in with this NameID is refused.",
    );
    expect(f!.evidence.find((e) => e.label === 'asked Identity Center')!.actual).toBe('userName eq "alex.m@contoso-mail.com"');
    expect(f!.message).not.toMatch(/assertion/);
  });
});
