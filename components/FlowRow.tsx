// The flow in one row: type, time, tenant → AWS instance, and each hop as a small step.
import type { Flow, FlowStep } from '../lib/types.ts';
import { urlHost } from '../lib/flow/hosts.ts';

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(11, 19)} UTC`;
}

function StepChip({ s }: { s: FlowStep }) {
  const bad = s.status !== undefined && (s.status >= 400 || s.status === 0);
  return (
    <li class={`step${s.messageId ? ' saml' : ''}`} title={s.url}>
      <span class="method">{s.method}</span>
      <span class="host">{urlHost(s.url) ?? s.url}</span>
      {s.status !== undefined ? <span class={`status${bad ? ' bad' : ''}`}>{s.status}</span> : null}
      {s.messageId ? <span class="saml-tag" aria-label="carries a SAML message">SAML</span> : null}
    </li>
  );
}

export function FlowRow({ flow }: { flow: Flow }) {
  return (
    <section class="flow" aria-label="Sign-in flow" data-flow-type={flow.type}>
      <div>
        <span class="type">{flow.summary}</span>
      </div>
      <div class="meta">
        {formatTime(flow.startedAt)}
        {flow.tenantId ? ` · tenant ${flow.tenantId}` : ''}
        {flow.clockSkewSeconds !== undefined && Math.abs(flow.clockSkewSeconds) >= 60 ? ` · clock off by ${flow.clockSkewSeconds} s` : ''}
      </div>
      <ol class="steps" aria-label="HTTP steps">
        {flow.steps.map((s, i) => (
          <StepChip key={i} s={s} />
        ))}
      </ol>
    </section>
  );
}
