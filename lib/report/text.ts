// The report for an engineer in a terminal. Pure: colour and width are options. Everything
// taken from a capture is attacker-shaped: control characters (ANSI escapes) and bidirectional
// overrides are shown as escapes, never passed to the terminal.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Evidence, Finding, FlowStep, Severity } from '../types.ts';
import {
  firstDifference,
  flowTypeLabel,
  messageFacts,
  SEVERITY_LABEL,
  sections,
  shortUrl,
  type ReportOptions,
  type Verdict,
  likelihoodLabel,
} from './common.ts';
import { renderBrief } from './brief.ts';
import { summaryVerdict } from './diagnosis.ts';

import { recordLine, unmatchedSummary, UNMATCHED_SHOWN } from './signin-logs.ts';

export interface TextOptions extends ReportOptions {
  /** ANSI colours (the CLI turns them on for a TTY without NO_COLOR). */
  color?: boolean;
  /** Wrap prose at this width (values are never wrapped, so they stay copyable). Default 100. */
  width?: number;
  /**
   * Every flow, message, step and finding. Without it, the report is the verdict and the top
   * cause with its evidence and fix, about 25 lines for a one-error sign-in (lib/report/brief.ts).
   */
  verbose?: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  inverse: '\x1b[7m',
} as const;

type Style = keyof typeof ANSI;

export const ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };
export const COLOR: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** Makes captured text safe for a terminal: control and bidi characters become visible escapes. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x0d) return '\\r';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A value shown so that what matters is visible: empty, surrounding whitespace, line breaks. */
function showValue(v: string): string {
  if (v === '') return '(empty)';
  if (/^\s|\s$|[\n\t]/.test(v)) return JSON.stringify(v);
  return safeText(v);
}

