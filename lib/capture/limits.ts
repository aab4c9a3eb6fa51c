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

/**
 * What the browser lets an extension keep: chrome.storage.session holds 10 MB (QUOTA_BYTES), and
 * storage.local holds 10 MB too without the unlimitedStorage permission, which samlscope does
 * not ask for. A write past it fails and the capture is lost.
 */
export const STORAGE_AREA_QUOTA_BYTES = 10 * 1024 * 1024;

/**
 * The most retention may use: 80% of the quota, so that the JSON around the captures, the
 * notices and the size estimate's error never take a write past the quota. Eviction keeps the
 * captures under it, so the oldest sign-ins are removed (with a notice) before a write can fail.
 */
export const MAX_RETENTION_BYTES = 8 * 1024 * 1024;
