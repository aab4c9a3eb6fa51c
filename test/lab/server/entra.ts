// The Entra ID stand-in's SAML engine. Responses come from samlify's IdentityProvider (its
// createLoginResponse, signing with xml-crypto inside samlify), shaped like Entra through
// samlify's template options: an Entra-like loginResponseTemplate (unprefixed assertion
// namespace, Issuer https://sts.windows.net/<tenant>/, Entra claim names, AWS AccessControl
// claims) filled through customTagReplacement. The one defect samlify cannot make (no signature
// at all: it always signs the assertion or the message) comes from the repo's factory.
import { randomUUID } from 'node:crypto';
import { inflateRaw } from 'pako';
import { DOMParser } from '@xmldom/xmldom';
import { createRequire } from 'node:module';
import type { IdentityProviderInstance } from 'samlify';
import { CLAIM, LAB, URN, makeResponse, toPost } from '../factory.ts';
import type { TestKey } from '../keys.ts';
import { FOREIGN_ACS_URL, LAB_USER, signedInUser, type Defect, type LabInstance, type LabUser } from './scenarios.ts';

// samlify is CommonJS and Node's ESM loader does not see all of its named exports (SamlLib):
// load it through require so tsx, vitest and plain Node all get the same module object.
const samlify = createRequire(import.meta.url)('samlify') as typeof import('samlify');
const { IdentityProvider, ServiceProvider, SamlLib } = samlify;

export const ENTRA_ISSUER = `https://sts.windows.net/${LAB.tenantId}/`;
const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * An Entra-shaped login response template ({Tag} placeholders are samlify's). Entra writes the
 * Response with a samlp: prefix and everything inside the Assertion in the default namespace;
 * samlify inserts the ds:Signature after the Assertion's Issuer, where Entra puts it.
 */
const ENTRA_RESPONSE_TEMPLATE =
  '<samlp:Response ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' +
  '<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{Issuer}</Issuer>' +
  '<samlp:Status><samlp:StatusCode Value="{StatusCode}"/></samlp:Status>' +
  '<Assertion ID="{AssertionID}" IssueInstant="{IssueInstant}" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">' +
  '<Issuer>{Issuer}</Issuer>' +
  '<Subject><NameID Format="{NameIDFormat}">{NameID}</NameID>' +
  '<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData InResponseTo="{InResponseTo}" NotOnOrAfter="{SubjectConfirmationDataNotOnOrAfter}" Recipient="{SubjectRecipient}"/></SubjectConfirmation></Subject>' +
  '<Conditions NotBefore="{ConditionsNotBefore}" NotOnOrAfter="{ConditionsNotOnOrAfter}"><AudienceRestriction><Audience>{Audience}</Audience></AudienceRestriction></Conditions>' +
  '{AttributeStatement}' +
  '<AuthnStatement AuthnInstant="{AuthnInstant}" SessionIndex="{AssertionID}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement>' +
  '</Assertion></samlp:Response>';

/** Entra writes attributes without NameFormat or xsi:type. */
const ENTRA_ATTRIBUTE_TEMPLATE = '<Attribute Name="{Name}"><AttributeValue>{Value}</AttributeValue></Attribute>';
const ENTRA_ATTRIBUTE_STATEMENT_TEMPLATE = '<AttributeStatement>{Attributes}</AttributeStatement>';

interface Claim {
  name: string;
  /** samlify value tag: lower-case letters only, so samlify's tag is `attr` + Capitalised. */
  tag: string;
}

/** The claims of the lab's "AWS IAM Identity Center" enterprise app, in Entra's order. */
const CLAIMS: Claim[] = [
  { name: CLAIM.tenantId, tag: 'tenantid' },
  { name: CLAIM.objectId, tag: 'objectid' },
  { name: CLAIM.displayName, tag: 'displayname' },
  { name: CLAIM.idp, tag: 'identityprovider' },
  { name: CLAIM.authMethods, tag: 'authmethods' },
  { name: CLAIM.email, tag: 'emailaddress' },
  { name: CLAIM.givenName, tag: 'givenname' },
  { name: CLAIM.surname, tag: 'surname' },
  { name: CLAIM.name, tag: 'name' },
  { name: `${URN.accessControl}Department`, tag: 'department' },
  { name: `${URN.accessControl}CostCenter`, tag: 'costcenter' },
];

const attrTag = (tag: string) => `attr${tag.charAt(0).toUpperCase()}${tag.slice(1)}`;

/** A parsed AuthnRequest (HTTP-Redirect binding). */
export interface AuthnRequestInfo {
  id: string;
  issuer: string;
  acsUrl?: string;
  nameIdFormat?: string;
  xml: string;
}

/** Decodes a SAMLRequest query value (base64 of raw DEFLATE) and reads what Entra reads. */
export function decodeAuthnRequest(samlRequest: string): AuthnRequestInfo {
  const xml = inflateRaw(Buffer.from(samlRequest, 'base64'), { toText: true });
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'AuthnRequest') throw new Error('not an AuthnRequest');
  const child = (local: string) => {
    for (let n = root.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1 && (n as unknown as Element).localName === local) return n as unknown as Element;
    }
    return undefined;
  };
  const id = root.getAttribute('ID');
  if (!id) throw new Error('AuthnRequest without ID');
  return {
    id,
    issuer: child('Issuer')?.textContent?.trim() ?? '',
    acsUrl: root.getAttribute('AssertionConsumerServiceURL') ?? undefined,
    nameIdFormat: child('NameIDPolicy')?.getAttribute('Format') ?? undefined,
    xml,
  };
}

