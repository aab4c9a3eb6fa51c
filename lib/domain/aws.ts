// What AWS URLs and identifiers look like: hosts, Identity Center entity IDs and ACS URLs, IAM
// federation endpoints, regions (FACTS A3, A7.7). Domain knowledge below lib/flow, lib/signature
// and lib/checks, which all read it; pure.
import { trimTrailingSlashes } from '../strings.ts';

export function splitUrl(u: string): { scheme: string; host: string; rest: string } | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(u);
  if (!m) return null;
  return { scheme: m[1]!.toLowerCase(), host: m[2]!.toLowerCase(), rest: `${m[2]!.toLowerCase()}${m[3]}` };
}

export function hostOf(u: string | undefined): string | undefined {
  if (!u) return undefined;
  return splitUrl(u)?.host;
}

/** Compares a URL as received with an expected one, ignoring only a query string and fragment. */
const endpointOf = (s: string) => s.trim().split(/[?#]/)[0]!;

export function sameEndpoint(a: string, b: string): boolean {
  const x = splitUrl(endpointOf(a));
  const y = splitUrl(endpointOf(b));
  if (!x || !y) return endpointOf(a) === endpointOf(b);
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
  const t = trimTrailingSlashes(u.trim()).toLowerCase();
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

/** Whether a URL has the shape of an Identity Center entity ID (issuer URL), exactly (FACTS A3.1, A3.2, A3.7). */
export function isIdcEntityId(u: string | undefined): boolean {
  return u !== undefined && IDC_ENTITY_RE.test(u);
}

/** Whether a URL has the shape of one of Identity Center's ACS URLs, exactly (FACTS A3.1, A3.4). */
export function isIdcAcsUrl(u: string | undefined): boolean {
  return u !== undefined && IDC_ACS_RE.test(u);
}

/** A URL without its query string and fragment. */
export function stripQuery(u: string): string {
  return u.trim().split(/[?#]/)[0]!;
}

/** Two different Identity Center ACS URLs of the same instance (same tenant id): another Region or endpoint form (FACTS A3.4). */
export function sameIdcInstance(a: string, b: string): boolean {
  const x = IDC_ACS_RE.exec(a.trim());
  const y = IDC_ACS_RE.exec(b.trim());
  return !!x && !!y && x[3]!.toLowerCase() === y[3]!.toLowerCase() && a.trim() !== b.trim();
}

/** The namespace Identity Center reads ABAC attributes from (FACTS A8.1). */
export const AWS_SAML_ATTRIBUTES_NS = 'https://aws.amazon.com/SAML/Attributes';
export const ACCESS_CONTROL_PREFIX = `${AWS_SAML_ATTRIBUTES_NS}/AccessControl:`;
