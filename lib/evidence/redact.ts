// Redaction of captures for export: none, pseudonymise (consistent look-alike replacements) or
// remove (masking). Pure: runs in Node, in a worker and on a page.
//
// How it works (docs/evidence-bundle.md, "Redaction"):
// 1. collect: every identifier is found where it is known to sit: in the decoded XML of every
//    message (NameID, identity claims, object ids, AccessControl values, SessionIndex, the tenant
//    id, signature values and certificates), in URL parameters (RelayState, login_hint…), in the
//    expectations (the expected user name) and, as a catch-all, every e-mail address anywhere.
// 2. rewrite: each message is decoded, its XML rewritten value by value and encoded again the
//    way it travelled (base64 for POST; DEFLATE, base64 and URL-encoding for Redirect), so no
//    identifier survives inside an encoded payload; every other string (URLs, notes, finding
//    messages and evidence) goes through `text()`, which replaces the whole values and, inside
//    longer text, the words ("runs" of letters and digits) that make them up.
//
// Pseudonyms keep the shape of the value, so the checks read the redacted message the way they
// read the original: each run of letters becomes another run of letters of the same length and
// case pattern, digits become digits, a GUID stays a GUID (hex for hex), and punctuation,
// whitespace, '@', '#EXT#' and common top-level domains stay. The mapping is keyed per export
// (HMAC-SHA-256 under a random key that is never exported), run by run and case-insensitively, so
// the same e-mail always becomes the same pseudonym, "Alex" and "alex" stay a case-only
// difference, and a guest UPN alex_contoso.com#EXT#@… still matches alex@contoso.com.
// Remove masks instead: letters become x, digits 0, RelayState "removed"; nothing stays
// comparable.
import { decodeSamlValue, extractSamlParams, type Encoding } from '../decode/index.ts';
import { parseXml, type XElement } from '../saml/xml.ts';
import type { CapturedMessage, FlowStep, PageError } from '../types.ts';
import type { Expectations } from '../checks/types.ts';
import { encodeSamlValue, serializeXml, xmlDeclaration } from './codec.ts';
import { hmacSha256 } from './sha256.ts';
import { hostRole, urlHost } from '../flow/hosts.ts';
import { encodeComponent, hasLoneSurrogate, trimWhere } from '../strings.ts';
import { emailsIn, isWordUnit, LiteralMatcher } from './textscan.ts';
import { applyCase, hasUnspaced, isUnspacedChar, lowerKeep, maskChar, minWordLength, pseudoChar, WORD_RUN_G } from './scripts.ts';

export type RedactionMode = 'none' | 'pseudonymise' | 'remove';
export const REDACTION_MODES: readonly RedactionMode[] = ['none', 'pseudonymise', 'remove'];

export interface RedactionOptions {
  mode: RedactionMode;
  /** Also the Entra tenant id (Issuer, tenantid claim, login URLs). Default false. */
  tenant?: boolean;
  /** Also signature values, digests and certificates. Default false. */
  signatures?: boolean;
  /** The pseudonym key (tests pass a fixed one); default random, never exported. */
  key?: Uint8Array;
}

/** What a redacted export says about its redaction (part of the bundle). */
export interface RedactionInfo {
  mode: RedactionMode;
  tenant: boolean;
  signatures: boolean;
  /** The kinds of values replaced, for the reader of the export. */
  covers: string[];
  /** How many distinct values were replaced. */
  replacedValues: number;
}

export type ValueKind = 'nameid' | 'identity' | 'object-id' | 'tenant-id' | 'access-control' | 'session-index' | 'relay-state' | 'session-token' | 'signature' | 'address';

const KIND_LABEL: Record<ValueKind, string> = {
  nameid: 'NameID',
  identity: 'e-mail, name and UPN claims',
  'object-id': 'object ids (user and groups)',
  'tenant-id': 'the Entra tenant id',
  'access-control': 'AccessControl values',
  'session-index': 'SessionIndex',
  'relay-state': 'RelayState',
  'session-token': 'session and state tokens in URLs',
  signature: 'signature values, digests and certificates',
  address: 'client IP addresses',
};

// ---- what counts as an identifier ----------------------------------------------------------

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_G = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Punctuation an e-mail found in prose may carry at its edges ("(alex@contoso.com.)"). */
const isEdgePunct = (c: number) => c === 0x2e || c === 0x27 || c === 0x2d;

const IDENTITY_CLAIM =
  /(e-?mail|upn|userprincipalname|givenname|surname|displayname|firstname|lastname|fullname|commonname|samaccountname|employeeid|employeenumber|phone|mobile|username|nickname|\/name$|^name$|^cn$|^uid$)/i;
const OBJECT_CLAIM = /(objectidentifier|objectid|\/oid$|^oid$|\/groups$|^groups$)/i;
const TENANT_CLAIM = /(tenantid|identityprovider)/i;
const ACCESS_CONTROL_CLAIM = /AccessControl:/i;

/** URL parameters that carry a user's name. */
const IDENTITY_PARAMS = new Set(['login_hint', 'loginhint', 'username', 'user', 'email', 'upn', 'domain_hint', 'sso_nonce_user']);

/**
 * URL parameters whose value is a session's or a sign-in step's token (a portal session, a
 * workflow state handle, an OAuth code or state, a nonce, Entra's ctx and flowToken): replaced
 * like SessionIndex when at least TOKEN_MIN characters long, so a short flag ("state=1") stays.
 * RelayState and the SAML parameters have their own handling.
 */
const TOKEN_PARAM = /(session|token|state|handle|nonce|ticket|csrf|^code$|^sid$|^ctx$)/i;
const TOKEN_MIN = 16;

