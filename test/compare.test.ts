import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { compareMessages, responseOf } from '../lib/compare/index.ts';
import { LAB, URN, signedResponse, toPost, type ResponseOptions } from './lab/factory.ts';
import { OTHER_KEY } from './lab/keys.ts';

const t0 = new Date('2026-11-25T10:00:00Z');
const read = (o: ResponseOptions, s: Parameters<typeof signedResponse>[1] = {}, at = t0) =>
  responseOf(analyze({ messages: [{ id: 'm', raw: toPost(signedResponse({ issueInstant: at, ...o }, s)), time: at.toISOString(), url: LAB.acsUrl }] }).messages)!;

const changed = (good: ReturnType<typeof read>, bad: ReturnType<typeof read>) =>
  compareMessages(good, bad).rows.filter((r) => r.change !== 'same').map((r) => [r.field, r.change, r.good, r.bad]);

describe('comparing two sign-ins', () => {
  const good = read({});

  it('finds nothing between two clean sign-ins taken at different times', () => {
    expect(changed(good, read({}, {}, new Date(t0.getTime() + 86400e3)))).toEqual([]);
  });

  it('names one differing field at a time', () => {
    expect(changed(good, read({ nameId: 'alex.m@contoso-mail.com', upn: LAB.user }))).toEqual([['NameID', 'changed', LAB.user, 'alex.m@contoso-mail.com']]);
    expect(changed(good, read({ nameIdFormat: URN.unspecified }))).toEqual([['NameID Format', 'changed', URN.email, URN.unspecified]]);
    expect(changed(good, read({ audience: `${LAB.spEntityId}/` }))).toEqual([['Audience', 'changed', LAB.spEntityId, `${LAB.spEntityId}/`]]);
    expect(changed(good, read({ destination: null }))).toEqual([['Destination', 'removed', LAB.acsUrl, undefined]]);
    expect(changed(good, read({ accessControl: { CostCenter: 'CC-1' } }))).toEqual([[`${URN.accessControl}CostCenter`, 'added', undefined, 'CC-1']]);
    expect(changed(good, read({}, { target: 'response' }))).toEqual([['signed element', 'changed', 'Assertion', 'Response']]);
    expect(changed(good, read({}, { algorithm: 'sha1' })).map((r) => r[0])).toEqual(['signature algorithm', 'digest algorithm']);
    expect(changed(good, read({}, { key: OTHER_KEY })).map((r) => r[0])).toEqual(['certificate']);
  });

  it('compares validity windows relative to each capture time', () => {
    const late = read({ notOnOrAfter: new Date(t0.getTime() + 5 * 60e3) });
    const rows = changed(good, late);
    expect(rows).toHaveLength(1);
    expect(rows[0]![0]).toBe('NotOnOrAfter');
    expect(rows[0]![2]).toMatch(/\(1 h 10 min after capture\)$/);
    expect(rows[0]![3]).toMatch(/\(5 min after capture\)$/);
  });

  it('says when one side could not be read', () => {
    const bad = analyze({ messages: [{ id: 'x', raw: 'not base64 !!', param: 'SAMLResponse' }] }).messages[0]!;
    expect(compareMessages(good, bad).rows).toEqual([{ group: 'message', field: 'message type', good: 'Response', bad: 'unreadable (bad-base64)', change: 'changed' }]);
  });
});
