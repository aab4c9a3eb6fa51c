// The background's incremental analysis (issue 13): analyze() with a memo gives exactly what a
// fresh analysis gives, after every change a real session makes (a new capture, a retry in the
// same tab, an answer's status, a page error, eviction of the oldest attempt, new settings), while
// reading and checking only what changed.
import { describe, expect, it } from 'vitest';
import { analyze, createAnalysisMemo, type AnalyzeInput } from '../lib/analyze.ts';
import type { CapturedMessage, PageError } from '../lib/types.ts';
import { signatureVerifier } from '../lib/signature/verify.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { at, isoAt } from './clock.ts';

/** One sign-in: an AuthnRequest and its signed Response, in tab `tab`, `k` minutes after T0. */
function signIn(k: number, tab: number, o: { user?: string; audience?: string } = {}): CapturedMessage[] {
  const id = samlId();
  return [
    { id: `q${k}`, raw: toRedirect(makeAuthnRequest({ id, issueInstant: at(k * 60) })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: isoAt(k * 60), tabId: tab, seq: 2 * k },
    {
      id: `r${k}`,
      raw: toPost(
        signedResponse({
          inResponseTo: id,
          issueInstant: at(k * 60 + 2),
          ...(o.user ? { nameId: o.user } : {}),
          ...(o.audience ? { audience: o.audience } : {}),
        }),
      ),
      param: 'SAMLResponse',
      url: LAB.acsUrl,
      method: 'POST',
      time: isoAt(k * 60 + 2),
      tabId: tab,
      seq: 2 * k + 1,
    },
  ];
}

const expectations = { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl };
/** The result as the views see it (the memo's objects are shared, so compare by value). */
const plain = (r: unknown) => JSON.parse(JSON.stringify(r)) as unknown;

describe('analysis memo (incremental, same result as from scratch)', () => {
  it('after each change of a session, equals a fresh analysis and checks only the attempt that changed', () => {
    const memo = createAnalysisMemo();
    const messages: CapturedMessage[] = [];
    const pageErrors: PageError[] = [];
    const input = (): AnalyzeInput => ({ messages: [...messages], pageErrors: [...pageErrors], expectations, analysisTime: at(3600) });
    const step = (what: string) => {
      const inc = analyze(input(), { memo });
      const fresh = analyze(input());
      expect(plain(inc), what).toEqual(plain(fresh));
      return memo.last;
    };
    for (let k = 0; k < 6; k++) messages.push(...signIn(k, k % 2, k === 3 ? { user: 'Łukasz.Żółć@contoso.com' } : {}));
    expect(step('first analysis')).toEqual({ read: 12, verified: 0, flowsChecked: 6 });
    // A retry in the same tab: one more attempt; only it is read and checked.
    messages.push(...signIn(6, 1, { audience: 'https://eu-west-1.signin.aws.amazon.com/platform/saml/d-0000000000' }));
    expect(step('a retry in the same tab')).toEqual({ read: 2, verified: 0, flowsChecked: 1 });
    // The answer to the last POST: its status arrives later (updateRequest); that attempt again.
    messages[messages.length - 1] = { ...messages[messages.length - 1]!, status: 302, serverDate: new Date(at(6 * 60 + 3)).toUTCString() };
    expect(step('a status update')).toEqual({ read: 1, verified: 0, flowsChecked: 1 });
    // An Entra error page on tab 0 after its last sign-in.
    pageErrors.push({ id: 'e1', source: 'entra', url: LAB.ssoUrl, time: isoAt(4 * 60 + 5), tabId: 0, code: 'AADSTS50105', seenBy: 'page', seq: 100 });
    const afterError = step('a page error');
    expect(afterError.read).toBe(0);
    expect(afterError.flowsChecked).toBeGreaterThanOrEqual(1);
    expect(afterError.flowsChecked).toBeLessThan(7);
    // Eviction of the oldest attempt at the retention limit: nothing read, nothing checked again.
    messages.splice(0, 2);
    expect(step('eviction of the oldest')).toEqual({ read: 0, verified: 0, flowsChecked: 0 });
    expect(memo.reads.has('q0')).toBe(false);
    // Nothing changed at all.
    expect(step('no change')).toEqual({ read: 0, verified: 0, flowsChecked: 0 });
    // New settings change every attempt's findings: all checked again, none read again.
    const inc = analyze({ ...input(), expectations: { ...expectations, expectedAccessControlKeys: ['CostCenter'] } }, { memo });
    const fresh = analyze({ ...input(), expectations: { ...expectations, expectedAccessControlKeys: ['CostCenter'] } });
    expect(plain(inc)).toEqual(plain(fresh));
    expect(memo.last).toEqual({ read: 0, verified: 0, flowsChecked: inc.flows.length });
    expect(inc.flows.length).toBeGreaterThanOrEqual(6);
    expect(inc.findings.some((f) => f.checkId === 'accesscontrol-missing')).toBe(true);
  });

  it('with the verifier: verifies each message once, pins the first certificate, and equals a fresh verified analysis', async () => {
    const memo = createAnalysisMemo();
    const messages: CapturedMessage[] = [...signIn(0, 1), ...signIn(1, 1)];
    const run = async () => {
      const inc = await analyze({ messages: [...messages], expectations, analysisTime: at(600) }, { verifier: signatureVerifier, pins: {}, memo });
      const fresh = await analyze({ messages: [...messages], expectations, analysisTime: at(600) }, { verifier: signatureVerifier, pins: {} });
      expect(plain(inc)).toEqual(plain(fresh));
      return inc;
    };
    const first = await run();
    expect(memo.last.verified).toBe(4);
    expect(first.newPins.map((p) => p.tenantId)).toEqual([LAB.tenantId]);
    expect(first.verdicts['r0']?.signatures[0]?.status).toBe('valid');
    messages.push(...signIn(2, 1));
    await run();
    expect(memo.last).toEqual({ read: 2, verified: 2, flowsChecked: 1 });
  });

  it('reads a capture again when the same id comes back with other content (a cleared and refilled capture)', () => {
    const memo = createAnalysisMemo();
    const a = signIn(0, 1);
    analyze({ messages: a, expectations }, { memo });
    const b = signIn(0, 1, { audience: 'https://example.com/not-aws' }).map((m) => ({ ...m }));
    const inc = analyze({ messages: b, expectations }, { memo });
    expect(memo.last.read).toBe(2);
    expect(plain(inc)).toEqual(plain(analyze({ messages: b, expectations })));
    expect(inc.findings.some((f) => f.checkId === 'audience-mismatch')).toBe(true);
  });
});