/** Runs kept as they are inside an identifier: they identify no one and keep the value readable. */
const KEEP_RUNS = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'io', 'co', 'uk', 'de', 'fr', 'nl', 'eu', 'us', 'ca', 'au', 'info', 'biz',
  'onmicrosoft', 'ext', 'http', 'https', 'www',
  // The protocol's own words, which every export writes (a HAR's form body): a "user name" made of
  // them must not make the final scan refuse the export.
  'samlrequest', 'samlresponse', 'relaystate', 'sigalg', 'signature',
]);

/** Attributes that hold times, versions and URIs of the protocol: never rewritten as free text. */
const STRUCTURAL_ATTRS = new Set([
  'IssueInstant', 'NotBefore', 'NotOnOrAfter', 'AuthnInstant', 'SessionNotOnOrAfter', 'Version', 'Format', 'NameFormat', 'Method',
  'Algorithm', 'Value', 'ProtocolBinding', 'Consent', 'ForceAuthn', 'IsPassive', 'Comparison', 'AllowCreate', 'Binding', 'Type',
]);
/** The namespaces of SAML, XML Signature and Encryption and XML Schema: kept verbatim in exports. */
const KNOWN_NAMESPACES = new Set([
  'urn:oasis:names:tc:SAML:2.0:protocol', 'urn:oasis:names:tc:SAML:2.0:assertion', 'urn:oasis:names:tc:SAML:2.0:metadata',
  'urn:oasis:names:tc:SAML:1.0:protocol', 'urn:oasis:names:tc:SAML:1.0:assertion',
  'http://www.w3.org/2000/09/xmldsig#', 'http://www.w3.org/2001/04/xmldsig-more#', 'http://www.w3.org/2001/04/xmlenc#',
  'http://www.w3.org/2009/xmlenc11#', 'http://www.w3.org/2001/10/xml-exc-c14n#', 'http://www.w3.org/2001/XMLSchema',
  'http://www.w3.org/2001/XMLSchema-instance', 'http://www.w3.org/XML/1998/namespace',
]);
const STRUCTURAL_TEXT = new Set(['AuthnContextClassRef', 'DigestMethod', 'SignatureMethod', 'CanonicalizationMethod', 'Transform']);

// ---- runs ----------------------------------------------------------------------------------

// A run is letters, marks and digits of any script (issue 14, item 4: Cyrillic, Han or kana
// names were left as they were, and accented letters survived inside Latin ones).
// Letters of the scripts written without spaces (Han, kana, Thai…) make runs of their own, so a
// Cyrillic or Latin name glued to Japanese text ("Морозовさん") is still a run of its own.
const UNSPACED_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\p{Script=Tibetan}';
// Only the runs are matched (what lies between them is left as it is): a %-escape is a token of
// its own, so "%41lex" is not the run "41lex".
const RUN_G = new RegExp(`%[0-9A-Fa-f]{2}|[${UNSPACED_CLASS}]+|(?:(?![${UNSPACED_CLASS}])[\\p{L}\\p{M}\\p{N}])+`, 'gu');
/** A percent-escape of a UTF-8 byte of a non-ASCII character. */
const PCT_HIGH = /%[89A-Fa-f][0-9A-Fa-f]/;
const PCT_SPAN_G = /(?:%[0-9A-Fa-f]{2}|[\p{L}\p{M}\p{N}])+/gu;
const HEX = '0123456789abcdef';

/** Is this run worth replacing wherever it shows up in free text? */
/**
 * Runs every export keeps as they are: the list above, and Entra's error codes (AADSTS50105), which
 * name an error, never a person, and stand verbatim in the page errors exported.
 */
const keepRun = (lower: string): boolean => KEEP_RUNS.has(lower) || /^aadsts\d+$/.test(lower);

function vocabularyRun(lower: string): boolean {
  if (lower.length < minWordLength(lower) || keepRun(lower)) return false;
  // Short numbers (years, ports, counts) appear everywhere in prose and timestamps.
  return !(/^[0-9]+$/.test(lower) && lower.length < 5);
}

/** A letter or digit of a script written with spaces (a Han or kana name needs no word boundary). */
const isAlnum = (c: string | undefined) => !!c && isWordUnit(c.charCodeAt(0)) && !isUnspacedChar(c);

interface SamlParamsLike {
  value: string;
  relayState?: string;
  signature?: string;
}

/** The pseudonym and mask engine, with everything collected for one export. */
export class Redactor {
  readonly mode: RedactionMode;
  readonly options: Required<Omit<RedactionOptions, 'key'>>;
  private readonly key: Uint8Array;
  /** lower-case run (with its alphabet) → replacement run (lower case). */
  private readonly runMap = new Map<string, string>();
  private readonly usedPseudo = new Set<string>();
  /**
   * Pseudonyms are random look-alikes, so one may by chance contain a real identifier of the same
   * export (two Hangul syllables match with odds of 1 in 65,536: the hostile fuzz run met it).
   * A new pseudonym avoids the runs already collected (originalRuns); a run collected after a
   * pseudonym that contains it is a collision the export is made again for, under another key.
   */
  private readonly originalRuns = new Set<string>();
  private longestOriginalRun = 0;
  /** Substrings (2 to 6 characters) of the pseudonyms made → the pseudonyms that contain them. */
  private readonly pseudoParts = new Map<string, string[]>();
  private collision = false;
  /** Runs of identifiers to replace in free text: lower case → replacement (lower case). */
  private readonly vocabulary = new Map<string, string>();
  /** Whole values → replacement. */
  private readonly whole = new Map<string, string>();
  private wholeMatch: { matcher: LiteralMatcher; keys: string[] } | null | undefined;
  private readonly kinds = new Set<ValueKind>();
  private relayCount = 0;
  /** Runs and texts of the AWS side (entity ID, ACS URL, portal, region): never free-text replaced. */
  private readonly protectedRuns = new Set<string>();
  private readonly protectedTexts: string[] = [];
  private readonly relay = new Map<string, string>();

