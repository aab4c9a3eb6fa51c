// The command line's input loader, shared by the analysis (cli/main.ts), export, diff and the
// SCIM cross-check, so that no subcommand imports the main module (or another subcommand): files
// and arguments → captured messages, hops and page errors, with the notes to print.
import { readFileSync } from 'node:fs';
import { readHar, type HarResult } from '../lib/har/index.ts';
import type { CapturedMessage, FlowStep, PageError } from '../lib/types.ts';
import type { Expectations } from '../lib/checks/types.ts';
import { readSamlTracer } from '../lib/evidence/samltracer.ts';
import { readBundle, type SourceKind } from '../lib/evidence/bundle.ts';
import { UsageError } from './args.ts';
import { classifyInput, type InputClass, type RawInput } from './inputs.ts';
import { recordedImportNote } from '../lib/evidence/recorded.ts';
import { fileRefusal, harExpectations, jsonFailure } from '../lib/evidence/import.ts';
import { looksLikeSignInLog, readSignInLog, type SignInLogRecord } from '../lib/logs/signin.ts';
import type { AnalyzeInput } from '../lib/analyze.ts';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  /** Colour and width of stdout when it is a terminal. */
  color: boolean;
  columns?: number;
  /** Standard error is a terminal: a progress line may be drawn there (analyze --each). */
  progress?: boolean;
  progressColumns?: number;
}

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface Loaded {
  messages: CapturedMessage[];
  steps: FlowStep[];
  /** From an evidence bundle: the errors the sign-in pages showed. */
  pageErrors?: PageError[];
  singleFlow: boolean;
  notes: string[];
  kind: SourceKind;
  /** From an evidence bundle: what it was analysed with (flags override). */
  expectations?: Expectations;
  now?: Date;
  analysisTime?: Date;
  /** Sign-in logs given with the capture (Entra sign-in log, CloudTrail sign-in events). */
  signInLogs?: SignInLogRecord[];
}

