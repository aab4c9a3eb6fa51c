// Named selectors of the full view: filtering flows, pinning findings to XML elements, the
// summary header of a message. Plain functions over an analysis, tested in Node.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { urlHost } from '../flow/hosts.ts';
import type { AttributeInfo, SamlMessage } from '../saml/model.ts';
import type { XElement } from '../saml/xml.ts';
import { SEVERITY_ORDER, type Finding, type Flow, type Severity } from '../types.ts';
import type { Filters } from './fullview.ts';
import { selectFlowFindings, selectFlowMessages, selectFlowsNewestFirst } from './selectors.ts';

/** Every host a flow's steps went to, sorted. */
export function selectHosts(a: AnalysisResult): string[] {
  const s = new Set<string>();
  for (const f of a.flows) for (const st of f.steps) {
    const h = urlHost(st.url);
    if (h) s.add(h);
  }
  return [...s].sort();
}

/** The message kinds present, in protocol order. */
export function selectKinds(a: AnalysisResult): string[] {
  const order = ['AuthnRequest', 'Response', 'LogoutRequest', 'LogoutResponse'];
  const present = new Set<string>(a.messages.map((m) => m.kind ?? 'unreadable'));
  return [...order.filter((k) => present.has(k)), ...(present.has('unreadable') ? ['unreadable'] : [])];
}

function flowText(a: AnalysisResult, f: Flow): string {
  const parts: string[] = [f.summary, f.type, f.tenantId ?? '', f.portal ?? '', f.awsTarget ?? ''];
  for (const s of f.steps) parts.push(s.url, s.note ?? '');
  for (const m of selectFlowMessages(a, f)) {
    parts.push(m.id, m.kind ?? '', m.summary?.issuer ?? '', m.summary?.nameId ?? '', m.summary?.audience ?? '', m.summary?.destination ?? '', m.summary?.statusMessage ?? '');
  }
  for (const x of selectFlowFindings(a, f)) parts.push(x.checkId, x.title, x.message);
  return parts.join('\n').toLowerCase();
}

/** Flows that pass the filters, newest first. */
export function selectFilteredFlows(a: AnalysisResult, filters: Filters): Flow[] {
  const q = filters.query.trim().toLowerCase();
  return selectFlowsNewestFirst(a).filter((f) => {
    if (filters.host && !f.steps.some((s) => urlHost(s.url) === filters.host)) return false;
    if (filters.kind && !selectFlowMessages(a, f).some((m) => (m.kind ?? 'unreadable') === filters.kind)) return false;
    if (filters.severity && !selectFlowFindings(a, f).some((x) => x.severity === filters.severity)) return false;
    if (q && !q.split(/\s+/).every((w) => flowText(a, f).includes(w))) return false;
    return true;
  });
}

/** A flow's findings as shown: the severity filter applies; errors first. */
export function selectShownFindings(a: AnalysisResult, flow: Flow | undefined, filters: Filters): Finding[] {
  const all = selectFlowFindings(a, flow);
  return filters.severity ? all.filter((f) => f.severity === filters.severity) : all;
}

/**
 * A key for a finding that survives re-analysis: its sign-in, its message, its check and how many
 * findings of that check on that message came before it. (Its index in the analysis's list would
 * not: the full view shows the stored analysis of the latest sign-ins first and then its own of
 * every capture, and a finding chosen in between must stay chosen.)
 */
export function findingKey(f: Finding, a: AnalysisResult): string {
  return keysOf(a).get(f) ?? `?:${f.checkId}`;
}

export function findingByKey(a: AnalysisResult, key: string | undefined): Finding | undefined {
  if (!key) return undefined;
  for (const [f, k] of keysOf(a)) if (k === key) return f;
  return undefined;
}

const findingKeys = new WeakMap<AnalysisResult, Map<Finding, string>>();

