// A small, strict, namespace-aware XML reader for SAML messages, and helpers over its tree.
//
// It reads in one pass what SAML needs and refuses what SAML never carries (see
// shared/LIBRARY-NOTES.md for why): no DOCTYPE or entity declarations, only XML's five named
// entities and numeric character references are decoded (any other name, such as the HTML
// &nbsp;, is undeclared: malformed, as XML says), comments and processing instructions are
// kept as nodes (so a comment inside a NameID is visible), CDATA is its own text node (as a
// DOM's firstChild sees it), values stay text (an employee number "0042" stays "0042"), and
// nesting is bounded. Malformed input is an error with a line and column, never an exception.
//
// Well-formed means XML 1.0 (Fifth Edition) and Namespaces in XML 1.0 together, as a
// namespace-aware reader such as AWS's sees it: names are the NameStartChar / NameChar
// productions (no U+2028, non-characters or lone surrogates), every character is a Char, every
// prefix is declared in scope (else 'undeclared-prefix'), names are QNames, the reserved
// prefixes xml / xmlns are respected, a prefix is never undeclared (xmlns:p=""), and no element
// has two attributes with one namespace URI and local name. test/xml-differential.test.ts holds
// it against saxes and fast-xml-parser, with the table of where they differ on purpose.
//
// It replaced fast-xml-parser's validator + parser pair: one pass instead of two, and the tree
// is built directly instead of converted, about five times faster on a typical Entra response.

export interface XElement {
  kind: 'element';
  /** The name as written, with its prefix. */
  name: string;
  prefix: string;
  local: string;
  /** Resolved namespace URI ('' when none). */
  ns: string;
  /** Attributes by their written (qualified) name. */
  attrs: Record<string, string>;
  children: XNode[];
  /** A readable path such as /Response/Assertion/Subject/NameID, with [n] where siblings repeat. */
  path: string;
  /** In-scope prefix → namespace URI bindings. */
  nsScope: Record<string, string>;
}

export interface XText {
  kind: 'text';
  value: string;
}
export interface XComment {
  kind: 'comment';
  value: string;
}
export interface XPi {
  kind: 'pi';
  target: string;
  value: string;
}
export type XNode = XElement | XText | XComment | XPi;

/**
 * 'undeclared-prefix': an element or attribute uses a namespace prefix with no xmlns:prefix
 * declaration in scope (Namespaces in XML 1.0, "Prefix Declared"); any other error is
 * 'malformed-xml'.
 */
export type XmlErrorCode = 'malformed-xml' | 'undeclared-prefix';

export interface XmlParseError {
  ok: false;
  code: XmlErrorCode;
  message: string;
  line?: number;
  column?: number;
}

export interface XmlDocument {
  root: XElement;
  /** Comments and processing instructions outside the root element (other than <?xml ...?>). */
  prolog: XNode[];
}

/** Deeper than any SAML message (about 10 levels). */
export const MAX_DEPTH = 100;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const DOCTYPE_RE = /<!DOCTYPE|<!ENTITY/i;
/**
 * Characters outside XML 1.0's Char production, which no document may hold, even as a
 * reference: C0 controls other than tab / line feed / carriage return, U+FFFE, U+FFFF, and a
 * surrogate code unit that is not half of a pair (a JavaScript string can hold one; no
 * character is one).
 */
const INVALID_CHAR_RE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Any character INVALID_CHAR_RE could match, surrogates paired or not: a plain class, several
 * times faster to rule out on a whole message than the pattern with its look-arounds (which costs
 * more than the rest of the parse on a typical response). Only a message with a control
 * character or a surrogate is searched with INVALID_CHAR_RE itself.
 */
