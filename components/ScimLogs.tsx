// Load Entra provisioning logs as downloaded (the JSON file, or the CSV download's three files):
// failures grouped by cause with the fix, each user's story in order, and what the logs cannot
// show. Read in the page; nothing is uploaded.
import { useState } from 'preact/hooks';
import { analyzeProvisioningLogs, readProvisioningLogs, type LogAnalysis, type ReadResult } from '../lib/scim/logs.ts';
import { logsVerdict } from '../lib/scim/report.ts';
import { CopyButton } from './CopyButton.tsx';

const MAX_TOTAL_BYTES = 200 * 1024 * 1024;
const SEV_ICON = { error: '✖', warning: '▲', info: 'ℹ' } as const;
const when = (t?: string) => (t ? t.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

export function ScimLogs() {
  const [state, setState] = useState<{ read: ReadResult; a: LogAnalysis; files: string[] } | { error: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [filter, setFilter] = useState('');

  async function load(list: FileList | File[] | null) {
    const files = [...(list ?? [])];
    if (!files.length) return;
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > MAX_TOTAL_BYTES) return setState({ error: `${Math.round(total / 1e6)} MB is more than samlscope reads at once (200 MB): download a shorter time range.` });
    setBusy(true);
    try {
      const texts = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
      // Let the "Reading…" state paint before the synchronous work.
      await new Promise((r) => setTimeout(r, 0));
      const read = readProvisioningLogs(texts);
      if (!read.ok) return setState({ error: read.errors.map((e) => `${e.file}: ${e.message}`).join(' · ') || 'No provisioning log records in these files.' });
      setState({ read, a: analyzeProvisioningLogs(read.records), files: files.map((f) => f.name) });
    } catch (e) {
      setState({ error: `Could not read the files: ${(e as Error)?.message ?? e}` });
    } finally {
      setBusy(false);
    }
  }

  const ok = state && 'a' in state ? state : undefined;
  const v = ok ? logsVerdict(ok.a) : undefined;
  const q = filter.trim().toLowerCase();
  const ids = ok ? ok.a.identities.filter((i) => !q || i.label.toLowerCase().includes(q) || (i.sourceId ?? '').toLowerCase().includes(q)) : [];
  return (
    <section class="scim-section" id="logs" aria-labelledby="logs-h">
      <h2 id="logs-h">Entra provisioning logs</h2>
      <p class="lead">
        Entra admin center → Identity → Monitoring &amp; health → Provisioning logs → Download: the JSON file, or all three CSV files (ProvisioningLogs, _ProvisioningSteps, _ModifiedProperties). Read here; nothing is uploaded.
      </p>
      <div
        class={`scim-drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void load(e.dataTransfer?.files ?? null);
        }}
      >
        <label>
          Drop the files here, or <input type="file" name="logs" multiple accept=".json,.csv,application/json,text/csv" onChange={(e) => void load((e.currentTarget as HTMLInputElement).files)} />
        </label>
      </div>
      {busy ? <p aria-busy="true">Reading…</p> : null}
      {state && 'error' in state ? (
        <p class="notice tone-error" role="alert">
          {state.error}
        </p>
      ) : null}
      {ok && v ? (
        <>
          <div class={`scim-verdict tone-${v.tone}`} role="status" data-tone={v.tone} data-scim-logs-verdict>
            {v.text}
          </div>
          <p class="hint">
            {ok.files.join(', ')} ({ok.read.format}): {when(ok.a.from)} → {when(ok.a.to)}, {ok.a.cycles} cycle(s);{' '}
            {Object.entries(ok.a.byStatus)
              .filter(([, n]) => n)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}
          </p>
          {[...ok.read.notes, ...ok.read.errors.map((e) => `${e.file}: ${e.message}`)].map((n, i) => (
            <p key={i} class="notice tone-info">
              {n}
            </p>
          ))}
          <h3>Causes</h3>
          <div class="scim-results">
            {ok.a.causes.length === 0 ? <p>None: every record succeeded.</p> : null}
            {ok.a.causes.map((c) => (
              <article key={c.key} class={`card sev-${c.severity} scim-cause`} data-cause={c.key}>
                <header>
                  <span class={`sev ${c.severity}`}>
                    <span aria-hidden="true">{SEV_ICON[c.severity]} </span>
                    {c.severity}
                  </span>
                  <code class="check-id">{c.key}</code>
                  <span class="count">{c.count} record(s)</span>
                  <span class="title">{c.title}</span>
                </header>
                <p>{c.explanation}</p>
                <p>
                  <strong>Affected:</strong> {c.identities.slice(0, 30).join(', ')}
                  {c.identities.length > 30 ? ` and ${c.identities.length - 30} more` : ''}
                </p>
                {c.details.length ? (
                  <ul>
                    {c.details.slice(0, 5).map((d) => (
                      <li key={d.text} class="detail">
                        {d.text}
                        {d.count > 1 ? ` ×${d.count}` : ''} <CopyButton value={d.text} label="Copy the detail" />
                      </li>
                    ))}
                  </ul>
                ) : null}
                <div class="fix">
                  <strong>Fix</strong>
                  <span class="fix-text">{c.fix}</span>
                </div>
              </article>
            ))}
          </div>
          <h3>Per user and group</h3>
          <div class="scim-row">
            <input type="search" placeholder="Filter by name or object id" value={filter} onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} aria-label="Filter users and groups" />
            <span class="hint">
              {ids.length} of {ok.a.identities.length}
            </span>
          </div>
          <ul class="scim-ids">
            {ids.slice(0, 500).map((i) => (
              <li key={i.key} data-identity={i.label}>
                <details open={i.worst === 'Failure' && ids.length <= 20}>
                  <summary>
                    <span class={`worst-${i.worst}`}>{i.label}</span> {i.type ? <span class="hint">({i.type})</span> : null} — {i.summary}
                  </summary>
                  <table class="scim-events">
                    <tbody>
                      {i.events.map((e, k) => (
                        <tr key={k}>
                          <td>
                            <code>{when(e.time)}</code>
                          </td>
                          <td>{e.action}</td>
                          <td class={`worst-${e.status}`}>{e.status}</td>
                          <td class="text">
                            {e.text}
                            {e.modified.length ? <span class="hint"> · changed: {e.modified.join(', ')}</span> : null}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </li>
            ))}
          </ul>
          <h3>What these logs cannot show</h3>
          <ul class="scim-limits">
            {ok.a.limits
              .filter((l) => l.relevant)
              .map((l) => (
                <li key={l.id}>{l.text}</li>
              ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
