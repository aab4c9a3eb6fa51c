// The import worker: reads a dropped file (with progress), finds its SAML messages (HAR,
// SAML-tracer, evidence bundle or pasted message) and analyses them, off the page's thread, so
// a 50 MB HAR never freezes the full view. Wiring only: the work is lib/evidence and lib/analyze.
import { importText } from '../../lib/evidence/import.ts';
import { analyseLikeLive } from './worker-analysis.ts';
import { looksLikeSignInLog, readSignInLog } from '../../lib/logs/signin.ts';
import type { ImportRequest, ImportReply } from './protocol.ts';

const post = (m: ImportReply) => (self as unknown as Worker).postMessage(m);

async function readFile(file: File): Promise<string> {
  const reader = file.stream().getReader();
  const dec = new TextDecoder('utf-8');
  const parts: string[] = [];
  let done = 0;
  let reported = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    done += r.value.length;
    parts.push(dec.decode(r.value, { stream: true }));
    if (done - reported >= 1024 * 1024) {
      reported = done;
      post({ type: 'progress', phase: 'reading', done, total: file.size });
    }
  }
  parts.push(dec.decode());
  post({ type: 'progress', phase: 'reading', done: file.size, total: file.size });
  return parts.join('');
}

self.onmessage = async (e: MessageEvent<ImportRequest>) => {
  const req = e.data;
  const t0 = performance.now();
  try {
    const text = req.file ? await readFile(req.file) : (req.text ?? '');
    post({ type: 'progress', phase: 'parsing', done: 0, total: 0 });
    if (looksLikeSignInLog(text)) {
      const r = readSignInLog(text, req.name);
      post(r.ok ? { type: 'logs', name: req.name, records: r.records, notes: r.notes } : { type: 'error', message: `${req.name}: looks like a sign-in log but cannot be read: ${r.message}` });
      return;
    }
    const imp = importText(text, req.name, { onProgress: (done, total) => post({ type: 'progress', phase: 'scanning', done, total }) });
    if (!imp.ok) {
      post({ type: 'error', message: imp.message });
      return;
    }
    post({ type: 'progress', phase: 'analysing', done: 0, total: imp.messages.length });
    const input = {
      messages: imp.messages,
      steps: imp.steps,
      ...(imp.pageErrors ? { pageErrors: imp.pageErrors } : {}),
      expectations: imp.expectations ?? req.expectations,
      analysisTime: imp.analysisTime ?? new Date(),
      singleFlow: imp.singleFlow,
      ...(imp.now ? { now: imp.now } : {}),
    };
    const { analysis, notes } = await analyseLikeLive(imp, input, req);
    post({ type: 'done', source: { name: imp.name, kind: imp.kind, input, analysis, notes: [...imp.notes, ...notes], ms: Math.round(performance.now() - t0) }, recorded: imp.bundle?.analysis });
  } catch (err) {
    post({ type: 'error', message: `${req.name}: could not be imported: ${(err as Error)?.message ?? String(err)}` });
  }
};
