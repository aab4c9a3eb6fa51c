// A second, namespace-aware oracle for lib/saml/xml.ts: saxes (npm `saxes`), a conformance-
// minded streaming XML parser that checks XML 1.0 (Fifth Edition) names and characters and the
// Namespaces in XML 1.0 constraints (undeclared prefixes, reserved prefixes, duplicate expanded
// attribute names). Unlike fast-xml-parser it resolves namespaces itself, so it can say whether
// our reader put each element and attribute in the right namespace.
//
// It returns the canonical tree that test/oracle/differential.ts compares (see canon there).
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** What both readers must agree on: names, namespace URIs, attributes (with URIs), content. */
export interface Canon {
  /** Qualified name as written. */
  n: string;
  ns: string;
  /** [qualified name, namespace URI, value], sorted by name. */
  a: [string, string, string][];
  /** Child elements; text as 't:…' (adjacent text and CDATA joined), comments 'c:…', PIs 'p:target body'. */
  c: (Canon | string)[];
}

export type OracleResult = { ok: true; root: Canon; prolog: string[] } | { ok: false; message: string; doctype: boolean };

/** Appends a content item, joining adjacent text (a CDATA section next to text is one run). */
export function pushContent(c: (Canon | string)[], v: Canon | string): void {
  const last = c[c.length - 1];
  if (typeof v === 'string' && v.startsWith('t:') && typeof last === 'string' && last.startsWith('t:')) c[c.length - 1] = last + v.slice(2);
  else if (v !== 't:') c.push(v);
}

export function saxesRead(xml: string): OracleResult {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let error: string | undefined;
  let doctype = false;
  let root: Canon | undefined;
  const stack: Canon[] = [];
  const prolog: string[] = [];
  const content = (v: string) => {
    const top = stack[stack.length - 1];
    if (top) pushContent(top.c, v);
    else if (!v.startsWith('t:')) prolog.push(v);
  };
  parser.on('error', (e) => {
    error ??= e.message;
  });
  parser.on('doctype', () => {
    doctype = true;
  });
  parser.on('text', (t) => content(`t:${t}`));
  parser.on('cdata', (t) => content(`t:${t}`));
  parser.on('comment', (t) => content(`c:${t}`));
  parser.on('processinginstruction', (pi) => content(`p:${pi.target} ${pi.body}`));
  parser.on('opentag', (tag: SaxesTagNS) => {
    const a: [string, string, string][] = Object.values(tag.attributes).map((x) => [x.name, x.uri, x.value]);
    a.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const el: Canon = { n: tag.name, ns: tag.uri, a, c: [] };
    const top = stack[stack.length - 1];
    if (top) top.c.push(el);
    else root ??= el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= (e as Error)?.message ?? String(e);
  }
  if (error !== undefined || !root) return { ok: false, message: error ?? 'no root', doctype };
  return { ok: true, root, prolog };
}
