// samlscope's command line: files, arguments and exit codes. The analysis is lib/analyze.ts;
// the reports are lib/report. Exit 0: no error finding · 1: an error finding · 2: unusable input
// or options (one line on stderr, no stack trace) · 3: samlscope itself failed.
import { readFileSync } from 'node:fs';
import { readHar, looksLikeHar, type HarResult } from '../lib/har/index.ts';
import type { CapturedMessage, FlowStep } from '../lib/types.ts';
import { HELP, parseCommand, UsageError } from './args.ts';
import { readInputs, readStream, type RawInput } from './inputs.ts';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  /** Colour and width of stdout when it is a terminal. */
  color: boolean;
  columns?: number;
}

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

interface Loaded {
  messages: CapturedMessage[];
  steps: FlowStep[];
  singleFlow: boolean;
  notes: string[];
}

/** A value copied with the quotes around it (from JSON, a script, a chat): the quotes go. */
function unquote(s: string): string {
  const m = /^(["'])([^"'\s]*)\1$/.exec(s);
  return m ? m[2]! : s;
}

/** HAR files and message files, apart; refuses a mix. */
function load(inputs: RawInput[]): Loaded {
  const hars: { input: RawInput; har: HarResult }[] = [];
  const messageInputs: RawInput[] = [];
  const harInputs = inputs.filter((i) => looksLikeHar(i.text) || i.text.trimStart().startsWith('{'));
  let k = 0;
  for (const input of inputs) {
    if (!harInputs.includes(input)) {
      messageInputs.push(input);
      continue;
    }
    const prefix = harInputs.length > 1 ? `har${++k}` : 'har';
    const where = input.arg === '-' ? 'standard input' : input.arg;
    const r = readHar(input.text, input.source === 'file' ? `har:${input.name}` : input.origin, { idPrefix: prefix });
    if (!r.ok) {
      if (r.code === 'not-json') throw new UsageError(`${where}: looks like JSON but does not parse, so it is not a usable HAR file (${r.message.replace(/^.*?JSON: /, '')})`);
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
    const notes = hars.flatMap((h) => h.har.warnings.map((w) => (hars.length > 1 ? `${h.input.name}: ${w}` : w)));
    if (messages.length === 0) {
      const entries = hars.reduce((n, h) => n + h.har.entryCount, 0);
      const hops = steps.length;
      const names = hars.map((h) => (h.input.arg === '-' ? 'standard input' : h.input.arg)).join(', ');
      throw new UsageError(
        `${names}: no SAML message in ${entries} entr${entries === 1 ? 'y' : 'ies'}` +
          (hops ? ` (${hops} of them to Entra / AWS sign-in hosts)` : '') +
          '; turn on "Preserve log" in the network panel, sign in again, then export the HAR',
      );
    }
    return { messages, steps, singleFlow: false, notes };
  }
  const used = new Map<string, number>();
  const messages: CapturedMessage[] = messageInputs.map((input) => {
    let id = input.source === 'file' ? `file:${input.name}` : input.source === 'stdin' ? 'stdin' : `arg:${input.name.replace(/^argument /, '')}`;
    const seen = used.get(id) ?? 0;
    used.set(id, seen + 1);
    if (seen) id = `${id}#${seen + 1}`;
    return { id, raw: unquote(input.text.trim()), origin: input.origin };
  });
  return { messages, steps: [], singleFlow: true, notes: [] };
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const cmd = parseCommand(argv, (p) => readFileSync(p, 'utf8'));
    if (cmd.command === 'help') {
      // Bare `samlscope` is a usage error: the help goes to stderr, exit 2.
      if (cmd.toStderr) {
        io.stderr(HELP);
        return 2;
      }
      io.stdout(HELP);
      return 0;
    }
    if (cmd.command === 'version') {
      io.stdout(`samlscope ${version()}\n`);
      return 0;
    }
    const opts = cmd.options;
    const inputs = await readInputs(opts.inputs, { readStdin: io.readStdin });
    const loaded = load(inputs);
    for (const n of loaded.notes) io.stderr(`samlscope: note: ${n}\n`);
    // Loaded here, not at the top: --help, --version and usage errors stay fast.
    const [{ analyze }, { renderJson, renderMarkdown, renderText, resultVerdict }] = await Promise.all([
      import('../lib/analyze.ts'),
      import('../lib/report/index.ts'),
    ]);
    const result = analyze({
      messages: loaded.messages,
      steps: loaded.steps,
      expectations: opts.expectations,
      singleFlow: loaded.singleFlow,
      analysisTime: new Date(),
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    });
    const base = {
      version: version(),
      sources: inputs.map((i) => i.name),
      ...(opts.now ? { now: opts.now } : {}),
    };
    let text: string;
    if (opts.format === 'json') text = renderJson(result, { includeXml: opts.includeXml });
    else if (opts.format === 'markdown') text = renderMarkdown(result, { ...base, notes: loaded.notes });
    else text = renderText(result, { ...base, color: io.color, ...(io.columns ? { width: Math.min(io.columns, 120) } : {}) });
    io.stdout(text);
    return resultVerdict(result).errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`samlscope: ${e.message}\n`);
      return 2;
    }
    const detail = process.env.SAMLSCOPE_DEBUG ? `\n${(e as Error)?.stack ?? String(e)}` : ' (set SAMLSCOPE_DEBUG=1 for the stack trace)';
    io.stderr(`samlscope: internal error: ${(e as Error)?.message ?? String(e)}; this is a bug${detail}\n`);
    return 3;
  }
}

function useColor(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return !!process.stdout.isTTY && env.TERM !== 'dumb';
}

/** The bin entry: runs main on process.argv and sets the exit code (letting stdout drain). */
export async function run(): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: Io = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    readStdin: () => {
      if (process.stdin.isTTY) process.stderr.write('samlscope: reading standard input; paste the value, then press Ctrl-D\n');
      return readStream(process.stdin);
    },
    color: useColor(),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
