// The shape of a SCIM rule: the same spirit as a SAML check (lib/checks/types.ts): readable
// metadata, a message catalogue with {placeholders}, and one pure function over a parsed payload.
// Findings use the same Finding shape, so the popup, the reports and the CLI render them alike.
import type { Evidence, Severity } from '../types.ts';
import type { TemplateData } from '../checks/types.ts';

/** The payload linter's rule ids: a contract (the CLI prints them, the UI keys on them). */
export const SCIM_RULE_IDS = [
  'scim-required-missing',
  'scim-multivalued',
  'scim-invalid-characters',
  'scim-too-long',
  'scim-empty-value',
  'scim-guest-username',
  'scim-reserved-name',
  'scim-unsupported-attribute',
  'scim-unsupported-operation',
  'scim-error',
] as const;

export type ScimRuleId = (typeof SCIM_RULE_IDS)[number];

/** The SAML ↔ SCIM cross-check's finding ids (lib/scim/crosscheck.ts): also a contract. */
export const SCIM_CROSSCHECK_IDS = ['scim-user-not-found', 'scim-user-inactive', 'scim-attribute-drift'] as const;
export type ScimCrossCheckId = (typeof SCIM_CROSSCHECK_IDS)[number];

/** What a pasted payload is. */
export type PayloadKind = 'User' | 'Group' | 'PatchOp' | 'Error' | 'ListResponse' | 'Unknown';

export type ScimResource = 'User' | 'Group';

/** An HTTP request or response line found before the JSON (e.g. pasted from a log). */
export interface HttpPreamble {
  method?: string;
  /** The request path, e.g. /d-123/scim/v2/Groups/abc. */
  path?: string;
  /** The response status, e.g. 400. */
  status?: number;
}

/** One payload, parsed (lib/scim/payload.ts). */
export interface ScimPayload {
  /** Our id for it: the file name, "pasted", "Resources[2]"... */
  id: string;
  kind: PayloadKind;
  /** For User and Group bodies, and for PATCH requests when it could be told. */
  resource?: ScimResource;
  /** How the resource was told: "its schemas", "the request path", "the attributes it changes", "--target". */
  resourceSource?: string;
  /** The parsed JSON object. */
  body: Record<string, unknown>;
  http?: HttpPreamble;
  /** JSON pointer prefix of the body inside the input ('' at top level, '/Resources/2' in a list). */
  pointer: string;
}

export interface ScimRuleContext {
  payload: ScimPayload;
}

export interface ScimReportInput<K extends string> {
  message: K;
  data?: TemplateData;
  evidence: Evidence[];
  fix: string;
  severity?: Severity;
}

export type ScimReport<K extends string> = (r: ScimReportInput<K>) => void;

export interface ScimRule<K extends string = string> {
  id: ScimRuleId;
  /** The default severity: error when Identity Center refuses the request (HTTP 400/409). */
  severity: Severity;
  title: string;
  /** Why it matters, in two sentences. */
  docs: string;
  /** FACTS.md entries the rule stands on. */
  facts: string[];
  /** Payload kinds the rule reads. */
  appliesTo: PayloadKind[];
  messages: Record<K, string>;
  run(ctx: ScimRuleContext, report: ScimReport<K>): void;
}

export function defineScimRule<K extends string>(r: ScimRule<K>): ScimRule<K> {
  return r;
}
