// The JSON evidence bundle: what was captured (messages and HTTP steps), what the checks were
// told to expect, and what the analysis found. Versioned and documented in
// docs/evidence-bundle.md; it re-imports losslessly: reading a bundle gives back exactly the
// analysis input it was written from. Pure.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Expectations } from '../checks/types.ts';
import type { MessageSummary } from '../summary.ts';
import type { CapturedMessage, Finding, Flow, FlowStep, PageError } from '../types.ts';
import { summaryVerdict } from '../report/diagnosis.ts';
import type { SignInLogRecord } from '../logs/signin.ts';
import type { RedactionInfo, RedactionMode } from './redact.ts';
import { readRecordedSignature } from '../signature/recorded.ts';

export const BUNDLE_FORMAT = 'samlscope-evidence-bundle';
export const BUNDLE_VERSION = 1;

/** Where the capture came from. */
export type SourceKind = 'live' | 'har' | 'saml-tracer' | 'bundle' | 'message';

export interface BundleMessage {
  id: string;
  ok: boolean;
  kind: string | null;
  error: { code: string; message: string } | null;
  binding: 'redirect' | 'post' | 'unknown' | null;
  encoding: string | null;
  flowId: string | null;
  summary: MessageSummary | null;
  /** The decoded XML (redacted like the rest), or null when it could not be decoded. */
  xml: string | null;
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  /** When the bundle was written, ISO 8601 UTC. */
  exportedAt: string;
  generator: { name: string; version: string };
  source: { kind: SourceKind; names: string[] };
  redaction: RedactionInfo;
  /** The analysis input, exactly: analyze(input) reproduces `analysis`. */
  input: {
    messages: CapturedMessage[];
    steps: FlowStep[];
    /** Errors the sign-in pages showed (absent in bundles written before they were captured). */
    pageErrors?: PageError[];
    expectations: Expectations;
    /** The time validity windows were judged at when one was given (--now), else null. */
    now: string | null;
    /** The time of the analysis (used only for messages without any capture time). */
    analysisTime: string;
    singleFlow: boolean;
    /** Sign-in logs imported with the capture (absent in bundles written before they were read). */
    signInLogs?: SignInLogRecord[];
  };
  /** What the analysis found, when the bundle was written. */
  analysis: {
    verdict: string;
    messages: BundleMessage[];
    flows: Flow[];
    findings: Finding[];
    /** Sign-in log records that fit no captured attempt. */
    unmatchedLogs?: SignInLogRecord[];
  };
  /** Notes about the capture (from the HAR or SAML-tracer reader, or the export). */
  notes: string[];
}

export function bundleMessage(m: AnalyzedMessage): BundleMessage {
  return {
    id: m.id,
    ok: m.ok,
    kind: m.kind ?? null,
    error: m.error ? { code: m.error.code, message: m.error.message } : null,
    binding: m.binding ?? m.capture.binding ?? null,
    encoding: m.encoding ?? null,
    flowId: m.flowId ?? null,
    summary: m.summary ?? null,
    xml: m.xml ?? null,
  };
}

export function bundleAnalysis(a: AnalysisResult): EvidenceBundle['analysis'] {
  return {
    verdict: summaryVerdict(a).text,
    messages: a.messages.map(bundleMessage),
    flows: a.flows,
    findings: a.findings,
    ...(a.unmatchedLogs?.length ? { unmatchedLogs: a.unmatchedLogs } : {}),
  };
}

export function serializeBundle(b: EvidenceBundle): string {
  return JSON.stringify(b, null, 2) + '\n';
}

// ---- reading ----------------------------------------------------------------------------------

export type BundleErrorCode = 'not-json' | 'not-bundle' | 'newer-version' | 'invalid';

export interface BundleError {
  ok: false;
  code: BundleErrorCode;
  message: string;
}

export interface BundleRead {
  ok: true;
  bundle: EvidenceBundle;
}

/** Largest bundle read, characters. */
export const MAX_BUNDLE_CHARS = 200 * 1024 * 1024;
const MAX_ITEMS = 20_000;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Invalid extends Error {}

function need(cond: boolean, where: string, what: string): asserts cond {
  if (!cond) throw new Invalid(`${where} ${what}`);
}

const STR = (v: unknown) => typeof v === 'string';
const OPT = (check: (v: unknown) => boolean) => (v: unknown) => v === undefined || check(v);
const NUM = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const BOOL = (v: unknown) => typeof v === 'boolean';
const STRS = (v: unknown) => Array.isArray(v) && v.every(STR);

function fields(o: Record<string, unknown>, where: string, spec: Record<string, (v: unknown) => boolean>): void {
  for (const [k, check] of Object.entries(spec)) need(check(o[k]), `${where}.${k}`, `has the wrong type (${JSON.stringify(o[k])?.slice(0, 40) ?? 'missing'})`);
}

