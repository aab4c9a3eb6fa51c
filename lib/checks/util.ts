// Helpers shared by the checks: times, URLs, AWS and Entra value shapes.
import type { AssertionInfo, ResponseInfo, SamlMessage } from '../saml/model.ts';

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
  if (e.replace(/\/+$/, '') === a.replace(/\/+$/, '')) {
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

function splitUrl(u: string): { scheme: string; host: string; rest: string } | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(u);
  if (!m) return null;
  return { scheme: m[1]!.toLowerCase(), host: m[2]!.toLowerCase(), rest: `${m[2]!.toLowerCase()}${m[3]}` };
}

export function hostOf(u: string | undefined): string | undefined {
  if (!u) return undefined;
  return splitUrl(u)?.host;
}

/** Compares a URL as received with an expected one, ignoring only a query string and fragment. */
export function sameEndpoint(a: string, b: string): boolean {
  const strip = (s: string) => s.trim().split(/[?#]/)[0]!;
  const x = splitUrl(strip(a));
  const y = splitUrl(strip(b));
  if (!x || !y) return strip(a) === strip(b);
  return x.scheme === y.scheme && x.rest === y.rest;
}

const REGION_RE = /\b([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\b/;

/** The AWS region named in a URL, e.g. eu-west-1 from https://eu-west-1.signin.aws.amazon.com/... */
export function awsRegionOf(u: string): string | undefined {
  return REGION_RE.exec(u)?.[1];
}

/** The identity store id (d-xxxxxxxxxx) or tenant UUID at the end of an Identity Center URL. */
export function awsIdOf(u: string): string | undefined {
  const m = /\/(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(u.trim());
  return m?.[1];
}

/** Plain IAM SAML federation endpoints and audiences (FACTS A7.7). */
export const IAM_FEDERATION_URIS = ['https://signin.aws.amazon.com/saml', 'urn:amazon:webservices'];

export function isIamFederationUri(u: string | undefined): boolean {
  if (!u) return false;
  const t = u.trim().replace(/\/+$/, '').toLowerCase();
  return (
    IAM_FEDERATION_URIS.includes(t) ||
    /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/saml$/.test(t) ||
    /^https:\/\/signin\.amazonaws-us-gov\.com\/saml$/.test(t) ||
    /^https:\/\/signin\.amazonaws\.cn\/saml$/.test(t)
  );
}

/** Identity Center entity ID (issuer URL) shape (FACTS A3.1, A3.2). */
export const IDC_ENTITY_RE = /^https:\/\/([a-z0-9-]+)\.signin\.aws\.amazon\.com\/platform\/saml\/(d-[0-9a-f]{10}|[0-9a-f-]{36})$/;
/** Identity Center ACS shapes (FACTS A3.4). */
export const IDC_ACS_RE =
  /^https:\/\/([a-z0-9-]+)\.(signin\.aws\.amazon\.com|signin\.aws|sso\.signin\.aws)\/platform\/saml\/acs\/([0-9a-f-]{36}|d-[0-9a-f]{10})$/;

// ---- Entra --------------------------------------------------------------------------------

const TENANT_ISSUER_RE = /^https:\/\/sts\.windows\.net\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/$/i;

/** The Entra tenant id from an issuer https://sts.windows.net/<tenant>/ (FACTS B1.1). */
export function tenantOfIssuer(issuer: string | undefined): string | undefined {
  if (!issuer) return undefined;
  return TENANT_ISSUER_RE.exec(issuer.trim())?.[1]?.toLowerCase();
}

// ---- NameID / email -----------------------------------------------------------------------

/**
 * RFC 2822 addr-spec, dot-atom form (what every real directory produces): local@domain with
 * no spaces, one @, a dotted domain. Quoted local parts are accepted too.
 */
export function isAddrSpec(v: string): boolean {
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  const dotAtom = `${atom}(?:\\.${atom})*`;
  const quoted = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
  const domain = `${dotAtom}|\\[[^\\][\\\\\\s]*\\]`;
  return new RegExp(`^(?:${dotAtom}|${quoted})@(?:${domain})$`).test(v);
}

export function isGuestUpn(v: string): boolean {
  return /#EXT#/i.test(v);
}

// ---- message helpers ----------------------------------------------------------------------

export function isResponse(m: SamlMessage): m is ResponseInfo {
  return m.kind === 'Response';
}

/** The assertion the sign-in rests on: the first direct child Assertion (what SPs read). */
export function primaryAssertion(m: SamlMessage): AssertionInfo | undefined {
  return m.kind === 'Response' ? m.assertions[0] : undefined;
}

export const EMAIL_CLAIMS = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'email',
  'mail',
  'http://schemas.xmlsoap.org/claims/EmailAddress',
];
export const UPN_CLAIMS = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'upn',
];

export function attributeValue(a: AssertionInfo | undefined, names: string[]): { name: string; value: string; path: string } | undefined {
  if (!a) return undefined;
  for (const n of names) {
    const at = a.attributes.find((x) => x.name.toLowerCase() === n.toLowerCase());
    const v = at?.values[0];
    if (at && v && v.value) return { name: at.name, value: v.value, path: v.path };
  }
  return undefined;
}

/** Shortens a long value for a sentence; evidence keeps the full value. */
export function short(v: string, max = 80): string {
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}
