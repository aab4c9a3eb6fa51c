// The verdict and the problems of one attempt (lib/report/diagnosis.ts): the verdict names the
// cause, the page's own sentence sits beneath it; each problem shows its key evidence and the
// first line of its one fix, with the rest one click away. Captured values are text nodes.
import type { Diagnosis, Problem } from '../lib/report/diagnosis.ts';
import { keyEvidence, splitFix } from '../lib/report/diagnosis.ts';
import type { Finding } from '../lib/types.ts';
import { CauseList, EvidenceBlock } from './FindingCard.tsx';
import './diagnosis.css';
import { useState } from 'preact/hooks';

const TONE_ICON = { error: '✖', warning: '▲', ok: '✔', neutral: '○' } as const;
const SEV_ICON = { error: '✖', warning: '▲', info: 'ℹ' } as const;

/** The page's own sentence; a long one (Entra's AADSTS text) shows its start, the rest one click away. */
function Said({ by, text }: { by: string; text: string }) {
  const [all, setAll] = useState(false);
  const cut = text.length > 150 && !all ? text.slice(0, 130).replace(/\s+\S*$/, '') : undefined;
  return (
    <span class="verdict-said">
      {by} showed: <q class="said-text">{cut ? `${cut}…` : text}</q>
      {cut ? (
        <button type="button" class="linkish said-more" onClick={() => setAll(true)} aria-label={`Show all of what ${by} showed`}>
          show all
        </button>
      ) : null}
    </span>
  );
}

export function VerdictBlock({ d }: { d: Pick<Diagnosis, 'tone' | 'text' | 'said'> }) {
  return (
    <div class={`verdict tone-${d.tone}`} role="status" data-tone={d.tone}>
      <span class="icon" aria-hidden="true">
        {TONE_ICON[d.tone]}
      </span>
      <div class="verdict-body">
        <span class="verdict-text">{d.text}</span>
        {d.said ? <Said by={d.said.by} text={d.said.text.replace(/^"(.*)"$/, '$1')} /> : null}
      </div>
    </div>
  );
}

/** A consequence: what it shows, fixed by the problem's fix (its own fix is not repeated). */
function Consequence({ f }: { f: Finding }) {
  const e = keyEvidence(f);
  return (
    <li class="consequence" data-check-id={f.checkId} data-severity={f.severity}>
      <span class="title">{f.title}</span> <code class="check-id">{f.checkId}</code>
      {e ? <EvidenceBlock e={e} /> : null}
    </li>
  );
}

/**
 * One problem: title, key evidence (never `said`, the page's sentence under the verdict), the first line of the fix. Open (the full view) shows
 * everything at once; folded (the popup) keeps the message, the whole fix, the other evidence
 * and the consequences one click away.
 */
export function ProblemCard({ p, open = false, extra, said }: { p: Problem; open?: boolean; extra?: preact.ComponentChildren; said?: string | undefined }) {
  const f = p.root;
  // What the page said is beneath the verdict already: not the card's first evidence again.
  const key = keyEvidence(f, said);
  const fix = splitFix(f.fix);
  const others = f.evidence.filter((e) => e !== key);
  const more = (
    <>
      <p class="message">{f.message}</p>
      {fix.rest && !open ? <p class="fix-rest">{fix.rest}</p> : null}
      {f.causes?.length ? <CauseList causes={f.causes} /> : null}
      {others.map((e, i) => (
        <EvidenceBlock key={i} e={e} />
      ))}
      {p.consequences.length ? (
        <div class="consequences">
          <strong>
            {p.consequences.length === 1 ? 'This also causes (same fix):' : `This also causes these ${p.consequences.length} findings (same fix):`}
          </strong>
          <ul>
            {p.consequences.map((c, i) => (
              <Consequence key={i} f={c} />
            ))}
          </ul>
        </div>
      ) : null}
      {extra}
    </>
  );
  const hidden = [
    'details',
    fix.rest ? 'the whole fix' : '',
    others.length ? `${others.length} more evidence` : '',
    p.consequences.length ? `${p.consequences.length} consequence${p.consequences.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return (
    <article class={`card problem sev-${f.severity}`} data-check-id={f.checkId} data-severity={f.severity} data-consequences={p.consequences.map((c) => c.checkId).join(' ')} aria-label={`${f.severity}: ${f.title}`}>
      <header>
        <span class={`sev ${f.severity}`}>
          <span aria-hidden="true">{SEV_ICON[f.severity]} </span>
          {f.severity}
        </span>
        <span class="title">{f.title}</span>
        <code class="check-id">{f.checkId}</code>
      </header>
      {key ? <EvidenceBlock e={key} /> : null}
      <div class="fix">
        <strong>Fix</strong>
        <span class="fix-text">{open ? f.fix : `${fix.first}${fix.rest ? ' …' : ''}`}</span>
      </div>
      {open ? (
        more
      ) : (
        <details class="more">
          <summary>{hidden.length > 1 ? `${hidden[0]}: ${hidden.slice(1).join(', ')}` : 'details'}</summary>
          {more}
        </details>
      )}
    </article>
  );
}

/** AWS's generic error when a check found its cause: its ranked causes and CloudTrail lookup. */
export function SymptomDetails({ f, open = false }: { f: Finding; open?: boolean }) {
  const body = (
    <>
      <p class="message">{f.message}</p>
      {f.causes?.length ? <CauseList causes={f.causes} /> : null}
      {f.evidence.map((e, i) => (
        <EvidenceBlock key={i} e={e} />
      ))}
    </>
  );
  return (
    <section class="card symptom sev-info" data-check-id={f.checkId} data-severity={f.severity} aria-label="What AWS showed, its documented causes and the CloudTrail lookup">
      {open ? (
        <>
          <header>
            <span class="title">{f.title}</span> <code class="check-id">{f.checkId}</code>
          </header>
          {body}
        </>
      ) : (
        <details>
          <summary>Other documented causes and the CloudTrail lookup that confirms it</summary>
          {body}
        </details>
      )}
    </section>
  );
}
