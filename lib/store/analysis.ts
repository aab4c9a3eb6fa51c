// The captures analysed in the page itself (the full view; the popup when the background's
// analysis is missing or stale): a module of its own, loaded with import(), so that the popup's
// first load does not carry the analysis core.
import { analyze, type AnalysisResult } from '../analyze.ts';
import type { CaptureState } from '../capture/state.ts';
import { toExpectations, type Settings } from '../settings.ts';
import type { CertificatePins } from '../signature/types.ts';
import { loadVerifier } from '../signature/load.ts';
import type { LearnedKeys } from '../abac/learned.ts';

/** The expectations of the settings, with the AccessControl keys learned so far (when kept). */
export function expectationsOf(s: Settings, learned?: LearnedKeys) {
  return { ...toExpectations(s), ...(learned ? { learnedAccessControlKeys: learned } : {}) };
}

const EMPTY_ANALYSIS: AnalysisResult = { messages: [], flows: [], findings: [] };

export function analyzeCaptures(c: CaptureState, s: Settings, analysisTime = new Date(), learned?: LearnedKeys): AnalysisResult {
  if (!c.messages.length && !c.pageErrors?.length) return EMPTY_ANALYSIS;
  return analyze({ messages: c.messages, steps: c.steps, pageErrors: c.pageErrors ?? [], expectations: expectationsOf(s, learned), analysisTime });
}

/**
 * The same analysis with signatures verified (WebCrypto) and the certificate checks that need
 * them. The verifier is loaded here, lazily: it is not part of the popup's first load.
 */
export async function analyzeCapturesWithSignatures(
  c: CaptureState,
  s: Settings,
  pins?: CertificatePins,
  analysisTime = new Date(),
  learned?: LearnedKeys,
): Promise<{ analysis: AnalysisResult; pins?: CertificatePins; pinsChanged: boolean }> {
  if (!c.messages.length && !c.pageErrors?.length) return { analysis: EMPTY_ANALYSIS, pinsChanged: false };
  const verifier = await loadVerifier();
  const r = await analyze(
    { messages: c.messages, steps: c.steps, pageErrors: c.pageErrors ?? [], expectations: expectationsOf(s, learned), analysisTime },
    { verifier, ...(pins ? { pins } : {}) },
  );
  // The verdicts ride along: a redacted export records them (lib/evidence/recorded.ts).
  const analysis: AnalysisResult & { verdicts: typeof r.verdicts } = {
    messages: r.messages,
    flows: r.flows,
    findings: r.findings,
    verdicts: r.verdicts,
    ...(r.learnedAccessControlKeys ? { learnedAccessControlKeys: r.learnedAccessControlKeys } : {}),
  };
  return { analysis, ...(r.pins ? { pins: r.pins } : {}), pinsChanged: r.newPins.length > 0 };
}
