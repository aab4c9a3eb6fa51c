// The full view's selectors and store, as plain functions over an analysis.
import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { parseXml } from '../lib/saml/xml.ts';
import { createFullViewStore, NO_FILTERS } from '../lib/store/fullview.ts';
import {
  elementPathsOf,
  evidenceTarget,
  findingByKey,
  findingKey,
  findingTarget,
  resolveElementPath,
  selectAttributes,
  selectFilteredFlows,
  selectHosts,
  selectKinds,
  selectPins,
  selectSignatureStatus,
} from '../lib/store/fullview-selectors.ts';
import { labCapture } from './evidence/fixtures.ts';
import { LAB, makeResponse, toPost } from './lab/factory.ts';

function twoFlows(earlierFirst = false) {
  const a = labCapture();
  const b = labCapture({ response: { audience: `${LAB.spEntityId}/`, nameId: 'alex.morgan@contoso.com' }, start: new Date(Date.now() - 3_600_000) });
  const earlier = b.messages.map((m) => ({ ...m, id: `b-${m.id}`, tabId: 9 }));
  const messages = earlierFirst ? [...earlier, ...a.messages] : [...a.messages, ...earlier];
  return analyze({ messages, steps: a.steps, expectations: a.expectations });
}

describe('filtering flows', () => {
  const r = twoFlows();
  it('lists hosts and message kinds', () => {
    expect(selectHosts(r)).toEqual(expect.arrayContaining(['eu-west-1.signin.aws.amazon.com', 'login.microsoftonline.com', 'd-93670a1b2c.awsapps.com']));
    expect(selectKinds(r)).toEqual(['AuthnRequest', 'Response']);
  });
  it('filters by query, host, kind and severity, newest first', () => {
    expect(selectFilteredFlows(r, NO_FILTERS).map((f) => f.id)).toEqual(['flow:r1-req', 'flow:b-r1-req']);
    expect(selectFilteredFlows(r, { ...NO_FILTERS, query: 'audience-mismatch' }).map((f) => f.id)).toEqual(['flow:b-r1-req']);
    expect(selectFilteredFlows(r, { ...NO_FILTERS, query: 'alex.m@contoso-mail.com nameid' }).map((f) => f.id)).toEqual(['flow:r1-req']);
    expect(selectFilteredFlows(r, { ...NO_FILTERS, host: 'd-93670a1b2c.awsapps.com' }).map((f) => f.id)).toEqual(['flow:r1-req']);
    expect(selectFilteredFlows(r, { ...NO_FILTERS, kind: 'LogoutRequest' })).toEqual([]);
    expect(selectFilteredFlows(r, { ...NO_FILTERS, severity: 'error' })).toHaveLength(2);
  });
});

describe('pinning findings to elements', () => {
  it('splits attribute paths and falls back to the nearest existing element', () => {
    expect(evidenceTarget('/Response/@Destination')).toEqual({ element: '/Response', attr: 'Destination' });
    expect(evidenceTarget('SAMLResponse form field')).toBeUndefined();
    const known = new Set(['/Response', '/Response/Assertion', '/Response/Assertion/Subject', '/Response/Assertion/Subject/NameID', '/Response/Signature[1]']);
    expect(resolveElementPath('/Response/Assertion/Subject/NameID', known)).toBe('/Response/Assertion/Subject/NameID');
    expect(resolveElementPath('/Response/Assertion[1]/Subject', known)).toBe('/Response/Assertion/Subject');
    expect(resolveElementPath('/Response/Signature', known)).toBe('/Response/Signature[1]');
    expect(resolveElementPath('/Response/Assertion/Conditions/AudienceRestriction', known)).toBe('/Response/Assertion');
  });

  it('pins each finding of a message where its evidence was read, and resolves a key back', () => {
    const a = labCapture();
    const r = analyze(a);
    const resp = r.messages.find((m) => m.kind === 'Response')!;
    const doc = parseXml(resp.xml!);
    const known = 'root' in doc ? elementPathsOf(doc.root) : new Set<string>();
    const pins = selectPins(r, resp.id, r.findings, known);
    const nameId = pins.get('/Response/Assertion/Subject/NameID');
    expect(nameId?.map((p) => p.checkId)).toContain('nameid-mismatch');
    const f = r.findings.find((x) => x.checkId === 'nameid-mismatch')!;
    expect(findingByKey(r, findingKey(f, r))).toBe(f);
    expect(findingByKey(r, '99:nope')).toBeUndefined();
    expect(findingTarget(f, known)).toEqual({ element: '/Response/Assertion/Subject/NameID' });
  });
});

