// The captures' storage layout (lib/capture/stored.ts): one key per message and hop, so a write is
// proportional to the change; what is read back is the state written, across restarts, from the
// old whole-state layout too, and after a write that was cut short.
import { describe, expect, it } from 'vitest';
import { CaptureLayout, capturesFromStorage, readStoredCaptures, type WritePlan } from '../lib/capture/stored.ts';
import { addMessage, addNotice, clearCaptures, updateRequest, type CaptureState } from '../lib/capture/state.ts';
import { STORAGE_KEYS } from '../lib/messages.ts';
import { SessionSim } from './session-sim.ts';
import { CAPTURES_HEAD_KEY } from '../lib/capture/stored.ts';

/** An area as a plain object, written the way the background writes it (removals first unless a full rewrite). */
function apply(area: Record<string, unknown>, layout: CaptureLayout, s: CaptureState): WritePlan {
  const p = layout.plan(s);
  if (!p.removeAfterSet) for (const k of p.remove) delete area[k];
  if (!p.removeAfterSet) layout.removed(p);
  Object.assign(area, structuredClone(p.set));
  layout.written(p);
  if (p.removeAfterSet) {
    for (const k of p.remove) delete area[k];
    layout.removed(p);
  }
  return p;
}

const plain = (s: CaptureState) => JSON.parse(JSON.stringify(s)) as CaptureState;

function session(attempts: number, limits?: { maxMessages: number }): SessionSim {
  const sim = new SessionSim();
  for (let i = 0; i < attempts; i++) sim.spAttempt(1 + (i % 2), {});
  if (limits) sim.state = { ...sim.state };
  return sim;
}

