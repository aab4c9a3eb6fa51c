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
  if (imp.redacted) {
    return { analysis: analyze(input), notes: ['Signatures were not verified: this export was redacted, which changes the signed XML.'] };
  }
  try {
    const verifier = await loadVerifier();
    const r = await analyze(input, { verifier, ...(req.pins ? { pins: req.pins } : {}) });
    return { analysis: { messages: r.messages, flows: r.flows, findings: r.findings }, notes: [] };
  } catch (e) {
    return { analysis: analyze(input), notes: [`Signatures could not be verified: ${(e as Error)?.message ?? e}`] };
  }
}

