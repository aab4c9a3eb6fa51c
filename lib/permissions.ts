// The hosts samlscope must be allowed to see, and what is missing when the user took some away.
// Chrome and Edge let users restrict an extension's site access; Firefox MV3 shows host permissions
// at install and lets users withhold or revoke them in about:addons. Without a host, sign-ins on it
// are simply not captured, so the popup says which are missing and asks again. Pure: the browser
// calls live in lib/store/permissions.ts.

/** The hosts of these sign-ins (FACTS A3.4, A4, B1, B4): the manifest's host_permissions. */
export const REQUIRED_HOST_PERMISSIONS = [
  'https://login.microsoftonline.com/*',
  'https://login.microsoft.com/*',
  'https://*.signin.aws.amazon.com/*',
  'https://signin.aws.amazon.com/*',
  'https://*.signin.aws/*',
  'https://*.awsapps.com/*',
  'https://*.portal.amazonaws.com/*',
  'https://*.app.aws/*',
  'https://myapps.microsoft.com/*',
  'https://launcher.myapps.microsoft.com/*',
  'https://myapplications.microsoft.com/*',
] as const;

/** What each host pattern is for, in the words the popup uses. */
const ROLE: Record<(typeof REQUIRED_HOST_PERMISSIONS)[number], string> = {
  'https://login.microsoftonline.com/*': 'Entra sign-in',
  'https://login.microsoft.com/*': 'Entra sign-in',
  'https://*.signin.aws.amazon.com/*': 'Identity Center sign-in (ACS)',
  'https://signin.aws.amazon.com/*': 'IAM federation sign-in',
  'https://*.signin.aws/*': 'Identity Center sign-in (ACS)',
  'https://*.awsapps.com/*': 'AWS access portal',
  'https://*.portal.amazonaws.com/*': 'AWS access portal',
  'https://*.app.aws/*': 'AWS access portal',
  'https://myapps.microsoft.com/*': 'My Apps',
  'https://launcher.myapps.microsoft.com/*': 'My Apps launcher',
  'https://myapplications.microsoft.com/*': 'My Apps',
};

export interface MissingHosts {
  origins: string[];
  /** One sentence: what is not captured without them. */
  text: string;
}

/** The host patterns to ask for again, given which of them the browser says are granted. */
export function missingHosts(granted: (origin: string) => boolean): MissingHosts | undefined {
  const origins = REQUIRED_HOST_PERMISSIONS.filter((o) => !granted(o));
  if (!origins.length) return undefined;
  const roles = [...new Set(origins.map((o) => ROLE[o]))];
  const hosts = origins.map((o) => o.replace(/^https:\/\//, '').replace(/\/\*$/, ''));
  return {
    origins: [...origins],
    text:
      `samlscope is not allowed to read ${hosts.join(', ')} (${roles.join(', ')}), so sign-ins there are not captured: ` +
      'the browser\'s site access for samlscope was turned off for them. Allow access again to capture the whole sign-in.',
  };
}

/** What the popup needs to check and ask for host access (implemented in lib/store/permissions.ts). */
export interface PermissionPort {
  /** Whether the browser currently grants this host pattern. */
  contains(origin: string): Promise<boolean>;
  /** Must be called from a click: the browser asks the user. */
  request(origins: string[]): Promise<boolean>;
  /** Called when permissions change (granted or removed elsewhere); returns an unsubscribe. */
  onChange(cb: () => void): () => void;
}

export async function checkHosts(port: PermissionPort): Promise<MissingHosts | undefined> {
  const results = await Promise.all(REQUIRED_HOST_PERMISSIONS.map(async (o) => [o, await port.contains(o).catch(() => false)] as const));
  const granted = new Map<string, boolean>(results);
  return missingHosts((o) => granted.get(o) === true);
}
