// Messages → sign-in flows. SP-initiated: AuthnRequest, then the Response whose InResponseTo
// names it. IdP-initiated: a Response without InResponseTo (from the My Apps launcher when the
// steps show it). Everything else is a fragment, kept and shown, never dropped.
import type { CapturedMessage, Flow, FlowStep, FlowType } from '../types.ts';
import type { SamlKind } from '../saml/model.ts';
import { describePortal, hostRole, urlHost } from './hosts.ts';

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
  /** Put every message into one flow, in the order given (the CLI with several files). */
  singleFlow?: boolean;
  /** HTTP steps that carried no SAML message (portal, launcher, redirects), from the capture. */
  steps?: FlowStep[];
  /** How far before a flow's first message a step may lie and still belong to it. */
  leadSeconds?: number;
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

function stepOf(c: CapturedMessage): FlowStep {
  const s: FlowStep = { url: c.url ?? '(pasted message)', method: c.method ?? (c.binding === 'redirect' ? 'GET' : c.binding === 'post' ? 'POST' : '?'), messageId: c.id };
  if (c.status !== undefined) s.status = c.status;
  if (c.time) s.time = c.time;
  if (c.serverDate) s.serverDate = c.serverDate;
  if (c.redirectTo) s.redirectTo = c.redirectTo;
  if (c.tabId !== undefined) s.tabId = c.tabId;
  if (c.frameId !== undefined) s.frameId = c.frameId;
  return s;
}

interface Draft {
  type: FlowType;
  items: FlowItem[];
  requestId?: string;
}

const PENDING_WINDOW_MS = 10 * 60_000;

/** The latest AuthnRequest without a response, on the same tab, shortly before this response. */
function pendingRequestBefore(drafts: Draft[], resp: FlowItem): Draft | undefined {
  const t = timeOf(resp.capture.time);
  for (let i = drafts.length - 1; i >= 0; i--) {
    const d = drafts[i]!;
    const req = d.items[0]!;
    if (req.kind !== 'AuthnRequest' || d.items.length > 1) continue;
    if (req.capture.tabId !== resp.capture.tabId) continue;
    const rt = timeOf(req.capture.time);
    if (t === undefined || rt === undefined || rt > t || t - rt > PENDING_WINDOW_MS) continue;
    return d;
  }
  return undefined;
}

function classify(items: FlowItem[]): FlowType {
  const kinds = items.map((i) => i.kind);
  if (kinds.includes('AuthnRequest') && kinds.includes('Response')) return 'sp-initiated';
  if (kinds.includes('LogoutRequest') || kinds.includes('LogoutResponse')) return 'logout';
  const resp = items.find((i) => i.kind === 'Response');
  if (resp && !resp.inResponseTo) return 'idp-initiated';
  return 'fragment';
}

export function assembleFlows(items: FlowItem[], opts: AssembleOptions = {}): Flow[] {
  const drafts: Draft[] = [];
  if (opts.singleFlow) {
    if (items.length) drafts.push({ type: classify(items), items: [...items] });
  } else {
    const openRequests = new Map<string, Draft>();
    const openLogouts = new Map<string, Draft>();
    for (const it of items) {
      if (it.kind === 'AuthnRequest') {
        const d: Draft = { type: 'fragment', items: [it] };
        if (it.samlId) {
          d.requestId = it.samlId;
          openRequests.set(it.samlId, d);
        }
        drafts.push(d);
      } else if (it.kind === 'Response') {
        let d = it.inResponseTo ? openRequests.get(it.inResponseTo) : undefined;
        // A response that answers a request we did not see, right after one we did on the same
        // tab, belongs to that sign-in: it answers another (stale) request, which the checks say.
        if (!d && it.inResponseTo) d = pendingRequestBefore(drafts, it);
        if (d && !d.items.some((x) => x.kind === 'Response')) {
          d.items.push(it);
          d.type = 'sp-initiated';
        } else {
          drafts.push({ type: it.inResponseTo ? 'fragment' : 'idp-initiated', items: [it] });
        }
      } else if (it.kind === 'LogoutRequest') {
        const d: Draft = { type: 'logout', items: [it] };
        if (it.samlId) openLogouts.set(it.samlId, d);
        drafts.push(d);
      } else if (it.kind === 'LogoutResponse') {
        const d = it.inResponseTo ? openLogouts.get(it.inResponseTo) : undefined;
        if (d) d.items.push(it);
        else drafts.push({ type: 'logout', items: [it] });
      } else {
        // Undecodable: attach to the flow just before it on the same tab when it is a response
        // to a pending request; otherwise keep it as its own fragment.
        drafts.push({ type: 'fragment', items: [it] });
      }
    }
  }
  return drafts.map((d) => toFlow(d, opts));
}