function checkMessage(m: unknown, i: number): CapturedMessage {
  const where = `input.messages[${i}]`;
  need(isObj(m), where, 'is not an object');
  fields(m, where, {
    id: STR,
    raw: STR,
    binding: OPT((v) => v === 'redirect' || v === 'post' || v === 'unknown'),
    param: OPT((v) => v === 'SAMLRequest' || v === 'SAMLResponse'),
    url: OPT(STR),
    method: OPT(STR),
    relayState: OPT(STR),
    sigAlg: OPT(STR),
    signature: OPT(STR),
    time: OPT(STR),
    serverDate: OPT(STR),
    status: OPT(NUM),
    redirectTo: OPT(STR),
    tabId: OPT(NUM),
    frameId: OPT(NUM),
    initiator: OPT(STR),
    origin: OPT(STR),
    rawQuery: OPT(STR),
    seq: OPT(NUM),
    chain: OPT(STR),
    recovered: OPT(BOOL),
  });
  if (m.recordedSignature !== undefined) {
    const r = readRecordedSignature(m.recordedSignature);
    need(r.ok, `${where}.recordedSignature`, r.ok ? '' : r.why);
  }
  return m as unknown as CapturedMessage;
}

function checkPageError(e: unknown, where: string): PageError {
  need(isObj(e), where, 'is not an object');
  fields(e, where, {
    id: STR,
    source: (v) => v === 'entra' || v === 'aws',
    url: STR,
    time: (v) => STR(v) && !Number.isNaN(Date.parse(v as string)),
    tabId: OPT(NUM),
    frameId: OPT(NUM),
    code: OPT((v) => STR(v) && /^AADSTS\d{5,7}$/.test(v as string)),
    message: OPT(STR),
    requestId: OPT(STR),
    correlationId: OPT(STR),
    timestamp: OPT(STR),
    heading: OPT(STR),
    seenBy: (v) => v === 'page' || v === 'http',
    status: OPT(NUM),
    seq: OPT(NUM),
  });
  return e as unknown as PageError;
}

function checkSignInLog(l: unknown, where: string): SignInLogRecord {
  need(isObj(l), where, 'is not an object');
  fields(l, where, {
    id: STR,
    source: (v) => v === 'entra' || v === 'cloudtrail',
    format: STR,
    time: OPT((v) => STR(v) && !Number.isNaN(Date.parse(v as string))),
    outcome: (v) => v === 'success' || v === 'failure' || v === 'unknown',
    origin: STR,
    code: OPT(STR),
    reason: OPT(STR),
    correlationId: OPT(STR),
    requestId: OPT(STR),
    user: OPT(STR),
    eventName: OPT(STR),
    region: OPT(STR),
  });
  return l as unknown as SignInLogRecord;
}

function checkStep(s: unknown, where: string): FlowStep {
  need(isObj(s), where, 'is not an object');
  fields(s, where, {
    url: STR,
    method: STR,
    status: OPT(NUM),
    time: OPT(STR),
    serverDate: OPT(STR),
    redirectTo: OPT(STR),
    messageId: OPT(STR),
    tabId: OPT(NUM),
    frameId: OPT(NUM),
    note: OPT(STR),
    seq: OPT(NUM),
    chain: OPT(STR),
    recovered: OPT(BOOL),
  });
  return s as unknown as FlowStep;
}

function checkExpectations(e: unknown): Expectations {
  need(isObj(e), 'input.expectations', 'is not an object');
  fields(e, 'input.expectations', {
    spEntityId: OPT(STR),
    acsUrl: OPT(STR),
    region: OPT(STR),
    idpEntityId: OPT(STR),
    expectedUsername: OPT(STR),
    expectedAccessControlKeys: OPT(STRS),
    clockSkewSeconds: OPT(NUM),
    requestId: OPT(STR),
    portalUrl: OPT(STR),
    usernameSource: OPT((v) => v === 'upn' || v === 'mail'),
  });
  return e as Expectations;
}

/**
 * Expectations written by samlscope beside a capture (a bundle's input.expectations, the HAR
 * export's log._samlscopeExpectations), or why they are refused.
 */
export function readExpectations(v: unknown, where = 'expectations'): { ok: true; value: Expectations } | { ok: false; why: string } {
  try {
    return { ok: true, value: checkExpectations(v) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, why: e.message.replace(/^input\.expectations/, where) };
    throw e;
  }
}

function checkFinding(f: unknown, i: number): Finding {
  const where = `analysis.findings[${i}]`;
  need(isObj(f), where, 'is not an object');
  fields(f, where, {
    checkId: STR,
    severity: (v) => v === 'error' || v === 'warning' || v === 'info',
    title: STR,
    message: STR,
    fix: STR,
    evidence: Array.isArray,
    messageId: OPT(STR),
    flowId: OPT(STR),
  });
  (f.evidence as unknown[]).forEach((e, j) => {
    need(isObj(e), `${where}.evidence[${j}]`, 'is not an object');
    fields(e, `${where}.evidence[${j}]`, { label: STR, expected: OPT(STR), actual: OPT(STR), path: OPT(STR), source: OPT(STR) });
  });
  return f as unknown as Finding;
}

