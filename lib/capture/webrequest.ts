// Turns what the browser's webRequest API reports into CapturedMessages and FlowSteps.
// Pure: the shapes below are plain objects as Chrome and Firefox hand them over, so the
// logic is tested in Node and the background only forwards events.
import type { CapturedMessage, FlowStep } from '../types.ts';
import { hostRole, urlHost } from '../flow/hosts.ts';

export interface RequestBodyLike {
  formData?: Record<string, Array<string | ArrayBuffer>> | undefined;
  raw?: Array<{ bytes?: ArrayBuffer | undefined; file?: string | undefined }> | undefined;
  error?: string | undefined;
}

export interface RequestDetailsLike {
  requestId: string;
  url: string;
  method: string;
  timeStamp: number;
  tabId: number;
  frameId: number;
  type: string;
  /** Chrome: the origin that started the request. */
  initiator?: string | undefined;
  /** Firefox: the URL that started the request. */
  originUrl?: string | undefined;
  documentUrl?: string | undefined;
  requestBody?: RequestBodyLike | null | undefined;
}

export interface HeaderLike {
  name: string;
  value?: string | undefined;
}

const PARAMS = ['SAMLResponse', 'SAMLRequest'] as const;

function bufferToText(b: ArrayBuffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(b));
}

/** Parses an application/x-www-form-urlencoded body. Values are decoded ('+' is a space). */
export function parseFormBody(body: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of body.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      const key = decodeURIComponent(k.replace(/\+/g, ' '));
      if (!m.has(key)) m.set(key, decodeURIComponent(v.replace(/\+/g, ' ')));
    } catch {
      // A malformed escape: keep the raw value so the decoder can report what is wrong.
      if (!m.has(k)) m.set(k, v);
    }
  }
  return m;
}

function rawQueryOf(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  return url.slice(q + 1).split('#')[0]!;
}

/** The raw (still percent-encoded) value of a query parameter, as it travelled. */
function rawQueryParam(qs: string, name: string): string | undefined {
  for (const part of qs.split('&')) {
    const eq = part.indexOf('=');
    if ((eq < 0 ? part : part.slice(0, eq)) === name) return eq < 0 ? '' : part.slice(eq + 1);
  }
  return undefined;
}

function decodeParam(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

export function captureId(d: RequestDetailsLike, param: string): string {
  return `r${d.requestId}-${Math.round(d.timeStamp)}-${param === 'SAMLRequest' ? 'req' : 'resp'}`;
}

/** The SAML message a request carries, if any: from the query (Redirect) or the form body (POST). */
export function samlFromRequest(d: RequestDetailsLike): CapturedMessage | null {
  const qs = rawQueryOf(d.url);
  const base = {
    url: d.url.split('?')[0]!,
    method: d.method,
    time: new Date(d.timeStamp).toISOString(),
    tabId: d.tabId,
    frameId: d.frameId,
    origin: 'live',
    // The browser keeps a request's id through its redirects: the id names the redirect chain.
    chain: d.requestId,
  };
  const initiator = d.initiator ?? d.originUrl ?? d.documentUrl;
  for (const p of PARAMS) {
    const raw = rawQueryParam(qs, p);
    if (raw === undefined) continue;
    const msg: CapturedMessage = { id: captureId(d, p), raw, param: p, binding: 'redirect', rawQuery: qs, ...base };
    const rs = decodeParam(rawQueryParam(qs, 'RelayState'));
    if (rs !== undefined) msg.relayState = rs;
    const sa = decodeParam(rawQueryParam(qs, 'SigAlg'));
    if (sa !== undefined) msg.sigAlg = sa;
    const sig = decodeParam(rawQueryParam(qs, 'Signature'));
    if (sig !== undefined) msg.signature = sig;
    if (initiator) msg.initiator = initiator;
    return msg;
  }
  if (d.method.toUpperCase() !== 'POST' || !d.requestBody) return null;
  let fields: Map<string, string> | undefined;
  const fd = d.requestBody.formData;
  if (fd) {
    fields = new Map();
    for (const [k, vals] of Object.entries(fd)) {
      const v = vals[0];
      if (v !== undefined) fields.set(k, typeof v === 'string' ? v : bufferToText(v));
    }
  } else if (d.requestBody.raw?.length) {
    // No form data (large bodies, some browsers): parse the raw bytes ourselves.
    const text = d.requestBody.raw.map((r) => (r.bytes ? bufferToText(r.bytes) : '')).join('');
    fields = parseFormBody(text);
  }
  if (!fields) return null;
  for (const p of PARAMS) {
    const v = fields.get(p);
    if (v === undefined) continue;
    const msg: CapturedMessage = { id: captureId(d, p), raw: v, param: p, binding: 'post', ...base };
    const rs = fields.get('RelayState');
    if (rs !== undefined) msg.relayState = rs;
    const sa = fields.get('SigAlg');
    if (sa !== undefined) msg.sigAlg = sa;
    if (initiator) msg.initiator = initiator;
    return msg;
  }
  return null;
}

/** Is this request a hop of a sign-in worth showing in the timeline? */
export function isSignInStep(d: Pick<RequestDetailsLike, 'url' | 'type'>): boolean {
  if (d.type !== 'main_frame' && d.type !== 'sub_frame') return false;
  return hostRole(urlHost(d.url)) !== 'other';
}

export function stepFromRequest(d: RequestDetailsLike, messageId?: string): FlowStep {
  const s: FlowStep = { url: d.url, method: d.method, time: new Date(d.timeStamp).toISOString(), tabId: d.tabId, frameId: d.frameId, chain: d.requestId };
  if (messageId) s.messageId = messageId;
  return s;
}

export function headerValue(headers: HeaderLike[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const n = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === n)?.value;
}
