// lib/saml/xml.ts is a strict one-pass reader written for SAML (about five times faster than
// fast-xml-parser's validator + parser, and stricter). fast-xml-parser stays as its oracle: on
// real messages and on thousands of random mutations of them, whenever both accept the input,
// both must build the same tree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml, type XElement, type XNode } from '../lib/saml/xml.ts';
import { parseXml as oracleParse } from './oracle/fxp-xml.ts';
import { makeAuthnRequest, makeResponse, signedResponse } from './lab/factory.ts';

type Plain = { n: string; ns: string; a: [string, string][]; c: (Plain | string)[] };

/** Reduces a tree to what both readers must agree on: names, namespaces, attributes, text, comments. */
function plain(el: XElement): Plain {
  const c: (Plain | string)[] = [];
  for (const k of el.children as XNode[]) {
    const v = k.kind === 'element' ? plain(k) : k.kind === 'text' ? `t:${k.value}` : k.kind === 'comment' ? `c:${k.value}` : `p:${k.target}`;
    // Adjacent text nodes (a CDATA section next to text) count as one.
    if (typeof v === 'string' && v.startsWith('t:') && typeof c[c.length - 1] === 'string' && (c[c.length - 1] as string).startsWith('t:')) {
      c[c.length - 1] = (c[c.length - 1] as string) + v.slice(2);
    } else c.push(v);
  }
  // The XML rule for attribute whitespace (tab/newline → space) is applied by ours only.
  return { n: el.name, ns: el.ns, a: Object.entries(el.attrs).map(([k, v]): [string, string] => [k, v.replace(/[\t\n\r]/g, ' ')]).sort(), c: c.map((x) => (typeof x === 'string' ? x.replace(/\r\n?/g, '\n') : x)) };
}

const seeds = [
  signedResponse({}, { target: 'both' }),
  makeResponse({ style: 'saml2', accessControl: { Department: 'R&D <x>' } }),
  makeResponse({ style: 'none', groups: 3 }),
  makeAuthnRequest(),
  makeResponse({ nameIdRawContent: 'a@b.c<!-- x -->.evil.com' }),
];

describe('the XML reader agrees with fast-xml-parser', () => {
  it('on real messages', () => {
    for (const s of seeds) {
      const a = parseXml(s);
      const b = oracleParse(s);
      expect('root' in a && 'root' in b).toBe(true);
      if ('root' in a && 'root' in b) expect(plain(a.root)).toEqual(plain(b.root));
    }
  });

  it('on random mutations, whenever both accept', () => {
    let bothAccepted = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('<', '>', '&', '"', "'", '/', '=', ' ', '<!-- c -->', '&amp;', '&#x41;', ']]>', '<![CDATA[x]]>', 'a', ':', '?'), fc.boolean()), { minLength: 1, maxLength: 3 }),
        (seed, edits) => {
          let s = seed;
          for (const [pos, text, remove] of edits) {
            const i = pos % (s.length + 1);
            s = remove ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + text + s.slice(i);
          }
          const a = parseXml(s);
          const b = oracleParse(s);
          if ('root' in a && 'root' in b) {
            bothAccepted++;
            expect(plain(a.root)).toEqual(plain(b.root));
          }
        },
      ),
      { numRuns: 1500, seed: 20261125 },
    );
    expect(bothAccepted).toBeGreaterThan(100);
  });
});
