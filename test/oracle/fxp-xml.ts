// The former fast-xml-parser-based reader, kept as a test oracle for lib/saml/xml.ts: both must
// build the same tree for every message both accept (test/xml-oracle.test.ts).
// A small namespace-aware XML tree over fast-xml-parser's ordered output.
// fast-xml-parser is configured for SAML (see shared/LIBRARY-NOTES.md): no entity expansion
// beyond the five XML names and numeric references, comments and processing instructions kept,
// values left as text (an employee number "0042" stays "0042").
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// The tree types are the reader's own: both readers build the same shapes.
import type { XElement, XNode, XmlParseError } from '../../lib/saml/xml.ts';

/** Deeper than any SAML message (about 10 levels); fast-xml-parser's default limit too. */
export const MAX_DEPTH = 100;

const XML_ENTITIES = { amp: '&', apos: "'", gt: '>', lt: '<', quot: '"' };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  commentPropName: '#comment',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Typed as boolean, but an object limits named entities to XML's five and decodes numeric
  // references (&#x41;), as XML requires; `true` would also accept HTML-only names.
  htmlEntities: XML_ENTITIES as unknown as boolean,
  ignoreDeclaration: false,
  ignorePiTags: false,
  allowBooleanAttributes: false,
  maxNestedTags: MAX_DEPTH,
});

type Ordered = Record<string, unknown>;

/** Sets an own property, even one named __proto__. */
function setOwn(o: Record<string, string>, k: string, v: string): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function splitName(q: string): [string, string] {
  const i = q.indexOf(':');
  return i < 0 ? ['', q] : [q.slice(0, i), q.slice(i + 1)];
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  let s = '';
  for (const c of children) {
    const t = (c as Ordered)['#text'];
    if (t !== undefined) s += String(t);
  }
  return s;
}

function build(node: Ordered, parentScope: Record<string, string>, path: string): XElement | null {
  let name: string | undefined;
  for (const k of Object.keys(node)) {
    if (k !== ':@') {
      name = k;
      break;
    }
  }
  if (name === undefined) return null;
  const rawAttrs = (node[':@'] as Record<string, unknown> | undefined) ?? {};
  const attrs: Record<string, string> = {};
  let scope = parentScope;
  let copied = false;
  for (const [k, v] of Object.entries(rawAttrs)) {
    const val = String(v);
    setOwn(attrs, k, val);
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (!copied) {
        scope = { ...parentScope };
        copied = true;
      }
      setOwn(scope, k === 'xmlns' ? '' : k.slice(6), val);
    }
  }
  const [prefix, local] = splitName(name);
  const el: XElement = {
    kind: 'element',
    name,
    prefix,
    local,
    // Own bindings only: a prefix named constructor or __proto__ is not Object.prototype's.
    ns: Object.hasOwn(scope, prefix) ? scope[prefix]! : '',
    attrs,
    children: [],
    path,
    nsScope: scope,
  };
  const kids = node[name];
  if (Array.isArray(kids)) {
    // Count element names first so that repeated siblings get an index in their path.
    const counts = new Map<string, number>();
    for (const k of kids) {
      const kn = firstKey(k as Ordered);
      if (kn && kn[0] !== '#' && kn[0] !== '?') {
        const l = splitName(kn)[1];
        counts.set(l, (counts.get(l) ?? 0) + 1);
      }
    }
    const seen = new Map<string, number>();
    for (const k of kids) {
      const o = k as Ordered;
      const kn = firstKey(o);
      if (kn === undefined) continue;
      if (kn === '#text') {
        el.children.push({ kind: 'text', value: String(o['#text']) });
      } else if (kn === '#comment') {
        el.children.push({ kind: 'comment', value: textOf(o['#comment']) });
      } else if (kn[0] === '?') {
        el.children.push({ kind: 'pi', target: kn.slice(1), value: piText(o, kn) });
      } else {
        const l = splitName(kn)[1];
        const n = (seen.get(l) ?? 0) + 1;
        seen.set(l, n);
        const childPath = `${path}/${l}${(counts.get(l) ?? 0) > 1 ? `[${n}]` : ''}`;
        const child = build(o, scope, childPath);
        if (child) el.children.push(child);
      }
    }
  }
  return el;
}

