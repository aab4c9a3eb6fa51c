// Retention limits, apart from the capture logic so that the options page can read them
// without loading the analysis core.

export interface RetentionLimits {
  maxMessages: number;
  /** Approximate stored size, in bytes. */
  maxBytes: number;
  /** Non-SAML steps kept at most. */
  maxSteps: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { maxMessages: 500, maxBytes: 8 * 1024 * 1024, maxSteps: 2000 };
