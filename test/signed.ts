// The one analysis door with the signature verifier injected, as the CLI runs it: a shorthand
// for the tests (the signature checks read its verdicts).
import { analyze, type AnalyzeInput, type AnalyzeOptions, type SignedAnalysis } from '../lib/analyze.ts';
import { signatureVerifier } from '../lib/signature/verify.ts';

export type SignatureAnalysisOptions = Omit<AnalyzeOptions, 'verifier'>;

export function analyzeWithSignatures(input: AnalyzeInput, o: SignatureAnalysisOptions = {}): Promise<SignedAnalysis> {
  return analyze(input, { verifier: signatureVerifier, ...o });
}
