// Export for a ticket: Markdown, a JSON evidence bundle or a HAR file of the flow (or of all),
// with the redaction chosen here. The generated text is shown before it leaves (copy or save).
import { useMemo, useState } from 'preact/hooks';
import type { AnalysisResult } from '../lib/analyze.ts';
import { exportEvidence, type EvidenceInput, type ExportFormat, type ExportResult } from '../lib/evidence/export.ts';
import type { SourceKind } from '../lib/evidence/bundle.ts';
import type { ExportSettings } from '../lib/store/fullview.ts';
import type { ScimChecklistInput } from '../lib/checklist/types.ts';
import { atLeastFloor, POLICY_TEXT, redactionAllowed } from '../lib/policy.ts';
import type { RedactionFloor } from '../lib/settings.ts';
import { formatInteger } from '../lib/strings.ts';

const FORMATS: { id: ExportFormat; label: string; hint: string }[] = [
  { id: 'markdown', label: 'Markdown for a ticket', hint: 'Verdict, flow, every finding with evidence and fix, decoded messages in collapsible sections.' },
  { id: 'json', label: 'JSON evidence bundle', hint: 'Everything needed to re-open this exact analysis in samlscope (docs/evidence-bundle.md).' },
  { id: 'har', label: 'HAR 1.2', hint: 'The HTTP steps of the flow, for Chrome DevTools or any HAR viewer.' },
];

const MODES: { id: ExportSettings['mode']; label: string; hint: string }[] = [
  { id: 'pseudonymise', label: 'Pseudonymise', hint: 'Look-alike values; the same value always becomes the same one, so mismatches stay visible.' },
  { id: 'remove', label: 'Remove', hint: 'Mask identities (xxxx@xxxx.com); values can no longer be compared.' },
  { id: 'none', label: 'None', hint: 'As captured: the export identifies the user.' },
];

export interface ExportPanelProps {
  settings: ExportSettings;
  onChange(s: Partial<ExportSettings>): void;
  onClose(): void;
  input: EvidenceInput;
  analysis: AnalysisResult;
  flowId: string | undefined;
  source: { kind: SourceKind; names: string[] };
  notes: string[];
  version: string;
  /** What the go-live checklist learnt from Identity Center (SCIM), for its section in the Markdown. */
  checklistScim?: ScimChecklistInput;
  /** The administrator's weakest allowed redaction (policy redactionFloor); default none. */
  redactionFloor?: RedactionFloor;
}

