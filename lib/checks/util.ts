// Helpers shared by the checks: times, URLs, AWS and Entra value shapes.
import type { AssertionInfo } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import type { CheckContext } from './types.ts';
import { CM_BEARER } from '../saml/model.ts';
import { directText, parseXml, type XElement } from '../saml/xml.ts';
import { awsIdOf, awsRegionOf, isIamFederationUri, sameEndpoint, sameIdcInstance, splitUrl, stripQuery } from '../domain/aws.ts';
import { trimTrailingSlashes } from '../strings.ts';

// URLs, AWS shapes and Entra tenants live in lib/domain (lower layers read them too); the
// checks keep importing them from here.
export {
  awsIdOf,
  awsRegionOf,
  hostOf,
  IAM_FEDERATION_URIS,
  IDC_ACS_RE,
  IDC_ENTITY_RE,
  isIamFederationUri,
  isIdcAcsUrl,
  isIdcEntityId,
  sameEndpoint,
  sameIdcInstance,
  stripQuery,
} from '../domain/aws.ts';
export { tenantOfIssuer } from '../domain/entra.ts';
export { attributeValue, EMAIL_CLAIMS, isResponse, primaryAssertion, UPN_CLAIMS } from '../saml/assertion.ts';

// ---- time ---------------------------------------------------------------------------------