function keysOf(a: AnalysisResult): Map<Finding, string> {
  let keys = findingKeys.get(a);
  if (!keys) {
    keys = new Map();
    const seen = new Map<string, number>();
    for (const f of a.findings) {
      const base = `${f.flowId ?? ''}|${f.messageId ?? ''}|${f.checkId}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      keys.set(f, `${base}|${n}`);
    }
    findingKeys.set(a, keys);
  }
  return keys;
}

/** Every element path of a parsed document. */
export function elementPathsOf(root: XElement): Set<string> {
  const s = new Set<string>();
  const stack = [root];
  while (stack.length) {
    const el = stack.pop()!;
    s.add(el.path);
    for (const c of el.children) if (c.kind === 'element') stack.push(c);
  }
  return s;
}

/** An evidence path split into the element it names and the attribute, if any. */
export function evidenceTarget(path: string | undefined): { element: string; attr?: string } | undefined {
  if (!path || !path.startsWith('/')) return undefined;
  const m = /^(.*)\/@([^/]+)$/.exec(path);
  return m ? { element: m[1]!, attr: m[2]! } : { element: path };
}

/**
 * The element of the document a path names, or its nearest ancestor that exists (a path built by
 * a check may index a single child, or name an element the message lacks).
 */
export function resolveElementPath(path: string, known: ReadonlySet<string>): string | undefined {
  // [1] is written only where siblings repeat: compare without it.
  const norm = (p: string) => p.replace(/\[1\]/g, '');
  const byNorm = new Map<string, string>();
  for (const k of known) if (!byNorm.has(norm(k))) byNorm.set(norm(k), k);
  let p = path;
  while (p) {
    if (known.has(p)) return p;
    const hit = byNorm.get(norm(p));
    if (hit) return hit;
    const i = p.lastIndexOf('/');
    if (i <= 0) break;
    p = p.slice(0, i);
  }
  return undefined;
}

export interface Pin {
  key: string;
  severity: Severity;
  checkId: string;
  title: string;
  attr?: string;
}

/** The findings of one message by the element they concern (only paths into the XML). */
export function selectPins(a: AnalysisResult, messageId: string, findings: Finding[], known: ReadonlySet<string>): Map<string, Pin[]> {
  const out = new Map<string, Pin[]>();
  for (const f of findings) {
    if (f.messageId !== messageId) continue;
    const seen = new Set<string>();
    for (const e of f.evidence) {
      const t = evidenceTarget(e.path);
      if (!t) continue;
      const el = resolveElementPath(t.element, known);
      if (!el || seen.has(el)) continue;
      seen.add(el);
      const list = out.get(el) ?? [];
      list.push({ key: findingKey(f, a), severity: f.severity, checkId: f.checkId, title: f.title, ...(t.attr ? { attr: t.attr } : {}) });
      list.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);
      out.set(el, list);
    }
  }
  return out;
}

/** The XML place a finding points at first (its first evidence with a path into the message). */
export function findingTarget(f: Finding, known: ReadonlySet<string>): { element: string; attr?: string } | undefined {
  for (const e of f.evidence) {
    const t = evidenceTarget(e.path);
    if (!t) continue;
    const el = resolveElementPath(t.element, known);
    if (el) return { element: el, ...(t.attr && el === t.element ? { attr: t.attr } : {}) };
  }
  return undefined;
}

// ---- the summary header of a message ------------------------------------------------------

const ALG: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'RSA-SHA256',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'RSA-SHA1 (weak)',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'RSA-SHA512',
};

export function selectSignatureStatus(m: AnalyzedMessage): { tone: 'ok' | 'warning' | 'error' | 'neutral'; text: string } {
  const s = m.summary;
  if (!s) return { tone: 'neutral', text: 'unreadable' };
  const alg = s.signatureAlgorithm ? ALG[s.signatureAlgorithm] ?? s.signatureAlgorithm : undefined;
  const redirectSig = m.capture.sigAlg ? `Redirect signature (${ALG[m.capture.sigAlg] ?? m.capture.sigAlg})` : undefined;
  if (s.signedParts === 'none') {
    if (redirectSig) return { tone: 'neutral', text: redirectSig };
    return { tone: s.kind === 'Response' ? 'error' : 'neutral', text: s.kind === 'Response' ? 'not signed' : 'not signed (normal for this message)' };
  }
  return { tone: alg?.includes('weak') ? 'warning' : 'ok', text: `${s.signedParts} signed${alg ? `, ${alg}` : ''} (whether it verifies: see the signature findings)` };
}

export interface AttributeRow {
  name: string;
  /** The last part of a claim URI, for reading. */
  short: string;
  values: string[];
  path: string;
}

export function selectAttributes(model: SamlMessage | undefined): AttributeRow[] {
  if (!model || model.kind !== 'Response') return [];
  const a = model.assertions[0];
  if (!a) return [];
  return a.attributes.map((at: AttributeInfo) => ({
    name: at.name,
    short: at.friendlyName ?? at.name.replace(/^.*[/#:]/, '') ?? at.name,
    values: at.values.map((v) => v.value),
    path: at.path,
  }));
}

/** Counts for the flow list. */
export function selectFlowCounts(a: AnalysisResult, f: Flow): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const x of selectFlowFindings(a, f)) c[x.severity]++;
  return c;
}
