// The inflate stream reused for every message (lib/decode/inflate.ts). Its quick reset stands in
// for pako's inflateReset2 (without the two code tables pako allocates on every reset): after it,
// the stream must be in exactly the state pako's own reset leaves, whatever the previous message
// left behind (a whole stream, one cut short, a corrupt one). And output larger than the output
// window comes back whole, in order, and bounded.
import { describe, expect, it, vi } from 'vitest';
import { deflate, deflateRaw, ZStream, zlibInflate, zlibInflateInit2, zlibInflateReset2 } from 'pako';
import { boundedInflate, quickReset, type InflateResetState } from '../lib/decode/inflate.ts';
import { decodeSamlValue } from '../lib/decode/index.ts';

const FIELDS = ['mode', 'wrap', 'wbits', 'total', 'last', 'havedict', 'flags', 'dmax', 'head', 'hold', 'bits', 'sane', 'back', 'wsize', 'whave', 'wnext'] as const;

const xml = (n: number) =>
  `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_${n}">${Array.from({ length: n }, (_, i) => `<x n="${i}">${(i * 7919) % 10007}</x>`).join('')}</samlp:AuthnRequest>`;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Inflates `data` through the stream at once (Z_FINISH) into a fresh output buffer; pako's status. */
function feed(s: ZStream, data: Uint8Array, outBytes: number): number {
  s.input = data;
  s.next_in = 0;
  s.avail_in = data.length;
  s.output = new Uint8Array(outBytes);
  s.next_out = 0;
  s.avail_out = s.output.length;
  return zlibInflate(s, 4);
}

/** A stream set up for `bits` that has inflated `data` (whole, cut short or corrupt): dirty state. */
function used(bits: number, data: Uint8Array): { s: ZStream; mode: unknown } {
  const s = new ZStream();
  expect(zlibInflateInit2(s, bits)).toBe(0);
  const mode = (s.state as unknown as InflateResetState).mode;
  feed(s, data, 256 * 1024);
  return { s, mode };
}

const stateOf = (s: ZStream) => {
  const st = s.state as unknown as InflateResetState;
  return {
    ...Object.fromEntries(FIELDS.map((k) => [k, st[k]])),
    tablesKept: st.lencode === st.lendyn && st.distcode === st.distdyn,
    total_in: s.total_in,
    total_out: s.total_out,
    msg: s.msg,
    adler: s.adler,
  };
};

describe('the inflate stream: quick reset', () => {
  const message = xml(40);
  const cases: [string, number, Uint8Array][] = [
    ['raw DEFLATE, whole', -15, deflateRaw(message)],
    ['zlib, whole', 15, deflate(message)],
    ['raw DEFLATE, cut short', -15, deflateRaw(message).subarray(0, 50)],
    ['zlib, cut short', 15, deflate(message).subarray(0, 50)],
    ['raw DEFLATE, corrupt', -15, Uint8Array.from([0xff, 0xff, 0xff, 0x00, 0x01, 0x02])],
    ['zlib, corrupt checksum', 15, Uint8Array.from([...deflate(message).subarray(0, -4), 1, 2, 3, 4])],
  ];

  for (const [name, bits, data] of cases) {
    it(`leaves the state pako's reset leaves (${name})`, () => {
      const a = used(bits, data);
      const b = used(bits, data);
      // The stream as the previous message left it differs from a reset one.
      expect(stateOf(a.s)).not.toEqual({ ...stateOf(a.s), mode: a.mode, total_in: 0, total_out: 0, msg: '' });
      expect(quickReset(a.s, bits, bits, a.mode)).toBe(true);
      expect(zlibInflateReset2(b.s, bits)).toBe(0);
      expect(stateOf(a.s)).toEqual(stateOf(b.s));
      // Both then inflate the next message alike.
      const next = bits < 0 ? deflateRaw(xml(7)) : deflate(xml(7));
      for (const s of [a.s, b.s]) expect(feed(s, next, 64 * 1024)).toBe(1);
      expect(text(a.s.output.subarray(0, a.s.next_out))).toBe(xml(7));
      expect(stateOf(a.s)).toEqual(stateOf(b.s));
    });
  }

  it('leaves the resetting to pako when the window size changes or the state is not the shape it knows', () => {
    const { s, mode } = used(-15, deflateRaw(message));
    const before = stateOf(s);
    expect(quickReset(s, 15, -15, mode)).toBe(false);
    expect(quickReset(s, -15, -15, undefined)).toBe(false);
    expect(quickReset(s, -15, -15, String(mode))).toBe(false);
    const st = s.state as unknown as InflateResetState;
    const { lendyn, distdyn } = st;
    st.lendyn = [];
    expect(quickReset(s, -15, -15, mode)).toBe(false);
    st.lendyn = lendyn;
    st.distdyn = {};
    expect(quickReset(s, -15, -15, mode)).toBe(false);
    st.distdyn = distdyn;
    // Untouched by the refusals.
    expect(stateOf(s)).toEqual(before);
    const state = s.state;
    (s as { state: unknown }).state = null;
    expect(quickReset(s, -15, -15, mode)).toBe(false);
    (s as { state: unknown }).state = state;
    expect(quickReset(s, -15, -15, mode)).toBe(true);
  });
});

