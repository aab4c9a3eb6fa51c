// The full view: a timeline of sign-ins (search and filter by host, message type, severity), and
// for the chosen one its verdict, each HTTP step, the findings (the popup's cards) next to each
// message's summary and decoded XML, with the finding's element highlighted. Import and export
// for tickets. Keyboard: / search, ↑/↓ in the lists, Enter to choose, Esc closes a panel.
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ScimPortContext } from './scimPort.ts';
import type { StoreApi } from 'zustand/vanilla';
import type { AnalysisResult } from '../lib/analyze.ts';
import type { EvidenceInput } from '../lib/evidence/export.ts';
import type { SourceKind } from '../lib/evidence/bundle.ts';
import { urlHost } from '../lib/flow/hosts.ts';
import { toExpectations } from '../lib/settings.ts';
import { POLICY_TEXT } from '../lib/policy.ts';
import type { AppState } from '../lib/store/index.ts';
import type { FullViewState, Theme } from '../lib/store/fullview.ts';
import {
  findingByKey,
  findingKey,
  selectFilteredFlows,
  selectFlowCounts,
  selectHosts,
  selectKinds,
  selectShownFindings,
} from '../lib/store/fullview-selectors.ts';
import { selectAttemptRow, selectFlowMessages, selectVerdict, type Verdict } from '../lib/store/selectors.ts';
import { diagnose, type Problem } from '../lib/report/diagnosis.ts';
import { labeler } from '../lib/report/labels.ts';
import { ProblemCard, SymptomDetails, VerdictBlock } from './Diagnosis.tsx';
import type { Finding, Flow, FlowStep } from '../lib/types.ts';
import type { CompareSource } from './ComparePanel.tsx';
import { lazyComponent } from './lazy.tsx';
import { afterPaint } from './afterPaint.ts';
import { FindingCard } from './FindingCard.tsx';
import { formatTime } from './FlowRow.tsx';
import { ImportPanel, ImportProgressBar, type Importer } from './ImportPanel.tsx';
import { MessagePanel } from './MessagePanel.tsx';
import { FlowSignInLogs, SignInLogsBar, UnmatchedSignInLogs } from './SignInLogs.tsx';
import { withSignInLogs } from '../lib/logs/apply.ts';
import { useStoreState } from './useStore.ts';

// The panels load when first opened (issue 13): the page's first paint needs only the attempts.
// Export carries the redaction and every export format; compare, the checklist and SCIM their own.
const ExportPanel = lazyComponent(() => import('./ExportPanel.tsx').then((m) => m.ExportPanel), 'The export panel');
const ComparePanel = lazyComponent(() => import('./ComparePanel.tsx').then((m) => m.ComparePanel), 'The comparison');
const ChecklistPanel = lazyComponent(() => import('./ChecklistPanel.tsx').then((m) => m.ChecklistPanel), 'The go-live checklist');
const Scim = lazyComponent(() => import('./Scim.tsx').then((m) => m.Scim), 'The SCIM page');

const VERDICT_ICON: Record<Verdict['tone'], string> = { error: '✖', warning: '▲', ok: '✔', neutral: '○' };
const KIND_LABEL: Record<string, string> = { har: 'HAR file', 'saml-tracer': 'SAML-tracer export', bundle: 'evidence bundle', message: 'pasted message' };

const all = <S,>(s: S) => s;

/** What is shown: the live capture, or an imported file; with the input it was analysed from. */
interface Shown {
  analysis: AnalysisResult;
  input: EvidenceInput;
  source: { kind: SourceKind; names: string[] };
  notes: string[];
  label: string;
}

function stepTime(s: FlowStep): string {
  if (!s.time) return '';
  const d = new Date(s.time);
  return Number.isNaN(d.getTime()) ? s.time : d.toISOString().slice(11, 23);
}

/** The server's Date header as a time of day (the header in full on hover). */
function serverTime(d: string | undefined): string {
  if (!d) return '';
  const t = Date.parse(d);
  return Number.isNaN(t) ? d : new Date(t).toISOString().slice(11, 19);
}

