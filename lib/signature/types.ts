// What the signature verifier found, per message: pure data that the checks read through
// CheckContext.signatures. Types only, so importing them costs the popup nothing.

/** Why a Reference did not hold. */
export type ReferenceProblem =
  /** URI="#id" matches no element. */
  | 'unresolved'
  /** URI="#id" matches several elements: refused, it is how wrapping attacks work. */
  | 'ambiguous'
  /** Not a same-document reference (external URI, XPointer...). */
  | 'external'
  | 'unsupported-transform'
  | 'unsupported-digest'
  /** The digest of the element as it is now differs from DigestValue: it changed after signing. */
  | 'digest-mismatch';

export interface ReferenceVerdict {
  uri?: string;
  ok: boolean;
  problem?: ReferenceProblem;
  /** A sentence for the evidence when not ok. */
  detail?: string;
  /** Path of the element the Reference resolved to (same paths as the model). */
  signedPath?: string;
  signedLocal?: string;
  signedId?: string;
  digestMethod?: string;
  /** DigestValue as written in the message. */
  digestValue?: string;
  /** The digest computed over the element as received. */
  computedDigest?: string;
}

/** What failed, when a signature is not valid. */
export type SignatureProblem =
  /** A Reference's digest failed or did not resolve: the signed element was changed or cannot be found. */
  | 'reference'
  /** The SignatureValue does not verify over the canonical SignedInfo with any candidate key. */
  | 'signature-value'
  /** An algorithm WebCrypto does not have (DSA, SHA-224, XPath transforms...): not checked. */
  | 'unsupported-algorithm'
  /** No certificate in KeyInfo and none expected: nothing to verify with. */
  | 'no-key'
  /** No SignedInfo, no SignatureValue, no Reference. */
  | 'malformed';

export type SignatureStatus = 'valid' | 'invalid' | 'unverifiable';

export interface SignatureVerdict {
  /** Path of the ds:Signature (SignatureInfo.path). */
  path: string;
  /** Path of the element the ds:Signature sits in. */
  parentPath: string;
  status: SignatureStatus;
  /** Every problem found (a signature can have a changed element and a wrong key at once). */
  problems: SignatureProblem[];
  detail?: string;
  signatureMethod?: string;
  c14nMethod?: string;
  references: ReferenceVerdict[];
  /** Base64 DER of the certificate whose key verified the SignatureValue. */
  signingCertificate?: string;
  /** Where that certificate came from. */
  keySource?: 'keyinfo' | 'expected';
  /** Base64 DER of each ds:X509Certificate in KeyInfo. */
  keyInfoCertificates: string[];
  /**
   * Only in a verdict recorded by a redacted export (lib/evidence/recorded.ts): what the signing
   * certificate (else the first KeyInfo one) said, since the export may have masked it.
   */
  certificateInfo?: RecordedCertificateInfo;
}

/** The dates and names of a certificate, as a redacted export records them. */
export interface RecordedCertificateInfo {
  subject: string;
  issuer: string;
  /** ISO times. */
  notBefore?: string;
  notAfter?: string;
  /** Upper-case hex; "redacted" when the export masked certificates. */
  sha1: string;
  sha256: string;
  keyType: string;
  keySize?: number;
}

/** HTTP-Redirect binding: SigAlg and Signature over the raw query string (Bindings §3.4.4.1). */
export interface RedirectVerdict {
  status: SignatureStatus;
  problems: SignatureProblem[];
  detail?: string;
  sigAlg?: string;
  /** The octets that were verified: SAMLRequest=…&RelayState=…&SigAlg=… as received. */
  signedString?: string;
  signingCertificate?: string;
  keySource?: 'expected';
  /** Why the Signature parameter cannot be a signature at all: "empty", "not valid percent-encoding", "not base64". */
  malformed?: string;
}

export interface MessageVerdict {
  messageId: string;
  /** One per ds:Signature in the message, document order. */
  signatures: SignatureVerdict[];
  redirect?: RedirectVerdict;
}

/** Verdicts by message id. */
export type SignatureVerdicts = Record<string, MessageVerdict>;

/** The first certificate seen for an Entra tenant, kept when no certificate is configured. */
export interface CertificatePin {
  tenantId: string;
  /** Base64 DER. */
  certificate: string;
  sha1: string;
  /** ISO time of the message it was first seen in. */
  firstSeen: string;
  /** The message it was first seen in (within the analysis that pinned it). */
  messageId?: string;
}

/** Pins by tenant id. */
export type CertificatePins = Record<string, CertificatePin>;

/**
 * What the verifier reads of a capture (a CapturedMessage fits; declared here so that these types
 * need nothing from lib/types.ts, which imports them): the HTTP-Redirect signature parameters and
 * a verdict an export recorded.
 */
export interface VerifiableCapture {
  param?: 'SAMLRequest' | 'SAMLResponse' | undefined;
  rawQuery?: string | undefined;
  sigAlg?: string | undefined;
  signature?: string | undefined;
  recordedSignature?: { verdict: Omit<MessageVerdict, 'messageId'>; verifiedAt?: string | undefined } | undefined;
}

/** A message the analysis has read, as the verifier sees it (an AnalyzedMessage fits). */
export interface VerifiableMessage {
  id: string;
  ok: boolean;
  xml?: string | undefined;
  capture: VerifiableCapture;
}

/**
 * The cryptographic half of the analysis, injected into analyze() (lib/analyze.ts) so that the
 * analysis reads each message once and the verifier (WebCrypto, C14N) loads only where it runs:
 * lazily in the browser (lib/signature/load.ts), always in the CLI. lib/signature/verify.ts
 * implements it.
 */
export interface SignatureVerifier {
  /**
   * Verifies every readable message's signatures; never throws (a failure becomes an
   * unverifiable verdict). `documentOf` gives the tree the analysis already parsed, when it kept it.
   */
  verify(
    messages: readonly VerifiableMessage[],
    // documentOf: the XmlDocument (lib/saml/xml.ts) the analysis parsed; typed loosely so that
    // these declarations import nothing (lib/types.ts imports them).
    o: { certificates: string[]; documentOf?: (m: VerifiableMessage) => unknown },
  ): Promise<SignatureVerdicts>;
}
