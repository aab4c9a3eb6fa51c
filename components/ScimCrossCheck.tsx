// In the popup, beside the flow: when a SCIM endpoint and token are set, ask Identity Center about
// the flow's NameID and show scim-user-not-found / scim-user-inactive / scim-attribute-drift as
// cards. Asks once per sign-in (cached for the session a couple of minutes), backs off on 429 and
// says so. Renders nothing when SCIM is not configured.
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { AnalysisResult } from '../lib/analyze.ts';
import type { Flow } from '../lib/types.ts';
import { crossCheck, identityFromAnalysis, type CrossCheckResult } from '../lib/scim/crosscheck.ts';
import { connectScim, crossCheckKey, CROSSCHECK_TTL_MS } from '../lib/scim/settings.ts';
import { FindingCard } from './FindingCard.tsx';
import { ScimPortContext } from './scimPort.ts';

type State =
  | { phase: 'hidden' }
  | { phase: 'no-token'; host: string }
  | { phase: 'bad-endpoint'; message: string }
  | { phase: 'asking'; host: string }
  | { phase: 'no-permission'; host: string; permission: string }
  | { phase: 'done'; host: string; result: CrossCheckResult; at: string; cached: boolean };

export function ScimCrossCheck({ analysis, flow }: { analysis: AnalysisResult; flow: Flow | undefined }) {
  const port = useContext(ScimPortContext);
  const ident = useMemo(() => (flow ? identityFromAnalysis(analysis, flow) : undefined), [analysis, flow]);
  const [state, setState] = useState<State>({ phase: 'hidden' });
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!port || !ident) {
      setState({ phase: 'hidden' });
      return;
    }
    let live = true;
    const set = (s: State) => live && setState(s);
    void (async () => {
      const conn = await connectScim(port);
      if (conn.state === 'off' || !conn.settings.crossCheckInPopup) return set({ phase: 'hidden' });
      if (conn.state === 'bad-endpoint') return set({ phase: 'bad-endpoint', message: conn.message });
      const host = conn.host;
      if (conn.state === 'no-token') return set({ phase: 'no-token', host });
      const key = crossCheckKey(conn.endpoint, ident.messageId, ident.nameId);
      const cached = await port.readCrossCheck();
      if (nonce === 0 && cached?.key === key && Date.now() - Date.parse(cached.at) < CROSSCHECK_TTL_MS) {
        return set({ phase: 'done', host, result: cached.result, at: cached.at, cached: true });
      }
      set({ phase: 'asking', host });
      const result = await crossCheck(conn.client, ident);
      if (result.error?.kind === 'network' && !(await port.hasPermission(conn.permission))) {
        return set({ phase: 'no-permission', host, permission: conn.permission });
      }
      const at = new Date().toISOString();
      await port.writeCrossCheck({ key, at, result });
      set({ phase: 'done', host, result, at, cached: false });
    })().catch((e: unknown) => set({ phase: 'bad-endpoint', message: (e as Error)?.message ?? String(e) }));
    return () => {
      live = false;
    };
  }, [port, ident?.messageId, ident?.nameId, nonce]);

  if (state.phase === 'hidden' || !port || !ident) return null;
  const again = (
    <button type="button" class="btn small" onClick={() => setNonce((n) => n + 1)} disabled={state.phase === 'asking'}>
      Check again
    </button>
  );
  const page = (
    <button type="button" class="btn small" onClick={() => port.openScimPage()}>
      SCIM page
    </button>
  );
  return (
    <section class="scim-check" aria-label="Identity Center user check (SCIM)" data-scim-state={state.phase}>
      <header>
        <strong>Identity Center user</strong>
        <span class="scim-check-sub">
          NameID <code>{ident.nameId}</code>
          {'host' in state ? ` · ${state.host}` : ''}
        </span>
      </header>
      {state.phase === 'bad-endpoint' ? <p class="notice tone-error">{state.message}</p> : null}
      {state.phase === 'no-token' ? (
        <p class="notice tone-info">
          No SCIM access token in this browser session: enter it on the SCIM page to check this user in Identity Center. {page}
        </p>
      ) : null}
      {state.phase === 'asking' ? (
        <p class="notice tone-neutral" aria-busy="true">
          Asking Identity Center whether a user named <code>{ident.nameId}</code> exists…
        </p>
      ) : null}
      {state.phase === 'no-permission' ? (
        <p class="notice tone-warning">
          samlscope may not contact {state.host} yet: open the SCIM page and test the connection to allow it. {page}
        </p>
      ) : null}
      {state.phase === 'done' ? <Result r={state.result} /> : null}
      {state.phase === 'done' ? (
        <div class="scim-check-actions">
          <span class="scim-check-when">
            {state.cached ? 'answer from ' : 'asked at '}
            {new Date(state.at).toLocaleTimeString()}
          </span>
          {again}
          {page}
        </div>
      ) : null}
    </section>
  );
}

function Result({ r }: { r: CrossCheckResult }) {
  return (
    <>
      {r.events.map((e, i) => (
        <p key={i} class="notice tone-warning scim-event">
          {e.message}
        </p>
      ))}
      {r.error ? (
        <p class="notice tone-error" role="alert">
          Could not ask Identity Center: {r.error.message}
        </p>
      ) : null}
      {!r.error && r.user && !r.findings.some((f) => f.severity === 'error') ? (
        <p class="scim-ok tone-ok" data-scim-user={r.user.userName}>
          ✔ <code>{r.user.userName}</code> exists in Identity Center{r.user.active === false ? '' : ' and is active'}.
        </p>
      ) : null}
      <div class="scim-findings" aria-label="Identity Center findings">
        {r.findings.map((f, i) => (
          <FindingCard key={`${f.checkId}-${i}`} f={f} />
        ))}
      </div>
    </>
  );
}

/** The popup footer's way to the SCIM page (nothing without a SCIM port). */
// The footer's SCIM button (ScimPageButton) is in ./ScimPageButton.tsx, so the popup shows it without loading this file.
