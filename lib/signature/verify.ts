// XML-DSig verification of SAML messages with WebCrypto, in the browser (pages, service worker)
// and in Node: enveloped signatures on the Response and/or the Assertion, Reference URI
// resolution to the one element with that ID, the enveloped-signature and canonicalization
// transforms, digest comparison, and the SignatureValue over the canonical SignedInfo; RSA
// (SHA-1/256/384/512) and ECDSA. And HTTP-Redirect signatures (SigAlg + Signature over the raw
// query string). It runs over the same XML tree the checks read (see c14n.ts for why).
//
// Async (WebCrypto is): it is injected into analyze() (lib/analyze.ts) as its SignatureVerifier,
// which verifies the messages the analysis has read, on the trees it parsed, before the checks
// run with the verdicts. Load this module lazily (lib/signature/load.ts) where it runs; the
// popup's first render does not need it.
import { NS } from '../saml/model.ts';
import { attr, child, childrenNamed, directText, isNs, parseXml, type XElement, type XmlDocument, type XmlParseError } from '../saml/xml.ts';
import type { CapturedMessage } from '../types.ts';
import { c14nOptionsFor, canonicalize } from './c14n.ts';
import { base64ToBytes, bytesToBase64, describeCertificate, isCertificateError, normalizeCertificate } from './cert.ts';
import type {
  CertificatePin,
  CertificatePins,
  MessageVerdict,
  RedirectVerdict,
  ReferenceProblem,
  ReferenceVerdict,
  SignatureProblem,
  SignatureVerdict,
  SignatureVerdicts,
  SignatureVerifier,
  VerifiableCapture,
  VerifiableMessage,
} from './types.ts';

export type * from './types.ts';

export const DIGEST_ALGORITHMS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'SHA-1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

type KeyAlg = { name: 'RSASSA-PKCS1-v1_5' | 'ECDSA'; hash: string };

export const SIGNATURE_ALGORITHMS: Record<string, KeyAlg> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': { name: 'ECDSA', hash: 'SHA-1' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { name: 'ECDSA', hash: 'SHA-256' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { name: 'ECDSA', hash: 'SHA-384' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { name: 'ECDSA', hash: 'SHA-512' },
};

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_NS = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ID_ATTRS = ['ID', 'Id', 'id', 'AssertionID'];
/**
 * Bounds on attacker-shaped input: SAML has one or two signatures with one Reference each; each
 * Reference canonicalizes and hashes a subtree, so thousands of them over a 2 MB message would
 * take seconds. Past these, the rest is reported as not verified.
 */
export const MAX_SIGNATURES = 8;
export const MAX_REFERENCES = 4;

function subtle(): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available here');
  return c.subtle;
}

const utf8 = new TextEncoder();

async function digestB64(alg: string, text: string): Promise<string> {
  return bytesToBase64(new Uint8Array(await subtle().digest(alg, utf8.encode(text))));
}

// Keys imported once per certificate and algorithm: importKey costs more than a verify.
const keyCache = new Map<string, Promise<CryptoKey | undefined>>();

function importKey(certB64: string, alg: KeyAlg): Promise<CryptoKey | undefined> {
  const k = `${alg.name}|${alg.hash}|${certB64}`;
  let p = keyCache.get(k);
  if (!p) {
    p = (async () => {
      const info = describeCertificate(certB64);
      if (isCertificateError(info)) return undefined;
      try {
        if (alg.name === 'ECDSA') {
          if (info.keyType !== 'EC' || !info.namedCurve) return undefined;
          return await subtle().importKey('spki', info.spki, { name: 'ECDSA', namedCurve: info.namedCurve }, false, ['verify']);
        }
        if (info.keyType !== 'RSA') return undefined;
        return await subtle().importKey('spki', info.spki, { name: alg.name, hash: alg.hash }, false, ['verify']);
      } catch {
        return undefined;
      }
    })();
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(k, p);
  }
  return p;
}

