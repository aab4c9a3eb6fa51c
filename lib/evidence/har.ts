// HAR 1.2 of captured sign-ins (http://www.softwareishard.com/blog/har-12-spec/): one entry per
// HTTP hop, the SAML messages as the browser sent them (the query of an HTTP-Redirect, the form
// body of an HTTP-POST), with the response's status, Date and Location. Chrome DevTools and HAR
// viewers open it, and lib/har reads it back to the same messages and steps. Pure.
import type { CapturedMessage, FlowStep, PageError } from '../types.ts';
import { encodeComponent, hasLoneSurrogate } from '../strings.ts';
import { HAR_EXPECTATIONS_FIELD, HAR_INVENTED_FIELD, HAR_SIGNATURE_FIELD, type InventedField } from '../har/index.ts';
import type { Expectations } from '../checks/types.ts';

/** The custom HAR log field that carries samlscope's page errors. */
export const HAR_PAGE_ERRORS_FIELD = '_samlscopePageErrors';

export interface HarOptions {
  creatorVersion: string;
  /** Used for entries without any time (pasted messages), ISO. */
  fallbackTime: string;
  comment?: string;
  /**
   * The errors the sign-in pages showed. HAR has no place for them and the export holds no
   * response bodies, so they go in a custom log field (HAR 1.2 allows fields starting with "_"),
   * which samlscope reads back and other tools ignore.
   */
  pageErrors?: PageError[];
  /** Receives what the reader of the export should know (a value that could not be written as it was). */
  notices?: string[];
  /**
   * The expectations the capture was analysed with (redacted like the messages), in a custom log
   * field, so that re-analysis judges against the same values (a redacted tenant in the Issuer
   * is not compared with the real one of whoever imports it).
   */
  expectations?: Expectations;
}

/** What the export says when a value held a lone surrogate. */
export function loneSurrogateNotice(values: number): string {
  return `${values} value${values === 1 ? '' : 's'} held a lone UTF-16 surrogate (half of a character, which UTF-8 and URL encoding cannot carry): written as U+FFFD («\uFFFD») in the URL or form body.`;
}

interface NV {
  name: string;
  value: string;
}

/**
 * Percent-encoding that cannot throw: a lone surrogate (not a character, so UTF-8 and
 * percent-encoding cannot carry it) is written as U+FFFD and counted, so the export can say so.
 */
function encode(v: string, seen?: LoneCount): string {
  if (seen && hasLoneSurrogate(v)) seen.values++;
  return encodeComponent(v);
}

/** Values whose lone surrogates were written as U+FFFD. */
export interface LoneCount {
  values: number;
}

/** Form encoding as browsers write it: unreserved characters kept, space as '+'. */
export function formEncode(v: string, seen?: LoneCount): string {
  return encode(v, seen)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryOf(url: string): NV[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return url
    .slice(q + 1)
    .split('#')[0]!
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      const dec = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return { name: dec(eq < 0 ? p : p.slice(0, eq)), value: eq < 0 ? '' : dec(p.slice(eq + 1)) };
    });
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 302: 'Found', 303: 'See Other', 301: 'Moved Permanently', 307: 'Temporary Redirect', 400: 'Bad Request', 403: 'Forbidden', 500: 'Internal Server Error' };

