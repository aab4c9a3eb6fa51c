// Golden tests for lib/decode: every binding and encoding a SAML value travels in, and every
// error, with its exact code and a sentence that tells the person what to do next.
import { describe, expect, it } from 'vitest';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { deflateRaw } from 'pako';
import { decodeSamlValue, extractSamlParams, type DecodeResult, type Decoded, type DecodeError } from '../lib/decode/index.ts';
import { LAB, makeAuthnRequest, makeResponse, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { expectUnder } from './wall-clock.ts';

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

function ok(r: DecodeResult): Decoded {
  if (!r.ok) throw new Error(`expected a decoded message, got ${r.code}: ${r.message}`);
  return r;
}
function err(r: DecodeResult): DecodeError {
  if (r.ok) throw new Error(`expected an error, got a ${r.encoding} message`);
  return r;
}

/** A sentence that tells the reader what to do: it contains an imperative. */
const ACTION = /\b(Copy|Capture|Check|Make sure|Give|Paste|paste|raise|report|export|keep|take)\b/;

// A signed Entra response whose base64 has '+' and '/' and (for the length we pick) padding.
// Fixed fields, so the tests do not depend on randomness in the factory's IDs.
const responseXml = signedResponse({
  responseId: '_resp-0001',
  assertionId: '_assert-0001',
  issueInstant: new Date('2025-03-01T10:00:00Z'),
  inResponseTo: '_req-0001',
  // Non-ASCII text, so byte-for-byte comparison means something.
  givenName: 'Zoë',
  surname: 'Ñúñez-Øster 山田',
});
const responseB64 = toPost(responseXml);
const requestXml = makeAuthnRequest({ id: '_req-0001', issueInstant: new Date('2025-03-01T09:59:58Z') });

/** A base64 value with '+', '/' and one '=' of padding, to exercise every alphabet rule. */
function xmlWithAllBase64Features(): { xml: string; value: string } {
  // "???" encodes to "Pz8/" and ">>>" to "Pj4+" whatever the alignment, once long enough.
  for (let pad = 0; pad < 8; pad++) {
    const xml = makeResponse({
      responseId: `_r${'x'.repeat(pad)}`,
      issueInstant: new Date('2025-03-01T10:00:00Z'),
      attributes: [{ name: 'note', values: ['?????????', '>>>>>>>>>'] }],
    });
    const v = toPost(xml);
    if (v.includes('+') && v.includes('/') && v.endsWith('=') && !v.endsWith('==')) return { xml, value: v };
  }
  throw new Error('no suitable message');
}

describe('HTTP-POST: base64 of the XML', () => {
  it('decodes plain base64 byte-for-byte', () => {
    const d = ok(decodeSamlValue(responseB64));
    expect(d.xml).toBe(responseXml);
    expect(Buffer.from(d.xml, 'utf8').equals(Buffer.from(responseXml, 'utf8'))).toBe(true);
    expect(d.encoding).toBe('base64');
    expect(d.binding).toBe('post');
    expect(d.urlDecoded).toBe(false);
    expect(d.decodedBytes).toBe(Buffer.byteLength(responseXml, 'utf8'));
    expect(d.base64Length).toBe(responseB64.length);
  });

  it('keeps non-ASCII text intact', () => {
    const d = ok(decodeSamlValue(responseB64));
    expect(d.xml).toContain('Zoë');
    expect(d.xml).toContain('Ñúñez-Øster 山田');
    expect(d.decodedBytes).toBeGreaterThan(d.xml.length);
  });

  it('accepts base64 wrapped at 76 columns with CRLF (MIME style)', () => {
    const wrapped = responseB64.replace(/(.{76})/g, '$1\r\n');
    expect(wrapped).toContain('\r\n');
    const d = ok(decodeSamlValue(wrapped));
    expect(d.xml).toBe(responseXml);
    expect(d.encoding).toBe('base64');
  });

  it('accepts base64 wrapped with LF and surrounded by blank lines', () => {
    const d = ok(decodeSamlValue(`\n\n${responseB64.replace(/(.{64})/g, '$1\n')}\n`));
    expect(d.xml).toBe(responseXml);
  });

  it('accepts base64 URL-encoded once (%2B, %2F, %3D) and says so', () => {
    const { xml, value } = xmlWithAllBase64Features();
    const enc = encodeURIComponent(value);
    expect(enc).toMatch(/%2B/);
    expect(enc).toMatch(/%2F/);
    expect(enc).toMatch(/%3D$/);
    const d = ok(decodeSamlValue(enc));
    expect(d.xml).toBe(xml);
    expect(d.urlDecoded).toBe(true);
    expect(d.binding).toBe('post');
  });

  it("accepts base64 whose '+' became spaces in a form decoding", () => {
    const { xml, value } = xmlWithAllBase64Features();
    const spaced = value.replace(/\+/g, ' ');
    expect(spaced).toContain(' ');
    const d = ok(decodeSamlValue(spaced));
    expect(d.xml).toBe(xml);
  });

  it("accepts a form-decoded value whose last character was a '+' (now a trailing space)", () => {
    // Find a response whose base64 ends in '+' (no padding): trimming would lose that byte.
    let found: { xml: string; value: string } | undefined;
    for (let i = 0; i < 400 && !found; i++) {
      const xml = makeResponse({ responseId: `_t${i}`, issueInstant: new Date('2025-03-01T10:00:00Z') });
      const v = toPost(xml);
      if (v.endsWith('+')) found = { xml, value: v };
    }
    expect(found, 'a message whose base64 ends in +').toBeDefined();
    const d = ok(decodeSamlValue(found!.value.replace(/\+/g, ' ')));
    expect(d.xml).toBe(found!.xml);
  });

  it('ignores spaces copied around a padded value', () => {
    const d = ok(decodeSamlValue(`  ${responseB64}  `));
    expect(d.xml).toBe(responseXml);
  });

  it('accepts the URL-safe alphabet (- and _)', () => {
    const { xml, value } = xmlWithAllBase64Features();
    const safe = value.replace(/\+/g, '-').replace(/\//g, '_');
    expect(safe).toMatch(/[-_]/);
    expect(safe).not.toMatch(/[+/]/);
    const d = ok(decodeSamlValue(safe));
    expect(d.xml).toBe(xml);
  });

  it('accepts missing padding', () => {
    const { xml, value } = xmlWithAllBase64Features();
    const bare = value.replace(/=+$/, '');
    expect(bare.length).not.toBe(value.length);
    const d = ok(decodeSamlValue(bare));
    expect(d.xml).toBe(xml);
  });

  it('accepts URL-safe alphabet and missing padding together', () => {
    const { xml, value } = xmlWithAllBase64Features();
    const d = ok(decodeSamlValue(value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')));
    expect(d.xml).toBe(xml);
  });

  it('accepts a value URL-encoded twice', () => {
    const { xml, value } = xmlWithAllBase64Features();
    const d = ok(decodeSamlValue(encodeURIComponent(encodeURIComponent(value))));
    expect(d.xml).toBe(xml);
    expect(d.urlDecoded).toBe(true);
  });

  it('strips a UTF-8 BOM inside the base64', () => {
    const d = ok(decodeSamlValue(b64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(responseXml)]))));
    expect(d.xml).toBe(responseXml);
  });
});

describe('HTTP-Redirect: URL-encoded base64 of raw DEFLATE', () => {
  it('decodes the value as it stands in the query string, byte-for-byte', () => {
    const value = toRedirect(requestXml);
    expect(value).toMatch(/%[0-9A-F]{2}/);
    const d = ok(decodeSamlValue(value));
    expect(d.xml).toBe(requestXml);
    expect(d.encoding).toBe('base64-deflate');
    expect(d.binding).toBe('redirect');
    expect(d.urlDecoded).toBe(true);
    expect(d.decodedBytes).toBe(Buffer.byteLength(requestXml));
    expect(d.base64Length).toBe(decodeURIComponent(value).length);
  });

  it('decodes it already URL-decoded', () => {
    const d = ok(decodeSamlValue(decodeURIComponent(toRedirect(requestXml))));
    expect(d.xml).toBe(requestXml);
    expect(d.urlDecoded).toBe(false);
    expect(d.encoding).toBe('base64-deflate');
  });

  it('decodes a zlib-wrapped DEFLATE value (some senders add the header)', () => {
    const value = b64(deflateSync(Buffer.from(requestXml)));
    const d = ok(decodeSamlValue(value));
    expect(d.xml).toBe(requestXml);
    expect(d.encoding).toBe('base64-zlib');
    expect(d.binding).toBe('redirect');
  });

  it('decodes an uncompressed base64 AuthnRequest (as for HTTP-POST)', () => {
    const d = ok(decodeSamlValue(b64(requestXml)));
    expect(d.xml).toBe(requestXml);
    expect(d.encoding).toBe('base64');
    expect(d.binding).toBe('post');
  });

  it('decodes a DEFLATE response too (a LogoutResponse by redirect)', () => {
    const xml = makeResponse({ issueInstant: new Date('2025-03-01T10:00:00Z') });
    expect(ok(decodeSamlValue(toRedirect(xml))).xml).toBe(xml);
  });
});

describe('plain XML', () => {
  it('passes XML through unchanged', () => {
    const d = ok(decodeSamlValue(responseXml));
    expect(d.xml).toBe(responseXml);
    expect(d.encoding).toBe('plain-xml');
    expect(d.binding).toBe('unknown');
    expect(d.base64Length).toBe(0);
    expect(d.decodedBytes).toBe(Buffer.byteLength(responseXml));
  });

  it('removes a BOM', () => {
    expect(ok(decodeSamlValue(`\uFEFF${responseXml}`)).xml).toBe(responseXml);
  });

  it('keeps the XML declaration', () => {
    expect(requestXml.startsWith('<?xml')).toBe(true);
    expect(ok(decodeSamlValue(requestXml)).xml).toBe(requestXml);
  });

  it('removes leading whitespace and line breaks', () => {
    expect(ok(decodeSamlValue(`\r\n \t \n${requestXml}`)).xml).toBe(requestXml);
    expect(ok(decodeSamlValue(`\uFEFF  \n${requestXml}`)).xml).toBe(requestXml);
  });

  it('accepts URL-encoded XML', () => {
    const d = ok(decodeSamlValue(encodeURIComponent(requestXml)));
    expect(d.xml).toBe(requestXml);
    expect(d.urlDecoded).toBe(true);
    expect(d.encoding).toBe('plain-xml');
  });
});

describe('extractSamlParams', () => {
  const sigAlg = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  const signature = 'dGVzdC1zaWduYXR1cmU+Pz8/Pz8+dGVzdA==';
  const relayState = 'https://d-93670a1b2c.awsapps.com/start/#/?tab=accounts&x=a b';
  const enc = encodeURIComponent;

  it('reads a full redirect URL with RelayState, SigAlg and Signature', () => {
    const value = toRedirect(requestXml);
    const query = `SAMLRequest=${value}&RelayState=${enc(relayState)}&SigAlg=${enc(sigAlg)}&Signature=${enc(signature)}`;
    const url = `${LAB.ssoUrl}?${query}`;
    const p = extractSamlParams(url);
    expect(p).toEqual({
      value,
      param: 'SAMLRequest',
      url: LAB.ssoUrl,
      rawQuery: query,
      binding: 'redirect',
      relayState,
      sigAlg,
      signature,
    });
    expect(ok(decodeSamlValue(p.value)).xml).toBe(requestXml);
  });

  it("keeps a '+' that the sender left unencoded in Signature (base64 has no spaces)", () => {
    const url = `${LAB.ssoUrl}?SAMLRequest=${toRedirect(requestXml)}&SigAlg=${enc(sigAlg)}&Signature=${signature}`;
    expect(extractSamlParams(url).signature).toBe(signature);
  });

  it('ignores a fragment', () => {
    const p = extractSamlParams(`${LAB.ssoUrl}?SAMLRequest=${toRedirect(requestXml)}#top`);
    expect(p.rawQuery).toBe(`SAMLRequest=${toRedirect(requestXml)}`);
    expect(ok(decodeSamlValue(p.value)).xml).toBe(requestXml);
  });

  it('reads a query string starting with ?', () => {
    const p = extractSamlParams(`?RelayState=abc&SAMLRequest=${toRedirect(requestXml)}`);
    expect(p.param).toBe('SAMLRequest');
    expect(p.binding).toBe('redirect');
    expect(p.relayState).toBe('abc');
    expect(p.url).toBeUndefined();
    expect(ok(decodeSamlValue(p.value)).xml).toBe(requestXml);
  });

  it('reads a form body (application/x-www-form-urlencoded)', () => {
    const body = `SAMLResponse=${enc(responseB64)}&RelayState=${enc(relayState).replace(/%20/g, '+')}`;
    const p = extractSamlParams(body);
    expect(p.param).toBe('SAMLResponse');
    expect(p.value).toBe(enc(responseB64));
    expect(p.relayState).toBe(relayState);
    expect(p.url).toBeUndefined();
    expect(p.rawQuery).toBe(body);
    expect(ok(decodeSamlValue(p.value)).xml).toBe(responseXml);
  });

  it('reads SAMLResponse=… on its own', () => {
    const p = extractSamlParams(`SAMLResponse=${responseB64}`);
    expect(p.value).toBe(responseB64);
    expect(p.param).toBe('SAMLResponse');
  });

  it('reads a URL copied from HTML source (&amp; separators)', () => {
    const p = extractSamlParams(`${LAB.ssoUrl}?SAMLRequest=${toRedirect(requestXml)}&amp;RelayState=xyz`);
    expect(p.relayState).toBe('xyz');
    expect(ok(decodeSamlValue(p.value)).xml).toBe(requestXml);
  });

  it('returns a bare value or XML as it is', () => {
    expect(extractSamlParams(`  ${responseB64}\n`)).toEqual({ value: responseB64 });
    expect(extractSamlParams(requestXml)).toEqual({ value: requestXml });
  });

  it('returns an empty value for a URL without SAML parameters', () => {
    expect(extractSamlParams('https://example.com/page?x=1')).toEqual({ value: '', url: 'https://example.com/page' });
  });
});

describe('decode errors: exact code and a sentence that says what to do', () => {
  const cases: { name: string; input: () => string; code: DecodeError['code']; says: RegExp; maxBytes?: number }[] = [
    { name: 'empty string', input: () => '', code: 'empty', says: /empty/ },
    { name: 'whitespace only', input: () => ' \r\n\t ', code: 'empty', says: /empty/ },
    { name: 'base64 of nothing', input: () => '====', code: 'empty', says: /nothing/ },
    {
      name: 'an illegal character',
      input: () => `${responseB64.slice(0, 100)}!${responseB64.slice(100)}`,
      code: 'bad-base64',
      says: /character "!" at position 100/,
    },
    {
      name: "a '%' that is not an escape",
      input: () => `${responseB64.slice(0, 50)}%zz${responseB64.slice(50)}`,
      code: 'bad-base64',
      says: /character "%" at position 50 .*not part of a %-escape/,
    },
    {
      name: 'a JWT (dots)',
      input: () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      code: 'bad-base64',
      says: /JWT/,
    },
    {
      name: 'a length no base64 can have (4n+1)',
      input: () => responseB64.replace(/=+$/, '').slice(0, 401),
      code: 'bad-base64',
      says: /401 characters.*cut short/,
    },
    {
      name: 'a URL-encoded value cut in the middle of an escape',
      input: () => `${encodeURIComponent(responseB64).slice(0, 200).replace(/%[0-9A-F]{2}$/, '')}%2`,
      code: 'bad-base64',
      says: /middle of a %-escape \("%2"\)/,
    },
    {
      name: 'a malformed %-escape in the middle',
      input: () => `${encodeURIComponent(responseB64).slice(0, 100)}%E0%A4%A${responseB64.slice(100, 200)}`,
      code: 'bad-base64',
      says: /%-escapes is malformed/,
    },
    {
      name: 'truncated DEFLATE',
      input: () => {
        const full = Buffer.from(deflateRaw(new TextEncoder().encode(requestXml)));
        return encodeURIComponent(b64(full.subarray(0, Math.floor(full.length / 2))));
      },
      code: 'inflate-failed',
      says: /truncated/,
    },
    {
      name: 'random binary',
      input: () => b64(new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 256))),
      code: 'inflate-failed',
      says: /neither XML nor DEFLATE/,
    },
    {
      name: 'base64 of JSON',
      input: () => b64(JSON.stringify({ access_token: 'abc', token_type: 'Bearer' })),
      code: 'not-xml',
      says: /text but not XML: it begins with "\{\\"access_token\\":\\"abc"/,
    },
    {
      name: 'DEFLATE of plain text',
      input: () => toRedirect('hello, this is not xml'),
      code: 'not-xml',
      says: /inflates, but it is not XML: it begins with "hello, this is not x"/,
    },
    { name: 'XML over a small maxBytes', input: () => requestXml, maxBytes: 100, code: 'too-large', says: /over the 100 bytes limit/ },
    {
      name: 'base64 over a small maxBytes',
      input: () => b64(requestXml),
      maxBytes: 700,
      code: 'too-large',
      says: new RegExp(`decoded message is ${Buffer.byteLength(requestXml)} bytes, over the 700 bytes limit`),
    },
    { name: 'a value far over the limit', input: () => responseB64, maxBytes: 1000, code: 'too-large', says: /long, over the 1000 bytes limit/ },
    { name: 'DEFLATE over a small maxBytes', input: () => toRedirect(requestXml), maxBytes: 500, code: 'too-large', says: /inflates to more than 500 bytes/ },
    {
      name: 'a DOCTYPE with an internal entity (plain XML)',
      input: () => '<!DOCTYPE r [<!ENTITY who "evil@attacker.example">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&who;</samlp:Response>',
      code: 'doctype-refused',
      says: /DOCTYPE or ENTITY/,
    },
    {
      name: 'a DOCTYPE inside base64',
      input: () => b64(`<?xml version="1.0"?>\n<!DOCTYPE Response [<!ENTITY who "evil@attacker.example">]>${responseXml.replace(LAB.user, '&who;')}`),
      code: 'doctype-refused',
      says: /refused unread/,
    },
    {
      name: 'a DOCTYPE inside DEFLATE',
      input: () => toRedirect(`<!doctype AuthnRequest [<!ENTITY x "y">]>${requestXml.replace(/^<\?xml[^>]*>/, '')}`),
      code: 'doctype-refused',
      says: /refused unread/,
    },
    {
      name: 'an ENTITY declaration without DOCTYPE',
      input: () => `<r><!ENTITY a "b"></r>`,
      code: 'doctype-refused',
      says: /refused/,
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, () => {
      const e = err(decodeSamlValue(c.input(), c.maxBytes !== undefined ? { maxBytes: c.maxBytes } : {}));
      expect(e).toEqual({ ok: false, code: c.code, message: expect.any(String) });
      expect(e.message).toMatch(c.says);
      expect(e.message, 'says what to do').toMatch(ACTION);
      expect(e.message.trim().endsWith('.')).toBe(true);
    });
  }

  it('stops a deflate bomb (50 MB of zeros) at the cap, quickly', () => {
    const bomb = b64(deflateRawSync(Buffer.alloc(50 * 1024 * 1024), { level: 1 }));
    expect(bomb.length).toBeLessThan(400_000); // 50 MB in a few hundred KB of text
    const t0 = performance.now();
    const e = err(decodeSamlValue(bomb));
    const ms = performance.now() - t0;
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/inflates to more than 2\.0 MB/);
    // The inflater stops at 2 MB rather than producing 50 MB (which takes several times as long).
    expectUnder(ms, 500);
    // With a small cap it stops sooner still.
    const t1 = performance.now();
    expect(err(decodeSamlValue(bomb, { maxBytes: 64 * 1024 })).code).toBe('too-large');
    expectUnder(performance.now() - t1, 200);
  });

  it('also stops a zlib-wrapped deflate bomb', () => {
    const bomb = b64(deflateSync(Buffer.alloc(20 * 1024 * 1024), { level: 1 }));
    expect(err(decodeSamlValue(bomb, { maxBytes: 100_000 })).code).toBe('too-large');
  });

  it('never throws, even for values that are not strings', () => {
    expect(err(decodeSamlValue(undefined as unknown as string)).code).toBe('empty');
    expect(err(decodeSamlValue(42 as unknown as string)).code).toBe('empty');
  });
});

