// The full view's store (viewFirst): it paints from the background's stored analysis (the
// attempts it holds, with a count of the others), then reads the captures and analyses them all with
// signatures, which replaces the first paint (issue 13: the full view's first card ≤ 150 ms).
import { describe, expect, it, vi } from 'vitest';
import { createAppStore, type ExtensionPort } from '../lib/store/index.ts';
import { analyze } from '../lib/analyze.ts';
import { toView, viewCaptures } from '../lib/store/view.ts';
import { DEFAULT_SETTINGS } from '../lib/settings.ts';
import { SessionSim } from './session-sim.ts';

describe('store: view first, then every capture', () => {
  it('shows the newest attempts from the view and the count of all, then all attempts analysed from the captures', async () => {
    const sim = new SessionSim();
    for (let i = 0; i < 14; i++) sim.spAttempt(1, {});
    const captures = sim.state;
    const all = analyze({ messages: captures.messages, steps: captures.steps, pageErrors: captures.pageErrors });
    const view = toView(all, captures, { revision: 'r', expectationsKey: '', computedAt: new Date(), signatures: 'verified' });
    let loaded = 0;
    const p: ExtensionPort = {
      loadCaptures: async () => (loaded++, captures),
      loadSettings: async () => ({ settings: DEFAULT_SETTINGS, locked: [] }),
      loadView: async () => ({ view, captures: viewCaptures(view) }),
      subscribe: () => () => {},
      send: async () => ({ ok: true }),
      openOptions: () => {},
    };
    const s = createAppStore(p, { viewFirst: true });
    await s.getState().load();
    expect(loaded).toBe(0);
    expect(s.getState().detailsLoading).toBe(true);
    expect(s.getState().analysis.flows.map((f) => f.id)).toEqual(all.flows.slice(-9).map((f) => f.id));
    expect(s.getState().analysis.flows.every((f) => f.messageIds.length > 0 && f.summary)).toBe(true);
    // The others are counted (the popup's "N more sign-ins"), then the analysis holds them all.
    expect(s.getState().flowTotal).toBe(14);
    await vi.waitFor(() => expect(s.getState().analysis.flows).toHaveLength(14), { timeout: 10_000 });
    expect(loaded).toBe(1);
    expect(s.getState().signatures).toBe('verified');
    expect(s.getState().detailsLoading).toBe(false);
    expect(s.getState().flowTotal).toBeUndefined();
    expect(s.getState().analysis.messages.every((m) => m.xml)).toBe(true);
    expect(s.getState().captures.messages.map((m) => m.raw)).toEqual(captures.messages.map((m) => m.raw));
  });
});
