// Compare two sign-ins: a known-good and a failing one, field by field. What differs is what to
// look at first; what is the same folds away. Pure: works on analysed messages from anywhere
// (live captures, HAR files, evidence bundles, pasted messages); no browser or Node API.
//
// Times are compared as offsets from each message's own capture time (the server's Date header
// when the ACS answered, else the browser's clock), so two sign-ins a day apart compare equal
// while a response used two hours after it was issued does not. A message with no capture time
// (a pasted value, a file) is measured from its own IssueInstant, and says so.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { AssertionInfo, ResponseInfo, SignatureInfo } from '../saml/model.ts';
import { STATUS_PREFIX } from '../saml/model.ts';
import { formatDuration, parseSamlTime } from '../checks/util.ts';
import { hostRole, urlHost } from '../flow/hosts.ts';
import { causeFirst } from '../flow/outcome.ts';
import { describeCertificate, isCertificateError } from '../signature/cert.ts';
import type { Flow } from '../types.ts';

export type CompareGroup = 'message' | 'subject' | 'conditions' | 'authn' | 'signature' | 'attribute';

export const GROUP_LABEL: Record<CompareGroup, string> = {
  message: 'Message',
  subject: 'Subject',
  conditions: 'Conditions',
  authn: 'Authentication',
  signature: 'Signature',
  attribute: 'Attributes',
};

export type Change = 'same' | 'changed' | 'added' | 'removed';

export interface CompareRow {
  /** The group the field belongs to, for display. */
  group: CompareGroup;
  field: string;
  good?: string;
  bad?: string;
  /** same: equal; changed: both present and different; added: only in the failing one; removed: only in the good one. */
  change: Change;
  /** A second line under each value (a certificate's SHA-256 fingerprint and subject). */
  note?: { good?: string; bad?: string };
  /** Multi-valued attributes: each value. */
  values?: { good?: string[]; bad?: string[] };
  /** What changed inside a value list, e.g. "removed: a · added: b". */
  detail?: string;
}

export interface Comparison {
  rows: CompareRow[];
  differences: number;
  same: number;
  /** What could not be compared, and why (an encrypted assertion, a refused sign-in). */
  notes: string[];
  /** Set when a side is not a readable SAML message: the rows say only that. */
  error?: string;
}

/** Offsets that differ by less than this compare equal: the same window, captured a moment later. */
export const TIME_TOLERANCE_SECONDS = 60;

// ---- times --------------------------------------------------------------------------------

interface Reference {
  at: Date;
  /** "capture" or "IssueInstant": what offsets are measured from. */
  from: string;
}

function httpTime(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** What a message's times are measured from (as lib/analyze.ts's referenceTime, without --now). */
export function referenceOf(m: AnalyzedMessage): Reference | undefined {
  const c = m.capture;
  const server = httpTime(c.serverDate);
  if (server && hostRole(urlHost(c.url)) === 'aws-acs') return { at: server, from: 'capture' };
  const client = httpTime(c.time);
  if (client) return { at: client, from: 'capture' };
  if (server) return { at: server, from: 'capture' };
  const issued = parseSamlTime(m.model?.issueInstant);
  if (issued) return { at: issued, from: 'IssueInstant' };
  return undefined;
}

function offsetSeconds(value: string | undefined, ref: Reference | undefined): number | undefined {
  const t = parseSamlTime(value);
  if (!t || !ref) return undefined;
  return (t.getTime() - ref.at.getTime()) / 1000;
}

/** A time with its offset from the reference: "… (1 h 10 min after capture)". */
function relative(value: string | undefined, ref: Reference | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = offsetSeconds(value, ref);
  if (s === undefined || !ref) return value;
  if (Math.abs(s) < 1) return `${value} (at ${ref.from})`;
  return `${value} (${formatDuration(s)} ${s > 0 ? 'after' : 'before'} ${ref.from})`;
}

// ---- rows ---------------------------------------------------------------------------------

