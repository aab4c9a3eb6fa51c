// The message factory: real Entra-shaped SAML messages, signed with a key generated in the
// test run (xml-crypto, exclusive C14N, enveloped signatures, as Entra signs).
// Every option defaults to a clean Entra → AWS IAM Identity Center sign-in.
import { deflateRaw } from 'pako';
import { SignedXml } from 'xml-crypto';
import { IDP_KEY, type TestKey } from './keys.ts';

export const LAB = {
  tenantId: '7f3c1b2a-1111-4a5b-9c8d-0123456789ab',
  region: 'eu-west-1',
  identityStoreId: 'd-93670a1b2c',
  acsTenantId: '3b5f8a2e-7c1d-4e9f-a0b6-5d4c3b2a1f0e',
  user: 'alex.morgan@contoso.com',
  get issuer() {
    return `https://sts.windows.net/${this.tenantId}/`;
  },
  get spEntityId() {
    return `https://${this.region}.signin.aws.amazon.com/platform/saml/${this.identityStoreId}`;
  },
  get acsUrl() {
    return `https://${this.region}.signin.aws.amazon.com/platform/saml/acs/${this.acsTenantId}`;
  },
  get portalUrl() {
    return `https://${this.identityStoreId}.awsapps.com/start`;
  },
  get ssoUrl() {
    return `https://login.microsoftonline.com/${this.tenantId}/saml2`;
  },
};

export const URN = {
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  accessControl: 'https://aws.amazon.com/SAML/Attributes/AccessControl:',
};

export const CLAIM = {
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  idp: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  authMethods: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
};

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const isoTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, (m) => (m === '.000Z' ? 'Z' : m));

let counter = 0;
export const samlId = () => `_${(++counter).toString(16).padStart(8, '0')}-${Math.random().toString(16).slice(2, 10)}-4c1e-9a7b-lab`;

export interface AttributeSpec {
  name: string;
  values: string[];
  nameFormat?: string;
  /** Raw XML inside each AttributeValue instead of escaped text. */
  rawXml?: boolean;
}

export interface ResponseOptions {
  /** The time the IdP issued it. Default: now. */
  issueInstant?: Date;
  tenantId?: string;
  /** Response Issuer (null to omit). Default https://sts.windows.net/<tenant>/. */
  issuer?: string | null;
  /** Assertion Issuer; defaults to the Response Issuer. */
  assertionIssuer?: string;
  responseId?: string;
  assertionId?: string;
  /** Response Destination (null to omit). Default LAB.acsUrl. */
  destination?: string | null;
  /** Response InResponseTo and SubjectConfirmationData InResponseTo (null/undefined: omitted). */
  inResponseTo?: string | null;
  /** Override only the SubjectConfirmationData InResponseTo. */
  scdInResponseTo?: string | null;
  /** SubjectConfirmationData Recipient (null to omit). Default LAB.acsUrl. */
  recipient?: string | null;
  /** SubjectConfirmationData NotOnOrAfter; default issueInstant + 5 min. */
  scdNotOnOrAfter?: Date | null;
  scdNotBefore?: Date;
  /** Audience(s) (null for no AudienceRestriction). Default LAB.spEntityId. */
  audience?: string | string[] | null;
  /** Conditions NotBefore (null to omit). Default issueInstant. */
  notBefore?: Date | null;
  /** Conditions NotOnOrAfter (null to omit). Default issueInstant + 70 min (Entra). */
  notOnOrAfter?: Date | null;
  /** NameID value (null for no NameID). Default LAB.user. */
  nameId?: string | null;
  /** NameID Format (null to omit). Default emailAddress. */
  nameIdFormat?: string | null;
  /** Raw XML for the NameID's content (for comment injection); overrides nameId. */
  nameIdRawContent?: string;
  /** Entra's default claims (tenant, object id, email, names...). Default true. */
  defaultClaims?: boolean;
  /** Overrides for the default claims' values. */
  email?: string;
  upn?: string;
  givenName?: string;
  surname?: string;
  attributes?: AttributeSpec[];
  /** AccessControl:{key} attributes, a value or several. */
  accessControl?: Record<string, string | string[]>;
  /** Number of group object-id claims. */
  groups?: number;
  status?: { code: string; subCode?: string; subSubCode?: string; message?: string };
  /** Leave the Assertion out (failed status). Default: present when status is Success. */
  assertion?: boolean;
  /** Add more (unsigned) copies of the assertion. */
  extraAssertions?: number;
  /** Replace the assertion with an EncryptedAssertion placeholder. */
  encrypted?: boolean;
  sessionNotOnOrAfter?: Date;
  authnContextClassRef?: string;
  /** How the SAML namespaces are written. Default 'entra'. */
  style?: 'entra' | 'saml2' | 'none';
}

