// One finding: severity, title, check id, message, evidence (expected vs actual with the
// differing characters marked), where it was read, and the fix. Captured values are text nodes.
import type { Evidence, Finding, LikelyCause } from '../lib/types.ts';
import { diffParts } from '../lib/store/selectors.ts';
import { CopyButton } from './CopyButton.tsx';
import { likelihoodLabel } from '../lib/report/common.ts';

const SEV_ICON = { error: '✖', warning: '▲', info: 'ℹ' } as const;

function Marked({ prefix, mid, suffix, kind }: { prefix: string; mid: string; suffix: string; kind: 'del' | 'add' }) {
  return (
    <>
      {prefix}
      {mid ? <mark class={kind + (mid.trim() === '' ? ' ws' : '')}>{mid}</mark> : null}
      {suffix}
    </>
  );
}

/** Marks differences only between values that are alike; a description vs a value is not diffed. */
function similarDiff(expected: string, actual: string) {
  if (expected === actual) return undefined;
  const d = diffParts(expected, actual);
  const shared = d.prefix.length + d.suffix.length;
  return shared >= Math.min(expected.length, actual.length) * 0.4 ? d : undefined;
}

export function EvidenceBlock({ e }: { e: Evidence }) {
  const d = e.expected !== undefined && e.actual !== undefined ? similarDiff(e.expected, e.actual) : undefined;
  return (
    <div class="ev">
      <div class="ev-label">{e.label}</div>
      {e.expected !== undefined ? (
        <div class="ev-row">
          <span class="k">expected</span>
          <span class="val">
            {d ? <Marked kind="del" prefix={d.prefix} mid={d.expectedMid} suffix={d.suffix} /> : e.expected || '(empty)'}
          </span>
          <CopyButton value={e.expected} label={`Copy expected ${e.label}`} />
          {e.source ? <span class="source">from {e.source}</span> : null}
        </div>
      ) : null}
      {e.actual !== undefined ? (
        <div class="ev-row">
          <span class="k">{e.expected !== undefined ? 'actual' : 'value'}</span>
          <span class="val">{d ? <Marked kind="add" prefix={d.prefix} mid={d.actualMid} suffix={d.suffix} /> : e.actual || '(empty)'}</span>
          <CopyButton value={e.actual} label={`Copy ${e.expected !== undefined ? 'actual ' : ''}${e.label}`} />
        </div>
      ) : null}
      {e.path ? <div class="ev-path">at {e.path}</div> : null}
    </div>
  );
}


function Cause({ c }: { c: LikelyCause }) {
  return (
    <li class={`cause lk-${c.likelihood}`} data-likelihood={c.likelihood}>
      <span class="lk">{likelihoodLabel(c)}</span> <span class="cause-text">{c.cause}</span>
      {c.checkId ? <code class="check-id">{c.checkId}</code> : null}
      <div class="basis">{c.basis}</div>
    </li>
  );
}

/** Causes ranked most likely first; the ruled-out ones fold away. */
export function CauseList({ causes }: { causes: LikelyCause[] }) {
  const open = causes.filter((c) => c.likelihood !== 'ruled-out');
  const out = causes.filter((c) => c.likelihood === 'ruled-out');
  return (
    <div class="causes" aria-label="Likely causes">
      <strong>Likely causes, most likely first</strong>
      <ol>
        {open.map((c, i) => (
          <Cause key={i} c={c} />
        ))}
      </ol>
      {out.length ? (
        <details class="ruled-out">
          <summary>{out.length} ruled out by the capture</summary>
          <ul>
            {out.map((c, i) => (
              <Cause key={i} c={c} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function FindingCard({ f }: { f: Finding }) {
  return (
    <article class={`card sev-${f.severity}`} data-check-id={f.checkId} data-severity={f.severity} aria-label={`${f.severity}: ${f.title}`}>
      <header>
        <span class={`sev ${f.severity}`}>
          <span aria-hidden="true">{SEV_ICON[f.severity]} </span>
          {f.severity}
        </span>
        <code class="check-id">{f.checkId}</code>
        <span class="title">{f.title}</span>
      </header>
      <p class="message">{f.message}</p>
      {f.causes?.length ? <CauseList causes={f.causes} /> : null}
      {/* The cause and the fix first, at a glance; then the evidence that shows it. */}
      <div class="fix">
        <strong>Fix</strong>
        <span class="fix-text">{f.fix}</span>
      </div>
      {f.evidence.map((e, i) => (
        <EvidenceBlock key={i} e={e} />
      ))}
    </article>
  );
}
