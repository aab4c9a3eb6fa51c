// Sign-in log records (Entra sign-in logs, CloudTrail sign-in events: lib/logs/signin.ts) and the
// captured sign-in attempt each one belongs to, in the way page-errors.ts ties a page's error to
// its attempt. By identity first: the Correlation Id or Request Id an Entra error page showed is
// the sign-in log record's own. Else by user and time: the NameID of the attempt's response is
// the user name CloudTrail records for an external-IdP sign-in (FACTS G2.3) and, under the default
// claims, the UPN Entra logs (B2.2); the record must fall in the attempt's own minutes. Each record
// goes to one attempt at most (the nearest in time when several fit: five retries in one tab keep
// one record each), and a record no attempt fits is returned, to be shown apart, never dropped.
import type { CapturedMessage, Flow } from '../types.ts';
import type { SignInLogRecord } from '../logs/types.ts';
import type { SamlMessage } from '../saml/model.ts';
import { attributeValue, EMAIL_CLAIMS, primaryAssertion, UPN_CLAIMS } from '../saml/assertion.ts';
import { awsRegionOf } from '../domain/aws.ts';
import { STATUS_PREFIX } from '../saml/model.ts';
import { portalAfterResponse } from './outcome.ts';

/** What the join needs to know of an attempt, beyond the Flow itself. */
export interface AttemptFacts {
  /** The NameID of its response (the Identity Center user name), when read. */
  nameId?: string;
  /** Other names the user goes by in the assertion (UPN, mail claims). */
  names?: string[];
  /** Time the response was posted to Identity Center's ACS. */
  postedAt?: string;
  /** The ACS URL it was posted to. */
  acsUrl?: string;
  hasRequest: boolean;
  hasResponse: boolean;
  /** Entra issued a Response with status Success: Entra did not stop this attempt. */
  responseSuccess?: boolean;
  /** The browser reached the access portal after posting the Response: AWS signed the user in. */
  signedIn?: boolean;
}

/** How far from an attempt's own times a record still belongs to it (clocks differ; logs lag). */
export const BEFORE_MS = 2 * 60_000;
export const AFTER_MS = 5 * 60_000;

/** Sign-in events of an external-IdP sign-in (FACTS G2): the rest concern Identity Center's own directory. */
const FEDERATED_EVENTS = new Set(['ExternalIdPDirectoryLogin', 'UserAuthentication', 'Federate', 'Authenticate']);

/** An Entra record's app looks like the AWS IAM Identity Center app (or says nothing about it). */
function awsApp(r: SignInLogRecord): boolean {
  return !r.app || /\baws\b|amazon|identity center|\bsso\b/i.test(r.app);
}

const low = (s: string | undefined) => s?.trim().toLowerCase();
const ms = (s: string | undefined) => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

function span(flow: Flow): { start?: number; end?: number } {
  const times = flow.steps.map((s) => ms(s.time)).filter((t): t is number => t !== undefined);
  for (const e of flow.errors ?? []) {
    const t = ms(e.time);
    if (t !== undefined) times.push(t);
  }
  const s = ms(flow.startedAt);
  if (s !== undefined) times.push(s);
  if (!times.length) return {};
  return { start: Math.min(...times), end: Math.max(...times) };
}

export interface JoinResult {
  /** Records by flow id, in time order. */
  byFlow: Map<string, SignInLogRecord[]>;
  /** Records that fit no captured attempt. */
  unmatched: SignInLogRecord[];
  /** How each joined record was tied, by record id: "correlation id", "user and time"… */
  how: Map<string, string>;
}