const MAYBE_INVALID_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML's S is space, tab, CR and LF only; a regex's \s would also take U+2028, NBSP and others. */
const XML_DECL_RE =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][\w.-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>$/;
const ENTITY_NAME_RE = /^[A-Za-z_:][\w.:-]*$/;
const DEC_REF_RE = /^#[0-9]{1,8}$/;
const HEX_REF_RE = /^#x[0-9A-Fa-f]{1,8}$/;

const ATTR_WS_RE = /[\t\n\r]/;
const same = (s: string) => s;
const normaliseLineEnds = (s: string) => s.replace(/\r\n?/g, '\n');
const normaliseAttrWs = (s: string) => s.replace(/\r\n|[\t\n\r]/g, ' ');

/** Sets an own property, even one named __proto__ (which plain assignment would not). */
function setOwn(o: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * A copy of the in-scope bindings to add declarations to. Object.assign, not a spread: V8 gives a
 * spread's copy a shape that takes new properties on a slow path (a microsecond or more each).
 * A prefix named __proto__ is kept as an own binding (Object.assign would set the prototype).
 */
function copyScope(scope: Record<string, string>): Record<string, string> {
  return Object.hasOwn(scope, '__proto__') ? { ...scope } : Object.assign({}, scope);
}

function splitName(q: string): [string, string] {
  const i = q.indexOf(':');
  return i < 0 ? ['', q] : [q.slice(0, i), q.slice(i + 1)];
}

class SyntaxErr {
  constructor(
    readonly pos: number,
    readonly msg: string,
    readonly code: XmlErrorCode = 'malformed-xml',
  ) {}
}

function lineCol(s: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = s.indexOf('\n'); i >= 0 && i < pos; i = s.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: pos - last };
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

// XML 1.0 (Fifth Edition) names, productions [4] NameStartChar and [4a] NameChar. ASCII is a
// table lookup; above it the ranges are the production's, so U+2028, U+FDD0–U+FDEF, U+FFFE/F
// and lone surrogates are not name characters. A supplementary character (U+10000–U+EFFFF) is
// a surrogate pair: two code units.
/** 1: NameStartChar (and NameChar), 2: NameChar only, 0: neither. */
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a) ASCII_NAME[c] = 1;
  else if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) ASCII_NAME[c] = 2;
}
function isNameStartBmp(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}
/**
 * Code units taken by the name character at i whose first unit c is not ASCII: 1 or 2 (a
 * surrogate pair for U+10000–U+EFFFF), 0 when it is not a name character (a NameChar, or a
 * NameStartChar when `start`).
 */
function nonAsciiNameWidth(s: string, i: number, c: number, start: boolean): number {
  if (isNameStartBmp(c)) return 1;
  if (!start && (c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040)) return 1;
  if (c >= 0xd800 && c <= 0xdb7f) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 0;
}
/**
 * A valid QName (Namespaces in XML 1.0 [7]) for a name already read as an XML Name: no colon,
 * or one with an NCName on either side (so the local part starts with a NameStartChar too:
 * p:1a and p:-a are not QNames).
 */
