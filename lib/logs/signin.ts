// Sign-in logs as the two clouds export them, read into one record shape (FACTS G):
//   Entra: the sign-in log downloaded from the admin center (JSON or CSV), Graph
//          GET /auditLogs/signIns ({ value: [...] }), one record, or Log Analytics SigninLogs rows;
//   AWS:   CloudTrail sign-in events (ExternalIdPDirectoryLogin, UserAuthentication, …) as
//          `aws cloudtrail lookup-events` prints them ({ Events: [{ CloudTrailEvent: "<json>" }] }),
//          its `--query "Events[].CloudTrailEvent" --output text` form, a CloudTrail log file
//          ({ Records: [...] }), an EventBridge envelope, or one event pasted.
// Pure: no I/O, no clock. Every input either gives records or one specific reason why not.
import { findAadstsCodes } from '../entra/aadsts.ts';
import { headerKey, parseCsv } from '../scim/csv.ts';
import { parseJsonSequence, parseLenientJson } from './json.ts';

export type { LogSource, LogFormat, SignInLogRecord } from './types.ts';
import type { LogFormat, LogSource, SignInLogRecord } from './types.ts';

export type SignInLogRead =
  | { ok: true; source: LogSource; format: LogFormat; records: SignInLogRecord[]; notes: string[] }
  | { ok: false; message: string };