  constructor(options: RedactionOptions) {
    this.mode = options.mode;
    this.options = { mode: options.mode, tenant: !!options.tenant, signatures: !!options.signatures };
    this.key = options.key ?? randomKey();
  }

  get active(): boolean {
    return this.mode !== 'none';
  }

  info(): RedactionInfo {
    return {
      mode: this.mode,
      tenant: this.active && this.options.tenant,
      signatures: this.active && this.options.signatures,
      covers: this.active ? [...this.kinds].map((k) => KIND_LABEL[k]) : [],
      replacedValues: this.whole.size,
    };
  }

  /** Every whole value collected so far (originals), for tests and a final safety scan. */
  originals(): string[] {
    return [...this.whole.keys()];
  }

  // ---- mapping -----------------------------------------------------------------------------

  private mapRun(run: string, alphabet: 'alnum' | 'hex'): string {
    const lower = lowerKeep(run);
    if (keepRun(lower) && alphabet === 'alnum') return run;
    const cacheKey = `${alphabet}:${lower}`;
    let rep = this.runMap.get(cacheKey);
    if (rep === undefined) {
      if (this.mode === 'pseudonymise' && alphabet === 'alnum') this.noteOriginal(lower);
      rep = this.mode === 'remove' ? maskRun(lower, alphabet) : this.pseudoRun(lower, alphabet);
      this.runMap.set(cacheKey, rep);
    }
    return applyCase(run, rep);
  }

  private pseudoRun(lower: string, alphabet: 'alnum' | 'hex'): string {
    for (let attempt = 0; attempt < 64; attempt++) {
      const h = hmacSha256(this.key, `${alphabet}:${attempt}:${lower}`);
      let out = '';
      let i = 0;
      // Character by character (code point), each replaced by one of its own script and kind.
      for (const c of lower) {
        const b = h[i % 32]! ^ (i >= 32 ? h[(i * 7) % 32]! + i : 0);
        out += alphabet === 'hex' ? HEX[b & 15] : pseudoChar(c, b);
        i++;
      }
      if (out !== lower && !this.usedPseudo.has(`${alphabet}:${out}`) && (alphabet === 'hex' || !this.holdsOriginal(out))) {
        this.usedPseudo.add(`${alphabet}:${out}`);
        if (alphabet === 'alnum') this.notePseudonym(out);
        return out;
      }
    }
    return maskRun(lower, alphabet);
  }

  /** Whether a pseudonym made so far contains a real run collected after it (see originalRuns). */
  get collided(): boolean {
    return this.collision;
  }

  private noteOriginal(lower: string): void {
    const n = lower.length;
    // Two letters of a dense script (a Hangul given name) already name someone; four of the Latin
    // alphabet (a pseudonym holds "li" or "ann" all the time, and that names nobody).
    if (n < (/^[\x00-\x7f]*$/.test(lower) ? 4 : 2) || this.originalRuns.has(lower)) return;
    this.originalRuns.add(lower);
    if (n > this.longestOriginalRun) this.longestOriginalRun = n;
    for (const p of this.pseudoParts.get(lower.slice(0, 6)) ?? []) if (p.includes(lower)) this.collision = true;
  }

  private holdsOriginal(out: string): boolean {
    if (!this.originalRuns.size) return false;
    const n = out.length;
    const longest = Math.min(n, this.longestOriginalRun);
    // The cheaper way round: each substring of the candidate looked up, or each original searched.
    if (n * longest <= this.originalRuns.size * 4) {
      for (let i = 0; i < n; i++) for (let len = 2; len <= longest && i + len <= n; len++) if (this.originalRuns.has(out.slice(i, i + len))) return true;
      return false;
    }
    for (const o of this.originalRuns) if (out.includes(o)) return true;
    return false;
  }

  private notePseudonym(out: string): void {
    const n = Math.min(out.length, 4096);
    for (let i = 0; i + 2 <= n; i++) {
      for (let len = 2; len <= 6 && i + len <= n; len++) {
        const part = out.slice(i, i + len);
        const list = this.pseudoParts.get(part);
        if (!list) this.pseudoParts.set(part, [out]);
        else if (list[list.length - 1] !== out) list.push(out);
      }
    }
  }

  /** An identifier, run by run (GUIDs in hex). */
  mapIdentifier(v: string): string {
    if (!this.active) return v;
    const cached = v.length > 1000 ? this.longMapped.get(v) : undefined;
    if (cached !== undefined) return cached;
    const alphabet = GUID_RE.test(v.trim()) ? 'hex' : 'alnum';
    const out = v.replace(WORD_RUN_G, (run) => this.mapRun(run, alphabet));
    // A long value is mapped several times (collected, then rewritten): once is enough.
    if (v.length > 1000) this.longMapped.set(v, out);
    return out;
  }

  private readonly longMapped = new Map<string, string>();

  // ---- collection --------------------------------------------------------------------------

  /**
   * Marks text that identifies the AWS side, not a person (call before collecting identifiers):
   * its runs are never replaced in free text, so hosts, regions and entity IDs stay readable and
   * the checks that compare them still hold.
   */
  protect(s: string | undefined): void {
    if (!this.active || !s) return;
    const lower = s.toLowerCase();
    this.protectedTexts.push(lower);
    for (const run of lower.match(WORD_RUN_G) ?? []) this.protectedRuns.add(lowerKeep(run));
  }

