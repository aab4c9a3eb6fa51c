// The HTML the lab serves. Shapes follow the real pages where it matters to the extension: Entra's
// form_post page (a form of hidden inputs submitted by script on load), AWS's sign-in error page.
// Every lab verdict is also machine-readable: data-lab-* attributes and an HTML comment.
import { esc } from '../factory.ts';
import type { AwsVerdictError } from './aws.ts';

const page = (title: string, body: string, extraHead = '') =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">${extraHead}` +
  `<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:48rem;color:#16191f}code{word-break:break-all}` +
  `dt{font-weight:600;margin-top:.5rem}.note{background:#fff7e0;border-left:4px solid #d9a400;padding:.5rem 1rem}</style>` +
  `</head><body>${body}</body></html>\n`;

/** Entra's HTTP-POST binding page ("Working..."): hidden inputs, submitted by script on load. */
export function entraFormPost(action: string, fields: Record<string, string | undefined>): string {
  const inputs = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}" />`)
    .join('');
  return (
    `<html><head><title>Working...</title></head><body>` +
    `<form method="POST" name="hiddenform" action="${esc(action)}">${inputs}` +
    `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form>` +
    `<script language="javascript">window.setTimeout(function(){document.forms[0].submit();}, 0);</script>` +
    `</body></html>`
  );
}

/** An Entra sign-in error page (AADSTS code and message), like login.microsoftonline.com shows. */
export function entraError(code: string, message: string): string {
  return page(
    'Sign in to your account',
    `<main data-lab-verdict="entra-error" data-lab-aadsts="${esc(code)}"><h1>Sign in</h1>` +
      `<p>Sorry, but we're having trouble signing you in.</p><p><code>${esc(code)}: ${esc(message)}</code></p></main>` +
      `<!-- lab-entra-error: ${esc(code)} -->`,
  );
}

/** The AWS sign-in error page, with the validator's reason for tests. */
export function awsError(v: AwsVerdictError, meta: { acsUrl: string; scenario?: string }): string {
  const body =
    `<main id="lab-aws-error" data-lab-verdict="error" data-lab-source="${esc(v.source)}" data-lab-reason="${esc(v.reason)}"` +
    ` data-lab-acs="${esc(meta.acsUrl)}" data-lab-scenario="${esc(meta.scenario ?? '')}">` +
    `<h1>${esc(v.heading)}</h1>` +
    (v.heading === "It's not you, it's us"
      ? `<p>We couldn't complete your request right now. An unexpected error has occurred. Please try again later.</p>`
      : `<p>Please try again. If the problem persists, contact your administrator.</p>`) +
    `</main>\n<!-- lab-verdict: error; source=${esc(v.source)}; reason=${esc(v.reason).replace(/--/g, '- -')} -->`;
  return page('AWS access portal', body);
}

export interface PortalSession {
  identityStoreId: string;
  nameId: string;
  attributes: Record<string, string[]>;
  scenario?: string;
}

const ACCESS_CONTROL = 'https://aws.amazon.com/SAML/Attributes/AccessControl:';

/** The access portal after sign-in. */
export function portalPage(s: PortalSession, expectedTags: string[]): string {
  const tags = Object.entries(s.attributes)
    .filter(([k]) => k.startsWith(ACCESS_CONTROL))
    .map(([k, v]) => [k.slice(ACCESS_CONTROL.length), v.join(', ')] as const);
  const missing = expectedTags.filter((t) => !tags.some(([k]) => k === t));
  const body =
    `<main id="lab-portal" data-lab-verdict="signed-in" data-lab-user="${esc(s.nameId)}" data-lab-store="${esc(s.identityStoreId)}"` +
    ` data-lab-scenario="${esc(s.scenario ?? '')}" data-lab-missing-tags="${esc(missing.join(','))}">` +
    `<h1>AWS access portal (lab)</h1>` +
    `<p>Signed in as <strong id="lab-user">${esc(s.nameId)}</strong> to <code>${esc(s.identityStoreId)}</code>.</p>` +
    `<h2>Session tags (attributes for access control)</h2><dl>` +
    (tags.length ? tags.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('') : '<dd>none</dd>') +
    `</dl>` +
    (missing.length
      ? `<p class="note">Not received: ${missing.map((m) => `<code>AccessControl:${esc(m)}</code>`).join(', ')}. ` +
        `Permission sets whose policies use <code>aws:PrincipalTag/${esc(missing[0]!)}</code> will deny access.</p>`
      : '') +
    `</main>\n<!-- lab-verdict: signed-in; user=${esc(s.nameId)} -->`;
  return page('AWS access portal', body);
}

export function simplePage(title: string, html: string, verdict = 'info'): string {
  return page(title, `<main data-lab-verdict="${esc(verdict)}"><h1>${esc(title)}</h1>${html}</main>`);
}
