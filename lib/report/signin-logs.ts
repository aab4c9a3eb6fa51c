// The sign-in log records of an attempt (Entra sign-in log, CloudTrail sign-in events), and the
// records that fit no captured attempt, for the text and Markdown reports. One line per record:
// which log, outcome, the code and words the service wrote, time, user, ids.
import type { SignInLogRecord } from '../logs/signin.ts';
import { describeRecord } from '../logs/cloudtrail-causes.ts';

/** "Entra sign-in log: Failure AADSTS50105 — "…" at … for … to …" plus the ids a ticket needs. */
export function recordLine(r: SignInLogRecord): string {
  const ids: string[] = [];
  if (r.correlationId) ids.push(`Correlation Id ${r.correlationId}`);
  if (r.source === 'entra' && r.requestId) ids.push(`Request Id ${r.requestId}`);
  if (r.source === 'cloudtrail' && r.eventId) ids.push(`event ${r.eventId}`);
  return `${describeRecord(r)}${ids.length ? ` · ${ids.join(' · ')}` : ''} [${r.origin}]`;
}

export function unmatchedSummary(list: SignInLogRecord[]): string {
  const entra = list.filter((r) => r.source === 'entra').length;
  const ct = list.length - entra;
  const parts = [entra ? `${entra} Entra sign-in log record${entra === 1 ? '' : 's'}` : '', ct ? `${ct} CloudTrail event${ct === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${parts.join(' and ')} fit no captured sign-in (another user, app or time, or a sign-in not in this capture)`;
}

/** At most this many unmatched records are listed one by one; the rest are counted. */
export const UNMATCHED_SHOWN = 20;
