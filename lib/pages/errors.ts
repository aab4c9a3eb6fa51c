// Reading the error a sign-in page shows, from the page's visible text only. The content script
// hands over document.body.innerText (which holds no form field values) and keeps nothing but
// what these functions return: code, message, ids and timestamp, or AWS's heading.
//
// Entra (FACTS B5): Microsoft documents that the page shows a Correlation ID and Timestamp and a
// sentence naming the cause; the exact labels are not documented and the messages change, so the
// code is matched with /AADSTS\d+/ and the ids with tolerant patterns, never with fixed labels.
// AWS (FACTS A10): Identity Center's generic errors are "An unexpected error has occurred" and
// "It's not you, it's us" (also written "It's not you, it is us").
import type { PageError } from '../types.ts';
import { hostRole } from '../domain/hosts.ts';

export type PageErrorReading = Pick<PageError, 'source' | 'code' | 'message' | 'requestId' | 'correlationId' | 'timestamp' | 'heading'>;

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MAX_MESSAGE = 600;

/** The first GUID after a label such as "Correlation Id:", "Correlation ID", "correlationId". */
function guidAfter(text: string, label: string): string | undefined {
  // No two whitespace runs side by side: "\s*(id)?["']?\s*[:=]?\s*" split a run of spaces three
  // ways and took minutes on a label followed by 5,000 spaces (a HAR body is anyone's text).
  const m = new RegExp(`${label}(?:\\s*(?:identifier|id))?[\\s"':=]*(${GUID})`, 'i').exec(text);
  return m?.[1]?.toLowerCase();
}

