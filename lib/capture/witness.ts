// What a sign-in page itself saw, as a second witness beside webRequest (issue 14, item 7).
//
// Chromium stops an idle MV3 service worker when it likes; an event that reaches a worker while
// it stops is lost (the e2e test that stops it mid-attempt lost a response's status, and once a
// whole attempt). The pages of a sign-in still know what happened: the page's own URL (with the
// SAMLRequest of an HTTP-Redirect), the HTTP status it came with (Navigation Timing's
// responseStatus), and the auto-posting form that carries the SAMLResponse to the ACS. A content
// script sends that (entrypoints/sign-in-witness.content.ts), and this fills in what webRequest
// missed: a status, a hop, a message. What webRequest saw always wins; a witness never adds a
// second copy of a capture. Pure.
import type { CapturedMessage, FlowStep } from '../types.ts';
import { addMessage, addStep, stepKey, updateRequest, type CaptureState, type RetentionLimits } from './state.ts';
import { isSignInStep, samlFromRequest, stepFromRequest, type RequestDetailsLike } from './webrequest.ts';

/** The fields of an auto-posting SAML form that a witness reports (never anything else of a page). */
export const WITNESS_FORM_FIELDS = ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'] as const;

export interface PageWitness {
  /** The page's URL (location.href), fragment removed. */
  url: string;
  /** The HTTP status the page came with (Navigation Timing responseStatus), when the browser says. */
  status?: number;
  /** A form on the page that posts a SAML message (HTTP-POST binding), read before it is sent. */
  form?: { action: string; method: string; fields: Partial<Record<(typeof WITNESS_FORM_FIELDS)[number], string>> };
}

