// Markdown for a ticket: what an engineer needs at a glance (verdict, flow type, UTC times,
// tenant, SP entity ID, Entra request / correlation ids), every finding with its evidence and fix
// (lib/report/markdown.ts), and each decoded message in a collapsible <details> section. Pure.
// Captured values go into code spans and fenced blocks; the <summary> lines are HTML-escaped.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Expectations } from '../checks/types.ts';
import { leadMarkdown, mdCode, mdText, renderMarkdown } from '../report/markdown.ts';
import { messageLabels } from '../report/labels.ts';
import { flowTypeLabel } from '../report/common.ts';
import { summaryVerdict } from '../report/diagnosis.ts';
import { prettyXml } from '../saml/xml.ts';
import type { Flow } from '../types.ts';
import { entraIdsOf, type EntraIds } from './entra-ids.ts';
import type { RedactionInfo } from './redact.ts';
import type { SourceKind } from './bundle.ts';
import type { Checklist } from '../checklist/types.ts';

export interface TicketOptions {
  version: string;
  exportedAt: Date;
  source: { kind: SourceKind; names: string[] };
  redaction: RedactionInfo;
  expectations: Expectations;
  notes?: string[];
  now?: Date;
  /** The go-live checklist, already redacted: its section goes after the findings. */
  checklist?: Checklist;
}

