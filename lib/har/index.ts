// HAR reader: every SAML message of a browser's HAR export (Chrome, Edge, Firefox), and the
// HTTP hops of the sign-in around them. Pure: no Node or browser APIs beyond the web standard
// (URL, JSON), so the extension's import runs the same code as the CLI. Never throws.
import type { CapturedMessage, FlowStep, PageError } from '../types.ts';
import { htmlToText, pageErrorReaderFor, sanitizeReading } from '../pages/errors.ts';
import { extractSamlParams } from '../decode/params.ts';
import { hostRole, isSubresource, urlHost } from '../domain/hosts.ts';
import { trimEndWhere, withoutQuery } from '../strings.ts';
import { readRecordedSignature } from '../signature/recorded.ts';
import type { RecordedSignature } from '../types.ts';

/** samlscope's HAR export: the signature verdict a redacted message's original bytes gave. */
export const HAR_SIGNATURE_FIELD = '_samlscopeSignature';
/** samlscope's HAR export: the fields it had to fill in for a message that had none (pasted). */
export const HAR_INVENTED_FIELD = '_samlscopeInvented';
/** samlscope's HAR export: the expectations the capture was analysed with (a log field). */
export const HAR_EXPECTATIONS_FIELD = '_samlscopeExpectations';
export const INVENTED_FIELDS = ['url', 'method', 'param', 'binding', 'time'] as const;
export type InventedField = (typeof INVENTED_FIELDS)[number];

/** Largest HAR text accepted, in characters (≈ bytes for the ASCII a HAR mostly holds). */
export const MAX_HAR_CHARS = 200 * 1024 * 1024;

export type HarErrorCode = 'not-json' | 'not-har' | 'too-large';

export interface HarError {
  ok: false;
  code: HarErrorCode;
  message: string;
}

export interface HarResult {
  ok: true;
  /** The SAML messages, in time order. */
  messages: CapturedMessage[];
  /** Every hop to an Entra / My Apps / AWS sign-in host, and every hop that carried SAML. */
  steps: FlowStep[];
  /** Errors the sign-in pages showed, read from the response bodies the HAR holds (Entra, AWS). */
  pageErrors: PageError[];
  /** Things a person should know about the file (skipped entries, bodies the browser left out). */
  warnings: string[];
  /** How many entries the HAR held (including skipped ones). */
  entryCount: number;
  /**
   * samlscope's own HAR export: the expectations the capture was analysed with (redacted like the
   * messages), as written, not yet validated (lib/evidence/bundle.ts readExpectations does).
   */
  samlscopeExpectations?: unknown;
}

export interface HarOptions {
  /** Prefix of the message ids (default "har"): ids are `<prefix>:<entry index>`. */
  idPrefix?: string;
  /** Size limit, characters (default MAX_HAR_CHARS). */
  maxChars?: number;
  /** Called while the entries are read (every 100 entries and at the end): entries done, total. */
  onProgress?: (done: number, total: number) => void;
}

type SamlParam = 'SAMLRequest' | 'SAMLResponse';

interface NameValue {
  name: string;
  value: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function nameValues(v: unknown): NameValue[] {
  if (!Array.isArray(v)) return [];
  const out: NameValue[] = [];
  for (const x of v) {
    if (isObject(x) && typeof x.name === 'string') out.push({ name: x.name, value: typeof x.value === 'string' ? x.value : '' });
  }
  return out;
}

function header(headers: NameValue[], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === n)?.value;
}

function fmtSize(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}

/**
 * Decodes one application/x-www-form-urlencoded component: '+' is a space, then %XX.
 * Returns null when a %-escape is malformed.
 */
