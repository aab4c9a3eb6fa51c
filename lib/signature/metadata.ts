// SAML metadata as the two sides publish it: Entra's federation metadata (the IdP: entity ID,
// signing certificates, sign-in URL) and AWS IAM Identity Center's SP metadata (entity ID, ACS
// URL). Imported, they fill the expectations; compared with captured traffic, they say where the
// two disagree. Pure and synchronous (the options page reads files as they are chosen).
import type { Expectations } from '../domain/expectations.ts';
import { NS, type SamlMessage } from '../saml/model.ts';
import { AGAIN, attr, directText, parseXml, type XElement } from '../saml/xml.ts';
import { certLabel } from './signers.ts';
import { describeCertificate, isCertificateError } from './cert.ts';
import type { SignatureVerdicts } from './types.ts';

export const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
/** AWS refuses IdP metadata files above this many characters (FACTS A2.3). */
export const AWS_IDP_METADATA_MAX_CHARS = 75000;
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export interface Endpoint {
  binding: string;
  location: string;
  index?: number;
  isDefault?: boolean;
}

export interface IdpMetadata {
  kind: 'idp';
  entityId?: string;
  /** Base64 DER of each signing certificate (KeyDescriptor use="signing" or no use), in order. */
  signingCertificates: string[];
  ssoUrls: Endpoint[];
  /** Things AWS or a reader should know about the file (size, encryption keys, missing parts). */
  warnings: string[];
  size: number;
}

export interface SpMetadata {
  kind: 'sp';
  entityId?: string;
  acsUrls: Endpoint[];
  nameIdFormats: string[];
  wantAssertionsSigned?: string;
  authnRequestsSigned?: string;
  signingCertificates: string[];
  warnings: string[];
  size: number;
}

export type Metadata = IdpMetadata | SpMetadata;

export interface MetadataError {
  ok: false;
  message: string;
}

export function isMetadataError(x: unknown): x is MetadataError {
  return !!x && typeof x === 'object' && (x as MetadataError).ok === false;
}

// Metadata is read by namespace URI only: an element is metadata's (or XML Signature's) when its
// namespace is, whatever its prefix, and an element of another namespace that happens to share
// the local name (or one written without any namespace) is not read as metadata (issue 17).
function childrenNamed(el: XElement, ns: string, local: string): XElement[] {
  const out: XElement[] = [];
  for (const c of el.children) if (c.kind === 'element' && c.local === local && c.ns === ns) out.push(c);
  return out;
}

function child(el: XElement, ns: string, local: string): XElement | undefined {
  return childrenNamed(el, ns, local)[0];
}

function descendants(el: XElement, ns: string, local: string, out: XElement[] = []): XElement[] {
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    if (c.local === local && c.ns === ns) out.push(c);
    descendants(c, ns, local, out);
  }
  return out;
}

function certificatesOf(role: XElement): string[] {
  const out: string[] = [];
  for (const kd of childrenNamed(role, MD_NS, 'KeyDescriptor')) {
    const use = attr(kd, 'use');
    if (use && use !== 'signing') continue;
    for (const x of descendants(kd, NS.ds, 'X509Certificate')) {
      const b = directText(x).replace(/\s+/g, '');
      if (b && !out.includes(b)) out.push(b);
    }
  }
  return out;
}

function endpoints(role: XElement, local: string): Endpoint[] {
  return childrenNamed(role, MD_NS, local).map((e) => {
    const ep: Endpoint = { binding: attr(e, 'Binding') ?? '', location: attr(e, 'Location') ?? '' };
    const idx = attr(e, 'index');
    if (idx !== undefined && /^\d+$/.test(idx)) ep.index = Number(idx);
    const def = attr(e, 'isDefault');
    if (def !== undefined) ep.isDefault = def === 'true' || def === '1';
    return ep;
  });
}

function entity(root: XElement): XElement | undefined {
  if (root.ns !== MD_NS) return undefined;
  if (root.local === 'EntityDescriptor') return root;
  if (root.local === 'EntitiesDescriptor') return descendants(root, MD_NS, 'EntityDescriptor')[0];
  return undefined;
}

function notMetadata(root: XElement): string {
  const named = root.local === 'EntityDescriptor' || root.local === 'EntitiesDescriptor';
  if (named && root.ns !== MD_NS) {
    return `This is not SAML metadata: the root element <${root.name}> is in the namespace ${root.ns ? `"${root.ns}"` : '(none)'}, not SAML metadata's ${MD_NS}.`;
  }
  if (root.local === 'EntitiesDescriptor') return 'The metadata is an EntitiesDescriptor with no EntityDescriptor in the SAML metadata namespace.';
  return `This is not SAML metadata: the root element is <${root.name}>, not <EntityDescriptor>.`;
}

