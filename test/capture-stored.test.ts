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