function formDecode(v: string): string | null {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * A SAML parameter value after form decoding. Base64 has no spaces: spaces inside a value made
 * only of base64 characters are '+' signs a sloppy sender did not escape, so they go back.
 */
function samlValueFromForm(encoded: string): { value: string; malformed: boolean } {
  const dec = formDecode(encoded);
  if (dec === null) return { value: encoded, malformed: true };
  if (dec.includes(' ') && /^[A-Za-z0-9+/= \r\n]+$/.test(dec.trim())) {
    return { value: dec.trim().replace(/ /g, '+'), malformed: false };
  }
  return { value: dec, malformed: false };
}

interface FormFields {
  param?: SamlParam;
  value?: string;
  relayState?: string;
  sigAlg?: string;
  signature?: string;
  malformed?: boolean;
}

function pickSaml(fields: Map<string, string>, decodeValue: (v: string) => { value: string; malformed: boolean }, decodeOther: (v: string) => string): FormFields {
  const param: SamlParam | undefined = fields.has('SAMLResponse') ? 'SAMLResponse' : fields.has('SAMLRequest') ? 'SAMLRequest' : undefined;
  if (!param) return {};
  const v = decodeValue(fields.get(param) ?? '');
  const out: FormFields = { param, value: v.value, malformed: v.malformed };
  const rs = fields.get('RelayState');
  if (rs !== undefined) out.relayState = decodeOther(rs);
  const sa = fields.get('SigAlg');
  if (sa !== undefined) out.sigAlg = decodeOther(sa);
  const sig = fields.get('Signature');
  if (sig !== undefined) out.signature = decodeOther(sig);
  return out;
}

/** A form-encoded body: name=value&name=value, still encoded. The first of each name wins. */
function splitForm(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = (eq < 0 ? part : part.slice(0, eq)).trim();
    const name = formDecode(rawName) ?? rawName;
    // Trailing line breaks trimmed by hand: /[\r\n]+$/ restarts at each one of a run (quadratic).
    if (!m.has(name)) m.set(name, eq < 0 ? '' : trimEndWhere(part.slice(eq + 1), (c) => c === 0x0d || c === 0x0a));
  }
  return m;
}

/** multipart/form-data bodies are rare for SAML, but some tools post them. */
function splitMultipart(text: string): Map<string, string> {
  const m = new Map<string, string>();
  const re = /Content-Disposition:\s*form-data;\s*name="([^"]+)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/gi;
  for (let x = re.exec(text); x; x = re.exec(text)) {
    if (!m.has(x[1]!)) m.set(x[1]!, x[2]!);
  }
  return m;
}

/** The SAML fields of a POST body, from the text when it has them, else from params. */
function postFields(postData: Record<string, unknown>): FormFields {
  const text = str(postData.text) ?? '';
  const mime = (str(postData.mimeType) ?? '').toLowerCase();
  if (text && /(^|[&\s])(SAMLRequest|SAMLResponse)=/.test(text) && !mime.startsWith('multipart/')) {
    const f = pickSaml(splitForm(text), samlValueFromForm, (v) => formDecode(v) ?? v);
    if (f.param) return f;
  }
  if (text && mime.startsWith('multipart/') && /name="SAML(Request|Response)"/.test(text)) {
    const f = pickSaml(splitMultipart(text), (v) => ({ value: v.trim(), malformed: false }), (v) => v);
    if (f.param) return f;
  }
  // params: Chrome gives the values as they stood in the body (encoded); Firefox has given
  // both. A value with %-escapes is still encoded; one without is taken as it is ('+' kept,
  // since base64 uses it and a browser would have escaped a real '+').
  const params = nameValues(postData.params);
  if (params.length) {
    const fields = new Map<string, string>();
    for (const p of params) {
      const name = /%[0-9A-Fa-f]{2}/.test(p.name) ? (formDecode(p.name) ?? p.name) : p.name;
      if (!fields.has(name)) fields.set(name, p.value);
    }
    const looksEncoded = (v: string) => /%[0-9A-Fa-f]{2}/.test(v);
    return pickSaml(
      fields,
      (v) => (looksEncoded(v) ? samlValueFromForm(v) : { value: v, malformed: false }),
      (v) => (looksEncoded(v) ? (formDecode(v) ?? v) : v),
    );
  }
  return {};
}


function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

interface Entry {
  index: number;
  time?: string;
  sortTime: number;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  /** The HAR page the entry belongs to. */
  pageref?: string;
  /** Chrome's (and Playwright's) _resourceType: document, script, image… */
  resourceType?: string;
  /** samlscope's own HAR export: the capture's order, tab and redirect chain. */
  own?: { seq?: number; tabId?: number; chain?: string; recorded?: RecordedSignature; invented?: Set<InventedField> };
}

/** The error an Entra or AWS sign-in page showed, from the page's body in the HAR, if any. */
function pageErrorOf(e: Entry, url: string, status: number | undefined, id: string): PageError | undefined {
  const host = urlHost(url);
  const read = host ? pageErrorReaderFor(host) : undefined;
  const content = e.response?.content;
  if (!read || !isObject(content) || typeof content.text !== 'string' || !content.text) return undefined;
  const mime = str(content.mimeType) ?? '';
  if (mime && !/html|text\/plain/i.test(mime)) return undefined;
  let body = content.text;
  if (content.encoding === 'base64') {
    try {
      const bin = atob(body.replace(/\s+/g, ''));
      body = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    } catch {
      return undefined;
    }
  }
  const r = read(htmlToText(body));
  if (!r) return undefined;
  const pe: PageError = { ...r, id, url: withoutQuery(url), time: e.time ?? '', seenBy: 'page' };
  if (status !== undefined) pe.status = status;
  return pe;
}

