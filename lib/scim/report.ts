// Reports for the SCIM commands: lint, logs and lookup, as text (terminal), Markdown (tickets)
// and JSON (machines). Lint's JSON has the shape of `samlscope analyze --format json`:
// {findings: [{checkId, severity, title, message, evidence, fix, messageId}]}. Pure. Everything
// read from a payload, a log or a server is attacker-shaped: escaped for the terminal, code spans
// in Markdown.
import type { Evidence, Finding, Severity } from '../types.ts';
import type { JsonFinding } from '../report/json.ts';
import { safeText } from '../report/text.ts';
import { mdCode, mdText } from '../report/markdown.ts';
import { describeKind, lintVerdict, type LintResult } from './lint.ts';
import type { LogAnalysis, ReadResult } from './logs.ts';
import type { ClientEvent, ScimGroup, ScimUser, ServiceProviderInfo } from './client.ts';
import { primaryEmail } from './client.ts';

export type ScimFormat = 'text' | 'json' | 'markdown';

export interface TextStyle {
  color?: boolean;
  width?: number;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m' } as const;
type Style = keyof typeof ANSI;
const ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };
const MD_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
const COLOR: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan' };
const TONE_COLOR: Record<string, Style> = { error: 'red', warning: 'yellow', ok: 'green', neutral: 'yellow' };
const TONE_ICON: Record<string, string> = { error: '✖', warning: '⚠', ok: '✔', neutral: '●' };

