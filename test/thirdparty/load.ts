// Loads the third-party regression set (test/thirdparty/messages, described in manifest.ts) as
// captures the way a person would hand them to samlscope: pasted, no URL, no configured
// expectations. Plain XML is base64-encoded as an HTTP-POST value; files the libraries keep in
// base64 (plain or DEFLATE-compressed, with or without a .base64 name) are given as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSamlValue } from '../../lib/decode/index.ts';
import type { CapturedMessage } from '../../lib/types.ts';

export const MESSAGES_DIR = join(import.meta.dirname, 'messages');

function read(file: string): { raw: string; xml: string } {
  const text = readFileSync(join(MESSAGES_DIR, file), 'utf8');
  if (text.trimStart().startsWith('<')) return { raw: Buffer.from(text, 'utf8').toString('base64'), xml: text };
  const raw = text.trim();
  const d = decodeSamlValue(raw);
  return { raw, xml: d.ok ? d.xml : '' };
}

export function captureOf(file: string, id: string): CapturedMessage {
  const { raw, xml } = read(file);
  const isRequest = /<(?:[\w.-]+:)?(?:AuthnRequest|LogoutRequest)[\s>]/.test(xml);
  return { id, raw, param: isRequest ? 'SAMLRequest' : 'SAMLResponse', binding: 'post', method: 'POST' };
}

/**
 * The message's own instant: its root IssueInstant (read as UTC when it has no zone) plus one
 * second. Messages are years old; time checks are judged at the moment they were made, so their
 * verdict does not depend on today's date. Undefined when the message has none.
 */
export function ownInstant(file: string): Date | undefined {
  const { xml } = read(file);
  const m = /<(?:[\w.-]+:)?(?:Response|AuthnRequest|LogoutRequest|LogoutResponse)\b[^>]*?\sIssueInstant=["']([^"']+)["']/.exec(xml);
  if (!m) return undefined;
  const v = m[1]!.trim();
  const t = Date.parse(/(?:Z|[+-]\d\d:\d\d)$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(t) ? undefined : new Date(t + 1000);
}
