// Benchmark of the sign-in log readers and the join (issue 16): a busy tenant's download is
// large. `npm run bench:logs` prints one line per case and exits non-zero when a target is missed.
//
//   Entra sign-in CSV, 100,000 rows (56 columns, 20 MB): read ≤ 6 s (the CSV tokenizer is
//   about half of it: lib/scim/csv.ts reads character by character)
//   CloudTrail lookup-events JSON, 20,000 events: read ≤ 2 s
//   join of those 120,000 records to 60 attempts (analysis already made): ≤ 2 s
import { readSignInLog } from '../lib/logs/signin.ts';
import { withSignInLogs } from '../lib/logs/apply.ts';
import { analyze } from '../lib/analyze.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from '../test/lab/factory.ts';
import { cloudTrailEvent, entraSignInCsv, lookupEventsOutput } from '../test/lab/logs.ts';
import type { CapturedMessage } from '../lib/types.ts';

const t0 = Date.now() - 3600_000;
const at = (s: number) => new Date(t0 + s * 1000);
const results: { name: string; ms: number; target: number }[] = [];
const time = <T>(name: string, target: number, f: () => T): T => {
  const s = performance.now();
  const v = f();
  results.push({ name, ms: Math.round(performance.now() - s), target });
  return v;
};

const users = Array.from({ length: 500 }, (_, i) => `user${i}@contoso.com`);
const csv = entraSignInCsv(Array.from({ length: 100_000 }, (_, i) => ({ time: at(i * 0.03), user: users[i % users.length]!, correlationId: `c-${i}`, requestId: `r-${i}`, errorCode: i % 7 ? 0 : 50105, failureReason: 'not assigned', app: i % 3 ? 'Office 365 Exchange Online' : 'AWS IAM Identity Center' })));
const ct = lookupEventsOutput(Array.from({ length: 20_000 }, (_, i) => cloudTrailEvent({ time: at(i * 0.15), user: users[i % users.length]!, id: String(i), ...(i % 5 ? {} : { errorMessage: 'Not a valid response for the provided request id: x' }) })));
const entra = time('Entra sign-in CSV, 100,000 rows', 6000, () => readSignInLog(csv, 'signins.csv'));
const trail = time('CloudTrail lookup-events, 20,000 events', 2000, () => readSignInLog(ct, 'cloudtrail.json'));
if (!entra.ok || !trail.ok) throw new Error('the bench inputs did not read');

// 60 attempts, one a minute, each a request and its response for one of the users.
const messages: CapturedMessage[] = [];
for (let i = 0; i < 60; i++) {
  const id = samlId();
  messages.push({ id: `m${i}a`, raw: toRedirect(makeAuthnRequest({ id, issueInstant: at(i * 60) })), param: 'SAMLRequest', url: LAB.ssoUrl, time: at(i * 60).toISOString(), seq: 2 * i });
  messages.push({ id: `m${i}b`, raw: toPost(signedResponse({ inResponseTo: id, issueInstant: at(i * 60 + 1), nameId: users[i]! })), param: 'SAMLResponse', url: LAB.acsUrl, time: at(i * 60 + 2).toISOString(), seq: 2 * i + 1 });
}
const base = analyze({ messages, analysisTime: at(4000) });
const joined = time('join 120,000 records to 60 attempts', 2000, () => withSignInLogs(base, [...entra.records, ...trail.records]));
const withLogs = joined.flows.filter((f) => f.signInLogs?.length).length;

let failed = false;
for (const r of results) {
  const ok = r.ms <= r.target;
  if (!ok) failed = true;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${r.name.padEnd(44)} ${String(r.ms).padStart(6)} ms  (target ≤ ${r.target} ms)`);
}
console.log(`     ${withLogs} of ${joined.flows.length} attempts got records; ${joined.unmatchedLogs?.length ?? 0} records fit none`);
process.exit(failed ? 1 : 0);
