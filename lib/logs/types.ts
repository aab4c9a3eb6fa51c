// The sign-in log records of both clouds as samlscope reads them (lib/logs/signin.ts): types only,
// so lib/types.ts and the flow join can name them without importing the readers.

export type LogSource = 'entra' | 'cloudtrail';
export type LogFormat = 'entra-json' | 'entra-graph' | 'entra-csv' | 'entra-log-analytics' | 'cloudtrail-lookup' | 'cloudtrail-file' | 'cloudtrail-event' | 'cloudtrail-text';

export interface SignInLogRecord {
  /** Stable within one read: "<origin>#<n>". */
  id: string;
  source: LogSource;
  format: LogFormat;
  /** ISO 8601 UTC; absent when the event's time was unreadable (a redacted sample): joined by ids only. */
  time?: string;
  outcome: 'success' | 'failure' | 'unknown';
  /** Entra: the AADSTS code ("AADSTS50105"), none for success. CloudTrail: errorCode when AWS wrote one. */
  code?: string;
  /** Entra: failureReason. CloudTrail: errorMessage. */
  reason?: string;
  additionalDetails?: string;
  correlationId?: string;
  /** Entra: the sign-in's request id (Graph id / CSV "Request ID"). CloudTrail: requestID. */
  requestId?: string;
  app?: string;
  appId?: string;
  /** Entra: userPrincipalName. CloudTrail: additionalEventData.UserName or userIdentity.userName. */
  user?: string;
  userDisplayName?: string;
  /** CloudTrail. */
  eventName?: string;
  eventSource?: string;
  eventId?: string;
  region?: string;
  authWorkflowId?: string;
  credentialType?: string;
  ipAddress?: string;
  /** Where it was read: "signins.json[3]", "cloudtrail.json Events[0]". */
  origin: string;
}