/** xs:dateTime as SAML uses it (UTC). Returns null when it does not parse. */
export function parseSamlTime(s: string | undefined): Date | null {
  if (!s) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(s.trim() + (m[8] ? '' : 'Z'));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A duration for people: "4 min 12 s", "2 h 5 min", "3 days 2 h". */
export function formatDuration(totalSeconds: number): string {
  let s = Math.round(Math.abs(totalSeconds));
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d} day${d > 1 ? 's' : ''}${h ? ` ${h} h` : ''}`;
  if (h > 0) return `${h} h${m ? ` ${m} min` : ''}`;
  return `${m} min${s ? ` ${s} s` : ''}`;
}

export function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

// ---- URLs ---------------------------------------------------------------------------------

/** Explains how two URLs or URIs differ, in the words an engineer would use. */
export function describeUriDifference(expected: string, actual: string): string {
  if (expected === actual) return 'identical';
  const e = expected.trim();
  const a = actual.trim();
  if (e === a) return 'surrounding whitespace differs';
  if (trimTrailingSlashes(e) === trimTrailingSlashes(a)) {
    return a.endsWith('/') ? 'the actual value has a trailing slash' : 'the actual value lacks the trailing slash';
  }
  if (e.toLowerCase() === a.toLowerCase()) return 'only upper/lower case differs';
  const ep = splitUrl(e);
  const ap = splitUrl(a);
  if (ep && ap) {
    if (ep.scheme !== ap.scheme && ep.rest === ap.rest) return `the scheme differs (${ap.scheme} instead of ${ep.scheme})`;
    const er = awsRegionOf(e);
    const ar = awsRegionOf(a);
    if (er && ar && er !== ar) return `another AWS region (${ar} instead of ${er})`;
    const ei = awsIdOf(e);
    const ai = awsIdOf(a);
    if (ei && ai && ei !== ai && e.replace(ei, '') === a.replace(ai, '')) return `another identity store or tenant id (${ai} instead of ${ei})`;
    if (ep.host !== ap.host) return `another host (${ap.host} instead of ${ep.host})`;
    return 'the path differs';
  }
  return 'the values differ';
}

// ---- Entra --------------------------------------------------------------------------------

// ---- NameID / email -----------------------------------------------------------------------

/** Built once (it was built again on every call); not global, so test() keeps no state. */
const ADDR_SPEC_RE = (() => {
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  const dotAtom = `${atom}(?:\\.${atom})*`;
  const quoted = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
  const domain = `${dotAtom}|\\[[^\\][\\\\\\s]*\\]`;
  return new RegExp(`^(?:${dotAtom}|${quoted})@(?:${domain})$`);
})();

/**
 * RFC 2822 addr-spec, dot-atom form (what every real directory produces): local@domain with
 * no spaces, one @, a dotted domain. Quoted local parts are accepted too.
 */
export function isAddrSpec(v: string): boolean {
  return ADDR_SPEC_RE.test(v);
}

export function isGuestUpn(v: string): boolean {
  return /#EXT#/i.test(v);
}

// ---- message helpers ----------------------------------------------------------------------

/** Shortens a long value for a sentence; evidence keeps the full value. */
export function short(v: string, max = 80): string {
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}

// ---- SAML times as written (conditions-expired, conditions-not-yet-valid) ----------------

export interface SamlTimeReading {
  /** The instant, or null when the text is not an xs:dateTime. */
  date: Date | null;
  /** A time-zone offset other than UTC (e.g. "+02:00"); SAML wants UTC (Core §1.3.3). */
  nonUtcOffset?: string;
}

/** Reads a SAML time attribute and notes a non-UTC offset, which SAML forbids (FACTS E3). */
export function readSamlTime(s: string): SamlTimeReading {
  const date = parseSamlTime(s);
  const off = /([+-]\d{2}:\d{2})$/.exec(s.trim())?.[1];
  const r: SamlTimeReading = { date };
  if (date && off && off !== '+00:00' && off !== '-00:00') r.nonUtcOffset = off;
  return r;
}

// ---- AWS AccessControl attribute names (accesscontrol-missing, accesscontrol-invalid) -----

export { AWS_SAML_ATTRIBUTES_NS, ACCESS_CONTROL_PREFIX } from '../domain/aws.ts';
import { ACCESS_CONTROL_PREFIX, AWS_SAML_ATTRIBUTES_NS } from '../domain/aws.ts';

export interface AccessControlName {
  /** The tag key as written after "AccessControl:" (or "AccessControl/"). */
  key: string;
  /** Exactly https://aws.amazon.com/SAML/Attributes/AccessControl:{key}, key not empty. */
  wellFormed: boolean;
  /** What is wrong with the name's namespace part, in words ("http instead of https", ...). */
  problems: string[];
}

/**
 * Reads an attribute name meant as an AccessControl tag, tolerating the usual mistakes
 * (FACTS A8.1): no namespace, http, a double slash, "AccessControl/Key", wrong case. Returns
 * undefined for names that do not mention AccessControl at all.
 */
export function parseAccessControlName(name: string): AccessControlName | undefined {
  if (name.startsWith(ACCESS_CONTROL_PREFIX)) {
    const key = name.slice(ACCESS_CONTROL_PREFIX.length);
    return { key, wellFormed: key.length > 0, problems: [] };
  }
  const re = /accesscontrol\s*([:/])/gi;
  let m: RegExpExecArray | null;
  let last: RegExpExecArray | undefined;
  while ((m = re.exec(name))) last = m;
  if (!last) return undefined;
  const problems: string[] = [];
  const before = name.slice(0, last.index);
  const word = name.slice(last.index, last.index + 'AccessControl'.length);
  const key = name.slice(last.index + last[0].length);
  if (name !== name.trim()) problems.push('surrounding whitespace');
  let p = before.trim();
  if (p === '') {
    problems.push(`the namespace ${AWS_SAML_ATTRIBUTES_NS}/ is missing`);
  } else {
    if (/^http:\/\//i.test(p)) {
      problems.push('http instead of https');
      p = `https://${p.slice('http://'.length)}`;
    }
    if (/\/{2,}$/.test(p)) {
      problems.push('a double slash before AccessControl, as when the Namespace is entered with a trailing slash');
      p = p.replace(/\/{2,}$/, '/');
    } else if (!p.endsWith('/')) {
      problems.push('no slash between the namespace and AccessControl');
      p = `${p}/`;
    }
    const canon = `${AWS_SAML_ATTRIBUTES_NS}/`;
    if (p !== canon) {
      if (p.toLowerCase() === canon.toLowerCase()) problems.push(`wrong upper/lower case in the namespace (${before.trim()})`);
      else problems.push(`another namespace (${before.trim()}) instead of ${canon}`);
    }
  }
  if (word !== 'AccessControl') problems.push(`"${word}" instead of "AccessControl"`);
  if (last[1] === '/') problems.push('"AccessControl/" instead of "AccessControl:"');
  else if (last[0] !== `${word}:`) problems.push('whitespace around the colon after AccessControl');
  return { key, wellFormed: false, problems };
}

// ---- XML signatures -----------------------------------------------------------------------

/**
 * A ds:Signature can protect something only when it has a SignatureValue and a Reference:
 * without either it is as good as none (structural type, so this file needs no model import).
 */
export function isUsableSignature(s: { hasSignatureValue: boolean; references: readonly unknown[] }): boolean {
  return s.hasSignatureValue && s.references.length > 0;
}

/** Why a ds:Signature protects nothing, or undefined when it is usable. */
export function signatureGap(s: { hasSignatureValue: boolean; references: readonly unknown[] }): string | undefined {
  const gaps: string[] = [];
  if (!s.hasSignatureValue) gaps.push('no SignatureValue');
  if (s.references.length === 0) gaps.push('no Reference');
  return gaps.length ? gaps.join(' and ') : undefined;
}