export function joinSignInLogs(flows: Flow[], facts: Map<string, AttemptFacts>, records: SignInLogRecord[]): JoinResult {
  const byFlow = new Map<string, SignInLogRecord[]>();
  const how = new Map<string, string>();
  const taken = new Set<string>();
  const put = (f: Flow, r: SignInLogRecord, why: string) => {
    (byFlow.get(f.id) ?? byFlow.set(f.id, []).get(f.id)!).push(r);
    how.set(r.id, why);
    taken.add(r.id);
  };

  // 1. Entra records by the ids an Entra error page showed.
  for (const r of records) {
    if (r.source !== 'entra') continue;
    for (const f of flows) {
      const ids = (f.errors ?? []).filter((e) => e.source === 'entra');
      const byCorr = r.correlationId && ids.some((e) => low(e.correlationId) === r.correlationId);
      const byReq = r.requestId && ids.some((e) => low(e.requestId) === r.requestId);
      if (byCorr || byReq) {
        put(f, r, byCorr ? 'Correlation Id shown on the Entra error page' : 'Request Id shown on the Entra error page');
        break;
      }
    }
  }

  // 2. The rest by user and time: every (record, attempt) pair that fits, nearest first; one
  // record of each source per attempt.
  type Pair = { r: SignInLogRecord; f: Flow; d: number; why: string };
  const pairs: Pair[] = [];
  // What each attempt offers the join, computed once (a tenant's log has 100,000s of records).
  const prepared = flows
    .filter((f) => f.type !== 'logout' && facts.has(f.id))
    .map((f) => {
      const x = facts.get(f.id)!;
      const s = span(f);
      const acsRegion = x.acsUrl ? awsRegionOf(x.acsUrl) : undefined;
      const names = [x.nameId, ...(x.names ?? [])].map(low).filter((n): n is string => !!n);
      return { f, x, s, acsRegion, names, posted: ms(x.postedAt) ?? s.end };
    });
  for (const r of records) {
    if (taken.has(r.id)) continue;
    const t = ms(r.time);
    if (t === undefined) continue;
    if (r.source === 'cloudtrail' && !FEDERATED_EVENTS.has(r.eventName ?? '')) continue;
    if (r.source === 'cloudtrail' && r.credentialType && r.credentialType !== 'EXTERNAL_IDP') continue;
    if (r.source === 'entra' && !awsApp(r)) continue;
    const user = low(r.user);
    for (const { f, x, s, acsRegion, names, posted } of prepared) {
      // A record never contradicts what the capture shows of the attempt: an Entra failure is not
      // an attempt Entra answered with Success, an AWS failure not one that reached the portal,
      // and a success not one whose page showed that side's error (found by a review: a
      // CloudTrail failure 50 ms nearer a working attempt turned it into "AWS refused").
      if (!consistent(r, f, x)) continue;
      let anchor: number | undefined;
      let lo: number | undefined;
      let hi: number | undefined;
      if (r.source === 'cloudtrail') {
        // AWS records the sign-in when the response reaches its ACS.
        if (!x.hasResponse) continue;
        anchor = posted;
        if (anchor === undefined) continue;
        lo = anchor - BEFORE_MS;
        hi = anchor + AFTER_MS;
        if (acsRegion && r.region && acsRegion !== r.region) continue;
      } else {
        if (s.start === undefined) continue;
        anchor = s.start;
        lo = s.start - BEFORE_MS;
        hi = (s.end ?? s.start) + AFTER_MS;
      }
      if (t < lo || t > hi) continue;
      if (user && names.length && !names.includes(user)) continue;
      // Without a user on one side, time alone must single the attempt out (checked below).
      pairs.push({ r, f, d: Math.abs(t - anchor), why: user && names.length ? 'user and time' : 'time alone (no user name on one side)' });
    }
  }
  pairs.sort((a, b) => a.d - b.d);
  const used = new Set<string>(); // `${flowId}|${source}`
  for (const p of pairs) {
    if (taken.has(p.r.id)) continue;
    const key = `${p.f.id}|${p.r.source}`;
    if (used.has(key)) continue;
    if (p.why.startsWith('time alone')) {
      // Time alone is not enough when another attempt fits the same record just as well.
      const rivals = pairs.filter((q) => q.r === p.r && q.f !== p.f && !used.has(`${q.f.id}|${q.r.source}`));
      if (rivals.some((q) => Math.abs(q.d - p.d) < 30_000)) continue;
    }
    used.add(key);
    put(p.f, p.r, p.why);
  }
  for (const list of byFlow.values()) list.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  return { byFlow, unmatched: records.filter((r) => !taken.has(r.id)), how };
}

function consistent(r: SignInLogRecord, f: Flow, x: AttemptFacts): boolean {
  const shown = (source: 'entra' | 'aws') => (f.errors ?? []).some((e) => e.source === source);
  if (r.source === 'entra') {
    if (r.outcome === 'failure') return !x.responseSuccess;
    if (r.outcome === 'success') return !shown('entra');
    return true;
  }
  if (r.outcome === 'failure') return !x.signedIn;
  if (r.outcome === 'success') return !shown('aws');
  return true;
}

/** What the sign-in log join needs of each attempt: its user names and when its response reached AWS. */
export function attemptFacts(flows: Flow[], byId: Map<string, { model?: SamlMessage | undefined; capture: CapturedMessage }>): Map<string, AttemptFacts> {
  const out = new Map<string, AttemptFacts>();
  for (const f of flows) {
    const msgs = f.messageIds.map((id) => byId.get(id)).filter((m) => !!m);
    const resp = msgs.find((m) => m.model?.kind === 'Response');
    const x: AttemptFacts = { hasRequest: msgs.some((m) => m.model?.kind === 'AuthnRequest'), hasResponse: !!resp };
    if (resp?.model?.kind === 'Response') {
      const a = primaryAssertion(resp.model);
      if (a?.nameId?.value) x.nameId = a.nameId.value;
      const names = [attributeValue(a, UPN_CLAIMS)?.value, attributeValue(a, EMAIL_CLAIMS)?.value].filter((v): v is string => !!v);
      if (names.length) x.names = names;
      if (resp.capture.time) x.postedAt = resp.capture.time;
      if (resp.capture.url) x.acsUrl = resp.capture.url;
      x.responseSuccess = resp.model.status?.code === `${STATUS_PREFIX}Success`;
      const ids = new Set(msgs.filter((m) => m.model?.kind === 'Response').map((m) => m.capture.id));
      if (portalAfterResponse(f, ids)) x.signedIn = true;
    }
    out.set(f.id, x);
  }
  return out;
}
