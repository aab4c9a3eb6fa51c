// Page errors (Entra's AADSTS page, Identity Center's generic error) and the sign-in attempt they
// ended. lib/flow/index.ts finds the page that showed an error (the hop of that tab to the error's
// URL, in capture order) and asks here whether the error fits that hop's attempt: an Entra error
// ends an attempt whose AuthnRequest got no Response; an AWS error ends one whose Response was
// posted to the ACS. An error that fits no attempt becomes an attempt of its own (a bookmarked
// Entra URL, a My Apps tile whose Sign-on URL points at Entra: AADSTS750054), shown, not dropped;
// only an AWS error on the access portal that no sign-in explains is left out (lib/flow/index.ts).
import type { PageError } from '../types.ts';
import type { FlowItem } from './index.ts';
import { urlRole } from '../domain/hosts.ts';
import { withoutQuery } from '../strings.ts';

/** How soon after the POST to the ACS an error on the access portal still belongs to the sign-in. */
const PORTAL_ERROR_MS = 60_000;

const timeOf = (s: string | undefined): number | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

/** Entra's SAML endpoint names the tenant: https://login.microsoftonline.com/<tenant>/saml2 (B1.4). */
export function tenantOfEntraUrl(url: string): string | undefined {
  return /^https:\/\/login\.microsoft(?:online)?\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i.exec(url)?.[1]?.toLowerCase();
}

/** Whether an error page can be the end of an attempt made of these messages (and errors so far). */
export function errorFits(e: PageError, items: FlowItem[], errors: PageError[]): boolean {
  const kinds = items.map((i) => i.kind);
  const resp = items.find((i) => i.kind === 'Response');
  // Entra shows its error instead of posting a Response; AWS shows its error after one.
  if (e.source === 'entra') return kinds.includes('AuthnRequest') && !resp && !errors.some((x) => x.source === 'entra' && x.code !== e.code);
  if (!resp) return false;
  // On the access portal the error must come with the sign-in's own redirects: the portal shows
  // other errors later (loading accounts, a session ended) that say nothing about the sign-in.
  if (urlRole(e.url) === 'aws-portal') {
    const t = timeOf(e.time);
    const posted = timeOf(resp.capture.time);
    if (t === undefined || posted === undefined || t - posted > PORTAL_ERROR_MS) return false;
  }
  return true;
}

/**
 * What HTTP alone tells: the POST of a Response to Identity Center's ACS answered with a 4xx or
 * 5xx status is a refused sign-in even when no page was read (the content script did not run,
 * a HAR file). A successful sign-in redirects to the access portal.
 */
export function httpError(items: FlowItem[]): PageError | undefined {
  for (const m of items) {
    if (m.kind !== 'Response') continue;
    const c = m.capture;
    if (urlRole(c.url) !== 'aws-acs' || c.status === undefined || c.status < 400) continue;
    const e: PageError = { id: `http:${c.id}`, source: 'aws', url: withoutQuery(c.url ?? ''), time: c.time ?? '', seenBy: 'http', status: c.status };
    if (c.tabId !== undefined) e.tabId = c.tabId;
    return e;
  }
  return undefined;
}
