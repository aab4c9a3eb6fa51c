// Sign-in logs imported into the full view (Entra sign-in log, CloudTrail sign-in events): a bar
// that says which files are joined to what is shown, with how many records fit no captured
// sign-in; for the chosen sign-in, its own records; and the records that fit none, listed so that
// nothing imported is lost. Text is selectable; the ids are copyable.
import type { SignInLogRecord } from '../lib/logs/signin.ts';
import type { ImportedSignInLogs } from '../lib/store/fullview.ts';
import { CopyButton } from './CopyButton.tsx';
import './signin-logs.css';

const SOURCE: Record<SignInLogRecord['source'], string> = { entra: 'Entra sign-in log', cloudtrail: 'CloudTrail' };

function outcomeText(r: SignInLogRecord): string {
  if (r.outcome === 'success') return 'Success';
  if (r.outcome === 'failure') return `Failure${r.code ? ` ${r.code}` : ''}`;
  return 'outcome not recorded';
}

export function SignInLogTable({ records, caption }: { records: SignInLogRecord[]; caption: string }) {
  return (
    <table class="signin-logs" data-testid="signin-logs">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Log</th>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Outcome</th>
          <th scope="col">What it says</th>
          <th scope="col">User</th>
          <th scope="col">Ids</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.id} data-outcome={r.outcome} data-source={r.source}>
            <td>
              {SOURCE[r.source]}
              {r.eventName ? <code> {r.eventName}</code> : null}
              <div class="muted">{r.origin}</div>
            </td>
            <td>
              <code>{r.time ? r.time.replace(/\.000Z$/, 'Z') : '(unreadable)'}</code>
            </td>
            <td class={`outcome tone-${r.outcome === 'failure' ? 'error' : r.outcome === 'success' ? 'ok' : 'neutral'}`}>
              <span aria-hidden="true">{r.outcome === 'failure' ? '✖ ' : r.outcome === 'success' ? '✔ ' : '○ '}</span>
              {outcomeText(r)}
            </td>
            <td>{r.reason ?? (r.outcome === 'success' ? '' : '(no message recorded)')}{r.additionalDetails ? <div class="muted">{r.additionalDetails}</div> : null}</td>
            <td>
              {r.user ?? ''}
              {r.app ? <div class="muted">{r.app}</div> : null}
              {r.region ? <div class="muted">{r.region}</div> : null}
            </td>
            <td>
              {r.correlationId ? (
                <div>
                  Correlation <code>{r.correlationId}</code> <CopyButton value={r.correlationId} label="Copy the Correlation Id" />
                </div>
              ) : null}
              {r.requestId ? (
                <div>
                  Request <code>{r.requestId}</code>
                </div>
              ) : null}
              {r.eventId ? (
                <div>
                  Event <code>{r.eventId}</code>
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The bar under the top bar: which logs are joined, and a way to remove them. */
export function SignInLogsBar({ logs, unmatched, onClear }: { logs: ImportedSignInLogs; unmatched: SignInLogRecord[]; onClear(): void }) {
  const entra = logs.records.filter((r) => r.source === 'entra').length;
  const ct = logs.records.length - entra;
  const joined = logs.records.length - unmatched.length;
  return (
    <div class="notice tone-info signin-logs-bar" role="note" data-testid="signin-logs-bar">
      <span>
        Sign-in logs joined to the sign-ins shown: <strong>{logs.names.join(', ')}</strong> ({[entra ? `${entra} Entra record${entra === 1 ? '' : 's'}` : '', ct ? `${ct} CloudTrail event${ct === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')}
        ); {joined} joined to a captured sign-in, {unmatched.length} not.
      </span>{' '}
      <button type="button" class="btn small" onClick={onClear}>
        Remove the logs
      </button>
      {logs.notes.length ? (
        <ul class="muted">
          {logs.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The chosen sign-in's own records. */
export function FlowSignInLogs({ records }: { records: SignInLogRecord[] | undefined }) {
  if (!records?.length) return null;
  return (
    <section class="fv-signin-logs" aria-label="Sign-in logs of this sign-in">
      <h2 class="section-title">Sign-in logs ({records.length})</h2>
      <SignInLogTable records={records} caption="What Entra and AWS recorded for this sign-in" />
    </section>
  );
}

/** Records that fit no captured sign-in: shown, never dropped. */
export function UnmatchedSignInLogs({ records }: { records: SignInLogRecord[] }) {
  if (!records.length) return null;
  return (
    <details class="fv-signin-logs unmatched" data-testid="signin-logs-unmatched">
      <summary>
        {records.length} sign-in log record{records.length === 1 ? '' : 's'} fit no captured sign-in (another user, app or time, or a sign-in not in this capture)
      </summary>
      <SignInLogTable records={records.slice(0, 500)} caption={records.length > 500 ? `The first 500 of ${records.length}` : 'Not joined'} />
    </details>
  );
}
