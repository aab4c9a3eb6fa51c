// The one door into the pipeline: captured messages → decoded → parsed → flows → findings.
// The background, the CLI, import and export all call analyze(); nothing outside lib/ strings
// the stages together itself. Pure: time comes in as a parameter.
import { decodeSamlValue, extractSamlParams, type Encoding } from './decode/index.ts';
import { accessControlKeysOf, instanceOf, isAccepted, learnFrom, type LearnedKeys } from './abac/learned.ts';
import { isParseError, parseSaml } from './saml/parse.ts';
import type { AuthnRequestInfo, SamlKind, SamlMessage } from './saml/model.ts';
import { assembleFlows, type FlowItem } from './flow/index.ts';
import { hostRole, urlHost } from './flow/hosts.ts';
import { runChecks } from './checks/run.ts';
import { decodeErrorFinding, type UnreadableCode } from './checks/decode-error.ts';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  type CheckContext,
  type Expectations,
  type ResolvedExpectations,
} from './checks/types.ts';
import { attributeValue, awsRegionOf, EMAIL_CLAIMS, isIdcAcsUrl, isIdcEntityId, parseSamlTime, tenantOfIssuer, UPN_CLAIMS } from './checks/util.ts';
import { flowFindings } from './flow/findings.ts';
import { errorFindings } from './flow/error-findings.ts';
import { SEVERITY_ORDER, type CapturedMessage, type Finding, type Flow, type FlowStep, type PageError } from './types.ts';
import { summarize, type MessageSummary } from './summary.ts';
import type { SignatureVerdicts } from './signature/types.ts';
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
   * Cryptographic verdicts by message id, from lib/signature/verify.ts (analyzeWithSignatures).
   * Absent: the checks that need them stay silent.
   */
  signatureVerdicts?: SignatureVerdicts;
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
  /**
   * AccessControl keys learned from accepted sign-ins (the ones given plus those learned here),
   * when no expected keys are configured; the extension stores them (lib/abac/learned.ts).
   */
  learnedAccessControlKeys?: LearnedKeys;
}

