// HMAC-SHA-256, synchronous, for the pseudonyms of a redacted export (the Web Crypto digest is
// asynchronous, and the redaction runs in Node, in a worker and on a page). SHA-256 itself is the
// one the signature code uses (lib/signature/hash.ts); both are checked against node:crypto in
// test/evidence/redact.test.ts.
import { sha256 } from '../signature/hash.ts';

export { sha256 };

const utf8 = new TextEncoder();

/** HMAC-SHA-256 (RFC 2104) of a text under a key. */
export function hmacSha256(key: Uint8Array, text: string): Uint8Array {
  let k = key.length > 64 ? sha256(key) : key;
  const block = new Uint8Array(64);
  block.set(k);
  k = block;
  const msg = utf8.encode(text);
  const inner = new Uint8Array(64 + msg.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = k[i]! ^ 0x36;
    outer[i] = k[i]! ^ 0x5c;
  }
  inner.set(msg, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}
