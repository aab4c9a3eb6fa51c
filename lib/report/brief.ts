// The terminal report an engineer reads first: the verdict naming the cause, what the page said,
// the attempt in one line, then the top problem with its evidence and its one fix. About 25
// lines for a one-error sign-in; `--verbose` prints everything (lib/report/text.ts).
import type { AnalysisResult } from '../analyze.ts';
import { judgeSections, summaryVerdict, type Diagnosis } from './diagnosis.ts';
import { flowLabel } from './labels.ts';
import { flowTypeLabel, shortUrl } from './common.ts';
import { COLOR, ICON, evidenceLines, safeText, wrap, type Colorer } from './text.ts';
import type { Flow } from '../types.ts';
import { recordLine, unmatchedSummary, UNMATCHED_SHOWN } from './signin-logs.ts';
import { likelihoodLabel } from './common.ts';

const TONE_ICON = { error: '✖', warning: '⚠', ok: '✔', neutral: '●' } as const;
const TONE_COLOR = { error: 'red', warning: 'yellow', ok: 'green', neutral: 'yellow' } as const;

export function renderBrief(r: AnalysisResult, o: { c: Colorer; width: number; version?: string; now?: Date }): string {
  const { c, width } = o;
  const out: string[] = [];
  // The attempt to explain: the latest that fails, else the latest.
  const { judged, focus } = judgeSections(r);
  const flows = judged.filter((j) => j.sec.flow);
  if (!focus) {
    out.push(c('yellow', c('bold', `● ${summaryVerdict(r).text}`)));
    out.push(...unmatched(r, c, width));
    return out.join('\n') + '\n';
  }
  if (flows.length > 1) {
    const v = summaryVerdict(r);
    out.push(c(v.level === 'refused' ? 'red' : 'green', c('bold', `${v.level === 'refused' ? '✖' : '✔'} ${v.text}`)));
    for (const j of [...flows].reverse().slice(0, 5)) out.push(`  ${flowLabel(j.sec.flow!, r.flows).padEnd(28)} ${TONE_ICON[j.d.tone]} ${safeText(j.d.text)}`);
    if (flows.length > 5) out.push(c('dim', `  … and ${flows.length - 5} earlier`));
    out.push('');
    out.push(c('bold', `The ${focus.d.tone === 'error' ? 'latest failing' : 'latest'} ${focus.sec.flow ? flowLabel(focus.sec.flow, r.flows) : 'sign-in'}:`));
  }
  out.push(...attempt(focus.d, focus.sec.flow, r, c, width));
  out.push(...unmatched(r, c, width));
  const foot = [`samlscope${o.version ? ` ${o.version}` : ''}`, `${r.messages.length} message${r.messages.length === 1 ? '' : 's'}`, `${r.flows.length} flow${r.flows.length === 1 ? '' : 's'}`];
  if (o.now) foot.push(`judged at ${o.now.toISOString()} (--now)`);
  out.push('');
  out.push(c('dim', `${foot.join(' · ')} · --verbose for every finding, message and step`));
  return out.join('\n') + '\n';
}

/** Sign-in log records that fit no captured attempt: never dropped, in brief too. */
function unmatched(r: AnalysisResult, c: Colorer, width: number): string[] {
  if (!r.unmatchedLogs?.length) return [];
  const out = ['', c('bold', 'Sign-in log records not joined to a captured sign-in'), wrap(unmatchedSummary(r.unmatchedLogs), width, '  ')];
  for (const l of r.unmatchedLogs.slice(0, UNMATCHED_SHOWN)) out.push(wrap(recordLine(l), width, '      ', '    '));
  if (r.unmatchedLogs.length > UNMATCHED_SHOWN) out.push(`    … and ${r.unmatchedLogs.length - UNMATCHED_SHOWN} more (--format json lists them all)`);
  return out;
}

function attempt(d: Diagnosis, flow: Flow | undefined, r: AnalysisResult, c: Colorer, width: number): string[] {
  const out: string[] = [];
  out.push(c(TONE_COLOR[d.tone], c('bold', `${TONE_ICON[d.tone]} ${safeText(d.text)}`)));
  if (d.said) out.push(wrap(`${d.said.by} showed: ${d.said.text}`, width, '    ', '  '));
  if (flow) {
    const facts = [flowTypeLabel(flow)];
    if (flow.startedAt) facts.push(`${safeText(flow.startedAt.slice(11, 19))} UTC`);
    if (flow.tenantId) facts.push(`tenant ${safeText(flow.tenantId)}`);
    if (flow.awsTarget) facts.push(`AWS ${safeText(shortUrl(flow.awsTarget, 60))}`);
    out.push(c('dim', `  ${facts.join(' · ')}`));
    // What the clouds' own logs recorded of this attempt (Entra sign-in log, CloudTrail).
    if (flow.signInLogs?.length) {
      out.push(c('dim', '  sign-in logs:'));
      for (const l of flow.signInLogs) out.push(wrap(recordLine(l), width, '      ', '    '));
    }
  }
  const [top, ...rest] = d.problems;
  if (top) {
    const f = top.root;
    out.push('');
    out.push(`  ${c(COLOR[f.severity], `${ICON[f.severity]} ${f.checkId}`)}  ${safeText(f.title)}`);
    out.push(wrap(f.message, width, '      '));
    // What the page said is already beneath the verdict.
    const said = d.said?.text.replace(/^"(.*)"$/, '$1');
    const evidence = f.evidence.filter((e) => e.expected !== undefined || e.actual !== said);
    for (const e of evidence.slice(0, 3)) out.push(...evidenceLines(e, c));
    if (evidence.length > 3) out.push(c('dim', `      (${evidence.length - 3} more evidence with --verbose)`));
    out.push(wrap(f.fix, width, '           ', '      Fix: ').replace('Fix:', c('bold', 'Fix:')));
    if (top.consequences.length) {
      out.push(wrap(`Also caused by this (same fix): ${top.consequences.map((x) => x.checkId).join(', ')}.`, width, '      '));
    }
  }
  const more: string[] = [];
  if (rest.length) more.push(`${rest.length} other problem${rest.length === 1 ? '' : 's'} (${rest.map((p) => p.root.checkId).join(', ')})`);
  if (d.notes.length) more.push(`${d.notes.length} note${d.notes.length === 1 ? '' : 's'}`);
  // A cause AWS's own record confirms is said, whatever else was found.
  const confirmed = (d.symptom ?? top?.root)?.causes?.filter((k) => k.likelihood === 'confirmed') ?? [];
  if (confirmed.length) {
    out.push('');
    confirmed.forEach((k, i) => out.push(wrap(`[${likelihoodLabel(k)}] ${k.cause}${k.checkId ? ` (${k.checkId})` : ''}`, width, '          ', `  ${i + 1}. `)));
  }
  const cmd = (d.symptom ?? top?.root)?.evidence.find((e) => e.label === 'CloudTrail lookup (AWS CLI)')?.actual;
  if (cmd) {
    out.push('');
    out.push('  Confirm it in CloudTrail:');
    out.push(`    ${safeText(cmd)}`);
  }
  if (more.length) {
    out.push('');
    out.push(c('dim', `  Also: ${more.join(', ')}.`));
  }
  void r;
  return out;
}
