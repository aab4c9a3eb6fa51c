// The background's stored analysis (lib/store/view.ts, issue 13): bounded whatever the number of
// messages, and the popup's selectors give the same verdict, cards and rows from it as from the
// full analysis for every attempt the popup can show.
import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { attemptRowView, selectAttemptRow, selectBadge, selectFlowFindings, selectFlowsNewestFirst, selectVerdict } from '../lib/store/selectors.ts';
import { expectationsKey, isAnalysisView, joinView, splitView, toView, viewCaptures, VIEW_FLOWS_IN_FULL } from '../lib/store/view.ts';
import type { CaptureState } from '../lib/capture/state.ts';
import { SessionSim } from './session-sim.ts';
import { LAB } from './lab/factory.ts';
import { at } from './clock.ts';

const expectations = { spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl, expectedAccessControlKeys: ['Department'] };

function session(attempts: number): CaptureState {
  const sim = new SessionSim();
  sim.tick = 40;
  for (let i = 0; i < attempts; i++) {
    if (i % 7 === 3) sim.idpAttempt(1 + (i % 2), { nameId: 'zoë.ångström@contoso.com' });
    else sim.spAttempt(1 + (i % 2), i % 5 === 2 ? { audience: `${LAB.spEntityId}/` } : i === attempts - 1 ? 'entra-stops' : {});
  }
  return sim.state;
}

