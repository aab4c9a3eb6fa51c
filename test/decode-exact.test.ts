// lib/decode's results and sentences, value by value (issue 17: mutation testing left 264 of
// lib/decode/index.ts's mutants alive: the byte counts, the size limits at their boundary, the
// byte-order mark and white space an XML value may start with, the hints of a bad base64 value
// and the cut of a long text sample were run by tests that did not look at them).
import { describe, expect, it } from 'vitest';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { decodeSamlValue, type DecodeError, type Decoded } from '../lib/decode/index.ts';

const ok = (v: string, maxBytes?: number): Decoded => {
  const r = decodeSamlValue(v, maxBytes === undefined ? {} : { maxBytes });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};
const bad = (v: string, maxBytes?: number): DecodeError => {
  const r = decodeSamlValue(v, maxBytes === undefined ? {} : { maxBytes });
  if (r.ok) throw new Error(`decoded: ${r.xml.slice(0, 60)}`);
  return r;
};
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

describe('sizes: the UTF-8 length of what was decoded, and the limit at its boundary', () => {
  it('counts 1, 2, 3 and 4 bytes a character, and 3 for a lone surrogate', () => {
    // 7 ASCII (<a></a>) + é (2) + € (3) + 😀 (4, a surrogate pair) = 16.
    expect(ok('<a>é€😀</a>').decodedBytes).toBe(16);
    // A lone high surrogate is written as U+FFFD: 3 bytes; one at the very end too.
    expect(ok('<a>\ud800x</a>').decodedBytes).toBe(11);
    expect(ok('<a/>\ud800').decodedBytes).toBe(7);
    expect(ok('<a>ÿ</a>').decodedBytes).toBe(9);
    expect(ok('<a>\u07ff\u0800</a>').decodedBytes).toBe(12);
  });

  it('accepts XML of exactly the limit and refuses one byte more, naming both sizes', () => {
    const xml = (n: number) => `<a>${'x'.repeat(n - 7)}</a>`;
    expect(ok(xml(1024), 1024).decodedBytes).toBe(1024);
    // One character too many is longer than the limit in UTF-16 units too: said as "over".
    expect(bad(xml(1025), 1024)).toMatchObject({ code: 'too-large', message: expect.stringMatching(/^The XML is over 1\.0 KB, over the 1\.0 KB limit for one message\./) });
    expect(bad(xml(1024), 1023).message).toMatch(/^The XML is over 1\.0 KB, over the 1023 bytes limit/);
    // Within the limit in characters, over it in bytes: the exact size.
    expect(bad(`<a>${'é'.repeat(510)}</a>`, 1024).message).toMatch(/^The XML is 1\.0 KB, over the 1\.0 KB limit/);
    // Longer in UTF-16 units than the limit: said as "over".
    expect(bad(xml(40), 30).message).toMatch(/^The XML is over 40 bytes, over the 30 bytes limit/);
    // Multi-byte: 600 "é" are 1,200 bytes in 607 characters.
    expect(bad(`<a>${'é'.repeat(600)}</a>`, 1100).message).toMatch(/^The XML is 1\.2 KB, over the 1\.1 KB limit/);
    expect(bad(xml(5 * 1024 * 1024), 2 * 1024 * 1024).message).toMatch(/^The value is 5\.0 MB long, over the 2\.0 MB limit/);
    expect(bad(xml(2 * 1024 * 1024 + 8), 2 * 1024 * 1024).message).toMatch(/^The XML is over 2\.0 MB, over the 2\.0 MB limit/);
  });

  it('refuses a value over twice the limit before reading it, and a posted message over the limit once decoded', () => {
    expect(bad('A'.repeat(201), 100)).toMatchObject({ code: 'too-large', message: expect.stringMatching(/^The value is 201 bytes long, over the 100 bytes limit/) });
    // Exactly twice the limit is read (and is then not base64 of XML).
    expect(bad('A'.repeat(200), 100).code).not.toBe('too-large');
    const posted = b64(`<a>${'x'.repeat(120)}</a>`);
    expect(bad(posted, 126)).toMatchObject({ code: 'too-large', message: expect.stringMatching(/^The decoded message is 127 bytes, over the 126 bytes limit/) });
    expect(ok(posted, 127).decodedBytes).toBe(127);
    // Inflated past the limit: refused as a possible bomb.
    const deflated = b64(deflateRawSync(Buffer.from(`<a>${'x'.repeat(5000)}</a>`)));
    expect(bad(deflated, 4096)).toMatchObject({ code: 'too-large', message: expect.stringMatching(/^The message inflates to more than 4\.0 KB: refused/) });
    expect(ok(deflated, 5007).xml).toHaveLength(5007);
  });
});

