// Compare two sign-ins: a known-good and a failing one, field by field. What differs is what to
// look at first; what is the same folds away. Pure: works on analysed messages from anywhere
// (live captures, HAR files, evidence bundles).
import type { AnalyzedMessage } from '../analyze.ts';
import type { AssertionInfo, ResponseInfo } from '../saml/model.ts';
import { parseSamlTime, formatDuration } from '../checks/util.ts';

export interface CompareRow {
  /** The group the field belongs to, for display. */
  group: 'message' | 'subject' | 'conditions' | 'signature' | 'attribute';
  field: string;
  good?: string;
  bad?: string;
  /** same: equal; changed: both present and different; added: only in the failing one; removed: only in the good one. */
  change: 'same' | 'changed' | 'added' | 'removed';
}

export interface Comparison {
  rows: CompareRow[];
  differences: number;
}

function captureTime(m: AnalyzedMessage): Date | undefined {
  const t = m.capture.serverDate ?? m.capture.time;
  if (!t) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A time relative to the capture: "+70 min after capture", "2 h before capture". */
function relative(value: string | undefined, at: Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = parseSamlTime(value);
  if (!t || !at) return value;
  const s = (t.getTime() - at.getTime()) / 1000;
  if (Math.abs(s) < 1) return `${value} (at capture)`;
  return `${value} (${formatDuration(s)} ${s > 0 ? 'after' : 'before'} capture)`;
}

/** Relative times differ whenever the absolute ones do; compare the offsets instead. */
function offsetKey(value: string | undefined, at: Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = parseSamlTime(value);
  if (!t || !at) return value;
  return String(Math.round((t.getTime() - at.getTime()) / 60000));
}

function signing(m: ResponseInfo, a: AssertionInfo | undefined): { element: string; algorithm?: string; digest?: string; certificate?: string } {
  const parts: string[] = [];
  if (m.signatures.length) parts.push('Response');
  if (a?.signatures.length) parts.push('Assertion');
  const sig = a?.signatures[0] ?? m.signatures[0];
  const out: { element: string; algorithm?: string; digest?: string; certificate?: string } = { element: parts.join(' + ') || 'none' };
  if (sig?.signatureMethod) out.algorithm = sig.signatureMethod;
  if (sig?.references[0]?.digestMethod) out.digest = sig.references[0].digestMethod;
  const cert = sig?.certificates[0];
  if (cert) out.certificate = `${cert.slice(0, 24)}…${cert.slice(-12)} (${cert.length} base64 characters)`;
  return out;
}

function row(group: CompareRow['group'], field: string, good: string | undefined, bad: string | undefined, keyGood = good, keyBad = bad): CompareRow {
  const r: CompareRow = { group, field, change: 'same' };
  if (good !== undefined) r.good = good;
  if (bad !== undefined) r.bad = bad;
  if (keyGood === keyBad) r.change = 'same';
  else if (keyGood === undefined) r.change = 'added';
  else if (keyBad === undefined) r.change = 'removed';
  else r.change = 'changed';
  return r;
}

/** Compares two SAML Responses (or any two messages, on their common fields). */
export function compareMessages(good: AnalyzedMessage, bad: AnalyzedMessage): Comparison {
  const rows: CompareRow[] = [];
  const g = good.model;
  const b = bad.model;
  rows.push(row('message', 'message type', g?.kind ?? `unreadable (${good.error?.code})`, b?.kind ?? `unreadable (${bad.error?.code})`));
  if (!g || !b) return finish(rows);
  rows.push(row('message', 'Issuer', g.issuer?.value, b.issuer?.value));
  rows.push(row('message', 'Destination', g.destination, b.destination));
  rows.push(row('message', 'InResponseTo', g.inResponseTo ? 'present' : undefined, b.inResponseTo ? 'present' : undefined));
  if (g.kind !== 'Response' || b.kind !== 'Response') return finish(rows);
  rows.push(row('message', 'Status', g.status?.code, b.status?.code));
  rows.push(row('message', 'assertions', String(g.assertions.length + g.encryptedAssertions.length), String(b.assertions.length + b.encryptedAssertions.length)));
  const ga = g.assertions[0];
  const ba = b.assertions[0];
  const gt = captureTime(good);
  const bt = captureTime(bad);
  rows.push(row('subject', 'NameID', ga?.nameId?.value, ba?.nameId?.value));
  rows.push(row('subject', 'NameID Format', ga?.nameId?.format, ba?.nameId?.format));
  const recipient = (a: AssertionInfo | undefined) => a?.subjectConfirmations.find((c) => c.data?.recipient)?.data?.recipient;
  rows.push(row('subject', 'Recipient', recipient(ga), recipient(ba)));
  const scdEnd = (a: AssertionInfo | undefined) => a?.subjectConfirmations.find((c) => c.data?.notOnOrAfter)?.data?.notOnOrAfter;
  rows.push(row('subject', 'SubjectConfirmationData NotOnOrAfter', relative(scdEnd(ga), gt), relative(scdEnd(ba), bt), offsetKey(scdEnd(ga), gt), offsetKey(scdEnd(ba), bt)));
  rows.push(row('conditions', 'Audience', ga?.conditions?.audiences.map((x) => x.value).join(', ') || undefined, ba?.conditions?.audiences.map((x) => x.value).join(', ') || undefined));
  rows.push(
    row('conditions', 'NotBefore', relative(ga?.conditions?.notBefore, gt), relative(ba?.conditions?.notBefore, bt), offsetKey(ga?.conditions?.notBefore, gt), offsetKey(ba?.conditions?.notBefore, bt)),
  );
  rows.push(
    row(
      'conditions',
      'NotOnOrAfter',
      relative(ga?.conditions?.notOnOrAfter, gt),
      relative(ba?.conditions?.notOnOrAfter, bt),
      offsetKey(ga?.conditions?.notOnOrAfter, gt),
      offsetKey(ba?.conditions?.notOnOrAfter, bt),
    ),
  );
  const gs = signing(g, ga);
  const bs = signing(b, ba);
  rows.push(row('signature', 'signed element', gs.element, bs.element));
  rows.push(row('signature', 'signature algorithm', gs.algorithm, bs.algorithm));
  rows.push(row('signature', 'digest algorithm', gs.digest, bs.digest));
  rows.push(row('signature', 'certificate', gs.certificate, bs.certificate));
  // Attributes: by name, values joined; added / removed / changed.
  const attrs = (a: AssertionInfo | undefined) => new Map((a?.attributes ?? []).map((x) => [x.name, x.values.map((v) => v.value).join(' | ')]));
  const ag = attrs(ga);
  const ab = attrs(ba);
  for (const name of new Set([...ag.keys(), ...ab.keys()])) rows.push(row('attribute', name, ag.get(name), ab.get(name)));
  return finish(rows);
}

function finish(rows: CompareRow[]): Comparison {
  return { rows, differences: rows.filter((r) => r.change !== 'same').length };
}

/** The Response of a flow's messages: what a comparison of two sign-ins compares. */
export function responseOf(messages: AnalyzedMessage[]): AnalyzedMessage | undefined {
  return messages.find((m) => m.kind === 'Response') ?? messages.find((m) => !m.ok && m.capture.param === 'SAMLResponse');
}