/**
 * Tabs from HAR pages. A browser's DevTools export makes a page per navigation of one tab: its
 * pages follow one another. A recorder of several tabs (Playwright's, one page per tab) writes
 * pages whose entries interleave: those pages are tabs, and attempts in them are kept apart.
 */
function pageTabs(entries: Entry[]): (e: Entry) => number | undefined {
  const span = new Map<string, { first: number; last: number }>();
  entries.forEach((e, i) => {
    if (e.pageref === undefined) return;
    const sp = span.get(e.pageref);
    if (sp) sp.last = i;
    else span.set(e.pageref, { first: i, last: i });
  });
  const spans = [...span.values()].sort((a, b) => a.first - b.first);
  let reach = -1;
  let interleave = false;
  for (const sp of spans) {
    if (sp.first < reach) interleave = true;
    reach = Math.max(reach, sp.last);
  }
  if (!interleave) return () => undefined;
  const ids = new Map([...span.keys()].map((k, i) => [k, i + 1]));
  return (e) => (e.pageref === undefined ? undefined : ids.get(e.pageref));
}

/** Reads a HAR export. Returns a typed error for text that is not JSON or not a HAR. */
export function readHar(text: string, origin?: string, options: HarOptions = {}): HarResult | HarError {
  try {
    return readHarInner(text, origin, options);
  } catch (e) {
    // A boundary must hold even against shapes nobody foresaw.
    return { ok: false, code: 'not-har', message: `The HAR file could not be read: ${(e as Error)?.message ?? String(e)}` };
  }
}

