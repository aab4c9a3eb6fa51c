// Runs imports in the worker and reports into the full view's store. A bundle whose recorded
// findings the new analysis does not reproduce (identities removed at export) says so.
import type { StoreApi } from 'zustand/vanilla';
import type { Expectations } from '../../lib/checks/types.ts';
import type { CertificatePins } from '../../lib/signature/types.ts';
import type { FullViewState, ImportedSource } from '../../lib/store/fullview.ts';
import type { Importer } from '../../components/ImportPanel.tsx';
import type { ImportReply, ImportRequest } from './protocol.ts';

/** Largest file accepted, bytes (the HAR reader's limit). */
const MAX_FILE = 200 * 1024 * 1024;

export function createImporter(view: StoreApi<FullViewState>, expectations: () => Expectations, pins: () => Promise<CertificatePins | undefined>): Importer {
  let worker: Worker | undefined;

  // The import code (the readers of every format, the sign-in log reader) loads when a file is
  // first imported, not with the page (issue 13: the full view's first paint).
  const finish = async (reply: Extract<ImportReply, { type: 'done' }>) => {
    const src: ImportedSource = reply.source;
    if (reply.recorded) {
      const { bundleMissingFindings } = await import('../../lib/evidence/import.ts');
      // What the analysis at export found and this one cannot find again (a redacted bundle: its
      // signatures no longer verify, removed values no longer compare) is shown as recorded.
      const missing = bundleMissingFindings(reply.recorded, src.analysis);
      if (missing.length) {
        src.analysis = { ...src.analysis, findings: [...src.analysis.findings, ...missing] };
        src.notes = [
          ...src.notes,
          `${missing.length} finding${missing.length === 1 ? ' is' : 's are'} shown as the bundle recorded ${missing.length === 1 ? 'it' : 'them'} at export (${missing.map((f) => f.checkId).join(', ')}): ${
            missing.length === 1 ? 'it' : 'they'
          } cannot be found again in the redacted messages.`,
        ];
      }
    }
    view.getState().finishImport(src);
  };

  const onReply = (m: ImportReply) => {
    if (m.type === 'progress') view.getState().progress({ phase: m.phase, done: m.done, total: m.total });
    else if (m.type === 'error') view.getState().failImport(m.message);
    else if (m.type === 'logs') view.getState().addSignInLogs(m.name, m.records, m.notes);
    else finish(m).catch((e: unknown) => view.getState().failImport(`the import could not be finished: ${(e as Error)?.message ?? String(e)}`));
    if (m.type !== 'progress') {
      worker?.terminate();
      worker = undefined;
    }
  };

  /** Without a worker (it could not start): the same work on the page, after a paint. */
  const inPage = (req: ImportRequest) => {
    setTimeout(async () => {
      try {
        const text = req.file ? await req.file.text() : (req.text ?? '');
        const [{ looksLikeSignInLog, readSignInLog }, { importText }] = await Promise.all([import('../../lib/logs/signin.ts'), import('../../lib/evidence/import.ts')]);
        if (looksLikeSignInLog(text)) {
          const r = readSignInLog(text, req.name);
          return onReply(r.ok ? { type: 'logs', name: req.name, records: r.records, notes: r.notes } : { type: 'error', message: `${req.name}: looks like a sign-in log but cannot be read: ${r.message}` });
        }
        const imp = importText(text, req.name);
        if (!imp.ok) return onReply({ type: 'error', message: imp.message });
        const input = { messages: imp.messages, steps: imp.steps, ...(imp.pageErrors ? { pageErrors: imp.pageErrors } : {}), expectations: imp.expectations ?? req.expectations, analysisTime: imp.analysisTime ?? new Date(), singleFlow: imp.singleFlow, ...(imp.now ? { now: imp.now } : {}) };
        const { analyseLikeLive } = await import('./worker-analysis.ts');
        const { analysis, notes } = await analyseLikeLive(imp, input, req);
        onReply({ type: 'done', source: { name: imp.name, kind: imp.kind, input, analysis, notes: [...imp.notes, ...notes] }, recorded: imp.bundle?.analysis });
      } catch (e) {
        onReply({ type: 'error', message: `${req.name}: ${(e as Error)?.message ?? e}` });
      }
    }, 30);
  };

  const run = async (req: ImportRequest) => {
    worker?.terminate();
    view.getState().startImport(req.name);
    req.pins = await pins().catch(() => undefined);
    try {
      worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    } catch {
      worker = undefined;
      inPage(req);
      return;
    }
    worker.onmessage = (e: MessageEvent<ImportReply>) => onReply(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      worker?.terminate();
      worker = undefined;
      view.getState().failImport(`${req.name}: the import stopped: ${e.message || 'the worker failed'}`);
    };
    worker.postMessage(req);
  };

  return {
    importFile(file) {
      if (file.size > MAX_FILE) {
        view.getState().failImport(`${file.name} is ${Math.round(file.size / 1024 / 1024)} MB, over the 200 MB limit: record only the sign-in and export again.`);
        return;
      }
      void run({ name: file.name, file, expectations: expectations() });
    },
    importText(text, name) {
      void run({ name, text, expectations: expectations() });
    },
  };
}
