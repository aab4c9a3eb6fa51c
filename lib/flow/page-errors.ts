// Page errors (Entra's AADSTS page, Identity Center's generic error) → the sign-in they ended.
// An Entra error ends a flow whose AuthnRequest got no Response; an AWS error ends a flow whose
// Response was posted to the ACS. An error with no such flow (a bookmarked Entra URL, a My Apps
// tile whose Sign-on URL points at Entra: AADSTS750054) becomes a flow of its own, with the HTTP
// steps that led to it, so it is shown instead of dropped.
import type { CapturedMessage, Flow, FlowStep, PageError } from '../types.ts';
import { describePortal, hostRole, urlHost, urlRole } from './hosts.ts';

/** How long after a flow's last message its error page may appear. */
const ERROR_WINDOW_MS = 10 * 60_000;
/** How soon after the POST to the ACS an error on the access portal still belongs to the sign-in. */
const PORTAL_ERROR_MS = 60_000;
/** How far back the steps that led to a stand-alone error are taken. */
const LEAD_MS = 120_000;

const timeOf = (s: string | undefined): number | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

export interface FlowMessageInfo {
  capture: CapturedMessage;
  kind?: string;
}

function flowTab(f: Flow, byId: Map<string, FlowMessageInfo>): number | undefined {
  for (const id of f.messageIds) {
    const t = byId.get(id)?.capture.tabId;
    if (t !== undefined) return t;
  }
  return undefined;
}

function lastMessageTime(f: Flow, byId: Map<string, FlowMessageInfo>): number | undefined {
  const ts = f.messageIds.map((id) => timeOf(byId.get(id)?.capture.time)).filter((t): t is number => t !== undefined);
  return ts.length ? Math.max(...ts) : undefined;
}

/** Entra's SAML endpoint names the tenant: https://login.microsoftonline.com/<tenant>/saml2 (B1.4). */
function tenantOfEntraUrl(url: string): string | undefined {
  return /^https:\/\/login\.microsoft(?:online)?\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i.exec(url)?.[1]?.toLowerCase();
}

/** The flow this error ended, or undefined. */
function owner(e: PageError, flows: Flow[], byId: Map<string, FlowMessageInfo>): Flow | undefined {
  const t = timeOf(e.time);
  if (t === undefined) return undefined;
  let best: { f: Flow; at: number } | undefined;
  for (const f of flows) {
    if (!f.messageIds.length) continue;
    const tab = flowTab(f, byId);
    if (e.tabId !== undefined && tab !== undefined && tab !== e.tabId) continue;
    const last = lastMessageTime(f, byId);
    if (last === undefined || last > t + 5_000 || t - last > ERROR_WINDOW_MS) continue;
    const kinds = f.messageIds.map((id) => byId.get(id)?.kind);
    const hasResponse = kinds.includes('Response');
    // Entra shows its error instead of posting a Response; AWS shows its error after one.
    if (e.source === 'entra' && (hasResponse || !kinds.includes('AuthnRequest'))) continue;
    if (e.source === 'aws' && !hasResponse) continue;
    // On the access portal the error must come with the sign-in's own redirects: the portal shows
    // other errors later (loading accounts, a session ended) that say nothing about the sign-in.
    if (e.source === 'aws' && urlRole(e.url) === 'aws-portal' && t - last > PORTAL_ERROR_MS) continue;
    if (!best || last > best.at) best = { f, at: last };
  }
  return best?.f;
}

