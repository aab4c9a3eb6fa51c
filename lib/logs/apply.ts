// Sign-in logs added to an analysis that is already done (the full view's live capture, analysed
// with its signatures verified; an imported file): the records are joined to its attempts and the
// findings of what the pages showed (entra-error, aws-sign-in-error) are made again with them, so
// AWS's own record can confirm a cause. Every other finding stays exactly as it was. Pure.
import type { AnalysisResult } from '../analyze.ts';
import type { Expectations } from '../checks/types.ts';
import { errorFindings, ERROR_CHECK_IDS } from '../flow/error-findings.ts';
import { attemptFacts, joinSignInLogs } from '../flow/sign-in-logs.ts';
import type { Flow } from '../types.ts';
import type { SignInLogRecord } from './types.ts';

export function withSignInLogs(r: AnalysisResult, records: SignInLogRecord[], expectations?: Expectations): AnalysisResult {
  // Records joined before (an analysis that had logs) are joined again from scratch, with the new ones.
  const flows: Flow[] = r.flows.map(({ signInLogs: _old, ...f }) => ({ ...f }));
  const byId = new Map(r.messages.map((m) => [m.id, m]));
  const join = joinSignInLogs(flows, attemptFacts(flows, byId), records);
  for (const f of flows) {
    const list = join.byFlow.get(f.id);
    if (list?.length) f.signInLogs = list;
  }
  const ids = new Set<string>(ERROR_CHECK_IDS);
  const kept = r.findings.filter((f) => !ids.has(f.checkId));
  const ctx = { messages: byId, findings: kept, ...(expectations ? { expectations } : {}) };
  const shown = flows.flatMap((f) => errorFindings(f, ctx));
  return { ...r, flows, findings: [...shown, ...kept], ...(join.unmatched.length ? { unmatchedLogs: join.unmatched } : { unmatchedLogs: [] }) };
}