/** Largest log text read (a browser download of a busy tenant is large; cap it rather than freeze). */
export const MAX_LOG_CHARS = 64 * 1024 * 1024;
const MAX_RECORDS = 200_000;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Case-insensitive property; a JSON-string value is parsed (Log Analytics nests JSON as text). */
function prop(o: unknown, ...names: string[]): unknown {
  if (!isObj(o)) return undefined;
  for (const n of names) {
    if (n in o) return o[n];
    const k = Object.keys(o).find((x) => x.toLowerCase() === n.toLowerCase());
    if (k) return o[k];
  }
  return undefined;
}
function obj(o: unknown, ...names: string[]): Record<string, unknown> | undefined {
  const v = prop(o, ...names);
  if (isObj(v)) return v;
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    const r = parseLenientJson(v);
    if (r.ok && isObj(r.value)) return r.value;
  }
  return undefined;
}
function str(o: unknown, ...names: string[]): string | undefined {
  const v = prop(o, ...names);
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Any date text or epoch → ISO UTC. Entra CSV dates carry no zone: they are UTC (FACTS D6.1). */
export function isoTime(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // lookup-events JSON prints EventTime as epoch seconds in some CLI versions.
    const ms = v < 1e12 ? v * 1000 : v;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof v !== 'string' || !v.trim()) return undefined;
  let s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s = `${s.replace(' ', 'T')}Z`;
  // .NET's seven fractional digits: Date.parse takes three.
  s = s.replace(/(\.\d{3})\d+/, '$1');
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

// ---------------------------------------------------------------------------------------- Entra

function aadsts(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const n = /^(?:AADSTS)?(\d{1,8})$/i.exec(code.trim())?.[1];
  if (!n || n === '0') return undefined;
  return `AADSTS${n}`;
}

function entraFromObject(r: Record<string, unknown>, format: LogFormat, origin: string, id: string): SignInLogRecord | undefined {
  const time = isoTime(prop(r, 'createdDateTime', 'TimeGenerated', 'CreatedDateTime', 'date'));
  if (!time) return undefined;
  const status = obj(r, 'status', 'Status');
  // Log Analytics: ResultType is the error code as text ("0" for success), ResultDescription the reason.
  const rawCode = str(status, 'errorCode') ?? str(r, 'ResultType', 'errorCode');
  const code = aadsts(rawCode);
  const reason = str(status, 'failureReason') ?? str(r, 'ResultDescription', 'failureReason');
  const rec: SignInLogRecord = {
    id,
    source: 'entra',
    format,
    time,
    outcome: rawCode === undefined ? 'unknown' : code ? 'failure' : 'success',
    origin,
  };
  if (code) rec.code = code;
  if (reason && code && !/^other\.?$/i.test(reason)) rec.reason = reason;
  const details = str(status, 'additionalDetails');
  if (details) rec.additionalDetails = details;
  const set = (k: keyof SignInLogRecord, v: string | undefined) => {
    if (v) (rec as unknown as Record<string, string>)[k] = v;
  };
  set('correlationId', str(r, 'correlationId', 'CorrelationId')?.toLowerCase());
  // Graph's id is the sign-in's request id; beta and Log Analytics also keep the first request's.
  set('requestId', (str(r, 'originalRequestId', 'OriginalRequestId') ?? str(r, 'id', 'Id'))?.toLowerCase());
  set('app', str(r, 'appDisplayName', 'AppDisplayName'));
  set('appId', str(r, 'appId', 'AppId'));
  set('user', str(r, 'userPrincipalName', 'UserPrincipalName'));
  set('userDisplayName', str(r, 'userDisplayName', 'UserDisplayName'));
  set('ipAddress', str(r, 'ipAddress', 'IPAddress'));
  return rec;
}

function looksEntra(o: unknown): boolean {
  return isObj(o) && (prop(o, 'createdDateTime') !== undefined || prop(o, 'appDisplayName') !== undefined) && (prop(o, 'userPrincipalName') !== undefined || prop(o, 'status') !== undefined || prop(o, 'correlationId') !== undefined);
}
function looksLogAnalytics(o: unknown): boolean {
  return isObj(o) && prop(o, 'TimeGenerated') !== undefined && (prop(o, 'ResultType') !== undefined || prop(o, 'OperationName') !== undefined) && prop(o, 'UserPrincipalName') !== undefined;
}

/** Entra admin center CSV: headers are not documented (FACTS D6.3): found by name. */
const CSV_COLUMNS: Record<string, string[]> = {
  time: ['dateutc', 'date', 'createddatetime', 'timegenerated'],
  requestId: ['requestid', 'id'],
  correlationId: ['correlationid'],
  user: ['username', 'userprincipalname', 'upn'],
  userDisplayName: ['user', 'userdisplayname'],
  app: ['application', 'appdisplayname'],
  appId: ['applicationid', 'appid'],
  status: ['status'],
  code: ['signinerrorcode', 'errorcode', 'resulttype'],
  reason: ['failurereason', 'resultdescription'],
  details: ['additionaldetails'],
  ip: ['ipaddress'],
};

function readEntraCsv(text: string, origin: string): SignInLogRead | undefined {
  const t = parseCsv(text, MAX_RECORDS);
  const keys = t.headers.map(headerKey);
  const index = new Map<string, number>();
  for (const name of Object.keys(CSV_COLUMNS)) {
    let at = -1;
    for (const k of CSV_COLUMNS[name]!) {
      at = keys.indexOf(k);
      if (at >= 0) break;
    }
    index.set(name, at);
  }
  const col = (name: string) => index.get(name) ?? -1;
  const ti = col('time');
  const hasId = col('correlationId') >= 0 || col('requestId') >= 0;
  if (ti < 0 || !hasId || (col('code') < 0 && col('status') < 0)) return undefined;
  const notes: string[] = [];
  const records: SignInLogRecord[] = [];
  let undated = 0;
  t.rows.forEach((row, n) => {
    const get = (name: string) => {
      const i = col(name);
      const v = i >= 0 ? row[i]?.trim() : undefined;
      return v ? v : undefined;
    };
    const time = isoTime(get('time'));
    if (!time) {
      undated++;
      return;
    }
    const rawCode = get('code');
    const code = aadsts(rawCode);
    const status = get('status');
    const outcome: SignInLogRecord['outcome'] = code ? 'failure' : rawCode === '0' || /^success/i.test(status ?? '') ? 'success' : /^fail|interrupt/i.test(status ?? '') ? 'failure' : 'unknown';
    const rec: SignInLogRecord = { id: `${origin}:${n + 2}`, source: 'entra', format: 'entra-csv', time, outcome, origin: `${origin}:${n + 2}` };
    if (code) rec.code = code;
    const reason = get('reason');
    if (reason && code) rec.reason = reason;
    const details = get('details');
    if (details) rec.additionalDetails = details;
    const cid = get('correlationId');
    if (cid) rec.correlationId = cid.toLowerCase();
    const rid = get('requestId');
    if (rid) rec.requestId = rid.toLowerCase();
    const app = get('app');
    if (app) rec.app = app;
    const appId = get('appId');
    if (appId) rec.appId = appId;
    const user = get('user');
    if (user) rec.user = user;
    const dn = get('userDisplayName');
    if (dn && dn !== user) rec.userDisplayName = dn;
    const ip = get('ip');
    if (ip) rec.ipAddress = ip;
    records.push(rec);
  });
  if (undated) notes.push(`${undated} row${undated === 1 ? '' : 's'} without a readable date were left out`);
  if (t.ragged) notes.push(`${t.ragged} row${t.ragged === 1 ? '' : 's'} had a different number of fields than the header`);
  if (t.truncated) notes.push(`only the first ${MAX_RECORDS} rows were read`);
  if (!records.length) return { ok: false, message: `an Entra sign-in log CSV (columns ${t.headers.slice(0, 4).join(', ')}…) with no row that has a date` };
  return { ok: true, source: 'entra', format: 'entra-csv', records, notes };
}

// ----------------------------------------------------------------------------------- CloudTrail

/** The sign-in events CloudTrail records for Identity Center (FACTS G2). */
export const SIGNIN_EVENT_SOURCES = ['signin.amazonaws.com', 'sso.amazonaws.com'];

function isCloudTrailEvent(o: unknown): o is Record<string, unknown> {
  return isObj(o) && typeof prop(o, 'eventName') === 'string' && (prop(o, 'eventTime') !== undefined || prop(o, 'eventSource') !== undefined);
}

function cloudTrailRecord(e: Record<string, unknown>, format: LogFormat, origin: string, id: string): SignInLogRecord | undefined {
  const time = isoTime(prop(e, 'eventTime'));
  const eventName = str(e, 'eventName');
  if (!eventName) return undefined;
  const errorCode = str(e, 'errorCode');
  const errorMessage = str(e, 'errorMessage');
  // The outcome is written under the event's own name: responseElements (older sign-in events,
  // ExternalIdPDirectoryLogin) or serviceEventDetails (newer ones).
  const said = str(obj(e, 'serviceEventDetails'), eventName) ?? str(obj(e, 'responseElements'), eventName);
  const outcome: SignInLogRecord['outcome'] = errorCode || errorMessage || /^fail/i.test(said ?? '') ? 'failure' : /^success/i.test(said ?? '') ? 'success' : 'unknown';
  const extra = obj(e, 'additionalEventData');
  const ui = obj(e, 'userIdentity');
  const rec: SignInLogRecord = { id, source: 'cloudtrail', format, outcome, eventName, origin, ...(time ? { time } : {}) };
  const set = (k: keyof SignInLogRecord, v: string | undefined) => {
    if (v) (rec as unknown as Record<string, string>)[k] = v;
  };
  set('code', errorCode);
  set('reason', errorMessage);
  set('eventSource', str(e, 'eventSource'));
  set('eventId', str(e, 'eventID'));
  set('requestId', str(e, 'requestID'));
  set('region', str(e, 'awsRegion'));
  set('authWorkflowId', str(extra, 'AuthWorkflowID'));
  set('credentialType', str(extra, 'CredentialType'));
  const user = str(extra, 'UserName') ?? str(ui, 'userName');
  // AWS masks a mistyped user name (HIDDEN_DUE_TO_SECURITY_REASONS): not a user.
  if (user && user !== 'HIDDEN_DUE_TO_SECURITY_REASONS') rec.user = user;
  set('ipAddress', str(e, 'sourceIPAddress'));
  return rec;
}

function readCloudTrail(events: { event: unknown; where: string }[], format: LogFormat, origin: string, notes: string[]): SignInLogRead {
  const records: SignInLogRecord[] = [];
  const others = new Map<string, number>();
  let unreadable = 0;
  let untimed = 0;
  events.forEach(({ event, where }, n) => {
    if (!isCloudTrailEvent(event)) {
      unreadable++;
      return;
    }
    const src = str(event, 'eventSource') ?? '';
    if (src && !SIGNIN_EVENT_SOURCES.includes(src)) {
      const k = `${src} ${str(event, 'eventName')}`;
      others.set(k, (others.get(k) ?? 0) + 1);
      return;
    }
    const r = cloudTrailRecord(event, format, `${origin} ${where}`, `${origin}#${n}`);
    if (r) {
      records.push(r);
      if (!r.time) untimed++;
    } else unreadable++;
  });
  if (others.size) {
    const total = [...others.values()].reduce((a, b) => a + b, 0);
    const list = [...others.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, c]) => `${k} ×${c}`).join(', ');
    notes.push(`${total} event${total === 1 ? '' : 's'} of other AWS services left out (not sign-in events): ${list}${others.size > 5 ? ', …' : ''}`);
  }
  if (unreadable) notes.push(`${unreadable} entr${unreadable === 1 ? 'y' : 'ies'} without an eventName were left out`);
  if (untimed) notes.push(`${untimed} event${untimed === 1 ? ' has' : 's have'} no readable eventTime: joined to a captured sign-in only by the ids it carries`);
  if (!records.length) {
    return { ok: false, message: others.size ? `CloudTrail events, but none from signin.amazonaws.com or sso.amazonaws.com (${notes[0]})` : 'CloudTrail JSON with no readable event (each needs eventName and eventTime)' };
  }
  return { ok: true, source: 'cloudtrail', format, records, notes };
}