/** A flow made of an error page alone, with the steps of its tab that led to it. */
function standAlone(e: PageError, steps: FlowStep[]): Flow {
  const t = timeOf(e.time) ?? 0;
  const mine = steps
    .filter((s) => {
      if (s.messageId) return false;
      const st = timeOf(s.time);
      if (st === undefined || st < t - LEAD_MS || st > t + 5_000) return false;
      return e.tabId === undefined || s.tabId === undefined || s.tabId === e.tabId;
    })
    .sort((a, b) => (timeOf(a.time) ?? 0) - (timeOf(b.time) ?? 0));
  const hosts = mine.map((s) => urlHost(s.url));
  const fromMyApps = hosts.some((h) => hostRole(h) === 'myapps');
  const portal = hosts.find((h) => hostRole(h) === 'aws-portal');
  const what = e.source === 'entra' ? `Stopped at Entra: ${e.code ?? 'sign-in error'}` : `AWS sign-in error: ${e.heading ?? 'error page'}`;
  const parts = [what];
  if (fromMyApps) parts.push('from a My Apps tile');
  if (portal) parts.push(`portal ${describePortal(portal).label}`);
  const flow: Flow = {
    id: `flow:${e.id}`,
    type: 'fragment',
    fromMyApps,
    messageIds: [],
    steps: mine,
    summary: parts.join(' · '),
    startedAt: mine[0]?.time ?? e.time,
    errors: [e],
  };
  if (portal) flow.portal = portal;
  const tenant = tenantOfEntraUrl(e.url);
  if (tenant) flow.tenantId = tenant;
  return flow;
}

/**
 * What HTTP alone tells: the POST of a Response to Identity Center's ACS answered with a 4xx or
 * 5xx status is a refused sign-in even when no page was read (the content script did not run,
 * a HAR file). A successful sign-in redirects to the access portal.
 */
function httpError(f: Flow, byId: Map<string, FlowMessageInfo>): PageError | undefined {
  for (const id of f.messageIds) {
    const m = byId.get(id);
    if (!m || m.kind !== 'Response') continue;
    const c = m.capture;
    if (urlRole(c.url) !== 'aws-acs' || c.status === undefined || c.status < 400) continue;
    const e: PageError = { id: `http:${c.id}`, source: 'aws', url: (c.url ?? '').replace(/[?#].*$/, ''), time: c.time ?? '', seenBy: 'http', status: c.status };
    if (c.tabId !== undefined) e.tabId = c.tabId;
    return e;
  }
  return undefined;
}

/**
 * Attaches page errors to the flows they ended (in place) and returns the flows with the
 * stand-alone error flows inserted in time order.
 */
export function attachPageErrors(flows: Flow[], errors: PageError[], messages: FlowMessageInfo[], steps: FlowStep[]): Flow[] {
  const byId = new Map(messages.map((m) => [m.capture.id, m]));
  const out = [...flows];
  const sorted = [...errors].sort((a, b) => (timeOf(a.time) ?? 0) - (timeOf(b.time) ?? 0));
  for (const e of sorted) {
    const f = owner(e, flows, byId);
    if (f) {
      (f.errors ??= []).push(e);
      const tenant = f.tenantId ?? tenantOfEntraUrl(e.url);
      if (tenant) f.tenantId = tenant;
      // An AuthnRequest that Entra answered with its error page is an SP-initiated sign-in that
      // stopped at Entra, not a partial capture.
      if (e.source === 'entra' && f.type === 'fragment') {
        f.type = 'sp-initiated';
        f.summary = f.summary.replace(/^Partial flow/, f.fromMyApps ? 'SP-initiated from a My Apps tile (Sign-on URL)' : 'SP-initiated');
      }
      if (e.source === 'entra' && e.code && !f.summary.includes('stopped at Entra')) f.summary += ` · stopped at Entra: ${e.code}`;
      continue;
    }
    // An error on the access portal that no sign-in explains is not a sign-in error: not shown.
    if (e.source === 'aws' && urlRole(e.url) === 'aws-portal') continue;
    const alone = standAlone(e, steps);
    const t = timeOf(e.time) ?? 0;
    const at = out.findIndex((x) => (timeOf(x.startedAt) ?? -Infinity) > t);
    if (at < 0) out.push(alone);
    else out.splice(at, 0, alone);
  }
  for (const f of flows) {
    if (f.errors?.some((e) => e.source === 'aws')) continue;
    const e = httpError(f, byId);
    if (e) (f.errors ??= []).push(e);
  }
  return out;
}