function isQName(q: string): boolean {
  const i = q.indexOf(':');
  if (i < 0) return true;
  if (i === 0 || i === q.length - 1 || q.indexOf(':', i + 1) >= 0) return false;
  const c = q.charCodeAt(i + 1);
  return c < 0x80 ? ASCII_NAME[c] === 1 : nonAsciiNameWidth(q, i + 1, c, true) > 0;
}
function codePointLabel(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
function validCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** One read of one document. Throws SyntaxErr; parseXml turns it into an XmlParseError. */
class Reader {
  private i = 0;
  private readonly n: number;
  constructor(private readonly s: string) {
    this.n = s.length;
  }

  private fail(pos: number, msg: string, code?: XmlErrorCode): never {
    throw new SyntaxErr(pos, msg, code);
  }

  private skipWs(): boolean {
    const s = this.s;
    const start = this.i;
    while (this.i < this.n && isWs(s.charCodeAt(this.i))) this.i++;
    return this.i > start;
  }

  private readName(what: string): string {
    const s = this.s;
    const start = this.i;
    let i = start;
    let c = s.charCodeAt(i);
    const w = c < 0x80 ? (ASCII_NAME[c] === 1 ? 1 : 0) : nonAsciiNameWidth(s, i, c, true);
    if (start >= this.n || w === 0) {
      if (c >= 0x80) this.fail(start, `${what} name starts with ${codePointLabel(s, start)}, which XML does not allow to start a name`);
      let end = start;
      while (end < this.n && !isWs(s.charCodeAt(end)) && !'/>=<'.includes(s[end]!)) end++;
      const shown = s.slice(start, Math.min(end, start + 40));
      this.fail(start, shown ? `${what} '${shown}' is an invalid name` : `${what} name expected`);
    }
    i += w;
    for (;;) {
      c = s.charCodeAt(i);
      if (c < 0x80) {
        if (ASCII_NAME[c] !== 0) {
          i++;
          continue;
        }
        break;
      }
      const k = nonAsciiNameWidth(s, i, c, false);
      // Whatever may follow a name (space, '>', '/', '=', '?') is ASCII: a non-ASCII character
      // here is one XML does not allow in a name (U+2028, a non-character, a lone surrogate).
      if (k === 0) this.fail(i, `${what} '${s.slice(start, i)}' is followed by ${codePointLabel(s, i)}, which XML does not allow in a name`);
      i += k;
    }
    this.i = i;
    return s.slice(start, i);
  }

  /**
   * Decodes references in text or attribute content as written; `base` is its offset (for error
   * positions) and `lit` normalises the literal runs between references (line breaks), so that a
   * character written as a reference (&#xD;) is kept as it is, as XML requires.
   */
  private decode(raw: string, base: number, lit: (s: string) => string): string {
    let amp = raw.indexOf('&');
    if (amp < 0) return lit(raw);
    let out = '';
    let last = 0;
    while (amp >= 0) {
      const semi = raw.indexOf(';', amp + 1);
      const ent = semi < 0 ? '' : raw.slice(amp + 1, semi);
      let rep: string | undefined;
      if (ent.charCodeAt(0) === 0x23 /* # */) {
        const hex = HEX_REF_RE.test(ent);
        if (!hex && !DEC_REF_RE.test(ent)) this.fail(base + amp, `the character reference '&${ent};' is malformed`);
        const cp = hex ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        if (!validCodePoint(cp)) this.fail(base + amp, `the character reference '&${ent};' is not a character XML allows`);
        rep = String.fromCodePoint(cp);
      } else if (ent && ENTITY_NAME_RE.test(ent)) {
        // The five XML names; any other name (an HTML one such as &nbsp;) is undeclared, which
        // XML makes a fatal error (WFC: Entity Declared): AWS's reader refuses the message too.
        rep = Object.hasOwn(NAMED, ent) ? NAMED[ent] : undefined;
        if (rep === undefined) {
          this.fail(base + amp, `the entity '&${ent};' is not declared: XML knows only &amp; &lt; &gt; &quot; &apos; and numeric references (an HTML name such as &nbsp; must be written &#160;)`);
        }
      } else {
        this.fail(base + amp, "char '&' is not expected (a bare '&' must be written &amp;)");
      }
      out += lit(raw.slice(last, amp)) + rep;
      last = semi + 1;
      amp = raw.indexOf('&', last);
    }
    return out + lit(raw.slice(last));
  }

  private text(start: number, end: number): string {
    const raw = this.s.slice(start, end);
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd >= 0) this.fail(start + cdataEnd, "']]>' is not allowed in text");
    return this.decode(raw, start, raw.includes('\r') ? normaliseLineEnds : same);
  }

  /** At '<?': a processing instruction. */
  private pi(): XPi {
    const start = this.i;
    this.i += 2;
    const target = this.readName('Processing instruction target');
    const end = this.s.indexOf('?>', this.i);
    if (end < 0) this.fail(start, 'Unclosed processing instruction');
    if (target.toLowerCase() === 'xml') this.fail(start, 'XML declaration allowed only at the start of the document');
    if (target.includes(':')) this.fail(start + 2, `Processing instruction target '${target}' must not contain ':' (Namespaces in XML)`);
    if (end > this.i && !isWs(this.s.charCodeAt(this.i))) this.fail(this.i, `Processing instruction target '${target}' must be followed by a space`);
    const raw = this.s.slice(this.i, end).replace(/^[ \t\r\n]+/, '');
    // End-of-line handling (XML 2.11) applies to the whole input, a PI's data included.
    const value = raw.includes('\r') ? normaliseLineEnds(raw) : raw;
    this.i = end + 2;
    return { kind: 'pi', target, value };
  }

  /** At '<!--': a comment. */
  private comment(): XComment {
    const start = this.i;
    const end = this.s.indexOf('-->', start + 4);
    if (end < 0) this.fail(start, 'Unclosed comment');
    const value = this.s.slice(start + 4, end);
    if (value.includes('--') || value.endsWith('-')) this.fail(start, "'--' is not allowed inside a comment");
    this.i = end + 3;
    return { kind: 'comment', value: value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value };
  }

  /** Namespaces in XML 1.0, "Reserved Prefixes and Namespace Names" and "No Prefix Undeclaring". */
  private checkDeclaration(pos: number, prefix: string, uri: string): void {
    const decl = prefix ? `xmlns:${prefix}` : 'xmlns';
    if (prefix === 'xmlns') this.fail(pos, 'The prefix xmlns must not be declared');
    if (prefix === 'xml' && uri !== XML_NS) this.fail(pos, `The prefix xml may be bound only to ${XML_NS}`);
    if (prefix !== 'xml' && uri === XML_NS) this.fail(pos, `${decl} binds ${XML_NS}, which belongs to the prefix xml alone`);
    if (uri === XMLNS_NS) this.fail(pos, `${decl} binds ${XMLNS_NS}, which no prefix may be bound to`);
    if (prefix && uri === '') this.fail(pos, `${decl}="" undeclares a prefix, which Namespaces in XML 1.0 does not allow`);
  }

  /** Prefixed attributes: each prefix declared, and no two with the same namespace URI and local name. */
  private checkAttributeNames(pos: number, tag: string, attrs: Record<string, string>, scope: Record<string, string>, prefixed: number): void {
    let seen: Set<string> | undefined;
    for (const k in attrs) {
      const colon = k.indexOf(':');
      if (colon < 0) continue;
      const p = k.slice(0, colon);
      if (p === 'xmlns') continue;
      if (!Object.hasOwn(scope, p)) this.fail(pos, `undeclared namespace prefix ${p} on attribute ${k} of element ${tag}`, 'undeclared-prefix');
      if (prefixed > 1) {
        seen ??= new Set();
        const expanded = `{${scope[p]!}}${k.slice(colon + 1)}`;
        if (seen.has(expanded)) this.fail(pos, `Tag '${tag}' has two attributes named ${expanded} (the same namespace and local name under two prefixes)`);
        seen.add(expanded);
      }
    }
  }

  /** At '<' of a start tag. Returns the element and whether it was self-closing. */
  private startTag(parentScope: Record<string, string>): [XElement, boolean] {
    const s = this.s;
    const start = this.i;
    let prefixedAttrs = 0;
    this.i++;
    const name = this.readName('Tag');
    // A plain object keeps V8's fast properties; hasOwn and defineProperty below keep names such
    // as "constructor" or "__proto__" from meeting Object.prototype.
    const attrs: Record<string, string> = {};
    let scope = parentScope;
    let selfClosing = false;
    for (;;) {
      const ws = this.skipWs();
      if (this.i >= this.n) this.fail(this.i, `Unclosed tag '${name}'`);
      const c = s.charCodeAt(this.i);
      if (c === 0x3e /* > */) {
        this.i++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (s.charCodeAt(this.i + 1) !== 0x3e) this.fail(this.i, `'/' in tag '${name}' must be followed by '>'`);
        this.i += 2;
        selfClosing = true;
        break;
      }
      if (!ws) this.fail(this.i, `Attributes of tag '${name}' must be separated by spaces`);
      const aStart = this.i;
      const aname = this.readName('Attribute');
      this.skipWs();
      if (s.charCodeAt(this.i) !== 0x3d /* = */) this.fail(aStart, `Attribute '${aname}' is without value`);
      this.i++;
      this.skipWs();
      const q = s.charCodeAt(this.i);
      if (q !== 0x22 && q !== 0x27) this.fail(this.i, `The value of attribute '${aname}' must be quoted`);
      const vStart = this.i + 1;
      const vEnd = s.indexOf(q === 0x22 ? '"' : "'", vStart);
      if (vEnd < 0) this.fail(aStart, `The value of attribute '${aname}' is not closed`);
      const raw = s.slice(vStart, vEnd);
      const lt = raw.indexOf('<');
      if (lt >= 0) this.fail(vStart + lt, `'<' is not allowed in the value of attribute '${aname}'`);
      if (Object.hasOwn(attrs, aname)) this.fail(aStart, `Attribute '${aname}' is repeated`);
      // Attribute-value normalisation: each literal line break or tab reads as a space.
      const value = this.decode(raw, vStart, ATTR_WS_RE.test(raw) ? normaliseAttrWs : same);
      setOwn(attrs, aname, value);
      const colon = aname.indexOf(':');
      if (colon >= 0) {
        prefixedAttrs++;
        if (!isQName(aname)) this.fail(aStart, `Attribute name '${aname}' is not a valid qualified name (Namespaces in XML: at most one ':', with a name that may start one on either side)`);
      }
      if (aname === 'xmlns' || (colon === 5 && aname.startsWith('xmlns:'))) {
        const p = colon < 0 ? '' : aname.slice(6);
        this.checkDeclaration(aStart, p, value);
        if (scope === parentScope) scope = copyScope(parentScope);
        setOwn(scope, p, value);
      }
      this.i = vEnd + 1;
    }
    if (!isQName(name)) this.fail(start + 1, `Tag name '${name}' is not a valid qualified name (Namespaces in XML: at most one ':', with a name that may start one on either side)`);
    const [prefix, local] = splitName(name);
    if (prefix === 'xmlns') this.fail(start + 1, `Tag '${name}' must not use the prefix xmlns, which is reserved for declarations`);
    if (prefix && !Object.hasOwn(scope, prefix)) {
      this.fail(start + 1, `undeclared namespace prefix ${prefix} on element ${name}`, 'undeclared-prefix');
    }
    if (prefixedAttrs > 0) this.checkAttributeNames(start + 1, name, attrs, scope, prefixedAttrs);
    const el: XElement = {
      kind: 'element',
      name,
      prefix,
      local,
      ns: prefix ? scope[prefix]! : Object.hasOwn(scope, '') ? scope['']! : '',
      attrs,
      children: [],
      path: '',
      nsScope: scope,
    };
    return [el, selfClosing];
  }

  /** At '<' of the root's start tag: the whole element, iteratively. */
  private element(): XElement {
    const s = this.s;
    const rootStart = this.i;
    const [root, rootEmpty] = this.startTag({ xml: XML_NS });
    if (rootEmpty) return root;
    const stack: XElement[] = [root];
    const starts: number[] = [rootStart];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const lt = s.indexOf('<', this.i);
      if (lt < 0) this.fail(starts[starts.length - 1]!, `Unclosed tag '${top.name}'`);
      if (lt > this.i) top.children.push({ kind: 'text', value: this.text(this.i, lt) });
      this.i = lt;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 0x2f /* </ */) {
        this.i += 2;
        const name = this.readName('Closing tag');
        this.skipWs();
        if (s.charCodeAt(this.i) !== 0x3e) this.fail(this.i, `Closing tag '${name}' must end with '>'`);
        if (name !== top.name) {
          const o = lineCol(s, starts[starts.length - 1]!);
          this.fail(lt, `Expected closing tag '${top.name}' (opened in line ${o.line}, col ${o.column}) instead of closing tag '${name}'`);
        }
        this.i++;
        stack.pop();
        starts.pop();
      } else if (c1 === 0x21 /* <! */) {
        if (s.startsWith('<!--', lt)) top.children.push(this.comment());
        else if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end < 0) this.fail(lt, 'Unclosed CDATA section');
          const v = s.slice(lt + 9, end);
          top.children.push({ kind: 'text', value: v.includes('\r') ? v.replace(/\r\n?/g, '\n') : v });
          this.i = end + 3;
        } else this.fail(lt, "'<!' is not expected here");
      } else if (c1 === 0x3f /* <? */) {
        top.children.push(this.pi());
      } else {
        if (stack.length >= MAX_DEPTH) throw new SyntaxErr(lt, 'NESTING');
        const [el, empty] = this.startTag(top.nsScope);
        top.children.push(el);
        if (!empty) {
          stack.push(el);
          starts.push(lt);
        }
      }
    }
    return root;
  }

  read(): XmlDocument {
    const s = this.s;
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
    if (s.startsWith('<?xml', this.i) && (isWs(s.charCodeAt(this.i + 5)) || s.charCodeAt(this.i + 5) === 0x3f)) {
      const end = s.indexOf('?>', this.i);
      if (end < 0) this.fail(this.i, 'Unclosed XML declaration');
      if (!XML_DECL_RE.test(s.slice(this.i, end + 2))) this.fail(this.i, 'The XML declaration is malformed');
      this.i = end + 2;
    }
    const prolog: XNode[] = [];
    let root: XElement | undefined;
    for (;;) {
      this.skipWs();
      if (this.i >= this.n) break;
      const at = this.i;
      if (s.charCodeAt(at) !== 0x3c) {
        this.fail(at, root ? 'Text is not allowed after the root element' : `char '${s[at]}' is not expected: the document must start with '<'`);
      }
      if (s.startsWith('<?', at)) prolog.push(this.pi());
      else if (s.startsWith('<!--', at)) prolog.push(this.comment());
      else if (s.charCodeAt(at + 1) === 0x21) this.fail(at, "'<!' is not expected here");
      else if (root) this.fail(at, 'MULTIPLE_ROOTS');
      else root = this.element();
    }
    if (!root) this.fail(this.i, 'NO_ROOT');
    assignPaths(root, `/${root.local}`);
    return { root, prolog };
  }
}