/** The first candidate certificate whose key verifies `sig` over `data`, if any. */
async function verifyWithAny(alg: KeyAlg, candidates: string[], sig: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<string | undefined> {
  for (const cert of candidates) {
    const key = await importKey(cert, alg);
    if (!key) continue;
    try {
      const ok = await subtle().verify(alg.name === 'ECDSA' ? { name: 'ECDSA', hash: alg.hash } : { name: alg.name }, key, sig, data);
      if (ok) return cert;
    } catch {
      // A malformed signature value for this key type: not verified.
    }
  }
  return undefined;
}

interface Indexed {
  root: XElement;
  byId: Map<string, XElement[]>;
  signatures: { sig: XElement; parent: XElement }[];
}

function index(root: XElement): Indexed {
  const byId = new Map<string, XElement[]>();
  const signatures: Indexed['signatures'] = [];
  const walk = (el: XElement) => {
    for (const a of ID_ATTRS) {
      const v = el.attrs[a];
      if (v === undefined) continue;
      const list = byId.get(v);
      if (list) {
        if (!list.includes(el)) list.push(el);
      } else byId.set(v, [el]);
    }
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      if (c.local === 'Signature' && isNs(c, NS.ds)) signatures.push({ sig: c, parent: el });
      walk(c);
    }
  };
  walk(root);
  return { root, byId, signatures };
}

function contains(ancestor: XElement, el: XElement): boolean {
  if (ancestor === el) return true;
  for (const c of ancestor.children) if (c.kind === 'element' && contains(c, el)) return true;
  return false;
}

function prefixList(el: XElement | undefined): string[] | undefined {
  const inc = el ? child(el, EXC_NS, 'InclusiveNamespaces') : undefined;
  const list = inc ? attr(inc, 'PrefixList') : undefined;
  return list ? list.trim().split(/\s+/).filter(Boolean) : undefined;
}

const text = (el: XElement | undefined) => (el ? directText(el).replace(/\s+/g, '') : '');

async function verifyReference(ref: XElement, sig: XElement, ix: Indexed): Promise<ReferenceVerdict> {
  const uri = attr(ref, 'URI');
  const v: ReferenceVerdict = { ok: false };
  if (uri !== undefined) v.uri = uri;
  const dm = attr(child(ref, NS.ds, 'DigestMethod'), 'Algorithm');
  if (dm) v.digestMethod = dm;
  v.digestValue = text(child(ref, NS.ds, 'DigestValue'));
  const fail = (problem: ReferenceProblem, detail: string) => ({ ...v, problem, detail });

  let target: XElement | undefined;
  if (uri === '' ) target = ix.root;
  else if (uri === undefined) return fail('unresolved', 'the Reference has no URI attribute');
  else if (uri.startsWith('#') && !uri.startsWith('#xpointer(')) {
    const found = ix.byId.get(uri.slice(1)) ?? [];
    if (found.length === 0) return fail('unresolved', `no element has the ID ${uri.slice(1)}`);
    if (found.length > 1) {
      return fail('ambiguous', `${found.length} elements have the ID ${uri.slice(1)} (${found.map((f) => f.path).join(', ')}); a verifier that picks one and a reader that picks another disagree`);
    }
    target = found[0]!;
  } else return fail('external', `URI "${uri}" is not a same-document reference to an ID`);
  v.signedPath = target.path;
  v.signedLocal = target.local;
  const id = ID_ATTRS.map((a) => target.attrs[a]).find((x) => x !== undefined);
  if (id !== undefined) v.signedId = id;

  const hash = dm ? DIGEST_ALGORITHMS[dm] : undefined;
  if (!hash) return fail('unsupported-digest', `digest algorithm ${dm ?? '(none)'} is not supported`);

  // Transforms: the enveloped-signature transform, then at most one canonicalization.
  let exclude: XElement | undefined;
  let c14n: ReturnType<typeof c14nOptionsFor> = undefined;
  let inclusivePrefixes: string[] | undefined;
  const transforms = child(ref, NS.ds, 'Transforms');
  for (const t of transforms ? childrenNamed(transforms, NS.ds, 'Transform') : []) {
    const alg = attr(t, 'Algorithm');
    if (alg === ENVELOPED && !c14n) {
      if (contains(target, sig)) exclude = sig;
      continue;
    }
    const o = c14nOptionsFor(alg);
    if (o && !c14n) {
      c14n = o;
      inclusivePrefixes = prefixList(t);
      continue;
    }
    return fail('unsupported-transform', `transform ${alg ?? '(no Algorithm)'} is not supported`);
  }
  // A same-document reference selects the subtree without comments (XML-DSig §4.3.3.3); with no
  // canonicalization transform the node-set is canonicalized with Canonical XML 1.0.
  const opts = { exclusive: c14n?.exclusive ?? false, withComments: false, ...(exclude ? { exclude } : {}), ...(c14n?.exclusive && inclusivePrefixes ? { inclusivePrefixes } : {}) };
  v.computedDigest = await digestB64(hash, canonicalize(target, opts));
  if (v.computedDigest !== v.digestValue) {
    return fail('digest-mismatch', `the ${target.local} at ${target.path} does not hash to the DigestValue: it was changed after it was signed`);
  }
  v.ok = true;
  return v;
}

