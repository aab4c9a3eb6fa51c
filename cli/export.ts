// `samlscope export`: the same evidence the full view exports (lib/evidence), from the command
// line: Markdown, a JSON evidence bundle or a HAR file, redacted as asked.
import { writeFileSync } from 'node:fs';
import { exportEvidence } from '../lib/evidence/export.ts';
import type { ExportOptions } from './args.ts';
import { UsageError } from './args.ts';
import type { RawInput } from './inputs.ts';
import { analysisInputOf, type Io, type Loaded } from './load.ts';

export async function runExport(opts: ExportOptions, loaded: Loaded, inputs: RawInput[], io: Io, version: string): Promise<number> {
  // Verified as `analyze` verifies (certificates given, else the first one seen per tenant
  // pinned): the export's recorded findings are analyze's, and a redacted export carries the
  // signature verdicts of the original bytes (lib/evidence/recorded.ts).
  const [{ loadTrust, mergeExpectations }, { signatureVerifier }, { analyze }] = await Promise.all([import('./trust.ts'), import('../lib/signature/verify.ts'), import('../lib/analyze.ts')]);
  const trust = loadTrust(opts);
  for (const n of trust.notes) io.stderr(`samlscope: note: ${n}\n`);
  const input = analysisInputOf(loaded, mergeExpectations(loaded.expectations, trust.expectations, opts.expectations), { now: opts.now });
  const analysis = await analyze(input, { verifier: signatureVerifier, pins: {}, spCertificates: trust.spCertificates });
  // The number people see ("Sign-in #3", the flows' table), or the id.
  let flowId = opts.flow;
  if (flowId && /^\d+$/.test(flowId)) {
    const n = Number(flowId);
    const f = analysis.flows[n - 1];
    if (!f) throw new UsageError(`--flow ${flowId}: ${analysis.flows.length === 0 ? 'this capture has no sign-in' : `this capture has sign-ins #1 to #${analysis.flows.length}`}`);
    flowId = f.id;
  }
  let result;
  try {
    result = exportEvidence({
      analysis,
      format: opts.exportFormat,
      redaction: { mode: opts.redact, tenant: opts.redactTenant, signatures: opts.redactSignatures },
      input,
      ...(flowId ? { flowId } : {}),
      source: { kind: loaded.kind, names: inputs.map((i) => (i.source === 'file' ? i.name : i.source === 'stdin' ? 'stdin' : i.name)) },
      notes: loaded.notes,
      version,
      exportedAt: new Date(),
    });
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    if (/^no flow /.test(msg)) throw new UsageError(`--flow ${opts.flow}: ${msg} (give the sign-in's number, #1 to #${analysis.flows.length}, or an id from samlscope analyze --format json)`);
    throw e;
  }
  for (const n of result.notices) io.stderr(`samlscope: note: ${n}\n`);
  if (opts.output) {
    try {
      writeFileSync(opts.output, result.text);
    } catch (e) {
      throw new UsageError(`--output ${opts.output}: cannot write it (${(e as Error).message})`);
    }
    io.stderr(`samlscope: wrote ${opts.output} (${result.text.length} bytes, redaction: ${result.redaction.mode})\n`);
  } else io.stdout(result.text);
  return 0;
}
