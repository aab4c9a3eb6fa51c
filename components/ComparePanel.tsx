// Compare two sign-ins: a known-good one and a failing one, captured or imported, side by side.
// The rows that differ are highlighted (and say how, in words); the identical ones fold away
// behind "Show N identical fields". The comparison is lib/compare; every value is a text node.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AnalysisResult } from '../lib/analyze.ts';
import { candidatesOf, compareCandidates, defaultPair, type CompareRow, type FlowCandidate } from '../lib/compare/index.ts';
import { groupRows } from '../lib/compare/report.ts';
import { diffParts } from '../lib/store/selectors.ts';
import { formatTime } from './FlowRow.tsx';

/** Where flows come from: the live capture, an imported file. */
export interface CompareSource {
  key: string;
  label: string;
  analysis: AnalysisResult;
}

interface Option {
  key: string;
  source: CompareSource;
  c: FlowCandidate;
  label: string;
  time?: string;
}

const CHANGE_TEXT: Record<CompareRow['change'], string> = {
  same: 'same',
  changed: 'differs',
  added: 'only in the failing one',
  removed: 'only in the known-good one',
};

const FLOW_TYPE: Record<string, string> = { 'sp-initiated': 'SP-initiated', 'idp-initiated': 'IdP-initiated', fragment: 'incomplete sign-in' };

/** "#3 · 15:47:02 UTC · SP-initiated · alex@contoso.com · 2 errors: audience-mismatch": told apart by number and problem. */
function optionLabel(c: FlowCandidate): string {
  const parts = [`#${c.number}`, formatTime(c.flow.startedAt ?? c.response.capture.time) || 'time unknown', c.flow.type === 'idp-initiated' && c.flow.fromMyApps ? 'IdP-initiated from My Apps' : FLOW_TYPE[c.flow.type] ?? c.flow.type];
  const nameId = c.response.summary?.nameId;
  if (nameId) parts.push(nameId);
  else if (!c.response.ok) parts.push('unreadable Response');
  if (c.response.kind === 'AuthnRequest') parts.push(`stopped at Entra${c.flow.errors?.[0]?.code ? ` (${c.flow.errors[0].code})` : ''}`);
  parts.push(c.errors ? `${c.errors} error${c.errors === 1 ? '' : 's'}${c.top ? `: ${c.top}` : ''}` : c.warnings && c.top ? `no errors, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}: ${c.top}` : 'no errors');
  return parts.join(' · ');
}

/** A value with the characters that differ from the other side marked (only for alike values). */
function Marked({ value, other, kind }: { value: string; other: string | undefined; kind: 'del' | 'add' }) {
  if (other === undefined || other === value) return <>{value === '' ? '(empty)' : value}</>;
  const d = kind === 'del' ? diffParts(value, other) : diffParts(other, value);
  const shared = d.prefix.length + d.suffix.length;
  if (shared < Math.min(value.length, other.length) * 0.4) return <>{value === '' ? '(empty)' : value}</>;
  const mid = kind === 'del' ? d.expectedMid : d.actualMid;
  return (
    <>
      {d.prefix}
      {mid ? <mark class={kind + (mid.trim() === '' ? ' ws' : '')}>{mid}</mark> : null}
      {d.suffix}
    </>
  );
}