describe('the inflate stream: output', () => {
  it('returns output larger than its 32 KB window whole and in order, for raw DEFLATE and zlib, message after message', () => {
    const big = xml(7000); // ~138 KB: four windows and a part
    expect(big.length).toBeGreaterThan(4 * 32 * 1024);
    for (let round = 0; round < 3; round++) {
      expect(text(boundedInflate(deflateRaw(big), true, 1 << 20) as Uint8Array)).toBe(big);
      expect(text(boundedInflate(deflate(big), false, 1 << 20) as Uint8Array)).toBe(big);
      expect(text(boundedInflate(deflateRaw(xml(3)), true, 1 << 20) as Uint8Array)).toBe(xml(3));
    }
    // Exactly one window: returned as it is.
    const one = 'a'.repeat(32 * 1024);
    expect(text(boundedInflate(deflateRaw(one), true, 1 << 20) as Uint8Array)).toBe(one);
    const twoExactly = 'b'.repeat(64 * 1024);
    expect(text(boundedInflate(deflateRaw(twoExactly), true, 1 << 20) as Uint8Array)).toBe(twoExactly);
  });

  it('stops at the cap, in the first window or a later one', () => {
    expect(boundedInflate(deflateRaw(xml(6000)), true, 100_000)).toBe('too-large');
    expect(boundedInflate(deflateRaw(xml(6000)), true, 1000)).toBe('too-large');
    const big = xml(6000);
    expect(boundedInflate(deflateRaw(big), true, big.length)).not.toBe('too-large');
    expect(boundedInflate(deflateRaw(big), true, big.length - 1)).toBe('too-large');
  });

  it('says null for a stream cut short, corrupt, or of the other kind, and inflates the next one well', () => {
    const big = xml(6000);
    const whole = deflateRaw(big);
    const cases = [whole.subarray(0, whole.length >> 1), deflateRaw(xml(40)).subarray(0, 60), Uint8Array.from([0xff, 0xff, 0xff, 1, 2, 3])];
    for (const bad of cases) {
      expect(boundedInflate(bad, true, 1 << 20)).toBeNull();
      expect(text(boundedInflate(deflateRaw(xml(5)), true, 1 << 20) as Uint8Array)).toBe(xml(5));
    }
    expect(boundedInflate(deflate(xml(9)), true, 1 << 20)).toBeNull();
    expect(text(boundedInflate(deflate(xml(9)), false, 1 << 20) as Uint8Array)).toBe(xml(9));
  });

  it('decodes a large HTTP-Redirect value in full (more than one window), and names a cut one', () => {
    const big = xml(3000);
    const b64 = Buffer.from(deflateRaw(big)).toString('base64');
    const r = decodeSamlValue(encodeURIComponent(b64));
    expect(r.ok && r.xml).toBe(big);
    expect(r.ok && r.encoding).toBe('base64-deflate');
    expect(r.ok && r.decodedBytes).toBe(bytes(big).length);
    const cut = decodeSamlValue(Buffer.from(deflateRaw(big).subarray(0, 2000)).toString('base64'));
    expect(cut.ok ? 'decoded' : cut.code).toBe('inflate-failed');
  });
});

