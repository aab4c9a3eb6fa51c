// The captured traffic as it is kept between service-worker restarts: messages, HTTP steps,
// the pause switch and notices. Pure functions over plain data; the background persists it.
import { readMessage } from '../analyze.ts';
import { messageGroups, type FlowItem } from '../flow/index.ts';
import type { CapturedMessage, FlowStep, PageError } from '../types.ts';
import type { RetentionLimits } from './limits.ts';
import { hostRole, urlHost } from '../flow/hosts.ts';

export { DEFAULT_RETENTION, type RetentionLimits } from './limits.ts';

// The stored shape (and reading it back) is in ./model.ts, which the popup loads without the
// analysis core this module needs for eviction.
import { CAPTURE_STATE_VERSION, emptyState, MAX_PAGE_ERRORS, type CaptureState, type Notice } from './model.ts';
export { CAPTURE_STATE_VERSION, emptyState, MAX_PAGE_ERRORS, migrateState, type CaptureState, type Notice } from './model.ts';

/** The state with the next sequence number taken: [number, state without it]. */
function takeSeq(s: CaptureState): [number, CaptureState] {
  const n = nextSeqOf(s);
  return [n, { ...s, nextSeq: n + 1 }];
}

/** The next free sequence number (past every number stored, whatever nextSeq says). */
function nextSeqOf(s: CaptureState): number {
  if (typeof s.nextSeq === 'number' && Number.isFinite(s.nextSeq)) return s.nextSeq;
  let n = -1;
  for (const m of s.messages) if (typeof m.seq === 'number') n = Math.max(n, m.seq);
  for (const st of s.steps) if (typeof st.seq === 'number') n = Math.max(n, st.seq);
  for (const e of s.pageErrors) if (typeof e.seq === 'number') n = Math.max(n, e.seq);
  return n + 1;
}

// Sizes are remembered per stored object: the state is updated by copying, never in place, so a
// message keeps its object (and size) from capture to eviction, and retention at the 500-message
// limit does not add up 500 sizes again on every capture (a quarter of its time, measured).
const sizes = new WeakMap<object, number>();
const sizeOfMessage = (m: CapturedMessage) => {
  let n = sizes.get(m);
  if (n === undefined) sizes.set(m, (n = m.raw.length + (m.url?.length ?? 0) + (m.rawQuery?.length ?? 0) + (m.relayState?.length ?? 0) + 300));
  return n;
};
const sizeOfStep = (s: FlowStep) => {
  let n = sizes.get(s);
  if (n === undefined) sizes.set(s, (n = s.url.length + (s.redirectTo?.length ?? 0) + 150));
  return n;
};

export function approximateSize(s: CaptureState): number {
  let n = 0;
  for (const m of s.messages) n += sizeOfMessage(m);
  for (const st of s.steps) n += sizeOfStep(st);
  for (const e of s.pageErrors) n += (e.message?.length ?? 0) + e.url.length + 400;
  for (const x of s.notices) n += x.text.length + 100;
  return n;
}

function notice(kind: Notice['kind'], text: string, now: Date): Notice {
  return { id: `${kind}-${now.getTime()}-${Math.random().toString(36).slice(2, 7)}`, kind, text, time: now.toISOString() };
}

function pushNotice(s: CaptureState, n: Notice): Notice[] {
  return [...s.notices, n].slice(-20);
}

/**
 * What the flows need of a message already read (its kind and SAML ids), from the analysis the
 * background keeps (analysisItem in lib/analyze.ts), so that eviction at the limit does not decode
 * and parse all 500 messages again. Undefined: read it here.
 */
export type ItemLookup = (m: CapturedMessage) => FlowItem | undefined;

/** What the flows need of a message (its kind and SAML ids), read from it: decoded and parsed. */
export function flowItemOf(m: CapturedMessage): FlowItem {
  const r = readMessage(m);
  const it: FlowItem = { capture: m };
  if (r.model) {
    it.kind = r.model.kind;
    if (r.model.id) it.samlId = r.model.id;
    if (r.model.inResponseTo) it.inResponseTo = r.model.inResponseTo;
  }
  return it;
}

/**
 * Drops whole flows, oldest first, until the state fits the limits. Returns the new state and a
 * notice when anything was dropped, so the user sees it instead of losing captures silently.
 */
/** How far under the limits eviction goes once it runs (see enforceLimits). */
const EVICT_SLACK = 0.05;

