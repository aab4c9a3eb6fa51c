// What the user tells samlscope to expect (options page, CLI flags, config file, imported
// metadata). Below lib/flow, lib/signature and lib/checks, which all read it.
import type { CertificatePins } from '../signature/types.ts';

/** What the user told us to expect (options page, CLI flags, config file). All optional. */
export interface Expectations {
  /** Identity Center's SAML issuer URL (Entra's "Identifier (Entity ID)"). */
  spEntityId?: string;
  /** Identity Center's ACS URL (Entra's "Reply URL"). */
  acsUrl?: string;
  /** The Identity Center region, e.g. eu-west-1. */
  region?: string;
  /** The IdP issuer, e.g. https://sts.windows.net/<tenant-id>/. */
  idpEntityId?: string;
  /** The Identity Center user name the NameID must equal. */
  expectedUsername?: string;
  /** AccessControl tag keys that must arrive, e.g. ["Department", "CostCenter"]. */
  expectedAccessControlKeys?: string[];
  /** Tolerated clock difference in seconds (default 300). */
  clockSkewSeconds?: number;
  /** The AuthnRequest ID a response should answer, when the request is not captured. */
  requestId?: string;
  /** The AWS access portal URL users should land on (My Apps Sign-on URL checks). */
  portalUrl?: string;
  /**
   * Which claim of the assertion holds the Identity Center user name, when no expectedUsername is
   * given: the UPN (…/claims/name) or the mail (…/claims/emailaddress).
   */
  usernameSource?: 'upn' | 'mail';
  /**
   * The IdP signing certificates AWS IAM Identity Center holds (PEM or base64 DER): from the
   * options page, --idp-cert, or imported Entra federation metadata.
   */
  idpCertificates?: string[];
  /** Certificates pinned per Entra tenant when none is configured (first seen; lib/signature/pins.ts). */
  pinnedCertificates?: CertificatePins;
  /**
   * AccessControl keys learned from earlier accepted sign-ins, per Identity Center instance, used
   * when no expected keys are configured (lib/abac/learned.ts). analyze() adds to them as it goes.
   */
  learnedAccessControlKeys?: LearnedKeys;
  /** Where configured values came from, for evidence (default "configured"), e.g. "the Entra federation metadata (app.xml)". */
  sources?: Partial<Record<'spEntityId' | 'acsUrl' | 'idpEntityId' | 'idpCertificates', string>>;
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/** An AccessControl key learned from an accepted sign-in (lib/abac/learned.ts). */
export interface LearnedKey {
  /** The tag key, as it arrived (e.g. "CostCenter"). */
  key: string;
  /** When the sign-in that taught it happened (capture time, else its IssueInstant), ISO. */
  firstSeen: string;
  /** The captured message it was learned from. */
  messageId: string;
  /** The user of that sign-in (its NameID), to say which sign-in it was. */
  user?: string;
}

/** Learned keys per Identity Center instance (its SAML entity ID, the Audience). */
export type LearnedKeys = Record<string, LearnedKey[]>;
