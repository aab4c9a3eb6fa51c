// Re-encoding of SAML messages after redaction (HTTP-POST: base64; HTTP-Redirect: raw DEFLATE,
// base64, URL-encoding), and serialisation of a parsed XML tree with values rewritten. Pure.
import { deflateRaw } from 'pako';
import type { Encoding } from '../decode/index.ts';
import { encodeComponent } from '../strings.ts';
import type { XElement, XmlDocument, XNode, XText } from '../saml/xml.ts';

const utf8 = new TextEncoder();

const NodeBuffer = (globalThis as unknown as { Buffer?: { from(b: Uint8Array): { toString(e: string): string } } }).Buffer;

export function bytesToBase64(b: Uint8Array): string {
  // Node's Buffer where there is one (the CLI): several times faster on a large message.
  if (NodeBuffer) return NodeBuffer.from(b).toString('base64');
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < b.length; i += CHUNK) bin += String.fromCharCode(...b.subarray(i, i + CHUNK));
  return btoa(bin);
}

export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * XML text → the value as it travels, in the encoding it was received in. `urlEncoded`: the value
 * stood percent-encoded (a query string), so it goes back that way.
 */
export function encodeSamlValue(xml: string, encoding: Encoding, urlEncoded: boolean): string {
  let v: string;
  if (encoding === 'plain-xml') v = xml;
  else if (encoding === 'base64') v = bytesToBase64(utf8.encode(xml));
  else v = bytesToBase64(deflateRaw(utf8.encode(xml))); // zlib-wrapped values go back as the spec's raw DEFLATE
  // Plain XML read from a pasted value may hold a lone surrogate: U+FFFD, as UTF-8 would write it.
  return urlEncoded ? encodeComponent(v) : v;
}

// ---- serialisation -------------------------------------------------------------------------

function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}
function escAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#xD;')
    .replace(/\n/g, '&#xA;')
    .replace(/\t/g, '&#x9;');
}

export interface Rewriter {
  /** A text node's new value (`el` is the element it sits in). */
  text?(el: XElement, value: string): string;
  /** An attribute's new value. Namespace declarations are offered to `namespace`, not here. */
  attr?(el: XElement, name: string, value: string): string;
  /** A namespace declaration's new URI (an element's namespace changes with it). */
  namespace?(uri: string): string;
  /** A processing instruction's new value. */
  pi?(value: string): string;
  /** A comment's new value. */
  comment?(value: string): string;
}

function writeNode(n: XNode, parent: XElement | undefined, rw: Rewriter, out: string[]): void {
  if (n.kind === 'text') out.push(escText(parent && rw.text ? rw.text(parent, n.value) : n.value));
  else if (n.kind === 'comment') out.push(`<!--${(rw.comment ? rw.comment(n.value) : n.value).replace(/--/g, '- -').replace(/-$/, '- ')}-->`);
  else if (n.kind === 'pi') {
    const v = n.value && rw.pi ? rw.pi(n.value).replace(/\?>/g, '? >') : n.value;
    out.push(`<?${n.target}${v ? ` ${v}` : ''}?>`);
  }
  else writeElement(n, rw, out);
}

function writeElement(el: XElement, rw: Rewriter, out: string[]): void {
  // Iterative over depth would be overkill: the parser bounds nesting at MAX_DEPTH (100).
  let open = `<${el.name}`;
  for (const [k, v] of Object.entries(el.attrs)) {
    const ns = k === 'xmlns' || k.startsWith('xmlns:');
    open += ` ${k}="${escAttr(ns ? (rw.namespace ? rw.namespace(v) : v) : rw.attr ? rw.attr(el, k, v) : v)}"`;
  }
  if (el.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  out.push(`${open}>`);
  // Consecutive text nodes (text and CDATA sections: the parser keeps them apart) are one value:
  // rewritten as one, so a value split by a CDATA section is still recognised and replaced.
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i]!;
    if (c.kind !== 'text' || kids[i + 1]?.kind !== 'text') {
      writeNode(c, el, rw, out);
      continue;
    }
    let value = c.value;
    while (kids[i + 1]?.kind === 'text') value += (kids[++i] as XText).value;
    writeNode({ kind: 'text', value }, el, rw, out);
  }
  out.push(`</${el.name}>`);
}

/**
 * The document as XML text, byte-for-byte in structure (names, prefixes, attribute order,
 * whitespace text), with values passed through the rewriter. `declaration` is re-emitted first.
 */
export function serializeXml(doc: XmlDocument, rw: Rewriter = {}, declaration?: string): string {
  const out: string[] = [];
  if (declaration) out.push(declaration);
  for (const n of doc.prolog) writeNode(n, undefined, rw, out);
  writeElement(doc.root, rw, out);
  return out.join('');
}

/** The `<?xml …?>` declaration the text starts with, if any. */
export function xmlDeclaration(xml: string): string | undefined {
  return /^\uFEFF?\s*(<\?xml\s[^?]*\?>)/.exec(xml)?.[1];
}