// Issue 14, item 1: base64 clean-up was quadratic in runs of spaces (100k spaces took 6.7 s, and
// any page can plant such a value with one cross-site form POST to an ACS URL). Every clean-up
// is linear now; the margins here are generous (the exact targets are in `npm run bench`).
describe('hostile values decode in linear time', () => {
  const timed = (v: string) => {
    const t0 = performance.now();
    const r = decodeSamlValue(v);
    return { r, ms: performance.now() - t0 };
  };
  it('100k spaces between two base64 characters (the issue reproduction): a typed error, well under a second', () => {
    const { r, ms } = timed(`A${' '.repeat(100_000)}A`);
    expect(r.ok).toBe(false);
    expectUnder(ms, 1000);
  });
  it.each([
    ['200k spaces', `A${' '.repeat(200_000)}A`],
    ['200k "=" before a character', `${'='.repeat(200_000)}A`],
    ['200k "=" inside spaces', `A${' ='.repeat(100_000)}A`],
    ['spaces and line breaks mixed', `A${' \r\n\t'.repeat(50_000)}A`],
    ['URL-encoded spaces', `A${'%20'.repeat(100_000)}A`],
    ['a million URL-safe characters', '-_'.repeat(500_000)],
  ])('%s: a typed error in under a second', (_name, v) => {
    const { r, ms } = timed(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(20);
    expectUnder(ms, 1000);
  });
  it('a real response wrapped in long runs of spaces still decodes, quickly', () => {
    const v = `${' '.repeat(100_000)}${toPost(responseXml).replace(/\+/g, ' ')}${' '.repeat(100_000)}`;
    const { r, ms } = timed(v);
    expect(ok(r).xml).toBe(responseXml);
    expectUnder(ms, 1000);
  });
});
