// The popup: the latest flow at a glance. Verdict, flow, findings (errors first), earlier flows,
// controls. Everything captured is rendered as text.
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../lib/store/index.ts';
import { attemptRowView, selectAttemptRow, selectDiagnosis, selectFlow, selectFlowFindings, selectFlowsNewestFirst, type AttemptRowView, type Verdict } from '../lib/store/selectors.ts';
import { ProblemCard, SymptomDetails, VerdictBlock } from './Diagnosis.tsx';
import { flowTypeLabel } from '../lib/report/common.ts';
import { useStoreState } from './useStore.ts';
import { useEffect, useState } from 'preact/hooks';
import { toExpectations } from '../lib/settings.ts';
import { FindingCard } from './FindingCard.tsx';
import { FlowRow, formatTime } from './FlowRow.tsx';
import { ScimPageButton } from './ScimPageButton.tsx';
import { lazyComponent } from './lazy.tsx';

// Loaded after the first paint (issue 13): the SCIM client and cross-check are not needed to
// show the verdict and the cards.
const ScimCrossCheck = lazyComponent(() => import('./ScimCrossCheck.tsx').then((m) => m.ScimCrossCheck), 'The SCIM cross-check');
import { VERSION } from '../lib/version.ts';
import { POLICY_TEXT } from '../lib/policy.ts';

const VERDICT_ICON: Record<Verdict['tone'], string> = { error: '✖', warning: '▲', ok: '✔', neutral: '○' };

const selectAll = (s: AppState) => s;

/** Earlier attempts listed in the popup; the rest are one click away in the full view. */
const EARLIER_SHOWN = 8;

/**
 * One line: how far the go-live checklist is, opening it in the full view. The background's
 * analysis carries the line; without it the checklist code loads after the first paint.
 */
function GoLiveLine({ s }: { s: AppState }) {
  const [computed, setComputed] = useState<string>();
  useEffect(() => {
    if (s.checklistSummary !== undefined) return;
    let live = true;
    void Promise.all([import('../lib/checklist/index.ts'), import('../lib/checklist/summary.ts')])
      .then(([{ buildChecklist }, { checklistSummary }]) => {
        if (live) setComputed(checklistSummary(buildChecklist({ analysis: s.analysis, expectations: toExpectations(s.settings), now: new Date() })));
      })
      .catch((e: unknown) => live && setComputed(`could not be computed (${(e as Error)?.message ?? String(e)})`));
    return () => {
      live = false;
    };
  }, [s.analysis, s.settings, s.checklistSummary]);
  const summary = s.checklistSummary ?? computed;
  return (
    <div class="golive">
      <button type="button" class="linkish" data-action="open-checklist" onClick={() => s.openFullView('checklist')}>
        Go-live checklist{summary ? `: ${summary}` : ''}
      </button>
    </div>
  );
}