/**
 * A processing instruction's data. fast-xml-parser keeps only what reads like attributes
 * (`<?target a="1"?>`) and drops free text, so this is a best effort for display.
 */
function piText(o: Ordered, k: string): string {
  const t = textOf(o[k]);
  if (t) return t;
  const a = o[':@'] as Record<string, unknown> | undefined;
  if (!a) return '';
  return Object.entries(a)
    .map(([n, v]) => `${n}="${String(v)}"`)
    .join(' ');
}

function firstKey(o: Ordered): string | undefined {
  for (const k in o) if (k !== ':@') return k;
  return undefined;
}

export interface XmlDocument {
  root: XElement;
  /** Comments and processing instructions outside the root element (other than <?xml ...?>). */
  prolog: XNode[];
}

const DOCTYPE_RE = /<!DOCTYPE|<!ENTITY/i;

function malformed(message: string, line?: number, column?: number): XmlParseError {
  const e: XmlParseError = { ok: false, code: 'malformed-xml', message };
  if (line !== undefined) e.line = line;
  if (column !== undefined) e.column = column;
  return e;
}

/** Parses XML text into a tree. Never throws: malformed XML becomes an error with line/column. */
export function parseXml(xml: string): XmlDocument | XmlParseError {
  try {
    // Defence in depth: the decoder refuses these already, but parseXml is public and
    // fast-xml-parser would expand internal entities.
    if (DOCTYPE_RE.test(xml)) {
      return malformed(
        'The XML has a DOCTYPE or ENTITY declaration, which is refused unread: no identity provider sends one, and entities can smuggle values past a parser.',
      );
    }
    const v = XMLValidator.validate(xml, { allowBooleanAttributes: false });
    if (v !== true) {
      const line = typeof v.err.line === 'number' ? v.err.line : undefined;
      const col = typeof v.err.col === 'number' ? v.err.col : undefined;
      const where = line !== undefined ? ` (line ${line}${col !== undefined ? `, column ${col}` : ''})` : '';
      if (/multiple possible root/i.test(v.err.msg)) {
        // A reader that takes the first root and one that takes the last see different messages.
        return malformed(
          `The XML has more than one root element${where}; a SAML message has exactly one. Capture the message again; if it really looks like this, do not trust it.`,
          line,
          col,
        );
      }
      const msg = v.err.msg.replace(/\.$/, '');
      return malformed(`The XML is not well-formed: ${msg}${where}. Capture the message again, or export a HAR file rather than copying text.`, line, col);
    }
    const ordered = parser.parse(xml) as Ordered[];
    const prolog: XNode[] = [];
    let root: XElement | null = null;
    for (const top of ordered) {
      const k = firstKey(top);
      if (k === undefined) continue;
      if (k === '#comment') prolog.push({ kind: 'comment', value: textOf(top['#comment']) });
      else if (k === '?xml' || k === '#text') continue;
      else if (k[0] === '?') prolog.push({ kind: 'pi', target: k.slice(1), value: piText(top, k) });
      else if (!root) root = build(top, { xml: 'http://www.w3.org/XML/1998/namespace' }, `/${splitName(k)[1]}`);
      else {
        // A reader that takes the first root and one that takes the last see different messages.
        return malformed(
          `The XML has more than one root element (<${root.name}> and then <${k}>); a SAML message has exactly one. Capture the message again; if it really looks like this, do not trust it.`,
        );
      }
    }
    if (!root) return malformed('The XML has no root element.');
    return { root, prolog };
  } catch (e) {
    const raw = (e as Error)?.message ?? String(e);
    const msg =
      e instanceof RangeError || /nested/i.test(raw)
        ? `it is nested more than ${MAX_DEPTH} elements deep, which no SAML message is (a real one is about 10 deep)`
        : raw.replace(/\.$/, '');
    return malformed(`The XML could not be read: ${msg}.`);
  }
}

