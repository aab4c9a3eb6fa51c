// The full view's Valid and Signature rows agree with the findings (lib/store/message-rows.ts).
import { describe, expect, it } from 'vitest';
import type { AnalyzedMessage } from '../lib/analyze.ts';
import { selectSignatureRow, selectValidityRow } from '../lib/store/message-rows.ts';
import type { Finding } from '../lib/types.ts';
import { isoAt } from './clock.ts';

/** A Response captured at `at` seconds with the server's Date header (whole seconds, as HTTP sends it). */
const resp = (o: { notBefore?: number; notOnOrAfter?: number; serverAt?: number; signed?: string }): AnalyzedMessage => ({
  id: 'r1',
  ok: true,
  kind: 'Response',
  capture: { id: 'r1', raw: '', time: isoAt(o.serverAt ?? 0), ...(o.serverAt !== undefined ? { serverDate: new Date(isoAt(Math.floor(o.serverAt))).toUTCString() } : {}) },
  summary: {
    kind: 'Response',
    signedParts: o.signed ?? 'Response+Assertion',
    ...(o.notBefore !== undefined ? { notBefore: isoAt(o.notBefore) } : {}),
    ...(o.notOnOrAfter !== undefined ? { notOnOrAfter: isoAt(o.notOnOrAfter) } : {}),
  },
});

describe('validity row', () => {
  it('a NotBefore inside the Date header\'s second is valid, not "0 s after capture"', () => {
    const r = selectValidityRow(resp({ notBefore: 10.4, notOnOrAfter: 3610, serverAt: 10 }))!;
    expect(r.tone).toBe('ok');
    expect(r.text).not.toMatch(/not valid/);
  });
  it('a NotBefore ahead but within the tolerance is tolerated; beyond it is red', () => {
    expect(selectValidityRow(resp({ notBefore: 60, notOnOrAfter: 3600, serverAt: 0 }), 300)!).toMatchObject({ tone: 'ok', text: expect.stringMatching(/within the 5 min clock tolerance/) });
    expect(selectValidityRow(resp({ notBefore: 600, notOnOrAfter: 3600, serverAt: 0 }), 300)!).toMatchObject({ tone: 'error', text: expect.stringMatching(/beyond the 5 min/) });
  });
  it('expired: within the tolerance a warning, beyond it an error', () => {
    expect(selectValidityRow(resp({ notBefore: 0, notOnOrAfter: 100, serverAt: 160 }))!.tone).toBe('warning');
    expect(selectValidityRow(resp({ notBefore: 0, notOnOrAfter: 100, serverAt: 1000 }))!.tone).toBe('error');
  });
});

describe('signature row', () => {
  const f = (checkId: string, severity: Finding['severity'], messageKey?: string): Finding => ({ checkId, severity, title: `${checkId} title`, message: 'm', evidence: [], fix: '', messageId: 'r1', ...(messageKey ? { messageKey } : {}) });
  const m = resp({});
  it('verified, invalid, not checked', () => {
    expect(selectSignatureRow(m, [], true)).toMatchObject({ state: 'verified', tone: 'ok' });
    expect(selectSignatureRow(m, [], false)).toMatchObject({ state: 'not checked', tone: 'neutral' });
    expect(selectSignatureRow(m, [f('signature-invalid', 'error')], true)).toMatchObject({ state: 'invalid', tone: 'error' });
  });
  it('a first-seen pin is a note, a certificate AWS does not hold an error', () => {
    expect(selectSignatureRow(m, [f('signature-cert-mismatch', 'info', 'pinned')], true)).toMatchObject({ tone: 'ok', text: expect.stringMatching(/pinned on first sight: a note/) });
    expect(selectSignatureRow(m, [f('signature-cert-mismatch', 'error', 'notExpected')], true).tone).toBe('error');
  });
  it('an unsigned Response is red; an unsigned AuthnRequest is normal', () => {
    expect(selectSignatureRow(resp({ signed: 'none' }), [], true)).toMatchObject({ state: 'unsigned', tone: 'error' });
    const q = { ...resp({ signed: 'none' }), kind: 'AuthnRequest' as const, summary: { kind: 'AuthnRequest' as const, signedParts: 'none' } };
    expect(selectSignatureRow(q, [], true).tone).toBe('neutral');
  });
});