/** Decodes and parses one captured value. */
export function readMessage(capture: CapturedMessage, maxBytes?: number): AnalyzedMessage {
  let raw = capture.raw;
  const cap: CapturedMessage = { ...capture };
  // A pasted URL, query string or form body: take the parameters out of it.
  if (!cap.param && /(^|[?&])(SAMLRequest|SAMLResponse)=/.test(raw)) {
    const p = extractSamlParams(raw);
    raw = p.value;
    if (p.param) cap.param = p.param;
    if (p.relayState !== undefined && cap.relayState === undefined) cap.relayState = p.relayState;
    if (p.sigAlg !== undefined && cap.sigAlg === undefined) cap.sigAlg = p.sigAlg;
    if (p.signature !== undefined && cap.signature === undefined) cap.signature = p.signature;
    if (p.url && !cap.url) cap.url = p.url;
    if (p.rawQuery && !cap.rawQuery) cap.rawQuery = p.rawQuery;
    if (p.binding && !cap.binding) cap.binding = p.binding;
  }
  const d = decodeSamlValue(raw, maxBytes !== undefined ? { maxBytes } : {});
  if (!d.ok) return { id: cap.id, capture: cap, ok: false, error: { code: d.code, message: d.message } };
  const m = parseSaml(d.xml);
  const base = { id: cap.id, capture: cap, encoding: d.encoding, base64Length: d.base64Length, binding: cap.binding ?? d.binding, xml: d.xml };
  if (isParseError(m)) return { ...base, ok: false, error: { code: m.code, message: m.message } };
  return { ...base, ok: true, kind: m.kind, model: m, summary: summarize(m) };
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

export function resolveExpectations(
  e: Expectations | undefined,
  request: AuthnRequestInfo | undefined,
  message?: SamlMessage,
): ResolvedExpectations {
  const r: ResolvedExpectations = { clockSkewSeconds: e?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS };
  const conf = (value: string, key?: keyof NonNullable<Expectations['sources']>) => ({ value, source: (key && e?.sources?.[key]) || 'configured', configured: true });
  if (e?.spEntityId) r.spEntityId = conf(e.spEntityId, 'spEntityId');
  // Only a request with Identity Center's shapes tells what Identity Center expects: another
  // SaaS app's or a test SP's request would make its own Issuer the expected Audience
  // (request-not-identity-center reports such a request).
  else if (request?.issuer?.value && isIdcEntityId(request.issuer.value.trim())) {
    r.spEntityId = { value: request.issuer.value, source: "the AuthnRequest's Issuer", configured: false };
  }
  if (e?.acsUrl) r.acsUrl = conf(e.acsUrl, 'acsUrl');
  else if (request?.acsUrl && isIdcAcsUrl(request.acsUrl.trim())) {
    r.acsUrl = { value: request.acsUrl, source: "the AuthnRequest's AssertionConsumerServiceURL", configured: false };
  }
  if (e?.idpEntityId) r.idpEntityId = conf(e.idpEntityId, 'idpEntityId');
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
  if (e?.expectedUsername) r.username = conf(e.expectedUsername);
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
  if (e?.requestId) r.requestId = conf(e.requestId);
  else if (request?.id) r.requestId = { value: request.id, source: "the captured AuthnRequest's ID", configured: false };
  if (e?.region) r.region = conf(e.region);
  else {
    const reg = awsRegionOf(r.spEntityId?.value ?? '') ?? awsRegionOf(r.acsUrl?.value ?? '');
    if (reg) r.region = { value: reg, source: r.spEntityId ? 'the region in the expected entity ID' : 'the region in the expected ACS URL', configured: false };
  }
  return r;
}

export function sortFindings(f: Finding[]): Finding[] {
  return [...f].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export function analyze(input: AnalyzeInput): AnalysisResult {
  const messages = input.messages.map((c) => readMessage(c, input.maxBytes));
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

  const findings: Finding[] = [];
  // With no expected AccessControl keys configured, each accepted sign-in teaches its keys to the
  // later sign-ins of the same Identity Center instance (in capture order).
  const learning = !input.expectations?.expectedAccessControlKeys?.length;
  const learned: LearnedKeys = learning ? structuredClone(input.expectations?.learnedAccessControlKeys ?? {}) : {};
  for (const msg of messages) {
    const flow = flowOf.get(msg.id);
    if (flow) msg.flowId = flow.id;
    if (!msg.ok || !msg.model || msg.xml === undefined) {
      if (msg.error) findings.push(decodeErrorFinding(msg.capture, msg.error.code, msg.error.message, flow?.id));
      continue;
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
      ...(input.signatureVerdicts?.[msg.id] ? { signatures: input.signatureVerdicts[msg.id] } : {}),
      ...(request ? { request } : {}),
      ...(flow ? { flow } : {}),
    };
    const instance = learning && msg.model.kind === 'Response' ? instanceOf(msg.model) : undefined;
    // Only keys learned before this sign-in: a stored key learned from a later capture (the same
    // captures analysed again) does not judge an earlier sign-in.
    const msgTime = Date.parse(msg.capture.time ?? '') || Date.parse(msg.model.issueInstant ?? '');
    const earlier = instance ? (learned[instance] ?? []).filter((k) => k.messageId !== msg.id && (Number.isNaN(msgTime) || Date.parse(k.firstSeen) < msgTime)) : [];
    if (earlier.length) ctx.expect.learnedAccessControlKeys = earlier;
    const own = sortFindings(runChecks(ctx));
    findings.push(...own);
    if (instance && msg.model.kind === 'Response' && isAccepted(msg.model, own.filter((f) => f.severity === 'error').length)) {
      const t = Date.parse(msg.capture.time ?? '') || Date.parse(msg.model.issueInstant ?? '');
      const user = msg.model.assertions[0]?.nameId?.value;
      learnFrom(learned, instance, accessControlKeysOf(msg.model), {
        firstSeen: new Date(Number.isNaN(t) ? now.getTime() : t).toISOString(),
        messageId: msg.id,
        ...(user ? { user } : {}),
      });
    }
  }
  // Flow-level findings (where a My Apps tile led) explain the message-level ones: first.
  const flowLevel = flows.flatMap((f) => flowFindings(f, input.expectations));
  // What the pages showed (Entra's AADSTS code, AWS's generic error) is what the user saw: first.
  const errCtx = { messages: byId, findings, ...(input.expectations ? { expectations: input.expectations } : {}) };
  const shown = flows.flatMap((f) => errorFindings(f, errCtx));
  return { messages, flows, findings: [...shown, ...flowLevel, ...findings], ...(learning ? { learnedAccessControlKeys: learned } : {}) };
}