const viewOf = (s: CaptureState) => {
  const a = analyze({ messages: s.messages, steps: s.steps, pageErrors: s.pageErrors, expectations, analysisTime: at(0) });
  const v = toView(a, s, { revision: 'r1', expectationsKey: expectationsKey(expectations), computedAt: at(0), signatures: 'verified', checklistSummary: '1 of 6 done' });
  return { a, v };
};
const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('the stored analysis the popup paints from', () => {
  it('shows every attempt the popup can show exactly as the full analysis does', () => {
    const s = session(30);
    const { a, v } = viewOf(s);
    const flows = selectFlowsNewestFirst(a);
    const vflows = selectFlowsNewestFirst(v.analysis);
    // The newest attempts, in order; the others counted.
    expect(vflows.map((f) => f.id)).toEqual(flows.slice(0, VIEW_FLOWS_IN_FULL).map((f) => f.id));
    expect(v.flowCount).toBe(flows.length);
    for (const f of flows.slice(0, VIEW_FLOWS_IN_FULL)) {
      const vf = v.analysis.flows.find((x) => x.id === f.id)!;
      expect(plain(vf)).toEqual(plain(f));
      expect(plain(selectVerdict(v.analysis, vf))).toEqual(plain(selectVerdict(a, f)));
      expect(plain(selectFlowFindings(v.analysis, vf))).toEqual(plain(selectFlowFindings(a, f)));
      const row = selectAttemptRow(v.analysis, vf);
      const full = selectAttemptRow(a, f);
      expect([row.number, row.kind, row.tone, row.topLabel, row.user]).toEqual([full.number, full.kind, full.tone, full.topLabel, full.user]);
    }
    expect(selectBadge(v.analysis)).toEqual(selectBadge(a));
    // Failing attempts are among them, with their evidence (not a verdict without cards).
    expect(v.analysis.findings.some((f) => f.checkId === 'audience-mismatch' && f.evidence.length > 0)).toBe(true);
    // The popup's counts: every message, every attempt.
    expect(viewCaptures(v).messages).toHaveLength(s.messages.length);
    expect(v.flowCount).toBe(a.flows.length);
    expect(v.checklistSummary).toBe('1 of 6 done');
    expect(isAnalysisView(plain(v))).toBe(true);
  });

  it('carries no raw value, XML or raw query, and keeps the models only of the attempts in full', () => {
    const { v } = viewOf(session(20));
    const text = JSON.stringify(v);
    // No SAMLResponse value (base64 of "<samlp:Response") and no XML; an AuthnRequest stays only
    // inside the hop URLs of the attempts shown, as the browser went there.
    expect(text).not.toMatch(/PHNhbWxw|<samlp?:|<saml2?p?:/);
    expect(v.analysis.messages.every((m) => m.capture.raw === '' && m.xml === undefined && m.capture.rawQuery === undefined)).toBe(true);
    // The latest attempt keeps its models (the SCIM cross-check reads the Response); the others not.
    const latest = selectFlowsNewestFirst(v.analysis)[0]!;
    expect(v.analysis.messages.filter((m) => m.model).map((m) => m.id).sort()).toEqual([...latest.messageIds].sort());
    // The other attempts are counted, not stored (a stub each was a quarter of the view at 500 messages).
    expect(v.analysis.flows).toHaveLength(VIEW_FLOWS_IN_FULL);
    expect(v.analysis.flows.every((f) => f.messageIds.length > 0 && f.order !== undefined)).toBe(true);
  });

  it('stays the same size from 20 to 120 messages (reading it costs the popup the same)', () => {
    const a = viewOf(session(10));
    const b = viewOf(session(60));
    const size = (x: unknown) => JSON.stringify(x).length;
    // The full analysis grows ~10 KB an attempt; the view holds the newest attempts and a count.
    const viewGrowth = Math.abs(size(b.v) - size(a.v));
    const fullGrowth = size(b.a) - size(a.a);
    expect(viewGrowth).toBeLessThan(fullGrowth / 50);
    expect(b.v.flowCount).toBe(b.a.flows.length);
    expect(size(b.v)).toBeLessThan(110_000);
  });

  it('refuses what is not a view of this version, and keys expectations whatever their order', () => {
    expect(isAnalysisView(undefined)).toBe(false);
    expect(isAnalysisView({ version: 1, revision: 'x', expectationsKey: '{}', analysis: { flows: [], findings: [], messages: [] }, notices: [], pageErrors: [] })).toBe(false);
    expect(expectationsKey({ spEntityId: 'a', acsUrl: 'b' })).toBe(expectationsKey({ acsUrl: 'b', spEntityId: 'a' }));
    expect(expectationsKey({ spEntityId: 'a' })).not.toBe(expectationsKey({ spEntityId: 'a', expectedAccessControlKeys: ['CostCenter'] }));
  });

  it('is stored in two parts: the latest attempt with the rows of the earlier ones, then those attempts in full', () => {
    const { a, v } = viewOf(session(30));
    const { head, earlier } = splitView(v);
    const newest = selectFlowsNewestFirst(v.analysis);
    // The first part: what the popup's first paint shows, a quarter of the whole.
    expect(head.analysis.flows.map((f) => f.id)).toEqual([newest[0]!.id]);
    expect(plain(selectFlowFindings(head.analysis, head.analysis.flows[0]))).toEqual(plain(selectFlowFindings(a, newest[0])));
    expect(plain(selectVerdict(head.analysis, head.analysis.flows[0]))).toEqual(plain(selectVerdict(a, newest[0])));
    expect(head.analysis.messages.map((m) => m.id).sort()).toEqual([...newest[0]!.messageIds].sort());
    expect(JSON.stringify(head).length).toBeLessThan(JSON.stringify(v).length / 3);
    // The rows of the earlier attempts, newest first, as the popup lists them from the whole analysis.
    expect(head.earlierRows).toEqual(selectFlowsNewestFirst(a).slice(1, VIEW_FLOWS_IN_FULL).map((f) => attemptRowView(a, f)));
    expect(head.earlierRows!.map((r) => r.number)).toEqual([29, 28, 27, 26, 25, 24, 23, 22]);
    expect(head.earlierRows!.some((r) => r.tone === 'error' && r.topCheckId === 'audience-mismatch')).toBe(true);
    expect(head.earlierRows!.some((r) => r.user === 'zoë.ångström@contoso.com')).toBe(true);
    expect(head.flowCount).toBe(30);
    expect(isAnalysisView(plain(head))).toBe(true);
    // Each finding and message in exactly one part.
    const ids = (xs: { messageId?: string; flowId?: string; checkId: string }[]) => xs.map((f) => `${f.checkId}|${f.flowId}|${f.messageId}`);
    expect([...ids(head.analysis.findings), ...ids(earlier.analysis.findings)].sort()).toEqual(ids(v.analysis.findings).sort());
    expect(head.analysis.messages.length + earlier.analysis.messages.length).toBe(v.analysis.messages.length);
    // Joined (as read back from storage): the view whole, without the rows.
    const whole = joinView(plain(head) as typeof head, plain(earlier))!;
    expect(whole.earlierRows).toBeUndefined();
    for (const k of ['flows', 'findings', 'messages'] as const) {
      const byId = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
      expect(byId(whole.analysis[k])).toEqual(byId(plain(v.analysis[k]) as unknown[]));
    }
    expect(selectFlowsNewestFirst(whole.analysis).map((f) => f.id)).toEqual(newest.map((f) => f.id));
    const { analysis: _a, ...rest } = whole;
    const { analysis: _b, ...restV } = v;
    expect(plain(rest)).toEqual(plain(restV));
  });

  it('joins only the parts written together', () => {
    const { head, earlier } = splitView(viewOf(session(12)).v);
    expect(joinView(head, undefined)).toBeUndefined();
    expect(joinView(head, { ...earlier, revision: 'r2' })).toBeUndefined();
    expect(joinView(head, { ...earlier, computedAt: '2030-01-01T00:00:00.000Z' })).toBeUndefined();
    expect(joinView(head, { ...earlier, version: 3 })).toBeUndefined();
    expect(joinView(head, { ...earlier, analysis: { flows: [] } })).toBeUndefined();
    expect(joinView(head, earlier)!.analysis.flows).toHaveLength(VIEW_FLOWS_IN_FULL);
  });

  it('of one attempt: the first part holds it all, the second nothing', () => {
    const { v } = viewOf(session(1));
    const { head, earlier } = splitView(v);
    expect(head.analysis.flows).toHaveLength(1);
    expect(head.earlierRows).toEqual([]);
    expect(earlier.analysis).toEqual({ flows: [], findings: [], messages: [] });
    const empty = toView({ flows: [], findings: [], messages: [] }, session(0), { revision: 'r0', expectationsKey: '', computedAt: at(0), signatures: 'verified' });
    expect(splitView(empty).head.analysis.flows).toEqual([]);
  });
});
