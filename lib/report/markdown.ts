// The report as Markdown, ready to paste into a ticket (GitHub, Jira, ServiceNow…). Pure; the
// extension's export uses it too. Captured values are attacker-shaped: they go into code spans
// (never raw HTML) and Markdown punctuation in prose is escaped.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Evidence, Finding, Severity } from '../types.ts';
import type { Checklist, ChecklistStatus } from '../checklist/types.ts';
import { checklistSummary } from '../checklist/summary.ts';
import { recordLine, unmatchedSummary, UNMATCHED_SHOWN } from './signin-logs.ts';
import { flowTypeLabel, messageFacts, SEVERITY_LABEL, sections, shortUrl, type ReportOptions, type Verdict } from './common.ts';
import { likelihoodLabel } from './common.ts';
import { labeler } from './labels.ts';
import { groupProblems, judgeSections, keyEvidence, splitFix, summaryVerdict, type Diagnosis, type DiagnosisTone } from './diagnosis.ts';
import { flowLabel } from './labels.ts';

export interface MarkdownOptions extends ReportOptions {
  /** The go-live checklist (lib/checklist buildChecklist), rendered as a last section. Absent: no section. */
  checklist?: Checklist;
  /**
   * The report holds captured values as they are (NameIDs, tenant, signatures): say so in its
   * first line and point to `samlscope export`, which redacts by default. For `analyze`.
   */
  notRedacted?: boolean;
}

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
const VERDICT_ICON: Record<Verdict['level'], string> = { refused: '❌', ok: '✅', 'no-response': '⚪', none: '⚪' };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function stripControl(s: string): string {
  return s.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Prose with captured values inside: Markdown and HTML punctuation escaped, one line. */
export function mdText(s: string): string {
  return stripControl(s)
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_[\]<>|~])/g, '\\$1')
    .replace(/^([#+\-=>!])/, '\\$1');
}

/** A value as an inline code span, safe in a table cell; empty and whitespace made visible. */
export function mdCode(v: string): string {
  let s = stripControl(v);
  if (s === '') return '*(empty)*';
  if (/^\s|\s$|[\n\t]/.test(s)) s = JSON.stringify(s);
  s = s.replace(/\|/g, '\\|');
  const runs = s.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

const TONE_ICON: Record<DiagnosisTone, string> = { error: '❌', warning: '⚠️', ok: '✅', neutral: '⚪' };

/** The top of a report: what the popup says first, for the attempt that needs fixing. */
export interface Lead {
  /** The verdict naming the cause (the popup's), for a heading. */
  title: string;
  lines: string[];
  /** The root cause whose fix's first line the lead printed: its finding below prints only the rest. */
  root?: Finding;
}

/**
 * The lead of a Markdown report, as the popup answers: the verdict naming the cause, the page's
 * own sentence as evidence beneath it, the top cause with its expected and actual values and the
 * first line of its one fix, and what follows from the same cause listed once. With several
 * attempts, the latest that fails (else the latest) is the one explained, and how many fail is
 * said beneath. Counts are left to the lines that follow.
 */
export function leadMarkdown(r: AnalysisResult): Lead {
  const { judged, focus } = judgeSections(r);
  if (!focus) {
    const v = summaryVerdict(r);
    return { title: v.text, lines: [`**${VERDICT_ICON[v.level]} ${mdText(v.text)}**`] };
  }
  const d: Diagnosis = focus.d;
  const out = [`**${TONE_ICON[d.tone]} ${mdText(d.text)}**`];
  const flows = judged.filter((j) => j.sec.flow);
  if (flows.length > 1 && focus.sec.flow) {
    const failing = flows.filter((j) => j.d.tone === 'error').length;
    const which = focus.d.tone === 'error' ? 'the latest that fails' : 'the latest';
    const name = flowLabel(focus.sec.flow, r.flows);
    out.push('', `${mdText(name[0]!.toUpperCase() + name.slice(1))}, ${which}; ${failing} of ${flows.length} sign-ins fail (each is under its own heading below).`);
  }
  if (d.said) out.push('', `> ${mdText(d.said.by)} showed: ${mdText(d.said.text)}`);
  const top = d.problems[0];
  if (!top) return { title: d.text, lines: out };
  const f = top.root;
  const id = `\`${f.checkId.replace(/`/g, '')}\``;
  const kind = top.severity === 'error' ? 'Cause' : 'Top warning';
  // A verdict that is the cause's title already (Entra's AADSTS page) is not said twice.
  out.push('', f.title === d.text ? `**${kind}:** as above (${id})` : `**${kind}:** ${mdText(f.title)} (${id})`);
  // Expected against actual first; what the page said is already above.
  const pairs = f.evidence.filter((e) => e.expected !== undefined && e.actual !== undefined);
  const rows = (pairs.length ? pairs : [keyEvidence(f, d.said?.text)].filter((e): e is Evidence => !!e)).slice(0, 3);
  if (rows.length) {
    out.push('', '| | Expected | Actual |', '|---|---|---|');
    for (const e of rows) out.push(`| ${mdText(e.label)} | ${e.expected !== undefined ? mdCode(e.expected) : ''} | ${e.actual !== undefined ? mdCode(e.actual) : ''} |`);
  }
  const { first, rest } = splitFix(f.fix);
  out.push('', `**Fix:** ${mdText(first)}${rest ? ' (continued under the finding below)' : ''}`);
  if (top.consequences.length) {
    out.push('', `Also caused by this, fixed by the same fix: ${top.consequences.map((c) => `${mdText(c.title)} (\`${c.checkId.replace(/`/g, '')}\`)`).join('; ')}.`);
  }
  return { title: d.text, lines: out, root: f };
}

export function renderMarkdown(r: AnalysisResult, o: MarkdownOptions = {}): string {
  const out: string[] = [];
  const v = summaryVerdict(r);
  const label = labeler(r);
  const lead = leadMarkdown(r);
  out.push(o.notRedacted ? '# SAML sign-in report (not redacted: for a ticket, use `samlscope export`, which redacts by default)' : `# SAML sign-in report`);
  out.push('');
  out.push(...lead.lines);
  out.push('');
  const meta: string[] = [];
  meta.push(`Generated by samlscope${o.version ? ` ${mdText(o.version)}` : ''}`);
  if (o.sources?.length) meta.push(`from ${o.sources.map((s) => mdCode(s)).join(', ')}`);
  if (o.now) meta.push(`validity judged at ${mdCode(o.now.toISOString())} (--now)`);
  out.push(`${meta.join(' ')}. ${r.messages.length} message${r.messages.length === 1 ? '' : 's'}, ${r.flows.length} flow${r.flows.length === 1 ? '' : 's'}; ${v.errors} error${v.errors === 1 ? '' : 's'}, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}, ${v.infos} info.`);

  if (o.notes?.length) {
    out.push('');
    out.push('**Capture notes**');
    out.push('');
    for (const n of o.notes) out.push(`- ${mdText(n)}`);
  }

  const secs = sections(r);
  const { judged } = judgeSections(r);
  secs.forEach((sec, i) => {
    out.push('');
    if (sec.flow) {
      const f = sec.flow;
      out.push(`## ${secs.length > 1 ? `Flow ${i + 1}: ` : 'Flow: '}${mdText(flowTypeLabel(f))}`);
      if (secs.length > 1) {
        // Each attempt's own verdict, naming its cause as the popup does.
        const d = judged[i]!.d;
        out.push('');
        out.push(`${TONE_ICON[d.tone]} ${mdText(d.text)}`);
      }
      out.push('');
      out.push('| | |');
      out.push('|---|---|');
      out.push(`| Type | ${mdText(flowTypeLabel(f))} |`);
      out.push(`| Entra tenant | ${f.tenantId ? mdCode(f.tenantId) : 'unknown'} |`);
      const captured = f.steps.some((s) => /^https?:\/\//i.test(s.url));
      if (f.awsTarget || captured) out.push(`| AWS target | ${f.awsTarget ? mdCode(f.awsTarget) : 'not reached'} |`);
      if (f.portal) out.push(`| Access portal | ${mdCode(f.portal)} |`);
      if (f.startedAt) out.push(`| Started | ${mdCode(f.startedAt)} |`);
      if (f.clockSkewSeconds !== undefined) out.push(`| Server clock − this computer's | ${f.clockSkewSeconds} s |`);
      if (f.steps.some((s) => !s.messageId)) {
        out.push('');
        out.push('### Steps');
        out.push('');
        out.push('| Time | Method | URL | Status | Redirect to | Message |');
        out.push('|---|---|---|---|---|---|');
        for (const s of f.steps) {
          out.push(
            `| ${s.time ? mdCode(s.time) : ''} | ${mdText(s.method)} | ${mdCode(shortUrl(s.url))} | ${s.status ?? ''} | ${s.redirectTo ? mdCode(shortUrl(s.redirectTo, 60)) : ''} | ${s.messageId ? mdText(label.message(s.messageId)) : ''} |`,
          );
        }
      }
    } else {
      out.push('## Other messages');
    }
    if (sec.flow?.signInLogs?.length) {
      out.push('');
      out.push('### Sign-in logs');
      out.push('');
      for (const l of sec.flow.signInLogs) out.push(`- ${mdText(recordLine(l))}`);
    }
    if (sec.messages.length) {
      out.push('');
      out.push('### Messages');
      out.push('');
      out.push('| Message | Kind | Issuer | NameID | Binding | Notes |');
      out.push('|---|---|---|---|---|---|');
      for (const m of sec.messages) out.push(messageRow(m, label.message(m.id)));
    }
    out.push('');
    out.push('### Findings');
    if (!sec.findings.length) {
      out.push('');
      out.push('No findings.');
    }
    // One cause, one fix: a finding that follows from another says so instead of repeating its fix.
    const g = groupProblems(sec.findings);
    const rootOf = new Map<Finding, Finding>();
    for (const p of g.problems) for (const c of p.consequences) rootOf.set(c, p.root);
    if (g.symptom && g.problems[0]) rootOf.set(g.symptom, g.problems[0].root);
    for (const f of sec.findings) out.push(...findingBlock(f, label.message, rootOf.get(f), f === lead.root));
  });
  if (r.unmatchedLogs?.length) {
    out.push('', '## Sign-in log records not joined to a captured sign-in', '', mdText(unmatchedSummary(r.unmatchedLogs)) + '.', '');
    for (const l of r.unmatchedLogs.slice(0, UNMATCHED_SHOWN)) out.push(`- ${mdText(recordLine(l))}`);
    if (r.unmatchedLogs.length > UNMATCHED_SHOWN) out.push(`- … and ${r.unmatchedLogs.length - UNMATCHED_SHOWN} more`);
  }
  if (o.checklist) out.push('', ...checklistMarkdown(o.checklist, r));
  return out.join('\n') + '\n';
}

// ---- go-live checklist --------------------------------------------------------------------

const CHECK_MARK: Record<ChecklistStatus, { box: string; icon: string; word: string }> = {
  pass: { box: '[x]', icon: '✅', word: 'done' },
  fail: { box: '[ ]', icon: '❌', word: 'failing' },
  pending: { box: '[ ]', icon: '⏳', word: 'to test' },
  'not-applicable': { box: '[ ]', icon: '➖', word: 'not applicable' },
};

/**
 * The go-live checklist as a task list: `- [x]` for what was seen working, `- [ ]` for the rest,
 * each with its status in words, the detail, and the flows / messages it stands on (numbered as
 * the report's flow sections when the analysis is given).
 */
export function checklistMarkdown(c: Checklist, r?: AnalysisResult): string[] {
  const out: string[] = ['## Go-live checklist', ''];
  out.push(`${checklistSummary(c)}; ticked from the captured sign-ins, certificate judged at ${mdCode(c.now.replace(/\.\d{3}Z$/, 'Z'))}.`, '');
  const label = r ? labeler(r) : undefined;
  for (const it of c.items) {
    const m = CHECK_MARK[it.status];
    out.push(`- ${m.box} ${m.icon} **${mdText(it.title)}** (${m.word}): ${mdText(it.detail)}`);
    for (const e of it.evidence) {
      const refs: string[] = [];
      // Named as people read them ("sign-in #2 (11:00:59 UTC)", "Response 11:01:02"), never by internal id.
      if (e.flowId !== undefined && label) refs.push(mdText(label.flow(e.flowId)));
      if (e.messageId !== undefined && label) refs.push(mdText(label.message(e.messageId)));
      out.push(`  - ${refs.length ? `${refs.join(', ')}: ` : ''}${mdText(e.text)}`);
    }
  }
  return out;
}

function messageRow(m: AnalyzedMessage, name: string): string {
  const { kind, facts } = messageFacts(m);
  const get = (k: string) => facts.find(([n]) => n === k)?.[1];
  const issuer = get('issuer');
  const nameId = get('NameID');
  const notes = facts
    .filter(([k]) => k !== 'issuer' && k !== 'NameID')
    .map(([k, v]) => `${mdText(k)}: ${mdCode(v)}`)
    .join('; ');
  const binding = m.binding && m.binding !== 'unknown' ? `${m.binding}${m.encoding ? ` (${m.encoding})` : ''}` : (m.encoding ?? '');
  return `| ${mdText(name)} | ${mdText(kind)} | ${issuer ? mdCode(issuer) : ''} | ${nameId ? mdCode(nameId) : ''} | ${mdText(binding)} | ${notes} |`;
}

function findingBlock(f: Finding, messageLabel: (id: string) => string, root?: Finding, led = false): string[] {
  const out: string[] = [''];
  out.push(`#### ${ICON[f.severity]} ${SEVERITY_LABEL[f.severity].one}: ${mdText(f.title)} (\`${f.checkId.replace(/`/g, '')}\`)`);
  out.push('');
  out.push(mdText(f.message));
  if (f.messageId) {
    out.push('');
    out.push(`Message: ${mdText(messageLabel(f.messageId))}`);
  }
  if (f.causes?.length) {
    out.push('');
    out.push('Likely causes, most likely first:');
    out.push('');
    f.causes.forEach((k, i) => {
      out.push(`${i + 1}. **${likelihoodLabel(k)}**: ${mdText(k.cause)}${k.checkId ? ` (\`${k.checkId.replace(/`/g, '')}\`)` : ''} ${mdText(k.basis)}`);
    });
  }
  if (f.evidence.length) {
    out.push('');
    out.push('| Evidence | Expected | Actual | Where |');
    out.push('|---|---|---|---|');
    for (const e of f.evidence) out.push(evidenceRow(e));
  }
  out.push('');
  const same = `the fix of ${mdText(root?.title ?? '')} (\`${(root?.checkId ?? '').replace(/`/g, '')}\`)`;
  if (root && f.checkId === 'aws-sign-in-error') out.push(`**Fix:** ${same}, the cause found; confirm it with the CloudTrail lookup above.`);
  else if (root) out.push(`**Fix:** ${same}: this finding follows from it.`);
  else if (led) {
    // Its first line leads the report: printed once, the rest here.
    const { rest } = splitFix(f.fix);
    out.push(rest ? `**Fix**, continued from the top of this report: ${mdText(rest)}` : '**Fix:** at the top of this report.');
  } else out.push(`**Fix:** ${mdText(f.fix)}`);
  return out;
}

function evidenceRow(e: Evidence): string {
  const expected = e.expected !== undefined ? `${mdCode(e.expected)}${e.source ? ` (${mdText(e.source)})` : ''}` : '';
  const actual = e.actual !== undefined ? mdCode(e.actual) : '';
  return `| ${mdText(e.label)} | ${expected} | ${actual} | ${e.path ? mdCode(e.path) : ''} |`;
}