function painter(o: TextStyle) {
  return (style: Style, s: string) => (o.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
}

function wrap(text: string, width: number, indent: string, first = indent): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of safeText(text).split(/[ \t]+/)) {
    if (!w) continue;
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else line += (empty ? '' : ' ') + w;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

const show = (v: string) => (v === '' ? '(empty)' : /^\s|\s$|[\n\t]/.test(v) ? JSON.stringify(v) : safeText(v));

function evidenceText(e: Evidence, p: ReturnType<typeof painter>): string[] {
  const where = e.path ? p('dim', `  at ${safeText(e.path)}`) : '';
  if (e.expected === undefined && e.actual !== undefined && e.actual.length < 90 && !e.path) return [`      ${safeText(e.label)}: ${show(e.actual)}`];
  const out = [`      ${safeText(e.label)}${where}`];
  if (e.expected !== undefined) out.push(`        expected  ${show(e.expected)}${e.source ? p('dim', `   (${safeText(e.source)})`) : ''}`);
  if (e.actual !== undefined) out.push(`        ${e.expected !== undefined ? 'actual  ' : 'value   '}  ${show(e.actual)}`);
  return out;
}

export function findingText(f: Finding, o: TextStyle = {}): string {
  const p = painter(o);
  const width = Math.max(60, o.width ?? 100);
  const lines = [`    ${ICON[f.severity]} ${p(COLOR[f.severity], f.checkId)}  ${safeText(f.title)}`, wrap(f.message, width, '      ')];
  for (const e of f.evidence) lines.push(...evidenceText(e, p));
  lines.push(wrap(f.fix, width, '           ', '      Fix: ').replace('Fix:', p('bold', 'Fix:')));
  return lines.join('\n');
}

function findingMarkdown(f: Finding): string[] {
  const out = ['', `#### ${MD_ICON[f.severity]} ${mdText(f.title)} (${mdCode(f.checkId)})`, '', mdText(f.message), ''];
  if (f.evidence.length) {
    out.push('| | Expected | Actual | Where |', '|---|---|---|---|');
    for (const e of f.evidence) out.push(`| ${mdText(e.label)} | ${e.expected !== undefined ? mdCode(e.expected) : ''} | ${e.actual !== undefined ? mdCode(e.actual) : ''} | ${e.path ? mdCode(e.path) : ''} |`);
    out.push('');
  }
  out.push(`**Fix:** ${mdText(f.fix)}`);
  return out;
}

const jsonFinding = (f: Finding): JsonFinding => ({ checkId: f.checkId, severity: f.severity, title: f.title, message: f.message, evidence: f.evidence.map((e) => ({ ...e })), fix: f.fix, messageId: f.messageId ?? null, flowId: f.flowId ?? null });

// ---------------------------------------------------------------- lint

export interface LintJson {
  payloads: { source: string; id: string; kind: string; resource: string | null; error: { code: string; message: string } | null }[];
  findings: JsonFinding[];
}

export function lintJson(results: LintResult[]): LintJson {
  return {
    payloads: results.flatMap((r): LintJson['payloads'] =>
      r.ok
        ? r.payloads.map((p) => ({ source: r.source, id: p.id, kind: p.kind, resource: p.resource ?? null, error: null }))
        : [{ source: r.source, id: r.source, kind: 'Unreadable', resource: null, error: { code: r.code, message: r.message } }],
    ),
    findings: results.flatMap((r) => r.findings.map(jsonFinding)),
  };
}

export function renderLint(results: LintResult[], format: ScimFormat, o: TextStyle & { version?: string } = {}): string {
  if (format === 'json') return JSON.stringify(lintJson(results), null, 2) + '\n';
  if (format === 'markdown') {
    const out = ['# SCIM payload check', '', `Generated by samlscope${o.version ? ` ${mdText(o.version)}` : ''} against what AWS IAM Identity Center accepts.`];
    for (const r of results) {
      const v = lintVerdict(r);
      out.push('', `## ${mdCode(r.source)}`, '', `**${v.tone === 'error' ? '❌' : v.tone === 'warning' ? '⚠️' : v.tone === 'ok' ? '✅' : '⚪'} ${mdText(v.text)}**`);
      if (!r.findings.length && r.ok) out.push('', 'No findings.');
      for (const f of r.findings) out.push(...findingMarkdown(f));
    }
    return out.join('\n') + '\n';
  }
  const p = painter(o);
  const out: string[] = [];
  for (const r of results) {
    const v = lintVerdict(r);
    out.push(p(TONE_COLOR[v.tone]!, p('bold', `${TONE_ICON[v.tone]} ${safeText(r.source)}: ${safeText(v.text)}`)));
    if (r.ok && r.payloads.length > 1) out.push(p('dim', `  ${r.payloads.map((x) => `${safeText(x.id)} (${describeKind(x)})`).join(', ')}`));
    for (const f of r.findings) out.push(findingText(f, o));
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- logs

export interface LogsJson {
  format: string | null;
  files: string[];
  notes: string[];
  errors: { file: string; message: string }[];
  summary: { records: number; from: string | null; to: string | null; cycles: number; byStatus: LogAnalysis['byStatus']; byAction: Record<string, number> };
  causes: LogAnalysis['causes'];
  identities: LogAnalysis['identities'];
  limits: LogAnalysis['limits'];
}

export function logsJson(read: ReadResult, a: LogAnalysis, files: string[]): LogsJson {
  return {
    format: read.format ?? null,
    files,
    notes: read.notes,
    errors: read.errors,
    summary: { records: a.records, from: a.from ?? null, to: a.to ?? null, cycles: a.cycles, byStatus: a.byStatus, byAction: a.byAction },
    causes: a.causes,
    identities: a.identities,
    limits: a.limits,
  };
}

const when = (t?: string) => (t ? t.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '(no time)');

export function logsVerdict(a: LogAnalysis): { tone: 'error' | 'warning' | 'ok'; text: string } {
  const failing = a.identities.filter((i) => i.worst === 'Failure').length;
  const skipped = a.identities.filter((i) => i.worst === 'Skipped' && i.events.some((e) => e.cause === 'not-effectively-entitled' || e.cause === 'import-skipped')).length;
  const pl = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (failing) return { tone: 'error', text: `${pl(failing, 'object')} failing to provision${skipped ? `, ${skipped} skipped as not entitled` : ''} (${pl(a.records, 'record')})` };
  if (skipped) return { tone: 'warning', text: `${pl(skipped, 'object')} skipped as not entitled (${pl(a.records, 'record')})` };
  return { tone: 'ok', text: `No provisioning failures in ${pl(a.records, 'record')}` };
}

export function renderLogs(read: ReadResult, a: LogAnalysis, files: string[], format: ScimFormat, o: TextStyle & { maxIdentities?: number } = {}): string {
  if (format === 'json') return JSON.stringify(logsJson(read, a, files), null, 2) + '\n';
  const v = logsVerdict(a);
  const maxIds = o.maxIdentities ?? 50;
  // Problems first; a user disabled or deleted by provisioning matters for sign-in too.
  const gone = (i: LogAnalysis['identities'][number]) => ['Disable', 'Delete', 'StagedDelete'].includes(i.events[i.events.length - 1]?.action ?? '');
  const shownIds = a.identities.filter((i) => i.worst !== 'Success' || gone(i)).slice(0, maxIds);
  const okIds = a.identities.filter((i) => i.worst === 'Success' && !gone(i));
  if (format === 'markdown') {
    const out = ['# Entra provisioning logs', '', `**${v.tone === 'error' ? '❌' : v.tone === 'warning' ? '⚠️' : '✅'} ${mdText(v.text)}**`, ''];
    out.push(`${a.records} records from ${files.map(mdCode).join(', ')} (${read.format ?? '?'}), ${mdCode(when(a.from))} to ${mdCode(when(a.to))}, ${a.cycles} cycle(s). ` + Object.entries(a.byStatus).filter(([, n]) => n).map(([k, n]) => `${k}: ${n}`).join(', ') + '.');
    if (read.notes.length) out.push('', ...read.notes.map((n) => `- ${mdText(n)}`));
    out.push('', '## Causes');
    if (!a.causes.length) out.push('', 'None: every record succeeded.');
    for (const c of a.causes) {
      out.push('', `### ${MD_ICON[c.severity]} ${mdText(c.title)} — ${c.count} record(s)`, '', mdText(c.explanation), '', `Affected: ${c.identities.slice(0, 20).map(mdCode).join(', ')}${c.identities.length > 20 ? ` and ${c.identities.length - 20} more` : ''}`);
      if (c.details.length) out.push('', ...c.details.slice(0, 5).map((d) => `- ${mdCode(d.text)}${d.count > 1 ? ` ×${d.count}` : ''}`));
      out.push('', `**Fix:** ${mdText(c.fix)}`);
    }
    out.push('', '## Per user and group');
    for (const i of shownIds) {
      out.push('', `### ${mdText(i.label)}${i.type ? ` (${mdText(i.type)})` : ''}`, '', mdText(i.summary), '');
      for (const e of i.events) out.push(`- ${mdCode(when(e.time))} ${mdText(e.action)} — ${mdText(e.status)}: ${mdText(e.text)}`);
    }
    if (okIds.length) out.push('', `In sync: ${okIds.slice(0, 30).map((i) => mdCode(i.label)).join(', ')}${okIds.length > 30 ? ` and ${okIds.length - 30} more` : ''}.`);
    out.push('', '## What these logs cannot show', '', ...a.limits.filter((l) => l.relevant).map((l) => `- ${mdText(l.text)}`));
    return out.join('\n') + '\n';
  }
  const p = painter(o);
  const width = Math.max(60, o.width ?? 100);
  const out = [p(TONE_COLOR[v.tone]!, p('bold', `${TONE_ICON[v.tone]} ${safeText(v.text)}`))];
  out.push(p('dim', `  ${files.map(safeText).join(', ')} (${read.format ?? '?'}): ${when(a.from)} → ${when(a.to)}, ${a.cycles} cycle(s); ` + Object.entries(a.byStatus).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ')));
  for (const n of read.notes) out.push(p('dim', `  note: ${safeText(n)}`));
  out.push('', p('bold', 'Causes'));
  if (!a.causes.length) out.push('  none: every record succeeded');
  for (const c of a.causes) {
    out.push(`  ${ICON[c.severity]} ${p(COLOR[c.severity], safeText(c.title))}  ${p('dim', `${c.count} record(s)`)}`);
    out.push(wrap(c.explanation, width, '      '));
    out.push(wrap(`Affected: ${c.identities.slice(0, 12).join(', ')}${c.identities.length > 12 ? ` and ${c.identities.length - 12} more` : ''}`, width, '      '));
    for (const d of c.details.slice(0, 3)) out.push(`      ${p('dim', '•')} ${show(d.text.length > 300 ? `${d.text.slice(0, 299)}…` : d.text)}${d.count > 1 ? p('dim', ` ×${d.count}`) : ''}`);
    out.push(wrap(c.fix, width, '           ', '      Fix: ').replace('Fix:', p('bold', 'Fix:')));
  }
  out.push('', p('bold', 'Per user and group'));
  for (const i of shownIds) {
    out.push(`  ${p('bold', safeText(i.label))}${i.type ? p('dim', ` (${safeText(i.type)})`) : ''}: ${safeText(i.summary)}`);
    for (const e of i.events) out.push(`      ${when(e.time)}  ${e.action.padEnd(7)} ${(e.status === 'Failure' ? p('red', e.status) : e.status === 'Skipped' ? p('yellow', e.status) : e.status).padEnd(8)} ${show(e.text.length > 160 ? `${e.text.slice(0, 159)}…` : e.text)}`);
  }
  if (a.identities.length - okIds.length > shownIds.length) out.push(p('dim', `  … and ${a.identities.length - okIds.length - shownIds.length} more with problems (--format json lists all)`));
  if (okIds.length) out.push(wrap(`In sync: ${okIds.slice(0, 20).map((i) => i.label).join(', ')}${okIds.length > 20 ? ` and ${okIds.length - 20} more` : ''}`, width, '    ', '  '));
  out.push('', p('bold', 'What these logs cannot show'));
  for (const l of a.limits.filter((x) => x.relevant)) out.push(wrap(l.text, width, '    ', '  • '));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- lookup

export interface LookupReport {
  endpoint: string;
  connection?: ServiceProviderInfo & { ms: number };
  /** Absent for a connection test alone (--test). */
  query?: { by: 'userName' | 'externalId' | 'group'; value: string };
  user?: ScimUser;
  /** What a lookup could not read in full (a list cut at its page limit). */
  notes?: string[];
  groups?: ScimGroup[];
  group?: ScimGroup;
  members?: { supported: boolean; users: ScimUser[]; note?: string };
  findings: Finding[];
  events: ClientEvent[];
  error?: { kind: string; message: string };
}

export function lookupJson(r: LookupReport) {
  const user = (u: ScimUser) => ({ id: u.id, userName: u.userName, externalId: u.externalId ?? null, displayName: u.displayName ?? null, givenName: u.givenName ?? null, familyName: u.familyName ?? null, email: primaryEmail(u) ?? null, active: u.active ?? null });
  return {
    endpoint: r.endpoint,
    query: r.query ?? null,
    notes: r.notes ?? [],
    connection: r.connection ? { ms: r.connection.ms, patch: r.connection.patch ?? null, bulk: r.connection.bulk ?? null, filter: r.connection.filter ?? null, maxResults: r.connection.maxResults ?? null } : null,
    user: r.user ? user(r.user) : null,
    groups: r.groups ?? null,
    group: r.group ?? null,
    members: r.members ? { supported: r.members.supported, users: r.members.users.map(user), note: r.members.note ?? null } : null,
    findings: r.findings.map(jsonFinding),
    events: r.events.map((e) => e.message),
    error: r.error ?? null,
  };
}

export function renderLookup(r: LookupReport, format: ScimFormat, o: TextStyle = {}): string {
  if (format === 'json') return JSON.stringify(lookupJson(r), null, 2) + '\n';
  const p = painter(o);
  const out: string[] = [];
  const md = format === 'markdown';
  const line = (k: string, v: string) => (md ? `| ${mdText(k)} | ${mdCode(v)} |` : `  ${k.padEnd(14)} ${safeText(v)}`);
  if (md) out.push('# Identity Center lookup', '', `Endpoint ${mdCode(r.endpoint)}`);
  else out.push(p('dim', `Identity Center SCIM endpoint ${safeText(r.endpoint)}`));
  for (const e of r.events) out.push(md ? `- ${mdText(e.message)}` : p('yellow', `  ${safeText(e.message)}`));
  if (r.error) {
    out.push(md ? `\n**❌ ${mdText(r.error.message)}**` : p('red', p('bold', `✖ ${safeText(r.error.message)}`)));
    return out.join('\n') + '\n';
  }
  if (r.connection) out.push(md ? `\nConnected in ${r.connection.ms} ms (PATCH ${r.connection.patch ? 'yes' : 'no'}, bulk ${r.connection.bulk ? 'yes' : 'no'}).` : p('green', `✔ Connected in ${r.connection.ms} ms: ServiceProviderConfig answered (PATCH ${r.connection.patch ? 'yes' : 'no'}, bulk ${r.connection.bulk ? 'yes' : 'no'}, filter maxResults ${r.connection.maxResults ?? '?'})`));
  for (const n of r.notes ?? []) out.push(md ? `- ${mdText(n)}` : p('yellow', `  note: ${safeText(n)}`));
  // A connection test alone asked about no user: nothing more to say.
  if (!r.query) return out.join('\n') + '\n';
  const q = `${r.query.by} eq "${r.query.value}"`;
  if (r.query.by === 'group') {
    if (!r.group) out.push(md ? `\n**No group ${mdCode(r.query.value)}.**` : p('red', `✖ No group with displayName ${safeText(JSON.stringify(r.query.value))}`));
    else {
      if (md) out.push('', `## Group ${mdText(r.group.displayName)}`, '', '| | |', '|---|---|');
      else out.push(p('bold', `Group ${safeText(r.group.displayName)}`));
      out.push(line('id', r.group.id));
      if (r.group.externalId) out.push(line('externalId', r.group.externalId));
      if (r.members?.supported) {
        out.push(md ? '' : '', md ? `Members (${r.members.users.length}):` : `  members (${r.members.users.length}):`);
        for (const u of r.members.users) out.push(md ? `- ${mdCode(u.userName)}${u.active === false ? ' (disabled)' : ''}` : `    ${safeText(u.userName)}${u.active === false ? p('red', ' (disabled)') : ''}`);
      } else if (r.members?.note) out.push(md ? mdText(r.members.note) : p('dim', `  ${safeText(r.members.note)}`));
    }
    return out.join('\n') + '\n';
  }
  if (!r.user) {
    if (!r.findings.length) out.push(md ? `\n**No user: ${mdCode(q)}.**` : p('red', `✖ No user: ${safeText(q)}`));
  } else {
    const u = r.user;
    if (md) out.push('', `## User ${mdText(u.userName)}`, '', '| | |', '|---|---|');
    else out.push(p(u.active === false ? 'red' : 'green', p('bold', `${u.active === false ? '✖' : '✔'} User ${safeText(u.userName)}${u.active === false ? ' (disabled)' : ''}`)));
    out.push(line('id', u.id));
    if (u.externalId) out.push(line('externalId', u.externalId));
    if (u.displayName) out.push(line('displayName', u.displayName));
    if (u.givenName !== undefined || u.familyName !== undefined) out.push(line('name', `${u.givenName ?? ''} / ${u.familyName ?? ''}`));
    const em = primaryEmail(u);
    if (em) out.push(line('email', em));
    out.push(line('active', u.active === undefined ? '(not said)' : String(u.active)));
    if (u.title) out.push(line('title', u.title));
    if (r.groups) out.push(line('groups', r.groups.length ? r.groups.map((g) => g.displayName).join(', ') : '(none)'));
  }
  if (r.findings.length) {
    out.push('');
    for (const f of r.findings) out.push(md ? findingMarkdown(f).join('\n') : findingText(f, o));
  }
  return out.join('\n') + '\n';
}
