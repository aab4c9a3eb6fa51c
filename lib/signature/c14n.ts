// XML canonicalization over samlscope's own XML tree (lib/saml/xml.ts): Exclusive XML
// Canonicalization 1.0 (http://www.w3.org/2001/10/xml-exc-c14n#) and Canonical XML 1.0
// (http://www.w3.org/TR/2001/REC-xml-c14n-20010315), with or without comments, of an element's
// subtree, optionally leaving one element out (the enveloped-signature transform).
//
// Why not a DOM library: the checks read this tree, so the bytes that are verified are by
// construction the element the checks read. Verifying a second parse (xmldom, DOMParser) is how
// parser-differential bypasses happen (two parsers disagreeing on which text a signed element
// holds). The parser already did what canonical XML requires of the data model: line endings
// normalised to \n, attribute values normalised, character references and the five entities
// decoded, CDATA turned into text, no DOCTYPE.
import type { XElement } from '../saml/xml.ts';

export const C14N = {
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  exclusiveWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  inclusiveWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
} as const;

export interface C14nOptions {
  exclusive: boolean;
  withComments: boolean;
  /** Exclusive only: prefixes rendered as inclusive canonicalization would ('#default' is the default namespace). */
  inclusivePrefixes?: readonly string[];
  /** An element left out with its subtree (the ds:Signature of an enveloped signature). */
  exclude?: XElement;
}

/** The algorithm URI's options, or undefined when it is not a canonicalization this module does. */
export function c14nOptionsFor(uri: string | undefined): Pick<C14nOptions, 'exclusive' | 'withComments'> | undefined {
  switch (uri) {
    case C14N.exclusive:
      return { exclusive: true, withComments: false };
    case C14N.exclusiveWithComments:
      return { exclusive: true, withComments: true };
    case C14N.inclusive:
      return { exclusive: false, withComments: false };
    case C14N.inclusiveWithComments:
      return { exclusive: false, withComments: true };
    default:
      return undefined;
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

function escText(s: string): string {
  if (!/[&<>\r]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escAttr(s: string): string {
  if (!/[&<"\t\n\r]/.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

/** Code-point order, as canonical XML sorts (UTF-16 order differs only for astral characters). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Canonical form of `apex` and its subtree, as a string (encode it as UTF-8 for digests). */
export function canonicalize(apex: XElement, o: C14nOptions): string {
  const out: string[] = [];
  const inclusive = new Set((o.inclusivePrefixes ?? []).map((p) => (p === '#default' ? '' : p)));
  walk(apex, new Map(), out, o, inclusive);
  return out.join('');
}

function walk(el: XElement, rendered: Map<string, string>, out: string[], o: C14nOptions, inclusive: Set<string>): void {
  const scope = el.nsScope;
  // Which namespace prefixes this element may need to declare.
  const candidates = new Set<string>();
  if (o.exclusive) {
    candidates.add(el.prefix);
    for (const q of Object.keys(el.attrs)) {
      const i = q.indexOf(':');
      if (i > 0) {
        const p = q.slice(0, i);
        if (p !== 'xmlns') candidates.add(p);
      }
    }
    for (const p of inclusive) if (p === '' || p in scope) candidates.add(p);
  } else {
    candidates.add('');
    for (const p of Object.keys(scope)) candidates.add(p);
  }
  const decls: [string, string][] = [];
  let next = rendered;
  for (const p of candidates) {
    if (p === 'xml') continue;
    const uri = scope[p] ?? '';
    const prev = rendered.get(p);
    if (p === '') {
      if (uri === (prev ?? '')) continue;
    } else if (uri === '' || prev === uri) continue;
    decls.push([p, uri]);
    if (next === rendered) next = new Map(rendered);
    next.set(p, uri);
  }
  decls.sort((a, b) => cmp(a[0], b[0]));
  const attrs: [string, string, string, string][] = []; // ns, local, qname, value
  for (const [q, v] of Object.entries(el.attrs)) {
    if (q === 'xmlns' || q.startsWith('xmlns:')) continue;
    const i = q.indexOf(':');
    if (i < 0) attrs.push(['', q, q, v]);
    else {
      const p = q.slice(0, i);
      attrs.push([p === 'xml' ? XML_NS : (scope[p] ?? ''), q.slice(i + 1), q, v]);
    }
  }
  attrs.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  let s = `<${el.name}`;
  for (const [p, uri] of decls) s += p ? ` xmlns:${p}="${escAttr(uri)}"` : ` xmlns="${escAttr(uri)}"`;
  for (const a of attrs) s += ` ${a[2]}="${escAttr(a[3])}"`;
  out.push(`${s}>`);
  for (const c of el.children) {
    switch (c.kind) {
      case 'element':
        if (c !== o.exclude) walk(c, next, out, o, inclusive);
        break;
      case 'text':
        out.push(escText(c.value));
        break;
      case 'comment':
        if (o.withComments) out.push(`<!--${c.value}-->`);
        break;
      case 'pi':
        out.push(c.value ? `<?${c.target} ${c.value}?>` : `<?${c.target}?>`);
        break;
    }
  }
  out.push(`</${el.name}>`);
}
