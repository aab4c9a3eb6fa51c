// The analysis an import gets: the live view's (signatures verified), in the worker or, when no
// worker can start, on the page.
import { analyze, type AnalysisResult, type AnalyzeInput } from '../../lib/analyze.ts';
import type { ImportedInput } from '../../lib/evidence/import.ts';
import { loadVerifier } from '../../lib/signature/load.ts';
import type { ImportRequest } from './protocol.ts';

/**
 * The live view's analysis: with signatures verified. Not for redacted exports: redaction
 * rewrote the signed XML, so no signature can verify; those get the analysis without it.
 */
export async function analyseLikeLive(imp: ImportedInput, input: AnalyzeInput, req: ImportRequest): Promise<{ analysis: AnalysisResult; notes: string[] }> {
  // A redacted export carries the verdicts its original bytes gave (lib/evidence/recorded.ts):
  // analysed with those. One from before that (no recorded verdict) cannot be verified.
  const recorded = input.messages.some((m) => m.recordedSignature);
  if (imp.redacted && !recorded) {
    return { analysis: analyze(input), notes: ['Signatures were not verified: this export was redacted, which changes the signed XML, and it holds no recorded verdicts (exported by an older samlscope).'] };
  }
  try {
    const verifier = await loadVerifier();
    // Not against this browser's pinned certificates: a redacted export's certificates may be
    // masked, and the pins of the capture it came from travel in its verdicts.
    const r = await analyze(input, { verifier, pins: req.pins && !imp.redacted ? req.pins : {} });
    // The verdicts ride along: exporting this again records them (lib/evidence/recorded.ts).
    const analysis: AnalysisResult & { verdicts: typeof r.verdicts } = { messages: r.messages, flows: r.flows, findings: r.findings, verdicts: r.verdicts };
    return { analysis, notes: [] };
  } catch (e) {
    return { analysis: analyze(input), notes: [`Signatures could not be verified: ${(e as Error)?.message ?? e}`] };
  }
}

