// Import: whatever a person drops or pastes — a HAR export (Chrome, Edge, Firefox), a SAML-tracer
// export, a samlscope evidence bundle, or one SAML message in any binding (a URL, a form body,
// base64, deflated, XML) — becomes the input of the same analysis a live capture gets. Pure.
import { formatInteger } from '../strings.ts';
import type { AnalysisResult } from '../analyze.ts';
import type { Expectations } from '../checks/types.ts';
import { readHar, type HarOptions, type HarResult } from '../har/index.ts';
import type { CapturedMessage, Finding, FlowStep, PageError } from '../types.ts';
import { readBundle, readExpectations, type EvidenceBundle, type SourceKind } from './bundle.ts';
import { isSamlTracerDoc, readSamlTracer } from './samltracer.ts';
import { recordedImportNote } from './recorded.ts';

export type InputKind = Exclude<SourceKind, 'live'>;

export interface ImportedInput {
  ok: true;
  kind: InputKind;
  name: string;
  messages: CapturedMessage[];
  steps: FlowStep[];
  /** From a bundle: the errors the sign-in pages showed. */
  pageErrors?: PageError[];
  /** Several pasted messages form one flow in the order given. */
  singleFlow: boolean;
  /** A samlscope export with identities redacted: its signatures cannot verify. */
  redacted: boolean;
  notes: string[];
  entryCount?: number;
  /** From a bundle: what it was analysed with, and what it found then. */
  expectations?: Expectations;
  now?: Date;
  analysisTime?: Date;
  bundle?: EvidenceBundle;
}

export interface ImportError {
  ok: false;
  kind?: InputKind;
  message: string;
}