export function wrap(text: string, width: number, indent: string, firstIndent = indent): string {
  const words = safeText(text).split(/[ \t]+/);
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const w of words) {
    if (w === '') continue;
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

export function renderText(r: AnalysisResult, o: TextOptions = {}): string {
  const width = Math.max(60, o.width ?? 100);
  const c: Colorer = Object.assign((style: Style, s: string) => (o.color ? `${ANSI[style]}${s}${ANSI.reset}` : s), { on: !!o.color });
  if (!o.verbose) return renderBrief(r, { c, width, ...(o.version ? { version: o.version } : {}), ...(o.now ? { now: o.now } : {}) });
  const out: string[] = [];
  const verdict = summaryVerdict(r);
  // The verdict leads (and closes, after every detail).
  out.push(verdictLine(verdict, c));

  const head = [`samlscope${o.version ? ` ${o.version}` : ''}`];
  head.push(`${r.messages.length} message${r.messages.length === 1 ? '' : 's'}`);
  head.push(`${r.flows.length} flow${r.flows.length === 1 ? '' : 's'}`);
  if (o.now) head.push(`judged at ${o.now.toISOString()} (--now)`);
  out.push(c('dim', head.join(' · ')));

  const secs = sections(r);
  secs.forEach((sec, i) => {
    out.push('');
    if (sec.flow) {
      const f = sec.flow;
      const title = secs.length > 1 ? `Flow ${i + 1} of ${secs.length}: ${flowTypeLabel(f)}` : `Flow: ${flowTypeLabel(f)}`;
      out.push(c('bold', title));
      const facts: string[] = [];
      facts.push(`tenant ${f.tenantId ? safeText(f.tenantId) : '(unknown)'}`);
      const captured = f.steps.some((s) => /^https?:\/\//i.test(s.url));
      if (f.awsTarget) facts.push(`AWS ${safeText(f.awsTarget)}`);
      else if (captured) facts.push('AWS not reached');
      if (f.portal) facts.push(`portal ${safeText(f.portal)}`);
      if (f.startedAt) facts.push(safeText(f.startedAt));
      if (f.clockSkewSeconds !== undefined && f.clockSkewSeconds !== 0) {
        facts.push(`server clock ${f.clockSkewSeconds > 0 ? '+' : ''}${f.clockSkewSeconds} s`);
      }
      out.push(`  ${facts.join(' · ')}`);
      const extraSteps = f.steps.filter((s) => !s.messageId);
      if (extraSteps.length) {
        out.push(c('dim', '  steps:'));
        for (const s of f.steps) out.push(s.messageId ? `    ${stepLine(s)}` : c('dim', `    ${stepLine(s)}`));
      }
    } else {
      out.push(c('bold', 'Other messages'));
    }
    for (const m of sec.messages) out.push(`  ${messageLine(m, c)}`);
    if (sec.flow?.signInLogs?.length) {
      out.push(c('dim', '  sign-in logs:'));
      for (const l of sec.flow.signInLogs) out.push(wrap(recordLine(l), width, '      ', '    '));
    }
    if (sec.findings.length === 0) {
      out.push(`  ${c('green', '✔')} no findings`);
    }
    for (const sev of ['error', 'warning', 'info'] as Severity[]) {
      const fs = sec.findings.filter((f) => f.severity === sev);
      if (!fs.length) continue;
      out.push('');
      out.push(`  ${c(COLOR[sev], c('bold', `${ICON[sev]} ${fs.length === 1 ? SEVERITY_LABEL[sev].one : SEVERITY_LABEL[sev].many} (${fs.length})`))}`);
      for (const f of fs) out.push(findingBlock(f, c, width, r.messages.length > 1));
    }
    if (secs.length > 1) {
      out.push('');
      out.push(`  ${verdictLine(sec.verdict, c)}`);
    }
  });

  if (r.unmatchedLogs?.length) {
    out.push('');
    out.push(c('bold', 'Sign-in log records not joined to a captured sign-in'));
    out.push(wrap(unmatchedSummary(r.unmatchedLogs), width, '  '));
    for (const l of r.unmatchedLogs.slice(0, UNMATCHED_SHOWN)) out.push(wrap(recordLine(l), width, '      ', '    '));
    if (r.unmatchedLogs.length > UNMATCHED_SHOWN) out.push(`    … and ${r.unmatchedLogs.length - UNMATCHED_SHOWN} more (--format json lists them all)`);
  }
  out.push('');
  out.push(verdictLine(verdict, c));
  return out.join('\n') + '\n';
}

export type Colorer = ((style: Style, s: string) => string) & { on: boolean };
export type { Style };

function stepLine(s: FlowStep): string {
  const parts = [s.time ? safeText(s.time.replace(/^\d{4}-\d{2}-\d{2}T/, '').replace(/(\.\d{3})\d*/, '$1')) : ''.padEnd(12)];
  parts.push(s.method.padEnd(4));
  parts.push(safeText(shortUrl(s.url)));
  if (s.status !== undefined) parts.push(String(s.status));
  if (s.redirectTo) parts.push(`→ ${safeText(shortUrl(s.redirectTo, 60))}`);
  if (s.messageId) parts.push(`[${safeText(s.messageId)}]`);
  return parts.join('  ');
}

function messageLine(m: AnalyzedMessage, c: Colorer): string {
  const { kind, facts } = messageFacts(m);
  const id = c('dim', `[${safeText(m.id)}]`);
  if (!m.ok) {
    const err = m.error ? `${m.error.code}` : 'unreadable';
    return `${id} ${c('red', 'unreadable')} (${safeText(err)})`;
  }
  const f = facts.map(([k, v]) => `${c('dim', k)} ${showValue(v)}`).join('  ');
  return `${id} ${c('bold', kind)}${f ? `  ${f}` : ''}`;
}

export function evidenceLines(e: Evidence, c: Colorer): string[] {
  const lines: string[] = [];
  const where = e.path ? ` ${c('dim', `at ${safeText(e.path)}`)}` : '';
  if (e.expected === undefined && e.actual !== undefined && !e.path && e.actual.length < 80 && !e.actual.includes('\n')) {
    lines.push(`      ${safeText(e.label)}: ${showValue(e.actual)}`);
    return lines;
  }
  lines.push(`      ${safeText(e.label)}${where}`);
  const pad = '        ';
  if (e.expected !== undefined) {
    lines.push(`${pad}expected  ${showValue(e.expected)}${e.source ? c('dim', `   (${safeText(e.source)})`) : ''}`);
  }
  if (e.actual !== undefined) {
    let shown = showValue(e.actual);
    const plain = e.expected !== undefined && showValue(e.expected) === safeText(e.expected) && shown === safeText(e.actual);
    const at = e.expected !== undefined ? firstDifference(e.expected, e.actual) : -1;
    if (plain && at > 0 && c.on && at < e.actual.length) {
      shown = safeText(e.actual.slice(0, at)) + c('inverse', safeText(e.actual.slice(at)));
    }
    lines.push(`${pad}${e.expected !== undefined ? 'actual  ' : 'value   '}  ${shown}`);
    if (plain && at > 0 && at <= 160) {
      const mark = at >= e.actual.length ? '^ (ends here; expected continues)' : '^ differs from here';
      lines.push(`${pad}          ${' '.repeat(at)}${c('dim', mark)}`);
    }
  }
  return lines;
}

function findingBlock(f: Finding, c: Colorer, width: number, showMessageId: boolean): string {
  const lines: string[] = [];
  const id = c(COLOR[f.severity], f.checkId);
  const msg = showMessageId && f.messageId ? c('dim', `  [${safeText(f.messageId)}]`) : '';
  lines.push(`    ${ICON[f.severity]} ${id}  ${safeText(f.title)}${msg}`);
  lines.push(wrap(f.message, width, '      '));
  if (f.causes?.length) {
    lines.push(`      ${c('bold', 'Likely causes, most likely first:')}`);
    f.causes.forEach((k, i) => {
      lines.push(wrap(`[${likelihoodLabel(k)}] ${k.cause}${k.checkId ? ` (${k.checkId})` : ''}`, width, '          ', `      ${i + 1}. `));
      lines.push(wrap(safeText(k.basis), width, '          ', '          '));
    });
  }
  for (const e of f.evidence) lines.push(...evidenceLines(e, c));
  lines.push(wrap(f.fix, width, '           ', '      Fix: ').replace('Fix:', c('bold', 'Fix:')));
  return lines.join('\n');
}

function verdictLine(v: Verdict, c: Colorer): string {
  switch (v.level) {
    case 'refused':
      return c('red', c('bold', `✖ ${v.text}`));
    case 'ok':
      return c('green', c('bold', `✔ ${v.text}`));
    case 'no-response':
      return c('yellow', c('bold', `● ${v.text}`));
    case 'none':
      return c('yellow', c('bold', `● ${v.text}`));
  }
}