describe('what an XML value may start with', () => {
  it('a BOM and spaces, tabs and line breaks before the first "<", as text', () => {
    expect(ok('\ufeff \n\r\t<a/>')).toMatchObject({ xml: '<a/>', encoding: 'plain-xml', decodedBytes: 4 });
    expect(ok('  <a/>').xml).toBe('<a/>');
  });

  it('the same as bytes in base64 (a UTF-8 BOM, then space, LF, CR, tab)', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0x20, 0x0a, 0x0d, 0x09]), Buffer.from('<a/>')]);
    expect(ok(b64(bytes))).toMatchObject({ xml: '<a/>', encoding: 'base64', binding: 'post', decodedBytes: 11 });
    for (const lead of [0x20, 0x0a, 0x0d, 0x09]) expect(ok(b64(Buffer.concat([Buffer.from([lead, lead]), Buffer.from('<b/>')]))).encoding).toBe('base64');
    // A BOM alone is not enough: the three bytes must all be there.
    expect(bad(b64(Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from('<a/>')]))).code).not.toBe('empty');
  });

  it('line wrapping inside base64 (CR, LF, tab, form feed, vertical tab) is dropped', () => {
    const v = b64('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>');
    const wrapped = `${v.slice(0, 10)}\r\n${v.slice(10, 20)}\t${v.slice(20, 30)}\f${v.slice(30, 40)}\v${v.slice(40)}`;
    expect(ok(wrapped).xml).toBe('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>');
  });
});

describe('base64 as it is pasted', () => {
  // "<a>??>?</a>" has '+' and '/' in its base64.
  const xml = '<a>\u00fb\u00ef\u00be?>?</a>';
  const v = b64(xml);

  it('spaces that were a "+" before form decoding, inside and at the end', () => {
    expect(v).toMatch(/\+/);
    expect(ok(v.replace(/\+/g, ' ')).xml).toBe(xml);
    // Copy noise at the edges (spaces) is not a "+".
    expect(ok(`  ${v}  `).xml).toBe(xml);
  });

  it('the URL-safe alphabet, without padding', () => {
    const safe = v.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(ok(safe).xml).toBe(xml);
  });

  it('says which character is wrong, where, and what it suggests', () => {
    expect(bad('PHNh.bWw6')).toMatchObject({ code: 'bad-base64', message: expect.stringContaining('character "." at position 4 is not allowed. Dots suggest a JWT') });
    expect(bad('PHNh&bWw6').message).toContain('character "&" at position 4 is not allowed. It looks like several parameters');
    expect(bad('PHNh=bWw6').message).toContain('character "=" at position 4 is not allowed. It looks like several parameters');
    expect(bad('PHNh%zzbWw6').message).toContain("character \"%\" at position 4 is not allowed. A '%' that is not part of a %-escape");
    expect(bad('PHNh!bWw6').message).toMatch(/character "!" at position 4 is not allowed\. {1,2}\S/);
    expect(bad('PHNh!bWw6').message).not.toMatch(/JWT|several parameters|%-escape/);
  });

  it('a value cut in the middle of a %-escape, and one URL-encoded twice', () => {
    expect(bad('PHNhbWw%3').message).toContain('ends in the middle of a %-escape ("%3")');
    expect(bad('PHNhbWw%').message).toContain('("%")');
    const once = encodeURIComponent(v);
    expect(ok(once)).toMatchObject({ xml, urlDecoded: true });
    expect(ok(encodeURIComponent(once))).toMatchObject({ xml, urlDecoded: true });
    // Three times is once too many: a '%' is left.
    expect(bad(encodeURIComponent(encodeURIComponent(once))).message).toContain("A '%' that is not part of a %-escape");
    expect(ok(v).urlDecoded).toBe(false);
  });
});

describe('the UTF-8 length of any text, lone surrogates included (as Buffer counts them: 3 bytes each)', () => {
  it('matches Buffer.byteLength on 2,000 random texts of ASCII, 2-, 3- and 4-byte characters and lone halves of pairs', () => {
    const units = ['a', ' ', 'é', '\u07ff', '\u0800', '€', '中', '\uffff', '😀', '\ud800', '\udbff', '\udc00', '\udfff', '\ud7ff', '\ue000'];
    let seed = 17;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let k = 0; k < 2000; k++) {
      const body = Array.from({ length: 1 + rnd(12) }, () => units[rnd(units.length)]).join('');
      const xml = `<a>${body}</a>`;
      expect(ok(xml).decodedBytes, JSON.stringify(xml)).toBe(Buffer.byteLength(xml, 'utf8'));
    }
  });
});