function row(group: CompareGroup, field: string, good: string | undefined, bad: string | undefined, equal?: boolean): CompareRow {
  const r: CompareRow = { group, field, change: 'same' };
  if (good !== undefined) r.good = good;
  if (bad !== undefined) r.bad = bad;
  if (good === undefined && bad === undefined) r.change = 'same';
  else if (good === undefined) r.change = 'added';
  else if (bad === undefined) r.change = 'removed';
  else r.change = (equal ?? good === bad) ? 'same' : 'changed';
  return r;
}

function timeRow(group: CompareGroup, field: string, g: string | undefined, b: string | undefined, gr: Reference | undefined, br: Reference | undefined): CompareRow {
  const go = offsetSeconds(g, gr);
  const bo = offsetSeconds(b, br);
  const equal = go !== undefined && bo !== undefined ? Math.abs(go - bo) < TIME_TOLERANCE_SECONDS : g === b;
  return row(group, field, relative(g, gr), relative(b, br), equal);
}

function statusText(m: ResponseInfo): string | undefined {
  const s = m.status;
  if (!s?.code) return undefined;
  return [s.code, ...s.subCodes].map((c) => (c.startsWith(STATUS_PREFIX) ? c.slice(STATUS_PREFIX.length) : c)).join(' / ');
}

function encryption(m: ResponseInfo, a: AssertionInfo | undefined): string {
  const parts: string[] = [];
  if (m.encryptedAssertions.length) parts.push(m.encryptedAssertions.length > 1 ? `${m.encryptedAssertions.length} EncryptedAssertion` : 'EncryptedAssertion');
  if (a?.encryptedId) parts.push('EncryptedID (NameID)');
  if (a?.encryptedAttributeCount) parts.push(`${a.encryptedAttributeCount} EncryptedAttribute`);
  return parts.join(' + ') || 'none';
}

interface Signing {
  element: string;
  algorithm?: string;
  digest?: string;
  certificate?: { key: string; text: string; note?: string };
}

/** The certificate as Entra shows it: the SHA-1 thumbprint, upper-case hex; SHA-256 and subject beside. */
export function certificateText(base64: string): { key: string; text: string; note?: string } {
  const c = describeCertificate(base64);
  if (isCertificateError(c)) return { key: base64, text: `unreadable certificate (${base64.length} base64 characters)`, note: c.message };
  const valid = c.notAfter ? ` · valid to ${c.notAfter.toISOString().slice(0, 10)}` : '';
  return { key: c.sha1, text: c.sha1, note: `SHA-256 ${c.sha256} · ${c.subject || '(no subject)'}${valid}` };
}

function signing(m: ResponseInfo, a: AssertionInfo | undefined): Signing {
  const parts: string[] = [];
  if (m.signatures.length) parts.push('Response');
  if (a?.signatures.length) parts.push('Assertion');
  // The assertion's signature is what AWS relies on when both are signed (Entra's default).
  const sig: SignatureInfo | undefined = a?.signatures[0] ?? m.signatures[0];
  const out: Signing = { element: parts.join(' + ') || 'none' };
  if (sig?.signatureMethod) out.algorithm = sig.signatureMethod;
  if (sig?.references[0]?.digestMethod) out.digest = sig.references[0].digestMethod;
  const cert = sig?.certificates[0];
  if (cert) out.certificate = certificateText(cert);
  return out;
}

function attributeValues(a: AssertionInfo): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const at of a.attributes) {
    const list = out.get(at.name) ?? [];
    for (const v of at.values) list.push(v.nil ? '(xsi:nil)' : v.value);
    out.set(at.name, list);
  }
  return out;
}

const sorted = (v: string[]) => [...v].sort();
const sameList = (x: string[], y: string[]) => x.length === y.length && sorted(x).every((v, i) => v === sorted(y)[i]);