  /** Protects the AWS-side values of one message: ACS URL, Destination, Audience, Recipient, the SP's Issuer. */
  protectXml(xml: string): void {
    if (!this.active) return;
    const doc = parseXml(xml);
    if (!('root' in doc)) return;
    const aws = (v: string | undefined) => {
      if (v && (isAwsUrl(v.trim()) || /^urn:amazon:/i.test(v.trim()))) this.protect(v);
    };
    const walk = (el: XElement) => {
      aws(el.attrs.Destination);
      aws(el.attrs.Recipient);
      aws(el.attrs.AssertionConsumerServiceURL);
      aws(el.attrs.SPNameQualifier);
      if (el.local === 'Audience' || el.local === 'Issuer') aws(textOf(el));
      // An AccessControl attribute's name is the administrator's configuration, not a person: a
      // collected value standing inside it ("Center" in "AccessControl:CostCenter") is not
      // replaced there, or re-analysis of the export would miss the configured key.
      if (el.local === 'Attribute' && ACCESS_CONTROL_CLAIM.test(el.attrs.Name ?? '')) this.protect(el.attrs.Name);
      for (const c of el.children) if (c.kind === 'element') walk(c);
    };
    walk(doc.root);
  }

  private addWhole(original: string, replacement: string): void {
    // One- and two-character values are replaced where they sit, not in all text ("1 error"),
    // and so are values that are part of the AWS side's URLs (an AccessControl value "eu-west-1").
    if (original.length < minWordLength(original) || original === replacement) return;
    const lower = original.toLowerCase();
    if (this.protectedTexts.some((t) => t.includes(lower))) return;
    if (!this.whole.has(original)) {
      this.whole.set(original, replacement);
      this.wholeMatch = undefined;
    }
  }

  /** Registers an identifier: its whole value and its runs are replaced wherever they appear. */
  collectIdentifier(v: string | undefined, kind: ValueKind): void {
    if (!this.active || v === undefined) return;
    const t = v.trim();
    if (!t) return;
    this.kinds.add(kind);
    const alphabet = GUID_RE.test(t) ? 'hex' : 'alnum';
    for (const run of t.match(WORD_RUN_G) ?? []) {
      const lower = lowerKeep(run);
      const rep = this.mapRun(lower, alphabet);
      if (vocabularyRun(lower) && !keepRun(lower) && !this.protectedRuns.has(lower)) {
        this.vocabulary.set(lower, rep);
        this.unspaced = undefined;
      }
    }
    // A long value (a 100 KB claim) whose every run is replaced in any text anyway needs no
    // whole-value search: it would only cost a megabyte of matcher per export.
    if (t.length > 256 && this.runsCover(t)) return;
    this.addWhole(t, this.mapIdentifier(t));
    if (t !== v) this.addWhole(v, this.mapIdentifier(v));
    // One value in two forms: collected URL-encoded ("a%25b") and standing decoded elsewhere
    // ("a%b"), which an export then writes URL-encoded again (a HAR's query), equal to what was
    // collected. The hostile fuzz run met it, and the final scan refused the export.
    const dec = decodedForm(t);
    if (dec !== t) this.collectIdentifier(dec, kind);
  }

  /** Is every run of the value replaced (or kept) wherever it stands in free text? */
  private runsCover(v: string): boolean {
    for (const run of v.match(WORD_RUN_G) ?? []) {
      const lower = lowerKeep(run);
      if (!this.vocabulary.has(lower) && !keepRun(lower)) return false;
    }
    return true;
  }

  /** Registers an opaque value (RelayState): replaced as a whole, never taken apart. */
  collectOpaque(v: string | undefined, kind: ValueKind): void {
    if (!this.active || v === undefined || v === '') return;
    this.kinds.add(kind);
    if (kind !== 'relay-state' && this.whole.has(v)) return;
    // RelayState is replaced where it is RelayState only: it is often the portal URL, which the
    // steps and the checks must still see.
    if (kind === 'relay-state') {
      if (!this.relay.has(v)) this.relay.set(v, this.mode === 'remove' ? 'removed' : `relaystate-${++this.relayCount}`);
    } else {
      this.addWhole(v, v.replace(WORD_RUN_G, (run) => this.mapRun(run, 'alnum')));
      // And in its decoded form, as an identifier's (collectIdentifier).
      const dec = decodedForm(v);
      if (dec !== v) this.collectOpaque(dec, kind);
    }
  }

  /** E-mail addresses and (optionally) GUIDs inside a longer text. */
  collectFromText(s: string | undefined, guidKind?: ValueKind): void {
    if (!this.active || !s) return;
    // Found and trimmed by hand: the pattern as a regular expression was quadratic in a long
    // run of its characters without an '@' (a 100 KB claim took 12 s to export).
    for (const m of emailsIn(s)) this.collectIdentifier(trimWhere(m, isEdgePunct), 'identity');
    if (guidKind) for (const g of s.match(GUID_G) ?? []) this.collectIdentifier(g, guidKind);
  }