async function verifySignature(sig: XElement, parent: XElement, ix: Indexed, expected: string[]): Promise<SignatureVerdict> {
  const keyInfo = child(sig, NS.ds, 'KeyInfo');
  const keyInfoCertificates: string[] = [];
  const collect = (el: XElement) => {
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      if (c.local === 'X509Certificate' && isNs(c, NS.ds)) {
        const b = text(c);
        if (b) keyInfoCertificates.push(b);
      } else collect(c);
    }
  };
  if (keyInfo) collect(keyInfo);
  const v: SignatureVerdict = { path: sig.path, parentPath: parent.path, status: 'invalid', problems: [], references: [], keyInfoCertificates };
  const signedInfos = childrenNamed(sig, NS.ds, 'SignedInfo');
  const sigValues = childrenNamed(sig, NS.ds, 'SignatureValue');
  const si = signedInfos[0];
  const refs = si ? childrenNamed(si, NS.ds, 'Reference') : [];
  if (signedInfos.length !== 1 || sigValues.length !== 1 || refs.length === 0 || !si) {
    v.status = 'unverifiable';
    v.problems.push('malformed');
    v.detail =
      signedInfos.length !== 1
        ? `the ds:Signature has ${signedInfos.length} SignedInfo elements`
        : sigValues.length !== 1
          ? `the ds:Signature has ${sigValues.length} SignatureValue elements`
          : 'the SignedInfo has no Reference';
    return v;
  }
  const cm = child(si, NS.ds, 'CanonicalizationMethod');
  const sm = attr(child(si, NS.ds, 'SignatureMethod'), 'Algorithm');
  const cmAlg = attr(cm, 'Algorithm');
  if (sm) v.signatureMethod = sm;
  if (cmAlg) v.c14nMethod = cmAlg;

  if (refs.length > MAX_REFERENCES) {
    v.status = 'unverifiable';
    v.problems.push('malformed');
    v.detail = `the SignedInfo has ${refs.length} References; SAML allows one, and samlscope checks at most ${MAX_REFERENCES}`;
    return v;
  }
  for (const r of refs) v.references.push(await verifyReference(r, sig, ix));
  for (const r of v.references) {
    if (r.ok) continue;
    const p: SignatureProblem = r.problem === 'unsupported-digest' || r.problem === 'unsupported-transform' || r.problem === 'external' ? 'unsupported-algorithm' : 'reference';
    if (!v.problems.includes(p)) v.problems.push(p);
  }

  const alg = sm ? SIGNATURE_ALGORITHMS[sm] : undefined;
  const c14n = c14nOptionsFor(cmAlg);
  if (!alg || !c14n) {
    if (!v.problems.includes('unsupported-algorithm')) v.problems.push('unsupported-algorithm');
    v.detail = !alg ? `signature algorithm ${sm ?? '(none)'} is not supported` : `canonicalization ${cmAlg ?? '(none)'} is not supported`;
  } else {
    const candidates = [...new Set([...keyInfoCertificates, ...expected])];
    if (candidates.length === 0) {
      v.problems.push('no-key');
      v.detail = 'the signature carries no certificate in KeyInfo and no IdP certificate is configured';
    } else {
      const sigBytes = base64ToBytes(text(sigValues[0]));
      const prefixes = c14n.exclusive ? prefixList(cm) : undefined;
      const data = utf8.encode(canonicalize(si, { ...c14n, ...(prefixes ? { inclusivePrefixes: prefixes } : {}) }));
      const cert = sigBytes?.length ? await verifyWithAny(alg, candidates, sigBytes, data) : undefined;
      if (cert) {
        v.signingCertificate = cert;
        v.keySource = keyInfoCertificates.includes(cert) ? 'keyinfo' : 'expected';
      } else {
        v.problems.push('signature-value');
        v.detail = !sigBytes
          ? 'the SignatureValue is not valid base64'
          : !sigBytes.length
            ? 'the SignatureValue is empty'
            : `the SignatureValue does not verify over the canonical SignedInfo with the key of ${candidates.length === 1 ? 'the certificate' : `any of the ${candidates.length} certificates`} (${keyInfoCertificates.length ? 'in KeyInfo' : ''}${keyInfoCertificates.length && expected.length ? ' and ' : ''}${expected.length ? 'expected' : ''})`;
      }
    }
  }
  v.status = v.problems.some((p) => p === 'reference' || p === 'signature-value') ? 'invalid' : v.problems.length ? 'unverifiable' : 'valid';
  return v;
}

