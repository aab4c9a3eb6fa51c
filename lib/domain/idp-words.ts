// "Entra" only when the identity provider is Entra (issue 12, "Words that never contradict").
// The checks speak Entra by default, because the tool is built for Entra → IAM Identity Center,
// and name Entra's click paths (console.ts). When the message shows another identity provider
// (ADFS, Okta, Shibboleth, Keycloak…), every finding is put in general identity-provider terms:
// Entra's click paths become the matching place in "the identity provider's configuration", the
// word Entra becomes "the identity provider", and sentences about AADSTS codes (Entra's own error
// codes) are left out. One place, applied by the checks' runner to every finding (so no check can
// forget) and by lib/flow to the findings it builds of a whole attempt; domain knowledge, so both
// layers read it.
import type { SamlMessage } from '../saml/model.ts';
import type { Finding } from '../types.ts';
import {
  ENTRA_APP,
  ENTRA_BASIC_SAML,
  ENTRA_CERT,
  ENTRA_CLAIMS,
  ENTRA_FEDERATION_METADATA,
  ENTRA_NAMEID,
  ENTRA_NAMEID_CONDITIONS,
  ENTRA_NAMEID_FORMAT,
  ENTRA_NAMEID_SOURCE,
  ENTRA_NEW_APP,
  ENTRA_NEW_CERT,
  ENTRA_PROVISIONING,
  ENTRA_PROVISIONING_USER_MAPPINGS,
  ENTRA_REPLY_URL,
  ENTRA_SIGNIN_LOGS,
  ENTRA_SIGNING_ALGORITHM,
  ENTRA_SIGNING_OPTION,
  ENTRA_SSO,
  ENTRA_TOKEN_ENCRYPTION,
  ENTRA_USERS_GROUPS,
} from './console.ts';

/** Entra's SAML issuers: v1 (sts.windows.net, FACTS B1.1) and the v2.0 form, in the public and national clouds. */
const ENTRA_ISSUER_RE =
  /^https:\/\/(?:sts\.windows\.net|sts\.chinacloudapi\.cn|login\.microsoftonline\.(?:com|us)|login\.partner\.microsoftonline\.cn)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/(?:v2\.0\/?)?$/i;
/** Where Entra receives AuthnRequests and LogoutRequests (FACTS B1.4), public and national clouds. */
const ENTRA_HOST_RE = /^(?:login\.microsoftonline\.(?:com|us)|login\.microsoft\.com|login\.windows\.net|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn)$/i;
/** Identity Center's and plain IAM's entity ids: the sender is AWS, not an identity provider. */
const AWS_SENDER_RE = /^(?:https:\/\/[a-z0-9.-]*signin\.aws(?:\.amazon\.com)?\/|urn:amazon:webservices)/i;

export function isEntraIssuer(issuer: string | undefined): boolean {
  return !!issuer && ENTRA_ISSUER_RE.test(issuer.trim());
}

function hostOfUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  const m = /^https?:\/\/([^/?#:]+)/i.exec(u.trim());
  return m?.[1];
}

/** What idpIsEntra reads besides the message: where it was sent, the configured IdP entity ID (when set). */
export function idpHints(url: string | undefined, idpEntityId: string | undefined): { url?: string; idpEntityId?: string } {
  const o: { url?: string; idpEntityId?: string } = {};
  if (url) o.url = url;
  if (idpEntityId) o.idpEntityId = idpEntityId;
  return o;
}

function addIssuer(list: string[], x: string | undefined): void {
  if (!!x && x.trim() !== '') list.push(x);
}

function goesToEntra(u: string | undefined): boolean {
  const h = hostOfUrl(u);
  return !!h && ENTRA_HOST_RE.test(h);
}

/**
 * Is the identity provider of this message Entra? A message from the identity provider (a Response,
 * or a logout message it issued) is judged by its Issuer; a message AWS sends to the identity
 * provider (an AuthnRequest, or a logout message issued by AWS) by where it goes. A message that
 * says nothing either way (no Issuer, no address) is not called Entra's.
 */
export function idpIsEntra(m: SamlMessage, o: { url?: string; idpEntityId?: string } = {}): boolean {
  const issuers: string[] = [];
  addIssuer(issuers, m.issuer?.value);
  if (m.kind === 'Response') for (const a of m.assertions) addIssuer(issuers, a.issuer?.value);
  const fromSp = m.kind === 'AuthnRequest' || (issuers.length > 0 && issuers.every((i) => AWS_SENDER_RE.test(i.trim())));
  if (fromSp) return goesToEntra(o.url) || goesToEntra(m.destination);
  if (issuers.length) return issuers.some(isEntraIssuer);
  return isEntraIssuer(o.idpEntityId);
}

const APP = "the identity provider's configuration of the AWS IAM Identity Center application";

/** Entra's click paths and what they are called anywhere else; the longest first (they nest). */
const GENERIC_PATHS: [string, string][] = (
  [
    [ENTRA_PROVISIONING_USER_MAPPINGS, `${APP} → user provisioning (SCIM) → the user attribute mappings`],
    [ENTRA_PROVISIONING, `${APP} → user provisioning (SCIM)`],
    [ENTRA_NAMEID_FORMAT, `${APP} → the NameID (subject) → its format: Email address`],
    [ENTRA_NAMEID_SOURCE, `${APP} → the NameID (subject) → the user attribute it is taken from`],
    [ENTRA_NAMEID_CONDITIONS, `${APP} → the NameID (subject) → its rules per kind of user`],
    [ENTRA_NAMEID, `${APP} → the NameID (subject)`],
    [ENTRA_REPLY_URL, `${APP} → the ACS (reply) URL it posts responses to`],
    [ENTRA_SIGNING_OPTION, `${APP} → what it signs (the assertion, the response, or both)`],
    [ENTRA_SIGNING_ALGORITHM, `${APP} → the signing algorithm`],
    [ENTRA_NEW_CERT, `${APP} → create a new signing certificate and make it the active one`],
    [ENTRA_FEDERATION_METADATA, "the identity provider's SAML metadata for the AWS IAM Identity Center application"],
    [ENTRA_CERT, `${APP} → the signing certificate`],
    [ENTRA_TOKEN_ENCRYPTION, `${APP} → assertion encryption`],
    [ENTRA_BASIC_SAML, `${APP} → its SAML settings (the SP entity ID / audience and the ACS URL)`],
    [ENTRA_CLAIMS, `${APP} → the attributes (claims) it sends`],
    [ENTRA_USERS_GROUPS, `${APP} → the users and groups assigned to it`],
    [ENTRA_SSO, `${APP} → its SAML single sign-on settings`],
    [ENTRA_NEW_APP, "the identity provider's application catalogue → add an application for AWS IAM Identity Center"],
    [ENTRA_APP, APP],
    [ENTRA_SIGNIN_LOGS, "the identity provider's sign-in logs"],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

function entraWordsToIdp(s: string): string {
  return s
    .replace(/\b(?:([Tt])he )?(?:Microsoft )?Entra(?: ID)? admin center\b/g, (_m, t: string | undefined) => `${t ?? 't'}he identity provider's administration`)
    // "the identity provider's app's Sign-on URL" is clumsy: the setting comes first.
    .replace(/\b([Tt])he (?:Microsoft )?Entra(?: ID)? app's (Sign-on URL|default Reply URL|Reply URLs|Reply URL|Identifier)\b/g, "$1he $2 of the AWS app in the identity provider")
    .replace(/\b([Tt])he (?:Microsoft )?Entra(?: ID)? app's\b/g, "$1he identity provider app's")
    .replace(/\b([Tt])he (?:Microsoft )?Entra(?: ID)? app\b/g, "$1he identity provider's app")
    .replace(/\b([Tt])he (?:Microsoft )?Entra(?: ID)?\b/g, '$1he identity provider')
    .replace(/\ban (?:Microsoft )?Entra(?: ID)?\b/g, 'an identity provider')
    .replace(/\b(?:Microsoft )?Entra(?: ID)?\b/g, 'the identity provider');
}

function capitalise(s: string): string {
  return s.replace(/(^|[.!?]\s+|\n)the identity provider/g, (_m, p: string) => `${p}The identity provider`);
}

/**
 * A text of a finding in general identity-provider terms; nothing changes in a text without
 * Entra. Entra's click paths become the same place in any IdP's configuration. The first sentence
 * (what was found) keeps its content with "the identity provider" for Entra; later sentences that
 * explain how Entra behaves, or name its AADSTS codes, do not hold for another IdP and are left out.
 */
export function inIdpTerms(text: string): string {
  if (!/Entra|AADSTS/.test(text)) return text;
  let s = text;
  for (const [entra, generic] of GENERIC_PATHS) s = s.split(entra).join(generic);
  if (!/Entra|AADSTS/.test(s)) return capitalise(s);
  const sentences = s.split(/(?<=[.;])\s+(?=[A-Z(])/);
  const kept = sentences.filter((x, i) => i === 0 || !/Entra|AADSTS/.test(x));
  return capitalise(kept.map(entraWordsToIdp).join(' '));
}

/**
 * A whole finding in general identity-provider terms (title, message, fix, evidence labels and
 * sources, ranked causes): for findings built of a whole attempt (lib/flow) whose identity
 * provider is not Entra. The checks' runner rewords field by field (some messages name Entra on
 * purpose); these have no such exception.
 */
export function findingInIdpTerms(f: Finding): Finding {
  return {
    ...f,
    title: inIdpTerms(f.title),
    message: inIdpTerms(f.message),
    fix: inIdpTerms(f.fix),
    evidence: f.evidence.map((e) => ({ ...e, label: inIdpTerms(e.label), ...(e.source !== undefined ? { source: inIdpTerms(e.source) } : {}) })),
    ...(f.causes
      ? { causes: f.causes.map((c) => ({ ...c, cause: inIdpTerms(c.cause), basis: inIdpTerms(c.basis), ...(c.fix !== undefined ? { fix: inIdpTerms(c.fix) } : {}) })) }
      : {}),
  };
}