  /** Collects from one SAML message's decoded XML. */
  collectXml(xml: string): void {
    if (!this.active) return;
    const doc = parseXml(xml);
    if (!('root' in doc)) {
      this.collectFromText(xml);
      return;
    }
    const walk = (el: XElement, claim?: ValueKind | 'keep') => {
      const local = el.local;
      let inClaim = claim;
      if (local === 'Attribute') inClaim = this.claimKind(el.attrs.Name ?? '');
      if (local === 'NameID' || local === 'NameIdentifier') {
        this.collectIdentifier(textOf(el), 'nameid');
        this.collectIdentifier(el.attrs.SPProvidedID, 'nameid');
        if (this.options.tenant) this.collectFromText(el.attrs.NameQualifier, 'tenant-id');
      }
      if (local === 'SubjectConfirmationData') this.collectIdentifier(el.attrs.Address, 'address');
      if (local === 'AuthnStatement') this.collectOpaque(el.attrs.SessionIndex, 'session-index');
      if (local === 'SessionIndex') this.collectOpaque(textOf(el), 'session-index');
      if (local === 'Issuer' && this.options.tenant) this.collectFromText(textOf(el), 'tenant-id');
      if (this.options.signatures && (local === 'SignatureValue' || local === 'X509Certificate' || local === 'DigestValue')) {
        // The whole value, and each stretch of it between comments, as the rewriting meets them.
        for (const v of new Set([textOf(el), ...textRuns(el)])) {
          this.collectOpaque(v.replace(/\s+/g, ''), 'signature');
          this.collectOpaque(v, 'signature');
        }
      }
      if (local === 'AttributeValue') {
        const v = deepTextOf(el);
        if (inClaim === 'keep') {
          // The tenant claims, with the tenant kept.
        } else if (inClaim === 'tenant-id') this.collectFromText(v, 'tenant-id');
        else if (inClaim) this.collectIdentifier(v, inClaim);
        else this.collectFromText(v, 'object-id'); // catch-all: e-mail addresses and GUIDs in any other claim
      }
      if (local === 'StatusMessage' || local === 'StatusDetail') this.collectFromText(deepTextOf(el));
      for (const c of el.children) if (c.kind === 'element') walk(c, local === 'Attribute' ? inClaim : claim);
    };
    walk(doc.root);
  }

  /** The kind of value a claim carries; 'keep' for the tenant claims when the tenant stays. */
  private claimKind(name: string): ValueKind | 'keep' | undefined {
    if (ACCESS_CONTROL_CLAIM.test(name)) return 'access-control';
    if (TENANT_CLAIM.test(name)) return this.options.tenant ? 'tenant-id' : 'keep';
    if (OBJECT_CLAIM.test(name)) return 'object-id';
    if (IDENTITY_CLAIM.test(name)) return 'identity';
    return undefined;
  }

  /** Collects from a URL: its SAML parameters (decoded), RelayState and user-name parameters. */
  collectUrl(url: string | undefined): void {
    if (!this.active || !url) return;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (this.options.tenant && /login\.microsoft(online)?\.com/i.test(path)) this.collectFromText(path, 'tenant-id');
    this.collectFromText(safeDecode(url));
    if (q < 0) return;
    for (const [name, value] of queryPairs(url.slice(q + 1).split('#')[0]!)) {
      const n = name.toLowerCase();
      if (n === 'samlrequest' || n === 'samlresponse') {
        const d = decodeSamlValue(value);
        if (d.ok) this.collectXml(d.xml);
      } else if (n === 'relaystate') this.collectOpaque(formDecode(value), 'relay-state');
      else if (IDENTITY_PARAMS.has(n)) this.collectIdentifier(formDecode(value), 'identity');
      else if (TOKEN_PARAM.test(n) && formDecode(value).length >= TOKEN_MIN) this.collectOpaque(formDecode(value), 'session-token');
      else if (n === 'signature' && this.options.signatures) this.collectOpaque(formDecode(value), 'signature');
    }
  }

  collectCapture(c: CapturedMessage): void {
    if (!this.active) return;
    const p = c.param ? { value: c.raw } : extractSamlParams(c.raw);
    const d = decodeSamlValue(p.value);
    if (d.ok) this.collectXml(d.xml);
    this.collectOpaque(c.relayState ?? (p as SamlParamsLike).relayState, 'relay-state');
    if (this.options.signatures) this.collectOpaque(c.signature ?? (p as SamlParamsLike).signature, 'signature');
    for (const u of [c.url, c.initiator, c.redirectTo, c.rawQuery ? `?${c.rawQuery}` : undefined]) this.collectUrl(u);
    this.collectFromText(c.origin);
  }

  collectStep(s: FlowStep): void {
    if (!this.active) return;
    this.collectUrl(s.url);
    this.collectUrl(s.redirectTo);
    this.collectFromText(s.note);
  }

  collectExpectations(e: Expectations | undefined): void {
    if (!this.active || !e) return;
    this.collectIdentifier(e.expectedUsername, 'nameid');
    if (this.options.tenant) this.collectFromText(e.idpEntityId, 'tenant-id');
  }

  // ---- rewriting ---------------------------------------------------------------------------

  /** Every whole value at once, searched in linear time (an alternation of them was not). */
  private wholeMatcher(): { matcher: LiteralMatcher; keys: string[] } | null {
    if (this.wholeMatch !== undefined) return this.wholeMatch;
    // Case-insensitive, as the final scan is: "ALEX_CONTOSO" is the same value as "alex_contoso".
    const keys = [...this.whole.keys()];
    this.wholeMatch = keys.length ? { matcher: new LiteralMatcher(keys.map(lowerKeep)), keys } : null;
    return this.wholeMatch;
  }

  private runsIn(s: string): string {
    if (!this.vocabulary.size) return s;
    return s.replace(RUN_G, (tok) => {
      if (tok.charCodeAt(0) === 0x25 /* % */) return tok;
      const lower = lowerKeep(tok);
      const rep = this.vocabulary.get(lower);
      if (rep !== undefined) return applyCase(tok, rep);
      // Han, kana, Thai…: no spaces between words, so a name sits inside a longer run.
      return hasUnspaced(tok) ? this.unspacedIn(tok, lower) : tok;
    });
  }

  private unspaced: { matcher: LiteralMatcher; keys: string[] } | null | undefined;

