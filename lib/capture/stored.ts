// The captures as they are laid out in extension storage (issue 13: writes proportional to the
// change). A state of 500 messages and 2,000 hops is 4–8 MB of JSON: written whole, every request
// at the retention limit cost tens of milliseconds of serialisation and a rewrite of the area.
// Instead each message and each HTTP hop has a key of its own, numbered by a slot that only grows
// (so the numbers give the capture order), and a small head holds the rest:
//
//   captures              { version, layout: 2, paused, notices, nextSeq, nextSlot }
//   captures:m:<slot>     one CapturedMessage
//   captures:s:<slot>     one FlowStep
//   captures:e            the page errors (≤ 100, written when they change)
//
// A new capture writes its own key and the head; eviction removes the evicted keys; a status
// filled in rewrites that one message or hop. Pure: the planner says what to set and remove, the
// background (the single writer) applies it through lib/store/browser.ts. Storage written by an
// older version (the whole state under `captures`) is read as it is and rewritten in this layout
// at the next save.
import type { CapturedMessage, FlowStep, PageError } from '../types.ts';
import { migrateState, type CaptureState } from './model.ts';

export const CAPTURES_HEAD_KEY = 'captures';
export const CAPTURE_KEY_PREFIX = 'captures:';
const MESSAGE_PREFIX = 'captures:m:';
const STEP_PREFIX = 'captures:s:';
export const PAGE_ERRORS_KEY = 'captures:e';
export const CAPTURES_LAYOUT = 2;

/** Whether a storage key is part of the stored captures (the head or one of its entries). */
export function isCaptureKey(k: string): boolean {
  return k === CAPTURES_HEAD_KEY || k.startsWith(CAPTURE_KEY_PREFIX);
}

interface Head {
  version: number;
  layout: typeof CAPTURES_LAYOUT;
  paused: boolean;
  notices: CaptureState['notices'];
  nextSeq?: number;
  nextSlot: number;
}

type Slots<T> = Map<string, { slot: number; obj: T }>;
/** The list each slot map was planned from (CaptureLayout.quickList), and its length then. */
const builtFrom = new WeakMap<Slots<unknown>, { items: readonly unknown[]; length: number }>();

const messageKey = (m: CapturedMessage) => m.id;
/** A hop is known by its sequence number; one stored before hops had one, by time, tab and URL. */
const stepKeyOf = (s: FlowStep) => (typeof s.seq === 'number' ? `#${s.seq}` : `${s.time ?? ''}|${s.tabId ?? ''}|${s.url}`);

/** The numbered entries under a prefix, in slot order; a key seen twice keeps its later slot. */
function entries<T>(items: Record<string, unknown>, prefix: string, keyOf: (x: T) => string, ok: (x: unknown) => boolean): { list: T[]; slots: Slots<T>; maxSlot: number } {
  const found: { slot: number; obj: T }[] = [];
  let maxSlot = -1;
  for (const k of Object.keys(items)) {
    if (!k.startsWith(prefix)) continue;
    const slot = Number(k.slice(prefix.length));
    if (!Number.isSafeInteger(slot) || slot < 0) continue;
    maxSlot = Math.max(maxSlot, slot);
    const v = items[k];
    if (ok(v)) found.push({ slot, obj: v as T });
  }
  found.sort((a, b) => a.slot - b.slot);
  const slots: Slots<T> = new Map();
  for (const e of found) {
    const k = keyOf(e.obj);
    // A rewrite interrupted between its write and its removals leaves two copies: the later wins.
    slots.delete(k);
    slots.set(k, e);
  }
  return { list: [...slots.values()].map((e) => e.obj), slots, maxSlot };
}

const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

export interface StoredCaptures {
  state: CaptureState;
  /** What is stored, for the writer (CaptureLayout.from). */
  layout: CaptureLayout;
}

/**
 * The captures from everything an area holds (`area.get(null)`): the keyed layout, or the whole
 * state an older version wrote under `captures`. Whatever is damaged is left out (migrateState).
 */
export function readStoredCaptures(items: Record<string, unknown>): StoredCaptures {
  const head = items[CAPTURES_HEAD_KEY];
  const strays = Object.keys(items).filter((k) => k.startsWith(CAPTURE_KEY_PREFIX));
  if (!isObj(head) || head.layout !== CAPTURES_LAYOUT) {
    // Nothing stored yet, or the whole state as older versions wrote it: read it whole; the
    // entries beside it (if any) are not of it, and the next save replaces them.
    const state = migrateState(head);
    return { state, layout: new CaptureLayout({ strays }) };
  }
  const isMessage = (x: unknown) => isObj(x) && typeof x.id === 'string' && typeof x.raw === 'string';
  const isStep = (x: unknown) => isObj(x) && typeof x.url === 'string';
  const m = entries<CapturedMessage>(items, MESSAGE_PREFIX, messageKey, isMessage);
  const s = entries<FlowStep>(items, STEP_PREFIX, stepKeyOf, isStep);
  const errors = Array.isArray(items[PAGE_ERRORS_KEY]) ? (items[PAGE_ERRORS_KEY] as PageError[]) : [];
  const state = migrateState({ ...head, messages: m.list, steps: s.list, pageErrors: errors });
  const nextSlot = Math.max(typeof head.nextSlot === 'number' && Number.isSafeInteger(head.nextSlot) ? head.nextSlot : 0, m.maxSlot + 1, s.maxSlot + 1);
  const used = new Set([...[...m.slots.values()].map((e) => MESSAGE_PREFIX + e.slot), ...[...s.slots.values()].map((e) => STEP_PREFIX + e.slot), PAGE_ERRORS_KEY]);
  const layout = new CaptureLayout({
    messages: m.slots,
    steps: s.slots,
    nextSlot,
    head: JSON.stringify(headOf(state, nextSlot)),
    pageErrors: state.pageErrors,
    strays: strays.filter((k) => !used.has(k)),
  });
  // migrateState keeps the same objects (it filters): the writer recognises them as stored.
  return { state, layout };
}

