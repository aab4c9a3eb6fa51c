// The go-live checklist as a section of the full view (Go-live checklist…, fullview.html#checklist):
// built from what is shown (the live capture or an imported file) and, when a SCIM endpoint and
// token are configured, from Identity Center's answer for each user who signed in.
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { AnalysisResult } from '../lib/analyze.ts';
import type { Expectations } from '../lib/checks/types.ts';
import { buildChecklist, judgeSignIn, scimLookupsFromCrossChecks, type ScimChecklistInput } from '../lib/checklist/index.ts';
import { connectScim } from '../lib/scim/settings.ts';
import { crossCheck, identityFromAnalysis, type CrossCheckResult } from '../lib/scim/crosscheck.ts';
import { Checklist } from './Checklist.tsx';
import { ScimPortContext } from './scimPort.ts';

/** At most this many users are looked up per run (each is one or two SCIM requests). */
const MAX_LOOKUPS = 20;

type ScimState = { phase: 'off' } | { phase: 'asking'; done: number; total: number } | { phase: 'done'; input: ScimChecklistInput; note?: string };

export function ChecklistPanel(p: {
  analysis: AnalysisResult;
  expectations: Expectations;
  onSelectFlow: (flowId: string) => void;
  onClose: () => void;
  /** Told what Identity Center said, so the Markdown export carries the same SCIM item. */
  onScim?: (s: ScimChecklistInput | undefined) => void;
}) {
  const port = useContext(ScimPortContext);
  const [scim, setScim] = useState<ScimState>({ phase: 'off' });
  const [nonce, setNonce] = useState(0);
  // The NameIDs of the sign-ins that worked: the users to look up (FACTS A1.3).
  const found = useMemo(() => {
    const seen = new Map<string, NonNullable<ReturnType<typeof identityFromAnalysis>>>();
    for (const f of p.analysis.flows) {
      if (judgeSignIn(f, p.analysis).result !== 'pass') continue;
      const id = identityFromAnalysis(p.analysis, f);
      if (id && !seen.has(id.nameId)) seen.set(id.nameId, id);
    }
    return [...seen.values()].slice(-MAX_LOOKUPS);
  }, [p.analysis]);
  // The lookups start again only when the users to look up change, not each time the analysis is
  // recomputed (a new capture elsewhere, a late signature verdict): a restart abandons the answers
  // already asked for, and a session that keeps capturing would never finish asking.
  const usersKey = found.map((i) => JSON.stringify(i)).join('\n');
  const idents = useMemo(() => found, [usersKey]);

  useEffect(() => {
    if (!port) return;
    let live = true;
    void (async () => {
      const conn = await connectScim(port);
      if (conn.state === 'off') return live && setScim({ phase: 'off' });
      if (conn.state !== 'ready') {
        const note =
          conn.state === 'bad-endpoint'
            ? `The SCIM endpoint is not usable: ${conn.message}`
            : 'The SCIM token is not set for this browser session: enter it on the SCIM page to check the users.';
        return live && setScim({ phase: 'done', input: { configured: true, lookups: [] }, note });
      }
      const results: CrossCheckResult[] = [];
      for (const [i, ident] of idents.entries()) {
        if (!live) return;
        setScim({ phase: 'asking', done: i, total: idents.length });
        results.push(await crossCheck(conn.client, ident));
      }
      const failed = results.find((r) => r.error);
      const note =
        failed?.error?.kind === 'network' && !(await port.hasPermission(conn.permission)) ? `samlscope may not reach ${conn.host} yet: allow it on the SCIM page.` : undefined;
      if (live) setScim({ phase: 'done', input: { configured: true, lookups: scimLookupsFromCrossChecks(results) }, ...(note ? { note } : {}) });
    })().catch((e: unknown) => live && setScim({ phase: 'done', input: { configured: true, lookups: [] }, note: `Identity Center could not be asked: ${(e as Error)?.message ?? String(e)}` }));
    return () => {
      live = false;
    };
  }, [port, idents, nonce]);

  useEffect(() => {
    if (scim.phase === 'done') p.onScim?.(scim.input);
  }, [scim]);

  const checklist = useMemo(
    () => buildChecklist({ analysis: p.analysis, expectations: p.expectations, now: new Date(), ...(scim.phase === 'done' ? { scim: scim.input } : {}) }),
    [p.analysis, p.expectations, scim],
  );
  return (
    <section class="panel checklist-panel" aria-label="Go-live checklist" role="dialog" aria-modal="false">
      <header class="panel-head">
        <h2>Go-live checklist</h2>
        {scim.phase !== 'off' ? (
          <button type="button" class="btn small" disabled={scim.phase === 'asking'} onClick={() => setNonce((n) => n + 1)}>
            Ask Identity Center again
          </button>
        ) : null}
        <button type="button" class="btn small" onClick={p.onClose} aria-label="Close the checklist">
          Close
        </button>
      </header>
      <p class="cl-lead">
        The test plan of the "AWS IAM Identity Center" enterprise app, ticked from the sign-ins shown here. Each item links to the sign-in it stands on. Run the
        missing tests with the extension on; the list updates as they are captured. It is part of the Markdown export of all sign-ins.
      </p>
      {scim.phase === 'asking' ? (
        <p class="notice tone-info" role="status">
          Asking Identity Center (SCIM) about the users who signed in: {scim.done} of {scim.total}…
        </p>
      ) : null}
      {scim.phase === 'done' && scim.note ? (
        <p class="notice tone-warning" role="note">
          {scim.note}
        </p>
      ) : null}
      <Checklist checklist={checklist} onSelectFlow={p.onSelectFlow} />
    </section>
  );
}
