// The full view's store (viewFirst): it paints from the background's stored analysis (the
// attempts it holds, with a count of the others), then reads the captures and analyses them all with
// signatures, which replaces the first paint (issue 13: the full view's first card ≤ 150 ms).
import { describe, expect, it, vi } from 'vitest';
import { createAppStore, type ExtensionPort } from '../lib/store/index.ts';
import { analyze } from '../lib/analyze.ts';
import { joinView, splitView, toView, viewCaptures } from '../lib/store/view.ts';
import { attemptRowView, selectFlowsNewestFirst } from '../lib/store/selectors.ts';
import { DEFAULT_SETTINGS } from '../lib/settings.ts';
import { SessionSim } from './session-sim.ts';

describe('store: view first, then every capture', () => {
  /** A session of `attempts` sign-ins, its whole stored view, and a port that counts the reads of its captures. */
  const viewOf = (attempts: number) => {
    const sim = new SessionSim();
    for (let i = 0; i < attempts; i++) sim.spAttempt(1, {});
    const captures = sim.state;
    const all = analyze({ messages: captures.messages, steps: captures.steps, pageErrors: captures.pageErrors });
    const view = toView(all, captures, { revision: 'r', expectationsKey: '', computedAt: new Date(), signatures: 'verified' });
    const reads = { captures: 0 };
    const port: ExtensionPort = {
      loadCaptures: async () => (reads.captures++, captures),
      loadSettings: async () => ({ settings: DEFAULT_SETTINGS, locked: [] }),
      loadView: async () => ({ view, captures: viewCaptures(view) }),
      subscribe: () => () => {},
      send: async () => ({ ok: true }),
      openOptions: () => {},
    };
    return { captures, all, port, reads };
  };

  it('shows the newest attempts from the view and the count of all, then all attempts analysed from the captures', async () => {
    const { captures, all, port, reads } = viewOf(14);
    const s = createAppStore(port, { viewFirst: true });
    await s.getState().load();
    expect(reads.captures).toBe(0);
    expect(s.getState().detailsLoading).toBe(true);
    expect(s.getState().analysis.flows.map((f) => f.id)).toEqual(all.flows.slice(-9).map((f) => f.id));
    expect(s.getState().analysis.flows.every((f) => f.messageIds.length > 0 && f.summary)).toBe(true);
    // The others are counted (the popup's "N more sign-ins"), then the analysis holds them all.
    expect(s.getState().flowTotal).toBe(14);
    await vi.waitFor(() => expect(s.getState().analysis.flows).toHaveLength(14), { timeout: 10_000 });
    expect(reads.captures).toBe(1);
    expect(s.getState().signatures).toBe('verified');
    expect(s.getState().detailsLoading).toBe(false);
    expect(s.getState().flowTotal).toBeUndefined();
    expect(s.getState().analysis.messages.every((m) => m.xml)).toBe(true);
    expect(s.getState().captures.messages.map((m) => m.raw)).toEqual(captures.messages.map((m) => m.raw));
  });

  it('reads the captures only once the first frame is painted (their reply would hold the frame back)', async () => {
    const { port, reads } = viewOf(3);
    const painted: (() => void)[] = [];
    const s = createAppStore(port, { viewFirst: true, afterPaint: (fn) => painted.push(fn) });
    await s.getState().load();
    // A turn of the event loop later, still nothing read: the page has not painted.
    await new Promise((r) => setTimeout(r, 20));
    expect(reads.captures).toBe(0);
    expect(painted).toHaveLength(1);
    painted[0]!();
    await vi.waitFor(() => expect(s.getState().detailsLoading).toBe(false), { timeout: 10_000 });
    expect(reads.captures).toBe(1);
    expect(s.getState().analysis.flows).toHaveLength(3);
  });

  describe('the popup (fromView): the first part of the view, then its second after the paint', () => {
    const setup = (earlierPart: () => Promise<unknown>) => {
      const sim = new SessionSim();
      for (let i = 0; i < 14; i++) sim.spAttempt(1, i % 4 === 1 ? { nameId: 'someone.else@contoso.com' } : {});
      const captures = sim.state;
      const all = analyze({ messages: captures.messages, steps: captures.steps, pageErrors: captures.pageErrors });
      const { head, earlier } = splitView(toView(all, captures, { revision: 'r', expectationsKey: '', computedAt: new Date(), signatures: 'verified' }));
      let reads = 0;
      const p: ExtensionPort = {
        loadCaptures: async () => captures,
        loadSettings: async () => ({ settings: DEFAULT_SETTINGS, locked: [] }),
        loadView: async () => ({
          view: head,
          captures: viewCaptures(head),
          earlier: async () => (reads++, joinView(head, await earlierPart())),
        }),
        subscribe: () => () => {},
        send: async () => ({ ok: true }),
        openOptions: () => {},
      };
      const painted: (() => void)[] = [];
      const s = createAppStore(p, { fromView: true, afterPaint: (fn) => painted.push(fn) });
      return { s, all, earlier, painted, reads: () => reads };
    };

    it('paints the latest attempt and the rows, and reads the earlier attempts only after the paint', async () => {
      let part: unknown;
      const { s, all, earlier, painted, reads } = setup(async () => part);
      part = earlier;
      await s.getState().load();
      expect(s.getState().analysis.flows.map((f) => f.id)).toEqual([selectFlowsNewestFirst(all)[0]!.id]);
      expect(s.getState().earlierRows).toEqual(selectFlowsNewestFirst(all).slice(1, 9).map((f) => attemptRowView(all, f)));
      expect(s.getState().flowTotal).toBe(14);
      expect(reads()).toBe(0);
      expect(painted).toHaveLength(1);
      painted[0]!();
      await vi.waitFor(() => expect(s.getState().analysis.flows).toHaveLength(9));
      expect(reads()).toBe(1);
      expect(s.getState().earlierRows).toBeUndefined();
      expect(s.getState().flowTotal).toBe(14);
    });

    it('without the second part (a newer view being written), drops the rows and counts the attempts', async () => {
      const { s, painted } = setup(async () => undefined);
      await s.getState().load();
      expect(s.getState().earlierRows).toHaveLength(8);
      painted[0]!();
      await vi.waitFor(() => expect(s.getState().earlierRows).toBeUndefined());
      expect(s.getState().analysis.flows).toHaveLength(1);
    });

    it('keeps the attempt chosen in the popup across a reload (a new capture), and forgets one no longer stored', async () => {
      let part: unknown;
      const { s, all, earlier, painted } = setup(async () => part);
      part = earlier;
      await s.getState().load();
      painted[0]!();
      await vi.waitFor(() => expect(s.getState().analysis.flows).toHaveLength(9));
      const chosen = selectFlowsNewestFirst(all)[3]!.id;
      s.getState().selectFlow(chosen);
      await s.getState().load();
      // Read whole before it is set: the chosen attempt is never replaced by the latest for a frame.
      expect(s.getState().selectedFlowId).toBe(chosen);
      expect(s.getState().analysis.flows).toHaveLength(9);
      expect(s.getState().earlierRows).toBeUndefined();
      expect(painted).toHaveLength(1);
      s.getState().selectFlow('flow:gone');
      await s.getState().load();
      expect(s.getState().selectedFlowId).toBeUndefined();
    });

    it('a newer load wins over the second part of an older one', async () => {
      let part: unknown;
      const { s, earlier, painted } = setup(async () => part);
      part = earlier;
      await s.getState().load();
      const first = painted[0]!;
      await s.getState().load();
      first();
      await new Promise((r) => setTimeout(r, 20));
      expect(s.getState().analysis.flows).toHaveLength(1);
      expect(s.getState().earlierRows).toHaveLength(8);
      painted[1]!();
      await vi.waitFor(() => expect(s.getState().analysis.flows).toHaveLength(9));
    });
  });
});
