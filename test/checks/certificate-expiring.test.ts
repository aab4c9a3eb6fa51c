// certificate-expiring: the signing certificate's validity at the time of the sign-in. Keys with
// chosen validity periods are made once for this file.
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import { makeAuthnRequest, makeResponse, samlId, signedResponse } from '../lab/factory.ts';
import { makeKey, OTHER_KEY } from '../lab/keys.ts';
import { expectWellFormed, findingsFor, verifiedFindingsFor, type Case } from './harness.ts';

const ID = 'certificate-expiring';
const DAY = 86400e3;
const now = Math.floor(Date.now() / 1000) * 1000;
const KEYINFO = '/Response/Assertion/Signature/KeyInfo/X509Data/X509Certificate';
const day = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const [expiringKey, expiredKey, futureKey, in31Key] = await Promise.all([
  makeKey('CN=Expiring soon', { notBefore: new Date(now - 1000 * DAY), notAfter: new Date(now + 10 * DAY) }),
  makeKey('CN=Expired', { notBefore: new Date(now - 1000 * DAY), notAfter: new Date(now - 2 * DAY) }),
  makeKey('CN=Not yet valid', { notBefore: new Date(now + 3 * DAY), notAfter: new Date(now + 1000 * DAY) }),
  makeKey('CN=31 days', { notBefore: new Date(now - DAY), notAfter: new Date(now + 31 * DAY) }),
]);

const reqId = samlId();
const at = new Date(now);

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated (3-year certificate)', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'another valid certificate', response: signedResponse({}, { key: OTHER_KEY }) },
  { name: 'expires in 31 days: not yet within the 30-day window', response: signedResponse({ issueInstant: at }, { key: in31Key }), now: at },
  { name: 'unsigned', response: makeResponse() },
];

interface Fail extends Case {
  key: string;
  evidence: Partial<Evidence>[];
  messageHas: string[];
}

const fail: Fail[] = [
  {
    name: 'expires in 10 days',
    response: signedResponse({ issueInstant: at }, { key: expiringKey }),
    now: at,
    key: 'expiring',
    evidence: [{ label: 'certificate valid to (NotAfter)', actual: day(now + 10 * DAY), path: KEYINFO, source: 'the time given for the analysis (--now)' }],
    messageHas: ['CN=Expiring soon', expiringKey.sha1, `expires on ${day(now + 10 * DAY)}`, 'in 10 days'],
  },
  {
    name: 'expired two days before the sign-in',
    response: signedResponse({ issueInstant: at }, { key: expiredKey }),
    now: at,
    key: 'expired',
    evidence: [{ label: 'certificate valid to (NotAfter)', expected: `after ${day(now)}`, actual: day(now - 2 * DAY) }],
    messageHas: ['CN=Expired', 'expired on', '2 days before this sign-in'],
  },
  {
    name: 'not valid yet at the time of the sign-in',
    response: signedResponse({ issueInstant: at }, { key: futureKey }),
    now: at,
    key: 'notYetValid',
    evidence: [{ label: 'certificate valid from (NotBefore)', actual: day(now + 3 * DAY) }],
    messageHas: ['CN=Not yet valid', 'valid only from', '3 days after this sign-in'],
  },
];

describe(ID, () => {
  for (const c of pass) {
    it(`passes: ${c.name}`, async () => {
      expect(findingsFor(c, ID)).toEqual([]);
      expect(await verifiedFindingsFor(c, ID)).toEqual([]);
    });
  }
  for (const c of fail) {
    it(`fails: ${c.name} (synchronous and verified paths agree)`, async () => {
      for (const found of [findingsFor(c, ID), await verifiedFindingsFor(c, ID)]) {
        expect(found.map((f) => f.messageKey)).toEqual([c.key]);
        expectWellFormed(found[0]!);
        expect(found[0]!.severity).toBe('warning');
        for (const e of c.evidence) expect(found[0]!.evidence).toContainEqual(expect.objectContaining(e));
        for (const t of c.messageHas) expect(found[0]!.message).toContain(t);
      }
    });
  }
});