const SOURCE_LABEL: Record<SourceKind, string> = {
  live: 'captured live by the samlscope browser extension',
  har: 'HAR file',
  'saml-tracer': 'SAML-tracer export',
  bundle: 'samlscope evidence bundle',
  message: 'pasted SAML message',
};

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fence(content: string, lang = ''): string {
  const runs = content.match(/`{3,}/g) ?? [];
  const f = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${f}${lang}\n${content}\n${f}`;
}

function utc(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString();
}

export function describeRedaction(r: RedactionInfo): string {
  if (r.mode === 'none') return 'none: the values are as captured (this export identifies the user)';
  const what = r.covers.length ? r.covers.join(', ') : 'nothing was found to replace';
  const kept = [!r.tenant ? 'the tenant id is kept' : '', !r.signatures ? 'signature values and certificates are kept' : ''].filter(Boolean).join('; ');
  const how =
    r.mode === 'pseudonymise'
      ? 'pseudonymised (each value replaced by a look-alike of the same shape; equal values stay equal, so a mismatch stays visible)'
      : 'removed (masked with x and 0; values can no longer be compared)';
  return `${how}: ${what}${kept ? `; ${kept}` : ''}. Signatures no longer verify over redacted messages.`;
}

/** The SP entity ID the flow was judged against, and where it came from. */
function spEntityOf(a: AnalysisResult, f: Flow | undefined, e: Expectations): [string, string] | undefined {
  if (e.spEntityId) return [e.spEntityId, 'configured'];
  const msgs = f ? a.messages.filter((m) => f.messageIds.includes(m.id)) : a.messages;
  const req = msgs.find((m) => m.kind === 'AuthnRequest')?.summary?.issuer;
  if (req) return [req, "the AuthnRequest's Issuer"];
  const aud = msgs.find((m) => m.kind === 'Response')?.summary?.audience;
  if (aud) return [aud, "the response's Audience"];
  return undefined;
}

const ID_ROWS: [keyof EntraIds, string][] = [
  ['requestIds', 'Entra Request Id'],
  ['correlationIds', 'Entra Correlation Id'],
  ['traceIds', 'Entra Trace ID'],
  ['timestamps', 'Entra Timestamp'],
];

/**
 * The Entra ids Microsoft support asks for. With several sign-ins, each id says which one it came
 * from ("sign-in #1", numbered as the flows' table and the report number them): the export leads
 * with the latest failure, and an id of another attempt beside it reads as that failure's.
 */
function idsRows(a: AnalysisResult, single: Flow | undefined): string[] {
  if (single || a.flows.length < 2) {
    const ids = entraIdsOf(a, single?.id);
    return ID_ROWS.filter(([k]) => ids[k].length).map(([k, label]) => `| ${label} | ${ids[k].map(mdCode).join(', ')} |`);
  }
  const perFlow = a.flows.map((f) => entraIdsOf(a, f.id));
  return ID_ROWS.flatMap(([k, label]) => {
    const values = entraIdsOf(a)[k];
    if (!values.length) return [];
    const cells = values.map((v) => {
      const at = perFlow.flatMap((ids, i) => (ids[k].includes(v) ? [`#${i + 1}`] : []));
      return at.length ? `${mdCode(v)} (sign-in ${at.join(', ')})` : mdCode(v);
    });
    return [`| ${label} | ${cells.join(', ')} |`];
  });
}

function messageSection(m: AnalyzedMessage, label: string): string[] {
  const s = m.summary;
  const c = m.capture;
  // Named as people read it ("Response 11:00:59"), never by internal id.
  const head = [label, s?.issuer ? `from ${s.issuer}` : '', m.binding && m.binding !== 'unknown' ? `HTTP-${m.binding === 'post' ? 'POST' : 'Redirect'}` : '']
    .filter(Boolean)
    .join(' · ');
  const out = ['<details>', `<summary>${html(head)}</summary>`, ''];
  const facts: string[] = [];
  if (c.url) facts.push(`| Sent to | ${c.method ? `${mdText(c.method)} ` : ''}${mdCode(c.url.split('?')[0]!)} |`);
  if (c.time) facts.push(`| Captured (UTC) | ${mdCode(utc(c.time)!)} |`);
  if (c.serverDate) facts.push(`| Server Date | ${mdCode(c.serverDate)} |`);
  if (c.status !== undefined) facts.push(`| HTTP status | ${c.status} |`);
  if (c.relayState !== undefined) facts.push(`| RelayState | ${mdCode(c.relayState)} |`);
  if (c.sigAlg !== undefined) facts.push(`| SigAlg | ${mdCode(c.sigAlg)} |`);
  if (m.encoding) facts.push(`| Encoding | ${mdText(m.encoding)} |`);
  if (facts.length) out.push('| | |', '|---|---|', ...facts, '');
  if (m.xml !== undefined) out.push(fence(prettyXml(m.xml), 'xml'));
  else if (m.error) out.push(`Not readable: ${mdText(m.error.message)}`);
  out.push('', '</details>', '');
  return out;
}

/** The ticket. `a` is the analysis to show, already redacted. */
export function renderTicketMarkdown(a: AnalysisResult, o: TicketOptions): string {
  const v = summaryVerdict(a);
  const out: string[] = [];
  // The popup's verdict, naming the cause, leads; the counts follow in the table.
  const lead = leadMarkdown(a);
  out.push(`# SAML sign-in evidence: ${mdText(lead.title)}`, '');
  out.push(...lead.lines, '');
  out.push('| | |', '|---|---|');
  out.push(`| Exported | ${mdCode(o.exportedAt.toISOString())} (UTC) by samlscope ${mdText(o.version)} |`);
  out.push(`| Source | ${mdText(SOURCE_LABEL[o.source.kind])}${o.source.names.length ? ` ${o.source.names.map(mdCode).join(', ')}` : ''} |`);
  out.push(`| Redaction | ${mdText(describeRedaction(o.redaction))} |`);
  if (o.now) out.push(`| Validity judged at | ${mdCode(o.now.toISOString())} (given) |`);
  const single = a.flows.length === 1 ? a.flows[0] : undefined;
  if (single) {
    out.push(`| Flow | ${mdText(single.summary)} |`);
    if (single.startedAt) out.push(`| Started (UTC) | ${mdCode(utc(single.startedAt)!)} |`);
    out.push(`| Entra tenant | ${single.tenantId ? mdCode(single.tenantId) : 'unknown'} |`);
    if (single.awsTarget) out.push(`| AWS sign-in host | ${mdCode(single.awsTarget)} |`);
    if (single.portal) out.push(`| AWS access portal | ${mdCode(single.portal)} |`);
    if (single.clockSkewSeconds !== undefined) out.push(`| Server clock − client clock | ${single.clockSkewSeconds} s |`);
  }
  const sp = spEntityOf(a, single, o.expectations);
  if (sp) out.push(`| SP entity ID (AWS) | ${mdCode(sp[0])} (${mdText(sp[1])}) |`);
  if (o.expectations.acsUrl) out.push(`| ACS URL (configured) | ${mdCode(o.expectations.acsUrl)} |`);
  out.push(...idsRows(a, single));
  out.push(`| Findings | ${v.errors} error${v.errors === 1 ? '' : 's'}, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}, ${v.infos} info |`);
  if (!single && a.flows.length > 1) {
    out.push('', '| Flow | Type | Started (UTC) | Tenant | AWS host |', '|---|---|---|---|---|');
    a.flows.forEach((f, i) => {
      out.push(`| ${i + 1} | ${mdText(flowTypeLabel(f))} | ${f.startedAt ? mdCode(utc(f.startedAt)!) : ''} | ${f.tenantId ? mdCode(f.tenantId) : ''} | ${f.awsTarget ? mdCode(f.awsTarget) : ''} |`);
    });
  }
  // The report body: flows, steps, messages, findings with evidence and fix.
  const body = renderMarkdown(a, { version: o.version, sources: o.source.names, ...(o.notes ? { notes: o.notes } : {}), ...(o.now ? { now: o.now } : {}), ...(o.checklist ? { checklist: o.checklist } : {}) }).split('\n');
  const start = body.findIndex((l) => l.startsWith('Generated by'));
  out.push('', ...body.slice(start >= 0 ? start + 1 : 0));
  while (out[out.length - 1] === '') out.pop();
  if (a.messages.length) {
    out.push('', '## Decoded messages', '');
    const labels = messageLabels(a.messages);
    for (const m of a.messages) out.push(...messageSection(m, labels.get(m.id) ?? m.kind ?? 'unreadable message'));
  }
  while (out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
