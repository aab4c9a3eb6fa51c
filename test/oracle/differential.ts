// The differential between lib/saml/xml.ts and its two oracles, over generated and mutated
// documents. Used by test/xml-differential.test.ts (a short run in the suite) and by
// scripts/fuzz-xml.ts (`npm run fuzz:xml`, the long run).
//
// - saxes (namespace-aware): both must agree on accept / refuse, and when both accept, on the
//   whole tree: qualified names, namespace URIs of elements and attributes, attribute values,
//   text (CDATA joined with the text beside it), comments, processing instructions, and the
//   comments and PIs outside the root. A disagreement is either listed in DOCUMENTED (the table
//   in test/xml-differential.test.ts says why) or a bug.
// - fast-xml-parser (the former reader, not namespace-aware and laxer on names, characters and
//   namespaces): when both accept, the same tree (names, namespaces, attributes, text,
//   comments, PI targets). Its accept / refuse is counted, not compared.
import fc from 'fast-check';
import { parseXml, MAX_DEPTH, type XElement, type XmlDocument, type XNode } from '../../lib/saml/xml.ts';
import { parseXml as fxpParse } from './fxp-xml.ts';
import { pushContent, saxesRead, type Canon, type OracleResult } from './saxes-xml.ts';
import { makeAuthnRequest, makeResponse, signedResponse } from '../lab/factory.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

// ---- canonical trees ------------------------------------------------------------------------

function attrUri(el: XElement, q: string): string {
  if (q === 'xmlns' || q.startsWith('xmlns:')) return XMLNS_NS;
  const i = q.indexOf(':');
  return i < 0 ? '' : (el.nsScope[q.slice(0, i)] ?? '?unbound');
}

function nodeCanon(n: XNode): Canon | string {
  if (n.kind === 'element') return canonOurs(n);
  if (n.kind === 'text') return `t:${n.value}`;
  if (n.kind === 'comment') return `c:${n.value}`;
  return `p:${n.target} ${n.value}`;
}

/** Our tree in the shape saxesRead returns. */
export function canonOurs(el: XElement): Canon {
  const a: [string, string, string][] = Object.entries(el.attrs).map(([k, v]) => [k, attrUri(el, k), v]);
  a.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const c: (Canon | string)[] = [];
  for (const k of el.children) pushContent(c, nodeCanon(k));
  return { n: el.name, ns: el.ns, a, c };
}

export function prologOurs(d: XmlDocument): string[] {
  return d.prolog.map((n) => nodeCanon(n) as string);
}

type Plain = { n: string; ns: string; a: [string, string][]; c: (Plain | string)[] };

/**
 * What fast-xml-parser can be compared on: it does not normalise attribute whitespace or line
 * ends, and keeps only what reads like attributes of a PI, so those are left out.
 */
export function fxpPlain(el: XElement): Plain {
  const c: (Plain | string)[] = [];
  for (const k of el.children) {
    const v = k.kind === 'element' ? fxpPlain(k) : k.kind === 'text' ? `t:${k.value}` : k.kind === 'comment' ? `c:${k.value}` : `p:${k.target}`;
    const last = c[c.length - 1];
    if (typeof v === 'string' && v.startsWith('t:') && typeof last === 'string' && last.startsWith('t:')) c[c.length - 1] = last + v.slice(2);
    else c.push(v);
  }
  return {
    n: el.name,
    // A namespace URI is an attribute value, normalised by ours only.
    ns: el.ns.replace(/[\t\n\r]/g, ' '),
    a: Object.entries(el.attrs)
      .map(([k, v]): [string, string] => [k, v.replace(/[\t\n\r]/g, ' ')])
      .sort(),
    c: c.map((x) => (typeof x === 'string' ? x.replace(/\r\n?/g, '\n') : x)),
  };
}

// ---- the documented disagreements ---------------------------------------------------------

