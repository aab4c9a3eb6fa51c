// Sign-in logs the lab writes for its scenarios, in the formats the clouds export them (the shapes
// of the published samples in test/fixtures/signin-logs): CloudTrail sign-in events as
// `aws cloudtrail lookup-events` prints them (each event a JSON string in Events[].CloudTrailEvent)
// or as its `--query "Events[].CloudTrailEvent" --output text` form, and the Entra sign-in log as
// the admin center's CSV download (its published 56-column header) or a Graph page.
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../lib/scim/csv.ts';
import { LAB } from './factory.ts';

export interface CloudTrailSpec {
  time: Date;
  eventName?: string;
  user?: string;
  /** Failure with this errorMessage; absent: Success. */
  errorMessage?: string;
  region?: string;
  id: string;
}

/** One CloudTrail sign-in event, shaped like AWS's examples (ExternalIdPDirectoryLogin as recorded for a failure). */
export function cloudTrailEvent(s: CloudTrailSpec): Record<string, unknown> {
  const name = s.eventName ?? (s.errorMessage ? 'ExternalIdPDirectoryLogin' : 'UserAuthentication');
  const e: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: { type: 'Unknown', principalId: '111122223333', arn: '', accountId: '111122223333', accessKeyId: '' },
    eventTime: s.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'signin.amazonaws.com',
    eventName: name,
    awsRegion: s.region ?? LAB.region,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (lab)',
    requestParameters: null,
    additionalEventData: { AuthWorkflowID: `wf-${s.id}`, CredentialType: 'EXTERNAL_IDP', ...(s.user ? { UserName: s.user } : {}) },
    requestID: `req-${s.id}`,
    eventID: `evt-${s.id}`,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: '111122223333',
  };
  if (s.errorMessage) {
    e.errorMessage = s.errorMessage;
    e.responseElements = { [name]: 'Failure' };
  } else {
    e.responseElements = null;
    e.serviceEventDetails = { [name]: 'Success' };
  }
  return e;
}

/** `aws cloudtrail lookup-events` output (JSON): the event as a string inside each entry. */
export function lookupEventsOutput(events: Record<string, unknown>[]): string {
  return JSON.stringify(
    {
      Events: events.map((e) => ({
        EventId: e.eventID,
        EventName: e.eventName,
        ReadOnly: 'false',
        EventTime: e.eventTime,
        EventSource: e.eventSource,
        Username: (e.additionalEventData as { UserName?: string }).UserName,
        Resources: [],
        CloudTrailEvent: JSON.stringify(e),
      })),
    },
    null,
    4,
  );
}

/** The same with `--query "Events[].CloudTrailEvent" --output text`: the events, tab-separated. */
export function lookupEventsText(events: Record<string, unknown>[]): string {
  return events.map((e) => JSON.stringify(e)).join('\t') + '\n';
}

export interface EntraSpec {
  time: Date;
  user: string;
  correlationId: string;
  requestId: string;
  /** 0 for success. */
  errorCode: number;
  failureReason?: string;
  app?: string;
}

const HEADER = readFileSync(new URL('../fixtures/signin-logs/entra-interactive-signins-header.txt', import.meta.url), 'utf8').trim();

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The Entra admin center's sign-in log CSV download, with its published header. */
export function entraSignInCsv(rows: EntraSpec[]): string {
  const headers = parseCsv(HEADER).headers;
  const lines = [HEADER];
  for (const r of rows) {
    const v: Record<string, string> = {
      'Date (UTC)': r.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'Request ID': r.requestId,
      'Correlation ID': r.correlationId,
      User: r.user.split('@')[0]!,
      Username: r.user,
      Application: r.app ?? 'AWS IAM Identity Center',
      'Application ID': 'a5f8c1d2-3b4e-4f60-8a71-9c0d1e2f3a4b',
      Status: r.errorCode ? 'Failure' : 'Success',
      'Sign-in error code': String(r.errorCode),
      'Failure reason': r.failureReason ?? '',
      'Client app': 'Browser',
      'Authentication Protocol': 'SAML 2.0',
    };
    lines.push(headers.map((h) => csvField(v[h.trim()] ?? '')).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** GET /auditLogs/signIns as Graph returns it (v1.0 shape). */
export function graphSignIns(rows: EntraSpec[]): string {
  return JSON.stringify({
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns',
    value: rows.map((r) => ({
      id: r.requestId,
      createdDateTime: r.time.toISOString(),
      userDisplayName: r.user.split('@')[0],
      userPrincipalName: r.user,
      appDisplayName: r.app ?? 'AWS IAM Identity Center',
      correlationId: r.correlationId,
      isInteractive: true,
      status: { errorCode: r.errorCode, failureReason: r.errorCode ? r.failureReason ?? null : null, additionalDetails: null },
    })),
  });
}
