// What Entra identifiers look like (FACTS B1.1). Domain knowledge below lib/flow, lib/signature
// and lib/checks; pure.

const TENANT_ISSUER_RE = /^https:\/\/sts\.windows\.net\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/$/i;

/** The Entra tenant id from an issuer https://sts.windows.net/<tenant>/ (FACTS B1.1). */
export function tenantOfIssuer(issuer: string | undefined): string | undefined {
  if (!issuer) return undefined;
  return TENANT_ISSUER_RE.exec(issuer.trim())?.[1]?.toLowerCase();
}