/**
 * SHA-1 (or MD5) XML-DSig algorithm URIs: rsa-sha1, dsa-sha1, ecdsa-sha1, hmac-sha1, rsa-md5
 * as SignatureMethod / SigAlg, xmldsig#sha1 and md5 as DigestMethod (FACTS B3.2).
 */
export function isWeakSignatureAlgorithm(uri: string | undefined): boolean {
  if (!uri) return false;
  return /#(?:(?:rsa|dsa|ecdsa|hmac)-)?(?:sha1|md5)$/i.test(uri.trim());
}

// ---- clocks (conditions-expired, conditions-not-yet-valid) --------------------------------

/** The reference time a validity window was judged at, and where it came from. */
export function referenceEvidence(ctx: CheckContext): Evidence {
  return { label: 'reference time', actual: iso(ctx.now), source: ctx.nowSource };
}

/**
 * A sentence (leading space) and an evidence row when this computer's clock and the server's
 * Date header disagree by more than the tolerance; a wrong device clock is a documented cause
 * of failed AWS sign-ins (FACTS A6.2). Empty when they agree or nothing is known.
 */
export function deviceClockNote(ctx: CheckContext): { note: string; evidence: Evidence[] } {
  const s = ctx.flow?.clockSkewSeconds;
  if (s === undefined || Math.abs(s) <= ctx.expect.clockSkewSeconds) return { note: '', evidence: [] };
  const way = s > 0 ? 'behind' : 'ahead of';
  return {
    note: ` This computer's clock is ${formatDuration(s)} ${way} the server's Date header: a wrong device clock is a documented cause of failed AWS sign-ins; sync it to NTP.`,
    evidence: [
      {
        label: "server Date header − this computer's clock",
        expected: `within ±${formatDuration(ctx.expect.clockSkewSeconds)}`,
        actual: `${s > 0 ? '+' : '−'}${formatDuration(s)} (${s} s)`,
        source: 'the capture time and the Date header of the response to it',
      },
    ],
  };
}

// ---- raw text (nameid-mismatch) -----------------------------------------------------------

/**
 * The direct text of the element at a model path (e.g. /Response/Assertion/Subject/NameID),
 * exactly as written: the model trims values, this does not. Undefined when not found.
 */
export function rawTextAt(xml: string, path: string): string | undefined {
  const doc = parseXml(xml);
  if (!('root' in doc)) return undefined;
  const step = (s: string) => {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(s);
    return m ? { local: m[1]!, n: m[2] ? Number(m[2]) : 1 } : undefined;
  };
  const segs = path.split('/').filter(Boolean);
  const first = step(segs[0] ?? '');
  let el: XElement = doc.root;
  if (!first || first.local !== el.local) return undefined;
  for (const s of segs.slice(1)) {
    const p = step(s);
    if (!p) return undefined;
    let i = 0;
    let next: XElement | undefined;
    for (const c of el.children) {
      if (c.kind === 'element' && c.local === p.local && ++i === p.n) {
        next = c;
        break;
      }
    }
    if (!next) return undefined;
    el = next;
  }
  return directText(el);
}

const WS_NAMES: Record<string, string> = { ' ': 'space', '\t': 'tab', '\n': 'line break', '\r': 'carriage return', '\u00a0': 'non-breaking space' };