/** A value copied with the quotes around it (from JSON, a script, a chat): the quotes go. */
function unquote(s: string): string {
  const m = /^(["'])([^"'\s]*)\1$/.exec(s);
  return m ? m[2]! : s;
}

/**
 * Sign-in logs (Entra's, CloudTrail's) among the inputs are read apart and joined to the capture's
 * attempts by the analysis; the rest is the capture (load below).
 */
export function loadWithLogs(all: RawInput[]): Loaded {
  const logs = all.filter((i) => looksLikeSignInLog(i.text));
  const rest = all.filter((i) => !logs.includes(i));
  const records: SignInLogRecord[] = [];
  const notes: string[] = [];
  for (const input of logs) {
    const where = input.arg === '-' ? 'standard input' : input.arg;
    const r = readSignInLog(input.text, input.name);
    if (!r.ok) throw new UsageError(`${where}: looks like a sign-in log but cannot be read: ${r.message}`);
    records.push(...r.records);
    const kind = r.source === 'entra' ? 'Entra sign-in log' : 'CloudTrail sign-in events';
    notes.push(`${input.name}: ${kind}, ${r.records.length} record${r.records.length === 1 ? '' : 's'}${r.notes.length ? `; ${r.notes.join('; ')}` : ''}`);
  }
  if (!rest.length) {
    return { messages: [], steps: [], singleFlow: false, notes, kind: 'message', ...(records.length ? { signInLogs: records } : {}) };
  }
  const loaded = load(rest);
  loaded.notes.push(...notes);
  if (records.length) loaded.signInLogs = [...(loaded.signInLogs ?? []), ...records];
  return loaded;
}

/** Captures (HAR, SAML-tracer, bundle) and message files, apart; refuses a mix. */
export function load(inputs: RawInput[]): Loaded {
  const loaded = loadInner(inputs);
  const recorded = recordedImportNote(loaded.messages);
  if (recorded) loaded.notes.push(recorded);
  return loaded;
}

function loadInner(inputs: RawInput[]): Loaded {
  for (const input of inputs) {
    const refused = fileRefusal(input.text, input.source === 'file' ? input.arg : input.source === 'stdin' ? 'standard input' : input.name);
    if (refused) throw new UsageError(refused);
  }
  const hars: { input: RawInput; har: Omit<HarResult, 'ok'> }[] = [];
  const messageInputs: RawInput[] = [];
  const classes = new Map<RawInput, InputClass>(inputs.map((i) => [i, classifyInput(i.text)]));
  const harInputs = inputs.filter((i) => classes.get(i) !== 'message');
  const bundles = inputs.filter((i) => classes.get(i) === 'bundle');
  if (bundles.length && inputs.length > 1) {
    throw new UsageError(`an evidence bundle (${bundles[0]!.arg}) holds a whole capture: give it alone`);
  }
  if (bundles.length) {
    const input = bundles[0]!;
    const r = readBundle(input.text);
    if (!r.ok) throw new UsageError(`${input.arg === '-' ? 'standard input' : input.arg}: ${r.message}`);
    const b = r.bundle;
    const notes = [...b.notes];
    if (b.redaction.mode !== 'none') notes.push(`the bundle's identities are ${b.redaction.mode === 'remove' ? 'removed' : 'pseudonymised'}`);
    const out: Loaded = {
      messages: b.input.messages,
      steps: b.input.steps,
      ...(b.input.pageErrors?.length ? { pageErrors: b.input.pageErrors } : {}),
      ...(b.input.signInLogs?.length ? { signInLogs: b.input.signInLogs } : {}),
      singleFlow: b.input.singleFlow,
      notes,
      kind: 'bundle',
      expectations: b.input.expectations,
      analysisTime: new Date(b.input.analysisTime),
    };
    if (b.input.now) out.now = new Date(b.input.now);
    return out;
  }
  let k = 0;
  const kinds = new Set<SourceKind>();
  for (const input of inputs) {
    if (!harInputs.includes(input)) {
      messageInputs.push(input);
      continue;
    }
    const where = input.arg === '-' ? 'standard input' : input.arg;
    if (classes.get(input) === 'saml-tracer') {
      const prefix = harInputs.length > 1 ? `trace${++k}` : 'trace';
      const t = readSamlTracer(input.text, input.source === 'file' ? `saml-tracer:${input.name}` : input.origin, prefix);
      if (!t.ok) throw new UsageError(`${where}: ${t.message}`);
      hars.push({ input, har: { ...t, pageErrors: [] } });
      kinds.add('saml-tracer');
      continue;
    }
    kinds.add('har');
    const prefix = harInputs.length > 1 ? `har${++k}` : 'har';
    const r = readHar(input.text, input.source === 'file' ? `har:${input.name}` : input.origin, { idPrefix: prefix });
    if (!r.ok) {
      if (r.code === 'not-json') throw new UsageError(`${where}: ${jsonFailure(input.text, r.message)}`);
      if (r.code === 'not-har') throw new UsageError(`${where}: JSON, but not a HAR export (no log.entries); a SAML message is never JSON`);
      throw new UsageError(`${where}: ${r.message}`);
    }
    hars.push({ input, har: r });
  }
  if (hars.length && messageInputs.length) {
    throw new UsageError(
      `cannot mix HAR files (${hars.map((h) => h.input.arg).join(', ')}) with message files (${messageInputs.map((m) => m.arg).join(', ')}): analyze the HAR alone, or the message files alone`,
    );
  }
  if (hars.length) {
    const messages = hars.flatMap((h) => h.har.messages);
    const steps = hars.flatMap((h) => h.har.steps);
    const pageErrors = hars.flatMap((h) => h.har.pageErrors);
    const notes = hars.flatMap((h) => h.har.warnings.map((w) => (hars.length > 1 ? `${h.input.name}: ${w}` : w)));
    if (messages.length === 0 && pageErrors.length === 0) {
      const entries = hars.reduce((n, h) => n + h.har.entryCount, 0);
      const hops = steps.length;
      const names = hars.map((h) => (h.input.arg === '-' ? 'standard input' : h.input.arg)).join(', ');
      throw new UsageError(
        `${names}: no SAML message in ${entries} entr${entries === 1 ? 'y' : 'ies'}` +
          (hops ? ` (${hops} of them to Entra / AWS sign-in hosts)` : '') +
          '; turn on "Preserve log" in the network panel, sign in again, then export the HAR',
      );
    }
    const out: Loaded = { messages, steps, ...(pageErrors.length ? { pageErrors } : {}), singleFlow: false, notes, kind: kinds.has('saml-tracer') && !kinds.has('har') ? 'saml-tracer' : 'har' };
    // One samlscope HAR export: the expectations it recorded (flags still override them).
    if (hars.length === 1) {
      const e = harExpectations(hars[0]!.har);
      if (e.note) notes.push(e.note.replace(/\.$/, ''));
      if (e.expectations) out.expectations = e.expectations;
    }
    return out;
  }
  const used = new Map<string, number>();
  let seqNext = 0;
  const messages: CapturedMessage[] = messageInputs.map((input) => {
    let id = input.source === 'file' ? `file:${input.name}` : input.source === 'stdin' ? 'stdin' : `arg:${input.name.replace(/^argument /, '')}`;
    const seen = used.get(id) ?? 0;
    used.set(id, seen + 1);
    if (seen) id = `${id}#${seen + 1}`;
    // The order of the arguments is the order of capture: a request before its response, and
    // every attempt its own flow, as in a HAR file.
    return { id, raw: unquote(input.text.trim()), origin: input.origin, seq: seqNext++ };
  });
  return { messages, steps: [], singleFlow: false, notes: [], kind: 'message' };
}

/**
 * What `analyze`, `analyze --each` and `export` analyse of a loaded capture: its messages, hops,
 * page errors and sign-in logs, with the expectations the caller merged (file, trust, flags).
 */
export function analysisInputOf(
  loaded: Loaded,
  expectations: Expectations,
  o: { now?: Date | undefined; maxBytes?: number | undefined } = {},
): AnalyzeInput & { steps: FlowStep[]; expectations: Expectations; analysisTime: Date; singleFlow: boolean } {
  const now = o.now ?? loaded.now;
  return {
    messages: loaded.messages,
    steps: loaded.steps,
    ...(loaded.pageErrors ? { pageErrors: loaded.pageErrors } : {}),
    expectations,
    singleFlow: loaded.singleFlow,
    analysisTime: loaded.analysisTime ?? new Date(),
    ...(now ? { now } : {}),
    ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
    ...(loaded.signInLogs?.length ? { signInLogs: loaded.signInLogs } : {}),
  };
}
