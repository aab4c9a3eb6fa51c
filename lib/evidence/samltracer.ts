// SAML-tracer exports (the Firefox / Chrome add-on support teams ask customers for): the JSON its
// Export button writes, `{"requests": [...], "timestamp": "<ISO>"}`. Each request is SAML-tracer's
// own request object serialised: method, url, requestId, requestHeaders [{name, value}], `get`
// and `post` as [name, value] pairs (values already URL-decoded), `saml` (the decoded XML of the
// message it found), `protocol` ("SAML-P", "WS-Fed"), and the response as responseStatus,
// responseStatusText, responseHeaders. Exports before 1.0 used `id` for requestId and
// [name, value] pairs for headers; both are read. The "hash" and "obfuscate" export profiles
// replace POST values, but keep `saml`: then the message is read from there.
// SAML-tracer records no time per request: times come from the responses' Date headers.
// Pure; never throws.
import type { CapturedMessage, FlowStep } from '../types.ts';
import { extractSamlParams } from '../decode/params.ts';
import { decodeSamlValue } from '../decode/index.ts';
import { hostRole, isSubresource, urlHost } from '../flow/hosts.ts';

export interface TracerResult {
  ok: true;
  messages: CapturedMessage[];
  steps: FlowStep[];
  warnings: string[];
  entryCount: number;
  /** The export's own timestamp (when it was saved), if present. */
  exportedAt?: string;
}