describe('copy noise at the edges of a base64 value (line breaks, tabs, a BOM), but not spaces', () => {
  const xml = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_e"/>';
  const v = b64(xml);
  it('a BOM before or after the value, as pasted or once URL-decoded', () => {
    expect(ok(`\ufeff${v}`)).toMatchObject({ xml, encoding: 'base64' });
    expect(ok(`${v}\ufeff`)).toMatchObject({ xml, encoding: 'base64' });
    expect(ok(encodeURIComponent(`\ufeff${v}\ufeff`))).toMatchObject({ xml, urlDecoded: true });
    expect(ok(`\ufeff\n\t${v}\r\n\ufeff`).xml).toBe(xml);
  });

  it('each of LF, CR, tab, form feed and vertical tab after a value cut in a %-escape: still named as cut', () => {
    for (const noise of ['\n', '\r', '\t', '\f', '\v', '\ufeff', '\r\n\t']) {
      expect(bad(`PHNhbWw%3${noise}`).message).toContain('ends in the middle of a %-escape ("%3")');
      expect(bad(`${noise}PHNhbWw%${noise}`).message).toContain('ends in the middle of a %-escape ("%")');
    }
  });

  it('a space at either end is a lost "+", not noise', () => {
    // "+" at both ends of the base64 text (bytes chosen so), form-decoded to spaces.
    const plus = b64(Buffer.from([0xfb, 0xef, 0xbe, 0x3c, 0x61, 0x2f, 0x3e, 0xfb, 0xe0]));
    expect(plus.startsWith('+')).toBe(true);
    const spaced = plus.replace(/\+/g, ' ');
    expect(decodeSamlValue(spaced)).toEqual(decodeSamlValue(plus));
  });
});

describe('deflated values and what is not XML', () => {
  const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>';
  it('raw DEFLATE and the zlib wrapper some senders use', () => {
    expect(ok(b64(deflateRawSync(Buffer.from(xml))))).toMatchObject({ xml, encoding: 'base64-deflate', binding: 'redirect', decodedBytes: xml.length });
    expect(ok(b64(deflateSync(Buffer.from(xml))))).toMatchObject({ xml, encoding: 'base64-zlib', binding: 'redirect' });
  });

  it('text that is not XML says how it begins; a long text cut inside a character is still text', () => {
    expect(bad(b64('hello, world'))).toMatchObject({ code: 'not-xml', message: expect.stringContaining('The decoded value is text but not XML: it begins with "hello, world".') });
    // 255 ASCII then "é" (bytes 256 and 257): the 256-byte sample ends inside it.
    expect(bad(b64(`${'a'.repeat(255)}é and more`)).message).toContain('is text but not XML');
    // 254 ASCII then "€" (bytes 255–257): the sample ends after its lead byte and one continuation.
    expect(bad(b64(`${'a'.repeat(254)}€ and more`)).message).toContain('is text but not XML');
    // Only the first 256 bytes are judged: a control character after them leaves it text.
    expect(bad(b64(`${'a'.repeat(300)}\u0001`)).code).toBe('not-xml');
    expect(bad(b64(`${'a'.repeat(10)}\u0001`)).code).toBe('inflate-failed');
    expect(bad(b64(`${'a'.repeat(10)}\u007f`)).code).toBe('inflate-failed');
    // Tab and line breaks are text.
    expect(bad(b64('a\tb\nc\rd')).code).toBe('not-xml');
  });

  it('what inflates but is not XML, and a value that decodes to nothing', () => {
    expect(bad(b64(deflateRawSync(Buffer.from('plain words, deflated'))))).toMatchObject({ code: 'not-xml', message: expect.stringMatching(/^The value inflates, but it is not XML: it begins with "plain words, deflate"/) });
    expect(bad('====')).toMatchObject({ code: 'empty', message: expect.stringMatching(/^The value decodes to nothing/) });
    expect(bad(' \n\t ')).toMatchObject({ code: 'empty', message: expect.stringMatching(/^The value is empty/) });
  });
});

