// Table-driven check tests: build messages with the lab factory, run the whole pipeline
// (decode → parse → flow → checks) as the extension and the CLI do, and keep one check's findings.
import { expect } from 'vitest';
import { analyze, type AnalyzeInput } from '../../lib/analyze.ts';
import type { Expectations } from '../../lib/checks/types.ts';
import type { CapturedMessage, Finding } from '../../lib/types.ts';
import { LAB, toPost, toRedirect } from '../lab/factory.ts';
import { analyzeWithSignatures, type SignatureAnalysisOptions } from '../../lib/signature/verify.ts';

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