/** What the text is, from its first bytes and shape. */
export function detectKind(text: string): InputKind | 'json' {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return 'message';
  if (/"format"\s*:\s*"samlscope-evidence-bundle"/.test(head)) return 'bundle';
  if (/"log"\s*:/.test(head)) return 'har';
  if (/"requests"\s*:\s*\[/.test(head)) return 'saml-tracer';
  return 'json';
}

/**
 * Why a text cannot be a capture or a SAML message, before anything reads it as one: a file
 * compressed or archived (what a customer's mail or ticket system often sends), binary data, or a
 * file named .har that is not JSON. Undefined when it may be read. `name` is
 * how the input is named to the user; a file's name ends in its extension.
 */
export function fileRefusal(text: string, name: string): string | undefined {
  const head = text.slice(0, 1024).replace(/^\uFEFF/, '');
  // An empty input has its own words where it is read.
  if (!head.trim()) return undefined;
  // Magic numbers, as a UTF-8 (or Latin-1) reading of the bytes shows them: gzip 1F 8B, zip "PK"
  // 03 04, 7-Zip "7z" BC AF, bzip2 "BZh", xz FD "7zXZ", zstd 28 B5 2F FD.
  if (/^\x1f(\ufffd|\x8b)/.test(head)) return `${name}: compressed with gzip. Unpack it first (gunzip, or any archive tool), then give samlscope the file inside.`;
  if (head.startsWith('PK\x03\x04')) return `${name}: a zip archive. Unzip it first, then give samlscope the HAR file or message inside.`;
  if (/^(7z(\ufffd|\xbc)|BZh[1-9]|(\ufffd|\xfd)7zXZ|\((\ufffd|\xb5)\/(\ufffd|\xfd))/.test(head)) return `${name}: a compressed archive. Unpack it first, then give samlscope the HAR file or message inside.`;
  // Binary data read as UTF-8 is full of NUL and U+FFFD (UTF-16 without a byte-order mark has NUL
  // every other character); a stray one, or a name or two in a legacy encoding, is not.
  const nul = (head.match(/\0/g) ?? []).length;
  const bad = (head.match(/\ufffd/g) ?? []).length;
  if (nul + bad >= 4 && nul + bad > head.length / 20) {
    const utf16 = nul >= 4 && nul >= head.length / 3;
    return `${name}: binary data, not text${utf16 ? ' (or UTF-16 text without the byte-order mark that says so: save it as UTF-8)' : ''}. samlscope reads HAR files, SAML-tracer exports, its evidence bundles, sign-in logs and SAML messages, all text.`;
  }
  // A HAR file is JSON whatever made it; a message saved under another name is read as it is.
  if (/\.har$/i.test(name) && detectKind(text) === 'message') {
    const start = head.trimStart();
    return `${name}: not a HAR file. A HAR export is JSON and begins with "{"; this file begins with ${JSON.stringify(start.slice(0, 40))}${start.length > 40 ? '…' : ''}. Save it again from the browser's developer tools (Network tab: Export HAR, or Save all as HAR).`;
  }
  return undefined;
}

/**
 * Why a text that begins as JSON is no HAR, SAML-tracer export or bundle, from the parser's error
 * (as JSON.parse wrote it, or as a reader's not-json message quotes it): cut short (the commonest:
 * an upload, mail or chat limit), or where it stops parsing.
 */
export function jsonFailure(text: string, message: string): string {
  const parserMessage = message.replace(/^The file is not JSON(, so not a HAR export)?: /, '');
  const body = text.trimEnd();
  const at = /position (\d+)/.exec(parserMessage);
  const cut = /Unexpected end of JSON input|Unterminated string/i.test(parserMessage) || (at !== null && Number(at[1]) >= body.length - 1);
  const size = `${formatInteger(body.length)} characters`;
  if (cut) return `looks like JSON but ends in the middle, after ${size}: the file was cut short (by an upload, mail or chat size limit?). Ask for it again, whole (zipped if it is large), or export it again.`;
  return `looks like JSON but does not parse (${parserMessage}), so it is neither a HAR, a SAML-tracer export nor an evidence bundle. Export it again; a file edited by hand may have lost a comma or a quote.`;
}

export interface ImportOptions {
  /** Message id prefix (default by kind: har, trace, paste). */
  idPrefix?: string;
  onProgress?: HarOptions['onProgress'];
}

/** Reads one dropped file or pasted text. Never throws. */
export function importText(text: string, name: string, o: ImportOptions = {}): ImportedInput | ImportError {
  try {
    const r = importInner(text, name, o);
    if (r.ok) {
      const recorded = recordedImportNote(r.messages);
      if (recorded) r.notes.push(`${recorded[0]!.toUpperCase()}${recorded.slice(1)}.`);
    }
    return r;
  } catch (e) {
    return { ok: false, message: `${name}: could not be read: ${(e as Error)?.message ?? String(e)}` };
  }
}

function importInner(text: string, name: string, o: ImportOptions): ImportedInput | ImportError {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, message: `${name}: empty, nothing to analyse.` };
  const refused = fileRefusal(text, name);
  if (refused) return { ok: false, message: refused };
  let kind = detectKind(text);
  if (kind === 'json') {
    // The keys may come later than the first 4 KB (pretty-printed with a long first value).
    try {
      const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
      if (doc && typeof doc === 'object' && 'log' in doc) kind = 'har';
      else if (isSamlTracerDoc(doc)) kind = 'saml-tracer';
      else if (doc && (doc as { format?: unknown }).format === 'samlscope-evidence-bundle') kind = 'bundle';
    } catch (e) {
      return { ok: false, message: `${name}: ${jsonFailure(text, (e as Error)?.message ?? String(e))}` };
    }
    if (kind === 'json') {
      return { ok: false, message: `${name}: JSON, but not a HAR (no log.entries), a SAML-tracer export (no requests) or a samlscope evidence bundle. A SAML message is never JSON.` };
    }
  }
  if (kind === 'har') {
    const r = readHar(text, `har:${name}`, { idPrefix: o.idPrefix ?? 'har', ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    if (!r.ok) return { ok: false, kind, message: `${name}: ${r.code === 'not-json' ? jsonFailure(text, r.message) : r.message}` };
    const notes = [...r.warnings];
    if (!r.messages.length && !r.pageErrors.length) notes.push(noSamlNote(r.entryCount, r.steps.length, 'HAR'));
    // samlscope's own HAR export says how it was redacted, in log.comment (written last).
    const redacted = /"comment":\s*"Exported by samlscope; redaction: (pseudonymise|remove)/.test(text.slice(-4096));
    const out: ImportedInput = { ok: true, kind, name, messages: r.messages, steps: r.steps, ...(r.pageErrors.length ? { pageErrors: r.pageErrors } : {}), singleFlow: false, redacted, notes, entryCount: r.entryCount };
    const e = harExpectations(r);
    if (e.note) notes.push(e.note);
    if (e.expectations) out.expectations = e.expectations;
    return out;
  }
  if (kind === 'saml-tracer') {
    const r = readSamlTracer(text, `saml-tracer:${name}`, o.idPrefix ?? 'trace');
    if (!r.ok) return { ok: false, kind, message: `${name}: ${r.code === 'not-json' ? jsonFailure(text, r.message) : r.message}` };
    const notes = [...r.warnings];
    if (!r.messages.length) notes.push(noSamlNote(r.entryCount, r.steps.length, 'SAML-tracer export'));
    return { ok: true, kind, name, messages: r.messages, steps: r.steps, singleFlow: false, redacted: false, notes, entryCount: r.entryCount };
  }
  if (kind === 'bundle') {
    const r = readBundle(text);
    if (!r.ok) return { ok: false, kind, message: `${name}: ${r.code === 'not-json' ? jsonFailure(text, r.message) : r.message}` };
    const b = r.bundle;
    const notes = [...b.notes];
    if (b.redaction.mode !== 'none') notes.push(`Exported with identities ${b.redaction.mode === 'remove' ? 'removed' : 'pseudonymised'} (${b.redaction.covers.join(', ') || 'nothing found to replace'}).`);
    const out: ImportedInput = {
      ok: true,
      kind,
      name,
      messages: b.input.messages,
      steps: b.input.steps,
      ...(b.input.pageErrors?.length ? { pageErrors: b.input.pageErrors } : {}),
      singleFlow: b.input.singleFlow,
      redacted: b.redaction.mode !== 'none',
      notes,
      expectations: b.input.expectations,
      analysisTime: new Date(b.input.analysisTime),
      bundle: b,
    };
    if (b.input.now) out.now = new Date(b.input.now);
    return out;
  }
  // One pasted message, in any binding. Several, separated by blank lines, in the order pasted:
  // a request and its response form one attempt, every other message its own (as in a HAR).
  const parts = splitPasted(text);
  const messages: CapturedMessage[] = parts.map((raw, i) => ({ id: parts.length > 1 ? `paste:${i + 1}` : 'paste', raw, origin: `paste:${name}`, seq: i }));
  return { ok: true, kind: 'message', name, messages, steps: [], singleFlow: false, redacted: false, notes: [] };
}

/**
 * The expectations samlscope's HAR export recorded (lib/evidence/har.ts), validated: a re-import
 * is judged against the values the capture was (redacted alike), not the importer's settings.
 */
export function harExpectations(r: Pick<HarResult, 'samlscopeExpectations'>): { expectations?: Expectations; note?: string } {
  if (r.samlscopeExpectations === undefined) return {};
  const e = readExpectations(r.samlscopeExpectations, 'the HAR\'s _samlscopeExpectations');
  if (!e.ok) return { note: `The expectations this HAR recorded were ignored (${e.why}): it is analysed with the current settings.` };
  return { expectations: e.value, note: 'Analysed with the expectations recorded in this samlscope HAR export (as the capture was).' };
}

/** Pasted text: one message, or several separated by blank lines (an XML message stays whole). */
export function splitPasted(text: string): string[] {
  const t = text.trim();
  if (t.startsWith('<')) return [t];
  const parts = t.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);
  // A base64 value wrapped over several lines has no blank lines: one part.
  return parts.length ? parts : [t];
}

function noSamlNote(entries: number, hops: number, what: string): string {
  return (
    `No SAML message in the ${what}'s ${entries} entr${entries === 1 ? 'y' : 'ies'}` +
    (hops ? ` (${hops} of them to Entra / AWS sign-in hosts)` : '') +
    ': turn on "Preserve log" in the network panel, sign in again, then export.'
  );
}

/** The findings a bundle recorded that a new analysis of its input does not find again. */
export function bundleMissingFindings(recorded: EvidenceBundle['analysis'], now: AnalysisResult): Finding[] {
  const key = (f: Finding) => `${f.checkId}:${f.severity}:${f.messageId ?? ''}`;
  const have = new Map<string, number>();
  for (const f of now.findings) have.set(key(f), (have.get(key(f)) ?? 0) + 1);
  const out: Finding[] = [];
  for (const f of recorded.findings) {
    const n = have.get(key(f)) ?? 0;
    if (n > 0) have.set(key(f), n - 1);
    else out.push(f);
  }
  return out;
}

/** For a bundle: the findings it recorded that a new analysis of its input does not reproduce. */
export function bundleDifferences(recorded: EvidenceBundle['analysis'], now: AnalysisResult): { missing: string[]; added: string[] } {
  const key = (f: { checkId: string; severity: string; messageId?: string | undefined }) => `${f.checkId}:${f.severity}:${f.messageId ?? ''}`;
  const a = recorded.findings.map(key);
  const b = now.findings.map(key);
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const missing: string[] = [];
  const added: string[] = [];
  for (const [k, n] of ca) for (let i = cb.get(k) ?? 0; i < n; i++) missing.push(k);
  for (const [k, n] of cb) for (let i = ca.get(k) ?? 0; i < n; i++) added.push(k);
  return { missing, added };
}