export interface ResponseRequest {
  /** The Identity Center instance the response is for (audience, default ACS). */
  sp: LabInstance;
  /** Where the form posts (the AuthnRequest's ACS, or the app's default Reply URL). */
  acsUrl: string;
  /** The AuthnRequest ID (SP-initiated); absent for IdP-initiated. */
  inResponseTo?: string;
  defect: Defect;
  /** The person at the keyboard (lab.setUser); default LAB_USER. */
  user?: LabUser;
  now?: Date;
}

export interface BuiltResponse {
  /** Base64, as posted in the SAMLResponse form field. */
  samlResponse: string;
  xml: string;
  source: 'samlify' | 'factory';
}

export interface EntraEngine {
  buildResponse(r: ResponseRequest): Promise<BuiltResponse>;
  /** Tenant federation metadata (samlify's IdP metadata). */
  metadata(): string;
}

export function createEntraEngine(key: TestKey): EntraEngine {
  const makeIdp = (claims: Claim[]) =>
    IdentityProvider({
      entityID: ENTRA_ISSUER,
      privateKey: key.privateKeyPem,
      signingCert: key.certPem,
      nameIDFormat: [URN.email],
      requestSignatureAlgorithm: URN.rsaSha256,
      wantAuthnRequestsSigned: false,
      singleSignOnService: [
        { Binding: REDIRECT_BINDING, Location: LAB.ssoUrl },
        { Binding: POST_BINDING, Location: LAB.ssoUrl },
      ],
      // Entra's metadata lists the same endpoint for sign-out (FACTS B1.4).
      singleLogoutService: [{ Binding: REDIRECT_BINDING, Location: LAB.ssoUrl }],
      loginResponseTemplate: {
        context: ENTRA_RESPONSE_TEMPLATE,
        attributes: claims.map((c) => ({ name: c.name, nameFormat: '', valueXsiType: '', valueTag: c.tag })),
        additionalTemplates: {
          attributeTemplate: { context: ENTRA_ATTRIBUTE_TEMPLATE },
          attributeStatementTemplate: { context: ENTRA_ATTRIBUTE_STATEMENT_TEMPLATE },
        },
      },
    });
  const idp = makeIdp(CLAIMS);
  // The misconfigured app: the AccessControl:CostCenter claim was never added.
  const idpWithoutCostCenter = makeIdp(CLAIMS.filter((c) => c.tag !== 'costcenter'));

  const spCache = new Map<string, ReturnType<typeof ServiceProvider>>();
  const samlifySp = (sp: LabInstance, acsUrl: string) => {
    const k = `${sp.entityId} ${acsUrl}`;
    let v = spCache.get(k);
    if (!v) {
      v = ServiceProvider({
        entityID: sp.entityId,
        wantAssertionsSigned: true,
        authnRequestsSigned: false,
        nameIDFormat: [URN.email],
        assertionConsumerService: [{ Binding: POST_BINDING, Location: acsUrl }],
      });
      spCache.set(k, v);
    }
    return v;
  };

  async function fromSamlify(r: ResponseRequest, i: IdentityProviderInstance): Promise<BuiltResponse> {
    const now = r.now ?? new Date();
    // "IdP clock 2 hours behind": every instant Entra writes is 2 h early.
    const t = r.defect === 'expired' ? new Date(now.getTime() - 2 * 3600e3) : now;
    const iso = (ms: number) => new Date(t.getTime() + ms).toISOString();
    // The Entra user who signed in (unprovisioned-user: another user, with a valid emailAddress NameID).
    const user = signedInUser(r.defect, r.user);
    const nameId = r.defect === 'nameid' ? user.mail : user.upn;
    const dest = r.defect === 'reply-url' ? FOREIGN_ACS_URL : r.acsUrl;
    const audience = r.defect === 'audience' ? `${r.sp.entityId}/` : r.sp.entityId;
    const values: Record<string, string | undefined> = {
      ID: undefined, // set below from samlify's generated id
      AssertionID: undefined,
      Destination: dest,
      InResponseTo: r.inResponseTo, // undefined: samlify drops the attribute (unsolicited response)
      Issuer: ENTRA_ISSUER,
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      IssueInstant: iso(0),
      NameIDFormat: URN.email,
      NameID: nameId,
      SubjectConfirmationDataNotOnOrAfter: iso(5 * 60e3),
      SubjectRecipient: dest,
      ConditionsNotBefore: iso(0),
      ConditionsNotOnOrAfter: iso(70 * 60e3), // FACTS A6.3
      Audience: audience,
      AuthnInstant: iso(-60e3),
      [attrTag('tenantid')]: LAB.tenantId,
      [attrTag('objectid')]: user.objectId,
      [attrTag('displayname')]: user.displayName,
      [attrTag('identityprovider')]: ENTRA_ISSUER,
      [attrTag('authmethods')]: 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
      [attrTag('emailaddress')]: r.defect === 'nameid' ? user.mail : user.upn,
      [attrTag('givenname')]: user.givenName,
      [attrTag('surname')]: user.surname,
      [attrTag('name')]: user.upn,
      [attrTag('department')]: user.department,
      [attrTag('costcenter')]: user.costCenter,
    };
    const genId = () => `_${randomUUID()}`;
    const result = await i.createLoginResponse(
      samlifySp(r.sp, r.acsUrl),
      { extract: { request: { id: r.inResponseTo ?? '' } } },
      'post',
      { email: nameId },
      {
        customTagReplacement: (template: string) => {
          const id = genId();
          const context = SamlLib.replaceTagsByValue(template, { ...values, ID: id, AssertionID: genId() });
          return { id, context };
        },
      },
    );
    const samlResponse = result.context;
    return { samlResponse, xml: Buffer.from(samlResponse, 'base64').toString('utf8'), source: 'samlify' };
  }

  return {
    async buildResponse(r) {
      if (r.defect === 'unsigned') {
        // samlify always signs something; the factory writes the same Entra shape unsigned.
        const xml = makeResponse({
          issueInstant: r.now ?? new Date(),
          destination: r.acsUrl,
          recipient: r.acsUrl,
          audience: r.sp.entityId,
          inResponseTo: r.inResponseTo ?? null,
          nameId: (r.user ?? LAB_USER).upn,
          accessControl: { Department: (r.user ?? LAB_USER).department, CostCenter: (r.user ?? LAB_USER).costCenter },
        });
        return { samlResponse: toPost(xml), xml, source: 'factory' };
      }
      return fromSamlify(r, r.defect === 'no-costcenter' ? idpWithoutCostCenter : idp);
    },
    metadata: () => idp.getMetadata(),
  };
}