function readHarInner(text: string, origin: string | undefined, options: HarOptions): HarResult | HarError {
  const max = options.maxChars ?? MAX_HAR_CHARS;
  if (typeof text !== 'string') return { ok: false, code: 'not-har', message: 'The HAR input is not text.' };
  if (text.length > max) {
    return {
      ok: false,
      code: 'too-large',
      message: `The HAR file is ${fmtSize(text.length)}, over the ${fmtSize(max)} limit: record only the sign-in (clear the network log, sign in, export).`,
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, code: 'not-json', message: `The file is not JSON, so not a HAR export: ${(e as Error).message}` };
  }
  const log = isObject(doc) ? doc.log : undefined;
  if (!isObject(log) || !Array.isArray(log.entries)) {
    return { ok: false, code: 'not-har', message: 'The JSON is not a HAR export: it has no log.entries list.' };
  }
  const prefix = options.idPrefix ?? 'har';
  const warnings: string[] = [];
  const entries: Entry[] = [];
  let noRequest = 0;
  const badRecorded: string[] = [];
  log.entries.forEach((e: unknown, index: number) => {
    if (!isObject(e) || !isObject(e.request) || typeof e.request.url !== 'string') {
      noRequest++;
      return;
    }
    const time = str(e.startedDateTime);
    const t = time ? Date.parse(time) : NaN;
    const entry: Entry = { index, sortTime: Number.isNaN(t) ? Infinity : t, request: e.request };
    if (time) entry.time = time;
    if (typeof e._resourceType === 'string') entry.resourceType = e._resourceType;
    if (typeof e.pageref === 'string') entry.pageref = e.pageref;
    const own: NonNullable<Entry['own']> = {};
    if (typeof e._seq === 'number' && Number.isFinite(e._seq)) own.seq = e._seq;
    if (typeof e._tabId === 'number' && Number.isFinite(e._tabId)) own.tabId = e._tabId;
    if (typeof e._chain === 'string') own.chain = e._chain;
    // A redacted export's signature verdict, recorded from the original bytes (lib/evidence/recorded.ts).
    if (e[HAR_SIGNATURE_FIELD] !== undefined) {
      const r = readRecordedSignature(e[HAR_SIGNATURE_FIELD]);
      if (r.ok) own.recorded = r.value;
      else badRecorded.push(`entry ${index + 1}: ${r.why}`);
    }
    // What samlscope's export had to fill in for a pasted message (no URL, no time…).
    if (Array.isArray(e[HAR_INVENTED_FIELD])) {
      const inv = new Set((e[HAR_INVENTED_FIELD] as unknown[]).filter((x): x is InventedField => INVENTED_FIELDS.includes(x as InventedField)));
      if (inv.size) own.invented = inv;
    }
    if (Object.keys(own).length) entry.own = own;
    if (isObject(e.response)) entry.response = e.response;
    entries.push(entry);
  });
  if (badRecorded.length) {
    warnings.push(`${badRecorded.length} recorded signature verdict${badRecorded.length === 1 ? ' was' : 's were'} ignored, not being in the shape samlscope writes (${badRecorded.slice(0, 3).join('; ')}${badRecorded.length > 3 ? '; …' : ''}): those messages' signatures are verified as they are.`);
  }
  if (noRequest) warnings.push(`${noRequest} entr${noRequest === 1 ? 'y has' : 'ies have'} no request and ${noRequest === 1 ? 'was' : 'were'} ignored.`);
  // Browsers write entries in start order, but not always (Firefox): sort, keeping ties stable.
  entries.sort((a, b) => (a.sortTime === b.sortTime ? a.index - b.index : a.sortTime - b.sortTime));
  // Order of capture: samlscope's own export keeps the capture's sequence (page errors in its log
  // field carry theirs); any other HAR is in entry order, after that sort.
  const ownSeq = entries.length > 0 && entries.every((e) => e.own?.seq !== undefined);
  const seqOf = (e: Entry, pos: number) => (ownSeq ? e.own!.seq! : pos);
  const tabOf = pageTabs(entries);
  const requestUrls = new Set(entries.map((e) => e.request.url as string));

  const messages: CapturedMessage[] = [];
  const steps: FlowStep[] = [];
  const pageErrors: PageError[] = [];
  let malformed = 0;
  let missingBodies = 0;

  let done = 0;
  for (const [pos, e] of entries.entries()) {
    if (options.onProgress && ++done % 100 === 0) options.onProgress(done, entries.length);
    const seq = seqOf(e, pos);
    const url = e.request.url as string;
    const method = (str(e.request.method) ?? 'GET').toUpperCase();
    const resHeaders = nameValues(e.response?.headers);
    const statusNum = typeof e.response?.status === 'number' ? e.response.status : undefined;
    // 0 (or -1) is how browsers record a request that got no response.
    const status = statusNum !== undefined && statusNum > 0 ? statusNum : undefined;
    const serverDate = header(resHeaders, 'date');
    const rawLocation = header(resHeaders, 'location') || str(e.response?.redirectURL) || undefined;
    const location = rawLocation ? resolveUrl(rawLocation, url) : undefined;
    const initiator = header(nameValues(e.request.headers), 'referer');

    const base = (id: string, msgUrl: string, m: string): CapturedMessage => {
      const c: CapturedMessage = { id, raw: '', url: msgUrl, method: m, seq };
      if (e.time) c.time = e.time;
      const tab = e.own?.tabId ?? tabOf(e);
      if (tab !== undefined) c.tabId = tab;
      if (e.own?.chain !== undefined) c.chain = e.own.chain;
      if (serverDate) c.serverDate = serverDate;
      if (origin) c.origin = origin;
      if (initiator) c.initiator = initiator;
      return c;
    };

    const found: CapturedMessage[] = [];
    // HTTP-Redirect: the parameters in the query string, kept as received.
    const q = url.indexOf('?');
    if (q >= 0 && /[?&](SAMLRequest|SAMLResponse)=/.test(url.slice(q))) {
      const p = extractSamlParams(url);
      if (p.param) {
        const c = base(`${prefix}:${e.index}`, p.url ?? url, method);
        c.raw = p.value;
        c.param = p.param;
        c.binding = 'redirect';
        if (status !== undefined) c.status = status;
        if (location) c.redirectTo = location;
        if (p.rawQuery) c.rawQuery = p.rawQuery;
        if (p.relayState !== undefined) c.relayState = p.relayState;
        if (p.sigAlg !== undefined) c.sigAlg = p.sigAlg;
        if (p.signature !== undefined) c.signature = p.signature;
        found.push(c);
      }
    }
    // HTTP-POST: the form body.
    const postData = e.request.postData;
    if (found.length === 0 && isObject(postData)) {
      const f = postFields(postData);
      if (f.param && f.value !== undefined) {
        const c = base(`${prefix}:${e.index}`, url, method);
        c.raw = f.value;
        c.param = f.param;
        c.binding = 'post';
        if (status !== undefined) c.status = status;
        if (location) c.redirectTo = location;
        if (f.relayState !== undefined) c.relayState = f.relayState;
        if (f.sigAlg !== undefined) c.sigAlg = f.sigAlg;
        if (f.signature !== undefined) c.signature = f.signature;
        if (f.malformed) malformed++;
        found.push(c);
      }
    } else if (found.length === 0 && method === 'POST' && hostRole(urlHost(url)) === 'aws-acs') {
      missingBodies++;
    }
    // A SAML message in a redirect's Location, when the HAR does not hold the request that
    // followed it (the browser stopped, or the export was cut).
    if (location && status !== undefined && status >= 300 && status < 400 && !requestUrls.has(location)) {
      const lq = location.indexOf('?');
      if (lq >= 0 && /[?&](SAMLRequest|SAMLResponse)=/.test(location.slice(lq))) {
        const p = extractSamlParams(location);
        if (p.param) {
          const c = base(`${prefix}:${e.index}:location`, p.url ?? location, 'GET');
          c.raw = p.value;
          c.param = p.param;
          c.binding = 'redirect';
          if (p.rawQuery) c.rawQuery = p.rawQuery;
          if (p.relayState !== undefined) c.relayState = p.relayState;
          if (p.sigAlg !== undefined) c.sigAlg = p.sigAlg;
          if (p.signature !== undefined) c.signature = p.signature;
          c.initiator = url;
          found.push(c);
        }
      }
    }
    const invented = e.own?.invented;
    for (const c of found) {
      if (c.id.endsWith(':location')) continue;
      if (e.own?.recorded) c.recordedSignature = e.own.recorded;
      // A pasted message exported as HAR: the URL, method, time… were filled in, not captured.
      if (invented) for (const k of invented) delete c[k];
    }
    messages.push(...found);
    const pe = pageErrorOf(e, url, status, `${prefix}:${e.index}:page`);
    if (pe) {
      // Read from this entry's page: the same place in the order, after the hop itself.
      pe.seq = seq;
      const tab = e.own?.tabId ?? tabOf(e);
      if (tab !== undefined) pe.tabId = tab;
      pageErrors.push(pe);
    }

    // A HAR holds every request of the page (scripts, images, the favicon): only page loads are
    // hops of the sign-in.
    const subresource = isSubresource(url, { secFetchDest: header(nameValues(e.request.headers), 'sec-fetch-dest'), resourceType: e.resourceType });
    if (!invented?.has('url') && (found.length || (hostRole(urlHost(url)) !== 'other' && !subresource))) {
      const s: FlowStep = { url, method, seq };
      const tab = e.own?.tabId ?? tabOf(e);
      if (tab !== undefined) s.tabId = tab;
      if (e.own?.chain !== undefined) s.chain = e.own.chain;
      if (status !== undefined) s.status = status;
      if (e.time) s.time = e.time;
      if (serverDate) s.serverDate = serverDate;
      if (location) s.redirectTo = location;
      const own = found.find((c) => !c.id.endsWith(':location'));
      if (own) s.messageId = own.id;
      steps.push(s);
    }
  }
  options.onProgress?.(entries.length, entries.length);
  if (malformed) {
    warnings.push(`${malformed} SAML form value${malformed === 1 ? ' has' : 's have'} a malformed %-escape; kept as received.`);
  }
  if (missingBodies) {
    warnings.push(
      `${missingBodies} POST${missingBodies === 1 ? '' : 's'} to an AWS sign-in URL ${missingBodies === 1 ? 'has' : 'have'} no body in the HAR, so the SAML response ${missingBodies === 1 ? 'is' : 'are'} missing. Export the HAR again with content ("Save all as HAR with content"; in Chrome, allow sensitive data).`,
    );
  }
  // samlscope's own HAR export keeps the errors the pages showed in a custom log field.
  if (Array.isArray(log._samlscopePageErrors)) {
    (log._samlscopePageErrors as unknown[]).slice(0, 1000).forEach((x, i) => {
      const r = sanitizeReading(x);
      const o = x as Record<string, unknown>;
      if (!r || typeof o.url !== 'string' || typeof o.time !== 'string' || Number.isNaN(Date.parse(o.time))) return;
      const pe: PageError = { ...r, id: typeof o.id === 'string' ? o.id : `${prefix}:page:${i}`, url: o.url, time: o.time, seenBy: o.seenBy === 'http' ? 'http' : 'page' };
      if (typeof o.tabId === 'number') pe.tabId = o.tabId;
      if (typeof o.status === 'number') pe.status = o.status;
      if (ownSeq && typeof o.seq === 'number' && Number.isFinite(o.seq)) pe.seq = o.seq;
      pageErrors.push(pe);
    });
  }
  const out: HarResult = { ok: true, messages, steps, pageErrors, warnings, entryCount: log.entries.length };
  if (log[HAR_EXPECTATIONS_FIELD] !== undefined) out.samlscopeExpectations = log[HAR_EXPECTATIONS_FIELD];
  return out;
}

/** True when the text looks like a HAR export (JSON with log.entries), without a full read. */
export function looksLikeHar(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('{') && /"log"\s*:/.test(head);
}