/** An ISO 8601 instant after "Timestamp". */
function timestampAfter(text: string): string | undefined {
  const m = /time\s*stamp[\s"':=]*(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)/i.exec(text);
  return m?.[1];
}

/** The sentence after "AADSTSnnnnn:", up to the end of its line, bounded. */
function messageAfter(text: string, index: number, codeLength: number): string | undefined {
  const rest = text.slice(index + codeLength).replace(/^\s*[:\-–]\s*/, '');
  const line = rest.split(/\r?\n/)[0]!.trim();
  // Entra puts the ids on the same line in some layouts ("... Trace ID: … Correlation ID: …").
  const cut = line.search(/\s(?:Trace|Request|Correlation)\s*I[dD]\b|\sTimestamp\b/);
  const s = (cut > 0 ? line.slice(0, cut) : line).trim().replace(/"$/, '');
  if (!s) return undefined;
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

/** Reads an Entra sign-in error from the page's text, or undefined when it shows none. */
export function readEntraError(text: string): PageErrorReading | undefined {
  const m = /AADSTS(\d{5,7})\b/.exec(text);
  if (!m) return undefined;
  const out: PageErrorReading = { source: 'entra', code: `AADSTS${m[1]}` };
  const message = messageAfter(text, m.index, m[0].length);
  if (message) out.message = message;
  const requestId = guidAfter(text, 'request') ?? guidAfter(text, 'trace');
  if (requestId) out.requestId = requestId;
  const correlationId = guidAfter(text, 'correlation');
  if (correlationId) out.correlationId = correlationId;
  const timestamp = timestampAfter(text);
  if (timestamp) out.timestamp = timestamp;
  return out;
}

/**
 * Reads an Entra error from a page: the error must be visible (so a script string or a hidden
 * template never raises one), but the ids may sit in a collapsed "Troubleshooting details" panel,
 * so they are also taken from the page's hidden text (text nodes outside scripts and styles).
 */
export function readEntraPage(visible: string, hidden: string): PageErrorReading | undefined {
  const shown = readEntraError(visible);
  if (!shown) return undefined;
  if (shown.correlationId && shown.requestId && shown.timestamp) return shown;
  const more = readEntraError(`${shown.code}\n${hidden}`);
  const out: PageErrorReading = { ...shown };
  if (!out.correlationId && more?.correlationId) out.correlationId = more.correlationId;
  if (!out.requestId && more?.requestId) out.requestId = more.requestId;
  if (!out.timestamp && more?.timestamp) out.timestamp = more.timestamp;
  return out;
}

export const AWS_UNEXPECTED = 'An unexpected error has occurred';
export const AWS_NOT_YOU = "It's not you, it's us";

/** Reads Identity Center's generic sign-in error from the page's text, or undefined. */
export function readAwsError(text: string): PageErrorReading | undefined {
  // "It's not you, it's us" wins: AWS's page under that heading can also say "an unexpected error".
  if (/it['’]s not you,\s*it(?:['’]s| is) us/i.test(text)) return { source: 'aws', heading: AWS_NOT_YOU };
  if (/an unexpected error has occurred/i.test(text)) return { source: 'aws', heading: AWS_UNEXPECTED };
  return undefined;
}

/**
 * The text of a saved page (a HAR response body): tags dropped, entities and the JSON escapes of
 * Entra's inline page configuration undone, each JSON string on a line of its own. Script text
 * is kept: Entra's error page carries the code and ids in its inline configuration.
 */
export function htmlToText(html: string): string {
  const scripts: string[] = [];
  // Scripts and tags are found with indexOf, not /<script\b[^>]*>([\s\S]*?)<\/script>/ and
  // /<[^>]*>/: those restart at every '<' without a match and were quadratic in a body of '<'.
  const src = html.slice(0, 2_000_000);
  const parts: string[] = [];
  const open = /<script\b/gi;
  const close = /<\/script>/gi;
  let last = 0;
  for (let m = open.exec(src); m; m = open.exec(src)) {
    const gt = src.indexOf('>', m.index);
    if (gt < 0) break;
    close.lastIndex = gt + 1;
    const c = close.exec(src);
    if (!c) break;
    const js = src.slice(gt + 1, c.index);
    scripts.push(
      js
        .replace(/<!\[CDATA\[|\]\]>/g, '')
        .replace(/\\u0027/g, "'")
        .replace(/\\u0026/g, '&')
        .replace(/\\u003c/gi, '<')
        .replace(/\\u003e/gi, '>')
        .replace(/\\\//g, '/')
        .replace(/","/g, '"\n"'),
    );
    parts.push(src.slice(last, m.index), '\n');
    last = c.index + c[0].length;
    open.lastIndex = last;
  }
  parts.push(src.slice(last));
  const visible = stripTags(parts.join(''))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return [visible, ...scripts].join('\n');
}

/** Every `<…>` replaced by a line break; a '<' with no '>' after it stays. Linear. */
function stripTags(s: string): string {
  const out: string[] = [];
  let last = 0;
  for (let lt = s.indexOf('<'); lt >= 0; lt = s.indexOf('<', last)) {
    const gt = s.indexOf('>', lt + 1);
    if (gt < 0) break;
    out.push(s.slice(last, lt), '\n');
    last = gt + 1;
  }
  out.push(s.slice(last));
  return out.join('');
}

/** Which reader applies to a page, from its host (the content script runs only on these). */
export function pageErrorReaderFor(host: string): ((text: string) => PageErrorReading | undefined) | undefined {
  const role = hostRole(host);
  if (role === 'entra') return readEntraError;
  if (role === 'aws-acs' || role === 'aws-portal') return readAwsError;
  return undefined;
}

const str = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.length > 0 ? (v.length > max ? v.slice(0, max) : v) : undefined;

/**
 * Validates what a content script sent before it is stored: only the known fields, bounded,
 * with the code and ids in their shapes. Returns undefined for anything else.
 */
export function sanitizeReading(x: unknown): PageErrorReading | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  if (o.source === 'entra') {
    const code = str(o.code, 20);
    if (!code || !/^AADSTS\d{5,7}$/.test(code)) return undefined;
    const out: PageErrorReading = { source: 'entra', code };
    const message = str(o.message, MAX_MESSAGE + 1);
    if (message) out.message = message;
    for (const k of ['requestId', 'correlationId'] as const) {
      const v = str(o[k], 36);
      if (v && new RegExp(`^${GUID}$`, 'i').test(v)) out[k] = v.toLowerCase();
    }
    const ts = str(o.timestamp, 40);
    if (ts && /^\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?$/.test(ts)) out.timestamp = ts;
    return out;
  }
  if (o.source === 'aws') {
    if (o.heading === AWS_UNEXPECTED || o.heading === AWS_NOT_YOU) return { source: 'aws', heading: o.heading };
    return undefined;
  }
  return undefined;
}