export interface TracerError {
  ok: false;
  code: 'not-json' | 'not-saml-tracer';
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** [name, value] pairs, or {name, value} objects (headers of either era). */
function pairs(v: unknown): [string, string][] {
  if (!Array.isArray(v)) return [];
  const out: [string, string][] = [];
  for (const x of v) {
    if (Array.isArray(x) && typeof x[0] === 'string') out.push([x[0], typeof x[1] === 'string' ? x[1] : '']);
    else if (isObj(x) && typeof x.name === 'string') out.push([x.name, typeof x.value === 'string' ? x.value : '']);
  }
  return out;
}

function header(h: [string, string][], name: string): string | undefined {
  const n = name.toLowerCase();
  return h.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** True when the parsed JSON is a SAML-tracer export. */
export function isSamlTracerDoc(doc: unknown): doc is { requests: unknown[]; timestamp?: string } {
  if (!isObj(doc) || !Array.isArray(doc.requests)) return false;
  const first = doc.requests.find(isObj);
  return doc.requests.length === 0 ? 'timestamp' in doc : !!first && typeof first.url === 'string' && typeof first.method === 'string';
}

export function looksLikeSamlTracer(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('{') && /"requests"\s*:\s*\[/.test(head);
}

function resolve(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

export function readSamlTracer(text: string, origin?: string, idPrefix = 'trace'): TracerResult | TracerError {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, code: 'not-json', message: `The file is not JSON: ${(e as Error).message}` };
  }
  if (!isSamlTracerDoc(doc)) return { ok: false, code: 'not-saml-tracer', message: 'The JSON is not a SAML-tracer export: it has no "requests" list of requests.' };
  try {
    return readDoc(doc, origin, idPrefix);
  } catch (e) {
    return { ok: false, code: 'not-saml-tracer', message: `The SAML-tracer export could not be read: ${(e as Error)?.message ?? String(e)}` };
  }
}

function readDoc(doc: { requests: unknown[]; timestamp?: string }, origin: string | undefined, prefix: string): TracerResult {
  const messages: CapturedMessage[] = [];
  const steps: FlowStep[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  let fromSamlField = 0;
  doc.requests.forEach((r, index) => {
    if (!isObj(r) || typeof r.url !== 'string') {
      skipped++;
      return;
    }
    const url = r.url;
    const method = (str(r.method) ?? 'GET').toUpperCase();
    const resHeaders = pairs(r.responseHeaders);
    const reqHeaders = pairs(r.requestHeaders);
    const status = typeof r.responseStatus === 'number' && r.responseStatus > 0 ? r.responseStatus : undefined;
    const serverDate = header(resHeaders, 'date');
    const location = header(resHeaders, 'location');
    const redirectTo = location ? resolve(location, url) : undefined;
    const referer = header(reqHeaders, 'referer');
    const id = `${prefix}:${index}`;
    // SAML-tracer lists requests in the order it saw them: that order is the capture's. Its
    // requestId is the browser's, which a request keeps through its redirects.
    const seq = index;
    const chainId = str(r.requestId) ?? (typeof r.requestId === 'number' ? String(r.requestId) : undefined) ?? str(r.id) ?? (typeof r.id === 'number' ? String(r.id) : undefined);
    const base = (): CapturedMessage => {
      const c: CapturedMessage = { id, raw: '', url: url.split('?')[0]!, method, seq };
      if (chainId !== undefined) c.chain = chainId;
      if (status !== undefined) c.status = status;
      if (serverDate) c.serverDate = serverDate;
      // No client time is recorded: the server's Date is the best clock there is.
      if (serverDate && !Number.isNaN(Date.parse(serverDate))) c.time = new Date(Date.parse(serverDate)).toISOString();
      if (redirectTo) c.redirectTo = redirectTo;
      if (referer) c.initiator = referer;
      if (origin) c.origin = origin;
      return c;
    };
    let found: CapturedMessage | undefined;
    const q = url.indexOf('?');
    if (q >= 0 && /[?&](SAMLRequest|SAMLResponse)=/.test(url.slice(q))) {
      // The query as it travelled: better than the decoded `get` pairs.
      const p = extractSamlParams(url);
      if (p.param) {
        found = { ...base(), raw: p.value, param: p.param, binding: 'redirect' };
        if (p.rawQuery) found.rawQuery = p.rawQuery;
        if (p.relayState !== undefined) found.relayState = p.relayState;
        if (p.sigAlg !== undefined) found.sigAlg = p.sigAlg;
        if (p.signature !== undefined) found.signature = p.signature;
      }
    }
    if (!found) {
      const post = pairs(r.post);
      // Unfiltered exports may still carry webRequest's formData ({name: [values]}).
      if (!post.length && isObj(r.postData)) {
        for (const [k, v] of Object.entries(r.postData)) if (Array.isArray(v) && typeof v[0] === 'string') post.push([k, v[0]]);
      }
      const get = (n: string) => post.find(([k]) => k === n)?.[1];
      const param = get('SAMLResponse') !== undefined ? 'SAMLResponse' : get('SAMLRequest') !== undefined ? 'SAMLRequest' : undefined;
      if (param) {
        let raw = get(param)!;
        const saml = str(r.saml);
        // Hashed or obfuscated by SAML-tracer's export profiles: the decoded XML is still there.
        if (!decodeSamlValue(raw).ok && saml && saml.trim().startsWith('<')) {
          raw = saml;
          fromSamlField++;
        }
        found = { ...base(), raw, param, binding: 'post' };
        const rs = get('RelayState');
        if (rs !== undefined) found.relayState = rs;
        const sa = get('SigAlg');
        if (sa !== undefined) found.sigAlg = sa;
      }
    }
    if (found) messages.push(found);
    // SAML-tracer records every request, the favicon and scripts of a sign-in page included: only
    // page loads are hops of the sign-in.
    const subresource = isSubresource(url, { secFetchDest: header(reqHeaders, 'sec-fetch-dest') });
    if (found || (hostRole(urlHost(url)) !== 'other' && !subresource)) {
      const s: FlowStep = { url, method, seq };
      if (chainId !== undefined) s.chain = chainId;
      if (status !== undefined) s.status = status;
      if (serverDate) s.serverDate = serverDate;
      if (serverDate && !Number.isNaN(Date.parse(serverDate))) s.time = new Date(Date.parse(serverDate)).toISOString();
      if (redirectTo) s.redirectTo = redirectTo;
      if (found) s.messageId = found.id;
      steps.push(s);
    }
  });
  if (skipped) warnings.push(`${skipped} request${skipped === 1 ? ' has' : 's have'} no URL and ${skipped === 1 ? 'was' : 'were'} ignored.`);
  if (fromSamlField) {
    warnings.push(
      `${fromSamlField} POST value${fromSamlField === 1 ? ' was' : 's were'} hashed or obfuscated by SAML-tracer's export profile; the decoded XML it kept was read instead (its encoding and size are unknown).`,
    );
  }
  if (messages.length && !messages.some((m) => m.serverDate)) {
    warnings.push('SAML-tracer records no request times and this export has no Date headers: validity windows are judged at each message\'s own IssueInstant.');
  }
  const out: TracerResult = { ok: true, messages, steps, warnings, entryCount: doc.requests.length };
  if (typeof doc.timestamp === 'string') out.exportedAt = doc.timestamp;
  return out;
}
