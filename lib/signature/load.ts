// The signature verifier, loaded when it is needed: `analyze(input, { verifier: await loadVerifier() })`.
// A separate chunk in the extension, so the popup's first load does not carry C14N and WebCrypto code.
import type { SignatureVerifier } from './types.ts';

export async function loadVerifier(): Promise<SignatureVerifier> {
  return (await import('./verify.ts')).signatureVerifier;
}
