// The go-live checklist (lib/checklist): each item of the integration card's test plan with its
// status as an icon and a word (never colour alone), the detail, and the flows / messages it
// stands on as links that select the flow. Presentational: the checklist comes in as a prop.
// Captured values (NameIDs, hosts, certificate names) are text nodes, never HTML.
import './checklist.css';
import type { Checklist as ChecklistData, ChecklistEvidence, ChecklistItem, ChecklistStatus } from '../lib/checklist/types.ts';
import { checklistSummary } from '../lib/checklist/summary.ts';

export interface ChecklistProps {
  checklist: ChecklistData;
  /** Called with a Flow.id when an evidence link is followed (the full view selects that flow). */
  onSelectFlow?: (flowId: string) => void;
}

const STATUS: Record<ChecklistStatus, { icon: string; label: string }> = {
  pass: { icon: '✔', label: 'Done' },
  fail: { icon: '✖', label: 'Failing' },
  pending: { icon: '○', label: 'To test' },
  'not-applicable': { icon: '–', label: 'Not applicable' },
};

function EvidenceRef({ e, onSelectFlow }: { e: ChecklistEvidence; onSelectFlow: ChecklistProps['onSelectFlow'] }) {
  const flowId = e.flowId;
  // The text names the sign-in and message as people read them; internal ids are never labels.
  const msg = null;
  if (flowId !== undefined && onSelectFlow) {
    return (
      <li>
        <button type="button" class="cl-link" onClick={() => onSelectFlow(flowId)} title="Show this sign-in">
          {e.text}
        </button>
        {msg}
      </li>
    );
  }
  return (
    <li>
      <span class="cl-ev-text">{e.text}</span>
      {msg}
    </li>
  );
}

function ChecklistRow({ item, onSelectFlow }: { item: ChecklistItem; onSelectFlow: ChecklistProps['onSelectFlow'] }) {
  const s = STATUS[item.status];
  return (
    <li class={`cl-item cl-${item.status}`} data-item={item.id} data-status={item.status}>
      <span class="cl-icon" aria-hidden="true">
        {s.icon}
      </span>
      <div class="cl-body">
        <div class="cl-head">
          <strong class="cl-title">{item.title}</strong>
          <span class="cl-status">{s.label}</span>
        </div>
        <p class="cl-detail">{item.detail}</p>
        {item.evidence.length ? (
          <ul class="cl-evidence" aria-label={`Evidence for: ${item.title}`}>
            {item.evidence.map((e, i) => (
              <EvidenceRef key={i} e={e} onSelectFlow={onSelectFlow} />
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}

export function Checklist({ checklist, onSelectFlow }: ChecklistProps) {
  return (
    <section class="checklist" aria-label="Go-live checklist">
      <header class="cl-header">
        <h2>Go-live checklist</h2>
        <span class="cl-summary">{checklistSummary(checklist)}</span>
      </header>
      <ul class="cl-items">
        {checklist.items.map((it) => (
          <ChecklistRow key={it.id} item={it} onSelectFlow={onSelectFlow} />
        ))}
      </ul>
    </section>
  );
}
