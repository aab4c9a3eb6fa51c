// Reads the command line's inputs: files, `-` for stdin, or a value given directly (a URL,
// SAMLResponse=..., XML, a long base64 value). Sorts them into HAR files and message files.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_HAR_CHARS } from '../lib/har/index.ts';
import { detectKind } from '../lib/evidence/import.ts';
import { isSamlTracerDoc } from '../lib/evidence/samltracer.ts';
import { UsageError } from './args.ts';

/** Largest input file read, bytes: the HAR limit (a message file is far smaller). */
export const MAX_INPUT_BYTES = MAX_HAR_CHARS;

export interface RawInput {
  /** As given on the command line. */
  arg: string;
  /** For display and ids: the file's base name, "stdin", or "argument N". */
  name: string;
  origin: string;
  text: string;
  source: 'file' | 'stdin' | 'argument';
}

export interface InputIo {
  readStdin(): Promise<string>;
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** A value given on the command line instead of a file name. */
export function looksLikeValue(arg: string): boolean {
  const t = arg.trim();
  return (
    /^https?:\/\//i.test(t) ||
    /(^|[?&])(SAMLRequest|SAMLResponse)=/.test(t) ||
    t.startsWith('<') ||
    /^[A-Za-z0-9+/=%_-]{40,}$/.test(t)
  );
}

function fsMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot read it (${(e as Error).message ?? String(e)})`;
  }
}

export async function readInputs(args: string[], io: InputIo): Promise<RawInput[]> {
  const out: RawInput[] = [];
  if (args.filter((a) => a === '-').length > 1) throw new UsageError('"-" (standard input) can be given only once');
  let n = 0;
  for (const arg of args) {
    n++;
    if (arg === '-') {
      let text: string;
      try {
        text = await io.readStdin();
      } catch (e) {
        throw new UsageError(`cannot read standard input: ${(e as Error).message ?? String(e)}`);
      }
      if (text.trim() === '') throw new UsageError('standard input is empty: pipe a HAR file or a SAML value into "samlscope analyze -"');
      out.push({ arg, name: 'stdin', origin: 'stdin', text, source: 'stdin' });
      continue;
    }
    let size: number | undefined;
    let isFile = false;
    let statError: unknown;
    try {
      const st = await stat(arg);
      if (st.isDirectory()) throw new UsageError(`${arg}: is a directory, not a file`);
      isFile = true;
      size = st.size;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      statError = e;
    }
    if (!isFile) {
      const code = (statError as { code?: string }).code;
      if ((code === 'ENOENT' || code === 'ENAMETOOLONG') && looksLikeValue(arg)) {
        out.push({ arg, name: `argument ${n}`, origin: 'argument', text: arg, source: 'argument' });
        continue;
      }
      throw new UsageError(`${arg}: ${fsMessage(statError)}`);
    }
    if (size !== undefined && size > MAX_INPUT_BYTES) {
      throw new UsageError(`${arg}: ${mb(size)} is over the ${mb(MAX_INPUT_BYTES)} limit; record only the sign-in and export again`);
    }
    let text: string;
    try {
      text = decodeText(await readFile(arg));
    } catch (e) {
      throw new UsageError(`${arg}: ${fsMessage(e)}`);
    }
    if (text.trim() === '') throw new UsageError(`${arg}: the file is empty`);
    out.push({ arg, name: basename(arg), origin: `file:${basename(arg)}`, text, source: 'file' });
  }
  return out;
}

/**
 * File bytes → text: UTF-8, or UTF-16 when a byte-order mark says so (Windows PowerShell's
 * `>` writes UTF-16LE, and people save pasted values that way).
 */
export function decodeText(b: Uint8Array): string {
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  return new TextDecoder('utf-8').decode(b);
}

/** Reads all of stdin as UTF-8, refusing more than `max` bytes. */
export function readStream(stream: NodeJS.ReadableStream, max = MAX_INPUT_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    stream.on('data', (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      total += b.length;
      if (total > max) {
        reject(new Error(`more than ${mb(max)}`));
        stream.removeAllListeners('data');
        return;
      }
      chunks.push(b);
    });
    stream.on('end', () => resolve(decodeText(Buffer.concat(chunks))));
    stream.on('error', reject);
  });
}

export type InputClass = 'har' | 'saml-tracer' | 'bundle' | 'message' | 'json';

/**
 * What an input is, from its content: a HAR export, a SAML-tracer export, a samlscope evidence
 * bundle, other JSON (refused), or a SAML message in any binding.
 */
export function classifyInput(text: string): InputClass {
  const k = detectKind(text);
  if (k !== 'json') return k;
  // The distinguishing key may come after the first 4 KB: read the whole JSON.
  try {
    const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
      const o = doc as Record<string, unknown>;
      if (o.format === 'samlscope-evidence-bundle') return 'bundle';
      if ('log' in o) return 'har';
      if (isSamlTracerDoc(o)) return 'saml-tracer';
    }
  } catch {
    /* not JSON: the HAR reader says why */
  }
  return 'json';
}
