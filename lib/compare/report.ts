// A comparison of two sign-ins as text (a terminal), Markdown (a ticket) or JSON (a script).
// Pure. Captured values are attacker-shaped: escaped for the terminal, code spans in Markdown.
import { safeText } from '../report/text.ts';
import { firstDifference } from '../report/common.ts';
import { mdCode, mdText } from '../report/markdown.ts';
import { GROUP_LABEL, type Change, type CompareGroup, type CompareRow, type Comparison } from './index.ts';

/** One side of the comparison, for the header. */
export interface DiffSide {
  /** The file (or "standard input", "argument 2"). */
  source: string;
  /** "flow 2 of 3 · SP-initiated · … · 2 errors". */
  flow?: string;
  flowId?: string;
  flowNumber?: number;
  messageId: string;
}

export interface DiffReportOptions {
  good: DiffSide;
  bad: DiffSide;
  /** Show the identical fields too (folded by default). */
  all?: boolean;
  color?: boolean;
  version?: string;
}

const GROUP_ORDER = Object.keys(GROUP_LABEL) as CompareGroup[];

const CHANGE_LABEL: Record<Change, string> = {
  same: 'same',
  changed: 'changed',
  added: 'only in the failing one',
  removed: 'only in the known-good one',
};

/** Rows by group, in display order. */
export function groupRows(rows: CompareRow[]): { group: CompareGroup; label: string; rows: CompareRow[] }[] {
  return GROUP_ORDER.map((group) => ({ group, label: GROUP_LABEL[group], rows: rows.filter((r) => r.group === group) })).filter((g) => g.rows.length);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function summaryLine(c: Comparison): string {
  if (c.error) return 'The two sign-ins cannot be compared.';
  if (!c.differences) return `No difference: ${plural(c.same, 'field is', 'fields are')} the same.`;
  return `${plural(c.differences, 'field differs', 'fields differ')}; ${plural(c.same, 'field is', 'fields are')} the same.`;
}

// ---- text -----------------------------------------------------------------------------------

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m' } as const;

function showValue(v: string | undefined, list?: string[]): string {
  if (v === undefined) return '(absent)';
  if (list && list.length > 1) return `(${list.length} values) ${list.map((x) => showValue(x)).join(' | ')}`;
  if (v === '') return '(empty)';
  if (/^\s|\s$|[\n\t]/.test(v)) return JSON.stringify(v);
  return safeText(v);
}

export function renderDiffText(c: Comparison, o: DiffReportOptions): string {
  const paint = (style: keyof typeof ANSI, s: string) => (o.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  const side = (label: string, s: DiffSide) => `${label} ${safeText(s.source)}${s.flow ? ` · ${safeText(s.flow)}` : ''}`;
  out.push(paint('bold', side('Known-good:', o.good)));
  out.push(paint('bold', side('Failing:   ', o.bad)));
  out.push('');
  if (c.error) out.push(paint('red', safeText(c.error)));
  for (const n of c.notes) out.push(paint('yellow', `Note: ${safeText(n)}`));
  if (c.error || c.notes.length) out.push('');
  const tone: Record<Change, keyof typeof ANSI> = { same: 'dim', changed: 'yellow', added: 'green', removed: 'red' };
  for (const g of groupRows(c.rows)) {
    const shown = g.rows.filter((r) => o.all || r.change !== 'same');
    if (!shown.length) continue;
    out.push(paint('bold', g.label));
    for (const r of shown) {
      if (r.change === 'same') {
        out.push(paint('dim', `  = ${safeText(r.field)}: ${showValue(r.good ?? r.bad)}`));
        continue;
      }
      out.push(`  ${paint(tone[r.change], r.change === 'changed' ? '≠' : r.change === 'added' ? '+' : '−')} ${paint('bold', safeText(r.field))} ${paint(tone[r.change], `(${CHANGE_LABEL[r.change]})`)}`);
      out.push(`      known-good  ${showValue(r.good, r.values?.good)}`);
      if (r.note?.good) out.push(paint('dim', `                  ${safeText(r.note.good)}`));
      out.push(`      failing     ${showValue(r.bad, r.values?.bad)}`);
      // Where the values start to differ, as analyze marks it: a trailing slash, a changed tenant.
      const plain = r.change === 'changed' && r.good !== undefined && r.bad !== undefined && !(r.values?.good && r.values.good.length > 1) && !(r.values?.bad && r.values.bad.length > 1) && showValue(r.good) === safeText(r.good) && showValue(r.bad) === safeText(r.bad);
      const at = plain ? firstDifference(r.good!, r.bad!) : -1;
      if (at > 0 && at <= 160) out.push(`                  ${' '.repeat(at)}${paint('dim', at >= r.bad!.length ? '^ (ends here; known-good continues)' : '^ differs from here')}`);
      if (r.note?.bad) out.push(paint('dim', `                  ${safeText(r.note.bad)}`));
      if (r.detail) out.push(`      ${safeText(r.detail)}`);
    }
    out.push('');
  }
  const fold = !o.all && c.same && c.differences && !c.error ? ' (--all shows them)' : '';
  out.push(paint(c.differences ? 'yellow' : 'green', summaryLine(c).replace(/\.$/, `${fold}.`)));
  return `${out.join('\n')}\n`;
}

// ---- Markdown -------------------------------------------------------------------------------

function mdValue(v: string | undefined, note?: string): string {
  const main = v === undefined ? '*(absent)*' : mdCode(v);
  return note ? `${main}<br>${mdText(note)}` : main;
}

function mdTable(rows: CompareRow[]): string[] {
  const out = ['| Field | Known-good | Failing | |', '|---|---|---|---|'];
  for (const r of rows) {
    const mark = r.change === 'same' ? '=' : `**${CHANGE_LABEL[r.change]}**`;
    const at = r.change === 'changed' && r.good !== undefined && r.bad !== undefined ? firstDifference(r.good, r.bad) : -1;
    const from = at > 0 ? `<br>differs from character ${at + 1}: ${mdCode(`…${r.bad!.slice(at, at + 40)}`)}` : '';
    const detail = `${r.detail ? `<br>${mdText(r.detail)}` : ''}${from}`;
    out.push(`| ${mdText(GROUP_LABEL[r.group])}: ${mdCode(r.field)} | ${mdValue(r.good, r.note?.good)} | ${mdValue(r.bad, r.note?.bad)}${detail} | ${mark} |`);
  }
  return out;
}

export function renderDiffMarkdown(c: Comparison, o: DiffReportOptions): string {
  const out: string[] = ['## Two SAML sign-ins compared', ''];
  const side = (s: DiffSide) => `${mdCode(s.source)}${s.flow ? `, ${mdText(s.flow)}` : ''}`;
  out.push(`- **Known-good:** ${side(o.good)}`);
  out.push(`- **Failing:** ${side(o.bad)}`);
  out.push('');
  if (c.error) out.push(`**${mdText(c.error)}**`, '');
  for (const n of c.notes) out.push(`> ${mdText(n)}`, '');
  out.push(`**${mdText(summaryLine(c))}**`, '');
  const diff = c.rows.filter((r) => r.change !== 'same');
  if (diff.length) out.push(...mdTable(diff), '');
  const same = c.rows.filter((r) => r.change === 'same');
  if (same.length && o.all) {
    out.push(`<details><summary>${plural(same.length, 'identical field')}</summary>`, '', ...mdTable(same), '', '</details>', '');
  }
  out.push(`<sub>samlscope${o.version ? ` ${mdText(o.version)}` : ''} diff</sub>`, '');
  return out.join('\n');
}

// ---- JSON -----------------------------------------------------------------------------------

export interface DiffJson {
  good: DiffSide;
  bad: DiffSide;
  differences: number;
  same: number;
  notes: string[];
  error: string | null;
  /** Every compared field, same ones included. */
  rows: CompareRow[];
}

export function renderDiffJson(c: Comparison, o: DiffReportOptions): string {
  const doc: DiffJson = { good: o.good, bad: o.bad, differences: c.differences, same: c.same, notes: c.notes, error: c.error ?? null, rows: c.rows };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