/**
 * The captures as one value (the old layout), from everything an area holds: for readers outside
 * the extension (the end-to-end tests read storage through the browser).
 */
export function capturesFromStorage(items: Record<string, unknown>): CaptureState {
  return readStoredCaptures(items).state;
}

function headOf(s: CaptureState, nextSlot: number): Head {
  return {
    version: s.version,
    layout: CAPTURES_LAYOUT,
    paused: s.paused,
    notices: s.notices,
    ...(s.nextSeq !== undefined ? { nextSeq: s.nextSeq } : {}),
    nextSlot,
  };
}

export interface WritePlan {
  /** Keys to write, in one call. */
  set: Record<string, unknown>;
  /** Keys to remove. */
  remove: string[];
  /** Whether the removals come after the write (a full rewrite: a failed write then loses nothing stored). */
  removeAfterSet: boolean;
  /** @internal what is stored once the plan is applied. */
  next: { messages: Slots<CapturedMessage>; steps: Slots<FlowStep>; head: string; pageErrors: PageError[]; nextSlot: number };
}

/**
 * What the writer knows is stored: the slot of each message and hop with the object written there.
 * The state is changed by making new objects for what changes (lib/capture/state.ts), so an
 * object already written is unchanged, and plan() writes only the others.
 */
export class CaptureLayout {
  private messages: Slots<CapturedMessage>;
  private steps: Slots<FlowStep>;
  private head: string | undefined;
  private pageErrors: PageError[] | undefined;
  private nextSlot: number;
  /** Entry keys stored that belong to no entry known (an older layout's leftovers). */
  private strays: string[];

  constructor(o: { messages?: Slots<CapturedMessage>; steps?: Slots<FlowStep>; nextSlot?: number; head?: string; pageErrors?: PageError[]; strays?: string[] } = {}) {
    this.messages = o.messages ?? new Map();
    this.steps = o.steps ?? new Map();
    this.nextSlot = o.nextSlot ?? 0;
    this.head = o.head;
    this.pageErrors = o.pageErrors;
    this.strays = o.strays ?? [];
  }

  /** Every key this layout has stored (to empty an area the captures leave). */
  keys(): string[] {
    return [
      CAPTURES_HEAD_KEY,
      PAGE_ERRORS_KEY,
      ...[...this.messages.values()].map((e) => MESSAGE_PREFIX + e.slot),
      ...[...this.steps.values()].map((e) => STEP_PREFIX + e.slot),
      ...this.strays,
    ];
  }

  /** What to write so that storage holds `next`. */
  plan(next: CaptureState): WritePlan {
    let slot = this.nextSlot;
    const alloc = () => slot++;
    const set: Record<string, unknown> = {};
    const remove = new Set<string>(this.strays);
    let full = false;
    const list = <T>(items: T[], stored: Slots<T>, prefix: string, keyOf: (x: T) => string): Slots<T> => {
      const quick = this.quickList(items, stored, prefix, keyOf, alloc, set, remove);
      if (quick) return quick;
      const out: Slots<T> = new Map();
      let last = -1;
      let inOrder = true;
      for (const x of items) {
        const k = keyOf(x);
        const prev = stored.get(k);
        const s = prev ? prev.slot : alloc();
        // Slots give the order on reading: an entry that moved, or a key twice, is rewritten whole.
        if (s <= last || out.has(k)) {
          inOrder = false;
          break;
        }
        last = s;
        if (!prev || prev.obj !== x) set[prefix + s] = x;
        out.set(k, { slot: s, obj: x });
      }
      if (!inOrder) {
        full = true;
        for (const k of Object.keys(set)) if (k.startsWith(prefix)) delete set[k];
        out.clear();
        items.forEach((x, i) => {
          const s = alloc();
          set[prefix + s] = x;
          const k = keyOf(x);
          out.set(out.has(k) ? `${k}\u0000${i}` : k, { slot: s, obj: x });
        });
      }
      const kept = new Set([...out.values()].map((e) => e.slot));
      for (const e of stored.values()) if (!kept.has(e.slot)) remove.add(prefix + e.slot);
      builtFrom.set(out, { items, length: items.length });
      return out;
    };
    const messages = list(next.messages, this.messages, MESSAGE_PREFIX, messageKey);
    const steps = list(next.steps, this.steps, STEP_PREFIX, stepKeyOf);
    if (next.pageErrors !== this.pageErrors) set[PAGE_ERRORS_KEY] = next.pageErrors;
    const head = JSON.stringify(headOf(next, slot));
    if (head !== this.head) set[CAPTURES_HEAD_KEY] = JSON.parse(head) as Head;
    for (const k of Object.keys(set)) remove.delete(k);
    return { set, remove: [...remove], removeAfterSet: full || this.head === undefined, next: { messages, steps, head, pageErrors: next.pageErrors, nextSlot: slot } };
  }

