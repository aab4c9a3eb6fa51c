// Table-driven check tests: build messages with the lab factory, run the whole pipeline
// (decode → parse → flow → checks) as the extension and the CLI do, and keep one check's findings.
import { expect, it } from 'vitest';
import { analyze, type AnalyzeInput } from '../../lib/analyze.ts';
import type { Expectations } from '../../lib/checks/types.ts';
import type { CapturedMessage, Evidence, Finding, Severity } from '../../lib/types.ts';
import { LAB, sign, toPost, toRedirect } from '../lab/factory.ts';
import { analyzeWithSignatures, type SignatureAnalysisOptions } from '../signed.ts';

export interface Case {
  name: string;
  /** Response XML (signed or not). */
  response?: string;
  /** AuthnRequest XML; when given, the flow is SP-initiated (request first). */
  request?: string;
  expectations?: Expectations;
  now?: Date;
  /** Overrides for the Response's capture (url, time, serverDate...). */
  capture?: Partial<CapturedMessage>;
}

let n = 0;
export function capturesFor(c: Case): CapturedMessage[] {
  const out: CapturedMessage[] = [];
  const t = c.capture?.time ?? new Date().toISOString();
  if (c.request) {
    out.push({
      id: `req${++n}`,
      raw: toRedirect(c.request),
      param: 'SAMLRequest',
      binding: 'redirect',
      method: 'GET',
      url: `${LAB.ssoUrl}`,
      time: t,
    });
  }
  if (c.response) {
    out.push({
      id: `resp${++n}`,
      raw: toPost(c.response),
      param: 'SAMLResponse',
      binding: 'post',
      method: 'POST',
      url: LAB.acsUrl,
      time: t,
      ...c.capture,
    });
  }
  return out;
}

export function findingsFor(c: Case, checkId?: string): Finding[] {
  const input: AnalyzeInput = { messages: capturesFor(c) };
  if (c.expectations) input.expectations = c.expectations;
  if (c.now) input.now = c.now;
  const r = analyze(input);
  // No check may crash on a factory message.
  expect(r.findings.filter((f) => f.checkId === 'internal-error'), 'internal-error findings').toEqual([]);
  return checkId ? r.findings.filter((f) => f.checkId === checkId) : r.findings;
}

/** Every finding must carry evidence and a fix; messages must be rendered. */
export function expectWellFormed(f: Finding): void {
  expect(f.evidence.length, `${f.checkId} has evidence`).toBeGreaterThan(0);
  expect(f.fix.length, `${f.checkId} has a fix`).toBeGreaterThan(10);
  expect(f.message).not.toMatch(/\{\w+\}/);
}

/**
 * The same through the asynchronous path: signatures verified with WebCrypto
 * (lib/signature/verify.ts), then every check with the verdicts.
 */
export async function verifiedFindingsFor(c: Case, checkId?: string, o: SignatureAnalysisOptions = {}): Promise<Finding[]> {
  const input: AnalyzeInput = { messages: capturesFor(c) };
  if (c.expectations) input.expectations = c.expectations;
  if (c.now) input.now = c.now;
  const r = await analyzeWithSignatures(input, o);
  expect(r.findings.filter((f) => f.checkId === 'internal-error'), 'internal-error findings').toEqual([]);
  return checkId ? r.findings.filter((f) => f.checkId === checkId) : r.findings;
}

/** A finding's message holds these strings and its evidence these entries. */
export function expectMessageAndEvidence(f: Finding, want: { messageHas?: string[]; evidence: Partial<Evidence>[] }): void {
  for (const s of want.messageHas ?? []) expect(f.message).toContain(s);
  for (const e of want.evidence) expect(f.evidence).toContainEqual(expect.objectContaining(e));
}

/** Each passing case: the check says nothing. */
export function passTable(checkId: string, cases: Case[]): void {
  for (const c of cases) {
    it(`passes: ${c.name}`, () => {
      expect(findingsFor(c, checkId)).toEqual([]);
    });
  }
}

export interface ExpectedFinding {
  severity: Severity;
  messageKey: string;
  messageHas?: string[];
  evidence: Partial<Evidence>[];
  /** The fix, word for word (what the user is told to change, and where). */
  fix?: string;
}

export interface FailCase extends Case {
  findings: ExpectedFinding[];
}

/** One finding as expected: well formed, its severity, message, evidence and (when given) its fix word for word. */
export function expectFinding(f: Finding, want: ExpectedFinding): void {
  expectWellFormed(f);
  expect(f.severity).toBe(want.severity);
  expectMessageAndEvidence(f, want);
  if (want.fix !== undefined) expect(f.fix, `${f.checkId}/${want.messageKey}: the fix`).toBe(want.fix);
}

/** Each failing case: exactly these findings (by message key, any order), well formed. */
export function failTable(checkId: string, cases: FailCase[]): void {
  for (const c of cases) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, checkId);
      expect(found.map((f) => f.messageKey).sort()).toEqual(c.findings.map((f) => f.messageKey).sort());
      for (const want of c.findings) {
        expectFinding(found.find((x) => x.messageKey === want.messageKey)!, want);
      }
    });
  }
}

/** Replaces the first occurrence of an attribute value in the XML, then signs the assertion. */
export function withAttr(xml: string, element: string, attribute: string, value: string): string {
  const re = new RegExp(`(<(?:\\w+:)?${element}\\b[^>]*\\s${attribute}=")[^"]*(")`);
  expect(re.test(xml), `${element}/@${attribute} in the factory XML`).toBe(true);
  return sign(xml.replace(re, `$1${value}$2`));
}