function Value({ row, side }: { row: CompareRow; side: 'good' | 'bad' }) {
  const v = row[side];
  const other = side === 'good' ? row.bad : row.good;
  const list = row.values?.[side];
  const note = row.note?.[side];
  if (v === undefined) return <span class="cmp-absent">(absent)</span>;
  return (
    <>
      {list && list.length > 1 ? (
        <ul class="cmp-values" aria-label={`${list.length} values`}>
          {list.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      ) : (
        <span class="cmp-value">{row.change === 'changed' ? <Marked value={v} other={other} kind={side === 'good' ? 'del' : 'add'} /> : v === '' ? '(empty)' : v}</span>
      )}
      {note ? <div class="cmp-note">{note}</div> : null}
    </>
  );
}

function FieldName({ row }: { row: CompareRow }) {
  if (row.group !== 'attribute') return <>{row.field}</>;
  const short = row.field.replace(/^.*[/#:]/, '') || row.field;
  return (
    <>
      <span class="cmp-claim-short">{short}</span>
      {short !== row.field ? <span class="cmp-claim-full">{row.field}</span> : null}
    </>
  );
}

function Rows({ rows }: { rows: CompareRow[] }) {
  return (
    <>
      {groupRows(rows).map((g) => (
        <tbody key={g.group} data-group={g.group}>
          <tr class="cmp-group">
            <th scope="rowgroup" colSpan={3}>
              {g.label}
            </th>
          </tr>
          {g.rows.map((r, i) => (
            <tr key={`${g.group}:${r.field}:${i}`} class={`cmp-row change-${r.change}`} data-field={r.field} data-change={r.change}>
              <th scope="row">
                <FieldName row={r} />
                {r.change !== 'same' ? <span class={`cmp-change change-${r.change}`}>{CHANGE_TEXT[r.change]}</span> : null}
                {r.detail ? <div class="cmp-detail">{r.detail}</div> : null}
              </th>
              <td class="cmp-good">
                <Value row={r} side="good" />
              </td>
              <td class="cmp-bad">
                <Value row={r} side="bad" />
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </>
  );
}

function Table({ rows, caption }: { rows: CompareRow[]; caption: string }) {
  return (
    <div class="table-scroll">
      <table class="compare-table">
        <caption class="sr-only">{caption}</caption>
        <colgroup>
          <col class="cmp-col-field" />
          <col />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Known-good</th>
            <th scope="col">Failing</th>
          </tr>
        </thead>
        <Rows rows={rows} />
      </table>
    </div>
  );
}

export interface ComparePanelProps {
  sources: CompareSource[];
  onClose(): void;
}

export function ComparePanel({ sources, onClose }: ComparePanelProps) {
  const options: Option[] = useMemo(
    () =>
      sources.flatMap((s) =>
        candidatesOf(s.analysis).map((c) => {
          const time = c.flow.startedAt ?? c.response.capture.time;
          return { key: `${s.key}:${c.flow.id}`, source: s, c, label: optionLabel(c), ...(time ? { time } : {}) };
        }),
      ),
    [sources],
  );
  const defaults = useMemo(() => {
    const d = defaultPair(options.map((o) => ({ errors: o.c.errors, time: o.time, type: o.c.flow.type })));
    return { good: d.good !== undefined ? options[d.good]?.key : undefined, bad: d.bad !== undefined ? options[d.bad]?.key : undefined };
  }, [options]);
  const [choice, setChoice] = useState<{ good?: string; bad?: string }>({});
  const [showSame, setShowSame] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  // The keyboard starts in the panel: on the first picker, once there is something to pick
  // (the capture loads after the panel opens from fullview.html#compare).
  const ready = options.length >= 2;
  useEffect(() => {
    const active = document.activeElement;
    if (ready && (!active || active === document.body || active.closest('[data-action="open-compare"]'))) first.current?.focus();
  }, [ready]);

  const pick = (k: string | undefined) => options.find((o) => o.key === k);
  const good = pick(choice.good) ?? pick(defaults.good);
  const bad = pick(choice.bad) ?? pick(defaults.bad);
  const comparison = useMemo(() => (good && bad && good !== bad ? compareCandidates(good.c, bad.c) : undefined), [good, bad]);
  const diff = comparison?.rows.filter((r) => r.change !== 'same') ?? [];
  const same = comparison?.rows.filter((r) => r.change === 'same') ?? [];

  const picker = (side: 'good' | 'bad', label: string, current: Option | undefined) => (
    <label class="cmp-pick">
      <span>{label}</span>
      <select
        ref={side === 'good' ? first : undefined}
        name={`compare-${side}`}
        value={current?.key ?? ''}
        onChange={(e) => setChoice({ ...choice, good: good?.key, bad: bad?.key, [side]: (e.currentTarget as HTMLSelectElement).value })}
      >
        {sources.map((s) => {
          const opts = options.filter((o) => o.source === s);
          if (!opts.length) return null;
          return (
            <optgroup key={s.key} label={s.label}>
              {[...opts].reverse().map((o) => (
                <option key={o.key} value={o.key}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
    </label>
  );

  return (
    <section class="panel compare-panel" aria-label="Compare two sign-ins" role="dialog" aria-modal="false">
      <header class="panel-head">
        <h2>Compare two sign-ins</h2>
        <button type="button" class="btn" onClick={onClose} aria-label="Close the compare panel">
          Close
        </button>
      </header>
      {options.length < 2 ? (
        <div class="empty cmp-empty" data-empty="compare">
          <p>
            <strong>Comparing needs two sign-ins with a SAML Response{options.length === 1 ? '; there is one so far' : ''}.</strong>
          </p>
          <p>
            Sign in to AWS once the way that works (or ask a colleague for whom it works), then once the way that fails, with the extension enabled. Or import a HAR file, a SAML-tracer
            export, an evidence bundle or a pasted SAML Response of the working sign-in.
          </p>
        </div>
      ) : (
        <>
          <div class="cmp-pickers">
            {picker('good', 'Known-good sign-in', good)}
            <button
              type="button"
              class="btn cmp-swap"
              aria-label="Swap the known-good and the failing sign-in"
              title="Swap"
              onClick={() => setChoice({ good: bad?.key, bad: good?.key })}
            >
              ⇄
            </button>
            {picker('bad', 'Failing sign-in', bad)}
          </div>
          {good && bad && good === bad ? <div class="notice tone-info">The same sign-in is chosen on both sides: choose another one to compare.</div> : null}
          {good && bad && good !== bad && good.c.errors > 0 ? (
            <div class="notice tone-warning" role="note" data-note="known-good-fails">
              The known-good sign-in has {good.c.errors} error{good.c.errors === 1 ? '' : 's'} itself{good.c.top ? ` (${good.c.top})` : ''}: the differences below may not explain the failure.
              {options.some((o) => o.c.errors === 0) ? ' Choose one without errors as the known-good side.' : ' No captured sign-in is without errors: sign in once the way that works, or import a working one.'}
            </div>
          ) : null}
          {comparison?.error ? (
            <div class="notice tone-error" role="alert">
              {comparison.error}
            </div>
          ) : null}
          {comparison?.notes.map((n, i) => (
            <div key={i} class="notice tone-info" role="note">
              {n}
            </div>
          ))}
          {comparison && !comparison.error ? (
            <>
              <p class={`cmp-summary ${diff.length ? 'has-diff' : 'no-diff'}`} role="status" data-differences={diff.length}>
                {diff.length
                  ? `${diff.length} field${diff.length === 1 ? ' differs' : 's differ'}; ${same.length} ${same.length === 1 ? 'is' : 'are'} the same.`
                  : `No difference in the ${same.length} fields compared.`}
              </p>
              {diff.length ? <Table rows={diff} caption="Fields that differ" /> : null}
              {same.length ? (
                <div class="cmp-same">
                  <button type="button" class="btn" aria-expanded={showSame} aria-controls="cmp-same-table" data-action="toggle-same" onClick={() => setShowSame(!showSame)}>
                    {showSame ? `Hide the ${same.length} identical fields` : `Show ${same.length} identical fields`}
                  </button>
                  <div id="cmp-same-table" hidden={!showSame}>
                    {showSame ? <Table rows={same} caption="Fields that are the same" /> : null}
                  </div>
                </div>
              ) : null}
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