/** Verifies every ds:Signature of one XML message. `expected`: certificates to try when KeyInfo has none (or another). */
export async function verifyXmlSignatures(xml: string, expected: string[] = [], parsed?: XmlDocument | XmlParseError): Promise<SignatureVerdict[]> {
  const doc = parsed ?? parseXml(xml);
  if (!('root' in doc)) return [];
  const ix = index(doc.root);
  const out: SignatureVerdict[] = [];
  for (const [i, { sig, parent }] of ix.signatures.entries()) {
    if (i >= MAX_SIGNATURES) {
      out.push({
        path: sig.path,
        parentPath: parent.path,
        status: 'unverifiable',
        problems: ['malformed'],
        detail: `the message has ${ix.signatures.length} signatures; samlscope verifies the first ${MAX_SIGNATURES}`,
        references: [],
        keyInfoCertificates: [],
      });
      continue;
    }
    out.push(await verifySignature(sig, parent, ix, expected));
  }
  return out;
}

/** Raw `key=value` segments of a query string, first occurrence of each key, values as received. */
function rawSegments(qs: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of qs.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq);
    if (!m.has(k)) m.set(k, part.slice(eq + 1));
  }
  return m;
}

function percentDecode(v: string): string | undefined {
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
}

/** HTTP-Redirect binding signature, when the capture carries one (SigAlg / Signature in the query). */
export async function verifyRedirect(c: VerifiableCapture, expected: string[]): Promise<RedirectVerdict | undefined> {
  if (c.signature === undefined && c.sigAlg === undefined) return undefined;
  const v: RedirectVerdict = { status: 'unverifiable', problems: [] };
  if (c.sigAlg) v.sigAlg = c.sigAlg;
  if (!c.rawQuery) {
    v.problems.push('malformed');
    v.detail = 'the raw query string was not captured, so the signed octets cannot be rebuilt exactly';
    return v;
  }
  const seg = rawSegments(c.rawQuery);
  const param = c.param ?? (seg.has('SAMLResponse') ? 'SAMLResponse' : 'SAMLRequest');
  const value = seg.get(param);
  const sigAlgRaw = seg.get('SigAlg');
  const sigRaw = seg.get('Signature');
  if (value === undefined || sigAlgRaw === undefined || sigRaw === undefined) {
    v.problems.push('malformed');
    v.detail = `the query string lacks ${[value === undefined ? param : '', sigAlgRaw === undefined ? 'SigAlg' : '', sigRaw === undefined ? 'Signature' : ''].filter(Boolean).join(' and ')}`;
    return v;
  }
  const relay = seg.get('RelayState');
  v.signedString = `${param}=${value}${relay !== undefined ? `&RelayState=${relay}` : ''}&SigAlg=${sigAlgRaw}`;
  const sigAlg = percentDecode(sigAlgRaw) ?? sigAlgRaw;
  v.sigAlg = sigAlg;
  const alg = SIGNATURE_ALGORITHMS[sigAlg];
  if (!alg) {
    v.problems.push('unsupported-algorithm');
    v.detail = `SigAlg ${sigAlg} is not supported`;
    return v;
  }
  if (!expected.length) {
    v.problems.push('no-key');
    v.detail = 'a redirect signature carries no certificate, and no certificate of the sender is configured';
    return v;
  }
  // Not percent-decodable, not base64, or empty: said as such, not as a key that does not verify.
  const sigB64 = percentDecode(sigRaw);
  const sig = sigB64 === undefined ? undefined : base64ToBytes(sigB64);
  const cert = sig?.length ? await verifyWithAny(alg, expected, sig, utf8.encode(v.signedString)) : undefined;
  if (cert) {
    v.status = 'valid';
    v.signingCertificate = cert;
    v.keySource = 'expected';
  } else {
    v.status = 'invalid';
    v.problems.push('signature-value');
    // Why the parameter cannot be a signature (the verdict's word, the detail's words), decided once.
    const bad =
      sigB64 === undefined
        ? { what: 'not valid percent-encoding', said: 'not valid percent-encoding' }
        : !sig
          ? { what: 'not base64', said: 'not valid base64' }
          : !sig.length
            ? { what: 'empty', said: 'empty' }
            : undefined;
    if (bad) v.malformed = bad.what;
    v.detail = bad
      ? `the Signature parameter is ${bad.said}`
      : `the Signature does not verify over "${v.signedString.length > 120 ? `${v.signedString.slice(0, 60)}…${v.signedString.slice(-50)}` : v.signedString}" with ${expected.length === 1 ? 'the configured certificate' : `any of the ${expected.length} configured certificates`}`;
  }
  return v;
}

