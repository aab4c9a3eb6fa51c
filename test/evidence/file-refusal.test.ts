// Files that are not a capture or a message at all (compressed, archived, binary, a .har that is
// not JSON) are refused with what to do, by the full view's import and by the CLI, instead of
// being read as a SAML message that "could not be read" and that "AWS will refuse".
import { gzipSync, deflateRawSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileRefusal, importText } from '../../lib/evidence/import.ts';
import { decodeText } from '../../cli/inputs.ts';
import { runCli } from '../cli-run.ts';
import { labSignInHar } from '../fixtures/har.ts';
import { makeResponse, toPost } from '../lab/factory.ts';

/** What File.text() and the CLI make of the bytes: UTF-8 with U+FFFD for what is not. */
const asText = (b: Uint8Array) => decodeText(b);
const har = labSignInHar({ skewSeconds: 3 }).text;

/** A zip file with one stored entry, written by hand (PKWARE APPNOTE 4.3.7): local header first. */
function zipOf(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  return Buffer.concat([local, n, data]);
}

describe('fileRefusal', () => {
  it('a gzip-compressed HAR: unpack it first', () => {
    expect(fileRefusal(asText(gzipSync(har)), 'customer.har.gz')).toBe('customer.har.gz: compressed with gzip. Unpack it first (gunzip, or any archive tool), then give samlscope the file inside.');
  });

  it('a zip archive holding the HAR: unzip it first', () => {
    expect(fileRefusal(asText(zipOf('customer.har', Buffer.from(har))), 'ticket-123.zip')).toBe('ticket-123.zip: a zip archive. Unzip it first, then give samlscope the HAR file or message inside.');
  });

  it('7-Zip, bzip2, xz and zstd archives by their magic numbers', () => {
    const refused = 'x: a compressed archive. Unpack it first, then give samlscope the HAR file or message inside.';
    for (const magic of [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00]]) {
      expect(fileRefusal(asText(Buffer.concat([Buffer.from(magic), Buffer.from('{"log":{}}')])), 'x'), magic.join(' ')).toBe(refused);
    }
  });

  it('binary data (a PNG, raw DEFLATE bytes): not text', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), deflateRawSync(Buffer.from(har))]);
    const says = 'binary data, not text. samlscope reads HAR files, SAML-tracer exports, its evidence bundles, sign-in logs and SAML messages, all text.';
    expect(fileRefusal(asText(png), 'screenshot.png')).toBe(`screenshot.png: ${says}`);
    // A Redirect value saved as the inflated bytes' compressed form, not base64.
    expect(fileRefusal(asText(deflateRawSync(Buffer.from(toPost(makeResponse())))), 'request.bin')).toBe(`request.bin: ${says}`);
  });

  it('UTF-16 without a byte-order mark: says how to save it', () => {
    const utf16 = Buffer.from(har, 'utf16le');
    expect(fileRefusal(asText(utf16), 'nobom.har')).toBe(
      'nobom.har: binary data, not text (or UTF-16 text without the byte-order mark that says so: save it as UTF-8). samlscope reads HAR files, SAML-tracer exports, its evidence bundles, sign-in logs and SAML messages, all text.',
    );
    // With its byte-order mark, it is read as text.
    expect(fileRefusal(asText(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16])), 'bom.har')).toBeUndefined();
  });

  it('a file named .har that is not JSON: what it begins with, and how to export again', () => {
    expect(fileRefusal('garbage', 'bad.har')).toBe(
      'bad.har: not a HAR file. A HAR export is JSON and begins with "{"; this file begins with "garbage". Save it again from the browser\'s developer tools (Network tab: Export HAR, or Save all as HAR).',
    );
    expect(fileRefusal('<html><body>Your download is ready: click here to get the file you were sent</body></html>', 'Customer.HAR')).toBe(
      'Customer.HAR: not a HAR file. A HAR export is JSON and begins with "{"; this file begins with "<html><body>Your download is ready: clic"…. Save it again from the browser\'s developer tools (Network tab: Export HAR, or Save all as HAR).',
    );
  });

  it('reads what may be a capture or a message', () => {
    expect(fileRefusal(har, 'signin.har')).toBeUndefined();
    expect(fileRefusal(`\uFEFF${har}`, 'bom.har')).toBeUndefined();
    // JSON cut short is the HAR reader's to explain.
    expect(fileRefusal(har.slice(0, 500), 'cut.har')).toBeUndefined();
    expect(fileRefusal(toPost(makeResponse()), 'response.txt')).toBeUndefined();
    expect(fileRefusal(makeResponse(), 'response.har.xml')).toBeUndefined();
    expect(fileRefusal('garbage', 'pasted message')).toBeUndefined();
    // A stray control character, and a name in a legacy encoding, are text.
    expect(fileRefusal('this is not a SAML message \u0000\u0001 at all, just noise', 'garbage.bin')).toBeUndefined();
    const cp1251 = Buffer.concat([Buffer.from('<saml:Attribute Name="name"><saml:AttributeValue>'), Buffer.from([0xc8, 0xe2, 0xe0, 0xed, 0xee, 0xe2, 0xe0]), Buffer.from('</saml:AttributeValue></saml:Attribute>'.repeat(8))]);
    expect(fileRefusal(asText(cp1251), 'response.xml')).toBeUndefined();
    expect(fileRefusal('', 'empty.har')).toBeUndefined();
  });
});