function checkFlow(f: unknown, i: number): Flow {
  const where = `analysis.flows[${i}]`;
  need(isObj(f), where, 'is not an object');
  fields(f, where, { id: STR, type: STR, fromMyApps: BOOL, messageIds: STRS, steps: Array.isArray, summary: STR });
  (f.steps as unknown[]).forEach((s, j) => checkStep(s, `${where}.steps[${j}]`));
  return f as unknown as Flow;
}

const MODES: RedactionMode[] = ['none', 'pseudonymise', 'remove'];

/** Validates a parsed bundle. Unknown fields are ignored (a later minor addition stays readable). */
export function validateBundle(doc: unknown): BundleRead | BundleError {
  if (!isObj(doc) || doc.format !== BUNDLE_FORMAT) {
    return { ok: false, code: 'not-bundle', message: `Not a samlscope evidence bundle (no "format": "${BUNDLE_FORMAT}").` };
  }
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) {
    return { ok: false, code: 'invalid', message: 'The evidence bundle has no valid "version".' };
  }
  if (doc.version > BUNDLE_VERSION) {
    return {
      ok: false,
      code: 'newer-version',
      message: `The evidence bundle is version ${doc.version}; this samlscope reads version ${BUNDLE_VERSION}. Update samlscope to read it.`,
    };
  }
  try {
    fields(doc, 'bundle', { exportedAt: STR, notes: STRS });
    need(isObj(doc.generator), 'bundle.generator', 'is not an object');
    fields(doc.generator, 'generator', { name: STR, version: STR });
    need(isObj(doc.source), 'bundle.source', 'is not an object');
    fields(doc.source, 'source', { kind: (v) => ['live', 'har', 'saml-tracer', 'bundle', 'message'].includes(v as string), names: STRS });
    need(isObj(doc.redaction), 'bundle.redaction', 'is not an object');
    fields(doc.redaction, 'redaction', { mode: (v) => MODES.includes(v as RedactionMode), tenant: BOOL, signatures: BOOL, covers: STRS, replacedValues: NUM });
    need(isObj(doc.input), 'bundle.input', 'is not an object');
    const input = doc.input;
    need(Array.isArray(input.messages) && input.messages.length <= MAX_ITEMS, 'input.messages', `is not a list of at most ${MAX_ITEMS}`);
    need(Array.isArray(input.steps) && input.steps.length <= MAX_ITEMS, 'input.steps', `is not a list of at most ${MAX_ITEMS}`);
    input.messages.forEach((m, i) => checkMessage(m, i));
    input.steps.forEach((s, i) => checkStep(s, `input.steps[${i}]`));
    if (input.pageErrors !== undefined) {
      need(Array.isArray(input.pageErrors) && input.pageErrors.length <= MAX_ITEMS, 'input.pageErrors', `is not a list of at most ${MAX_ITEMS}`);
      (input.pageErrors as unknown[]).forEach((e, i) => checkPageError(e, `input.pageErrors[${i}]`));
    }
    if (input.signInLogs !== undefined) {
      need(Array.isArray(input.signInLogs) && input.signInLogs.length <= 200_000, 'input.signInLogs', 'is not a list of at most 200000');
      (input.signInLogs as unknown[]).forEach((l, i) => checkSignInLog(l, `input.signInLogs[${i}]`));
    }
    checkExpectations(input.expectations);
    fields(input, 'input', { now: (v) => v === null || (STR(v) && !Number.isNaN(Date.parse(v as string))), analysisTime: (v) => STR(v) && !Number.isNaN(Date.parse(v as string)), singleFlow: BOOL });
    const ids = new Set<string>();
    for (const m of input.messages as CapturedMessage[]) {
      need(!ids.has(m.id), `input.messages id ${JSON.stringify(m.id)}`, 'is repeated');
      ids.add(m.id);
    }
    need(isObj(doc.analysis), 'bundle.analysis', 'is not an object');
    const a = doc.analysis;
    fields(a, 'analysis', { verdict: STR, messages: Array.isArray, flows: Array.isArray, findings: Array.isArray });
    (a.flows as unknown[]).forEach(checkFlow);
    (a.findings as unknown[]).forEach(checkFinding);
    (a.messages as unknown[]).forEach((m, i) => {
      need(isObj(m), `analysis.messages[${i}]`, 'is not an object');
      fields(m, `analysis.messages[${i}]`, { id: STR, ok: BOOL });
    });
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, code: 'invalid', message: `The evidence bundle is damaged: ${e.message}.` };
    throw e;
  }
  return { ok: true, bundle: doc as unknown as EvidenceBundle };
}

/** Reads a bundle's text. Never throws. */
export function readBundle(text: string): BundleRead | BundleError {
  if (typeof text !== 'string' || text.length > MAX_BUNDLE_CHARS) {
    return { ok: false, code: 'invalid', message: 'The evidence bundle is too large (over 200 MB).' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, code: 'not-json', message: `The file is not JSON: ${(e as Error).message}` };
  }
  return validateBundle(doc);
}

/** True when the text looks like a bundle (without a full read). */
export function looksLikeBundle(text: string): boolean {
  const head = text.slice(0, 2048).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('{') && head.includes(`"${BUNDLE_FORMAT}"`);
}
