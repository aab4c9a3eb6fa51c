// The checks' runner (lib/checks/run.ts) with small checks made for the test, on real parsed
// messages: what a finding is made of, whose words it speaks (Entra's or any identity provider's),
// and that a check that fails becomes one internal-error finding while the others still report.
import { describe, expect, it } from 'vitest';
import { runCheck, runChecks } from '../../lib/checks/run.ts';
import { defineCheck, renderTemplate, type CheckContext } from '../../lib/checks/types.ts';
import { parseSaml, isParseError } from '../../lib/saml/parse.ts';
import type { Flow } from '../../lib/types.ts';
import { LAB, makeResponse } from '../lab/factory.ts';

function ctxOf(xml: string, o: Partial<CheckContext> = {}): CheckContext {
  const message = parseSaml(xml);
  if (isParseError(message)) throw new Error(message.message);
  return {
    messageId: 'm1',
    message,
    xml,
    capture: { id: 'm1', raw: '', param: 'SAMLResponse', url: LAB.acsUrl },
    encoded: { binding: 'post', base64Length: 0, xmlLength: xml.length },
    expect: { clockSkewSeconds: 300 },
    now: new Date('2026-03-02T10:00:00Z'),
    nowSource: 'the test',
    ...o,
  } as CheckContext;
}

const ENTRA_RESPONSE = makeResponse();
const OTHER_RESPONSE = makeResponse({ issuer: 'https://idp.example.org/idp/shibboleth' });

const wordy = defineCheck({
  id: 'nameid-format',
  severity: 'error',
  title: 'Entra sent something',
  docs: 'd',
  facts: ['E1'],
  appliesTo: ['Response'],
  messages: {
    plain: '{Idp} sent {what}. Entra does this on purpose.',
    named: 'The issuer does not have the shape of an Entra issuer ({what}).',
  },
  titles: { plain: 'Entra sent something', named: 'Not an Entra issuer' },
  namesEntra: ['named'],
  run(_ctx, report) {
    report({ message: 'plain', data: { what: 'x' }, evidence: [{ label: 'Entra claim', actual: 'v', source: 'the Entra app' }], fix: 'Fix it in the Entra admin center.' });
    report({ message: 'named', severity: 'warning', data: { what: 'y' }, evidence: [{ label: 'e', actual: 'v' }], fix: 'f' });
  },
});

describe('checks/run', () => {
  it("builds a finding from a report: the check's id, severity (or the report's), message, title, facts and the message's ids", () => {
    const flow = { id: 'flow-1' } as Flow;
    const [a, b] = runCheck(wordy, ctxOf(ENTRA_RESPONSE, { flow }));
    expect(a).toEqual({
      checkId: 'nameid-format',
      severity: 'error',
      title: 'Entra sent something',
      message: 'Entra sent x. Entra does this on purpose.',
      evidence: [{ label: 'Entra claim', actual: 'v', source: 'the Entra app' }],
      fix: 'Fix it in the Entra admin center.',
      messageId: 'm1',
      flowId: 'flow-1',
      messageKey: 'plain',
      facts: ['E1'],
    });
    expect(b?.severity).toBe('warning');
    expect(b?.title).toBe('Not an Entra issuer');
    // Without a flow, no flowId at all (not undefined).
    expect('flowId' in runCheck(wordy, ctxOf(ENTRA_RESPONSE))[0]!).toBe(false);
  });

  it("speaks any identity provider's words when the sender is not Entra, except in messages that name Entra on purpose", () => {
    const [a, b] = runCheck(wordy, ctxOf(OTHER_RESPONSE, { capture: { id: 'm1', raw: '', param: 'SAMLResponse' } }));
    expect(a?.message).toBe('The identity provider sent x.');
    expect(a?.title).toBe('The identity provider sent something');
    expect(a?.evidence).toEqual([{ label: 'The identity provider claim', actual: 'v', source: "The identity provider's app" }]);
    expect(a?.fix).toBe("Fix it in the identity provider's administration.");
    expect(b?.message).toBe('The issuer does not have the shape of an Entra issuer (y).');
    expect(b?.title).toBe('Not an Entra issuer');
  });

  it('runs a check only on the kinds it reads', () => {
    expect(runCheck({ ...wordy, appliesTo: ['AuthnRequest'] }, ctxOf(ENTRA_RESPONSE))).toEqual([]);
    expect(runChecks(ctxOf(ENTRA_RESPONSE), [{ ...wordy, appliesTo: ['LogoutRequest'] }])).toEqual([]);
  });

  it('a check that throws, or reports a message it does not have, becomes one internal-error finding; the others still report', () => {
    const throws = defineCheck({ ...wordy, id: 'nameid-missing', run: () => { throw new Error('boom'); } });
    const unknown = defineCheck({ ...wordy, id: 'nameid-guest', run: (_c, report) => report({ message: 'nope' as 'plain', evidence: [], fix: 'f' }) });
    const found = runChecks(ctxOf(ENTRA_RESPONSE, { flow: { id: 'flow-2' } as Flow }), [throws, wordy, unknown]);
    expect(found.map((f) => [f.checkId, f.messageKey])).toEqual([
      ['internal-error', undefined],
      ['nameid-format', 'plain'],
      ['nameid-format', 'named'],
      ['internal-error', undefined],
    ]);
    expect(found[0]).toEqual({
      checkId: 'internal-error',
      severity: 'warning',
      title: 'A check failed to run',
      message: "The check nameid-missing failed on this message: boom. The other checks ran; this one's verdict is unknown.",
      evidence: [{ label: 'check', actual: 'nameid-missing' }],
      fix: 'This is a samlscope bug: export the message (redacted) and report it.',
      messageId: 'm1',
      flowId: 'flow-2',
    });
    expect(found[3]?.message).toBe('The check nameid-guest failed on this message: check nameid-guest reported unknown message "nope". The other checks ran; this one\'s verdict is unknown.');
  });

  it('a thrown value that is no Error is said as it is', () => {
    const odd = defineCheck({ ...wordy, run: () => { throw 'plain text'; } });
    expect(runChecks(ctxOf(ENTRA_RESPONSE), [odd])[0]?.message).toBe("The check nameid-format failed on this message: plain text. The other checks ran; this one's verdict is unknown.");
  });

  it('renders templates, and refuses a placeholder without a value', () => {
    expect(renderTemplate('{a} and {b}', { a: 1, b: 'two' })).toBe('1 and two');
    expect(renderTemplate('no placeholders')).toBe('no placeholders');
    expect(() => renderTemplate('{a} and {b}', { a: 1 })).toThrow('missing template value {b}');
  });
});