/** Keys of the table in test/xml-differential.test.ts. */
export type Documented = 'doctype' | 'depth' | 'xml-1.1' | 'saxes-lone-high-surrogate' | 'saxes-trims-namespace-uri' | 'saxes-local-part-start';
export const DOCUMENTED_KEYS: readonly Documented[] = ['doctype', 'depth', 'xml-1.1', 'saxes-lone-high-surrogate', 'saxes-trims-namespace-uri', 'saxes-local-part-start'];

const DOCTYPE_RE = /<!DOCTYPE|<!ENTITY/i;
const XML11_RE = /^\uFEFF?<\?xml\s+version\s*=\s*(["'])1\.(?!0\1)/;
/** A prefixed name whose local part starts with a character that may not start a name. */
const LOCAL_START_RE = /[<\s][^\s:<>="'\/]+:[-.0-9\u00B7\u0300-\u036F\u203F\u2040]/;
/** A high surrogate not followed by a low one. */
const LONE_HIGH_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;
/** Whitespace as String.prototype.trim sees it, written literally or as a character reference. */
const TRIM_WS = String.raw`(?:\s|&#(?:[xX]0*(?:9|[aA]|[dD]|20|[aA]0|2028|2029|[fF][eE][fF][fF])|0*(?:9|10|13|32|160|8232|8233|65279));)`;
const NS_DECL_RE = /(\sxmlns(?::[^\s=]*)?\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;
const EDGE_WS_RE = new RegExp(`^${TRIM_WS}+|${TRIM_WS}+$`, 'g');

/** The document with every namespace declaration's value trimmed, as saxes reads it. */
export function trimNamespaceValues(xml: string): string {
  return xml.replace(NS_DECL_RE, (_m, head: string, dq: string | undefined, sq: string | undefined) =>
    dq !== undefined ? `${head}"${dq.replace(EDGE_WS_RE, '')}"` : `${head}'${(sq ?? '').replace(EDGE_WS_RE, '')}'`,
  );
}

function depthOver(d: Canon, limit: number, depth = 1): boolean {
  if (depth > limit) return true;
  for (const c of d.c) if (typeof c !== 'string' && depthOver(c, limit, depth + 1)) return true;
  return false;
}

/** Why ours and saxes may differ on this input, when the table says they may. */
export function documentedReason(xml: string, ours: ReturnType<typeof parseXml>, sax: OracleResult): Documented | undefined {
  const oursOk = 'root' in ours;
  // Ours refuses any DOCTYPE or <!ENTITY unread, wherever the text appears.
  if (!oursOk && DOCTYPE_RE.test(xml)) return 'doctype';
  if (!oursOk && sax.ok && depthOver(sax.root, MAX_DEPTH)) return 'depth';
  if (XML11_RE.test(xml)) return 'xml-1.1';
  if (!oursOk && sax.ok && /character U\+D[89AB][0-9A-F]{2},/.test(ours.message) && LONE_HIGH_RE.test(xml)) return 'saxes-lone-high-surrogate';
  if (!oursOk && sax.ok && /is not a valid qualified name/.test(ours.message) && LOCAL_START_RE.test(xml)) return 'saxes-local-part-start';
  // The disagreement goes away once the namespace values are trimmed as saxes trims them.
  const trimmed = trimNamespaceValues(xml);
  if (trimmed !== xml && !oursVsSaxes(trimmed).problem) return 'saxes-trims-namespace-uri';
  return undefined;
}

// ---- one document ---------------------------------------------------------------------------

export interface Stats {
  documents: number;
  generated: number;
  mutated: number;
  bothAccept: number;
  bothRefuse: number;
  documented: Record<Documented, number>;
  /** fast-xml-parser's accept / refuse differs from ours (not a failure; counted). */
  fxpAcceptDiffers: number;
  fxpTreesCompared: number;
}

export function newStats(): Stats {
  return { documents: 0, generated: 0, mutated: 0, bothAccept: 0, bothRefuse: 0, documented: Object.fromEntries(DOCUMENTED_KEYS.map((k) => [k, 0])) as Record<Documented, number>, fxpAcceptDiffers: 0, fxpTreesCompared: 0 };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Where two trees' JSON first differ, with some context from each. */
function where(a: unknown, b: unknown): string {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const from = Math.max(0, i - 80);
  return `\n ours   …${x.slice(from, i + 120)}\n oracle …${y.slice(from, i + 120)}`;
}

/** The document, or around `at` (an error's position) when it is long. */
function show(s: string, at?: { line?: number; column?: number }): string {
  if (s.length <= 400) return JSON.stringify(s);
  let i = 0;
  if (at?.line !== undefined) {
    for (let l = 1; l < at.line; l++) i = s.indexOf('\n', i) + 1;
    i += (at.column ?? 1) - 1;
  }
  const from = Math.max(0, i - 150);
  return `…${JSON.stringify(s.slice(from, from + 300))}… (${s.length} characters, shown from ${from})`;
}

/** Ours against saxes on one document: a description of how they differ, if they do. */
export function oursVsSaxes(xml: string): { ours: ReturnType<typeof parseXml>; sax: OracleResult; problem?: string } {
  const ours = parseXml(xml);
  const sax = saxesRead(xml);
  const oursOk = 'root' in ours;
  if (oursOk && sax.ok) {
    const a = canonOurs(ours.root);
    if (!same(a, sax.root)) return { ours, sax, problem: `saxes builds another tree for ${show(xml)}${where(a, sax.root)}` };
    const p = prologOurs(ours);
    if (!same(p, sax.prolog)) return { ours, sax, problem: `prologs differ for ${show(xml)}: ours ${JSON.stringify(p)}, saxes ${JSON.stringify(sax.prolog)}` };
    return { ours, sax };
  }
  if (!oursOk && !sax.ok) return { ours, sax };
  if (oursOk) {
    const m = sax.ok ? undefined : /^(\d+):(\d+):/.exec(sax.message);
    return { ours, sax, problem: `ours accepts, saxes refuses (${sax.ok ? '' : sax.message}): ${show(xml, m ? { line: Number(m[1]), column: Number(m[2]) } : undefined)}` };
  }
  return { ours, sax, problem: `ours refuses (${ours.message}), saxes accepts: ${show(xml, ours)}` };
}

/**
 * Compares the three readers on one document; returns a description of an undocumented
 * disagreement, or undefined.
 */
export function compareOne(xml: string, stats: Stats): string | undefined {
  stats.documents++;
  const { ours, sax, problem } = oursVsSaxes(xml);
  const fxp = fxpParse(xml);
  const oursOk = 'root' in ours;
  if (oursOk !== ('root' in fxp)) stats.fxpAcceptDiffers++;
  if (oursOk && 'root' in fxp) {
    stats.fxpTreesCompared++;
    const a = fxpPlain(ours.root);
    const b = fxpPlain(fxp.root);
    if (!same(a, b)) return `fast-xml-parser builds another tree for ${show(xml)}${where(a, b)}`;
  }
  if (!problem) {
    if (oursOk) stats.bothAccept++;
    else stats.bothRefuse++;
    return undefined;
  }
  const why = documentedReason(xml, ours, sax);
  if (why) {
    stats.documented[why]++;
    return undefined;
  }
  return problem;
}

// ---- generated documents ------------------------------------------------------------------

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const LOCAL_OK = ['a', 'b', 'Response', 'Attribute', 'x-y', '_z', 'a.b', 'n1', 'é', '中文', 'a\u00B7b', 'a\u0301', '\u{10000}x', 'x\u{E0000}', 'A\u203F', 'Ω', 'ǅ', 'a\u200C'];
const LOCAL_BAD = ['1a', '-a', '.a', 'a\u2028', '\u2028', 'a\uFDD0', '\uFDEFa', 'a\uFFFE', 'a\uD800', '\uDC00a', 'a\u00D7', '\u0301a', 'a\u{F0000}', '\u00B7a', 'a\u037E', 'a\u2000', '\u3000a', 'a\u{1FFFE}'];
const PREFIXES = ['p', 'q', 'saml2', 'xml', 'xmlns', 'constructor', '__proto__', 'é'];
/** Mostly prefixes the root declares (p, q) or XML's own, so that most documents are namespace-well-formed. */
const prefix = fc.oneof(w(20, fc.constantFrom('p', 'q', 'xml')), w(2, fc.constantFrom(...PREFIXES)));
const URIS = ['urn:p', 'urn:q', SAML, 'urn:example:not-saml', 'http://www.w3.org/2001/XMLSchema-instance', 'urn:a&amp;b', 'urn:&#x41;'];
const URIS_BAD = ['', XML_NS, XMLNS_NS];

const local = fc.oneof(w(40, fc.constantFrom(...LOCAL_OK)), w(1, fc.constantFrom(...LOCAL_BAD)));
const qname = fc.oneof(
  w(12, local),
  w(6, fc.tuple(prefix, local).map(([p, l]) => `${p}:${l}`)),
  w(1, fc.oneof(w(1, fc.constantFrom(':a', 'a:', 'p:b:c', 'p::b', ':')), w(5, local))),
);

const TEXT_OK = ['hello', 'alex.morgan@contoso.com', ' ', '\n', '\r\n', '\r', '\t', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#x1F600;', '&#x10FFFF;', '&#xD;', '&#9;', '>', '"', "'", ']]', '\u2028', '\uFDD0', '\uD83D\uDE00', '\u0085', 'é', '\u{1FFFE}', '\uFFFD', '\u007F'];
const TEXT_BAD = ['&#0;', '&#xD800;', '&#xFFFE;', '&#x110000;', '&nbsp;', '&eacute;', '&', '&;', '&#;', '&#x;', '& amp;', '&amp', ']]>', '<', '\uD800', '\uDC00', '\u0001', '\uFFFE', '\u0000'];
const textPiece = fc.oneof(w(30, fc.constantFrom(...TEXT_OK)), w(1, fc.constantFrom(...TEXT_BAD)));
const text = fc.array(textPiece, { maxLength: 4 }).map((a) => a.join(''));

const MISC_OK = ['<!-- c -->', '<!---->', '<!--a-b-->', '<![CDATA[ x < & ]]>', '<![CDATA[]]>', '<![CDATA[a]]]]><![CDATA[>]]>', '<?pi body?>', '<?pi?>', '<?pi  x ?>', '<?xml-stylesheet a="b"?>', '<?é x?>', '<!--\r\n-->', '<?pi a\r\nb?>'];
const MISC_BAD = ['<!-- a--b -->', '<!--->', '<!-- x --->', '<?xml x?>', '<?XmL?>', '<?p:q x?>', '<?pix?', '<![CDATA[x]>', '<!x>', '<?1pi?>', '<? pi?>', '<!DOCTYPE a>'];
const misc = fc.oneof(w(25, fc.constantFrom(...MISC_OK)), w(1, fc.constantFrom(...MISC_BAD)));
/** Outside the root: comments and PIs (CDATA and text there are errors, kept rare). */
const outerMisc = fc.oneof(w(25, fc.constantFrom(...MISC_OK.filter((m) => !m.startsWith('<![')), ' ', '\n', '\r\n')), w(1, misc), w(1, text));

const attrValue = fc.array(fc.oneof(w(30, fc.constantFrom(...TEXT_OK.filter((t) => t !== '"'))), w(1, fc.constantFrom(...TEXT_BAD, '"'))), { maxLength: 3 }).map((a) => a.join(''));
const attribute = fc.oneof(
  w(10, fc.tuple(qname, attrValue).map(([n, v]) => ` ${n}="${v}"`)),
  w(3, fc.tuple(prefix, fc.oneof(w(20, fc.constantFrom(...URIS)), w(1, fc.constantFrom(...URIS_BAD)))).map(([p, u]) => ` xmlns:${p}="${u}"`)),
  w(2, fc.oneof(w(20, fc.constantFrom(...URIS)), w(2, fc.constant('')), w(1, fc.constantFrom(XML_NS, XMLNS_NS))).map((u) => ` xmlns="${u}"`)),
  w(1, fc.constantFrom(" xml:lang='en'", ' xml:space="preserve"', '\n\tb = "1"', " c='it''s'", ' d="a"b="c"', ' e', ' f=g', ' p:b="1" q:b="2"')),
);

interface Tree {
  name: string;
  attrs: string[];
  content: (Tree | string)[];
  selfClose: boolean;
  closeName?: string;
}

const tree: fc.Arbitrary<Tree> = fc.letrec<{ el: Tree }>((tie) => ({
  el: fc.record({
    name: qname,
    attrs: fc.array(attribute, { maxLength: 3 }),
    content: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant([] as (Tree | string)[]),
      fc.array(fc.oneof(w(5, text), w(2, misc), w(4, tie('el'))), { maxLength: 4 }),
    ),
    selfClose: fc.boolean(),
    closeName: fc.option(qname, { freq: 80, nil: undefined }),
  }),
})).el;

function serialise(t: Tree): string {
  const open = `<${t.name}${t.attrs.join('')}`;
  if (t.selfClose && t.content.length === 0) return `${open}/>`;
  return `${open}>${t.content.map((c) => (typeof c === 'string' ? c : serialise(c))).join('')}</${t.closeName ?? t.name}>`;
}

const DECLS_OK = ['<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' standalone='yes'?>", '<?xml  version = "1.0" encoding="utf-8" standalone="no" ?>', '<?xml version="1.0"?>\n'];
const DECLS_OTHER = ['<?xml version="1.1"?>', '<?xml version="1.9"?>', '<?xml version="2.0"?>', '<?xml encoding="UTF-8"?>', '<?xml version="1.0" standalone="maybe"?>', '<?xml version="1.0" encoding="8bit"?>', '<?xml version="1.0"', ' <?xml version="1.0"?>', '<?xml version="1.0" standalone="yes" encoding="UTF-8"?>'];

/** A whole document: BOM, XML declaration, prolog, a root that usually declares p and q, trailing misc. */
export const generatedDocument: fc.Arbitrary<string> = fc
  .record({
    bom: fc.boolean(),
    decl: fc.oneof(w(8, fc.constant('')), w(8, fc.constantFrom(...DECLS_OK)), w(1, fc.constantFrom(...DECLS_OTHER))),
    before: fc.array(outerMisc, { maxLength: 2 }),
    declare: fc.constantFrom(' xmlns:p="urn:p" xmlns:q="urn:q"', ' xmlns:p="urn:p"', ' xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:p="urn:p" xmlns:q="urn:q"', ''),
    root: tree,
    after: fc.array(fc.oneof(w(20, outerMisc), w(1, fc.constant('<a/>'))), { maxLength: 2 }),
  })
  .map(({ bom, decl, before, declare, root, after }) => {
    const r = serialise({ ...root, attrs: [declare, ...root.attrs] });
    return `${bom ? '\uFEFF' : ''}${decl}${before.join('')}${r}${after.join('')}`;
  });

// ---- mutated real messages --------------------------------------------------------------------

const T0 = new Date('2025-03-01T10:00:00Z');
/** Real SAML messages from the lab's factory (fixed ids and times, so a run can be repeated). */
export const SEEDS: readonly string[] = [
  signedResponse({ issueInstant: T0, responseId: '_r1', assertionId: '_a1' }, { target: 'both' }),
  makeResponse({ issueInstant: T0, responseId: '_r2', assertionId: '_a2', style: 'saml2', accessControl: { Department: 'R&D <x>' } }),
  makeResponse({ issueInstant: T0, responseId: '_r3', assertionId: '_a3', style: 'none', groups: 3 }),
  makeAuthnRequest({ issueInstant: T0, id: '_q1' }),
  makeResponse({ issueInstant: T0, responseId: '_r4', assertionId: '_a4', nameIdRawContent: 'a@b.c<!-- x -->.evil.com' }),
];

const INSERTS = [
  '<', '>', '&', '"', "'", '/', '=', ' ', ':', '?', 'a', '<!-- c -->', '&amp;', '&#x41;', ']]>', '<![CDATA[x]]>', '&nbsp;',
  ' xmlns:z="urn:z"', 'z:', ' z:a="1"', ' xmlns:saml2=""', ' xmlns=""', ' xml:lang="en"', ' xmlns:xml="urn:x"', '\u2028', '\uD800', '\uFDD0', 'é', '\u{10000}', '\u00B7', '\r\n', '<?pi x?>', '<!DOCTYPE x>',
];

type Edit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'drop-declaration'; k: number }
  | { op: 'rename-prefix'; k: number }
  | { op: 'foreign-uri'; k: number }
  | { op: 'duplicate-attribute'; k: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  w(6, fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...INSERTS) })),
  w(3, fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) })),
  w(2, fc.record({ op: fc.constant('drop-declaration' as const), k: fc.nat() })),
  w(2, fc.record({ op: fc.constant('rename-prefix' as const), k: fc.nat() })),
  w(1, fc.record({ op: fc.constant('foreign-uri' as const), k: fc.nat() })),
  w(1, fc.record({ op: fc.constant('duplicate-attribute' as const), k: fc.nat() })),
);

