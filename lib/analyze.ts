// The one door into the pipeline: captured messages → decoded → parsed → (signatures verified)
// → flows → findings. The background, the CLI, import and export all call analyze(); nothing
// outside lib/ strings the stages together itself. Pure: time comes in as a parameter.
//
// Each message is decoded and parsed once: the tree is kept for the signature verifier (when one
// is injected: `analyze(input, { verifier })`, asynchronous) and for the checks' re-reads.
import { decodeSamlValue, extractSamlParams, type Decoded, type Encoding } from './decode/index.ts';
import { modelFromDocument } from './saml/parse.ts';
import { parseXml, rememberXml, type XmlDocument } from './saml/xml.ts';
import { accessControlKeysOf, instanceOf, isAccepted, learnFrom, type LearnedKeys } from './abac/learned.ts';
import type { AuthnRequestInfo, SamlKind, SamlMessage } from './saml/model.ts';
import { assembleFlows, type FlowItem } from './flow/index.ts';
import { hostRole, urlHost } from './flow/hosts.ts';
import { runChecks } from './checks/run.ts';
import { decodeErrorFinding, type UnreadableCode } from './checks/decode-error.ts';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  type CheckContext,
  type Expected,
  type Expectations,
  type ResolvedExpectations,
} from './checks/types.ts';
import { attributeValue, awsRegionOf, EMAIL_CLAIMS, isIdcAcsUrl, isIdcEntityId, parseSamlTime, tenantOfIssuer, UPN_CLAIMS } from './checks/util.ts';
import { flowFindings } from './flow/findings.ts';
import { errorFindings, type ErrorFindingContext } from './flow/error-findings.ts';
import { attemptFacts, joinSignInLogs } from './flow/sign-in-logs.ts';
import type { SignInLogRecord } from './logs/types.ts';
import { SEVERITY_ORDER, type CapturedMessage, type Finding, type Flow, type FlowStep, type PageError } from './types.ts';
import { summarize, type MessageSummary } from './summary.ts';
import type { CertificatePin, CertificatePins, MessageVerdict, SignatureVerdicts, SignatureVerifier } from './signature/types.ts';
import { pinFirstSeen } from './signature/pins.ts';
import { normalizeCertificate } from './signature/cert.ts';

export interface AnalyzeInput {
  messages: CapturedMessage[];
  /** Non-SAML HTTP steps (portal, launcher, redirects), to place in the flows' timelines. */
  steps?: FlowStep[];
  /** Errors sign-in pages showed (Entra AADSTS pages, AWS's generic error), from the capture. */
  pageErrors?: PageError[];
  expectations?: Expectations;
  /** Judge validity windows at this time instead of the capture / server time. */
  now?: Date;
  /** The time of analysis, used only when a message has no capture time. Defaults to new Date(). */
  analysisTime?: Date;
  /** One flow, in the order given (several files on the command line). */
  singleFlow?: boolean;
  /** Largest decoded message, bytes. */
  maxBytes?: number;
  /**
   * Cryptographic verdicts by message id, when they were computed elsewhere; analyze() with a
   * verifier fills them in itself. Absent: the checks that need them stay silent.
   */
  signatureVerdicts?: SignatureVerdicts;
  /**
   * Sign-in log records given with the capture (Entra sign-in logs, CloudTrail sign-in events,
   * read by lib/logs/signin.ts): each is joined to the attempt it belongs to.
   */
  signInLogs?: SignInLogRecord[];
}

export interface AnalyzedMessage {
  id: string;
  capture: CapturedMessage;
  ok: boolean;
  kind?: SamlKind;
  error?: { code: UnreadableCode; message: string };
  encoding?: Encoding;
  /** Length of the base64 text as received (0 for plain XML). */
  base64Length?: number;
  binding?: 'redirect' | 'post' | 'unknown';
  xml?: string;
  model?: SamlMessage;
  summary?: MessageSummary;
  flowId?: string;
}

export interface AnalysisResult {
  messages: AnalyzedMessage[];
  flows: Flow[];
  findings: Finding[];
  /** Sign-in log records given that fit no captured attempt: shown apart, never dropped. */
  unmatchedLogs?: SignInLogRecord[];
  /**
   * AccessControl keys learned from accepted sign-ins (the ones given plus those learned here),
   * when no expected keys are configured; the extension stores them (lib/abac/learned.ts).
   */
  learnedAccessControlKeys?: LearnedKeys;
}