describe('raw DEFLATE or zlib: a zlib header is tried as zlib first', () => {
  const adler32 = (b: Uint8Array) => {
    let a = 1;
    let c = 0;
    for (const x of b) {
      a = (a + x) % 65521;
      c = (c + a) % 65521;
    }
    return ((c << 16) | a) >>> 0;
  };
  it('a value that inflates both ways (crafted) is read as the zlib stream its header announces', () => {
    // zlib header 78 01, then a final stored block of 0xFEFE bytes. Read as raw DEFLATE, the same
    // bytes are a stored block of 0x0101 bytes (78: not final, stored; LEN 01 01, NLEN FE FE)
    // followed, inside the zlib block's data, by a final stored block: both are complete streams.
    const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_z"/>';
    const data = new Uint8Array(0xfefe).fill(0x20);
    const lead = new TextEncoder().encode('<x>');
    data.set(lead, 0);
    const inner = new TextEncoder().encode(xml);
    data.set([0x01, inner.length & 0xff, inner.length >> 8, ~inner.length & 0xff, (~inner.length >> 8) & 0xff], 255);
    data.set(inner, 260);
    const sum = adler32(data);
    const value = Uint8Array.from([0x78, 0x01, 0x01, 0xfe, 0xfe, 0x01, 0x01, ...data, sum >>> 24, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff]);
    // Both readings are complete streams.
    expect(boundedInflate(value, false, 1 << 20)).toEqual(data);
    const asRaw = boundedInflate(value, true, 1 << 20) as Uint8Array;
    expect(asRaw).not.toBeNull();
    expect(Array.from(asRaw.subarray(0, 2))).toEqual([0x01, 0x01]);
    const r = decodeSamlValue(Buffer.from(value).toString('base64'));
    expect(r.ok && r.encoding).toBe('base64-zlib');
    expect(r.ok && r.xml.startsWith('<x>')).toBe(true);
    expect(r.ok && r.decodedBytes).toBe(0xfefe);
    // Without a zlib header (70: not DEFLATE's method 8, still a raw stored block that is not the last), raw first.
    const noHeader = Uint8Array.from(value);
    noHeader[0] = 0x70;
    const r2 = decodeSamlValue(Buffer.from(noHeader).toString('base64'));
    expect(r2.ok ? r2.encoding : r2.code).toBe('not-xml');
    expect(r2.ok ? '' : r2.message).toContain('The value inflates, but it is not XML');
  });

  it('raw DEFLATE whose first two bytes look like a zlib header: zlib fails, raw is tried next', () => {
    // 08 1D: a raw stored block, not the last (the header's other bits are padding), of 0x1D bytes;
    // as zlib, 0x081D is a multiple of 31 with method 8, but what follows is no zlib stream.
    const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r"/>';
    const b = new TextEncoder().encode(xml);
    const first = b.subarray(0, 0x1d);
    const rest = b.subarray(0x1d);
    const value = Uint8Array.from([0x08, 0x1d, 0x00, 0xe2, 0xff, ...first, 0x01, rest.length & 0xff, rest.length >> 8, ~rest.length & 0xff, (~rest.length >> 8) & 0xff, ...rest]);
    expect(((0x08 << 8) | 0x1d) % 31).toBe(0);
    expect(boundedInflate(value, false, 1 << 20)).toBeNull();
    const r = decodeSamlValue(Buffer.from(value).toString('base64'));
    expect(r.ok && r.encoding).toBe('base64-deflate');
    expect(r.ok && r.xml).toBe(xml);
  });
});

describe('in a browser (no Node Buffer): base64 through atob', () => {
  it('decodes posted and redirect values exactly as with Buffer', async () => {
    const values = [
      Buffer.from(xml(30)).toString('base64'),
      Buffer.from(deflateRaw(xml(300))).toString('base64'),
      encodeURIComponent(Buffer.from(deflate(xml(12))).toString('base64')),
      Buffer.from(`\ufeff${xml(2)}é😀`).toString('base64'),
    ];
    const withBuffer = values.map((v) => decodeSamlValue(v));
    vi.stubGlobal('Buffer', undefined);
    vi.resetModules();
    try {
      const browserLike = await import('../lib/decode/index.ts');
      expect(values.map((v) => browserLike.decodeSamlValue(v))).toEqual(withBuffer);
      expect(withBuffer.every((r) => r.ok)).toBe(true);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});