/** Paths such as /Response/Assertion[2]/Subject, once the whole tree is known. */
function assignPaths(el: XElement, path: string): void {
  el.path = path;
  const kids = el.children;
  let elementCount = 0;
  for (let k = 0; k < kids.length; k++) if (kids[k]!.kind === 'element') elementCount++;
  if (elementCount === 0) return;
  let counts: Map<string, number> | undefined;
  if (elementCount > 1) {
    counts = new Map();
    for (const c of kids) if (c.kind === 'element') counts.set(c.local, (counts.get(c.local) ?? 0) + 1);
  }
  let seen: Map<string, number> | undefined;
  for (const c of kids) {
    if (c.kind !== 'element') continue;
    if (counts && counts.get(c.local)! > 1) {
      seen ??= new Map();
      const n = (seen.get(c.local) ?? 0) + 1;
      seen.set(c.local, n);
      assignPaths(c, `${path}/${c.local}[${n}]`);
    } else assignPaths(c, `${path}/${c.local}`);
  }
}

function malformed(message: string, line?: number, column?: number, code: XmlErrorCode = 'malformed-xml'): XmlParseError {
  const e: XmlParseError = { ok: false, code, message };
  if (line !== undefined) e.line = line;
  if (column !== undefined) e.column = column;
  return e;
}