describe('the full view’s import refuses them, in those words', () => {
  it('importText: a gzip file, a .har that is not JSON', () => {
    expect(importText(asText(gzipSync(har)), 'customer.har.gz')).toStrictEqual({ ok: false, message: fileRefusal(asText(gzipSync(har)), 'customer.har.gz') });
    expect(importText('garbage', 'bad.har')).toStrictEqual({ ok: false, message: fileRefusal('garbage', 'bad.har') });
    // The empty file keeps its own words.
    expect(importText('  ', 'empty.har')).toStrictEqual({ ok: false, message: 'empty.har: empty, nothing to analyse.' });
    // JSON cut short, and JSON broken in the middle, say which.
    expect(importText(har.slice(0, 5000), 'cut.har')).toStrictEqual({
      ok: false,
      kind: 'har',
      message: 'cut.har: looks like JSON but ends in the middle, after 5,000 characters: the file was cut short (by an upload, mail or chat size limit?). Ask for it again, whole (zipped if it is large), or export it again.',
    });
    const broken = importText(har.replace('"entries"', '"entries" "'), 'edited.har');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/^edited\.har: looks like JSON but does not parse \(.+\), so it is neither a HAR, a SAML-tracer export nor an evidence bundle\. Export it again; a file edited by hand may have lost a comma or a quote\.$/);
  });
});

describe('the CLI refuses them as a usage error (exit 2), and --each goes on with the next file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samlscope-refusal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const run = (argv: string[]) => runCli(argv);

  it('analyze one gzip file, one .har that is not JSON', async () => {
    const gz = file('customer.har.gz', gzipSync(har));
    expect(await run(['analyze', gz])).toStrictEqual({ code: 2, stdout: '', stderr: `samlscope: ${gz}: compressed with gzip. Unpack it first (gunzip, or any archive tool), then give samlscope the file inside.\n` });
    const bad = file('bad.har', 'garbage');
    const r = await run(['analyze', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`samlscope: ${fileRefusal('garbage', bad)}\n`);
  });

  it('analyze --each: the refused file is one line with its error, the others are analysed', async () => {
    const good = file('good.har', har);
    const zip = file('ticket.zip', zipOf('good.har', Buffer.from(har)));
    const r = await run(['analyze', '--each', zip, good]);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; ok: boolean; error?: string });
    expect(lines.map((l) => [l.file, l.ok, l.error])).toStrictEqual([
      [zip, false, `${zip}: a zip archive. Unzip it first, then give samlscope the HAR file or message inside.`],
      [good, true, undefined],
    ]);
  });
});
