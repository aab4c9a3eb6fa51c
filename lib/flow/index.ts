// Messages, HTTP hops and page errors → sign-in attempts (one Flow each).
//
// An attempt is one AuthnRequest and what answers it (SP-initiated), or one unsolicited Response
// (IdP-initiated, My Apps), with exactly its own HTTP hops: the redirect chain that led to it and
// the one that followed it, in its tab, up to the next attempt; and the errors its pages showed.
// Hops are tied to attempts by tab, redirect chain and order of capture, never by a time window
// around a message: five retries in 30 seconds, two tabs at once or identical Date headers keep
// every attempt separate and complete. See docs/sessions.md.
import type { CapturedMessage, Flow, FlowStep, FlowType, PageError } from '../types.ts';
import type { SamlKind } from '../saml/model.ts';
import { describePortal, hostRole, urlHost, urlRole, type HostRole } from '../domain/hosts.ts';
import { errorFits, httpError, tenantOfEntraUrl } from './page-errors.ts';
import { withoutFragment, withoutQuery } from '../strings.ts';

export interface FlowItem {
  capture: CapturedMessage;
  /** Undefined when the message could not be decoded. */
  kind?: SamlKind;
  samlId?: string;
  inResponseTo?: string;
  /** Entra tenant id from the Issuer, when known. */
  tenantId?: string;
}

export interface AssembleOptions {
  /** Put every message into one flow, in the order given (bundles written by older versions). */
  singleFlow?: boolean;
  /** HTTP steps that carried no SAML message (portal, launcher, redirects), from the capture. */
  steps?: FlowStep[];
  /** Errors the sign-in pages showed, attached to the attempt that showed them. */
  pageErrors?: PageError[];
}