/** The k-th match (mod the number of matches) of re in s, or undefined. */
function nth(s: string, re: RegExp, k: number): RegExpExecArray | undefined {
  const all = [...s.matchAll(re)];
  return all.length ? (all[k % all.length] as RegExpExecArray) : undefined;
}

export function applyEdit(s: string, e: Edit): string {
  switch (e.op) {
    case 'insert': {
      const i = e.at % (s.length + 1);
      return s.slice(0, i) + e.text + s.slice(i);
    }
    case 'delete': {
      const i = e.at % (s.length + 1);
      return s.slice(0, i) + s.slice(i + e.len);
    }
    case 'drop-declaration': {
      const m = nth(s, / xmlns(:[\w.-]+)?="[^"]*"/g, e.k);
      return m ? s.slice(0, m.index) + s.slice(m.index + m[0].length) : s;
    }
    case 'rename-prefix': {
      // One start or end tag's prefix changes: undeclared, or a mismatched end tag.
      const m = nth(s, /<\/?([\w.-]+):/g, e.k);
      return m ? `${s.slice(0, m.index)}${m[0].replace(m[1]!, `${m[1]}x`)}${s.slice(m.index + m[0].length)}` : s;
    }
    case 'foreign-uri': {
      const m = nth(s, / xmlns(:[\w.-]+)?="[^"]*"/g, e.k);
      return m ? `${s.slice(0, m.index)} xmlns${m[1] ?? ''}="urn:example:not-saml"${s.slice(m.index + m[0].length)}` : s;
    }
    case 'duplicate-attribute': {
      const m = nth(s, / [\w:.-]+="[^"<]*"/g, e.k);
      return m ? s.slice(0, m.index + m[0].length) + m[0] + s.slice(m.index + m[0].length) : s;
    }
  }
}

export const mutatedDocument: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 3 }))
  .map(([seed, edits]) => edits.reduce(applyEdit, seed));

/** Half generated from the grammar, half real messages with a few edits. */
export const anyDocument: fc.Arbitrary<{ kind: 'generated' | 'mutated'; xml: string }> = fc.oneof(
  generatedDocument.map((xml) => ({ kind: 'generated' as const, xml })),
  mutatedDocument.map((xml) => ({ kind: 'mutated' as const, xml })),
);

/** Runs the differential over `runs` documents; throws with the (shrunk) first undocumented disagreement. */
export function runDifferential(runs: number, seed: number, stats: Stats = newStats()): Stats {
  fc.assert(
    fc.property(anyDocument, ({ kind, xml }) => {
      stats[kind]++;
      const bad = compareOne(xml, stats);
      if (bad) throw new Error(bad);
    }),
    { numRuns: runs, seed, endOnFailure: false },
  );
  return stats;
}
