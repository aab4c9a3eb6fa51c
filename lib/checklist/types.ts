// The go-live checklist's shapes: the integration card's test plan, each item ticked from the
// captured flows and linking to its evidence. Pure types.
import type { AnalysisResult } from '../analyze.ts';
import type { Expectations } from '../checks/types.ts';

/** pass: seen working · fail: seen failing · pending: not seen yet · not-applicable: not part of this setup. */
export type ChecklistStatus = 'pass' | 'fail' | 'pending' | 'not-applicable';

export const CHECKLIST_STATUSES: readonly ChecklistStatus[] = ['pass', 'fail', 'pending', 'not-applicable'];

/** The item ids are a contract: the UI, the export and the tests key on them. */
export const CHECKLIST_ITEM_IDS = ['idp-initiated', 'sp-initiated', 'attributes', 'mfa', 'unassigned-denied', 'certificate', 'scim-users'] as const;

export type ChecklistItemId = (typeof CHECKLIST_ITEM_IDS)[number];

/** What an item stands on: a flow and/or a message of the analysis, in words. */
export interface ChecklistEvidence {
  /** A Flow.id of the analysis: the UI links to it. */
  flowId?: string;
  /** An AnalyzedMessage.id of the analysis. */
  messageId?: string;
  text: string;
}

export interface ChecklistItem {
  id: ChecklistItemId;
  title: string;
  status: ChecklistStatus;
  /** One sentence: what was seen, or what to do to tick it. */
  detail: string;
  evidence: ChecklistEvidence[];
  /** FACTS.md ids the rule stands on. */
  facts: string[];
}

export interface Checklist {
  items: ChecklistItem[];
  /** The reference time the certificate was judged at, ISO 8601. */
  now: string;
  counts: Record<ChecklistStatus, number>;
}

/**
 * One "does this user exist in Identity Center?" answer, in a plain shape (the SCIM cross-check,
 * lib/scim/crosscheck.ts, gives them: scimLookupsFromCrossChecks in lib/checklist/scim.ts).
 */
export interface ScimUserLookup {
  /** The NameID that was looked up (Identity Center's user name filter, FACTS A1.3, C3.1). */
  nameId: string;
  /** A user with that user name exists. */
  found: boolean;
  /** The user name Identity Center holds (may differ in case from the NameID). */
  userName?: string;
  /** false: the user exists but is disabled. */
  active?: boolean;
  /** Set when Identity Center could not be asked: the answer is unknown. */
  error?: string;
}

export interface ScimChecklistInput {
  /** A SCIM endpoint (and token) is configured: without it the scim-users item is not-applicable. */
  configured: boolean;
  /** The lookups done so far (any order; the latest answer for a NameID wins). */
  lookups: ScimUserLookup[];
}

export interface ChecklistInput {
  analysis: AnalysisResult;
  expectations?: Expectations;
  /** Reference time for the certificate's days left (the export time, or now). */
  now: Date;
  /** SCIM lookups, when the SCIM page is set up. Absent: scim-users is not-applicable. */
  scim?: ScimChecklistInput;
}