/** How long after a hop a page of the same URL is taken to be that hop's page. */
const SAME_HOP_MS = 2 * 60_000;
const MAX_VALUE = 4 * 1024 * 1024;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A witness from a content script, checked (it is outside input); undefined when malformed. */
export function readWitness(v: unknown): PageWitness | undefined {
  if (!isObj(v) || typeof v.url !== 'string' || v.url.length > 16_384 || !/^https:\/\//.test(v.url)) return undefined;
  const w: PageWitness = { url: v.url.split('#')[0]! };
  if (typeof v.status === 'number' && Number.isInteger(v.status) && v.status >= 100 && v.status < 600) w.status = v.status;
  if (isObj(v.form) && typeof v.form.action === 'string' && /^https:\/\//.test(v.form.action) && typeof v.form.method === 'string' && isObj(v.form.fields)) {
    const fields: NonNullable<PageWitness['form']>['fields'] = {};
    for (const k of WITNESS_FORM_FIELDS) {
      const x = v.form.fields[k];
      if (typeof x === 'string' && x.length <= MAX_VALUE) fields[k] = x;
    }
    if (fields.SAMLRequest !== undefined || fields.SAMLResponse !== undefined) {
      w.form = { action: v.form.action.split('#')[0]!, method: v.form.method.toUpperCase() === 'GET' ? 'GET' : 'POST', fields };
    }
  }
  return w;
}

const recent = (t: string | undefined, now: Date) => !!t && now.getTime() - Date.parse(t) <= SAME_HOP_MS && Date.parse(t) <= now.getTime() + 1000;

/** The same SAML message already kept for this tab (same parameter and value). */
function sameMessage(s: CaptureState, m: CapturedMessage): CapturedMessage | undefined {
  return s.messages.find((x) => x.tabId === m.tabId && x.param === m.param && x.raw === m.raw);
}

/**
 * Adds a message webRequest saw, replacing a copy a page witness recovered before it (the form
 * read before it was posted): in its place and order, with what the request itself says.
 * Returns undefined when there is no such copy (then add it as usual).
 */
export function replaceRecovered(s: CaptureState, m: CapturedMessage): CaptureState | undefined {
  const i = s.messages.findIndex((x) => x.recovered && x.tabId === m.tabId && x.param === m.param && x.raw === m.raw);
  if (i < 0) return undefined;
  const old = s.messages[i]!;
  const merged: CapturedMessage = { ...m, seq: old.seq ?? m.seq! };
  if (merged.seq === undefined) delete merged.seq;
  if (merged.status === undefined && old.status !== undefined) merged.status = old.status;
  const messages = [...s.messages];
  messages[i] = merged;
  return { ...s, messages };
}

/**
 * What a page witnessed, applied to the captures: the status of the hop that loaded it, when
 * webRequest's answer was lost; the hop or message itself, when webRequest missed the request;
 * the SAML message of its auto-posting form, when not already kept.
 */
export function applyWitness(s: CaptureState, w: PageWitness, from: { tabId: number; frameId?: number }, limits: RetentionLimits, now: Date): CaptureState {
  let out = s;
  const tabId = from.tabId;
  const details = (url: string, method: string, body?: Record<string, string[]>): RequestDetailsLike => ({
    requestId: `witness-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
    url,
    method,
    timeStamp: now.getTime(),
    tabId,
    frameId: from.frameId ?? 0,
    type: (from.frameId ?? 0) === 0 ? 'main_frame' : 'sub_frame',
    ...(body ? { requestBody: { formData: body } } : {}),
  });

  // 1. The hop that loaded this page.
  const bare = w.url.split('?')[0]!;
  const query = w.url.includes('?') ? w.url.slice(w.url.indexOf('?') + 1) : '';
  let hop: { messageId?: string; stepKey?: string; status?: number } | undefined;
  for (let i = out.messages.length - 1; i >= 0 && !hop; i--) {
    const m = out.messages[i]!;
    if (m.tabId !== tabId || m.url !== bare || !recent(m.time, now)) continue;
    // A redirect-binding message is the page's own URL; a POST-binding one is the page the POST got.
    if ((m.binding === 'redirect' && m.rawQuery === query) || (m.binding === 'post' && (m.method ?? '').toUpperCase() === 'POST')) hop = { messageId: m.id, ...(m.status !== undefined ? { status: m.status } : {}) };
  }
  for (let i = out.steps.length - 1; i >= 0 && !hop; i--) {
    const st = out.steps[i]!;
    if (st.tabId === tabId && !st.messageId && st.url.split('#')[0] === w.url && recent(st.time, now)) hop = { stepKey: stepKey(st), ...(st.status !== undefined ? { status: st.status } : {}) };
  }
  if (hop) {
    if (hop.status === undefined && w.status !== undefined) {
      const key = hop.messageId ? { messageId: hop.messageId } : { stepKey: hop.stepKey! };
      out = updateRequest(out, key, { status: w.status });
    }
  } else {
    // webRequest never saw the request that loaded this page.
    const d = details(w.url, 'GET');
    const msg = samlFromRequest(d);
    if (msg && !sameMessage(out, msg)) {
      out = addMessage(out, { ...msg, recovered: true, ...(w.status !== undefined ? { status: w.status } : {}) }, limits, now);
    } else if (!msg && isSignInStep(d)) {
      const st: FlowStep = { ...stepFromRequest(d), recovered: true };
      delete st.chain;
      if (w.status !== undefined) st.status = w.status;
      out = addStep(out, st, limits, now);
    }
  }

  // 2. The SAML message the page's form is about to post.
  if (w.form) {
    const body: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(w.form.fields)) body[k] = [v];
    const url = w.form.method === 'GET' ? `${w.form.action}${w.form.action.includes('?') ? '&' : '?'}${new URLSearchParams(w.form.fields as Record<string, string>).toString()}` : w.form.action;
    const msg = samlFromRequest(details(url, w.form.method, w.form.method === 'POST' ? body : undefined));
    if (msg && !sameMessage(out, msg)) {
      const m: CapturedMessage = { ...msg, recovered: true, initiator: w.url };
      delete m.chain;
      out = addMessage(out, m, limits, now);
    }
  }
  return out;
}