/** Values removed from and added to a list (as multisets). */
function listChange(good: string[], bad: string[]): { removed: string[]; added: string[] } {
  const left = [...bad];
  const removed: string[] = [];
  for (const v of good) {
    const i = left.indexOf(v);
    if (i >= 0) left.splice(i, 1);
    else removed.push(v);
  }
  return { removed, added: left };
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function attributeRow(name: string, g: string[] | undefined, b: string[] | undefined): CompareRow {
  const show = (v: string[] | undefined) => (v === undefined ? undefined : v.length === 1 ? v[0]! : v.length === 0 ? '(no value)' : v.join(' | '));
  const r = row('attribute', name, show(g), show(b), g && b ? sameList(g, b) : undefined);
  if ((g && g.length > 1) || (b && b.length > 1)) {
    r.values = {};
    if (g) r.values.good = g;
    if (b) r.values.bad = b;
    if (g && b && r.change === 'changed') {
      const d = listChange(g, b);
      const parts: string[] = [];
      if (d.removed.length) parts.push(`removed ${plural(d.removed.length, 'value')}: ${d.removed.join(', ')}`);
      if (d.added.length) parts.push(`added ${plural(d.added.length, 'value')}: ${d.added.join(', ')}`);
      r.detail = parts.join(' · ');
    }
  }
  return r;
}

const unreadable = (m: AnalyzedMessage) => `unreadable (${m.error?.code ?? 'unknown'})`;

/**
 * The two messages to compare for two sign-ins: their Responses, or, when one was stopped at Entra,
 * both AuthnRequests (what Identity Center asked for is then what differs).
 */
export function comparable(good: FlowCandidate, bad: FlowCandidate): [AnalyzedMessage, AnalyzedMessage] {
  const req = (c: FlowCandidate) => c.response.kind === 'AuthnRequest';
  if (req(good) !== req(bad)) {
    const g = good.request ?? good.response;
    const b = bad.request ?? bad.response;
    return [g, b];
  }
  return [good.response, bad.response];
}

/**
 * How a sign-in ended, in a few words: what the pages showed (Entra's AADSTS error, AWS's error),
 * else what AWS answered to the POST of the Response. Two sign-ins whose messages are alike can
 * still end differently (Entra stopped one for an unassigned user): that is a difference too.
 */
export function outcomeOf(c: FlowCandidate): string {
  const entra = c.flow.errors?.find((e) => e.source === 'entra');
  if (entra) return `stopped at Entra: ${entra.code ?? 'its error page'}`;
  const aws = c.flow.errors?.find((e) => e.source === 'aws');
  if (aws) return aws.heading ? `AWS showed "${aws.heading}"` : `AWS answered ${aws.status ?? 'with an error'}`;
  if (c.response.kind !== 'Response') return 'no Response captured';
  const st = c.response.capture.status;
  return st === undefined ? 'Response posted to AWS (its answer was not captured)' : `Response posted to AWS, answered ${st >= 300 && st < 400 ? `${st} (redirect)` : st}`;
}

/** Two sign-ins compared: how each ended, then their messages (see comparable). */
export function compareCandidates(good: FlowCandidate, bad: FlowCandidate): Comparison {
  const [gm, bm] = comparable(good, bad);
  if (gm.kind !== bm.kind && (gm.kind === 'AuthnRequest' || bm.kind === 'AuthnRequest')) {
    // One side stopped at Entra (only its AuthnRequest), the other has none (IdP-initiated): a
    // Response against an AuthnRequest would list every field as different (found by a review).
    const [stopped, other] = gm.kind === 'AuthnRequest' ? ['known-good', 'failing'] : ['failing', 'known-good'];
    return finish(
      [row('message', 'outcome', outcomeOf(good), outcomeOf(bad))],
      [],
      `the ${stopped} sign-in stopped at Entra before any Response, and the ${other} one has no AuthnRequest (it is IdP-initiated): there is no message of the same kind to compare. Choose an SP-initiated sign-in as the ${other} one: its AuthnRequest can be compared.`,
    );
  }
  const c = compareMessages(gm, bm);
  if (c.error) return c;
  // A posted Response whose answer one side did not capture (a message file) is not a difference.
  const unknown = (x: FlowCandidate) => !x.flow.errors?.length && x.response.kind === 'Response' && x.response.capture.status === undefined;
  const plain = (x: FlowCandidate) => !x.flow.errors?.length && x.response.kind === 'Response';
  const equal = plain(good) && plain(bad) && (unknown(good) || unknown(bad)) ? true : undefined;
  return finish([row('message', 'outcome', outcomeOf(good), outcomeOf(bad), equal), ...c.rows], c.notes);
}

/** Compares two SAML Responses (or any two messages, on their common fields). */
export function compareMessages(good: AnalyzedMessage, bad: AnalyzedMessage): Comparison {
  const rows: CompareRow[] = [];
  const notes: string[] = [];
  const g = good.model;
  const b = bad.model;
  rows.push(row('message', 'message type', g?.kind ?? unreadable(good), b?.kind ?? unreadable(bad)));
  if (!g || !b) {
    const which = [!g ? ['known-good', good] : undefined, !b ? ['failing', bad] : undefined].filter((x): x is [string, AnalyzedMessage] => !!x);
    const error = which.map(([side, m]) => `the ${side} message (${m.id}) is not a readable SAML message: ${m.error?.message ?? 'it could not be decoded'}`).join('; ');
    return finish(rows, notes, error);
  }
  const gr = referenceOf(good);
  const br = referenceOf(bad);
  rows.push(row('message', g.kind === 'Response' ? 'Response Issuer' : 'Issuer', g.issuer?.value, b.issuer?.value));
  rows.push(row('message', 'Destination', g.destination, b.destination));
  rows.push(row('message', 'InResponseTo', g.inResponseTo !== undefined ? `present (${g.inResponseTo})` : undefined, b.inResponseTo !== undefined ? `present (${b.inResponseTo})` : undefined, true));
  rows.push(timeRow('message', 'IssueInstant', g.issueInstant, b.issueInstant, gr, br));
  if (g.kind === 'AuthnRequest' && b.kind === 'AuthnRequest') {
    // Sign-ins Entra stopped (AADSTS50011, 700016…): what Identity Center asked for.
    rows.push(row('message', 'AssertionConsumerServiceURL', g.acsUrl, b.acsUrl));
    rows.push(row('message', 'ProtocolBinding', g.protocolBinding, b.protocolBinding));
    rows.push(row('subject', 'NameIDPolicy Format', g.nameIdPolicy?.format, b.nameIdPolicy?.format));
    rows.push(row('message', 'ForceAuthn', g.forceAuthn, b.forceAuthn));
    rows.push(row('message', 'IsPassive', g.isPassive, b.isPassive));
    rows.push(row('conditions', 'RequestedAuthnContext', g.requestedAuthnContext?.classRefs.join(' '), b.requestedAuthnContext?.classRefs.join(' ')));
    return finish(rows, notes);
  }
  if (g.kind !== 'Response' || b.kind !== 'Response') return finish(rows, notes);

  rows.push(row('message', 'Status', statusText(g), statusText(b)));
  rows.push(row('message', 'StatusMessage', g.status?.message, b.status?.message));
  rows.push(row('message', 'assertions', String(g.assertions.length + g.encryptedAssertions.length), String(b.assertions.length + b.encryptedAssertions.length)));
  const ga = g.assertions[0];
  const ba = b.assertions[0];
  rows.push(row('message', 'encryption', encryption(g, ga), encryption(b, ba)));

  const gs = signing(g, ga);
  const bs = signing(b, ba);
  rows.push(row('signature', 'signed element', gs.element, bs.element));
  rows.push(row('signature', 'signature algorithm', gs.algorithm, bs.algorithm));
  rows.push(row('signature', 'digest algorithm', gs.digest, bs.digest));
  const cert = row('signature', 'certificate (SHA-1 thumbprint)', gs.certificate?.text, bs.certificate?.text, gs.certificate?.key === bs.certificate?.key);
  if (gs.certificate?.note || bs.certificate?.note) {
    cert.note = {};
    if (gs.certificate?.note) cert.note.good = gs.certificate.note;
    if (bs.certificate?.note) cert.note.bad = bs.certificate.note;
  }
  rows.push(cert);

  // The assertion's content: only when both sides have one to read.
  const missing = (side: string, m: ResponseInfo) =>
    m.encryptedAssertions.length
      ? `The ${side} Response's assertion is encrypted: its subject, conditions and attributes cannot be compared.`
      : `The ${side} Response holds no assertion${m.status?.code && !m.status.code.endsWith(':Success') ? ` (status ${statusText(m)}): Entra refused before issuing one; the Status is the difference to read` : ''}.`;
  if (!ga || !ba) {
    if (!ga) notes.push(missing('known-good', g));
    if (!ba) notes.push(missing('failing', b));
    return finish(rows, notes);
  }
  if (g.assertions.length > 1 || b.assertions.length > 1) notes.push('A Response holds more than one assertion: the first of each is compared.');
  rows.push(row('message', 'Assertion Issuer', ga.issuer?.value, ba.issuer?.value));

  rows.push(row('subject', 'NameID', ga.nameId?.value, ba.nameId?.value));
  rows.push(row('subject', 'NameID Format', ga.nameId?.format, ba.nameId?.format));
  const scd = (a: AssertionInfo) => a.subjectConfirmations.find((c) => c.data)?.data;
  const gd = scd(ga);
  const bd = scd(ba);
  rows.push(row('subject', 'Recipient', gd?.recipient, bd?.recipient));
  rows.push(
    row(
      'subject',
      'SubjectConfirmationData InResponseTo',
      gd?.inResponseTo !== undefined ? `present (${gd.inResponseTo})` : undefined,
      bd?.inResponseTo !== undefined ? `present (${bd.inResponseTo})` : undefined,
      true,
    ),
  );
  rows.push(timeRow('subject', 'SubjectConfirmationData NotOnOrAfter', gd?.notOnOrAfter, bd?.notOnOrAfter, gr, br));

  const audiences = (a: AssertionInfo) => a.conditions?.audiences.map((x) => x.value);
  const gAud = audiences(ga);
  const bAud = audiences(ba);
  rows.push(row('conditions', 'Audience', gAud?.length ? gAud.join(', ') : undefined, bAud?.length ? bAud.join(', ') : undefined, gAud && bAud ? sameList(gAud, bAud) : undefined));
  rows.push(timeRow('conditions', 'NotBefore', ga.conditions?.notBefore, ba.conditions?.notBefore, gr, br));
  rows.push(timeRow('conditions', 'NotOnOrAfter', ga.conditions?.notOnOrAfter, ba.conditions?.notOnOrAfter, gr, br));

  rows.push(row('authn', 'AuthnContextClassRef', ga.authnStatements[0]?.authnContextClassRef, ba.authnStatements[0]?.authnContextClassRef));

  // Attributes by name, in the known-good order, then those only the failing one has.
  const ag = attributeValues(ga);
  const ab = attributeValues(ba);
  for (const name of new Set([...ag.keys(), ...ab.keys()])) rows.push(attributeRow(name, ag.get(name), ab.get(name)));
  return finish(rows, notes);
}

function finish(unordered: CompareRow[], notes: string[], error?: string): Comparison {
  // By group, in display order; within a group, in the order compared.
  const order = Object.keys(GROUP_LABEL);
  const rows = unordered.map((r, i) => ({ r, i })).sort((x, y) => order.indexOf(x.r.group) - order.indexOf(y.r.group) || x.i - y.i).map((x) => x.r);
  const differences = rows.filter((r) => r.change !== 'same').length;
  return { rows, differences, same: rows.length - differences, notes, ...(error ? { error } : {}) };
}

// ---- flows --------------------------------------------------------------------------------

/** The Response of a flow's messages: what a comparison of two sign-ins compares. */
export function responseOf(messages: AnalyzedMessage[]): AnalyzedMessage | undefined {
  return messages.find((m) => m.kind === 'Response') ?? messages.find((m) => !m.ok && m.capture.param === 'SAMLResponse');
}

export function flowMessages(a: AnalysisResult, flow: Flow): AnalyzedMessage[] {
  const byId = new Map(a.messages.map((m) => [m.id, m]));
  return flow.messageIds.map((id) => byId.get(id)).filter((m): m is AnalyzedMessage => !!m);
}

/** One flow that can be compared: a sign-in with a Response, or one Entra stopped after the AuthnRequest. */
export interface FlowCandidate {
  flow: Flow;
  /** 1-based, in the analysis's flow order (as `samlscope analyze` numbers them). */
  number: number;
  /** The message compared: the Response, or the AuthnRequest of a sign-in Entra stopped. */
  response: AnalyzedMessage;
  /** The flow's AuthnRequest, when captured (compared when the other side has only one). */
  request?: AnalyzedMessage;
  errors: number;
  warnings: number;
  /** The check id of its first problem (an error other than AWS's page first, else a warning). */
  top?: string;
}

/** Every flow of an analysis with a Response to compare, in the analysis's order. */
export function candidatesOf(a: AnalysisResult): FlowCandidate[] {
  const out: FlowCandidate[] = [];
  a.flows.forEach((flow, i) => {
    if (flow.type === 'logout') return;
    const msgs = flowMessages(a, flow);
    const request = msgs.find((m) => m.kind === 'AuthnRequest');
    // A sign-in Entra stopped has no Response: its AuthnRequest is what can be compared.
    const response = responseOf(msgs) ?? (flow.errors?.some((e) => e.source === 'entra') ? request : undefined);
    if (!response) return;
    const ids = new Set(flow.messageIds);
    const own = a.findings.filter((f) => f.flowId === flow.id || (f.messageId !== undefined && ids.has(f.messageId)));
    const errors = own.filter((f) => f.severity === 'error');
    const top = (causeFirst(errors) ?? own.find((f) => f.severity === 'warning'))?.checkId;
    out.push({ flow, number: i + 1, response, ...(request ? { request } : {}), errors: errors.length, warnings: own.filter((f) => f.severity === 'warning').length, ...(top ? { top } : {}) });
  });
  return out;
}

const FLOW_TYPE: Record<Flow['type'], string> = { 'sp-initiated': 'SP-initiated', 'idp-initiated': 'IdP-initiated', logout: 'logout', fragment: 'incomplete sign-in' };

/** One line about a flow: "flow 2 of 3 · SP-initiated · 2026-11-25 10:00:05Z · NameID a@b · 2 errors". */
export function describeCandidate(c: FlowCandidate, flowCount: number): string {
  const parts = [`flow ${c.number} of ${flowCount}`, c.flow.type === 'idp-initiated' && c.flow.fromMyApps ? 'IdP-initiated from My Apps' : FLOW_TYPE[c.flow.type]];
  const t = c.flow.startedAt ?? c.response.capture.time;
  if (t && !Number.isNaN(Date.parse(t))) parts.push(new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z'));
  const nameId = c.response.summary?.nameId;
  if (nameId) parts.push(`NameID ${nameId}`);
  else if (!c.response.ok) parts.push('unreadable Response');
  if (c.response.kind === 'AuthnRequest') parts.push(`stopped at Entra${c.flow.errors?.[0]?.code ? ` (${c.flow.errors[0].code})` : ''}`);
  parts.push(c.errors ? plural(c.errors, 'error') : 'no errors');
  return parts.join(' · ');
}

export class CompareError extends Error {
  override name = 'CompareError';
}

/**
 * The flow to compare from one side: the one chosen (its number as `samlscope analyze` counts
 * flows, or its id), else the last sign-in with a Response. Throws CompareError, listing the
 * flows, when there is none or the choice does not name one.
 */
/**
 * The flow to compare on one side: the one asked for (its number or id), else the latest, or with
 * `prefer`, the latest without errors ('clean', a known-good side) or with errors ('failing'),
 * the latest of all when there is none such. `by` says how it was picked.
 */
export function pickFlow(
  a: AnalysisResult,
  choice: string | undefined,
  side: string,
  prefer?: 'clean' | 'failing',
): { picked: FlowCandidate; candidates: FlowCandidate[]; chosen: boolean; by: 'chosen' | 'latest' | 'latest-clean' | 'latest-failing' } {
  const candidates = candidatesOf(a);
  const list = () =>
    a.flows.length
      ? a.flows
          .map((f, i) => {
            const c = candidates.find((x) => x.flow === f);
            return `  ${i + 1}. ${c ? describeCandidate(c, a.flows.length) : `flow ${i + 1} of ${a.flows.length} · ${FLOW_TYPE[f.type]} · no Response`}`;
          })
          .join('\n')
      : '  (no flow)';
  if (choice !== undefined) {
    const c = /^\d+$/.test(choice.trim()) ? candidates.find((x) => x.number === Number(choice.trim())) : candidates.find((x) => x.flow.id === choice.trim());
    if (!c) {
      const f = /^\d+$/.test(choice.trim()) ? a.flows[Number(choice.trim()) - 1] : a.flows.find((x) => x.id === choice.trim());
      const why = f ? `flow ${choice} has no SAML Response to compare` : `there is no flow ${choice}`;
      throw new CompareError(`${side}: ${why}; its flows:\n${list()}`);
    }
    return { picked: c, candidates, chosen: true, by: 'chosen' };
  }
  const last = candidates[candidates.length - 1];
  if (!last) {
    const bad = a.messages.find((m) => !m.ok);
    if (bad && a.messages.every((m) => !m.ok)) {
      throw new CompareError(`${side}: not a readable SAML message (${bad.error?.code ?? 'unreadable'}: ${bad.error?.message ?? 'it could not be decoded'})`);
    }
    const kinds = [...new Set(a.messages.map((m) => m.kind ?? 'unreadable'))].join(', ');
    throw new CompareError(`${side}: no sign-in with a SAML Response (or an AuthnRequest Entra refused) to compare (it holds: ${kinds || 'nothing'})`);
  }
  const preferred = prefer ? [...candidates].reverse().find((c) => (prefer === 'clean' ? c.errors === 0 : c.errors > 0)) : undefined;
  if (preferred) return { picked: preferred, candidates, chosen: false, by: prefer === 'clean' ? 'latest-clean' : 'latest-failing' };
  return { picked: last, candidates, chosen: false, by: 'latest' };
}

/** Compares the Responses of two flows. Throws CompareError when a flow has no Response. */
export function compareFlows(good: { analysis: AnalysisResult; flow: Flow }, bad: { analysis: AnalysisResult; flow: Flow }): Comparison {
  const g = responseOf(flowMessages(good.analysis, good.flow));
  const b = responseOf(flowMessages(bad.analysis, bad.flow));
  if (!g) throw new CompareError(`the known-good flow (${good.flow.summary}) has no SAML Response`);
  if (!b) throw new CompareError(`the failing flow (${bad.flow.summary}) has no SAML Response`);
  return compareMessages(g, b);
}

/**
 * The pair to compare first: the latest flow with errors (failing) against the latest one
 * without (known-good). With no failing flow: the latest against the one before it.
 * Candidates in time order (oldest first); returns indexes into the list.
 */
export function defaultPair(list: readonly { errors: number; time?: string | undefined; type?: string }[]): { good?: number; bad?: number } {
  const order = list.map((c, i) => ({ c, i })).sort((x, y) => (x.c.time ?? '').localeCompare(y.c.time ?? '') || x.i - y.i);
  const failing = [...order].reverse().find((x) => x.c.errors > 0);
  // A clean sign-in of the same kind (SP- or IdP-initiated) first: fewer differences that only
  // come from the kind (InResponseTo), more that explain the failure.
  const clean =
    [...order].reverse().find((x) => x.c.errors === 0 && failing?.c.type !== undefined && x.c.type === failing.c.type) ??
    [...order].reverse().find((x) => x.c.errors === 0);
  const out: { good?: number; bad?: number } = {};
  if (failing) out.bad = failing.i;
  if (clean) out.good = clean.i;
  if (out.bad === undefined && order.length) {
    out.bad = order[order.length - 1]!.i;
    const prev = order[order.length - 2];
    if (prev) out.good = prev.i;
    else delete out.good;
  }
  if (out.good === undefined && out.bad !== undefined) {
    const other = [...order].reverse().find((x) => x.i !== out.bad);
    if (other) out.good = other.i;
  }
  return out;
}
