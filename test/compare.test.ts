// Comparing two sign-ins (lib/compare): for each compared field, a pair of lab-made messages
// that differ in that one field gives exactly one difference row, of the right kind; identical
// pairs give none; an undecodable side says so. Then flows (picking, the default pair) and the
// reports (text, Markdown, JSON).
import { X509Certificate, createHash } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzedMessage } from '../lib/analyze.ts';
import { CompareError, compareFlows, compareMessages, candidatesOf, defaultPair, describeCandidate, pickFlow, responseOf, type CompareRow } from '../lib/compare/index.ts';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from '../lib/compare/report.ts';
import { CLAIM, LAB, URN, makeAuthnRequest, makeResponse, samlId, signedResponse, toPost, toRedirect, type ResponseOptions, type SignOptions } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';
import { labSignInHar } from './fixtures/har.ts';
import { readHar } from '../lib/har/index.ts';

const t0 = new Date('2026-11-25T10:00:00Z');
const min = (n: number) => new Date(t0.getTime() + n * 60e3);

/** A signed message as captured at `at` (default: when it was issued), analysed, its Response. */
function readXml(xml: string, at = t0): AnalyzedMessage {
  return responseOf(analyze({ messages: [{ id: samlId(), raw: toPost(xml), time: at.toISOString(), url: LAB.acsUrl, param: 'SAMLResponse' }] }).messages)!;
}
const read = (o: ResponseOptions = {}, s: SignOptions = {}, at = t0) => readXml(signedResponse({ issueInstant: t0, ...o }, s), at);