// ---------------------------------------------------------------------------------------- entry

/** Whether this text is a sign-in log samlscope reads (cheap look at the start). */
export function looksLikeSignInLog(text: string): boolean {
  const head = text.slice(0, 8192);
  if (/"(eventName|EventName|CloudTrailEvent)"\s*:/.test(head) && /(signin|sso)\.amazonaws\.com|CloudTrailEvent|"Records"\s*:/.test(head)) return true;
  if (/"createdDateTime"\s*:/.test(head) && /"(userPrincipalName|appDisplayName|correlationId)"\s*:/.test(head)) return true;
  if (/"TimeGenerated"\s*:/.test(head) && /"ResultType"\s*:/.test(head) && /"UserPrincipalName"\s*:/.test(head)) return true;
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  const keys = first.split(/[,;\t]/).map((h) => headerKey(h.replace(/"/g, '')));
  return keys.includes('correlationid') && (keys.includes('signinerrorcode') || keys.includes('failurereason')) && (keys.includes('dateutc') || keys.includes('date'));
}

export function readSignInLog(input: string, origin: string): SignInLogRead {
  if (input.length > MAX_LOG_CHARS) return { ok: false, message: `${Math.round(input.length / 1048576)} MB is over the ${MAX_LOG_CHARS / 1048576} MB limit for a sign-in log; filter it to the hour of the sign-in and export again` };
  const text = input.replace(/^\uFEFF/, '').trim();
  if (!text) return { ok: false, message: 'the sign-in log is empty' };
  if (!/^[[{]/.test(text)) {
    const csv = readEntraCsv(text, origin);
    if (csv) return csv;
    return { ok: false, message: 'neither JSON nor an Entra sign-in log CSV (its header needs a date, a Correlation ID or Request ID, and a Sign-in error code or Status column)' };
  }
  const notes: string[] = [];
  const parsed = parseLenientJson(text);
  let doc: unknown;
  if (parsed.ok) {
    doc = parsed.value;
    notes.push(...parsed.repaired);
  } else {
    const seq = parseJsonSequence(text);
    if (!seq) return { ok: false, message: `not valid JSON (${parsed.message})` };
    if (seq.every(isCloudTrailEvent)) return readCloudTrail(seq.map((event, i) => ({ event, where: `event ${i + 1}` })), 'cloudtrail-text', origin, notes);
    doc = seq;
  }
  // CloudTrail: lookup-events output, a log file, an EventBridge envelope, one event, or a list.
  if (isObj(doc) && Array.isArray(prop(doc, 'Events'))) {
    const evs = prop(doc, 'Events') as unknown[];
    const events = evs.map((e, i) => {
      const inner = prop(e, 'CloudTrailEvent');
      if (typeof inner === 'string') {
        const r = parseLenientJson(inner);
        return { event: r.ok ? r.value : undefined, where: `Events[${i}]` };
      }
      return { event: isObj(inner) ? inner : e, where: `Events[${i}]` };
    });
    return readCloudTrail(events, 'cloudtrail-lookup', origin, notes);
  }
  if (isObj(doc) && Array.isArray(prop(doc, 'Records'))) {
    return readCloudTrail((prop(doc, 'Records') as unknown[]).map((event, i) => ({ event, where: `Records[${i}]` })), 'cloudtrail-file', origin, notes);
  }
  if (isObj(doc) && isObj(prop(doc, 'detail')) && isCloudTrailEvent(prop(doc, 'detail'))) {
    return readCloudTrail([{ event: prop(doc, 'detail'), where: 'detail' }], 'cloudtrail-event', origin, notes);
  }
  if (isCloudTrailEvent(doc)) return readCloudTrail([{ event: doc, where: 'event' }], 'cloudtrail-event', origin, notes);
  if (Array.isArray(doc) && doc.length && doc.every(isCloudTrailEvent)) {
    return readCloudTrail(doc.map((event, i) => ({ event, where: `[${i}]` })), 'cloudtrail-file', origin, notes);
  }
  // Entra: Graph page ({ value: [...] }), a downloaded array, one record, or Log Analytics rows.
  let list: unknown[] | undefined;
  let format: LogFormat = 'entra-json';
  if (isObj(doc) && Array.isArray(prop(doc, 'value'))) {
    list = prop(doc, 'value') as unknown[];
    format = 'entra-graph';
    if (typeof prop(doc, '@odata.nextLink') === 'string') notes.push('the Graph response has more pages (@odata.nextLink): only this page was read');
  } else if (Array.isArray(doc)) list = doc;
  else if (isObj(doc)) list = [doc];
  if (list && list.length && (list.some(looksEntra) || list.some(looksLogAnalytics))) {
    if (list.some(looksLogAnalytics)) format = 'entra-log-analytics';
    const records: SignInLogRecord[] = [];
    let skipped = 0;
    list.slice(0, MAX_RECORDS).forEach((r, i) => {
      const rec = isObj(r) ? entraFromObject(r, format, `${origin}[${i}]`, `${origin}#${i}`) : undefined;
      if (rec) records.push(rec);
      else skipped++;
    });
    if (skipped) notes.push(`${skipped} entr${skipped === 1 ? 'y' : 'ies'} without a readable createdDateTime were left out`);
    if (list.length > MAX_RECORDS) notes.push(`only the first ${MAX_RECORDS} records were read`);
    if (!records.length) return { ok: false, message: 'Entra sign-in records, but none with a readable createdDateTime' };
    return { ok: true, source: 'entra', format, records, notes };
  }
  if (isObj(doc) && Array.isArray(prop(doc, 'value')) && !(prop(doc, 'value') as unknown[]).length) {
    return { ok: false, message: 'a Graph response with no records ("value": []): widen the time filter' };
  }
  return {
    ok: false,
    message:
      'JSON, but neither an Entra sign-in log (records with createdDateTime, userPrincipalName, status) nor CloudTrail events (eventName, eventTime; or lookup-events output with Events[].CloudTrailEvent)',
  };
}

/** The AADSTS code in a record's text when the code column is missing (older exports). */
export function codeOf(r: SignInLogRecord): string | undefined {
  return r.code ?? findAadstsCodes(r.reason)[0];
}