describe('captures stored key by key', () => {
  it('reads back what was written, and a restarted writer with nothing changed writes nothing', () => {
    const area: Record<string, unknown> = {};
    const s = session(6).state;
    const p = apply(area, new CaptureLayout(), s);
    expect(Object.keys(p.set).filter((k) => k.startsWith('captures:m:'))).toHaveLength(s.messages.length);
    expect(plain(capturesFromStorage(area))).toEqual(plain(s));
    // A restarted worker: what it reads, written again, writes nothing.
    const again = readStoredCaptures(structuredClone(area));
    const q = again.layout.plan(again.state);
    expect(q.set).toEqual({});
    expect(q.remove).toEqual([]);
  });

  it('a new capture writes its own key and the head; a status fills in one key; eviction removes keys', () => {
    const area: Record<string, unknown> = {};
    const sim = session(4);
    const layout = new CaptureLayout();
    apply(area, layout, sim.state);
    const before = sim.state;
    sim.spAttempt(1, {});
    const after = sim.state;
    const p = apply(area, layout, after);
    const newMessages = after.messages.length - before.messages.length;
    const newSteps = after.steps.length - before.steps.length;
    expect(Object.keys(p.set).filter((k) => k.startsWith('captures:m:'))).toHaveLength(newMessages);
    expect(Object.keys(p.set).filter((k) => k.startsWith('captures:s:'))).toHaveLength(newSteps);
    expect(Object.keys(p.set)).toContain(CAPTURES_HEAD_KEY);
    expect(p.remove).toEqual([]);
    // A status filled in: that message alone (the head's counters did not change).
    const last = after.messages.at(-1)!;
    const updated = updateRequest(after, { messageId: last.id }, { status: 599 });
    const u = apply(area, layout, updated);
    expect(Object.keys(u.set)).toHaveLength(1);
    expect(capturesFromStorage(area).messages.at(-1)!.status).toBe(599);
    // Retention drops the oldest attempt: its keys are removed, nothing else is rewritten.
    const evicted = { ...updated, messages: updated.messages.slice(2), steps: updated.steps.slice(3) };
    const e = apply(area, layout, evicted);
    expect(e.remove.filter((k) => k.startsWith('captures:m:'))).toHaveLength(2);
    expect(e.remove.filter((k) => k.startsWith('captures:s:'))).toHaveLength(3);
    expect(Object.keys(e.set).filter((k) => k.startsWith('captures:'))).toEqual([]);
    expect(plain(capturesFromStorage(area))).toEqual(plain(evicted));
  });

  it('at the limit a new capture costs one message key, whatever is stored', () => {
    const area: Record<string, unknown> = {};
    const sim = session(30);
    const layout = new CaptureLayout();
    apply(area, layout, sim.state);
    const limits = { maxMessages: sim.state.messages.length, maxBytes: 8 * 1024 * 1024, maxSteps: 2000 };
    const m = { ...sim.state.messages.at(-1)!, id: 'arriving', seq: undefined };
    delete m.seq;
    const next = addMessage(sim.state, m, limits, new Date());
    const p = apply(area, layout, next);
    const written = Object.keys(p.set).filter((k) => k.startsWith('captures:m:'));
    expect(written).toHaveLength(1);
    expect(p.remove.length).toBeGreaterThan(0);
    expect(plain(capturesFromStorage(area))).toEqual(plain(next));
  });

  it('reads the whole state older versions wrote under `captures`, and replaces it at the next save', () => {
    const s = session(3).state;
    const area: Record<string, unknown> = { [STORAGE_KEYS.captures]: structuredClone(s), 'captures:m:7': { id: 'left over', raw: 'x' } };
    const r = readStoredCaptures(area);
    expect(plain(r.state)).toEqual(plain(s));
    const next = addNotice(r.state, 'info', 'hello', new Date());
    const p = apply(area, r.layout, next);
    expect(p.removeAfterSet).toBe(true);
    expect(area['captures:m:7']).toBeUndefined();
    expect(plain(capturesFromStorage(area))).toEqual(plain(next));
    expect((area[STORAGE_KEYS.captures] as { messages?: unknown }).messages).toBeUndefined();
  });

  it('a message that changed place is written whole again, in its new order; clearing removes every key', () => {
    const area: Record<string, unknown> = {};
    const s = session(3).state;
    const layout = new CaptureLayout();
    apply(area, layout, s);
    const swapped = { ...s, messages: [s.messages[1]!, s.messages[0]!, ...s.messages.slice(2)] };
    apply(area, layout, swapped);
    expect(plain(capturesFromStorage(area))).toEqual(plain(swapped));
    apply(area, layout, clearCaptures(swapped));
    expect(Object.keys(area).filter((k) => k.startsWith('captures:') && k !== 'captures:e')).toEqual([]);
    expect(plain(capturesFromStorage(area))).toEqual(plain(clearCaptures(swapped)));
  });

  it('a rewrite cut short between its write and its removals reads as the new state (the later copy wins)', () => {
    const area: Record<string, unknown> = {};
    const s = session(2).state;
    const layout = new CaptureLayout();
    apply(area, layout, s);
    const swapped = { ...s, messages: [...s.messages].reverse() };
    const p = layout.plan(swapped);
    expect(p.removeAfterSet).toBe(true);
    Object.assign(area, structuredClone(p.set)); // the worker stops before removing
    expect(plain(capturesFromStorage(area))).toEqual(plain(swapped));
    // The next writer (after a restart) removes the leftovers.
    const r = readStoredCaptures(area);
    apply(area, r.layout, r.state);
    expect(Object.keys(area).filter((k) => k.startsWith('captures:m:'))).toHaveLength(s.messages.length);
  });

  it('a failed write leaves the layout knowing what is stored: the next write sends what is missing', () => {
    const area: Record<string, unknown> = {};
    const sim = session(2);
    const layout = new CaptureLayout();
    apply(area, layout, sim.state);
    sim.spAttempt(1, {});
    const p = layout.plan(sim.state);
    layout.failed(p);
    const q = apply(area, layout, sim.state);
    expect(Object.keys(q.set).length).toBe(Object.keys(p.set).length);
    expect(plain(capturesFromStorage(area))).toEqual(plain(sim.state));
  });
});