  /**
   * The common changes without a look at every entry (issue 13: the worker's work per change at
   * the retention limit, ≤ 2 ms): the list is the one stored, or the same objects with the oldest
   * removed (eviction), a few replaced where they stand with the same key (a status filled in) and
   * new ones at the end (a capture). Each is recognised by identity, and only the changed entries
   * are keyed. Anything else (an entry moved, a key new in the middle, one twice) is undefined:
   * the full comparison in plan() decides.
   */
  private quickList<T>(items: T[], stored: Slots<T>, prefix: string, keyOf: (x: T) => string, alloc: () => number, set: Record<string, unknown>, remove: Set<string>): Slots<T> | undefined {
    const prev = builtFrom.get(stored) as { items: T[]; length: number } | undefined;
    if (!prev || prev.items.length !== prev.length) return undefined;
    const old = prev.items;
    if (items === old) return stored;
    // The oldest removed: where the first item stood before (a bounded look: eviction removes one attempt).
    let d = 0;
    if (items.length && items[0] !== old[0]) {
      d = old.indexOf(items[0]!, 1);
      if (d < 0 || d > 256) return undefined;
    }
    const shared = Math.min(items.length, old.length - d);
    const replaced: number[] = [];
    for (let i = 0; i < shared; i++) {
      if (items[i] !== old[i + d]) {
        replaced.push(i);
        if (replaced.length > 16) return undefined;
      }
    }
    // Everything is checked before anything is planned: undefined leaves the plan as it was.
    const gone: { key: string; slot: number }[] = [];
    const stillThere = (j: number): boolean => {
      const k = keyOf(old[j]!);
      const e = stored.get(k);
      if (!e || e.obj !== old[j]) return false;
      gone.push({ key: k, slot: e.slot });
      return true;
    };
    // Removed at the head (eviction) and at the end (the list got shorter).
    for (let j = 0; j < d; j++) if (!stillThere(j)) return undefined;
    for (let j = d + shared; j < old.length; j++) if (!stillThere(j)) return undefined;
    const changed: { key: string; slot: number; obj: T }[] = [];
    for (const i of replaced) {
      const k = keyOf(items[i]!);
      const e = stored.get(k);
      if (!e || e.obj !== old[i + d] || k !== keyOf(old[i + d]!)) return undefined;
      changed.push({ key: k, slot: e.slot, obj: items[i]! });
    }
    const added: { key: string; obj: T }[] = [];
    const addedKeys = new Set<string>();
    for (let i = shared; i < items.length; i++) {
      const k = keyOf(items[i]!);
      // A key stored before is a move (a full rewrite, whose removals wait for its write), and one
      // twice is for the full comparison too.
      if (stored.has(k) || addedKeys.has(k)) return undefined;
      addedKeys.add(k);
      added.push({ key: k, obj: items[i]! });
    }
    const out: Slots<T> = new Map(stored);
    for (const g of gone) {
      out.delete(g.key);
      remove.add(prefix + g.slot);
    }
    for (const c of changed) {
      set[prefix + c.slot] = c.obj;
      out.set(c.key, { slot: c.slot, obj: c.obj });
    }
    for (const a of added) {
      const slot = alloc();
      set[prefix + slot] = a.obj;
      out.set(a.key, { slot, obj: a.obj });
    }
    builtFrom.set(out, { items, length: items.length });
    return out;
  }

  /** The plan's removals were made (its write perhaps not). */
  removed(p: WritePlan): void {
    const gone = new Set(p.remove);
    for (const [k, e] of this.messages) if (gone.has(MESSAGE_PREFIX + e.slot)) this.messages.delete(k);
    for (const [k, e] of this.steps) if (gone.has(STEP_PREFIX + e.slot)) this.steps.delete(k);
    this.strays = this.strays.filter((k) => !gone.has(k));
  }

  /** The plan's write was made: storage holds its state (with removeAfterSet, once its removals are made too). */
  written(p: WritePlan): void {
    this.messages = p.next.messages;
    this.steps = p.next.steps;
    this.head = p.next.head;
    this.pageErrors = p.next.pageErrors;
    this.nextSlot = p.next.nextSlot;
    // Removals still to make are known as strays until removed() (the next plan makes them else).
    this.strays = p.removeAfterSet ? [...p.remove] : [];
  }

  /** A write failed: allocated slots are not reused (nothing lost by skipping them). */
  failed(p: WritePlan): void {
    this.nextSlot = Math.max(this.nextSlot, p.next.nextSlot);
  }
}