function timeOf(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** Server Date minus client capture time, in seconds. */
export function clockSkewSeconds(c: CapturedMessage): number | undefined {
  const client = timeOf(c.time);
  const server = timeOf(c.serverDate);
  if (client === undefined || server === undefined) return undefined;
  return Math.round((server - client) / 1000);
}

export function stepOf(c: CapturedMessage): FlowStep {
  const s: FlowStep = { url: c.url ?? '(pasted message)', method: c.method ?? (c.binding === 'redirect' ? 'GET' : c.binding === 'post' ? 'POST' : '?'), messageId: c.id };
  if (c.status !== undefined) s.status = c.status;
  if (c.time) s.time = c.time;
  if (c.serverDate) s.serverDate = c.serverDate;
  if (c.redirectTo) s.redirectTo = c.redirectTo;
  if (c.tabId !== undefined) s.tabId = c.tabId;
  if (c.frameId !== undefined) s.frameId = c.frameId;
  if (c.seq !== undefined) s.seq = c.seq;
  if (c.chain !== undefined) s.chain = c.chain;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Events in capture order

type Event =
  | { k: 'msg'; item: FlowItem; pos: number; tab: string; chain: string; url: string; time?: number }
  | { k: 'step'; step: FlowStep; pos: number; tab: string; chain: string; url: string; time?: number }
  | { k: 'err'; err: PageError; pos: number; tab: string; chain: string; url: string; time?: number };

const KIND_RANK = { step: 0, msg: 1, err: 2 } as const;
const bare = (u: string | undefined) => withoutQuery(u ?? '');
const noFragment = withoutFragment;
/** A chain id older than this is not continued (browsers reuse request ids after a restart). */
const CHAIN_REUSE_MS = 10 * 60_000;

interface Raw {
  k: 'msg' | 'step' | 'err';
  /** Where it sorts: its capture sequence, else its time carried forward (see ordered). */
  key?: number;
  seq?: number;
  time?: number;
  index: number;
  tab: string;
  chain?: string;
  url: string;
  redirectTo?: string;
  item?: FlowItem;
  step?: FlowStep;
  err?: PageError;
}

/**
 * Orders everything captured: by capture sequence when every item has one (live capture, HAR and
 * SAML-tracer entries, message files), else by time, an item without time staying after the one
 * before it in its own list. Ties: a hop before the message of the same moment, errors last.
 */
const tabOf = (t: number | undefined) => (t === undefined ? '-' : String(t));

/** Optional fields set only when present (an absent key, not undefined: exactOptionalPropertyTypes). */
function fill(r: Raw, seq: number | undefined, time: string | undefined, chain?: string, redirectTo?: string): Raw {
  if (seq !== undefined) r.seq = seq;
  const t = timeOf(time);
  if (t !== undefined) r.time = t;
  if (chain !== undefined) r.chain = chain;
  if (redirectTo !== undefined) r.redirectTo = redirectTo;
  return r;
}

function ordered(items: FlowItem[], steps: FlowStep[], errors: PageError[], o: { chains?: boolean } = {}): Event[] {
  const raws: Raw[] = [];
  items.forEach((it, index) => {
    const c = it.capture;
    const url = c.url ? (c.rawQuery ? `${c.url}?${c.rawQuery}` : c.url) : '';
    raws.push(fill({ k: 'msg', index, tab: tabOf(c.tabId), url, item: it }, c.seq, c.time, c.chain, c.redirectTo));
  });
  steps.forEach((s, index) => {
    if (s.messageId) return; // the message itself stands for its hop
    raws.push(fill({ k: 'step', index, tab: tabOf(s.tabId), url: s.url, step: s }, s.seq, s.time, s.chain, s.redirectTo));
  });
  errors.forEach((e, index) => {
    raws.push(fill({ k: 'err', index, tab: tabOf(e.tabId), url: e.url, err: e }, e.seq, e.time));
  });
  const allSeq = raws.every((r) => r.seq !== undefined);
  if (allSeq) for (const r of raws) r.key = r.seq!;
  else {
    // Carry the last known time forward within each list, so an item without time keeps its place.
    for (const k of ['msg', 'step', 'err'] as const) {
      let last = -Infinity;
      for (const r of raws) {
        if (r.k !== k) continue;
        if (r.time !== undefined) last = r.time;
        r.key = last;
      }
    }
  }
  raws.sort((a, b) => a.key! - b.key! || KIND_RANK[a.k] - KIND_RANK[b.k] || a.index - b.index);
  if (o.chains === false) return raws.map((r, pos) => ({ k: 'msg', item: r.item!, pos, tab: r.tab, chain: '', url: r.url }));

  // Redirect chains: the browser's request id when the capture has one (it stays the same through
  // redirects), else the hop whose Location is this URL, on the same tab.
  const events: Event[] = [];
  const lastOfChain = new Map<string, { time?: number; id: string }>();
  const pendingLocation = new Map<string, string[]>(); // tab|url → chain ids waiting for that URL
  raws.forEach((r, pos) => {
    let chain: string | undefined;
    if (r.chain !== undefined && r.k !== 'err') {
      const k = `${r.tab}|${r.chain}`;
      const prev = lastOfChain.get(k);
      const fresh = !prev || prev.time === undefined || r.time === undefined || r.time - prev.time <= CHAIN_REUSE_MS;
      chain = fresh && prev ? prev.id : `${k}@${pos}`;
      const last: { time?: number; id: string } = { id: chain };
      if (r.time !== undefined) last.time = r.time;
      lastOfChain.set(k, last);
    } else if (r.k !== 'err' && pendingLocation.size) {
      // (Only when some hop is waiting: the key is long for a redirect URL with its query.)
      const waiting = pendingLocation.get(`${r.tab}|${noFragment(r.url)}`);
      if (waiting?.length) chain = waiting.shift();
    }
    chain ??= `${r.tab}|#${pos}`;
    if (r.redirectTo && r.k !== 'err') {
      // A Location may carry a #fragment; the request that follows it never does.
      const k = `${r.tab}|${noFragment(r.redirectTo)}`;
      const list = pendingLocation.get(k) ?? [];
      list.push(chain);
      pendingLocation.set(k, list);
    }
    // Written out, not spread from a common base (the spreads were most of this loop's time).
    const ev: Event =
      r.k === 'msg'
        ? { k: 'msg', item: r.item!, pos, tab: r.tab, chain, url: r.url }
        : r.k === 'step'
          ? { k: 'step', step: r.step!, pos, tab: r.tab, chain, url: r.url }
          : { k: 'err', err: r.err!, pos, tab: r.tab, chain, url: r.url };
    if (r.time !== undefined) ev.time = r.time;
    events.push(ev);
  });
  return events;
}

// ---------------------------------------------------------------------------------------------
// Attempts

interface Attempt {
  type: FlowType;
  tab: string;
  items: FlowItem[];
  events: Event[];
  errors: PageError[];
  /** The event that started it (its first message, or the error page of an error-only attempt). */
  anchor: Event;
  hasRequest: boolean;
  hasResponse: boolean;
  /** An attempt made of an error page alone (nothing SAML was captured). */
  errorOnly?: PageError;
}

function newAttempt(anchor: Event, type: FlowType): Attempt {
  return { type, tab: anchor.tab, items: [], events: [], errors: [], anchor, hasRequest: false, hasResponse: false };
}

function addItem(a: Attempt, ev: Event & { k: 'msg' }): void {
  a.items.push(ev.item);
  a.events.push(ev);
  if (ev.item.kind === 'AuthnRequest') a.hasRequest = true;
  if (ev.item.kind === 'Response') a.hasResponse = true;
}

/** What the first hop of a chain is: where the user (or a page) went. */
function chainRole(events: Event[]): HostRole {
  return urlRole(events[0]?.url);
}

/**
 * The messages' ids grouped into attempts, oldest attempt first: what assembleFlows(items) gives
 * as each flow's messageIds, without placing hops and errors or describing the flows. Retention
 * evicts whole attempts with it on every capture at the limit (issue 13: ≤ 2 ms a capture).
 */
export function messageGroups(items: FlowItem[]): string[][] {
  // Messages alone: their redirect chains only place hops, so they are not worked out.
  const events = ordered(items, [], [], { chains: false });
  const { attempts } = groupMessages(events, false);
  return attempts.map((a) => a.items.map((i) => i.capture.id));
}

export function assembleFlows(items: FlowItem[], opts: AssembleOptions = {}): Flow[] {
  const events = ordered(items, opts.steps ?? [], opts.pageErrors ?? []);
  const { attempts, owner } = groupMessages(events, !!opts.singleFlow);
  finishGrouping(attempts, owner, events);
  attempts.sort((x, y) => firstPos(x) - firstPos(y));
  return attempts.map((a, i) => toFlow(a, i));
}

/** 1. Messages start attempts or join the attempt they answer. */
function groupMessages(events: Event[], singleFlow: boolean): { attempts: Attempt[]; owner: Map<Event, Attempt> } {
  const attempts: Attempt[] = [];
  const known = new Set<Attempt>();
  const owner = new Map<Event, Attempt>();
  const openRequests = new Map<string, Attempt>();
  const openLogouts = new Map<string, Attempt>();
  const currentOfTab = new Map<string, Attempt>();
  const single = singleFlow ? (events.find((e) => e.k === 'msg') as (Event & { k: 'msg' }) | undefined) : undefined;
  let singleAttempt: Attempt | undefined;
  for (const ev of events) {
    if (ev.k !== 'msg') continue;
    const it = ev.item;
    let a: Attempt | undefined;
    if (single) {
      singleAttempt ??= newAttempt(single, 'fragment');
      a = singleAttempt;
    } else if (it.kind === 'AuthnRequest') {
      a = newAttempt(ev, 'fragment');
      if (it.samlId) openRequests.set(it.samlId, a);
    } else if (it.kind === 'Response') {
      const byId = it.inResponseTo ? openRequests.get(it.inResponseTo) : undefined;
      if (byId && !byId.hasResponse) a = byId;
      else if (it.inResponseTo) {
        // A response to a request we did not see, while this tab's attempt waits at Entra: it is
        // that sign-in's answer to another (stale) request, which the checks say.
        const cur = currentOfTab.get(ev.tab);
        if (cur && cur.hasRequest && !cur.hasResponse && cur.type !== 'logout') a = cur;
      }
      a ??= newAttempt(ev, it.inResponseTo ? 'fragment' : 'idp-initiated');
    } else if (it.kind === 'LogoutRequest') {
      a = newAttempt(ev, 'logout');
      if (it.samlId) openLogouts.set(it.samlId, a);
    } else if (it.kind === 'LogoutResponse') {
      a = (it.inResponseTo ? openLogouts.get(it.inResponseTo) : undefined) ?? newAttempt(ev, 'logout');
    } else {
      // Undecodable: an attempt of its own, so it is shown and never silently merged.
      a = newAttempt(ev, 'fragment');
    }
    if (!known.has(a)) {
      known.add(a);
      attempts.push(a);
    }
    addItem(a, ev);
    owner.set(ev, a);
    currentOfTab.set(ev.tab, a);
  }
  for (const a of attempts) {
    // An AuthnRequest is an SP-initiated attempt, answered or not (Entra may still be showing its
    // sign-in page, or stopped without a page samlscope could read).
    if (a.type === 'fragment' && a.hasRequest && (a.hasResponse || !single)) a.type = 'sp-initiated';
    if (a.type === 'fragment' && single) {
      const kinds = a.items.map((i) => i.kind);
      if (kinds.includes('LogoutRequest') || kinds.includes('LogoutResponse')) a.type = 'logout';
      else if (a.items.some((i) => i.kind === 'Response' && !i.inResponseTo)) a.type = 'idp-initiated';
    }
  }
  return { attempts, owner };
}

/** 2 and 3: the hops and the page errors, placed into the attempts (or attempts of their own). */
function finishGrouping(attempts: Attempt[], owner: Map<Event, Attempt>, events: Event[]): void {

  // 2. Hops: a hop in the redirect chain of a message belongs to that message's attempt (the
  // next message of the chain, else the last one: a chain that leads on to a new request leads
  // into that attempt). Other hops are grouped into their chains and placed between attempts.
  const byTab = new Map<string, Event[]>();
  for (const ev of events) (byTab.get(ev.tab) ?? byTab.set(ev.tab, []).get(ev.tab)!).push(ev);
  for (const tabEvents of byTab.values()) placeHops(tabEvents, owner);

  const msgChains = new Set(events.filter((e) => e.k === 'msg').map((e) => e.chain));
  // 3. Page errors: the attempt whose page showed the error, when the error fits it; else an
  // attempt of its own (with its page's redirect chain), so it is shown, not dropped. The one
  // exception: an AWS error on the access portal that no sign-in explains (the portal's own
  // pages fail for reasons of their own, after a sign-in that worked) is left out.
  for (const tabEvents of byTab.values()) {
    for (const ev of tabEvents) {
      if (ev.k !== 'err') continue;
      const page = pageOf(ev, tabEvents);
      const a = page ? owner.get(page) : lastOwnerBefore(ev, tabEvents, owner);
      if (a && errorFits(ev.err, a.items, a.errors)) {
        a.errors.push(ev.err);
        owner.set(ev, a);
        continue;
      }
      // An error on the access portal that no sign-in explains is not a sign-in error: not shown.
      if (ev.err.source === 'aws' && urlRole(ev.err.url) === 'aws-portal') continue;
      const alone = newAttempt(ev, 'fragment');
      alone.errorOnly = ev.err;
      alone.errors.push(ev.err);
      owner.set(ev, alone);
      // The error page's own redirect chain (a My Apps tile → Entra, say) is this attempt's,
      // unless a message travelled in it.
      if (page && page.k === 'step' && !msgChains.has(page.chain)) {
        for (const other of tabEvents) {
          if (other.k === 'step' && other.chain === page.chain && other.pos <= ev.pos) owner.set(other, alone);
        }
      }
      attempts.push(alone);
    }
  }

  for (const ev of events) {
    const a = owner.get(ev);
    if (a && ev.k === 'step') a.events.push(ev);
  }
}

function firstPos(a: Attempt): number {
  let p = a.anchor.pos;
  for (const e of a.events) p = Math.min(p, e.pos);
  return p;
}

/** The hop that showed an error page: the latest hop of that tab to the page's URL before it. */
function pageOf(err: Event, tabEvents: Event[]): Event | undefined {
  for (let i = tabEvents.indexOf(err) - 1; i >= 0; i--) {
    const e = tabEvents[i]!;
    if (e.k !== 'err' && bare(e.url) === bare(err.url)) return e;
  }
  return undefined;
}

function lastOwnerBefore(ev: Event, tabEvents: Event[], owner: Map<Event, Attempt>): Attempt | undefined {
  for (let i = tabEvents.indexOf(ev) - 1; i >= 0; i--) {
    const a = owner.get(tabEvents[i]!);
    if (a) return a;
  }
  return undefined;
}

/** Assigns the hops of one tab (in capture order) to attempts. */
function placeHops(tabEvents: Event[], owner: Map<Event, Attempt>): void {
  // Hops in a chain that carries a message.
  const chainMsgs = new Map<string, Event[]>();
  for (const e of tabEvents) if (e.k === 'msg') (chainMsgs.get(e.chain) ?? chainMsgs.set(e.chain, []).get(e.chain)!).push(e);
  const free: Event[][] = [];
  const freeByChain = new Map<string, Event[]>();
  for (const e of tabEvents) {
    if (e.k !== 'step') continue;
    const msgs = chainMsgs.get(e.chain);
    if (msgs) {
      const next = msgs.find((m) => m.pos > e.pos);
      const prev = [...msgs].reverse().find((m) => m.pos < e.pos);
      const a = owner.get((next ?? prev)!);
      if (a) owner.set(e, a);
      continue;
    }
    let c = freeByChain.get(e.chain);
    if (!c) {
      c = [];
      freeByChain.set(e.chain, c);
      free.push(c);
    }
    c.push(e);
  }
  if (!free.length) return;

  // Chains without a message: between the attempt before them (P) and the next attempt to start
  // after them (N). A run of chains right before N that lead to it is N's (the portal visit that
  // started an SP-initiated retry, the My Apps tile of an IdP-initiated one); the rest is P's
  // (Entra's sign-in pages after P's request, the portal after P's response).
  const msgEvents = tabEvents.filter((e) => e.k === 'msg');
  const starts = msgEvents.filter((m) => owner.get(m)?.anchor === m);
  const assignTo = new Map<Event[], Attempt>();
  for (let si = 0; si < starts.length; si++) {
    const n = starts[si]!;
    const N = owner.get(n)!;
    const prevMsg = [...msgEvents].reverse().find((m) => m.pos < n.pos);
    const P = prevMsg ? owner.get(prevMsg) : undefined;
    const between = free.filter((c) => c[0]!.pos < n.pos && (!prevMsg || c[0]!.pos > prevMsg.pos));
    const run = contiguousBefore(between, n);
    for (const c of P ? leadIn(run, N, P) : run) assignTo.set(c, N);
  }
  for (const c of free) {
    let a = assignTo.get(c);
    if (!a) {
      // Not a lead-in: the attempt before it, when it follows on without a long pause (the
      // portal after a response, Entra's pages after a request). Hops after a long pause, or
      // before any attempt and not leading to one, belong to no attempt: they stay in the
      // capture, not in a sign-in.
      const i = tabEvents.indexOf(c[0]!);
      let prev: Event | undefined;
      for (let j = i - 1; j >= 0 && !prev; j--) if (owner.has(tabEvents[j]!)) prev = tabEvents[j];
      if (prev && gap(prev, c[0]!) <= PAUSE_MS) a = owner.get(prev);
    }
    if (a) for (const e of c) owner.set(e, a);
  }
}

/** A pause this long between two hops of a tab ends a run: what follows it is not the same sign-in. */
const PAUSE_MS = 10 * 60_000;
const gap = (a: Event, b: Event) => (a.time === undefined || b.time === undefined ? 0 : b.time - a.time);

/** The chains right before `n` that follow one another (and it) without a long pause. */
function contiguousBefore(between: Event[][], n: Event): Event[][] {
  const run: Event[][] = [];
  let next = n;
  for (let i = between.length - 1; i >= 0; i--) {
    const c = between[i]!;
    if (gap(c[c.length - 1]!, next) > PAUSE_MS) break;
    run.unshift(c);
    next = c[0]!;
  }
  return run;
}

/** The chains (of a contiguous run before N, in order) that lead into N rather than belong to P. */
function leadIn(between: Event[][], N: Attempt, P: Attempt): Event[][] {
  const first = N.items[0];
  const spLike = first?.kind === 'AuthnRequest';
  const idpLike = first?.kind === 'Response' || first?.kind === undefined;
  if (!spLike && !idpLike) return []; // logout: its hops are what came before
  const run: Event[][] = [];
  for (let i = between.length - 1; i >= 0; i--) {
    const c = between[i]!;
    const role = chainRole(c);
    const ok = spLike ? role === 'aws-portal' || role === 'aws-acs' || role === 'myapps' : role === 'myapps' || role === 'entra';
    if (!ok) break;
    run.unshift(c);
  }
  if (!idpLike) return run;
  // IdP-initiated: the run starts at the My Apps tile when there is one; Entra's pages before the
  // tile are the previous attempt's. Without a tile, Entra's pages are P's while P still waits
  // for its response at Entra.
  const tile = run.findIndex((c) => chainRole(c) === 'myapps');
  if (tile >= 0) return run.slice(tile);
  return P.hasRequest && !P.hasResponse ? [] : run;
}

const LABEL: Record<FlowType, (fromMyApps: boolean) => string> = {
  'sp-initiated': (m) => (m ? 'SP-initiated from a My Apps tile (Sign-on URL)' : 'SP-initiated'),
  'idp-initiated': (m) => (m ? 'IdP-initiated from My Apps' : 'IdP-initiated'),
  logout: () => 'Logout',
  fragment: () => 'Incomplete sign-in (not every step captured)',
};

function toFlow(a: Attempt, order: number): Flow {
  a.events.sort((x, y) => x.pos - y.pos);
  const steps: FlowStep[] = a.events.map((e) => (e.k === 'msg' ? stepOf(e.item.capture) : (e as Event & { k: 'step' }).step));
  const hosts = steps.map((s) => urlHost(s.url));
  const resp = a.items.find((i) => i.kind === 'Response');
  const fromMyApps = hosts.some((h) => hostRole(h) === 'myapps') || a.items.some((i) => hostRole(urlHost(i.capture.initiator)) === 'myapps');
  const portalHost = hosts.find((h) => hostRole(h) === 'aws-portal');
  const awsHost = urlHost(resp?.capture.url) ?? hosts.find((h) => hostRole(h) === 'aws-acs');
  let tenantId = a.items.map((i) => i.tenantId).find((t) => t);
  let type = a.type;
  if (type === 'fragment' && fromMyApps && resp && !resp.inResponseTo) type = 'idp-initiated';
  const entraError = a.errors.find((e) => e.source === 'entra');
  // An AuthnRequest that Entra answered with its error page is an SP-initiated sign-in that
  // stopped at Entra, not a partial capture.
  if (type === 'fragment' && entraError && a.hasRequest) type = 'sp-initiated';
  const parts: string[] = [];
  if (a.errorOnly) {
    const e = a.errorOnly;
    parts.push(e.source === 'entra' ? `Stopped at Entra: ${e.code ?? 'sign-in error'}` : `AWS sign-in error: ${e.heading ?? 'error page'}`);
    if (fromMyApps) parts.push('from a My Apps tile');
    if (portalHost) parts.push(`portal ${describePortal(portalHost).label}`);
  } else {
    parts.push(LABEL[type](fromMyApps));
    if (portalHost) parts.push(`portal ${describePortal(portalHost).label}`);
    if (awsHost) parts.push(`→ ${awsHost}`);
    if (entraError?.code) parts.push(`stopped at Entra: ${entraError.code}`);
  }
  for (const e of a.errors) tenantId ??= tenantOfEntraUrl(e.url);
  const first = a.items[0];
  const flow: Flow = {
    id: first ? `flow:${first.capture.id}` : `flow:${a.errorOnly!.id}`,
    type,
    fromMyApps,
    messageIds: a.items.map((i) => i.capture.id),
    steps,
    summary: parts.join(' · '),
    order,
  };
  // The attempt's own earliest hop, else its first message, else its error. Earliest by time, not
  // the first in capture order: a worker that restarts mid-sign-in can be handed the events it
  // missed out of order (the e2e that stops it saw a portal redirect stored after the
  // AuthnRequest it led to).
  let startedAt: string | undefined;
  for (const st of steps) if (st.time && (startedAt === undefined || Date.parse(st.time) < Date.parse(startedAt))) startedAt = st.time;
  startedAt ??= first?.capture.time ?? a.errorOnly?.time;
  if (startedAt) flow.startedAt = startedAt;
  if (tenantId) flow.tenantId = tenantId;
  if (awsHost && !a.errorOnly) flow.awsTarget = awsHost;
  if (portalHost) flow.portal = portalHost;
  const skew = a.items.map((i) => clockSkewSeconds(i.capture)).find((s) => s !== undefined);
  if (skew !== undefined) flow.clockSkewSeconds = skew;
  const errors = [...a.errors];
  if (!errors.some((e) => e.source === 'aws')) {
    const e = httpError(a.items);
    if (e) errors.push(e);
  }
  if (errors.length) flow.errors = errors;
  return flow;
}
