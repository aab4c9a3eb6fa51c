// `samlscope analyze --each FILES…`: a support queue's batch. Every file is analysed on its own
// (its own flows, its own first-seen certificate pins) in one process, and one JSON line per file
// goes to stdout: file, flows, verdict, counts and check ids, or the reason it could not be read.
// A progress line goes to stderr when it is a terminal. Exit: 2 if a file was unusable, else 1 if
// a file has an error finding, else 0.
import type { AnalyzeOptions } from './args.ts';
import { UsageError } from './args.ts';
import { readInputs } from './inputs.ts';
import { analysisInputOf, load, type Io } from './load.ts';

export interface EachLine {
  file: string;
  ok: boolean;
  /** Why the file could not be analysed (ok false). */
  error?: string;
  flows?: number;
  messages?: number;
  verdict?: { level: string; text: string; errors: number; warnings: number };
  /** Check ids of the error and warning findings, in the order found, each once. */
  checks?: string[];
  /** Check ids of the notes (info). */
  notes?: string[];
}

export async function runEach(opts: AnalyzeOptions, io: Io): Promise<number> {
  const [{ analyze }, { loadTrust, mergeExpectations }, { signatureVerifier }, { summaryVerdict }] = await Promise.all([
    import('../lib/analyze.ts'),
    import('./trust.ts'),
    import('../lib/signature/verify.ts'),
    import('../lib/report/index.ts'),
  ]);
  const trust = loadTrust(opts);
  for (const n of trust.notes) io.stderr(`samlscope: note: ${n}\n`);
  const files = opts.inputs;
  let unusable = 0;
  let failing = 0;
  const progress = (i: number, file: string) => {
    if (!io.progress) return;
    const line = `samlscope: [${i}/${files.length}] ${file}`;
    const width = io.progressColumns ?? 80;
    io.stderr(`\r${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line.padEnd(width - 1)}`);
  };
  for (const [i, file] of files.entries()) {
    progress(i + 1, file);
    let out: EachLine;
    try {
      const inputs = await readInputs([file], { readStdin: io.readStdin });
      const loaded = load(inputs);
      const r = await analyze(analysisInputOf(loaded, mergeExpectations(loaded.expectations, trust.expectations, opts.expectations), { now: opts.now, maxBytes: opts.maxBytes }), {
        verifier: signatureVerifier,
        pins: {},
        spCertificates: trust.spCertificates,
      });
      const v = summaryVerdict(r);
      const ids = (sev: (s: string) => boolean) => [...new Set(r.findings.filter((f) => sev(f.severity)).map((f) => f.checkId))];
      out = {
        file,
        ok: true,
        flows: r.flows.length,
        messages: r.messages.length,
        verdict: { level: v.level, text: v.text, errors: v.errors, warnings: v.warnings },
        checks: ids((s) => s !== 'info'),
        notes: ids((s) => s === 'info'),
      };
      if (v.errors > 0) failing++;
    } catch (e) {
      // A file that cannot be used is one line, and the queue goes on; a bug in samlscope is not.
      if (!(e instanceof UsageError)) throw e;
      unusable++;
      out = { file, ok: false, error: e.message };
    }
    io.stdout(`${JSON.stringify(out)}\n`);
  }
  if (io.progress) io.stderr(`\r${' '.repeat((io.progressColumns ?? 80) - 1)}\r`);
  return unusable ? 2 : failing ? 1 : 0;
}
