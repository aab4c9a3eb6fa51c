// `samlscope diff GOOD BAD`: a known-good sign-in against a failing one, field by field. Each side
// is read as `samlscope analyze` reads its inputs (HAR, evidence bundle, SAML-tracer export, a
// message file), analysed by lib/analyze.ts, and its sign-in picked; the comparison is
// lib/compare. Exit 0: no difference · 1: differences · 2: unusable input or options · 3: a bug.
import { analyze, type AnalysisResult } from '../lib/analyze.ts';
import { comparable, compareCandidates, CompareError, describeCandidate, pickFlow, type FlowCandidate } from '../lib/compare/index.ts';
import { renderDiffJson, renderDiffMarkdown, renderDiffText, type DiffSide } from '../lib/compare/report.ts';
import { DIFF_HELP, parseDiffCommand, UsageError } from './args.ts';
import { readInputs } from './inputs.ts';
import { load, type Io } from './load.ts';

interface Side {
  name: string;
  analysis: AnalysisResult;
}

async function readSide(arg: string, io: Io): Promise<Side> {
  const inputs = await readInputs([arg], { readStdin: io.readStdin });
  const input = inputs[0]!;
  const name = input.source === 'stdin' ? 'standard input' : input.source === 'argument' ? input.name : input.arg;
  const loaded = load(inputs);
  for (const n of loaded.notes) io.stderr(`samlscope: note: ${name}: ${n}\n`);
  const analysis = analyze({
    messages: loaded.messages,
    steps: loaded.steps,
    ...(loaded.pageErrors ? { pageErrors: loaded.pageErrors } : {}),
    singleFlow: loaded.singleFlow,
    analysisTime: loaded.analysisTime ?? new Date(),
    ...(loaded.expectations ? { expectations: loaded.expectations } : {}),
    ...(loaded.now ? { now: loaded.now } : {}),
  });
  return { name, analysis };
}

export async function diffMain(argv: string[], io: Io, version: string): Promise<number> {
  const cmd = parseDiffCommand(argv);
  if (cmd.command === 'help') {
    io.stdout(DIFF_HELP);
    return 0;
  }
  const o = cmd.options;
  const good = await readSide(o.good, io);
  const bad = await readSide(o.bad, io);
  const picked = new Map<Side, FlowCandidate>();
  const pick = (s: Side, choice: string | undefined, flag: string, label: string, prefer: 'clean' | 'failing'): DiffSide => {
    let r;
    try {
      r = pickFlow(s.analysis, choice, s.name, prefer);
    } catch (e) {
      if (e instanceof CompareError) throw new UsageError(e.message);
      throw e;
    }
    const flowCount = s.analysis.flows.length;
    const flow = describeCandidate(r.picked, flowCount);
    if (!r.chosen && r.candidates.length > 1) {
      const which = r.by === 'latest-clean' ? 'the latest without errors' : r.by === 'latest-failing' ? 'the latest with errors' : prefer === 'clean' ? 'the latest (none is without errors)' : 'the latest (none has errors)';
      io.stderr(`samlscope: note: ${s.name} holds ${r.candidates.length} sign-ins with a Response; the ${label} one is ${which}: ${flow} (choose another with ${flag} N)\n`);
    }
    picked.set(s, r.picked);
    return { source: s.name, flow, flowId: r.picked.flow.id, flowNumber: r.picked.number, messageId: r.picked.response.id };
  };
  const gs = pick(good, o.goodFlow, '--good-flow', 'known-good', 'clean');
  const bs = pick(bad, o.badFlow, '--bad-flow', 'failing', 'failing');
  // GOOD and BAD the wrong way round is an easy slip: say so rather than explain the wrong side.
  const errorsOf = (s: Side, flowId: string | undefined) => s.analysis.findings.filter((f) => f.severity === 'error' && (f.flowId === flowId || s.analysis.messages.find((m) => m.id === f.messageId)?.flowId === flowId)).length;
  if (errorsOf(good, gs.flowId) > 0 && errorsOf(bad, bs.flowId) === 0) {
    io.stderr(`samlscope: note: the known-good side (${good.name}) has errors and the failing side (${bad.name}) has none: are GOOD and BAD the wrong way round?\n`);
  }
  // Responses, or both AuthnRequests when one side was stopped at Entra.
  const [gm, bm] = comparable(picked.get(good)!, picked.get(bad)!);
  gs.messageId = gm.id;
  bs.messageId = bm.id;
  const c = compareCandidates(picked.get(good)!, picked.get(bad)!);
  if (c.error) throw new UsageError(`cannot compare: ${c.error}`);
  const opts = { good: gs, bad: bs, all: o.all, color: io.color, version };
  io.stdout(o.format === 'json' ? renderDiffJson(c, opts) : o.format === 'markdown' ? renderDiffMarkdown(c, opts) : renderDiffText(c, opts));
  return c.differences > 0 ? 1 : 0;
}