export interface VerifyOptions {
  /** Certificates to verify with when a signature carries none, and for redirect signatures (base64 or PEM). */
  certificates?: string[];
  /** The tree (XmlDocument) the analysis already parsed for a message, so it is not parsed again. */
  documentOf?: (m: VerifiableMessage) => unknown;
}

function normalized(list: string[] | undefined): string[] {
  return [...new Set((list ?? []).map((c) => normalizeCertificate(c)).filter((c): c is string => !!c))];
}

/** Verifies every readable message's signatures. Never throws: a failure becomes an unverifiable verdict. */
export async function verifyMessages(messages: readonly VerifiableMessage[], o: VerifyOptions = {}): Promise<SignatureVerdicts> {
  const expected = normalized(o.certificates);
  const out: SignatureVerdicts = {};
  for (const m of messages) {
    if (!m.ok || m.xml === undefined) continue;
    // From a redacted export: the verdict the original bytes gave (lib/evidence/recorded.ts);
    // the rewritten bytes cannot verify.
    const recorded = m.capture.recordedSignature;
    if (recorded) {
      out[m.id] = { ...recorded.verdict, messageId: m.id };
      continue;
    }
    const v: MessageVerdict = { messageId: m.id, signatures: [] };
    try {
      const d = o.documentOf?.(m);
      v.signatures = await verifyXmlSignatures(m.xml, expected, d && typeof d === 'object' && 'root' in d ? (d as XmlDocument) : undefined);
      const r = await verifyRedirect(m.capture, expected);
      if (r) v.redirect = r;
    } catch (e) {
      v.signatures = [];
      v.redirect = { status: 'unverifiable', problems: ['malformed'], detail: `verification failed: ${(e as Error)?.message ?? e}` };
    }
    out[m.id] = v;
  }
  return out;
}

/** The verifier analyze() takes: `analyze(input, { verifier: signatureVerifier })`. */
export const signatureVerifier: SignatureVerifier = { verify: verifyMessages };