/** Decodes and parses one captured value. */
export function readMessage(capture: CapturedMessage, maxBytes?: number): AnalyzedMessage {
  return readOnce(capture, maxBytes).message;
}

/** Decodes and parses one captured value, keeping the tree it parsed (read-only). */
function readOnce(capture: CapturedMessage, maxBytes?: number): { message: AnalyzedMessage; doc?: XmlDocument } {
  let raw = capture.raw;
  let cap: CapturedMessage;
  // A pasted URL, query string or form body: take the parameters out of it.
  if (!capture.param && /(^|[?&])(SAMLRequest|SAMLResponse)=/.test(raw)) {
    const p = extractSamlParams(raw);
    raw = p.value;
    const found: Partial<CapturedMessage> = {};
    if (p.param) found.param = p.param;
    if (p.relayState !== undefined && capture.relayState === undefined) found.relayState = p.relayState;
    if (p.sigAlg !== undefined && capture.sigAlg === undefined) found.sigAlg = p.sigAlg;
    if (p.signature !== undefined && capture.signature === undefined) found.signature = p.signature;
    if (p.url && !capture.url) found.url = p.url;
    if (p.rawQuery && !capture.rawQuery) found.rawQuery = p.rawQuery;
    if (p.binding && !capture.binding) found.binding = p.binding;
    cap = copyWith(capture, found);
  } else cap = { ...capture };
  const d = decodeSamlValue(raw, maxBytes !== undefined ? { maxBytes } : {});
  if (!d.ok) return { message: { id: cap.id, capture: cap, ok: false, error: { code: d.code, message: d.message } } };
  const binding = cap.binding ?? d.binding;
  // The message's fields are written out rather than spread from a common base: an object spread
  // here cost more than the summary. Same fields, same order.
  const doc = parseXml(d.xml);
  if (!('root' in doc)) return { message: unreadMessage(cap, d, binding, doc.code, doc.message) };
  let m: ReturnType<typeof modelFromDocument>;
  try {
    m = modelFromDocument(doc);
  } catch (e) {
    const msg = e instanceof RangeError ? 'it is nested too deeply to read' : ((e as Error)?.message ?? String(e));
    m = { ok: false, code: 'malformed-xml', message: `The SAML message could not be read: ${msg}.` };
  }
  if ('ok' in m && m.ok === false) return { message: unreadMessage(cap, d, binding, m.code, m.message) };
  const model = m as SamlMessage;
  const message: AnalyzedMessage = {
    id: cap.id,
    capture: cap,
    encoding: d.encoding,
    base64Length: d.base64Length,
    binding,
    xml: d.xml,
    ok: true,
    kind: model.kind,
    model,
    summary: summarize(model),
  };
  return { message, doc };
}

/**
 * The capture with the fields found in its value: the capture's own fields in their order, then
 * the new ones (a field it has, set to undefined, keeps its place). Object.assign rather than a
 * spread followed by assignments, which V8 makes several microseconds slow (a spread's clone
 * takes new properties on a slow path); the two differ only for an own "__proto__" key, which
 * Object.assign would turn into a prototype, so such a capture is spread.
 */
function copyWith(capture: CapturedMessage, found: Partial<CapturedMessage>): CapturedMessage {
  return Object.hasOwn(capture, '__proto__') ? { ...capture, ...found } : Object.assign({}, capture, found);
}

/** A message that decoded but could not be read as SAML. */
function unreadMessage(cap: CapturedMessage, d: Decoded, binding: AnalyzedMessage['binding'], code: UnreadableCode, message: string): AnalyzedMessage {
  return { id: cap.id, capture: cap, encoding: d.encoding, base64Length: d.base64Length, binding, xml: d.xml, ok: false, error: { code, message } };
}

function parseHttpDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** The time the validity windows are judged at, and where it came from. */
export function referenceTime(c: CapturedMessage, input: AnalyzeInput, message?: SamlMessage): { now: Date; source: string } {
  if (input.now) return { now: input.now, source: 'the time given for the analysis (--now)' };
  const server = parseHttpDate(c.serverDate);
  if (server && hostRole(urlHost(c.url)) === 'aws-acs') return { now: server, source: "the AWS server's Date header" };
  const client = parseHttpDate(c.time);
  if (client) return { now: client, source: 'the capture time (this computer\'s clock)' };
  if (server) return { now: server, source: "the server's Date header" };
  // A pasted message or a file: when it was used is unknown. Judging it at the time of analysis
  // would call every message older than an hour expired, so judge it when it was issued, and
  // say so (--now judges it at another time).
  const issued = parseSamlTime(message?.issueInstant) ?? undefined;
  if (issued) return { now: issued, source: "the message's own IssueInstant (no capture time was recorded; give --now to judge it at another time)" };
  return { now: input.analysisTime ?? new Date(), source: 'the time of analysis (no capture time was recorded)' };
}

