// The shape of a check, in the spirit of ESLint rules: readable metadata, a message catalogue
// with {placeholders}, and one pure function. See DESIGN.md "A check".
import type { CapturedMessage, Evidence, Flow, Severity } from '../types.ts';
import type { AuthnRequestInfo, SamlKind, SamlMessage } from '../saml/model.ts';
import type { CertificatePin, CertificatePins, MessageVerdict } from '../signature/types.ts';
import type { LearnedKey, LearnedKeys } from '../abac/learned.ts';

/** The check ids are a contract: the CLI prints them and the UI keys on them. */
export const CHECK_IDS = [
  'decode-error',
  'required-attribute-missing',
  'request-not-identity-center',
  'status-not-success',
  'signature-missing',
  'assertion-unsigned',
  'signature-weak-algorithm',
  'signature-wrapping',
  'nameid-missing',
  'nameid-format',
  'nameid-mismatch',
  'nameid-guest',
  'nameid-comment',
  'audience-mismatch',
  'destination-mismatch',
  'recipient-mismatch',
  'in-response-to-mismatch',
  'conditions-expired',
  'conditions-not-yet-valid',
  'accesscontrol-missing',
  'accesscontrol-invalid',
  'encrypted-assertion',
  'issuer-mismatch',
  'iam-federation-mixup',
  'assertion-too-large',
  'signature-invalid',
  'signature-cert-mismatch',
  'certificate-expiring',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

// What the user expects lives in lib/domain/expectations.ts (lib/flow and lib/signature read it too).
import type { Expectations } from '../domain/expectations.ts';
export { DEFAULT_CLOCK_SKEW_SECONDS, type Expectations } from '../domain/expectations.ts';

/** An expected value and where it came from, so evidence can say why it is expected. */
export interface Expected<T = string> {
  value: T;
  /** "configured", "the AuthnRequest's Issuer", "the URL it was posted to", ... */
  source: string;
  /** True when the value came from the user, not inferred from the traffic. */
  configured: boolean;
}

export interface ResolvedExpectations {
  spEntityId?: Expected;
  acsUrl?: Expected;
  region?: Expected;
  idpEntityId?: Expected;
  username?: Expected;
  accessControlKeys?: Expected<string[]>;
  /** Keys learned from earlier accepted sign-ins of this message's instance (none configured). */
  learnedAccessControlKeys?: LearnedKey[];
  requestId?: Expected;
  clockSkewSeconds: number;
  /** Expected IdP signing certificates (base64 DER); configured, or pinned (configured: false). */
  idpCertificates?: Expected<string[]>;
  /** The pin behind idpCertificates when it was not configured. */
  certificatePin?: CertificatePin;
}

export interface CheckContext {
  messageId: string;
  message: SamlMessage;
  /** The decoded XML text. */
  xml: string;
  /** The AuthnRequest this message answers, when the flow has one. */
  request?: AuthnRequestInfo;
  flow?: Flow;
  capture: CapturedMessage;
  /** How the value was encoded and its sizes. */
  encoded: { binding: 'redirect' | 'post' | 'unknown'; base64Length: number; xmlLength: number };
  expect: ResolvedExpectations;
  /** The time validity windows are judged against. */
  now: Date;
  /** Where `now` came from, for evidence: "--now", "the AWS server's Date header", ... */
  nowSource: string;
  /**
   * What cryptographic verification found (lib/signature/verify.ts), when it ran. Absent on the
   * synchronous path: checks that need it then report nothing rather than guess.
   */
  signatures?: MessageVerdict;
}

export type TemplateData = Record<string, string | number>;

export interface ReportInput<K extends string> {
  message: K;
  data?: TemplateData;
  evidence: Evidence[];
  fix: string;
  /** Overrides the check's default severity for this finding. */
  severity?: Severity;
}

export type Report<K extends string> = (r: ReportInput<K>) => void;

export interface Check<K extends string = string> {
  id: CheckId;
  /** The default severity: error when AWS IAM Identity Center refuses the sign-in. */
  severity: Severity;
  title: string;
  /** Why it matters, in two sentences. */
  docs: string;
  /** FACTS.md entries (or other named sources) the rule stands on. */
  facts: string[];
  /** Message kinds the check reads. */
  appliesTo: SamlKind[];
  /** Message catalogue: key → template with {placeholders}. */
  messages: Record<K, string>;
  /**
   * A title per message variant (issue 12, "Words that never contradict"): a finding's title says
   * what its message says, so "InResponseTo cannot be checked" is never titled "does not answer
   * the AuthnRequest". Required for every message; test/checks/registry.test.ts holds them to it.
   */
  titles: Record<NoInfer<K>, string>;
  /**
   * Messages that name Entra on purpose for any identity provider (e.g. "this issuer does not
   * have the shape of an Entra issuer"): their title and message keep the word; see lib/domain/idp-words.ts.
   */
  namesEntra?: NoInfer<K>[];
  run(ctx: CheckContext, report: Report<K>): void;
}

/** Identity for type inference of the message keys. */
export function defineCheck<K extends string>(c: Check<K>): Check<K> {
  return c;
}

/** Renders a template; a placeholder without data is an error (the tests catch it). */
export function renderTemplate(template: string, data: TemplateData = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = data[k];
    if (v === undefined) throw new Error(`missing template value {${k}}`);
    return String(v);
  });
}