export function enforceLimits(s: CaptureState, limits: RetentionLimits, now: Date, itemOf?: ItemLookup): CaptureState {
  let steps = s.steps;
  let droppedSteps = 0;
  if (steps.length > limits.maxSteps) {
    droppedSteps = steps.length - limits.maxSteps;
    steps = steps.slice(droppedSteps);
  }
  let state: CaptureState = { ...s, steps };
  let size = approximateSize(state);
  if (state.messages.length <= limits.maxMessages && size <= limits.maxBytes) {
    return droppedSteps ? { ...state, notices: pushNotice(state, notice('evicted', `Dropped the ${droppedSteps} oldest HTTP steps (limit ${limits.maxSteps}).`, now)) } : state;
  }
  // Group into flows to evict whole sign-ins, not halves of them.
  const items: FlowItem[] = state.messages.map((m) => itemOf?.(m) ?? flowItemOf(m));
  // The attempts' messages only (what assembleFlows gives as messageIds, without placing hops).
  const flows = messageGroups(items).map((messageIds) => ({ messageIds }));
  const drop = new Set<string>();
  let count = state.messages.length;
  let flowsDropped = 0;
  const byId = new Map(state.messages.map((m) => [m.id, m]));
  // Evict down to 5% under the limits, not to just under them: the grouping above reads every
  // stored message, and at the limit it ran on every other capture (the background's slowest
  // step there). Small limits (under 20 messages) are kept exactly.
  const lowMessages = limits.maxMessages - Math.floor(limits.maxMessages * EVICT_SLACK);
  const lowBytes = limits.maxBytes - Math.floor(limits.maxBytes * EVICT_SLACK);
  for (const f of flows) {
    // Always keep the newest flow, even when it alone is over the size limit.
    if (count <= lowMessages && size <= lowBytes) break;
    if (flowsDropped === flows.length - 1) break;
    for (const id of f.messageIds) {
      drop.add(id);
      count--;
      size -= sizeOfMessage(byId.get(id)!);
    }
    flowsDropped++;
  }
  const messages = state.messages.filter((m) => !drop.has(m.id));
  let oldest: string | undefined;
  for (const m of messages) if (m.time && (oldest === undefined || m.time < oldest)) oldest = m.time;
  const keptSteps = oldest ? state.steps.filter((st) => !st.time || st.time >= oldest) : state.steps;
  const pageErrors = oldest ? state.pageErrors.filter((e) => e.time >= oldest) : state.pageErrors;
  state = { ...state, messages, steps: keptSteps, pageErrors };
  const text =
    `Storage limit reached (${limits.maxMessages} messages or ${(limits.maxBytes / 1024 / 1024).toFixed(0)} MB): ` +
    `removed the ${flowsDropped} oldest sign-in flow${flowsDropped === 1 ? '' : 's'} (${drop.size} message${drop.size === 1 ? '' : 's'}). Export what you need to keep.`;
  return { ...state, notices: pushNotice(state, notice('evicted', text, now)) };
}

export function addMessage(s: CaptureState, m: CapturedMessage, limits: RetentionLimits, now: Date, itemOf?: ItemLookup): CaptureState {
  if (s.messages.some((x) => x.id === m.id)) return s;
  const [seq, next] = takeSeq(s);
  return enforceLimits({ ...next, messages: [...s.messages, { ...m, seq }] }, limits, now, itemOf);
}

/** The same error read again on the same tab within this time is the same page (re-render, reload). */
const SAME_PAGE_ERROR_MS = 30_000;

/** How far back a sign-in to AWS may have started for an Entra error to belong to it. */
const AWS_CONTEXT_MS = 10 * 60_000;
/** A My Apps tile that led straight to the error: its launcher hop, shortly before. */
const LAUNCHER_CONTEXT_MS = 60_000;

/**
 * Whether an Entra error page belongs to a sign-in to AWS: the same tab went through an AWS access
 * portal, ACS or sign-in host in the last minutes, or a My Apps tile just led to it. Entra's
 * sign-in page serves every Microsoft app; its errors for Outlook or the Azure portal are none of
 * samlscope's business and are not kept.
 */
export function relatesToAwsSignIn(s: CaptureState, e: Pick<PageError, 'source' | 'tabId' | 'time'>): boolean {
  if (e.source === 'aws') return true;
  const t = Date.parse(e.time);
  if (Number.isNaN(t)) return false;
  const hops = [...s.steps.map((x) => ({ url: x.url, time: x.time, tabId: x.tabId })), ...s.messages.map((m) => ({ url: m.url, time: m.time, tabId: m.tabId }))];
  return hops.some((h) => {
    if (e.tabId !== undefined && h.tabId !== undefined && h.tabId !== e.tabId) return false;
    const ht = h.time ? Date.parse(h.time) : NaN;
    if (Number.isNaN(ht) || ht > t || t - ht > AWS_CONTEXT_MS) return false;
    const role = hostRole(urlHost(h.url));
    if (role === 'aws-portal' || role === 'aws-acs' || role === 'aws-iam-federation') return true;
    return role === 'myapps' && t - ht <= LAUNCHER_CONTEXT_MS;
  });
}