/** A configured expectation, and where it was configured (the sources given with the expectations). */
function configured(e: Expectations | undefined, value: string, key?: keyof NonNullable<Expectations['sources']>): Expected {
  return { value, source: (key && e?.sources?.[key]) || 'configured', configured: true };
}

export function resolveExpectations(
  e: Expectations | undefined,
  request: AuthnRequestInfo | undefined,
  message?: SamlMessage,
): ResolvedExpectations {
  const r: ResolvedExpectations = { clockSkewSeconds: e?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS };
  if (e?.spEntityId) r.spEntityId = configured(e, e.spEntityId, 'spEntityId');
  // Only a request with Identity Center's shapes tells what Identity Center expects: another
  // SaaS app's or a test SP's request would make its own Issuer the expected Audience
  // (request-not-identity-center reports such a request).
  else if (request?.issuer?.value && isIdcEntityId(request.issuer.value.trim())) {
    r.spEntityId = { value: request.issuer.value, source: "the AuthnRequest's Issuer", configured: false };
  }
  if (e?.acsUrl) r.acsUrl = configured(e, e.acsUrl, 'acsUrl');
  else if (request?.acsUrl && isIdcAcsUrl(request.acsUrl.trim())) {
    r.acsUrl = { value: request.acsUrl, source: "the AuthnRequest's AssertionConsumerServiceURL", configured: false };
  }
  if (e?.idpEntityId) r.idpEntityId = configured(e, e.idpEntityId, 'idpEntityId');
  const certs = (e?.idpCertificates ?? []).map((c) => normalizeCertificate(c)).filter((c): c is string => !!c);
  if (certs.length) {
    r.idpCertificates = { value: certs, source: e?.sources?.idpCertificates || 'configured', configured: true };
  } else if (e?.pinnedCertificates && message) {
    const tenant =
      tenantOfIssuer(message.issuer?.value) ?? (message.kind === 'Response' ? tenantOfIssuer(message.assertions[0]?.issuer?.value) : undefined);
    const pin = tenant ? e.pinnedCertificates[tenant] : undefined;
    if (pin) {
      r.idpCertificates = {
        value: [pin.certificate],
        source: `pinned: the first certificate seen for tenant ${pin.tenantId}, on ${pin.firstSeen.replace(/\.\d{3}Z$/, 'Z')} (no IdP certificate is configured)`,
        configured: false,
      };
      r.certificatePin = pin;
    }
  }
  if (e?.expectedUsername) r.username = configured(e, e.expectedUsername);
  else if (e?.usernameSource && message?.kind === 'Response') {
    const claim = attributeValue(message.assertions[0], e.usernameSource === 'upn' ? UPN_CLAIMS : EMAIL_CLAIMS);
    if (claim) {
      r.username = {
        value: claim.value,
        source: `the ${e.usernameSource === 'upn' ? 'UPN' : 'mail'} claim (${claim.name}), the configured user name source`,
        configured: true,
      };
    }
  }
  if (e?.expectedAccessControlKeys?.length) {
    r.accessControlKeys = { value: e.expectedAccessControlKeys, source: 'configured', configured: true };
  }
  if (e?.requestId) r.requestId = configured(e, e.requestId);
  else if (request?.id) r.requestId = { value: request.id, source: "the captured AuthnRequest's ID", configured: false };
  if (e?.region) r.region = configured(e, e.region);
  else {
    const reg = awsRegionOf(r.spEntityId?.value ?? '') ?? awsRegionOf(r.acsUrl?.value ?? '');
    if (reg) r.region = { value: reg, source: r.spEntityId ? 'the region in the expected entity ID' : 'the region in the expected ACS URL', configured: false };
  }
  return r;
}