function nameWhitespace(s: string, where = ''): string {
  const counts = new Map<string, number>();
  for (const ch of s) {
    const n = WS_NAMES[ch] ?? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} space`;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const w = where ? `${where} ` : '';
  return [...counts].map(([n, c]) => (c === 1 ? `a ${w}${n}` : `${c} ${w}${n}s`)).join(' and ');
}

/** "a trailing space", "2 leading spaces and a trailing line break"; undefined when none. */
export function describeSurroundingWhitespace(v: string): string | undefined {
  // trimStart/trimEnd cut what \s matches, in linear time: /\s*$/ tries every start inside a
  // run of spaces and took 35 s on a 138 KB NameID of spaces with a letter after them (fuzz).
  const lead = v.slice(0, v.length - v.trimStart().length);
  if (lead === v) return v ? `only whitespace (${nameWhitespace(v)})` : undefined;
  const trail = v.slice(v.trimEnd().length);
  const parts: string[] = [];
  if (lead) parts.push(nameWhitespace(lead, 'leading'));
  if (trail) parts.push(nameWhitespace(trail, 'trailing'));
  return parts.length ? parts.join(' and ') : undefined;
}

// ---- ACS comparisons (destination-mismatch, recipient-mismatch) ---------------------------

export interface AcsComparison {
  /** What the value was compared with, in words. */
  against: string;
  expected: string;
  /** Where the expected value came from, for evidence. */
  source: string;
  /** The same in a message, after `against` (which names the posted URL already). */
  said: string;
  configured: boolean;
  same: boolean;
  /** describeUriDifference(expected, actual), or 'identical'. */
  difference: string;
  /** Another ACS URL of the same Identity Center instance (another Region or endpoint form). */
  sameInstance: boolean;
  /** Compared with the URL the message was posted to. */
  posted: boolean;
}

/**
 * Compares a Destination or Recipient with where the response was posted (query string
 * ignored) and with the expected ACS URL (configured or the AuthnRequest's), merging the two
 * when they are the same URL. IAM federation URLs are left out (iam-federation-mixup).
 */
export function acsComparisons(ctx: CheckContext, actual: string): AcsComparison[] {
  const url = ctx.capture.url && /^https?:\/\//i.test(ctx.capture.url.trim()) ? stripQuery(ctx.capture.url) : undefined;
  const posted = url && !isIamFederationUri(url) ? url : undefined;
  const exp = ctx.expect.acsUrl && !isIamFederationUri(ctx.expect.acsUrl.value) ? ctx.expect.acsUrl : undefined;
  const mk = (against: string, expected: string, source: string, configured: boolean, isPosted: boolean, said = source): AcsComparison => {
    const same = sameEndpoint(expected, actual);
    return {
      against,
      expected,
      source,
      said,
      configured,
      same,
      difference: same ? 'identical' : describeUriDifference(expected, actual),
      sameInstance: !same && sameIdcInstance(expected, actual),
      posted: isPosted,
    };
  };
  if (exp && posted && sameEndpoint(exp.value, posted)) {
    return [mk('the expected ACS URL', exp.value, `${exp.source}, and the URL the response was posted to`, exp.configured, true)];
  }
  const out: AcsComparison[] = [];
  if (exp) out.push(mk('the expected ACS URL', exp.value, exp.source, exp.configured, false));
  if (posted) out.push(mk('the URL it was posted to', posted, 'the URL the response was posted to (query string ignored)', false, true, 'query string ignored'));
  return out;
}

/**
 * The verdict on an ACS-like URL (Destination, Recipient) that differs from what was expected:
 * the same Identity Center instance in another Region or endpoint form, delivered there, is only
 * a warning (multi-Region, A3.4/A3.5); anything else differs.
 */
export function acsVerdict(
  cmp: AcsComparison[],
  actual: string,
): { message: 'otherAcs'; severity: 'warning'; data: Record<string, string> } | { message: 'differs'; data: Record<string, string> } {
  const bad = cmp.filter((c) => !c.same);
  const main = bad[0]!;
  const deliveredThere = !cmp.some((c) => c.posted && !c.same);
  if (deliveredThere && bad.every((c) => c.configured && c.sameInstance)) {
    return { message: 'otherAcs', severity: 'warning', data: { actual, expected: main.expected, difference: main.difference } };
  }
  const second = bad[1];
  return {
    message: 'differs',
    data: {
      against: main.against,
      source: main.said,
      difference: main.difference,
      also: second ? ` Nor is it ${second.against}: ${second.difference}.` : '',
    },
  };
}

// ---- subject confirmation -----------------------------------------------------------------

/** The bearer SubjectConfirmations of an assertion (FACTS E3, B2.7). */
export function bearerConfirmations(a: AssertionInfo): AssertionInfo['subjectConfirmations'] {
  return a.subjectConfirmations.filter((sc) => sc.method?.trim() === CM_BEARER);
}

// ---- strings ------------------------------------------------------------------------------

/** Levenshtein distance, for naming near-misses ("emailAdress"). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * What Entra provisioning sends as userName for a guest UPN alias_theirdomain#EXT#@yourdomain:
 * alias@theirdomain (it strips #EXT# and the domain, FACTS D2.4). Undefined for other values.
 */
export function guestUpnToAddress(upn: string): string | undefined {
  const m = /^(.+)#EXT#@/i.exec(upn.trim());
  if (!m) return undefined;
  const local = m[1]!;
  const i = local.lastIndexOf('_');
  if (i <= 0 || i === local.length - 1) return undefined;
  return `${local.slice(0, i)}@${local.slice(i + 1)}`;
}