function attrXml(a: AttributeSpec, p: string): string {
  const nf = a.nameFormat ? ` NameFormat="${esc(a.nameFormat)}"` : '';
  const vals = a.values.map((v) => `<${p}AttributeValue>${a.rawXml ? v : esc(v)}</${p}AttributeValue>`).join('');
  return `<${p}Attribute Name="${esc(a.name)}"${nf}>${vals}</${p}Attribute>`;
}

/** A SAML Response XML string, unsigned. Sign it with sign(). */
export function makeResponse(o: ResponseOptions = {}): string {
  const t = o.issueInstant ?? new Date();
  const tenant = o.tenantId ?? LAB.tenantId;
  const issuer = o.issuer === undefined ? `https://sts.windows.net/${tenant}/` : o.issuer;
  const aIssuer = o.assertionIssuer ?? issuer ?? `https://sts.windows.net/${tenant}/`;
  const style = o.style ?? 'entra';
  // p: protocol prefix, a: assertion prefix (inside the assertion), ns decls per style.
  const pp = style === 'none' ? '' : 'samlp:';
  const rootNs = style === 'none' ? '' : ' xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"' + (style === 'saml2' ? ' xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"' : '');
  const ap = style === 'saml2' ? 'saml2:' : '';
  const issuerNs = style === 'entra' ? ' xmlns="urn:oasis:names:tc:SAML:2.0:assertion"' : '';
  const assertionNs = style === 'entra' ? ' xmlns="urn:oasis:names:tc:SAML:2.0:assertion"' : '';
  const status = o.status ?? { code: URN.success };
  const ok = status.code === URN.success;
  const includeAssertion = o.assertion ?? ok;
  const respId = o.responseId ?? samlId();
  const asId = o.assertionId ?? samlId();
  const irt = o.inResponseTo ?? undefined;
  const scdIrt = o.scdInResponseTo === undefined ? irt : (o.scdInResponseTo ?? undefined);

  let statusXml = `<${pp}Status><${pp}StatusCode Value="${esc(status.code)}">`;
  if (status.subCode) {
    statusXml += `<${pp}StatusCode Value="${esc(status.subCode)}">`;
    if (status.subSubCode) statusXml += `<${pp}StatusCode Value="${esc(status.subSubCode)}"/>`;
    statusXml += `</${pp}StatusCode>`;
  }
  statusXml += `</${pp}StatusCode>`;
  if (status.message) statusXml += `<${pp}StatusMessage>${esc(status.message)}</${pp}StatusMessage>`;
  statusXml += `</${pp}Status>`;

  let assertion = '';
  if (includeAssertion) {
    const attrs: AttributeSpec[] = [];
    const upn = o.upn ?? (o.nameId && !o.nameId.includes('#EXT#') ? o.nameId : LAB.user);
    if (o.defaultClaims ?? true) {
      attrs.push(
        { name: CLAIM.tenantId, values: [tenant] },
        { name: CLAIM.objectId, values: ['5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f'] },
        { name: CLAIM.displayName, values: ['Alex Morgan'] },
        { name: CLAIM.idp, values: [`https://sts.windows.net/${tenant}/`] },
        { name: CLAIM.authMethods, values: ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'] },
        { name: CLAIM.email, values: [o.email ?? upn] },
        { name: CLAIM.givenName, values: [o.givenName ?? 'Alex'] },
        { name: CLAIM.surname, values: [o.surname ?? 'Morgan'] },
        { name: CLAIM.name, values: [upn] },
      );
    }
    if (o.groups) {
      attrs.push({
        name: CLAIM.groups,
        values: Array.from({ length: o.groups }, (_, i) => `0b7c${i.toString(16).padStart(4, '0')}-1a2b-4c3d-8e9f-0a1b2c3d4e5f`),
      });
    }
    for (const [k, v] of Object.entries(o.accessControl ?? {})) {
      attrs.push({ name: `${URN.accessControl}${k}`, values: Array.isArray(v) ? v : [v] });
    }
    attrs.push(...(o.attributes ?? []));

    const nameIdContent = o.nameIdRawContent ?? (o.nameId === null ? null : esc(o.nameId ?? LAB.user));
    const fmt = o.nameIdFormat === null ? '' : ` Format="${esc(o.nameIdFormat ?? URN.email)}"`;
    const nameId = nameIdContent === null ? '' : `<${ap}NameID${fmt}>${nameIdContent}</${ap}NameID>`;
    const scdAttrs = [
      scdIrt ? ` InResponseTo="${esc(scdIrt)}"` : '',
      o.scdNotBefore ? ` NotBefore="${isoTime(o.scdNotBefore)}"` : '',
      o.scdNotOnOrAfter === null ? '' : ` NotOnOrAfter="${isoTime(o.scdNotOnOrAfter ?? new Date(t.getTime() + 5 * 60e3))}"`,
      o.recipient === null ? '' : ` Recipient="${esc(o.recipient ?? LAB.acsUrl)}"`,
    ].join('');
    const audiences = o.audience === null ? [] : Array.isArray(o.audience) ? o.audience : [o.audience ?? LAB.spEntityId];
    const nb = o.notBefore === null ? '' : ` NotBefore="${isoTime(o.notBefore ?? t)}"`;
    const noa = o.notOnOrAfter === null ? '' : ` NotOnOrAfter="${isoTime(o.notOnOrAfter ?? new Date(t.getTime() + 70 * 60e3))}"`;
    const audXml = audiences.length
      ? `<${ap}AudienceRestriction>${audiences.map((a) => `<${ap}Audience>${esc(a)}</${ap}Audience>`).join('')}</${ap}AudienceRestriction>`
      : '';
    const sessionEnd = o.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${isoTime(o.sessionNotOnOrAfter)}"` : '';
    const body =
      `<${ap}Issuer>${esc(aIssuer)}</${ap}Issuer>` +
      `<${ap}Subject>${nameId}<${ap}SubjectConfirmation Method="${URN.bearer}"><${ap}SubjectConfirmationData${scdAttrs}/></${ap}SubjectConfirmation></${ap}Subject>` +
      `<${ap}Conditions${nb}${noa}>${audXml}</${ap}Conditions>` +
      (attrs.length ? `<${ap}AttributeStatement>${attrs.map((a) => attrXml(a, ap)).join('')}</${ap}AttributeStatement>` : '') +
      `<${ap}AuthnStatement AuthnInstant="${isoTime(new Date(t.getTime() - 60e3))}" SessionIndex="${asId}"${sessionEnd}><${ap}AuthnContext><${ap}AuthnContextClassRef>${esc(o.authnContextClassRef ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password')}</${ap}AuthnContextClassRef></${ap}AuthnContext></${ap}AuthnStatement>`;
    const one = (id: string) => `<${ap}Assertion ID="${id}" IssueInstant="${isoTime(t)}" Version="2.0"${assertionNs}>${body}</${ap}Assertion>`;
    if (o.encrypted) {
      assertion =
        `<${ap}EncryptedAssertion${assertionNs}><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">` +
        `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/><xenc:CipherData><xenc:CipherValue>bGFiLWNpcGhlcnRleHQ=</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></${ap}EncryptedAssertion>`;
    } else {
      assertion = one(asId);
      for (let i = 0; i < (o.extraAssertions ?? 0); i++) assertion += one(samlId());
    }
  }

  const dest = o.destination === null ? '' : ` Destination="${esc(o.destination ?? LAB.acsUrl)}"`;
  const irtAttr = irt ? ` InResponseTo="${esc(irt)}"` : '';
  const issuerXml = issuer === null ? '' : `<${ap}Issuer${issuerNs}>${esc(issuer)}</${ap}Issuer>`;
  return `<${pp}Response ID="${respId}" Version="2.0" IssueInstant="${isoTime(t)}"${dest}${irtAttr}${rootNs}>${issuerXml}${statusXml}${assertion}</${pp}Response>`;
}

export interface AuthnRequestOptions {
  id?: string;
  issueInstant?: Date;
  issuer?: string;
  acsUrl?: string | null;
  destination?: string;
  nameIdFormat?: string | null;
  forceAuthn?: boolean;
}

/** An AuthnRequest as Identity Center sends it (unsigned, HTTP-Redirect). */
export function makeAuthnRequest(o: AuthnRequestOptions = {}): string {
  const id = o.id ?? samlId();
  const acs = o.acsUrl === null ? '' : ` AssertionConsumerServiceURL="${esc(o.acsUrl ?? LAB.acsUrl)}"`;
  const pol = o.nameIdFormat === null ? '' : `<saml2p:NameIDPolicy Format="${esc(o.nameIdFormat ?? URN.email)}"/>`;
  const force = o.forceAuthn ? ' ForceAuthn="true"' : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"${acs} Destination="${esc(o.destination ?? LAB.ssoUrl)}"${force} ID="${id}" IssueInstant="${isoTime(o.issueInstant ?? new Date())}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">${esc(o.issuer ?? LAB.spEntityId)}</saml2:Issuer>${pol}</saml2p:AuthnRequest>`
  );
}