/** The advice that ends a message's XML error (metadata replaces it: lib/signature/metadata.ts). */
export const AGAIN = 'Capture the message again, or export a HAR file rather than copying text.';

// The checks re-read the message's XML (raw text at a path, nested assertions, issuers): one
// analysis parses the same text several times. A tiny cache of the last two results makes those
// reads free. Strong references (a WeakRef would keep every tree made in one synchronous job
// alive until the job ends, which is worse for a HAR of many messages), so at most two trees
// are retained.
const CACHE_SIZE = 2;
const cache: { xml: string; result: XmlDocument | XmlParseError }[] = [];

/**
 * Parses XML text into a tree. Never throws: malformed XML becomes an error with line/column.
 * Results are shared between calls with the same text: treat the tree as read-only.
 */
export function parseXml(xml: string): XmlDocument | XmlParseError {
  for (const c of cache) if (c.xml.length === xml.length && c.xml === xml) return c.result;
  const result = parseXmlUncached(xml);
  cache.unshift({ xml, result });
  if (cache.length > CACHE_SIZE) cache.length = CACHE_SIZE;
  return result;
}

/**
 * Puts a tree parsed earlier from this text at the front of the cache: the analysis keeps each
 * message's tree and hands it back before that message's checks re-read the text.
 */
export function rememberXml(xml: string, result: XmlDocument | XmlParseError): void {
  if (cache[0]?.xml === xml) return;
  cache.unshift({ xml, result });
  if (cache.length > CACHE_SIZE) cache.length = CACHE_SIZE;
}

