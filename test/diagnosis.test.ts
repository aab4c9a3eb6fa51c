// One cause, one fix: findings that share a root cause are one problem, the verdict names the
// cause, and no fix text is printed twice (lib/report/diagnosis.ts).
import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { asClause, diagnose, groupProblems, keyEvidence, splitFix, summaryVerdict, type Problem } from '../lib/report/diagnosis.ts';
import { resultVerdict } from '../lib/report/common.ts';
import { messageLabels } from '../lib/report/labels.ts';
import { selectDiagnosis, selectLatestFlow } from '../lib/store/selectors.ts';
import type { Finding } from '../lib/types.ts';
import { LAB, URN, makeAuthnRequest, makeResponse, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { isoAt } from './clock.ts';

const REPLY = 'Entra admin center → … → Reply URL: set it to the ACS URL.';
const finding = (checkId: string, o: Partial<Finding> = {}): Finding => ({
  checkId,
  severity: 'error',
  title: `${checkId} title`,
  message: `${checkId} message`,
  evidence: [{ label: checkId, expected: 'a', actual: 'b' }],
  fix: `${checkId} fix`,
  messageId: 'r',
  ...o,
});

/** Every fix that a view prints: one per problem, never twice. */
const fixes = (ps: Problem[]) => ps.map((p) => p.root.fix);

describe('grouping findings into problems', () => {
  it('a My Apps tile on another instance: audience, Destination and Recipient are its consequences, one fix', () => {
    const fs = [
      finding('audience-mismatch', { fix: 'Identifier fix' }),
      finding('destination-mismatch', { fix: REPLY }),
      finding('recipient-mismatch', { fix: REPLY }),
      finding('portal-mismatch', { messageId: undefined, flowId: 'f', fix: 'Sign-on URL fix' }),
    ];
    const g = groupProblems(fs);
    expect(g.problems).toHaveLength(1);
    expect(g.problems[0]!.root.checkId).toBe('portal-mismatch');
    expect(g.problems[0]!.consequences.map((f) => f.checkId)).toEqual(['audience-mismatch', 'destination-mismatch', 'recipient-mismatch']);
    expect(fixes(g.problems)).toEqual(['Sign-on URL fix']);
  });

  it('plain IAM federation app: its endpoint and missing attributes follow from it', () => {
    const fs = [
      finding('recipient-mismatch'),
      finding('accesscontrol-missing', { severity: 'warning' }),
      finding('iam-federation-mixup'),
      finding('nameid-mismatch'),
    ];
    const g = groupProblems(fs);
    expect(g.problems.map((p) => p.root.checkId)).toEqual(['iam-federation-mixup', 'nameid-mismatch']);
    expect(g.problems[0]!.consequences.map((f) => f.checkId)).toEqual(['recipient-mismatch', 'accesscontrol-missing']);
  });

  it('an IAM federation warning (attributes only) is not a root', () => {
    const g = groupProblems([finding('recipient-mismatch'), finding('iam-federation-mixup', { severity: 'warning' })]);
    expect(g.problems.map((p) => p.root.checkId)).toEqual(['recipient-mismatch', 'iam-federation-mixup']);
  });

  it('the same fix word for word is one problem; a consequence in another message is not taken', () => {
    const fs = [finding('destination-mismatch', { fix: REPLY }), finding('recipient-mismatch', { fix: REPLY }), finding('portal-mismatch', { messageId: 'other' })];
    const g = groupProblems(fs);
    expect(g.problems.map((p) => [p.root.checkId, p.consequences.map((c) => c.checkId)])).toEqual([
      ['destination-mismatch', ['recipient-mismatch']],
      ['portal-mismatch', []],
    ]);
    expect(new Set(fixes(g.problems)).size).toBe(g.problems.length);
  });

  it('a failed status takes every other finding of its message, not of another message', () => {
    const fs = [finding('audience-mismatch'), finding('status-not-success'), finding('nameid-format', { severity: 'warning' }), finding('in-response-to-mismatch', { messageId: 'r2' })];
    const g = groupProblems(fs);
    expect(g.problems.map((p) => [p.root.checkId, p.consequences.map((c) => c.checkId)])).toEqual([
      ['status-not-success', ['audience-mismatch', 'nameid-format']],
      ['in-response-to-mismatch', []],
    ]);
  });

  it('info findings are notes, never problems', () => {
    const g = groupProblems([finding('signature-cert-mismatch', { severity: 'info' }), finding('nameid-format', { severity: 'warning' })]);
    expect(g.notes.map((f) => f.checkId)).toEqual(['signature-cert-mismatch']);
    expect(g.problems.map((p) => p.severity)).toEqual(['warning']);
  });
});

describe('the verdict names the cause (real analyses)', () => {
  const t = isoAt();
  const pair = (resp: (id: string) => string) => {
    const id = samlId();
    return analyze({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', time: t, url: LAB.ssoUrl },
        { id: 'r', raw: toPost(resp(id)), param: 'SAMLResponse', time: t, url: LAB.acsUrl },
      ],
      now: new Date(t),
    });
  };

  it('a failed status: one problem, no assertion checks beside it', () => {
    const a = pair((id) => makeResponse({ inResponseTo: id, audience: `${LAB.spEntityId}/`, status: { code: URN.requester, message: 'AADSTS50105: not assigned.' } }));
    const d = selectDiagnosis(a, selectLatestFlow(a));
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]!.root.checkId).toBe('status-not-success');
    expect(d.text).toBe('Entra refused before AWS was reached: AADSTS50105');
    expect(d.said).toEqual({ by: 'Entra', text: 'AADSTS50105: not assigned.' });
  });

  const awsError = (nameId: string, expectations: Record<string, unknown> = {}) => {
    const id = samlId();
    return analyze({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: isoAt(1), tabId: 1 },
        { id: 'r', raw: toPost(signedResponse({ inResponseTo: id, issueInstant: new Date(isoAt(0)), nameId })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: isoAt(3), tabId: 1 },
      ],
      pageErrors: [{ id: 'a1', source: 'aws', url: LAB.acsUrl, time: isoAt(4), tabId: 1, heading: 'An unexpected error has occurred', seenBy: 'page' }],
      expectations: { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, ...expectations },
    });
  };

  it("AWS's generic error traced to a check: the check's title is the verdict, AWS's sentence beneath, one fix", () => {
    const a = awsError('alex.m@contoso-mail.com', { expectedUsername: LAB.user });
    const d = selectDiagnosis(a, selectLatestFlow(a));
    expect(d.symptom?.checkId).toBe('aws-sign-in-error');
    expect(d.problems[0]!.root.checkId).toBe('nameid-mismatch');
    expect(d.text).toBe(`AWS refused the sign-in: ${asClause(d.problems[0]!.root.title)}`);
    expect(d.said).toEqual({ by: 'AWS', text: '"An unexpected error has occurred"' });
    // The symptom's fix repeats the cause's: it is not a problem of its own, so it is not printed.
    expect(d.problems.some((p) => p.root.checkId === 'aws-sign-in-error')).toBe(false);
    expect(new Set(fixes(d.problems)).size).toBe(d.problems.length);
  });

  it("AWS's generic error with no cause in the capture: the likeliest cause, said to be unseen", () => {
    const a = awsError(LAB.user);
    const d = selectDiagnosis(a, selectLatestFlow(a));
    expect(d.symptom).toBeUndefined();
    expect(d.problems[0]!.root.checkId).toBe('aws-sign-in-error');
    expect(d.text).toBe('AWS refused the sign-in for a reason the capture cannot show; most likely: the user does not exist in Identity Center yet');
    // The card's first evidence is the user name to look for, not AWS's sentence again (it is beneath the verdict).
    expect(keyEvidence(d.problems[0]!.root, d.said?.text)).toMatchObject({ label: 'NameID (Identity Center user name)', actual: LAB.user });
    expect(keyEvidence(d.problems[0]!.root)).toMatchObject({ label: 'AWS error', actual: 'An unexpected error has occurred' });
  });

  it('a My Apps tile that signed the user in on another instance: signed in, on the wrong portal, not refused', () => {
    const portal = 'd-0000000000.awsapps.com';
    const fs = [
      finding('audience-mismatch', { fix: 'Identifier fix' }),
      finding('portal-mismatch', { messageId: undefined, flowId: 'f', evidence: [{ label: 'access portal reached', expected: 'd-93670a1b2c.awsapps.com', actual: `https://${portal}/start/` }] }),
    ];
    const flow = (steps: { url: string; method: string; status?: number; messageId?: string }[]) =>
      ({ id: 'f', type: 'sp-initiated', fromMyApps: true, portal, messageIds: ['q', 'r'], steps }) as unknown as Parameters<typeof diagnose>[0];
    const messages = [{ id: 'q', kind: 'AuthnRequest', ok: true }, { id: 'r', kind: 'Response', ok: true }] as unknown as Parameters<typeof diagnose>[2];
    const acs = 'https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/9e8d7c6b';
    const tile = { url: `https://${portal}/start`, method: 'GET', status: 302 };
    const entra = { url: 'https://login.microsoftonline.com/t/saml2?SAMLRequest=x', method: 'GET', status: 200, messageId: 'q' };
    const post = { url: acs, method: 'POST', status: 302, messageId: 'r' };
    // The portal answered after the POST of the Response: signed in there.
    const landed = diagnose(flow([tile, entra, post, { url: `https://${portal}/start/`, method: 'GET', status: 200 }]), fs, messages);
    expect(landed).toMatchObject({ tone: 'error', text: `Signed in to another AWS access portal: ${portal}, not d-93670a1b2c.awsapps.com` });
    expect(landed.problems.map((p) => p.root.checkId)).toEqual(['portal-mismatch']);
    // Only the tile's first hop reached the portal (nothing after the POST), or it answered an
    // error: nothing says the sign-in worked.
    expect(diagnose(flow([tile, entra, post]), fs, messages).text).toMatch(/^AWS will refuse this sign-in: /);
    expect(diagnose(flow([tile, entra, post, { url: `https://${portal}/start/`, method: 'GET', status: 500 }]), fs, messages).text).toMatch(/^AWS will refuse this sign-in: /);
  });

  it("the whole capture's line words the latest attempt as its diagnosis does, not as the error page's title", () => {
    // A clean sign-in, then one AWS refused with no cause in the capture (found by a review: the
    // CLI's first line said 'AWS refused the sign-in: "An unexpected error has occurred"' above a
    // block naming the likeliest cause).
    const id1 = samlId();
    const id2 = samlId();
    const a = analyze({
      messages: [
        { id: 'q1', raw: toRedirect(makeAuthnRequest({ id: id1 })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: isoAt(-60), tabId: 1 },
        { id: 'r1', raw: toPost(signedResponse({ inResponseTo: id1, issueInstant: new Date(isoAt(-61)) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: isoAt(-58), tabId: 1 },
        { id: 'q2', raw: toRedirect(makeAuthnRequest({ id: id2 })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: isoAt(1), tabId: 1 },
        { id: 'r2', raw: toPost(signedResponse({ inResponseTo: id2, issueInstant: new Date(isoAt(0)) })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: isoAt(3), tabId: 1 },
      ],
      pageErrors: [{ id: 'a1', source: 'aws', url: LAB.acsUrl, time: isoAt(4), tabId: 1, heading: 'An unexpected error has occurred', seenBy: 'page' }],
      expectations: { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl },
    });
    expect(a.flows).toHaveLength(2);
    const latest = selectDiagnosis(a, selectLatestFlow(a));
    expect(latest.text).toBe('AWS refused the sign-in for a reason the capture cannot show; most likely: the user does not exist in Identity Center yet');
    expect(summaryVerdict(a)).toMatchObject({ level: 'refused', text: `1 of 2 sign-ins fail; the latest (#2, SP-initiated): ${latest.text}` });
    expect(resultVerdict(a).text).toBe('1 of 2 sign-ins fail; the latest (#2, SP-initiated): AWS refused the sign-in: "An unexpected error has occurred"');
  });

  it('nothing readable: the verdict says the message could not be read, not what AWS would do', () => {
    // Found by a review: a text file with "hello world" came back as "AWS will refuse this sign-in".
    const one = analyze({ messages: [{ id: 'x', raw: 'hello world', time: t }], now: new Date(t) });
    expect(selectDiagnosis(one, selectLatestFlow(one))).toMatchObject({ tone: 'error', text: 'The message could not be read as SAML' });
    expect(resultVerdict(one)).toMatchObject({ level: 'refused', text: 'The message could not be read as SAML: 1 error' });
    const cut = toPost(signedResponse({ issueInstant: new Date(t) }));
    const two = analyze({ messages: [{ id: 'x', raw: 'hello world', time: t }, { id: 'y', raw: cut.slice(0, 200), param: 'SAMLResponse', time: t }], singleFlow: true, now: new Date(t) });
    expect(two.messages.every((m) => !m.ok)).toBe(true);
    expect(selectDiagnosis(two, selectLatestFlow(two)).text).toBe('None of the 2 messages could be read as SAML');
    // One readable message beside an unreadable one: judged as before.
    const mixed = analyze({ messages: [{ id: 'x', raw: 'hello world', time: t }, { id: 'y', raw: cut, param: 'SAMLResponse', time: t }], singleFlow: true, now: new Date(t) });
    expect(selectDiagnosis(mixed, selectLatestFlow(mixed)).text).toMatch(/^AWS will refuse this sign-in: /);
  });

  it('no flow, and a clean one', () => {
    expect(diagnose(undefined, [], []).text).toBe('No sign-in captured yet');
    const a = pair((id) => signedResponse({ inResponseTo: id, issueInstant: new Date(t) }));
    expect(selectDiagnosis(a, selectLatestFlow(a))).toMatchObject({ tone: 'ok', text: 'This sign-in should work', problems: [] });
  });
});

describe('words', () => {
  it('a title ends a sentence without breaking names', () => {
    expect(asClause('The assertion has expired')).toBe('the assertion has expired');
    expect(asClause('NameID cannot match the Identity Center user name')).toBe('NameID cannot match the Identity Center user name');
    expect(asClause('SubjectConfirmation Recipient is wrong')).toBe('SubjectConfirmation Recipient is wrong');
    expect(asClause('Entra stopped')).toBe('Entra stopped');
    expect(asClause('AWS refused')).toBe('AWS refused');
  });

  it('the first line of a fix is its first sentence', () => {
    expect(splitFix('Entra admin center → Identity → Single sign-on → Reply URL: set it to X. With several Reply URLs, keep one.')).toEqual({
      first: 'Entra admin center → Identity → Single sign-on → Reply URL: set it to X.',
      rest: 'With several Reply URLs, keep one.',
    });
    expect(splitFix('Short. Then more text here.')).toEqual({ first: 'Short. Then more text here.', rest: '' });
    expect(splitFix('Set https://a.example/b.c to it.').rest).toBe('');
    // A long single sentence: the click path up to the field, the instruction after it.
    const path = 'Entra admin center → Identity → Applications → Enterprise applications → AWS IAM Identity Center → Single sign-on → Basic SAML Configuration → Identifier (Entity ID):';
    const rest = 'set it to the "IAM Identity Center issuer URL" shown in AWS console → IAM Identity Center → Settings, exactly, without a trailing slash.';
    expect(splitFix(`${path} ${rest}`)).toEqual({ first: path, rest });
  });
});

describe('labels instead of internal ids', () => {
  const msg = (id: string, kind: 'AuthnRequest' | 'Response' | undefined, time?: string) =>
    ({ id, ok: kind !== undefined, ...(kind ? { kind } : {}), capture: { id, raw: '', ...(time ? { time } : {}), param: 'SAMLResponse' } }) as never;
  it('kind and time, or kind and number when the time does not tell them apart', () => {
    const l = messageLabels([msg('r75-1-req', 'AuthnRequest', isoAt(0)), msg('r75-2', 'Response', isoAt(2)), msg('r75-3', 'Response', isoAt(2)), msg('x', undefined)]);
    const t = (s: number) => isoAt(s).slice(11, 19);
    expect([...l.values()]).toEqual([`AuthnRequest ${t(0)}`, `Response ${t(2)} #1`, `Response ${t(2)} #2`, 'unreadable response #1']);
    // Without a time: numbered among the untimed of a kind; a lone untimed one is still numbered.
    const u = messageLabels([msg('a', 'Response'), msg('b', 'Response', isoAt(5)), msg('c', 'Response'), msg('d', 'AuthnRequest')]);
    expect([...u.values()]).toEqual(['Response #1', `Response ${t(5)}`, 'Response #2', 'AuthnRequest #1']);
    for (const v of l.values()) expect(v).not.toMatch(/r75/);
  });
});