export interface LogoutRequestOptions {
  /** NameID value (null for none). Default LAB.user. */
  nameId?: string | null;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  issuer?: string;
  destination?: string;
}

/** A LogoutRequest (SAML Core §3.7.1), unsigned, from Identity Center to Entra by default. */
export function makeLogoutRequest(o: LogoutRequestOptions = {}): string {
  const noa = o.notOnOrAfter ? ` NotOnOrAfter="${isoTime(o.notOnOrAfter)}"` : '';
  const nid = o.nameId === null ? '' : `<saml:NameID Format="${URN.email}">${esc(o.nameId ?? LAB.user)}</saml:NameID>`;
  return (
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${samlId()}" Version="2.0" ` +
    `IssueInstant="${isoTime(o.issueInstant ?? new Date())}"${noa} Destination="${esc(o.destination ?? LAB.ssoUrl)}">` +
    `<saml:Issuer>${esc(o.issuer ?? LAB.spEntityId)}</saml:Issuer>${nid}<samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>`
  );
}

export interface SignOptions {
  /** What to sign. Default 'assertion' (Entra's default). */
  target?: 'assertion' | 'response' | 'both';
  algorithm?: 'sha256' | 'sha1';
  key?: TestKey;
}

function signOne(xml: string, xpath: string, location: string, o: SignOptions): string {
  const key = o.key ?? IDP_KEY;
  const sha1 = o.algorithm === 'sha1';
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certPem,
    signatureAlgorithm: sha1 ? URN.rsaSha1 : URN.rsaSha256,
    canonicalizationAlgorithm: URN.excC14n,
  });
  sig.addReference({ xpath, digestAlgorithm: sha1 ? URN.sha1 : URN.sha256, transforms: [URN.enveloped, URN.excC14n] });
  sig.computeSignature(xml, { location: { reference: location, action: 'after' } });
  return sig.getSignedXml();
}

/** Signs the Assertion, the Response, or both (assertion first), placing ds:Signature after Issuer. */
export function sign(xml: string, o: SignOptions = {}): string {
  const target = o.target ?? 'assertion';
  let out = xml;
  if (target === 'assertion' || target === 'both') {
    out = signOne(out, "(//*[local-name(.)='Assertion'])[1]", "(//*[local-name(.)='Assertion'])[1]/*[local-name(.)='Issuer']", o);
  }
  if (target === 'response' || target === 'both') {
    out = signOne(out, '/*', "/*/*[local-name(.)='Issuer']", o);
  }
  return out;
}

/** HTTP-POST form value: base64 of the XML. */
export function toPost(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** HTTP-Redirect query value: URL-encoded base64 of raw DEFLATE. */
export function toRedirect(xml: string): string {
  return encodeURIComponent(Buffer.from(deflateRaw(new TextEncoder().encode(xml))).toString('base64'));
}

/** A signed, clean Entra response for the lab tenant, ready to post. */
export function signedResponse(o: ResponseOptions = {}, s: SignOptions = {}): string {
  return sign(makeResponse(o), s);
}