/** Forgets cached parse results (for benchmarks that must time a first read). */
export function clearXmlCache(): void {
  cache.length = 0;
}

function parseXmlUncached(xml: string): XmlDocument | XmlParseError {
  try {
    if (typeof xml !== 'string') return malformed('The XML could not be read: it is not text.');
    // Refused before anything else reads it: entities can smuggle values past a parser.
    if (xml.includes('<!') && DOCTYPE_RE.test(xml)) {
      return malformed(
        'The XML has a DOCTYPE or ENTITY declaration, which is refused unread: no identity provider sends one, and entities can smuggle values past a parser.',
      );
    }
    const bad = MAYBE_INVALID_CHAR_RE.test(xml) ? INVALID_CHAR_RE.exec(xml) : null;
    if (bad) {
      const { line, column } = lineCol(xml, bad.index);
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      return malformed(`The XML is not well-formed: it contains the character U+${code}, which XML does not allow (line ${line}, column ${column}). ${AGAIN}`, line, column);
    }
    return new Reader(xml).read();
  } catch (e) {
    if (e instanceof SyntaxErr) {
      const { line, column } = lineCol(xml, e.pos);
      const where = `(line ${line}, column ${column})`;
      if (e.msg === 'NESTING') {
        return malformed(`The XML could not be read: it is nested more than ${MAX_DEPTH} elements deep, which no SAML message is (a real one is about 10 deep) ${where}.`, line, column);
      }
      if (e.msg === 'MULTIPLE_ROOTS') {
        // A reader that takes the first root and one that takes the last see different messages.
        return malformed(
          `The XML has more than one root element ${where}; a SAML message has exactly one. Capture the message again; if it really looks like this, do not trust it.`,
          line,
          column,
        );
      }
      if (e.msg === 'NO_ROOT') return malformed(`The XML has no root element. ${AGAIN}`);
      if (e.code === 'undeclared-prefix') {
        return malformed(
          `The XML is not well-formed: ${e.msg} ${where}, with no xmlns declaration for it in scope. A namespace-aware reader (AWS's included) refuses it; it is usually part of a message copied without the element that declared the prefix, or a message edited by hand.`,
          line,
          column,
          e.code,
        );
      }
      return malformed(`The XML is not well-formed: ${e.msg} ${where}. ${AGAIN}`, line, column);
    }
    const msg = e instanceof RangeError ? `it is nested too deeply to read` : ((e as Error)?.message ?? String(e)).replace(/\.$/, '');
    return malformed(`The XML could not be read: ${msg}.`);
  }
}