// The second mutation run's survivors, each pinned by the value that tells the code apart from
// its mutant (the rest were conditions the code did not need, now gone: see lib/decode/index.ts).
describe('boundaries a pasted value can sit on', () => {
  it('a limit of exactly 1 MB is named in MB', () => {
    const xml = `<a>${'x'.repeat(1024 * 1024 - 6)}</a>`;
    expect(bad(xml, 1024 * 1024).message).toMatch(/^The XML is over 1\.0 MB, over the 1\.0 MB limit for one message\./);
  });

  it('the XML limit counts bytes, and says "over" only when even the characters are too many', () => {
    // 10 characters, 13 bytes, limit 10: the exact size.
    expect(bad('<a>ééé</a>', 10)).toMatchObject({ code: 'too-large', message: expect.stringMatching(/^The XML is 13 bytes, over the 10 bytes limit/) });
    // 12 characters over a limit of 10: not counted to the byte, said as "over" the characters.
    expect(bad('<a>ééééé</a>', 10).message).toMatch(/^The XML is over 12 bytes, over the 10 bytes limit/);
    expect(ok('<a>ééé</a>', 13).decodedBytes).toBe(13);
  });

  it('U+007F is one byte, U+0080 two', () => {
    expect(ok('<a>\u007f</a>').decodedBytes).toBe(8);
    expect(ok('<a>\u0080</a>').decodedBytes).toBe(9);
    // A pair after a lone high half: 3 + 4.
    expect(ok('<a>\ud800\ud83d\ude00</a>').decodedBytes).toBe(14);
  });

  it('bytes that begin with two of the three bytes of a BOM are not XML behind a BOM', () => {
    for (const lead of [[0xef, 0xbb, 0x41], [0xef, 0x41, 0xbf], [0x41, 0xbb, 0xbf]]) {
      // Invalid UTF-8 that does not inflate: neither text nor XML nor DEFLATE.
      expect(bad(b64(Buffer.concat([Buffer.from(lead), Buffer.from('<a/>')]))).code, JSON.stringify(lead)).toBe('inflate-failed');
    }
  });

  it('XML starts at its first character once trimmed: a no-break space before "<" is not XML', () => {
    // As text, String.prototype.trim removes it; inflated, only XML's own white space is removed.
    expect(ok('\u00a0<a/>').xml).toBe('<a/>');
    expect(bad(b64(deflateRawSync(Buffer.from('\u00a0<a/>'))))).toMatchObject({ code: 'not-xml', message: expect.stringContaining('it begins with "\u00a0<a/>"') });
    expect(ok(b64(deflateRawSync(Buffer.from(' \r\n\t<a/>')))).xml).toBe('<a/>');
    // URL-encoded XML with a line break before it.
    expect(ok(encodeURIComponent('\n<a/>'))).toMatchObject({ xml: '<a/>', encoding: 'plain-xml', urlDecoded: true });
    expect(ok('<a/>')).toMatchObject({ encoding: 'plain-xml', urlDecoded: false });
  });
});

describe('spaces inside base64 that are copy noise, not a lost "+"', () => {
  it('takes the reading that is complete, padded base64', () => {
    const xml = '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_99"/>';
    const v = b64(xml);
    expect(v).toMatch(/==$/);
    expect(v).not.toMatch(/\+/);
    // Two spaces inserted by a mail client: as '+' the length is 2 over a multiple of 4.
    const noisy = `${v.slice(0, 20)} ${v.slice(20, 40)} ${v.slice(40)}`;
    expect(ok(noisy).xml).toBe(xml);
  });
});

describe('text that is not XML, judged on its first 256 bytes', () => {
  it('says how it begins: a short text ending in a two-byte character, a long one cut in a character', () => {
    expect(bad(b64('café')).message).toContain('it begins with "café".');
    expect(bad(b64(`${'a'.repeat(255)}é and more`)).message).toContain(`it begins with "${'a'.repeat(20)}".`);
    expect(bad(b64(`${'b'.repeat(254)}€ and more`)).message).toContain(`it begins with "${'b'.repeat(20)}".`);
    expect(bad(b64('hello')).message).toContain('Make sure you copied the SAMLRequest or SAMLResponse value, not a token, cookie or other parameter.');
  });

  it('byte 257 and later are not judged: a control character or invalid UTF-8 there leaves it text', () => {
    expect(bad(b64(`${'a'.repeat(256)}\u0001`)).code).toBe('not-xml');
    expect(bad(b64(Buffer.concat([Buffer.from('a'.repeat(300)), Buffer.from([0xff])]))).code).toBe('not-xml');
    expect(bad(b64(`${'a'.repeat(255)}\u0001`)).code).toBe('inflate-failed');
  });

  it('invalid UTF-8 without control bytes that does not inflate is neither', () => {
    expect(bad(b64(Buffer.from([0xff, 0xfe, 0xfd, 0x41]))).code).toBe('inflate-failed');
  });
});

describe('a %-escape', () => {
  it('"%" and one hex digit inside a value is not an escape: named as a stray "%"', () => {
    expect(bad('PHNh%4xbWw6').message).toContain("character \"%\" at position 4 is not allowed. A '%' that is not part of a %-escape");
  });
});

describe('a URL-encoded value of line breaks alone', () => {
  it('decodes to nothing, and says so', () => {
    for (const v of ['%0A', '%0A%0A', '%09%0D%0A', '%EF%BB%BF']) expect(bad(v), v).toMatchObject({ code: 'empty', message: expect.stringMatching(/^The value decodes to nothing/) });
  });
});

describe('the boundary holds', () => {
  it('an option that throws is reported, not thrown', () => {
    const options = Object.defineProperty({}, 'maxBytes', { get: () => { throw new Error('boom'); } });
    expect(decodeSamlValue('PHg+', options)).toMatchObject({ ok: false, code: 'not-xml', message: expect.stringMatching(/^The value could not be decoded: boom\. Make sure you copied/) });
  });
});