/** Signs the assertion with its own signature and digest algorithms (the factory ties them). */
function signWith(xml: string, signatureAlgorithm: string, digestAlgorithm: string): string {
  const sig = new SignedXml({ privateKey: IDP_KEY.privateKeyPem, publicCert: IDP_KEY.certPem, signatureAlgorithm, canonicalizationAlgorithm: URN.excC14n });
  sig.addReference({ xpath: "(//*[local-name(.)='Assertion'])[1]", digestAlgorithm, transforms: [URN.enveloped, URN.excC14n] });
  sig.computeSignature(xml, { location: { reference: "(//*[local-name(.)='Assertion'])[1]/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

const diff = (good: AnalyzedMessage, bad: AnalyzedMessage) => compareMessages(good, bad).rows.filter((r) => r.change !== 'same');
const brief = (r: CompareRow) => [r.field, r.change, r.good, r.bad];

const OTHER_TENANT = 'https://sts.windows.net/0a0b0c0d-2222-4a5b-9c8d-0123456789ab/';

describe('comparing two Responses, one field at a time', () => {
  const good = read();

  it('finds nothing between two clean sign-ins taken at different times, or a message and itself', () => {
    expect(diff(good, good)).toEqual([]);
    expect(diff(good, read({ issueInstant: min(24 * 60) }, {}, min(24 * 60)))).toEqual([]);
    const c = compareMessages(good, read());
    expect(c.differences).toBe(0);
    expect(c.same).toBe(c.rows.length);
    expect(c.rows.length).toBeGreaterThan(25);
    expect(c.notes).toEqual([]);
  });

  // [field, the failing message's options, its sign options, change, good value, bad value]
  const cases: [string, ResponseOptions, SignOptions, CompareRow['change'], string | undefined, string | undefined][] = [
    ['Response Issuer', { issuer: OTHER_TENANT, assertionIssuer: LAB.issuer }, {}, 'changed', LAB.issuer, OTHER_TENANT],
    ['Assertion Issuer', { assertionIssuer: OTHER_TENANT }, {}, 'changed', LAB.issuer, OTHER_TENANT],
    ['Status', { status: { code: URN.requester, subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied' }, assertion: true }, {}, 'changed', 'Success', 'Requester / RequestDenied'],
    ['StatusMessage', { status: { code: URN.success, message: 'AADSTS50105: not assigned' } }, {}, 'added', undefined, 'AADSTS50105: not assigned'],
    ['Destination', { destination: null }, {}, 'removed', LAB.acsUrl, undefined],
    ['Destination', { destination: `${LAB.acsUrl}/` }, {}, 'changed', LAB.acsUrl, `${LAB.acsUrl}/`],
    ['InResponseTo', { inResponseTo: '_req-1', scdInResponseTo: null }, {}, 'added', undefined, 'present (_req-1)'],
    ['assertions', { extraAssertions: 1 }, {}, 'changed', '1', '2'],
    ['signed element', {}, { target: 'response' }, 'changed', 'Assertion', 'Response'],
    ['signed element', {}, { target: 'both' }, 'changed', 'Assertion', 'Response + Assertion'],
    ['NameID', { nameId: 'alex.m@contoso-mail.com', upn: LAB.user }, {}, 'changed', LAB.user, 'alex.m@contoso-mail.com'],
    ['NameID Format', { nameIdFormat: URN.unspecified }, {}, 'changed', URN.email, URN.unspecified],
    ['NameID Format', { nameIdFormat: null }, {}, 'removed', URN.email, undefined],
    ['Recipient', { recipient: `${LAB.acsUrl}/` }, {}, 'changed', LAB.acsUrl, `${LAB.acsUrl}/`],
    ['SubjectConfirmationData InResponseTo', { scdInResponseTo: '_req-2' }, {}, 'added', undefined, 'present (_req-2)'],
    ['Audience', { audience: `${LAB.spEntityId}/` }, {}, 'changed', LAB.spEntityId, `${LAB.spEntityId}/`],
    ['Audience', { audience: [LAB.spEntityId, 'urn:amazon:webservices'] }, {}, 'changed', LAB.spEntityId, `${LAB.spEntityId}, urn:amazon:webservices`],
    ['Audience', { audience: null }, {}, 'removed', LAB.spEntityId, undefined],
    ['AuthnContextClassRef', { authnContextClassRef: 'http://schemas.microsoft.com/claims/multipleauthn' }, {}, 'changed', 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password', 'http://schemas.microsoft.com/claims/multipleauthn'],
    [`${URN.accessControl}CostCenter`, { accessControl: { CostCenter: 'CC-1' } }, {}, 'added', undefined, 'CC-1'],
    [CLAIM.givenName, { givenName: 'Alexandra' }, {}, 'changed', 'Alex', 'Alexandra'],
  ];

  it.each(cases)('%s: %j %j gives one %s row', (field, o, s, change, g, b) => {
    expect(diff(good, read(o, s)).map(brief)).toEqual([[field, change, g, b]]);
  });

  it('a NameID left out takes its Format with it: two rows, both "removed"', () => {
    expect(diff(good, read({ nameId: null })).map(brief)).toEqual([
      ['NameID', 'removed', LAB.user, undefined],
      ['NameID Format', 'removed', URN.email, undefined],
    ]);
  });

  it('an attribute only the known-good one has is "removed"', () => {
    const withDept = read({ accessControl: { Department: 'Finance' } });
    expect(diff(withDept, good).map(brief)).toEqual([[`${URN.accessControl}Department`, 'removed', 'Finance', undefined]]);
  });

  it('multi-valued attributes: a value added is one row that says which; the order of values does not matter', () => {
    const three = read({ groups: 3 });
    const rows = diff(three, read({ groups: 4 }));
    expect(rows.map((r) => [r.field, r.change])).toEqual([[CLAIM.groups, 'changed']]);
    expect(rows[0]!.values?.good).toHaveLength(3);
    expect(rows[0]!.values?.bad).toHaveLength(4);
    expect(rows[0]!.detail).toBe('added 1 value: 0b7c0003-1a2b-4c3d-8e9f-0a1b2c3d4e5f');
    const ab = read({ attributes: [{ name: 'Role', values: ['a', 'b'] }] });
    expect(diff(ab, read({ attributes: [{ name: 'Role', values: ['b', 'a'] }] }))).toEqual([]);
    const changed = diff(ab, read({ attributes: [{ name: 'Role', values: ['a', 'c'] }] }));
    expect(changed.map((r) => [r.field, r.change, r.detail])).toEqual([['Role', 'changed', 'removed 1 value: b · added 1 value: c']]);
    // A duplicated value is a difference (multisets).
    expect(diff(ab, read({ attributes: [{ name: 'Role', values: ['a', 'b', 'b'] }] })).map((r) => r.detail)).toEqual(['added 1 value: b']);
  });

  it('two InResponseTo values that differ (each sign-in has its own request) are the same field', () => {
    expect(diff(read({ inResponseTo: '_one' }), read({ inResponseTo: '_two' }))).toEqual([]);
  });

  it('signature algorithm and digest algorithm apart', () => {
    const sha256 = readXml(signWith(makeResponse({ issueInstant: t0 }), URN.rsaSha256, URN.sha256));
    expect(diff(good, sha256)).toEqual([]);
    expect(diff(good, readXml(signWith(makeResponse({ issueInstant: t0 }), URN.rsaSha1, URN.sha256))).map(brief)).toEqual([
      ['signature algorithm', 'changed', URN.rsaSha256, URN.rsaSha1],
    ]);
    expect(diff(good, readXml(signWith(makeResponse({ issueInstant: t0 }), URN.rsaSha256, URN.sha1))).map(brief)).toEqual([
      ['digest algorithm', 'changed', URN.sha256, URN.sha1],
    ]);
  });

  it('an unsigned Response: the signed element is "none" and the algorithms and certificate are gone', () => {
    const unsigned = readXml(makeResponse({ issueInstant: t0 }));
    expect(diff(good, unsigned).map((r) => [r.field, r.change])).toEqual([
      ['signed element', 'changed'],
      ['signature algorithm', 'removed'],
      ['digest algorithm', 'removed'],
      ['certificate (SHA-1 thumbprint)', 'removed'],
    ]);
  });

  it('the certificate by its SHA-1 thumbprint, upper-case hex as Entra shows it, with SHA-256 and subject beside', () => {
    const rows = diff(good, read({}, { key: OTHER_KEY }));
    expect(rows.map(brief)).toEqual([['certificate (SHA-1 thumbprint)', 'changed', IDP_KEY.sha1, OTHER_KEY.sha1]]);
    // Checked against Node's own X.509 reader, not our hash code.
    expect(IDP_KEY.sha1).toBe(new X509Certificate(IDP_KEY.certPem).fingerprint.replace(/:/g, ''));
    const sha256 = createHash('sha256').update(Buffer.from(OTHER_KEY.certBase64, 'base64')).digest('hex').toUpperCase();
    expect(rows[0]!.note?.bad).toMatch(new RegExp(`^SHA-256 ${sha256} · CN=Microsoft Azure Federated SSO Certificate \\(other\\) · valid to \\d{4}-\\d{2}-\\d{2}$`));
  });

  it('an encrypted assertion: the encryption differs, and what it hides is not called removed', () => {
    const plain = read({}, { target: 'response' });
    const c = compareMessages(plain, read({ encrypted: true }, { target: 'response' }));
    expect(c.rows.filter((r) => r.change !== 'same').map(brief)).toEqual([['encryption', 'changed', 'none', 'EncryptedAssertion']]);
    expect(c.notes).toEqual(["The failing Response's assertion is encrypted: its subject, conditions and attributes cannot be compared."]);
  });

  it('a refused sign-in (no assertion): the Status and the assertion count differ, and a note says why the rest is not compared', () => {
    const c = compareMessages(good, read({ status: { code: URN.requester, message: 'AADSTS50105' } }, { target: 'response' }));
    expect(c.rows.filter((r) => r.change !== 'same').map((r) => r.field)).toEqual(['Status', 'StatusMessage', 'assertions', 'signed element']);
    expect(c.notes[0]).toMatch(/^The failing Response holds no assertion \(status Requester\): Entra refused/);
  });
});

describe('validity windows, relative to each capture time', () => {
  const good = read();

  it('NotOnOrAfter', () => {
    const rows = diff(good, read({ notOnOrAfter: min(5) }));
    expect(rows.map((r) => [r.field, r.change])).toEqual([['NotOnOrAfter', 'changed']]);
    expect(rows[0]!.good).toMatch(/\(1 h 10 min after capture\)$/);
    expect(rows[0]!.bad).toMatch(/\(5 min after capture\)$/);
  });

  it('NotBefore, SubjectConfirmationData NotOnOrAfter, IssueInstant, each alone', () => {
    expect(diff(good, read({ notBefore: min(-5) })).map((r) => [r.field, r.change, r.bad])).toEqual([['NotBefore', 'changed', '2026-11-25T09:55:00Z (5 min before capture)']]);
    expect(diff(good, read({ notBefore: null })).map(brief)).toEqual([['NotBefore', 'removed', '2026-11-25T10:00:00Z (at capture)', undefined]]);
    expect(diff(good, read({ scdNotOnOrAfter: min(15) })).map((r) => [r.field, r.change, r.bad])).toEqual([
      ['SubjectConfirmationData NotOnOrAfter', 'changed', '2026-11-25T10:15:00Z (15 min after capture)'],
    ]);
    // Issued 10 minutes later than captured, with the same absolute window.
    const late = read({ issueInstant: min(10), notBefore: t0, notOnOrAfter: min(70), scdNotOnOrAfter: min(5) });
    expect(diff(good, late).map((r) => [r.field, r.change, r.bad])).toEqual([['IssueInstant', 'changed', '2026-11-25T10:10:00Z (10 min after capture)']]);
  });

  it('a response used two hours after it was issued: every time differs; 30 seconds later: none', () => {
    expect(diff(good, read({}, {}, min(120))).map((r) => r.field)).toEqual(['IssueInstant', 'SubjectConfirmationData NotOnOrAfter', 'NotBefore', 'NotOnOrAfter']);
    expect(diff(good, read({}, {}, new Date(t0.getTime() + 30e3)))).toEqual([]);
  });

  it('the server Date of the ACS is the capture time when known; with no capture time, IssueInstant is', () => {
    const m = analyze({ messages: [{ id: 'a', raw: toPost(signedResponse({ issueInstant: t0 })), time: min(-60).toISOString(), serverDate: t0.toUTCString(), url: LAB.acsUrl }] }).messages[0]!;
    expect(diff(good, m)).toEqual([]);
    const pasted = analyze({ messages: [{ id: 'p', raw: toPost(signedResponse({ issueInstant: min(-600) })) }] }).messages[0]!;
    const c = compareMessages(good, pasted);
    expect(c.differences).toBe(0);
    expect(c.rows.find((r) => r.field === 'NotOnOrAfter')!.bad).toMatch(/\(1 h 10 min after IssueInstant\)$/);
  });
});

describe('unreadable input', () => {
  const good = read();
  it('says which side could not be decoded, and why', () => {
    const bad = analyze({ messages: [{ id: 'x', raw: 'not base64 !!', param: 'SAMLResponse' }] }).messages[0]!;
    const c = compareMessages(good, bad);
    expect(c.rows).toEqual([{ group: 'message', field: 'message type', good: 'Response', bad: 'unreadable (bad-base64)', change: 'changed' }]);
    expect(c.error).toMatch(/^the failing message \(x\) is not a readable SAML message: The value is not base64/);
    const xml = analyze({ messages: [{ id: 'y', raw: '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><unclosed>' }] }).messages[0]!;
    expect(compareMessages(xml, good).error).toMatch(/^the known-good message \(y\) is not a readable SAML message: /);
  });

  it('pickFlow refuses an input with no readable message, or no Response, in one clear sentence', () => {
    const garbage = analyze({ messages: [{ id: 'g', raw: 'not base64 !!' }], singleFlow: true });
    expect(() => pickFlow(garbage, undefined, 'bad.txt')).toThrow(/^bad\.txt: not a readable SAML message \(bad-base64: /);
    const request = analyze({ messages: [{ id: 'r', raw: toRedirect(makeAuthnRequest()) }], singleFlow: true });
    expect(() => pickFlow(request, undefined, 'req.txt')).toThrow(new CompareError('req.txt: no sign-in with a SAML Response (or an AuthnRequest Entra refused) to compare (it holds: AuthnRequest)'));
  });
});

describe('flows', () => {
  /** Two sign-ins in one HAR: clean at 10:00, audience with a trailing slash at 11:00. */
  function twoSignIns() {
    const one = JSON.parse(labSignInHar({ start: t0 }).text);
    const two = JSON.parse(labSignInHar({ start: min(60), response: { audience: `${LAB.spEntityId}/` } }).text);
    one.log.entries.push(...two.log.entries);
    const h = readHar(JSON.stringify(one), 'har:two.har');
    if (!h.ok) throw new Error(h.message);
    return analyze({ messages: h.messages, steps: h.steps, analysisTime: min(120) });
  }

  it('lists the sign-ins with a Response, picks the last by default or the one asked for, and compares them', () => {
    const a = twoSignIns();
    const cands = candidatesOf(a);
    expect(cands.map((c) => [c.number, c.errors > 0])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(describeCandidate(cands[1]!, a.flows.length)).toMatch(/^flow 2 of 2 · SP-initiated · 2026-11-25 11:00:00Z · NameID alex\.morgan@contoso\.com · \d+ errors?$/);
    expect(pickFlow(a, undefined, 'two.har')).toMatchObject({ by: 'latest', picked: { number: 2 } });
    // A known-good side takes its latest without errors, a failing side its latest with errors.
    expect(pickFlow(a, undefined, 'two.har', 'clean')).toMatchObject({ chosen: false, by: 'latest-clean', picked: { number: 1 } });
    expect(pickFlow(a, undefined, 'two.har', 'failing')).toMatchObject({ chosen: false, by: 'latest-failing', picked: { number: 2 } });
    // None of the kind wanted: the latest, said as such.
    const clean = analyze({ messages: a.messages.filter((m) => m.flowId === a.flows[0]!.id).map((m) => m.capture), analysisTime: min(120) });
    expect(pickFlow(clean, undefined, 'one.har', 'failing')).toMatchObject({ by: 'latest', picked: { number: 1, errors: 0 } });
    expect(pickFlow(a, '1', 'two.har')).toMatchObject({ chosen: true, picked: { number: 1 } });
    expect(pickFlow(a, a.flows[0]!.id, 'two.har').picked.number).toBe(1);
    expect(() => pickFlow(a, '3', 'two.har')).toThrow(/^two\.har: there is no flow 3; its flows:\n {2}1\. flow 1 of 2 · SP-initiated .*\n {2}2\. flow 2 of 2 /);
    const c = compareFlows({ analysis: a, flow: cands[0]!.flow }, { analysis: a, flow: cands[1]!.flow });
    expect(c.rows.filter((r) => r.change !== 'same').map(brief)).toEqual([['Audience', 'changed', LAB.spEntityId, `${LAB.spEntityId}/`]]);
  });

  it('the default pair: the latest failing flow against the latest one without errors', () => {
    const t = (h: number) => min(h * 60).toISOString();
    expect(defaultPair([])).toEqual({});
    expect(defaultPair([{ errors: 0, time: t(0) }])).toEqual({ bad: 0 });
    expect(defaultPair([{ errors: 0, time: t(0) }, { errors: 2, time: t(1) }, { errors: 0, time: t(2) }, { errors: 1, time: t(3) }])).toEqual({ good: 2, bad: 3 });
    // Order of the list does not matter; times do.
    expect(defaultPair([{ errors: 1, time: t(3) }, { errors: 0, time: t(2) }, { errors: 0, time: t(0) }])).toEqual({ good: 1, bad: 0 });
    // No failing flow: the latest against the one before it.
    expect(defaultPair([{ errors: 0, time: t(0) }, { errors: 0, time: t(1) }])).toEqual({ good: 0, bad: 1 });
    // Only failing flows: the latest against the one before it.
    expect(defaultPair([{ errors: 1, time: t(0) }, { errors: 3, time: t(1) }])).toEqual({ good: 0, bad: 1 });
  });
});

describe('reports', () => {
  const good = read({ groups: 2 });
  const bad = read({ nameId: 'evil\u202e@x.com', upn: LAB.user, groups: 3 });
  const c = compareMessages(good, bad);
  const sides = { good: { source: 'good.har', flow: 'flow 1 of 1', messageId: 'har:3' }, bad: { source: 'bad.har', flow: 'flow 2 of 2', messageId: 'har:7' } };

  it('text: differences only, identical fields counted, bidi and control characters made visible', () => {
    const t = renderDiffText(c, sides);
    expect(t).toContain('Known-good: good.har · flow 1 of 1\n');
    expect(t).toContain('≠ NameID (changed)');
    expect(t).toContain('failing     evil\\u202e@x.com');
    expect(t).not.toContain('\u202e');
    expect(t).toContain('added 1 value: 0b7c0002');
    expect(t).toMatch(/2 fields differ; \d+ fields are the same \(--all shows them\)\.\n$/);
    expect(t).not.toContain('Audience');
    expect(renderDiffText(c, { ...sides, all: true })).toContain(`= Audience: ${LAB.spEntityId}`);
    expect(renderDiffText(c, { ...sides, color: true })).toContain('\x1b[1m');
  });

  it('Markdown: a table of the differences, values in code spans', () => {
    const md = renderDiffMarkdown(c, sides);
    expect(md).toContain('| Subject: `NameID` | `alex.morgan@contoso.com` | `evil\\u202e@x.com` | **changed** |');
    expect(md).not.toContain('<details>');
    expect(renderDiffMarkdown(c, { ...sides, all: true })).toMatch(/<details><summary>\d+ identical fields<\/summary>/);
  });

  it('JSON: every row, same ones included', () => {
    const j = JSON.parse(renderDiffJson(c, sides));
    expect(j.differences).toBe(2);
    expect(j.rows).toHaveLength(c.rows.length);
    expect(j.good).toEqual(sides.good);
    expect(j.error).toBeNull();
  });
});

describe('the default pair', () => {
  it('prefers a clean sign-in of the same kind as the failing one', async () => {
    const { defaultPair } = await import('../lib/compare/index.ts');
    const list = [
      { errors: 0, time: '2026-11-25T10:00:00Z', type: 'sp-initiated' },
      { errors: 0, time: '2026-11-25T10:01:00Z', type: 'idp-initiated' },
      { errors: 2, time: '2026-11-25T10:02:00Z', type: 'sp-initiated' },
    ];
    expect(defaultPair(list)).toEqual({ good: 0, bad: 2 });
    expect(defaultPair(list.map((x) => ({ errors: x.errors, time: x.time })))).toEqual({ good: 1, bad: 2 });
  });
});

describe('a sign-in Entra stopped', () => {
  it('is compared by its AuthnRequest with the good sign-in\'s AuthnRequest: the ACS that Entra refused stands out', async () => {
    const { analyze } = await import('../lib/analyze.ts');
    const { candidatesOf, comparable, compareMessages } = await import('../lib/compare/index.ts');
    const { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } = await import('./lab/factory.ts');
    const t0 = Date.parse('2026-11-25T10:00:00Z');
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const goodId = samlId();
    const other = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const a = analyze({
      messages: [
        { id: 'q1', raw: toRedirect(makeAuthnRequest({ id: goodId })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: at(0), tabId: 1 },
        { id: 'r1', raw: toPost(signedResponse({ inResponseTo: goodId, issueInstant: new Date(t0) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: at(1), tabId: 1 },
        { id: 'q2', raw: toRedirect(makeAuthnRequest({ id: samlId(), acsUrl: other })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: at(60), tabId: 1 },
      ],
      pageErrors: [{ id: 'e', source: 'entra', url: LAB.ssoUrl, time: at(61), tabId: 1, code: 'AADSTS50011', seenBy: 'page' }],
    });
    const c = candidatesOf(a);
    expect(c.map((x) => x.response.kind)).toEqual(['Response', 'AuthnRequest']);
    const [g, b] = comparable(c[0]!, c[1]!);
    expect([g.id, b.id]).toEqual(['q1', 'q2']);
    const rows = compareMessages(g, b).rows.filter((r) => r.change !== 'same');
    expect(rows.map((r) => [r.field, r.good, r.bad])).toEqual([['AssertionConsumerServiceURL', LAB.acsUrl, other]]);
  });

  it('against an IdP-initiated sign-in (no AuthnRequest): says there is nothing of the same kind to compare, rather than a Response against an AuthnRequest', async () => {
    const { analyze } = await import('../lib/analyze.ts');
    const { candidatesOf, compareCandidates } = await import('../lib/compare/index.ts');
    const { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } = await import('./lab/factory.ts');
    const t0 = Date.parse('2026-11-25T10:00:00Z');
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const a = analyze({
      messages: [
        { id: 'r1', raw: toPost(signedResponse({ issueInstant: new Date(t0) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: at(1), tabId: 1 },
        { id: 'q2', raw: toRedirect(makeAuthnRequest({ id: samlId() })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: at(60), tabId: 2 },
      ],
      pageErrors: [{ id: 'e', source: 'entra', url: LAB.ssoUrl, time: at(61), tabId: 2, code: 'AADSTS50105', seenBy: 'page' }],
    });
    const [idp, stopped] = candidatesOf(a);
    expect([idp!.flow.type, idp!.request, stopped!.response.kind]).toEqual(['idp-initiated', undefined, 'AuthnRequest']);
    const c = compareCandidates(idp!, stopped!);
    expect(c.error).toBe(
      'the failing sign-in stopped at Entra before any Response, and the known-good one has no AuthnRequest (it is IdP-initiated): there is no message of the same kind to compare. Choose an SP-initiated sign-in as the known-good one: its AuthnRequest can be compared.',
    );
    expect(c.rows.map((r) => r.field)).toEqual(['outcome']);
    expect(compareCandidates(stopped!, idp!).error).toMatch(/^the known-good sign-in stopped at Entra before any Response, and the failing one has no AuthnRequest/);
  });
});