// ---- navigation helpers -------------------------------------------------------------------

export function elements(el: XElement): XElement[] {
  const out: XElement[] = [];
  for (const c of el.children) if (c.kind === 'element') out.push(c);
  return out;
}

/** Does this element have the namespace URI (or no namespace at all, which some senders emit)? */
export function isNs(el: XElement, ns: string): boolean {
  return el.ns === ns || el.ns === '';
}

export function childrenNamed(el: XElement, ns: string, local: string): XElement[] {
  const out: XElement[] = [];
  for (const c of el.children) if (c.kind === 'element' && c.local === local && isNs(c, ns)) out.push(c);
  return out;
}

export function child(el: XElement | undefined, ns: string, local: string): XElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.kind === 'element' && c.local === local && isNs(c, ns)) return c;
  return undefined;
}

/** Every descendant (not the element itself) with this name, in document order. */
export function descendants(el: XElement, ns: string, local: string, out: XElement[] = []): XElement[] {
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    if (c.local === local && isNs(c, ns)) out.push(c);
    descendants(c, ns, local, out);
  }
  return out;
}

/** An unqualified attribute (the SAML attributes are all unqualified). */
export function attr(el: XElement | undefined, name: string): string | undefined {
  return el && Object.hasOwn(el.attrs, name) ? el.attrs[name] : undefined;
}