function entry(o: {
  url: string;
  method: string;
  time: string;
  status?: number | undefined;
  serverDate?: string | undefined;
  redirectTo?: string | undefined;
  referer?: string | undefined;
  postText?: string | undefined;
  comment?: string | undefined;
  /** The capture's order, tab and redirect chain, as custom fields (_seq, _tabId, _chain). */
  seq?: number | undefined;
  tabId?: number | undefined;
  chain?: string | undefined;
  /** More custom fields (samlscope's own, each starting with "_"). */
  custom?: Record<string, unknown> | undefined;
}): Record<string, unknown> {
  const reqHeaders: NV[] = [];
  if (o.referer) reqHeaders.push({ name: 'Referer', value: o.referer });
  const request: Record<string, unknown> = {
    method: o.method,
    url: o.url,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: reqHeaders,
    queryString: queryOf(o.url),
    headersSize: -1,
    bodySize: o.postText !== undefined ? o.postText.length : 0,
  };
  if (o.postText !== undefined) {
    reqHeaders.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    request.postData = {
      mimeType: 'application/x-www-form-urlencoded',
      text: o.postText,
      params: o.postText.split('&').map((p) => {
        const eq = p.indexOf('=');
        return { name: eq < 0 ? p : p.slice(0, eq), value: eq < 0 ? '' : p.slice(eq + 1) };
      }),
    };
  }
  const resHeaders: NV[] = [];
  if (o.serverDate) resHeaders.push({ name: 'Date', value: o.serverDate });
  if (o.redirectTo) resHeaders.push({ name: 'Location', value: o.redirectTo });
  // 0: no response was recorded (the browser's own convention in HAR files).
  const status = o.status ?? 0;
  const e: Record<string, unknown> = {
    startedDateTime: o.time,
    time: 0,
    request,
    response: {
      status,
      statusText: STATUS_TEXT[status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: resHeaders,
      content: { size: 0, mimeType: 'x-unknown', comment: 'Response bodies are not captured by samlscope.' },
      redirectURL: o.redirectTo ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
  };
  if (o.comment) e.comment = o.comment;
  // HAR allows custom fields with a leading underscore: samlscope keeps the order of capture,
  // the tab and the redirect chain, so a re-import tells the same attempts apart.
  if (o.seq !== undefined) e._seq = o.seq;
  if (o.tabId !== undefined) e._tabId = o.tabId;
  if (o.chain !== undefined) e._chain = o.chain;
  if (o.custom) Object.assign(e, o.custom);
  return e;
}

function messageEntry(c: CapturedMessage, fallbackTime: string, seen: LoneCount): Record<string, unknown> {
  const binding = c.binding ?? 'unknown';
  // A pasted message has no URL, method, time…: HAR needs them, so they are filled in and the
  // entry lists them (_samlscopeInvented), for lib/har to drop again on reading; else a re-import
  // would judge the Destination against a made-up host and the validity window at export time.
  // It is written as a form POST, whose value reads back exactly as it was pasted.
  const invented: InventedField[] = [];
  if (c.url === undefined) invented.push('url');
  if (c.method === undefined && c.url === undefined) invented.push('method');
  if (c.param === undefined) invented.push('param');
  if (c.binding === undefined || c.binding === 'unknown') invented.push('binding');
  if (c.time === undefined) invented.push('time');
  const method = c.method ?? (binding === 'post' || c.url === undefined ? 'POST' : 'GET');
  const base = c.url ?? 'https://pasted.invalid/';
  const param = c.param ?? 'SAMLResponse';
  const custom: Record<string, unknown> = {};
  if (invented.length) custom[HAR_INVENTED_FIELD] = invented;
  // A redacted export: the verdict the original bytes gave (lib/evidence/recorded.ts).
  if (c.recordedSignature) custom[HAR_SIGNATURE_FIELD] = c.recordedSignature;
  const common = {
    custom,
    method,
    time: c.time ?? fallbackTime,
    status: c.status,
    serverDate: c.serverDate,
    redirectTo: c.redirectTo,
    referer: c.initiator,
    comment: c.origin && c.origin !== 'live' ? `samlscope message ${c.id} (from ${c.origin})` : `samlscope message ${c.id}`,
    seq: c.seq,
    tabId: c.tabId,
    chain: c.chain,
  };
  if (binding === 'post' || method.toUpperCase() === 'POST') {
    // raw: the form value decoded once (base64, or XML): encode it as a browser would.
    const parts = [`${param}=${formEncode(c.raw, seen)}`];
    if (c.relayState !== undefined) parts.push(`RelayState=${formEncode(c.relayState, seen)}`);
    if (c.sigAlg !== undefined) parts.push(`SigAlg=${formEncode(c.sigAlg, seen)}`);
    if (c.signature !== undefined) parts.push(`Signature=${formEncode(c.signature, seen)}`);
    return entry({ ...common, url: base, postText: parts.join('&') });
  }
  // Redirect: raw stood in the query as received (still URL-encoded); rawQuery is the whole query.
  let query = c.rawQuery;
  if (!query) {
    const enc = /%[0-9A-Fa-f]{2}/.test(c.raw) ? c.raw : encode(c.raw, seen);
    const parts = [`${param}=${enc}`];
    if (c.relayState !== undefined) parts.push(`RelayState=${encode(c.relayState, seen)}`);
    if (c.sigAlg !== undefined) parts.push(`SigAlg=${encode(c.sigAlg, seen)}`);
    if (c.signature !== undefined) parts.push(`Signature=${encode(c.signature, seen)}`);
    query = parts.join('&');
  }
  return entry({ ...common, url: `${base.split('?')[0]}?${query}` });
}

/**
 * The HAR of the given messages and the hops around them, in time order. Steps that carried a
 * message are written once, from the message.
 */
export function toHar(messagesIn: CapturedMessage[], steps: FlowStep[], o: HarOptions): Record<string, unknown> {
  const ids = new Set(messagesIn.map((m) => m.id));
  // A step that carried a message may know its response better (a HAR's Location): merge.
  const carried = new Map(steps.filter((s) => s.messageId && ids.has(s.messageId)).map((s) => [s.messageId!, s]));
  const messages = messagesIn.map((m) => {
    const s = carried.get(m.id);
    if (!s) return m;
    const out = { ...m };
    if (out.status === undefined && s.status !== undefined) out.status = s.status;
    if (out.serverDate === undefined && s.serverDate !== undefined) out.serverDate = s.serverDate;
    if (out.redirectTo === undefined && s.redirectTo !== undefined) out.redirectTo = s.redirectTo;
    return out;
  });
  const items: { t: number; seq?: number | undefined; i: number; e: Record<string, unknown> }[] = [];
  const at = (s: string | undefined) => {
    const t = s ? Date.parse(s) : NaN;
    return Number.isNaN(t) ? Infinity : t;
  };
  const seen: LoneCount = { values: 0 };
  messages.forEach((m, i) => items.push({ t: at(m.time), seq: m.seq, i, e: messageEntry(m, o.fallbackTime, seen) }));
  steps.forEach((s, i) => {
    if (s.messageId && ids.has(s.messageId)) return;
    items.push({
      t: at(s.time),
      seq: s.seq,
      i: messages.length + i,
      e: entry({ url: s.url, method: s.method, time: s.time ?? o.fallbackTime, status: s.status, serverDate: s.serverDate, redirectTo: s.redirectTo, comment: s.note, seq: s.seq, tabId: s.tabId, chain: s.chain }),
    });
  });
  // In order of capture when it is known for every entry; else in time order.
  if (items.every((x) => x.seq !== undefined)) items.sort((a, b) => a.seq! - b.seq! || a.i - b.i);
  else items.sort((a, b) => (a.t === b.t ? a.i - b.i : a.t - b.t));
  const log: Record<string, unknown> = {
    version: '1.2',
    creator: { name: 'samlscope', version: o.creatorVersion },
    pages: [],
    entries: items.map((x) => x.e),
  };
  if (o.pageErrors?.length) log[HAR_PAGE_ERRORS_FIELD] = o.pageErrors;
  if (o.expectations) log[HAR_EXPECTATIONS_FIELD] = o.expectations;
  const notice = seen.values ? loneSurrogateNotice(seen.values) : undefined;
  if (notice) o.notices?.push(notice);
  const comment = [o.comment, notice].filter(Boolean).join(' ');
  if (comment) log.comment = comment;
  return { log };
}