  /** The identifier runs of unspaced scripts inside a run of letters, found all at once. */
  private unspacedIn(tok: string, lower: string): string {
    if (this.unspaced === undefined) {
      const keys = [...this.vocabulary.keys()].filter(hasUnspaced);
      this.unspaced = keys.length ? { matcher: new LiteralMatcher(keys), keys } : null;
    }
    if (!this.unspaced || lower.length !== tok.length) return tok;
    let out = '';
    let last = 0;
    for (const m of this.unspaced.matcher.find(lower)) {
      out += tok.slice(last, m.start) + applyCase(tok.slice(m.start, m.end), this.vocabulary.get(this.unspaced.keys[m.key]!)!);
      last = m.end;
    }
    return out + tok.slice(last);
  }

  /** Any text: whole values first (at word boundaries), then identifier runs in what is left. */
  text(s: string): string;
  text(s: string | undefined): string | undefined;
  text(s: string | undefined): string | undefined {
    if (!this.active || s === undefined || s === '') return s;
    // A name in another script inside a URL stands percent-encoded (UTF-8): decoded, redacted
    // and encoded again, span by span (letters and escapes together: "Jos%C3%A9").
    if (PCT_HIGH.test(s)) {
      s = s.replace(PCT_SPAN_G, (span) => {
        if (!PCT_HIGH.test(span)) return span;
        const dec = safeDecode(span);
        if (dec === span) return span;
        const red = this.plainText(dec);
        return red === dec ? span : this.encode(red);
      });
    }
    return this.plainText(s);
  }

  private plainText(s: string): string {
    const w = this.wholeMatcher();
    if (!w) return this.runsIn(s);
    return this.wholeLeft(this.wholePass(s, w, true));
  }

  /**
   * Whole values left in a text already rewritten. Two collected values can overlap ("a@###" and
   * "###@a.b" in "a@###@a.b"): replacing the first leaves the second whole. And a value can span
   * parts rewritten one by one (a URL's query and fragment: the fuzz run met "中#a@b.SAMLResponse",
   * an address to the collector, across the '#'). Another pass over the result replaces what is
   * left (bounded: each pass is linear, and a value left after three is caught by the final scan).
   */
  private wholeLeft(s: string): string {
    const w = this.wholeMatcher();
    if (!w) return s;
    let out = s;
    for (let pass = 0; pass < 3 && w.matcher.firstIn(lowerKeep(out)) >= 0; pass++) {
      const again = this.wholePass(out, w, false);
      if (again === out) break;
      out = again;
    }
    return out;
  }

  /** Whole values replaced where they stand (`runs`: and identifier runs in what is left). */
  private wholePass(s: string, w: { matcher: LiteralMatcher; keys: string[] }, runs: boolean): string {
    let out = '';
    let last = 0;
    const rest = (t: string) => (runs ? this.runsIn(t) : t);
    // A short value is replaced where it stands as a word ("Ana" is not replaced in "Banana"); a
    // value of 6 characters or more wherever it stands (the final scan would refuse it otherwise).
    const bounded = (start: number, end: number) =>
      end - start >= 6 || (!(isAlnum(s[start]) && isAlnum(s[start - 1])) && !(isAlnum(s[end - 1]) && isAlnum(s[end])));
    for (const m of w.matcher.find(lowerKeep(s), bounded)) {
      const key = w.keys[m.key]!;
      const found = s.slice(m.start, m.end);
      const rep = this.whole.get(key)!;
      out += rest(s.slice(last, m.start)) + (found === key || rep.length !== found.length ? rep : applyCase(found, lowerKeep(rep)));
      last = m.end;
    }
    return out + rest(s.slice(last));
  }

  relayState(v: string): string {
    return this.relay.get(v) ?? this.text(v);
  }

  /**
   * A time, version or algorithm URI is kept as it is, so the export still reads as the protocol
   * wrote it; but a damaged message can carry a collected identifier there (the hostile fuzz run
   * met an e-mail address in Version, which the final scan then refused): such a value is
   * rewritten as free text.
   */
  private structural(value: string): string {
    const w = this.wholeMatcher();
    return w && w.matcher.firstIn(lowerKeep(value)) >= 0 ? this.text(value) : value;
  }

  /** One XML document's text, rewritten value by value. */
  rewriteXml(xml: string): string {
    if (!this.active) return xml;
    const doc = parseXml(xml);
    if (!('root' in doc)) return this.text(xml);
    const parents = parentIndex(doc.root);
    const textRw = (el: XElement, value: string): string => {
      if (el.local === 'NameID' || el.local === 'NameIdentifier') return this.mapIdentifier(value);
      // Inside an AttributeValue (or structured XML within one): the claim decides.
      for (let p: XElement | undefined = el; p; p = parents.get(p)) {
        if (p.local === 'Attribute') {
          const kind = this.claimKind(p.attrs.Name ?? '');
          if (kind && kind !== 'tenant-id' && kind !== 'keep') return this.mapIdentifier(value);
          break;
        }
      }
      if (STRUCTURAL_TEXT.has(el.local)) return this.structural(value);
      return this.text(value);
    };
    const attrRw = (el: XElement, name: string, value: string): string => {
      if (STRUCTURAL_ATTRS.has(name)) return this.structural(value);
      if (name === 'SPProvidedID' || (name === 'Address' && el.local === 'SubjectConfirmationData')) return this.mapIdentifier(value);
      return this.text(value);
    };
    // A namespace URI names a vocabulary, not a person, but a damaged or hand-made message can carry
    // an identifier in one (the hostile fuzz run met an e-mail address there): the protocol's own
    // namespaces stay as they are, any other is rewritten as free text is (never to nothing, which
    // would undeclare the prefix).
    const namespace = (uri: string): string => (KNOWN_NAMESPACES.has(uri) ? uri : this.text(uri) || uri);
    return serializeXml(doc, { text: textRw, attr: attrRw, comment: (v) => this.text(v), namespace, pi: (v) => this.text(v) }, xmlDeclaration(xml));
  }