/** Whether the tab loaded anything after this reading: then a new reading is a new page. */
function navigatedSince(s: CaptureState, x: PageError): boolean {
  if (x.seq === undefined) return false;
  const after = (o: { seq?: number | undefined; tabId?: number | undefined }) => o.tabId === x.tabId && o.seq !== undefined && o.seq > x.seq!;
  return s.messages.some(after) || s.steps.some(after);
}

export function addPageError(s: CaptureState, e: PageError): CaptureState {
  const t = Date.parse(e.time);
  // The same page read again (it rendered more): the same tab, URL and error, and the tab went
  // nowhere since. A retry that ends on the same error is a new page, so a new entry.
  const i = s.pageErrors.findIndex(
    (x) =>
      x.source === e.source &&
      x.tabId === e.tabId &&
      x.url === e.url &&
      (x.code ?? x.heading) === (e.code ?? e.heading) &&
      Math.abs(Date.parse(x.time) - t) < SAME_PAGE_ERROR_MS &&
      !navigatedSince(s, x),
  );
  if (i < 0) {
    const [seq, next] = takeSeq(s);
    return { ...next, pageErrors: [...s.pageErrors, { ...e, seq }].slice(-MAX_PAGE_ERRORS) };
  }
  // The same page read again (it rendered more, or reloaded): keep one entry with what it showed.
  const prev = s.pageErrors[i]!;
  const merged: PageError = { ...prev, ...e, id: prev.id, time: prev.time, ...(prev.seq !== undefined ? { seq: prev.seq } : {}) };
  if (JSON.stringify(merged) === JSON.stringify(prev)) return s;
  const pageErrors = [...s.pageErrors];
  pageErrors[i] = merged;
  return { ...s, pageErrors };
}

export function addStep(s: CaptureState, st: FlowStep, limits: RetentionLimits, now: Date, itemOf?: ItemLookup): CaptureState {
  const [seq, next] = takeSeq(s);
  return enforceLimits({ ...next, steps: [...s.steps, { ...st, seq }] }, limits, now, itemOf);
}

export interface ResponseInfoUpdate {
  status?: number;
  serverDate?: string;
  redirectTo?: string;
}

/** Fills in what the response told us about the request that carried a message or step. */
export function updateRequest(s: CaptureState, key: { messageId?: string; stepKey?: string }, u: ResponseInfoUpdate): CaptureState {
  let changed = false;
  const messages = key.messageId
    ? s.messages.map((m) => {
        if (m.id !== key.messageId) return m;
        changed = true;
        return {
          ...m,
          ...(u.status !== undefined ? { status: u.status } : {}),
          ...(u.serverDate ? { serverDate: u.serverDate } : {}),
          ...(u.redirectTo ? { redirectTo: u.redirectTo } : {}),
        };
      })
    : s.messages;
  const steps = s.steps.map((st) => {
    const k = stepKey(st);
    if (k !== key.stepKey) return st;
    changed = true;
    return {
      ...st,
      ...(u.status !== undefined ? { status: u.status } : {}),
      ...(u.serverDate ? { serverDate: u.serverDate } : {}),
      ...(u.redirectTo ? { redirectTo: u.redirectTo } : {}),
    };
  });
  return changed ? { ...s, messages, steps } : s;
}

/** How recent a request must be for its answer to be matched by URL (see requestKeyByUrl). */
const ORPHAN_ANSWER_MS = 2 * 60_000;

/**
 * The capture a response belongs to when the worker lost its requestId map (it was stopped and
 * started again between the request and its answer): the newest message or step of the same tab,
 * method and URL that has no status yet, from the last two minutes.
 */
export function requestKeyByUrl(s: CaptureState, r: { url: string; method: string; tabId?: number }, now: Date): { messageId?: string; stepKey?: string } | undefined {
  const bare = r.url.split('?')[0]!;
  const recent = (t: string | undefined) => !!t && now.getTime() - Date.parse(t) <= ORPHAN_ANSWER_MS;
  for (let i = s.messages.length - 1; i >= 0; i--) {
    const m = s.messages[i]!;
    if (m.status === undefined && m.url === bare && m.method === r.method && m.tabId === r.tabId && recent(m.time)) return { messageId: m.id };
  }
  for (let i = s.steps.length - 1; i >= 0; i--) {
    const st = s.steps[i]!;
    if (st.status === undefined && !st.messageId && st.url === r.url && st.method === r.method && st.tabId === r.tabId && recent(st.time)) return { stepKey: stepKey(st) };
  }
  return undefined;
}

/** Steps are identified by time, tab and URL (requestIds repeat across redirects). */
export function stepKey(st: FlowStep): string {
  return `${st.time ?? ''}|${st.tabId ?? ''}|${st.url}`;
}

export function addNotice(s: CaptureState, kind: Notice['kind'], text: string, now: Date): CaptureState {
  return { ...s, notices: pushNotice(s, notice(kind, text, now)) };
}

export function clearCaptures(s: CaptureState): CaptureState {
  return { ...emptyState(), paused: s.paused };
}