/** Reads SAML metadata; `expect` says which side the person meant, for a clear error. Never throws. */
export function parseMetadata(xml: string, expect?: 'idp' | 'sp'): Metadata | MetadataError {
  const text = xml.replace(/^\uFEFF/, '');
  const doc = parseXml(text);
  // The reader's advice is for a captured message; for a metadata file, it is the file itself.
  if (!('root' in doc)) return { ok: false, message: `The metadata is not readable XML: ${doc.message.replace(` ${AGAIN}`, '')} Download the metadata file again (Entra's App Federation Metadata, AWS's IAM Identity Center SAML metadata) rather than copying its text.` };
  const ed = entity(doc.root);
  if (!ed) return { ok: false, message: notMetadata(doc.root) };
  const idp = child(ed, MD_NS, 'IDPSSODescriptor');
  const sp = child(ed, MD_NS, 'SPSSODescriptor');
  const entityId = attr(ed, 'entityID');
  const size = text.length;
  const want = expect ?? (idp ? 'idp' : 'sp');
  if (want === 'idp') {
    if (!idp) {
      return {
        ok: false,
        message: sp
          ? 'This is a service provider\'s metadata (it has SPSSODescriptor), not Entra\'s federation metadata: import it as the AWS SP metadata.'
          : 'The metadata has no IDPSSODescriptor: it is not an identity provider\'s federation metadata.',
      };
    }
    const m: IdpMetadata = { kind: 'idp', signingCertificates: certificatesOf(idp), ssoUrls: endpoints(idp, 'SingleSignOnService'), warnings: [], size };
    if (entityId) m.entityId = entityId;
    if (!entityId) m.warnings.push('The metadata has no entityID; AWS requires one.');
    if (!m.signingCertificates.length) m.warnings.push('The metadata holds no signing certificate; AWS requires one.');
    if (!m.ssoUrls.length) m.warnings.push('The metadata has no SingleSignOnService (sign-in URL); AWS requires one.');
    if (childrenNamed(idp, MD_NS, 'KeyDescriptor').some((k) => attr(k, 'use') === 'encryption')) {
      m.warnings.push('The metadata has an encryption key (KeyDescriptor use="encryption"); AWS IAM Identity Center does not support one in IdP metadata.');
    }
    if (size > AWS_IDP_METADATA_MAX_CHARS) {
      m.warnings.push(`The file has ${size} characters; AWS IAM Identity Center takes IdP metadata of at most ${AWS_IDP_METADATA_MAX_CHARS} characters.`);
    }
    return m;
  }
  if (!sp) {
    return {
      ok: false,
      message: idp
        ? 'This is an identity provider\'s metadata (it has IDPSSODescriptor), not AWS\'s SP metadata: import it as the Entra federation metadata.'
        : 'The metadata has no SPSSODescriptor: it is not a service provider\'s metadata.',
    };
  }
  const m: SpMetadata = {
    kind: 'sp',
    acsUrls: endpoints(sp, 'AssertionConsumerService'),
    nameIdFormats: childrenNamed(sp, MD_NS, 'NameIDFormat').map((n) => directText(n).trim()),
    signingCertificates: certificatesOf(sp),
    warnings: [],
    size,
  };
  if (entityId) m.entityId = entityId;
  const was = attr(sp, 'WantAssertionsSigned');
  if (was !== undefined) m.wantAssertionsSigned = was;
  const ars = attr(sp, 'AuthnRequestsSigned');
  if (ars !== undefined) m.authnRequestsSigned = ars;
  if (!entityId) m.warnings.push('The metadata has no entityID.');
  if (!m.acsUrls.length) m.warnings.push('The metadata has no AssertionConsumerService (ACS URL).');
  return m;
}

/** The ACS URL the SP wants by default: isDefault, else the lowest index, else the first; HTTP-POST preferred. */
export function defaultAcs(m: SpMetadata): Endpoint | undefined {
  const post = m.acsUrls.filter((a) => a.binding === POST);
  const list = post.length ? post : m.acsUrls;
  return list.find((a) => a.isDefault) ?? [...list].sort((a, b) => (a.index ?? 1e9) - (b.index ?? 1e9))[0];
}

/** Expectations filled from imported metadata, with where each value came from. */
export function metadataExpectations(idp?: { metadata: IdpMetadata; name: string }, sp?: { metadata: SpMetadata; name: string }): Expectations {
  const e: Expectations = {};
  const sources: NonNullable<Expectations['sources']> = {};
  if (idp) {
    const src = `the Entra federation metadata (${idp.name})`;
    if (idp.metadata.entityId) {
      e.idpEntityId = idp.metadata.entityId;
      sources.idpEntityId = src;
    }
    if (idp.metadata.signingCertificates.length) {
      e.idpCertificates = idp.metadata.signingCertificates;
      sources.idpCertificates = src;
    }
  }
  if (sp) {
    const src = `the AWS SP metadata (${sp.name})`;
    if (sp.metadata.entityId) {
      e.spEntityId = sp.metadata.entityId;
      sources.spEntityId = src;
    }
    const acs = defaultAcs(sp.metadata);
    if (acs?.location) {
      e.acsUrl = acs.location;
      sources.acsUrl = src;
    }
  }
  if (Object.keys(sources).length) e.sources = sources;
  return e;
}