export function sortFindings(f: Finding[]): Finding[] {
  return [...f].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export interface AnalyzeOptions {
  /** Verifies the signatures (lib/signature/verify.ts signatureVerifier, loaded lazily in the browser). */
  verifier: SignatureVerifier;
  /**
   * Certificates pinned per tenant (first seen) from earlier analyses. When given and no IdP
   * certificate is configured, new tenants are pinned and the result carries the updated pins.
   */
  pins?: CertificatePins;
  /** The SP's signing certificates (from its metadata), for signed AuthnRequests. */
  spCertificates?: string[];
  /** Reuse what an earlier analysis over (mostly) the same captures computed (createAnalysisMemo). */
  memo?: AnalysisMemo;
}

export interface SignedAnalysis extends AnalysisResult {
  verdicts: SignatureVerdicts;
  /** The pins after this analysis (when pins were given). */
  pins?: CertificatePins;
  /** Pins added by this analysis: tenants seen the first time. */
  newPins: CertificatePin[];
}

/**
 * Trees kept for one analysis, so each message is parsed once: for the verifier and for the
 * checks' re-reads. Bounded: past this much XML text, a message's tree is parsed again when needed.
 */
const KEEP_TREES_CHARS = 16_000_000;

/**
 * What one analysis keeps for the next over a growing capture (the background's, which analyses
 * after every capture): each message as read (keyed by its capture, so a changed status reads it
 * again), its signature verdict, and each attempt's findings (keyed by everything they are
 * computed from). A new capture then costs the reading and checking of its own attempt, not of
 * all 500 messages. Opaque; make one with createAnalysisMemo().
 */
export interface AnalysisMemo {
  reads: Map<string, { key: string; raw: string; message: AnalyzedMessage }>;
  verdicts: Map<string, { raw: string; certificates: string; verdict: MessageVerdict }>;
  flows: Map<string, { key: string; messageFindings: Map<string, Finding[]>; flowLevel: Finding[]; shown: Finding[] }>;
  /** Counters for tests and the bench: messages read and attempts checked by the last analysis. */
  last: { read: number; verified: number; flowsChecked: number };
}

export function createAnalysisMemo(): AnalysisMemo {
  return { reads: new Map(), verdicts: new Map(), flows: new Map(), last: { read: 0, verified: 0, flowsChecked: 0 } };
}

/** A token per verdict object: the memo's verdicts are the same objects while unchanged (no stringify of certificates per analysis). */
const verdictTokens = new WeakMap<object, number>();
let nextVerdictToken = 0;
function verdictToken(v: object): number {
  let t = verdictTokens.get(v);
  if (t === undefined) verdictTokens.set(v, (t = ++nextVerdictToken));
  return t;
}

/** Keys already made, per capture object (a capture is never changed in place: a change is a new object). */
const captureKeys = new WeakMap<CapturedMessage, string>();

/** A capture's identity for the memo: every field but the (long) raw value, which is compared apart. */
function captureKey(c: CapturedMessage): string {
  let k = captureKeys.get(c);
  if (k === undefined) {
    const { raw: _raw, ...rest } = c;
    k = JSON.stringify(rest);
    captureKeys.set(c, k);
  }
  return k;
}

/**
 * What the flows need of a capture the memo has read (kind, SAML ids), or undefined when it has not
 * read this content: retention groups messages into attempts with it instead of reading them again.
 */
export function memoFlowItem(memo: AnalysisMemo, c: CapturedMessage): FlowItem | undefined {
  const hit = memo.reads.get(c.id);
  if (!hit || hit.raw !== c.raw) return undefined;
  const it: FlowItem = { capture: c };
  const m = hit.message.model;
  if (m) {
    it.kind = m.kind;
    if (m.id) it.samlId = m.id;
    if (m.inResponseTo) it.inResponseTo = m.inResponseTo;
  }
  return it;
}

function readAll(input: AnalyzeInput, memo?: AnalysisMemo): { messages: AnalyzedMessage[]; docs: Map<string, XmlDocument> } {
  const docs = new Map<string, XmlDocument>();
  let kept = 0;
  let read = 0;
  const seen = new Set<string>();
  const messages = input.messages.map((c) => {
    let key: string | undefined;
    if (memo) {
      key = `${input.maxBytes ?? ''}|${captureKey(c)}`;
      seen.add(c.id);
      const hit = memo.reads.get(c.id);
      if (hit && hit.key === key && hit.raw === c.raw) return hit.message;
    }
    const r = readOnce(c, input.maxBytes);
    read++;
    if (r.doc && r.message.xml !== undefined && kept + r.message.xml.length <= KEEP_TREES_CHARS) {
      kept += r.message.xml.length;
      docs.set(r.message.id, r.doc);
    }
    if (memo && key !== undefined) memo.reads.set(c.id, { key, raw: c.raw, message: r.message });
    return r.message;
  });
  if (memo) {
    for (const id of memo.reads.keys()) if (!seen.has(id)) memo.reads.delete(id);
    for (const id of memo.verdicts.keys()) if (!seen.has(id)) memo.verdicts.delete(id);
    memo.last = { read, verified: 0, flowsChecked: 0 };
  }
  return { messages, docs };
}

function normalizedCertificates(list: string[] | undefined): string[] {
  return [...new Set((list ?? []).map((c) => normalizeCertificate(c)).filter((c): c is string => !!c))];
}

/**
 * The analysis. Synchronous without a verifier; with one (`analyze(input, { verifier })`) it
 * verifies the signatures of the messages it read, pins first-seen certificates when pins are
 * given and no IdP certificate is configured, and runs every check with the verdicts
 * (signature-invalid, signature-cert-mismatch, certificate-expiring and signature-wrapping read them).
 * With a memo (createAnalysisMemo), what an earlier analysis with the same memo computed for an
 * unchanged message or attempt is reused: the result is the same as without it.
 */
export function analyze(input: AnalyzeInput, o: AnalyzeOptions): Promise<SignedAnalysis>;
export function analyze(input: AnalyzeInput, o?: { memo?: AnalysisMemo }): AnalysisResult;
export function analyze(input: AnalyzeInput, o?: AnalyzeOptions | { memo?: AnalysisMemo }): AnalysisResult | Promise<SignedAnalysis> {
  const { messages, docs } = readAll(input, o?.memo);
  if (!o || !('verifier' in o)) return analyzeRead(input, messages, docs, o?.memo);
  return verifyThenAnalyze(input, messages, docs, o);
}

async function verifyThenAnalyze(input: AnalyzeInput, messages: AnalyzedMessage[], docs: Map<string, XmlDocument>, o: AnalyzeOptions): Promise<SignedAnalysis> {
  const e = input.expectations ?? {};
  const configured = normalizedCertificates(e.idpCertificates);
  const pinsIn = o.pins ?? e.pinnedCertificates;
  const certificates = [...configured, ...Object.values(pinsIn ?? {}).map((p) => p.certificate), ...normalizedCertificates(o.spCertificates)];
  const memo = o.memo;
  const certKey = certificates.join(',');
  const verdicts: SignatureVerdicts = {};
  const todo = memo
    ? messages.filter((m) => {
        const hit = memo.verdicts.get(m.id);
        if (hit && hit.raw === m.capture.raw && hit.certificates === certKey) {
          verdicts[m.id] = hit.verdict;
          return false;
        }
        return true;
      })
    : messages;
  const fresh = await o.verifier.verify(todo, { certificates, documentOf: (m) => docs.get(m.id) });
  Object.assign(verdicts, fresh);
  if (memo) {
    for (const m of todo) {
      const v = fresh[m.id];
      if (v) memo.verdicts.set(m.id, { raw: m.capture.raw, certificates: certKey, verdict: v });
    }
    memo.last.verified = todo.length;
  }
  let pins = pinsIn;
  let newPins: CertificatePin[] = [];
  if (pinsIn && configured.length === 0) {
    const r = pinFirstSeen(pinsIn, messages, verdicts, input.analysisTime ?? new Date());
    pins = r.pins;
    newPins = r.added;
  }
  const expectations = { ...e, ...(pins && configured.length === 0 ? { pinnedCertificates: pins } : {}) };
  const result = analyzeRead({ ...input, expectations, signatureVerdicts: { ...input.signatureVerdicts, ...verdicts } }, messages, docs, memo);
  return { ...result, verdicts, ...(pins ? { pins } : {}), newPins };
}

/** What one analysis's per-message steps share. */
interface AnalysisRun {
  input: AnalyzeInput;
  docs: Map<string, XmlDocument>;
  byId: Map<string, AnalyzedMessage>;
  learning: boolean;
  learned: LearnedKeys;
}

/** A message's time: its capture time, else a Response's IssueInstant (NaN when neither reads). */
function messageTime(msg: AnalyzedMessage): number {
  return Date.parse(msg.capture.time ?? '') || Date.parse((msg.model?.kind === 'Response' ? msg.model.issueInstant : undefined) ?? '');
}

/** After a message's findings: an accepted Response teaches its keys. */
function learnFromMessage(run: AnalysisRun, msg: AnalyzedMessage, own: Finding[]): void {
  const { input, learning, learned } = run;
  if (!learning || !msg.ok || msg.model?.kind !== 'Response') return;
  const instance = instanceOf(msg.model);
  if (!instance || !isAccepted(msg.model, own.filter((f) => f.severity === 'error').length)) return;
  const t = messageTime(msg);
  const user = msg.model.assertions[0]?.nameId?.value;
  learnFrom(learned, instance, accessControlKeysOf(msg.model), {
    firstSeen: new Date(Number.isNaN(t) ? (input.analysisTime ?? new Date()).getTime() : t).toISOString(),
    messageId: msg.id,
    ...(user ? { user } : {}),
  });
}

/** One message's findings, errors first. */
function checkOneMessage(run: AnalysisRun, msg: AnalyzedMessage, flow: Flow | undefined): Finding[] {
  const { input, docs, byId, learning, learned } = run;
  if (flow) msg.flowId = flow.id;
  if (!msg.ok || !msg.model || msg.xml === undefined) {
    return msg.error ? [decodeErrorFinding(msg.capture, msg.error.code, msg.error.message, flow?.id)] : [];
  }
  // The AuthnRequest this message answers, from the same flow.
  let request: AuthnRequestInfo | undefined;
  if (flow && msg.model.kind === 'Response') {
    for (const id of flow.messageIds) {
      const other = byId.get(id)?.model;
      if (other?.kind === 'AuthnRequest') request = other;
    }
  }
  const { now, source } = referenceTime(msg.capture, input, msg.model);
  // The checks re-read the XML (raw text at a path, nested assertions): give them the tree.
  const doc = docs.get(msg.id);
  if (doc) rememberXml(msg.xml, doc);
  const ctx: CheckContext = {
    messageId: msg.id,
    message: msg.model,
    xml: msg.xml,
    capture: msg.capture,
    encoded: {
      binding: msg.binding ?? 'unknown',
      base64Length: msg.base64Length ?? 0,
      xmlLength: msg.xml.length,
    },
    expect: resolveExpectations(input.expectations, request, msg.model),
    now,
    nowSource: source,
  };
  // Set when present (not spread in: the spreads cost more than building the rest).
  const signatures = input.signatureVerdicts?.[msg.id];
  if (signatures) ctx.signatures = signatures;
  if (request) ctx.request = request;
  if (flow) ctx.flow = flow;
  // Only keys learned before this sign-in: a stored key learned from a later capture (the same
  // captures analysed again) does not judge an earlier sign-in.
  const instance = learning && msg.model.kind === 'Response' ? instanceOf(msg.model) : undefined;
  if (instance) {
    const msgTime = messageTime(msg);
    const earlier = (learned[instance] ?? []).filter((k) => k.messageId !== msg.id && (Number.isNaN(msgTime) || Date.parse(k.firstSeen) < msgTime));
    if (earlier.length) ctx.expect.learnedAccessControlKeys = earlier;
  }
  return sortFindings(runChecks(ctx));
}

/** What the page-error findings of one attempt read. */
function errorContext(messages: Map<string, AnalyzedMessage>, findings: Finding[], expectations: Expectations | undefined): ErrorFindingContext {
  const c: ErrorFindingContext = { messages, findings };
  if (expectations) c.expectations = expectations;
  return c;
}

/** Flows and findings over messages already read. */
function analyzeRead(input: AnalyzeInput, messages: AnalyzedMessage[], docs: Map<string, XmlDocument>, memo?: AnalysisMemo): AnalysisResult {
  const items: FlowItem[] = messages.map((m) => {
    const it: FlowItem = { capture: m.capture };
    if (m.model) {
      it.kind = m.model.kind;
      if (m.model.id) it.samlId = m.model.id;
      if (m.model.inResponseTo) it.inResponseTo = m.model.inResponseTo;
      const t = tenantOfIssuer(m.model.issuer?.value);
      if (t) it.tenantId = t;
    }
    return it;
  });
  const flows = assembleFlows(items, { singleFlow: !!input.singleFlow, steps: input.steps ?? [], pageErrors: input.pageErrors ?? [] });
  const flowOf = new Map<string, Flow>();
  for (const f of flows) for (const id of f.messageIds) flowOf.set(id, f);
  const byId = new Map(messages.map((m) => [m.id, m]));
  let unmatchedLogs: SignInLogRecord[] | undefined;
  if (input.signInLogs?.length) {
    const join = joinSignInLogs(flows, attemptFacts(flows, byId), input.signInLogs);
    for (const f of flows) {
      const list = join.byFlow.get(f.id);
      if (list?.length) f.signInLogs = list;
    }
    unmatchedLogs = join.unmatched;
  }

  // With no expected AccessControl keys configured, each accepted sign-in teaches its keys to the
  // later sign-ins of the same Identity Center instance (in capture order; lib/abac/learned.ts).
  const learning = !input.expectations?.expectedAccessControlKeys?.length;
  const learned: LearnedKeys = learning ? structuredClone(input.expectations?.learnedAccessControlKeys ?? {}) : {};
  const run: AnalysisRun = { input, docs, byId, learning, learned };

  // Per attempt: its messages' findings, its flow-level findings, what its pages showed. With a
  // memo, an attempt whose inputs are unchanged is not checked again.
  const global = memo
    ? JSON.stringify([input.expectations ?? null, input.now?.toISOString() ?? null, input.singleFlow ?? false, input.maxBytes ?? null])
    : '';
  const perFlow = new Map<string, { messageFindings: Map<string, Finding[]>; flowLevel: Finding[]; shown: Finding[] }>();
  const allMessageFindings = new Map<string, Finding[]>();
  let flowsChecked = 0;
  for (const f of flows) {
    let key: string | undefined;
    if (memo) {
      const { order: _order, ...shape } = f;
      const parts = f.messageIds.map((id) => {
        const m = byId.get(id);
        const v = input.signatureVerdicts?.[id];
        const read = memo.reads.get(id);
        return [read && m && read.message === m ? read.key : m ? captureKey(m.capture) : '', m?.capture.raw.length ?? 0, v ? verdictToken(v) : 0];
      });
      // The time of analysis matters only to a message without any time of its own.
      const timeless = f.messageIds.some((id) => !byId.get(id)?.capture.time);
      // What was learned before this attempt judges it too.
      key = JSON.stringify([global, shape, parts, timeless ? (input.analysisTime?.toISOString() ?? 'now') : '', learning ? learned : '']);
      const hit = memo.flows.get(f.id);
      if (hit && hit.key === key) {
        for (const id of f.messageIds) {
          const m = byId.get(id);
          if (m) m.flowId = f.id;
        }
        perFlow.set(f.id, hit);
        for (const [id, list] of hit.messageFindings) {
          allMessageFindings.set(id, list);
          const m = byId.get(id);
          if (m) learnFromMessage(run, m, list);
        }
        continue;
      }
    }
    flowsChecked++;
    const messageFindings = new Map<string, Finding[]>();
    const own: Finding[] = [];
    for (const id of f.messageIds) {
      const m = byId.get(id);
      if (!m) continue;
      const list = checkOneMessage(run, m, f);
      learnFromMessage(run, m, list);
      messageFindings.set(id, list);
      allMessageFindings.set(id, list);
      own.push(...list);
    }
    // Flow-level findings (where a My Apps tile led) explain the message-level ones.
    const flowLevel = flowFindings(f, input.expectations, byId);
    // What the pages showed (Entra's AADSTS code, AWS's generic error) is what the user saw.
    const shown = errorFindings(f, errorContext(byId, own, input.expectations));
    const entry = { messageFindings, flowLevel, shown };
    perFlow.set(f.id, entry);
    if (memo && key !== undefined) memo.flows.set(f.id, { key, ...entry });
  }
  if (memo) {
    for (const id of memo.flows.keys()) if (!perFlow.has(id)) memo.flows.delete(id);
    memo.last.flowsChecked = flowsChecked;
  }
  const findings: Finding[] = [];
  for (const msg of messages) {
    const list = allMessageFindings.get(msg.id) ?? checkOneMessage(run, msg, flowOf.get(msg.id));
    findings.push(...list);
  }
  // What the pages showed first, then the flow-level findings, then the messages' (in capture order).
  const shown = flows.flatMap((f) => perFlow.get(f.id)!.shown);
  const flowLevel = flows.flatMap((f) => perFlow.get(f.id)!.flowLevel);
  return { messages, flows, findings: [...shown, ...flowLevel, ...findings], ...(unmatchedLogs ? { unmatchedLogs } : {}), ...(learning ? { learnedAccessControlKeys: learned } : {}) };
}

