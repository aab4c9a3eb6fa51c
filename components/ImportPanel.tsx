// Import: choose or drop a HAR file (Chrome, Edge, Firefox), a SAML-tracer export or a samlscope
// evidence bundle, or paste a SAML message in any binding. The reading runs off the page's thread
// (a worker) with its progress shown; the result is analysed exactly like a live capture.
import { useRef, useState } from 'preact/hooks';
import type { ImportProgress } from '../lib/store/fullview.ts';
import { formatInteger } from '../lib/strings.ts';

export interface Importer {
  importFile(file: File): void;
  importText(text: string, name: string): void;
}

const PHASE: Record<ImportProgress['phase'], string> = {
  reading: 'Reading the file',
  parsing: 'Parsing JSON',
  scanning: 'Finding SAML messages',
  analysing: 'Analysing',
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function ImportProgressBar({ p }: { p: ImportProgress }) {
  const pct = p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : undefined;
  const detail =
    p.phase === 'reading' && p.total ? `${mb(p.done)} of ${mb(p.total)}` : p.phase === 'scanning' && p.total ? `${formatInteger(p.done)} of ${formatInteger(p.total)} entries` : '';
  return (
    <div class="import-progress" role="status" aria-live="polite" data-phase={p.phase}>
      <span>
        {PHASE[p.phase]} {p.name}
        {detail ? ` — ${detail}` : '…'}
      </span>
      <progress max={100} value={pct} aria-label={`${PHASE[p.phase]}${pct !== undefined ? ` ${pct}%` : ''}`} />
    </div>
  );
}

export function ImportPanel({ importer, onClose, busy }: { importer: Importer; onClose(): void; busy: boolean }) {
  const [text, setText] = useState('');
  const file = useRef<HTMLInputElement>(null);
  return (
    <section class="panel import-panel" aria-label="Import" role="dialog" aria-modal="false">
      <header class="panel-head">
        <h2>Import a capture</h2>
        <button type="button" class="btn" onClick={onClose} aria-label="Close the import panel">
          Close
        </button>
      </header>
      <div class="import-grid">
        <div class="dropzone" data-dropzone>
          <p>
            <strong>Drop a file anywhere on this page</strong>, or
          </p>
          <button type="button" class="btn primary" disabled={busy} onClick={() => file.current?.click()}>
            Choose a file…
          </button>
          <input
            ref={file}
            type="file"
            class="sr-only"
            name="import-file"
            accept=".har,.json,.txt,.xml,.csv,application/json,text/plain,text/csv"
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0];
              if (f) importer.importFile(f);
              (e.currentTarget as HTMLInputElement).value = '';
            }}
          />
          <ul class="hint">
            <li>a HAR file saved from Chrome, Edge or Firefox DevTools ("Save all as HAR with content")</li>
            <li>a SAML-tracer export (its JSON)</li>
            <li>a samlscope evidence bundle (.samlscope.json)</li>
            <li>
              sign-in logs, joined to the sign-ins shown: Entra's sign-in log (admin center download, JSON or CSV; Graph /auditLogs/signIns) or CloudTrail sign-in
              events (<code>aws cloudtrail lookup-events</code> output, a trail file, one event)
            </li>
          </ul>
        </div>
        <div class="paste">
          <label for="import-paste">
            <strong>Or paste a SAML message</strong>: a URL with SAMLRequest=…, a form body, the base64 or deflated value, or the XML. Several messages
            separated by a blank line form one sign-in. A CloudTrail event or sign-in log pasted here is joined to the sign-ins shown.
          </label>
          <textarea id="import-paste" name="import-paste" spellcheck={false} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="button" class="btn primary" disabled={busy || !text.trim()} onClick={() => importer.importText(text, 'pasted message')}>
            Analyse
          </button>
        </div>
      </div>
    </section>
  );
}