function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+([^?#]*)/i.exec(url);
  return m ? m[1] || '/' : url;
}

function Steps({ flow, onMessage, label }: { flow: Flow; onMessage(id: string): void; label(id: string): string }) {
  return (
    <section class="fv-steps" aria-label="HTTP steps">
      <h2 class="section-title">HTTP steps ({flow.steps.length})</h2>
      <div class="table-scroll">
        <table class="steps-table">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Method</th>
              <th scope="col">Host and path</th>
              <th scope="col">Status</th>
              <th scope="col">Redirects to</th>
              <th scope="col">Server Date (UTC)</th>
              <th scope="col">SAML</th>
            </tr>
          </thead>
          <tbody>
            {flow.steps.map((s, i) => {
              const bad = s.status !== undefined && (s.status >= 400 || s.status === 0);
              return (
                <tr key={i} class={s.messageId ? 'saml' : ''}>
                  <td class="mono">{stepTime(s)}</td>
                  <td class="mono">{s.method}</td>
                  <td class="mono url" title={s.url}>
                    <span class="host">{urlHost(s.url) ?? ''}</span>
                    <span class="path">{pathOf(s.url)}</span>
                    {s.url.includes('?') ? <span class="query" title="query string (see the message)">?…</span> : null}
                    {s.note ? <div class="step-note">{s.note}</div> : null}
                  </td>
                  <td class={`mono${bad ? ' tone-text-error' : ''}`}>{s.status ?? '—'}</td>
                  <td class="mono url" title={s.redirectTo}>
                    {s.redirectTo ? `→ ${urlHost(s.redirectTo) ?? ''}${pathOf(s.redirectTo)}` : ''}
                  </td>
                  <td class="mono small" title={s.serverDate}>
                    {serverTime(s.serverDate)}
                  </td>
                  <td>
                    {s.messageId ? (
                      <button type="button" class="btn small" onClick={() => onMessage(s.messageId!)}>
                        {label(s.messageId)}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function listKeys(e: KeyboardEvent, count: number, index: number, go: (i: number) => void): void {
  let next = -1;
  if (e.key === 'ArrowDown') next = Math.min(count - 1, index + 1);
  else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = count - 1;
  if (next >= 0) {
    e.preventDefault();
    go(next);
  }
}

export interface FullViewProps {
  app: StoreApi<AppState>;
  view: StoreApi<FullViewState>;
  importer: Importer;
  version: string;
}

export function FullView({ app, view, importer, version }: FullViewProps) {
  const a = useStoreState(app, all);
  const v = useStoreState(view, all);
  const search = useRef<HTMLInputElement>(null);
  // With a SCIM endpoint configured, the checklist's SCIM item is "to test" (not "not applicable")
  // in an export made before the checklist asked Identity Center.
  // Asked once the first sign-in is painted: the SCIM settings' module and its reads would
  // otherwise load and compile (~25 ms here) between the page's start and its first card.
  const scimPort = useContext(ScimPortContext);
  const painted = !a.loading;
  useEffect(() => {
    if (!painted || !scimPort) return;
    let live = true;
    afterPaint(() => {
      if (!live) return;
      void scimPort
        .load()
        .then(({ settings }) => {
          if (settings.endpoint.trim() && !view.getState().checklistScim) view.getState().setChecklistScim({ configured: true, lookups: [] });
        })
        .catch(() => undefined);
    });
    return () => {
      live = false;
    };
  }, [scimPort, painted]);
  const findingsBox = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);

  const base: Shown = useMemo(() => {
    if (v.imported) {
      const i = v.imported;
      return {
        analysis: i.analysis,
        input: i.input,
        source: { kind: i.kind, names: i.kind === 'message' ? [] : [i.name] },
        notes: i.notes,
        // A message dropped as a file is a message file ("pasted message" is the pasted text's name).
        label: i.kind === 'message' && i.name === 'pasted message' ? 'Imported pasted message' : `Imported ${i.kind === 'message' ? 'message file' : (KIND_LABEL[i.kind] ?? i.kind)}: ${i.name}`,
      };
    }
    return {
      analysis: a.analysis,
      input: { messages: a.captures.messages, steps: a.captures.steps, pageErrors: a.captures.pageErrors ?? [], expectations: toExpectations(a.settings), analysisTime: new Date() },
      source: { kind: 'live', names: [] },
      notes: [],
      label: `Live capture · ${a.captures.messages.length} message${a.captures.messages.length === 1 ? '' : 's'}${a.captures.paused ? ' · paused' : ''}`,
    };
  }, [v.imported, a.analysis, a.captures, a.settings]);
  // Sign-in logs imported: joined to what is shown, and carried into the export.
  const shown: Shown = useMemo(() => {
    const logs = v.signInLogs;
    if (!logs?.records.length) return base;
    return { ...base, analysis: withSignInLogs(base.analysis, logs.records, base.input.expectations), input: { ...base.input, signInLogs: logs.records }, source: { ...base.source, names: [...base.source.names, ...logs.names] } };
  }, [base, v.signInLogs]);

  const analysis = shown.analysis;
  // Compare: the live capture's sign-ins, and the imported file's when one is open.
  const compareSources: CompareSource[] = useMemo(() => {
    const list: CompareSource[] = [{ key: 'live', label: 'Live capture', analysis: a.analysis }];
    if (v.imported) list.push({ key: 'imported', label: `Imported: ${v.imported.name}`, analysis: v.imported.analysis });
    return list;
  }, [a.analysis, v.imported]);
  const flows = useMemo(() => selectFilteredFlows(analysis, v.filters), [analysis, v.filters]);
  const flow = flows.find((f) => f.id === v.selectedFlowId) ?? flows[0];
  const hosts = useMemo(() => selectHosts(analysis), [analysis]);
  const kinds = useMemo(() => selectKinds(analysis), [analysis]);
  const findings = selectShownFindings(analysis, flow, v.filters);
  const messages = selectFlowMessages(analysis, flow);
  const verdict = selectVerdict(analysis, flow);
  const labels = useMemo(() => labeler(analysis), [analysis]);
  // One card per problem (its consequences inside it), then AWS's error when a check found its
  // cause, then notes; the severity filter keeps the cards of that severity.
  const cards = useMemo(() => {
    const d = diagnose(flow, findings, messages);
    const out: { f: Finding; p?: Problem; symptom?: boolean }[] = d.problems.map((p) => ({ f: p.root, p }));
    if (d.symptom) out.push({ f: d.symptom, symptom: true });
    out.push(...d.notes.map((f) => ({ f })));
    return out;
  }, [flow, findings, messages]);
  const problemCount = cards.filter((c) => c.p).length;
  const selectedFinding = findingByKey(analysis, v.selectedFindingKey);

  // Theme: auto follows the system; light and dark are remembered.
  useEffect(() => {
    if (v.theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = v.theme;
  }, [v.theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if (e.key === '/' && !typing) {
        e.preventDefault();
        search.current?.focus();
      } else if (e.key === 'Escape' && v.panel !== 'none') {
        view.getState().setPanel('none');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [v.panel]);

  // A panel closed (Esc, its Close button) with the focus in it: the focus goes back to the button
  // that opened it, not to <body> (found by a review: Esc on Import, Checklist and SCIM lost it).
  const shownPanel = useRef(v.panel);
  useEffect(() => {
    const was = shownPanel.current;
    shownPanel.current = v.panel;
    if (was === 'none' || v.panel !== 'none') return;
    const active = document.activeElement;
    if (!active || active === document.body) document.querySelector<HTMLElement>(`.fv-top [data-panel="${was}"]`)?.focus();
  }, [v.panel]);

  // A finding chosen from a pin: bring its card into view.
  useEffect(() => {
    if (!v.selectedFindingKey || !findingsBox.current) return;
    const k = v.selectedFindingKey;
    const el = [...findingsBox.current.querySelectorAll<HTMLElement>('[data-finding-key]')].find((x) => x.dataset.findingKey === k || (x.dataset.consequenceKeys ?? '').split(' ').includes(k));
    el?.scrollIntoView({ block: 'nearest' });
  }, [v.selectedFindingKey]);

  // The findings column sticks below the sticky verdict, whose height depends on its text (AWS's
  // or Entra's sentence beneath it, a long cause wrapping): measured, not assumed, so the first
  // card is never under the verdict (a fixed 86 px hid about 20 px of it when the page's sentence
  // was shown). The same offset stops focus scrolling there (scroll-padding-top).
  useEffect(() => {
    const verdict = document.querySelector<HTMLElement>('.fv-flow > .verdict');
    if (!verdict || typeof ResizeObserver === 'undefined') return;
    const set = () => document.documentElement.style.setProperty('--fv-sticky', `${Math.ceil(parseFloat(getComputedStyle(verdict).top) + verdict.getBoundingClientRect().height)}px`);
    set();
    const ro = new ResizeObserver(set);
    ro.observe(verdict);
    return () => ro.disconnect();
  }, [flow?.id]);

  const choose = (f: Finding) => view.getState().selectFinding(findingKey(f, analysis) === v.selectedFindingKey ? undefined : findingKey(f, analysis));
  const flowIndex = flow ? flows.indexOf(flow) : -1;
  const toMessage = (id: string) => document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'start' });

  return (
    <div
      class={`fv-root${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.target === e.currentTarget) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer?.files[0];
        if (f) importer.importFile(f);
      }}
    >
      <header class="topbar fv-top">
        <h1>samlscope</h1>
        <span class="fv-source" data-source={v.imported ? 'imported' : 'live'}>
          {shown.label}
        </span>
        {v.imported ? (
          <button type="button" class="btn" onClick={() => view.getState().showLive()}>
            Back to the live capture
          </button>
        ) : null}
        <span class="spacer" />
        <button type="button" class="btn" aria-pressed={v.panel === 'import'} data-panel="import" onClick={() => view.getState().setPanel(v.panel === 'import' ? 'none' : 'import')}>
          Import…
        </button>
        <button
          type="button"
          class="btn"
          aria-pressed={v.panel === 'export'}
          data-panel="export"
          disabled={!analysis.flows.length || a.settings.disableExport}
          title={a.settings.disableExport ? POLICY_TEXT.exportDisabled : undefined}
          onClick={() => view.getState().setPanel(v.panel === 'export' ? 'none' : 'export')}>
          Export for a ticket…
        </button>
        <button type="button" class="btn" aria-pressed={v.panel === 'compare'} data-action="open-compare" data-panel="compare" onClick={() => view.getState().setPanel(v.panel === 'compare' ? 'none' : 'compare')}>
          Compare…
        </button>
        <button type="button" class="btn" aria-pressed={v.panel === 'checklist'} data-action="open-checklist" data-panel="checklist" onClick={() => view.getState().setPanel(v.panel === 'checklist' ? 'none' : 'checklist')}>
          Go-live checklist…
        </button>
        <button type="button" class="btn" aria-pressed={v.panel === 'scim'} data-panel="scim" onClick={() => view.getState().setPanel(v.panel === 'scim' ? 'none' : 'scim')}>
          SCIM…
        </button>
        <label class="theme-pick">
          <span class="sr-only">Theme</span>
          <select value={v.theme} onChange={(e) => view.getState().setTheme((e.currentTarget as HTMLSelectElement).value as Theme)} aria-label="Theme">
            <option value="auto">Theme: system</option>
            <option value="light">Theme: light</option>
            <option value="dark">Theme: dark</option>
          </select>
        </label>
      </header>
      {v.importing ? <ImportProgressBar p={v.importing} /> : null}
      {v.importError ? (
        <div class="notice tone-error" role="alert">
          {v.importError}
        </div>
      ) : null}
      {a.error && !v.imported ? (
        <div class="notice tone-error" role="alert">
          {a.error}
        </div>
      ) : null}
      {shown.notes.map((n, i) => (
        <div key={i} class="notice tone-info" role="note">
          {n}
        </div>
      ))}
      {v.signInLogs ? <SignInLogsBar logs={v.signInLogs} unmatched={analysis.unmatchedLogs ?? []} onClear={() => view.getState().clearSignInLogs()} /> : null}
      {v.signInLogs ? <UnmatchedSignInLogs records={analysis.unmatchedLogs ?? []} /> : null}
      {v.panel === 'scim' ? <Scim embedded /> : null}
      {v.panel === 'checklist' ? (
        <ChecklistPanel
          analysis={analysis}
          expectations={shown.input.expectations}
          onSelectFlow={(id) => {
            view.getState().selectFlow(id);
            view.getState().setPanel('none');
          }}
          onClose={() => view.getState().setPanel('none')}
          onScim={(s) => view.getState().setChecklistScim(s)}
        />
      ) : null}
      {v.panel === 'compare' ? <ComparePanel sources={compareSources} onClose={() => view.getState().setPanel('none')} /> : null}
      {v.panel === 'import' ? <ImportPanel importer={importer} busy={!!v.importing} onClose={() => view.getState().setPanel('none')} /> : null}
      {v.panel === 'export' && a.settings.disableExport ? (
        <p class="notice tone-warning" role="alert" data-policy="export-disabled">
          {POLICY_TEXT.exportDisabled}
        </p>
      ) : null}
      {v.panel === 'export' && analysis.flows.length && !a.settings.disableExport ? (
        <ExportPanel
          settings={v.exportSettings}
          onChange={(s) => view.getState().setExportSettings(s)}
          onClose={() => view.getState().setPanel('none')}
          input={shown.input}
          analysis={analysis}
          flowId={flow?.id}
          source={shown.source}
          notes={shown.notes}
          version={version}
          redactionFloor={a.settings.redactionFloor}
          {...(v.checklistScim ? { checklistScim: v.checklistScim } : {})}
        />
      ) : null}
      <div class="fv-main">
        <nav class="fv-timeline" aria-label="Sign-ins">
          <div class="filters">
            <input
              ref={search}
              type="search"
              name="search"
              placeholder="Search ( / ): user, check id, host…"
              aria-label="Search sign-ins"
              value={v.filters.query}
              onInput={(e) => view.getState().setFilters({ query: (e.currentTarget as HTMLInputElement).value })}
            />
            <select aria-label="Filter by host" name="host" value={v.filters.host} onChange={(e) => view.getState().setFilters({ host: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">All hosts</option>
              {hosts.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
            <select aria-label="Filter by message type" name="kind" value={v.filters.kind} onChange={(e) => view.getState().setFilters({ kind: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">All message types</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <select
              aria-label="Filter by severity"
              name="severity"
              value={v.filters.severity}
              onChange={(e) => view.getState().setFilters({ severity: (e.currentTarget as HTMLSelectElement).value as FullViewState['filters']['severity'] })}
            >
              <option value="">All severities</option>
              <option value="error">Errors</option>
              <option value="warning">Warnings</option>
              <option value="info">Info</option>
            </select>
          </div>
          {flows.length ? (
            <ul class="flowlist fv-flowlist" role="listbox" aria-label="Sign-in flows">
              {flows.map((f, i) => {
                const c = selectFlowCounts(analysis, f);
                const rowOf = selectAttemptRow(analysis, f);
                const current = f === flow;
                return (
                  <li
                    key={f.id}
                    role="option"
                    aria-selected={current}
                    tabIndex={current ? 0 : -1}
                    data-flow-id={f.id}
                    class={current ? 'current' : ''}
                    onClick={() => view.getState().selectFlow(f.id)}
                    onKeyDown={(e) =>
                      listKeys(e, flows.length, i, (n) => {
                        view.getState().selectFlow(flows[n]!.id);
                        requestAnimationFrame(() => document.querySelector<HTMLElement>(`.fv-flowlist [data-flow-id="${CSS.escape(flows[n]!.id)}"]`)?.focus());
                      })
                    }
                  >
                    <span class={`badge-count ${c.error ? 'error' : c.warning ? 'warning' : 'ok'}`} aria-label={c.error ? `${c.error} errors` : c.warning ? `${c.warning} warnings` : 'no problems'}>
                      {c.error ? `${c.error} ✖` : c.warning ? `${c.warning} ▲` : '✔'}
                    </span>
                    <span class="when">
                      #{rowOf.number} · {formatTime(f.startedAt)}
                    </span>
                    {/* The top problem before the user: at the list's width the line is cut at its end,
                        and the user is what repeats from row to row. */}
                    <span class="who" data-top-check={rowOf.topCheckId ?? ''} title={`${rowOf.kind} · ${rowOf.topLabel}${rowOf.user ? ` · ${rowOf.user}` : ''}`}>
                      {rowOf.kind} · <span class={`top tone-${rowOf.tone}`}>{rowOf.topLabel}</span>
                      {rowOf.user ? ` · ${rowOf.user}` : ''}
                    </span>
                    <span class="sum">{f.summary}</span>
                  </li>
                );
              })}
            </ul>
          ) : (
            <div class="empty">{analysis.flows.length ? 'No sign-in matches the filters.' : 'Nothing captured yet.'}</div>
          )}
        </nav>
        {flow ? (
          <main class="fv-flow" aria-label="Sign-in" data-flow-id={flow.id} data-flow-type={flow.type}>
            <VerdictBlock d={verdict} />
            <div class="fv-flowfacts">
              <strong>{flow.summary}</strong>
              <span>{formatTime(flow.startedAt)}</span>
              {flow.tenantId ? <span>tenant {flow.tenantId}</span> : null}
              {flow.clockSkewSeconds !== undefined ? <span>server clock {flow.clockSkewSeconds >= 0 ? '+' : ''}{flow.clockSkewSeconds} s</span> : null}
            </div>
            <Steps flow={flow} onMessage={toMessage} label={labels.message} />
            <FlowSignInLogs records={flow.signInLogs} />
            <div class="fv-columns">
              <section class="fv-findings" aria-label="Findings" ref={findingsBox}>
                <h2 class="section-title">
                  {problemCount} problem{problemCount === 1 ? '' : 's'} · {findings.length} finding{findings.length === 1 ? '' : 's'}
                  {v.filters.severity ? ` · ${v.filters.severity} only` : ''}
                </h2>
                {findings.length === 0 ? <div class="empty">No findings for this sign-in.</div> : null}
                {cards.map((c, i) => {
                  const f = c.f;
                  const key = findingKey(f, analysis);
                  const sel = key === v.selectedFindingKey || (!!v.selectedFindingKey && c.p?.consequences.some((x) => findingKey(x, analysis) === v.selectedFindingKey));
                  const pointsIntoXml = f.evidence.some((e) => e.path?.startsWith('/'));
                  return (
                    <div
                      key={key}
                      class={`fv-finding${sel ? ' selected' : ''}`}
                      data-finding-key={key}
                      data-consequence-keys={c.p?.consequences.map((x) => findingKey(x, analysis)).join(' ')}
                      tabIndex={0}
                      aria-current={sel}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' && e.target === e.currentTarget) choose(f);
                        listKeys(e, cards.length, i, (n) =>
                          findingsBox.current?.querySelector<HTMLElement>(`[data-finding-key="${CSS.escape(findingKey(cards[n]!.f, analysis))}"]`)?.focus(),
                        );
                      }}
                    >
                      {c.p ? <ProblemCard p={c.p} open said={verdict.said?.text} /> : c.symptom ? <SymptomDetails f={f} open /> : <FindingCard f={f} />}
                      <div class="fv-finding-actions">
                        {pointsIntoXml ? (
                          <button type="button" class="btn small" data-action="show-in-xml" aria-pressed={sel} onClick={() => choose(f)}>
                            {sel ? 'Shown in the XML' : 'Show in the XML'}
                          </button>
                        ) : null}
                        {f.messageId ? <span class="fv-msgref">in {labels.message(f.messageId)}</span> : null}
                      </div>
                    </div>
                  );
                })}
              </section>
              <section class="fv-messages" aria-label="Messages" data-details={!v.imported && a.detailsLoading ? 'loading' : 'ready'}>
                <h2 class="section-title">Messages ({messages.length})</h2>
                {!v.imported && a.detailsLoading && messages.length ? (
                  <p class="loading">Decoding the messages of every sign-in…</p>
                ) : messages.length === 0 ? (
                  <p class="empty">
                    {flow.errors?.some((e) => e.source === 'entra')
                      ? 'No SAML message in this sign-in: Entra showed its error page before sending one. The finding and the HTTP steps say how it got there.'
                      : 'No SAML message in this sign-in.'}
                  </p>
                ) : null}
                {!v.imported && a.detailsLoading ? null : messages.map((m) => (
                  <MessagePanel
                    key={m.id}
                    m={m}
                    analysis={analysis}
                    findings={findings}
                    selectedFinding={selectedFinding?.messageId === m.id ? selectedFinding : undefined}
                    onPin={(k) => view.getState().selectFinding(k)}
                    toleranceSeconds={shown.input.expectations?.clockSkewSeconds}
                    signaturesChecked={v.imported ? !shown.notes.some((n) => /^Signatures (were not|could not)/.test(n)) : a.signatures === 'verified'}
                  />
                ))}
              </section>
            </div>
          </main>
        ) : (
          <main class="fv-flow empty">
            {a.loading && !v.imported ? (
              <p class="loading">Loading…</p>
            ) : (
              <>
                <p>
                  <strong>No sign-in to show.</strong>
                </p>
                <p>Sign in to AWS with the extension enabled, or import a HAR file, a SAML-tracer export, an evidence bundle or a pasted SAML message.</p>
                <button type="button" class="btn primary" onClick={() => view.getState().setPanel('import')}>
                  Import…
                </button>
              </>
            )}
          </main>
        )}
      </div>
      {dragging ? (
        <div class="drop-overlay" aria-hidden="true">
          Drop to import and analyse
        </div>
      ) : null}
      <span class="sr-only" aria-live="polite">
        {flowIndex >= 0 ? `Sign-in ${flowIndex + 1} of ${flows.length}: ${verdict.text}` : ''}
      </span>
    </div>
  );
}