function save(r: ExportResult): void {
  const url = URL.createObjectURL(new Blob([r.text], { type: `${r.mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = r.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportPanel(p: ExportPanelProps) {
  const floor = p.redactionFloor ?? 'none';
  // A mode below the administrator's floor is never offered nor used.
  const s = { ...p.settings, mode: atLeastFloor(p.settings.mode, floor) };
  const [status, setStatus] = useState('');
  const scopeFlow = s.scope === 'flow' ? p.flowId : undefined;
  const result = useMemo((): ExportResult | { error: string } => {
    try {
      return exportEvidence({
        format: s.format,
        redaction: { mode: s.mode, tenant: s.tenant, signatures: s.signatures },
        input: p.input,
        analysis: p.analysis,
        ...(scopeFlow ? { flowId: scopeFlow } : {}),
        source: p.source,
        notes: p.notes,
        version: p.version,
        exportedAt: new Date(),
        ...(p.checklistScim ? { checklist: { scim: p.checklistScim } } : {}),
        policy: { redactionFloor: floor, disableExport: false },
      });
    } catch (e) {
      return { error: (e as Error)?.message ?? String(e) };
    }
  }, [s.format, s.mode, s.tenant, s.signatures, scopeFlow, p.input, p.analysis, p.checklistScim, floor]);
  const ok = 'text' in result;
  return (
    <section class="panel export-panel" aria-label="Export for a ticket" role="dialog" aria-modal="false">
      <header class="panel-head">
        <h2>Export for a ticket</h2>
        <button type="button" class="btn" onClick={p.onClose} aria-label="Close the export panel">
          Close
        </button>
      </header>
      <div class="export-grid">
        <fieldset>
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.id} class="choice">
              <input type="radio" name="export-format" value={f.id} checked={s.format === f.id} onChange={() => p.onChange({ format: f.id })} />
              <span>
                <strong>{f.label}</strong>
                <span class="hint">{f.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Redaction</legend>
          {MODES.map((m) => (
            <label key={m.id} class="choice">
              <input
                type="radio"
                name="export-redaction"
                value={m.id}
                checked={s.mode === m.id}
                disabled={!redactionAllowed(m.id, floor)}
                onChange={() => p.onChange({ mode: m.id })}
              />
              <span>
                <strong>{m.label}</strong>
                <span class="hint">{redactionAllowed(m.id, floor) ? m.hint : 'Not allowed by your administrator.'}</span>
              </span>
            </label>
          ))}
          {floor !== 'none' ? (
            <p class="hint" data-policy="redaction-floor">
              {POLICY_TEXT.redactionFloor(floor)}
            </p>
          ) : null}
          <label class="choice inline">
            <input type="checkbox" name="redact-tenant" checked={s.tenant} disabled={s.mode === 'none'} onChange={(e) => p.onChange({ tenant: (e.currentTarget as HTMLInputElement).checked })} />
            <span>Also the Entra tenant id</span>
          </label>
          <label class="choice inline">
            <input type="checkbox" name="redact-signatures" checked={s.signatures} disabled={s.mode === 'none'} onChange={(e) => p.onChange({ signatures: (e.currentTarget as HTMLInputElement).checked })} />
            <span>Also signature values and certificates</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>What</legend>
          <label class="choice inline">
            <input type="radio" name="export-scope" value="flow" checked={s.scope === 'flow'} disabled={!p.flowId} onChange={() => p.onChange({ scope: 'flow' })} />
            <span>This sign-in</span>
          </label>
          <label class="choice inline">
            <input type="radio" name="export-scope" value="all" checked={s.scope === 'all' || !p.flowId} onChange={() => p.onChange({ scope: 'all' })} />
            <span>Everything shown ({p.analysis.flows.length} flow{p.analysis.flows.length === 1 ? '' : 's'})</span>
          </label>
        </fieldset>
      </div>
      {ok ? (
        <>
          <div class="export-actions">
            <button
              type="button"
              class="btn primary"
              data-action="copy-export"
              onClick={() =>
                navigator.clipboard.writeText(result.text).then(
                  () => setStatus('Copied to the clipboard.'),
                  (e: unknown) => setStatus(`Could not copy: ${(e as Error)?.message ?? e}. Select the text below and copy it.`),
                )
              }
            >
              Copy to clipboard
            </button>
            <button
              type="button"
              class="btn primary"
              data-action="save-export"
              onClick={() => {
                save(result);
                setStatus(`Saved as ${result.filename}.`);
              }}
            >
              Save {result.filename.replace(/^.*?(\.[a-z.]+)$/, '$1')} file
            </button>
            <span class="export-size">
              {formatInteger(result.text.length)} characters · redaction: {result.redaction.mode}
              {result.redaction.covers.length ? ` (${result.redaction.covers.join(', ')})` : ''}
            </span>
            <span class="export-status" role="status" aria-live="polite">
              {status}
            </span>
          </div>
          {result.notices.map((n) => (
            <p key={n} class="notice tone-warning" role="note">
              {n}
            </p>
          ))}
          <label class="export-preview-label">
            <span>What leaves the browser (read-only):</span>
            <textarea class="export-preview" readOnly spellcheck={false} data-export-format={s.format} data-export-mode={s.mode} data-filename={result.filename} value={result.text} />
          </label>
        </>
      ) : (
        <div class="notice tone-error" role="alert">
          Nothing was exported: {result.error}
        </div>
      )}
    </section>
  );
}
