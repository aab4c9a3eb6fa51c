import { describe, expect, it } from 'vitest';
import type { Evidence, Severity } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, signedResponse, type ResponseOptions } from '../lab/factory.ts';
import { expectWellFormed, findingsFor, type Case, passTable } from './harness.ts';

const ID = 'assertion-too-large';
const reqId = samlId();
const OVERAGE = 'http://schemas.microsoft.com/claims/groups.link';
const LIMIT = 50_000;

const fixed: ResponseOptions = { responseId: '_size-resp', assertionId: '_size-assertion', issueInstant: new Date('2026-03-02T10:00:00Z') };
const pad = (n: number) => ({ ...fixed, attributes: [{ name: 'pad', values: ['x'.repeat(n)] }] });

/** A signed response whose decoded XML is exactly `length` characters (padding one attribute). */
function sized(length: number): string {
  const base = signedResponse(pad(1)).length;
  const xml = signedResponse(pad(1 + length - base));
  if (xml.length !== length) throw new Error(`sized(${length}) made ${xml.length} characters`);
  return xml;
}

const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64').length;

const overage = { name: OVERAGE, values: ['https://graph.windows.net/7f3c1b2a-1111-4a5b-9c8d-0123456789ab/users/5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f/getMemberObjects'] };

describe(ID, () => {
  const pass: Case[] = [
    { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
    { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
    { name: '150 group claims (about 16 KB)', response: signedResponse({ groups: 150 }) },
    { name: 'base64 exactly at the limit (37,500 characters of XML)', response: sized(37_500) },
    { name: 'pasted XML at 80% of the limit exactly', response: 'x', capture: { raw: sized(40_000) } },
  ];
  passTable(ID, pass);

  interface Fail extends Case {
    key: string;
    severity: Severity;
    evidence: Partial<Evidence>[];
    messageHas: string[];
  }
  const over = sized(LIMIT + 1);
  const b64Only = sized(38_000);
  const near = sized(45_000);
  const groups = signedResponse({ groups: 800 });
  const fail: Fail[] = [
    {
      name: 'XML one character over 50,000',
      response: over,
      key: 'overLimit',
      severity: 'error',
      messageHas: ['50,001 characters', '50,000'],
      evidence: [
        { label: 'decoded XML length', expected: 'at most 50,000 characters', actual: '50001 characters', path: '/Response' },
        { label: 'base64 length (as posted)', actual: `${b64(over)} characters` },
      ],
    },
    {
      name: '800 group claims',
      response: groups,
      key: 'overLimit',
      severity: 'error',
      messageHas: ['the groups claim alone holds 800 values'],
      evidence: [
        { label: 'decoded XML length', actual: `${groups.length} characters` },
        { label: 'groups claim values', actual: '800' },
      ],
    },
    {
      name: 'XML under the limit, base64 over it',
      response: b64Only,
      key: 'base64Over',
      severity: 'warning',
      messageHas: ['38,000 characters', `${b64(b64Only).toLocaleString('en-US')}`],
      evidence: [
        { label: 'decoded XML length', actual: '38000 characters' },
        { label: 'base64 length (as posted)', expected: 'at most 50,000 characters, if AWS counts this form', actual: `${b64(b64Only)} characters` },
      ],
    },
    {
      name: 'pasted XML (no base64 known) over 80% of the limit',
      response: 'x',
      capture: { raw: near },
      key: 'nearLimit',
      severity: 'warning',
      messageHas: ['45,000 characters'],
      evidence: [{ label: 'decoded XML length', actual: '45000 characters' }],
    },
  ];
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found).toHaveLength(1);
      const f = found[0]!;
      expectWellFormed(f);
      expect(f.severity).toBe(c.severity);
      expect(f.messageKey).toBe(c.key);
      expect(f.fix).toContain('Groups assigned to the application');
      for (const t of c.messageHas) expect(f.message).toContain(t);
      for (const e of c.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
    });
  }

  it('pasted XML reports no base64 length', () => {
    const [f] = findingsFor({ name: 'near', response: 'x', capture: { raw: near } }, ID);
    expect(f!.evidence.map((e) => e.label)).not.toContain('base64 length (as posted)');
  });

  it('info: groups overage claim in a small response', () => {
    const found = findingsFor({ name: 'overage', response: signedResponse({ attributes: [overage] }) }, ID);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expectWellFormed(f);
    expect(f.severity).toBe('info');
    expect(f.messageKey).toBe('groupsOverage');
    expect(f.message).toContain(OVERAGE);
    expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'groups overage claim', actual: overage.values[0], path: '/Response/Assertion/AttributeStatement/Attribute[10]' }));
  });

  it('error and info together: over the limit with a groups overage claim', () => {
    const xml = signedResponse({ ...fixed, attributes: [{ name: 'pad', values: ['x'.repeat(60_000)] }, overage] });
    const found = findingsFor({ name: 'both', response: xml }, ID);
    expect(found.map((f) => [f.messageKey, f.severity])).toEqual([
      ['overLimit', 'error'],
      ['groupsOverage', 'info'],
    ]);
  });

  it('a failed response is small and passes', () => {
    expect(findingsFor({ name: 'failed', response: makeResponse({ status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Responder' } }) }, ID)).toEqual([]);
  });
});