export interface Disagreement {
  /** What was compared, e.g. "signing certificate". */
  subject: string;
  /** The sentence for people: "Entra signs with certificate A; the metadata you gave holds B". */
  text: string;
  /** The id of the message it was seen in. */
  messageId: string;
}

/**
 * Where the captured traffic disagrees with imported metadata: who signs, with which
 * certificate, for which entity, to which URLs. One line per distinct disagreement.
 */
export function compareWithTraffic(
  result: { messages: readonly { id: string; capture: { url?: string | undefined }; model?: SamlMessage | undefined }[]; verdicts?: SignatureVerdicts },
  idp?: { metadata: IdpMetadata; name: string },
  sp?: { metadata: SpMetadata; name: string },
): Disagreement[] {
  const out: Disagreement[] = [];
  const seen = new Set<string>();
  const add = (d: Disagreement) => {
    const k = `${d.subject}|${d.text}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  };
  for (const msg of result.messages) {
    const m = msg.model;
    if (!m) continue;
    if (m.kind === 'Response' && idp) {
      const md = idp.metadata;
      const issuer = m.issuer?.value ?? m.assertions[0]?.issuer?.value;
      if (md.entityId && issuer && issuer !== md.entityId) {
        add({ subject: 'IdP entity ID', messageId: msg.id, text: `Entra issues as ${issuer}; the metadata you gave (${idp.name}) is for ${md.entityId}.` });
      }
      const v = result.verdicts?.[msg.id];
      const sigs = [...m.signatures, ...(m.assertions[0]?.signatures ?? [])];
      for (const s of sigs) {
        const verdict = v?.signatures.find((x) => x.path === s.path);
        const cert = verdict?.signingCertificate ?? s.certificates[0];
        if (!cert || md.signingCertificates.includes(cert)) continue;
        const held = md.signingCertificates.length ? md.signingCertificates.map(certLabel).join('; ') : 'no signing certificate';
        add({
          subject: 'signing certificate',
          messageId: msg.id,
          text: `Entra signs with certificate ${certLabel(cert)}; the metadata you gave (${idp.name}) holds ${held}.`,
        });
      }
    }
    if (m.kind === 'AuthnRequest' && idp && idp.metadata.ssoUrls.length) {
      const where = msg.capture.url ?? m.destination;
      const urls = idp.metadata.ssoUrls.map((u) => u.location);
      if (where && !urls.some((u) => u.split('?')[0] === where.split('?')[0])) {
        add({ subject: 'IdP sign-in URL', messageId: msg.id, text: `AWS sends the AuthnRequest to ${where}; the metadata you gave (${idp.name}) names ${[...new Set(urls)].join(', ')}.` });
      }
    }
    if (sp) {
      const md = sp.metadata;
      const acsList = md.acsUrls.map((a) => a.location);
      if (m.kind === 'Response') {
        const a = m.assertions[0];
        for (const aud of a?.conditions?.audiences ?? []) {
          if (md.entityId && aud.value !== md.entityId) {
            add({ subject: 'SP entity ID', messageId: msg.id, text: `Entra sends the assertion for audience ${aud.value}; the AWS SP metadata you gave (${sp.name}) has entity ID ${md.entityId}.` });
          }
        }
        const recipients = (a?.subjectConfirmations ?? []).map((c) => c.data?.recipient).filter((r): r is string => !!r);
        for (const r of [m.destination, ...recipients]) {
          if (r && acsList.length && !acsList.includes(r)) {
            add({ subject: 'ACS URL', messageId: msg.id, text: `Entra posts the response to ${r}; the AWS SP metadata you gave (${sp.name}) lists ${acsList.join(', ')}.` });
          }
        }
      }
      if (m.kind === 'AuthnRequest') {
        if (md.entityId && m.issuer?.value && m.issuer.value !== md.entityId) {
          add({ subject: 'SP entity ID', messageId: msg.id, text: `AWS sends AuthnRequests as ${m.issuer.value}; the AWS SP metadata you gave (${sp.name}) has entity ID ${md.entityId}.` });
        }
        if (m.acsUrl && acsList.length && !acsList.includes(m.acsUrl)) {
          add({ subject: 'ACS URL', messageId: msg.id, text: `AWS asks for the response at ${m.acsUrl}; the AWS SP metadata you gave (${sp.name}) lists ${acsList.join(', ')}.` });
        }
      }
    }
  }
  return out;
}

/** "CN=… (SHA-1 …), valid to …" for each certificate of imported metadata. */
export function describeMetadataCertificates(certs: string[]): string[] {
  return certs.map((c) => {
    const i = describeCertificate(c);
    return isCertificateError(i) ? `unreadable certificate: ${i.message}` : certLabel(c) + (i.notAfter ? `, valid to ${i.notAfter.toISOString().slice(0, 10)}` : '');
  });
}