/** The popup, or (variant 'panel') the side panel, which stays open while the user signs in. */
export function Popup({ store, variant = 'popup', onOpenSidePanel }: { store: StoreApi<AppState>; variant?: 'popup' | 'panel'; onOpenSidePanel?: (() => void) | undefined }) {
  const s = useStoreState(store, selectAll);
  const flows = selectFlowsNewestFirst(s.analysis);
  const latest = flows[0];
  const flow = selectFlow(s.analysis, s.selectedFlowId) ?? latest;
  // Every other attempt, newest first: the one shown is not listed again. Painted from the first
  // part of the background's analysis, the earlier attempts are rows until their part is read.
  const otherFlows = flows.filter((f) => f.id !== flow?.id);
  const others: AttemptRowView[] = otherFlows.length
    ? otherFlows.slice(0, EARLIER_SHOWN).map((f) => attemptRowView(s.analysis, f))
    : (s.earlierRows ?? []).filter((r) => r.flowId !== flow?.id).slice(0, EARLIER_SHOWN);
  const otherCount = otherFlows.length || others.length;
  // Painted from the background's analysis, which holds the newest attempts: the rest are counted.
  const hidden = Math.max(0, (s.flowTotal ?? flows.length) - (flow ? 1 : 0) - Math.min(otherCount, EARLIER_SHOWN));
  const d = selectDiagnosis(s.analysis, flow);
  const findings = selectFlowFindings(s.analysis, flow);
  const [top, ...rest] = d.problems;
  const row = flow ? selectAttemptRow(s.analysis, flow) : undefined;
  const notices = s.captures.notices.slice(-3).reverse();
  return (
    <div class={`popup-root${variant === 'panel' ? ' panel-root' : ''}`} data-variant={variant}>
      <div class="topbar">
        {/* The version under the name: the footer has no room left for it at 420 px (nor the side panel at 360 px). */}
        <div class="brand">
          <h1>samlscope</h1>
          <span class="version">v{VERSION}</span>
        </div>
        <span class="state" aria-live="polite">
          {s.captures.paused ? 'paused' : `${s.captures.messages.length} message${s.captures.messages.length === 1 ? '' : 's'}`}
        </span>
        <button type="button" class="btn" aria-pressed={s.captures.paused} onClick={() => void s.setPaused(!s.captures.paused)}>
          {s.captures.paused ? 'Resume' : 'Pause'}
        </button>
        <ClearButton count={s.captures.messages.length} disabled={!s.captures.messages.length && !s.captures.pageErrors?.length} onClear={() => void s.clear()} />
        <button type="button" class="btn" onClick={() => s.openOptions()} aria-label="Options">
          Options
        </button>
      </div>
      {s.error ? (
        <div class="notice tone-error" role="alert">
          {s.error}
        </div>
      ) : null}
      {s.loading ? <div class="loading" aria-busy="true">Loading…</div> : null}
      {!s.loading && flow && row ? (
        <>
          <VerdictBlock d={d} />
          <div class="attempt-line" data-flow-type={flow.type}>
            <span class="num">Sign-in #{row.number}</span> · {formatTime(flow.startedAt)} · <span class="type" title={flow.summary}>{flowTypeLabel(flow)}</span>
            {row.user ? (
              <>
                {' '}
                · <span class="user">{row.user}</span>
              </>
            ) : null}
          </div>
          <div class="findings" aria-label="Findings">
            {top ? <ProblemCard p={top} said={d.said?.text} /> : findings.length === 0 ? <div class="empty">No findings for this sign-in.</div> : null}
            {/* Everything else folds below the first screen, one click away. */}
            {rest.length ? (
              <details class="fold others">
                <summary>
                  {rest.length} other problem{rest.length === 1 ? '' : 's'}: {rest.map((p) => p.root.title).join(' · ')}
                </summary>
                {rest.map((p, i) => (
                  <ProblemCard key={`${p.root.checkId}-${i}`} p={p} said={d.said?.text} />
                ))}
              </details>
            ) : null}
            {d.symptom ? <SymptomDetails f={d.symptom} /> : null}
            {d.notes.length ? (
              <details class="fold notes">
                <summary>
                  {d.notes.length} note{d.notes.length === 1 ? '' : 's'}: {d.notes.map((f) => f.title).join(' · ')}
                </summary>
                {d.notes.map((f, i) => (
                  <FindingCard key={`${f.checkId}-${i}`} f={f} />
                ))}
              </details>
            ) : null}
          </div>
          <details class="fold hops">
            <summary>
              {flow.steps.length} HTTP step{flow.steps.length === 1 ? '' : 's'}
              {flow.tenantId ? ` · tenant ${flow.tenantId}` : ''}
            </summary>
            <FlowRow flow={flow} />
          </details>
          <ScimCrossCheck analysis={s.analysis} flow={flow} />
        </>
      ) : null}
      {!s.loading && !flow ? (
        <div class="empty">
          <p>
            <strong>No sign-in captured yet.</strong>
          </p>
          <ol>
            <li>Keep this extension enabled and sign in to AWS: from the AWS access portal (SP-initiated) or from the My Apps tile (IdP-initiated).</li>
            <li>{variant === 'panel' ? 'Each sign-in appears here as it happens: the verdict, the flow and every finding.' : 'Open this popup again: the verdict, the flow and every finding appear here.'}</li>
          </ol>
          <p>Set the expected AWS entity ID, ACS URL and AccessControl keys in Options for exact checks.</p>
        </div>
      ) : null}
      {others.length ? (
        <>
          <h2 class="section-title">{flow?.id === latest?.id ? 'Earlier sign-ins' : 'Other sign-ins'}</h2>
          {flow?.id !== latest?.id ? (
            <button type="button" class="linkish" data-action="show-latest" onClick={() => s.selectFlow(undefined)}>
              ← Back to the latest sign-in
            </button>
          ) : null}
          <ul class="flowlist">
            {others.map((r) => (
              <li key={r.flowId}>
                <button
                  type="button"
                  data-flow-id={r.flowId}
                  data-result={r.tone}
                  data-top-check={r.topCheckId ?? ''}
                  title={r.summary}
                  onClick={() => s.selectFlow(r.flowId)}
                >
                  <span class="num">#{r.number}</span>
                  <span class="when">{formatTime(r.startedAt)}</span>
                  <span class="kind">{r.kind}</span>
                  <span class="user">{r.user ?? ''}</span>
                  <span class={`top tone-${r.tone}`}>
                    <span class="icon" aria-hidden="true">
                      {VERDICT_ICON[r.tone]}
                    </span>{' '}
                    {r.topLabel}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {hidden ? (
            <button type="button" class="linkish more-signins" data-action="open-full-view" onClick={() => s.openFullView()}>
              {hidden} more sign-in{hidden === 1 ? '' : 's'}: open the full view
            </button>
          ) : null}
        </>
      ) : null}
      {notices.map((n) => (
        <div key={n.id} class={`notice tone-${n.kind === 'error' ? 'error' : n.kind === 'evicted' ? 'warning' : 'info'}`} role="note">
          {n.text}
        </div>
      ))}
      {flows.length ? <GoLiveLine s={s} /> : null}
      <div class="popup-footer">
        <button type="button" class="btn" data-action="open-full-view" onClick={() => s.openFullView()}>
          Open full view
        </button>
        <button type="button" class="btn" data-action="export-for-ticket" onClick={() => s.openFullView('export')} disabled={!flow || s.settings.disableExport} title={s.settings.disableExport ? POLICY_TEXT.exportDisabled : undefined}>
          Export for a ticket
        </button>
        <ScimPageButton />
        {onOpenSidePanel && variant === 'popup' ? (
          <button type="button" class="btn" data-action="open-side-panel" onClick={onOpenSidePanel} title="Keep samlscope open beside the page while you sign in">
            Side panel
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** How long "Clear all?" waits for the second click, ms. */
const CLEAR_CONFIRM_MS = 5000;

/**
 * Clear asks once: the first click turns it into "Clear all?", a second click within 5 s clears.
 * One click next to Pause once wiped a week of captures, with no way back.
 */
function ClearButton(p: { count: number; disabled: boolean; onClear: () => void }) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), CLEAR_CONFIRM_MS);
    return () => clearTimeout(t);
  }, [armed]);
  return (
    <button
      type="button"
      class={`btn${armed ? ' danger' : ''}`}
      disabled={p.disabled}
      aria-label={armed ? `Clear all ${p.count} captured message${p.count === 1 ? '' : 's'}: click again to confirm` : undefined}
      onClick={() => {
        if (!armed) return setArmed(true);
        setArmed(false);
        p.onClear();
      }}
      onBlur={() => setArmed(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && armed) {
          e.stopPropagation();
          setArmed(false);
        }
      }}
    >
      {armed ? 'Clear all?' : 'Clear'}
    </button>
  );
}