  /** A URL with its SAML payloads re-encoded redacted, RelayState and user parameters replaced. */
  url(u: string): string;
  url(u: string | undefined): string | undefined;
  url(u: string | undefined): string | undefined {
    if (!this.active || !u) return u;
    const q = u.indexOf('?');
    if (q < 0) return this.text(u);
    const hash = u.indexOf('#', q);
    const query = hash < 0 ? u.slice(q + 1) : u.slice(q + 1, hash);
    const frag = hash < 0 ? '' : u.slice(hash);
    return this.wholeLeft(`${this.text(u.slice(0, q))}?${this.query(query)}${this.text(frag)}`);
  }

  /** Values whose lone surrogates were written as U+FFFD when URL-encoded (the export says so). */
  loneSurrogates = 0;

  private encode(v: string): string {
    if (hasLoneSurrogate(v)) this.loneSurrogates++;
    return encodeComponent(v);
  }

  /** A query string (without '?'), parameter by parameter. */
  query(qs: string): string {
    if (!this.active) return qs;
    return qs
      .split('&')
      .map((part) => {
        const eq = part.indexOf('=');
        if (eq < 0) return this.text(part);
        const name = part.slice(0, eq);
        const value = part.slice(eq + 1);
        const n = name.toLowerCase();
        if (n === 'samlrequest' || n === 'samlresponse') return `${name}=${this.samlValue(value)}`;
        if (n === 'relaystate' || IDENTITY_PARAMS.has(n) || (n === 'signature' && this.options.signatures)) {
          const dec = formDecode(value);
          const rep = n === 'relaystate' ? this.relayState(dec) : n === 'signature' ? (this.whole.get(dec) ?? this.text(dec)) : this.mapIdentifier(dec);
          return rep === dec ? part : `${name}=${this.encode(rep)}`;
        }
        const dec = formDecode(value);
        const rep = this.text(dec);
        // Nothing in the decoded value: the value as written may still hold one ('+' read as a
        // space hides "a+b@contoso.com", which the e-mail scan of the raw URL collected).
        return rep === dec ? `${this.text(name)}=${this.text(value)}` : `${this.text(name)}=${this.encode(rep)}`;
      })
      .join('&');
  }

  /**
   * A SAML parameter value as it travelled (base64, deflated, URL-encoded or plain XML): decoded,
   * rewritten and encoded the same way. A value that cannot be decoded cannot be redacted
   * safely, so it is replaced by a note.
   */
  samlValue(raw: string): string {
    if (!this.active) return raw;
    const d = decodeSamlValue(raw);
    if (!d.ok) return encodeURIComponent(UNREADABLE);
    // In a query string or form body, the value must stay URL-encoded whatever it was.
    return encodeSamlValue(this.rewriteXml(d.xml), d.encoding, true);
  }

  capture(c: CapturedMessage): CapturedMessage {
    if (!this.active) return c;
    const out: CapturedMessage = { ...c, id: this.text(c.id) };
    // The raw value: as captured (param known) or as pasted (a URL, a form body…).
    if (c.param) out.raw = this.rawValue(c.raw, c.binding);
    else {
      const t = c.raw.trim();
      if (/(^|[?&])(SAMLRequest|SAMLResponse)=/.test(t)) {
        const q = t.indexOf('?');
        out.raw = q >= 0 && /^https?:/i.test(t) ? this.url(t) : this.query(t.replace(/^\?/, ''));
      } else out.raw = this.rawValue(c.raw, c.binding);
    }
    if (c.relayState !== undefined) out.relayState = this.relayState(c.relayState);
    if (c.signature !== undefined && this.options.signatures) out.signature = this.whole.get(c.signature) ?? this.text(c.signature);
    if (c.rawQuery !== undefined) out.rawQuery = this.query(c.rawQuery);
    if (c.url !== undefined) out.url = this.url(c.url);
    if (c.initiator !== undefined) out.initiator = this.url(c.initiator);
    if (c.redirectTo !== undefined) out.redirectTo = this.url(c.redirectTo);
    if (c.origin !== undefined) out.origin = this.text(c.origin);
    return out;
  }

  private rawValue(raw: string, binding: CapturedMessage['binding']): string {
    const d = decodeSamlValue(raw);
    if (!d.ok) return UNREADABLE;
    // Keep the encoding the value travelled in: a form value stays base64, a query value stays
    // URL-encoded deflate.
    const encoding: Encoding = d.encoding;
    return encodeSamlValue(this.rewriteXml(d.xml), encoding, d.urlDecoded || binding === 'redirect');
  }

  step(s: FlowStep): FlowStep {
    if (!this.active) return s;
    const out: FlowStep = { ...s, url: this.url(s.url) };
    if (s.redirectTo !== undefined) out.redirectTo = this.url(s.redirectTo);
    if (s.note !== undefined) out.note = this.text(s.note);
    if (s.messageId !== undefined) out.messageId = this.text(s.messageId);
    return out;
  }

  /** A page error: the message can name the user (AADSTS50105 does); the ids are Microsoft's, kept for tickets. */
  collectPageError(e: PageError): void {
    if (!this.active) return;
    this.collectUrl(e.url);
    this.collectFromText(e.message);
  }

  pageError(e: PageError): PageError {
    if (!this.active) return e;
    const out: PageError = { ...e, url: this.url(e.url) ?? e.url };
    if (e.message !== undefined) out.message = this.text(e.message) ?? '';
    return out;
  }

  expectations(e: Expectations): Expectations {
    if (!this.active) return e;
    const out: Expectations = { ...e };
    if (e.expectedUsername !== undefined) out.expectedUsername = this.mapIdentifier(e.expectedUsername);
    for (const k of ['spEntityId', 'acsUrl', 'idpEntityId', 'requestId', 'portalUrl'] as const) {
      const v = e[k];
      if (v !== undefined) out[k] = this.text(v);
    }
    return out;
  }

