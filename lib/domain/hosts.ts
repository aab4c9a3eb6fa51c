// The hosts of these sign-ins (FACTS A3.4, A4, B1, B4) and what each one is.

export type HostRole = 'entra' | 'myapps' | 'aws-acs' | 'aws-iam-federation' | 'aws-portal' | 'other';

export function hostRole(host: string | undefined): HostRole {
  if (!host) return 'other';
  const h = host.toLowerCase().replace(/:\d+$/, '');
  if (h === 'login.microsoftonline.com' || h === 'login.microsoft.com') return 'entra';
  if (h === 'myapps.microsoft.com' || h === 'launcher.myapps.microsoft.com' || h === 'myapplications.microsoft.com') return 'myapps';
  if (h === 'signin.aws.amazon.com') return 'aws-iam-federation';
  if (/^[a-z0-9-]+\.(signin\.aws\.amazon\.com|signin\.aws|sso\.signin\.aws)$/.test(h)) return 'aws-acs';
  if (
    /^[a-z0-9-]+\.awsapps\.com$/.test(h) ||
    /^ssoins-[0-9a-z]+\.[a-z0-9-]+\.portal\.amazonaws\.com$/.test(h) ||
    /^ssoins-[0-9a-z]+\.portal\.[a-z0-9-]+\.app\.aws$/.test(h) ||
    /^ssoins-[0-9a-z]+\.portal\.[a-z0-9-]+\.app\.amazonwebservices\.com\.cn$/.test(h) ||
    /^portal\.sso\.[a-z0-9-]+\.amazonaws\.com$/.test(h)
  ) {
    return 'aws-portal';
  }
  return 'other';
}

export function urlHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(url);
  return m?.[1]?.toLowerCase();
}

export function urlRole(url: string | undefined): HostRole {
  return hostRole(urlHost(url));
}

/** What an access-portal host names: the identity store / alias, or instance and region. */
export function describePortal(host: string): { label: string; storeOrAlias?: string; instance?: string; region?: string } {
  const h = host.toLowerCase();
  let m = /^([a-z0-9-]+)\.awsapps\.com$/.exec(h);
  if (m) return { label: h, storeOrAlias: m[1]! };
  m = /^(ssoins-[0-9a-z]+)\.([a-z0-9-]+)\.portal\.amazonaws\.com$/.exec(h);
  if (m) return { label: h, instance: m[1]!, region: m[2]! };
  m = /^(ssoins-[0-9a-z]+)\.portal\.([a-z0-9-]+)\.app\.aws$/.exec(h);
  if (m) return { label: h, instance: m[1]!, region: m[2]! };
  m = /^portal\.sso\.([a-z0-9-]+)\.amazonaws\.com$/.exec(h);
  if (m) return { label: h, region: m[1]! };
  return { label: h };
}

const STATIC_PATH = /\.(?:ico|png|jpe?g|gif|svg|webp|css|m?js|map|json|woff2?|ttf|otf|eot)$/i;
const PAGE_DESTS = new Set(['document', 'iframe', 'frame', 'embed', 'object']);

/**
 * Whether a recorded request loaded something into a page (a script, a style sheet, the favicon)
 * rather than being a page load (a hop of the sign-in). Browsers say so in Sec-Fetch-Dest, and
 * Chrome's HAR in _resourceType; without either, a path to a static file decides.
 */
export function isSubresource(url: string, o: { secFetchDest?: string | undefined; resourceType?: string | undefined } = {}): boolean {
  const dest = o.secFetchDest?.trim().toLowerCase();
  if (dest) return !PAGE_DESTS.has(dest);
  const type = o.resourceType?.trim().toLowerCase();
  if (type) return type !== 'document' && type !== 'iframe' && type !== 'frame';
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? '';
  return STATIC_PATH.test(path);
}