function toFlow(d: Draft, opts: AssembleOptions): Flow {
  const first = d.items[0]!;
  const steps: FlowStep[] = d.items.map((i) => stepOf(i.capture));
  // Attach non-SAML steps of the same tab that fall inside the flow's time window.
  const times = d.items.map((i) => timeOf(i.capture.time)).filter((t): t is number => t !== undefined);
  const tab = first.capture.tabId;
  if (opts.steps?.length && times.length) {
    const lead = (opts.leadSeconds ?? 120) * 1000;
    const start = Math.min(...times) - lead;
    const end = Math.max(...times) + 60_000;
    for (const s of opts.steps) {
      if (s.messageId) continue;
      const t = timeOf(s.time);
      if (t === undefined || t < start || t > end) continue;
      if (tab !== undefined && s.tabId !== undefined && s.tabId !== tab) continue;
      steps.push(s);
    }
    steps.sort((a, b) => (timeOf(a.time) ?? 0) - (timeOf(b.time) ?? 0));
  }
  const resp = d.items.find((i) => i.kind === 'Response');
  const hosts = steps.map((s) => urlHost(s.url));
  const fromMyApps =
    hosts.some((h) => hostRole(h) === 'myapps') ||
    d.items.some((i) => hostRole(urlHost(i.capture.initiator)) === 'myapps');
  const portalHost = hosts.find((h) => hostRole(h) === 'aws-portal');
  const awsHost = urlHost(resp?.capture.url) ?? hosts.find((h) => hostRole(h) === 'aws-acs');
  const tenantId = d.items.map((i) => i.tenantId).find((t) => t);
  let type = d.type;
  if (type === 'fragment' && fromMyApps && resp && !resp.inResponseTo) type = 'idp-initiated';
  const label: Record<FlowType, string> = {
    'sp-initiated': fromMyApps ? 'SP-initiated from a My Apps tile (Sign-on URL)' : 'SP-initiated',
    'idp-initiated': fromMyApps ? 'IdP-initiated from My Apps' : 'IdP-initiated',
    logout: 'Logout',
    fragment: 'Partial flow',
  };
  const parts = [label[type]];
  if (portalHost) parts.push(`portal ${describePortal(portalHost).label}`);
  if (awsHost) parts.push(`→ ${awsHost}`);
  const flow: Flow = {
    id: `flow:${first.capture.id}`,
    type,
    fromMyApps,
    messageIds: d.items.map((i) => i.capture.id),
    steps,
    summary: parts.join(' · '),
  };
  const startedAt = steps.map((s) => s.time).find((t) => t) ?? first.capture.time;
  if (startedAt) flow.startedAt = startedAt;
  if (tenantId) flow.tenantId = tenantId;
  if (awsHost) flow.awsTarget = awsHost;
  if (portalHost) flow.portal = portalHost;
  const skew = d.items.map((i) => clockSkewSeconds(i.capture)).find((s) => s !== undefined);
  if (skew !== undefined) flow.clockSkewSeconds = skew;
  return flow;
}
