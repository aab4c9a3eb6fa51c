// samlscope's command line: files, arguments and exit codes. The analysis is lib/analyze.ts;
// the reports are lib/report. Exit 0: no error finding · 1: an error finding · 2: unusable input
// or options (one line on stderr, no stack trace) · 3: samlscope itself failed.
import { readFileSync } from 'node:fs';
import { EXPORT_HELP, HELP, parseCommand, UsageError } from './args.ts';
import { readInputs, readStream } from './inputs.ts';
import { analysisInputOf, load, loadWithLogs, version, type Io } from './load.ts';

export { load, loadWithLogs, version, type Io, type Loaded } from './load.ts';

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    // SCIM provisioning (lint, logs, lookup): its own arguments, in cli/scim.ts.
    if (argv[0] === 'scim') return await (await import('./scim.ts')).scimMain(argv.slice(1), io, version());
    // Two sign-ins compared (known-good vs failing): cli/diff.ts.
    if (argv[0] === 'diff') return await (await import('./diff.ts')).diffMain(argv.slice(1), io, version());
    const cmd = parseCommand(argv, (p) => readFileSync(p, 'utf8'));
    if (cmd.command === 'help') {
      // Bare `samlscope` is a usage error: the help goes to stderr, exit 2.
      if (cmd.toStderr) {
        io.stderr(HELP);
        return 2;
      }
      io.stdout(cmd.topic === 'export' ? EXPORT_HELP : HELP);
      return 0;
    }
    if (cmd.command === 'version') {
      io.stdout(`samlscope ${version()}\n`);
      return 0;
    }
    const opts = cmd.options;
    // A support queue: every file on its own, one JSON line each (cli/each.ts).
    if (opts.each) return await (await import('./each.ts')).runEach(opts, io);
    const inputs = await readInputs(opts.inputs, { readStdin: io.readStdin });
    const loaded = loadWithLogs(inputs);
    for (const n of loaded.notes) io.stderr(`samlscope: note: ${n}\n`);
    if (cmd.command === 'export') {
      const { runExport } = await import('./export.ts');
      return await runExport(cmd.options, loaded, inputs, io, version());
    }
    // Loaded here, not at the top: --help, --version and usage errors stay fast.
    const [{ analyze }, { loadTrust, mergeExpectations }, { signatureVerifier }, { compareWithTraffic }, { renderJson, renderMarkdown, renderText, resultVerdict }] =
      await Promise.all([import('../lib/analyze.ts'), import('./trust.ts'), import('../lib/signature/verify.ts'), import('../lib/signature/metadata.ts'), import('../lib/report/index.ts')]);
    // --idp-cert / --idp-metadata / --sp-metadata; signatures are verified (WebCrypto) and, with
    // no certificate given, the first one seen per tenant is pinned for this run.
    const trust = loadTrust(opts);
    for (const n of trust.notes) io.stderr(`samlscope: note: ${n}\n`);
    const now = opts.now ?? loaded.now;
    const result = await analyze(analysisInputOf(loaded, mergeExpectations(loaded.expectations, trust.expectations, opts.expectations), { now, maxBytes: opts.maxBytes }), {
      verifier: signatureVerifier,
      pins: {},
      spCertificates: trust.spCertificates,
    });
    for (const d of compareWithTraffic(result, trust.idp, trust.sp)) io.stderr(`samlscope: note: ${d.text}\n`);
    const base = {
      version: version(),
      sources: inputs.map((i) => i.name),
      ...(opts.now ? { now: opts.now } : {}),
    };
    let text: string;
    if (opts.format === 'json') text = renderJson(result, { includeXml: opts.includeXml });
    else if (opts.format === 'markdown') {
      // The go-live checklist (lib/checklist) closes the Markdown report; the certificate's days
      // left are counted from --now, else from today.
      const { buildChecklist } = await import('../lib/checklist/index.ts');
      const expectations = mergeExpectations(loaded.expectations, trust.expectations, opts.expectations);
      const checklist = buildChecklist({ analysis: result, expectations, now: now ?? new Date() });
      text = renderMarkdown(result, { ...base, notes: loaded.notes, checklist, notRedacted: true });
    }
    else text = renderText(result, { ...base, color: io.color, verbose: !!opts.verbose, ...(io.columns ? { width: Math.min(io.columns, 120) } : {}) });
    io.stdout(text);
    return resultVerdict(result).errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`samlscope: ${e.message}\n`);
      return 2;
    }
    const detail = process.env.SAMLSCOPE_DEBUG ? `\n${(e as Error)?.stack ?? String(e)}` : ' (set SAMLSCOPE_DEBUG=1 for the stack trace)';
    io.stderr(`samlscope: internal error: ${(e as Error)?.message ?? String(e)}; this is a bug${detail}\n`);
    return 3;
  }
}

function useColor(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return !!process.stdout.isTTY && env.TERM !== 'dumb';
}

/** The bin entry: runs main on process.argv and sets the exit code (letting stdout drain). */
export async function run(): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: Io = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    readStdin: () => {
      if (process.stdin.isTTY) process.stderr.write('samlscope: reading standard input; paste the value, then press Ctrl-D\n');
      return readStream(process.stdin);
    },
    color: useColor(),
    ...(process.stderr.isTTY ? { progress: true, progressColumns: process.stderr.columns || 80 } : {}),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