  /** Every string inside a plain JSON-like value, rewritten (keys kept). */
  deep<T>(v: T, skipKeys: ReadonlySet<string> = DEEP_SKIP): T {
    if (!this.active) return v;
    const walk = (x: unknown, key?: string): unknown => {
      if (typeof x === 'string') return key && skipKeys.has(key) ? x : key && URL_KEYS.has(key) ? this.url(x) : this.text(x);
      if (Array.isArray(x)) return x.map((y) => walk(y, key));
      if (x && typeof x === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, y] of Object.entries(x as Record<string, unknown>)) o[k] = walk(y, k);
        return o;
      }
      return x;
    };
    return walk(v) as T;
  }
}

const URL_KEYS: ReadonlySet<string> = new Set(['url', 'redirectTo', 'initiator']);

/** Keys whose values are ids of the analysis itself, kinds or times: never rewritten. */
const DEEP_SKIP: ReadonlySet<string> = new Set(['checkId', 'severity', 'messageKey', 'facts', 'type', 'kind', 'binding', 'encoding', 'time', 'startedAt', 'serverDate']);

export const UNREADABLE = 'samlscope-redacted: this value could not be decoded, so it was removed rather than exported unredacted';

function isAwsUrl(u: string | undefined): boolean {
  const role = hostRole(urlHost(u));
  return role === 'aws-acs' || role === 'aws-portal' || role === 'aws-iam-federation';
}

function maskRun(lower: string, alphabet: 'alnum' | 'hex'): string {
  if (alphabet === 'hex') return '0'.repeat(lower.length);
  let out = '';
  for (const c of lower) out += maskChar(c);
  return out;
}

function randomKey(): Uint8Array {
  const k = new Uint8Array(32);
  globalThis.crypto.getRandomValues(k);
  return k;
}

function textOf(el: XElement): string {
  let s = '';
  for (const c of el.children) if (c.kind === 'text') s += c.value;
  return s;
}
/** The element's consecutive text nodes (text and CDATA) joined: the values the rewriting sees. */
function textRuns(el: XElement): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  for (const c of el.children) {
    if (c.kind === 'text') cur = (cur ?? '') + c.value;
    else if (cur !== undefined) {
      out.push(cur);
      cur = undefined;
    }
  }
  if (cur !== undefined) out.push(cur);
  return out;
}
function deepTextOf(el: XElement): string {
  let s = '';
  for (const c of el.children) s += c.kind === 'text' ? c.value : c.kind === 'element' ? deepTextOf(c) : '';
  return s;
}

function parentIndex(root: XElement): Map<XElement, XElement> {
  const m = new Map<XElement, XElement>();
  const stack = [root];
  while (stack.length) {
    const el = stack.pop()!;
    for (const c of el.children) {
      if (c.kind === 'element') {
        m.set(c, el);
        stack.push(c);
      }
    }
  }
  return m;
}

function formDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/**
 * The value an encoded one stands for, when it reads as one: URL %-escapes and XML character
 * references decoded (the forms an export writes a value in); the value itself otherwise.
 */
function decodedForm(v: string): string {
  let out = v;
  if (/%[0-9A-Fa-f]{2}/.test(out)) out = safeDecode(out);
  if (out.includes('&')) out = out.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/g, (m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return XML_ENTITIES[name]!;
    const cp = dec ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
  return out;
}
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function queryPairs(qs: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push([eq < 0 ? part : formDecode(part.slice(0, eq)), eq < 0 ? '' : part.slice(eq + 1)]);
  }
  return out;
}

export interface RedactedInput {
  messages: CapturedMessage[];
  steps: FlowStep[];
  pageErrors: PageError[];
  expectations: Expectations;
  redactor: Redactor;
}

/** Redacts what an analysis reads: collects identifiers from everything first, then rewrites. */
export function redactInput(
  input: { messages: CapturedMessage[]; steps?: FlowStep[]; pageErrors?: PageError[]; expectations?: Expectations; extraText?: string[]; identities?: string[] },
  options: RedactionOptions,
): RedactedInput {
  const r = new Redactor(options);
  const steps = input.steps ?? [];
  const pageErrors = input.pageErrors ?? [];
  const expectations = input.expectations ?? {};
  if (!r.active) return { messages: input.messages, steps, pageErrors, expectations, redactor: r };
  // The AWS side first: it is never replaced in free text.
  for (const e of [expectations.spEntityId, expectations.acsUrl, expectations.portalUrl, expectations.region, ...(expectations.expectedAccessControlKeys ?? [])]) r.protect(e);
  for (const m of input.messages) {
    const d = decodeSamlValue(m.param ? m.raw : extractSamlParams(m.raw).value);
    if (d.ok) r.protectXml(d.xml);
    if (isAwsUrl(m.url)) r.protect(m.url!.split('?')[0]);
  }
  for (const s of steps) for (const u of [s.url, s.redirectTo]) if (isAwsUrl(u)) r.protect(u!.split('?')[0]);
  for (const m of input.messages) r.collectCapture(m);
  for (const s of steps) r.collectStep(s);
  for (const e of pageErrors) r.collectPageError(e);
  r.collectExpectations(expectations);
  for (const t of input.extraText ?? []) r.collectFromText(t);
  for (const v of input.identities ?? []) r.collectIdentifier(v, 'identity');
  return {
    messages: input.messages.map((m) => r.capture(m)),
    steps: steps.map((s) => r.step(s)),
    pageErrors: pageErrors.map((e) => r.pageError(e)),
    expectations: r.expectations(expectations),
    redactor: r,
  };
}