describe('a chosen finding', () => {
  it('keeps its key when the analysis is redone over more captures (the stored view first, then every capture)', () => {
    // The full view shows the stored analysis of the latest sign-in, then its own of all of them:
    // the same finding sits at another index of the second list, and must keep its key.
    const latest = analyze(labCapture());
    const all = twoFlows(true);
    const f = latest.findings.find((x) => x.checkId === 'nameid-mismatch')!;
    const key = findingKey(f, latest);
    const again = findingByKey(all, key)!;
    expect(all.findings.indexOf(again)).not.toBe(latest.findings.indexOf(f));
    expect(again).toMatchObject({ checkId: 'nameid-mismatch', messageId: f.messageId, flowId: f.flowId, message: f.message });
    expect(findingKey(again, all)).toBe(key);
    // Each finding of an analysis has its own key, and each key finds its finding.
    const keys = all.findings.map((x) => findingKey(x, all));
    expect(new Set(keys).size).toBe(all.findings.length);
    for (const x of all.findings) expect(findingByKey(all, findingKey(x, all))).toBe(x);
    expect(findingByKey(all, undefined)).toBeUndefined();
    expect(findingByKey(all, `${key}x`)).toBeUndefined();
  });
});

describe('the summary header', () => {
  it('says how a message is signed, and lists the attributes', () => {
    const r = analyze(labCapture());
    const resp = r.messages.find((m) => m.kind === 'Response')!;
    const req = r.messages.find((m) => m.kind === 'AuthnRequest')!;
    expect(selectSignatureStatus(resp)).toMatchObject({ tone: 'ok', text: expect.stringMatching(/^Assertion signed, RSA-SHA256/) });
    expect(selectSignatureStatus(req).text).toMatch(/Redirect signature/);
    const rows = selectAttributes(resp.model);
    expect(rows.find((x) => x.short === 'Department')).toMatchObject({ values: ['Engineering'] });
    expect(rows.find((x) => x.short === 'emailaddress')).toMatchObject({ values: ['alex.m@contoso-mail.com'] });
  });
});

describe('the full view store', () => {
  it('keeps the selection, filters and import state', () => {
    const s = createFullViewStore({ selectedFlowId: 'flow:a', panel: 'export' });
    expect(s.getState()).toMatchObject({ selectedFlowId: 'flow:a', panel: 'export', theme: 'auto' });
    s.getState().selectFinding('1:x');
    s.getState().selectFlow('flow:b');
    expect(s.getState().selectedFindingKey).toBeUndefined();
    s.getState().setFilters({ severity: 'error' });
    s.getState().startImport('big.har');
    s.getState().progress({ phase: 'scanning', done: 100, total: 2000 });
    expect(s.getState().importing).toEqual({ name: 'big.har', phase: 'scanning', done: 100, total: 2000 });
    s.getState().failImport('nope');
    expect(s.getState()).toMatchObject({ importing: undefined, importError: 'nope' });
    const r = analyze(labCapture());
    s.getState().finishImport({ name: 'x.har', kind: 'har', input: { messages: [], steps: [], expectations: {}, analysisTime: new Date() }, analysis: r, notes: [] });
    expect(s.getState()).toMatchObject({ importError: undefined, filters: NO_FILTERS, panel: 'none', imported: { name: 'x.har' } });
    s.getState().showLive();
    expect(s.getState().imported).toBeUndefined();
  });
});