/** A namespace-qualified attribute such as xsi:type, found by URI whatever its prefix. */
export function attrNs(el: XElement, ns: string, local: string): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) {
    const [p, l] = splitName(k);
    if (l === local && p && el.nsScope[p] === ns) return v;
  }
  return undefined;
}

/** Text content of the element's direct text nodes, joined (what a naive reader would see). */
export function directText(el: XElement): string {
  let s = '';
  for (const c of el.children) if (c.kind === 'text') s += c.value;
  return s;
}

/** All text below the element, in order. */
export function deepText(el: XElement): string {
  let s = '';
  for (const c of el.children) {
    if (c.kind === 'text') s += c.value;
    else if (c.kind === 'element') s += deepText(c);
  }
  return s;
}

/** Resolves a QName value (like xsi:type="xs:string") to {ns, local} with the element's scope. */
export function resolveQName(el: XElement, qname: string): { ns: string; local: string } {
  const [p, l] = splitName(qname);
  return { ns: Object.hasOwn(el.nsScope, p) ? el.nsScope[p]! : '', local: l };
}

// ---- pretty printing ----------------------------------------------------------------------

function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}
function escAttr(s: string): string {
  return escText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#xD;').replace(/\n/g, '&#xA;');
}

function printEl(el: XElement, indent: string, out: string[]): void {
  const attrs = Object.entries(el.attrs)
    .map(([k, v]) => ` ${k}="${escAttr(v)}"`)
    .join('');
  if (el.children.length === 0) {
    out.push(`${indent}<${el.name}${attrs}/>`);
    return;
  }
  const meaningful = el.children.filter((c) => !(c.kind === 'text' && c.value.trim() === ''));
  // Without child elements, print the content exactly, whitespace included: a NameID of " "
  // must not look empty.
  const inline = el.children.every((c) => c.kind !== 'element');
  if (inline) {
    // Keep text, comments and PIs exactly where they are: a comment inside a NameID must show.
    const body = el.children
      .map((c) =>
        c.kind === 'text' ? escText(c.value) : c.kind === 'comment' ? `<!--${c.value}-->` : c.kind === 'pi' ? `<?${c.target} ${c.value}?>` : '',
      )
      .join('');
    out.push(`${indent}<${el.name}${attrs}>${body}</${el.name}>`);
    return;
  }
  out.push(`${indent}<${el.name}${attrs}>`);
  const inner = indent + '  ';
  for (const c of meaningful) {
    if (c.kind === 'element') printEl(c, inner, out);
    else if (c.kind === 'text') out.push(inner + escText(c.value.trim()));
    else if (c.kind === 'comment') out.push(`${inner}<!--${c.value}-->`);
    else out.push(`${inner}<?${c.target} ${c.value}?>`);
  }
  out.push(`${indent}</${el.name}>`);
}

/** Indented XML for display. Comments and processing instructions stay visible. */
export function prettyPrint(doc: XmlDocument): string {
  const out: string[] = [];
  for (const n of doc.prolog) {
    if (n.kind === 'comment') out.push(`<!--${n.value}-->`);
    else if (n.kind === 'pi') out.push(`<?${n.target} ${n.value}?>`);
  }
  printEl(doc.root, '', out);
  return out.join('\n');
}

/** Pretty-prints XML text; returns the text unchanged when it does not parse. */
export function prettyXml(xml: string): string {
  const d = parseXml(xml);
  return 'root' in d ? prettyPrint(d) : xml;
}