// The write plan recognises the common changes by identity without keying every entry
// (CaptureLayout.quickList, issue 13: the worker's work per change at the retention limit). Any
// sequence of changes must store exactly what the full comparison stores.
describe('the quick write plan', () => {
  /** A seeded generator (mulberry32). */
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('stores what the full comparison stores, through 1,200 random changes (capture, eviction, status, reorder, shrink, clear, failed writes)', () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const sim = session(12);
      const pool = sim.state;
      let s = sim.state;
      const quickArea: Record<string, unknown> = {};
      const fullArea: Record<string, unknown> = {};
      const quick = new CaptureLayout();
      let quickWrites = 0;
      let keysWritten = 0;
      apply(quickArea, quick, s);
      for (let step = 0; step < 400; step++) {
        const k = r();
        const ms = s.messages;
        if (ms.length > 40) {
          // Retention keeps it bounded (and the test quick): the oldest go.
          s = { ...s, messages: ms.slice(4), steps: s.steps.slice(6) };
        } else if (k < 0.3) {
          // A capture: a message and its hops (copies of a signed attempt's, under new ids: signing
          // each anew would make this test slow).
          const m = pool.messages[Math.floor(r() * pool.messages.length)]!;
          const hops = pool.steps.slice(0, 1 + Math.floor(r() * 3)).map((h, j) => ({ ...h, seq: 100_000 + step * 10 + j }));
          s = { ...s, messages: [...ms, { ...m, id: `${m.id}-${seed}-${step}` }], steps: [...s.steps, ...hops] };
        } else if (k < 0.45 && ms.length > 4) {
          const n = 1 + Math.floor(r() * 3);
          s = { ...s, messages: ms.slice(n), steps: s.steps.slice(Math.floor(r() * 4)) };
        } else if (k < 0.7 && ms.length) {
          s = updateRequest(s, { messageId: ms[Math.floor(r() * ms.length)]!.id }, { status: 200 + Math.floor(r() * 300) });
        } else if (k < 0.75 && ms.length > 2) {
          // An entry moved (the full comparison rewrites the list).
          const i = Math.floor(r() * ms.length);
          const messages = [...ms];
          const [m] = messages.splice(i, 1);
          messages.push(m!);
          s = { ...s, messages };
        } else if (k < 0.8 && ms.length > 2) {
          s = { ...s, messages: ms.slice(0, -1 - Math.floor(r() * 2)) };
        } else if (k < 0.82) {
          s = clearCaptures(s);
        } else if (k < 0.85) {
          // A write that fails: the layout must still know what is stored.
          const m = pool.messages[0]!;
          const failed = { ...s, messages: [...ms, { ...m, id: `${m.id}-${seed}-${step}-failed` }] };
          quick.failed(quick.plan(failed));
          s = failed;
        } else if (k < 0.9 && ms.length) {
          // The same message object twice in a row (never made by the state functions): handled whole.
          s = { ...s, messages: [...ms, ms[ms.length - 1]!] };
          s = { ...s, messages: s.messages.slice(0, -1) };
        } else {
          s = addNotice(s, 'info', `note ${step}`, new Date(Date.UTC(2026, 0, 1, 0, 0, step)));
        }
        const p = apply(quickArea, quick, s);
        quickWrites++;
        keysWritten += Object.keys(p.set).length;
        // The full comparison, from a layout that read the area before: the same stored state.
        const full = readStoredCaptures(structuredClone(fullArea));
        const fp = full.layout.plan(s);
        Object.assign(fullArea, structuredClone(fp.set));
        for (const key of fp.remove) delete fullArea[key];
        expect(plain(capturesFromStorage(quickArea)), `seed ${seed} step ${step}`).toEqual(plain(s));
        expect(plain(capturesFromStorage(fullArea))).toEqual(plain(s));
        // No key left behind: every stored entry is one the state holds.
        const entries = Object.keys(quickArea).filter((key) => key.startsWith('captures:m:') || key.startsWith('captures:s:'));
        expect(entries.length, `seed ${seed} step ${step}`).toBe(s.messages.length + s.steps.length);
      }
      // Writes stayed proportional to the change: a few keys each on average, not the whole list.
      expect(keysWritten / quickWrites).toBeLessThan(8);
    }
  });
});
