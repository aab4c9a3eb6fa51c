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
export function entraFormPost(action: string, fields: Record<string, string | undefined>, postAfterMs = 0): string {
  const inputs = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}" />`)
    .join('');
  return (
    `<html><head><title>Working...</title></head><body>` +
    `<form method="POST" name="hiddenform" action="${esc(action)}">${inputs}` +
    `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form>` +
    `<script language="javascript">window.setTimeout(function(){document.forms[0].submit();}, ${Math.max(0, Math.floor(postAfterMs))});</script>` +
    `</body></html>`
  );
}

/** What one Entra sign-in error page shows, and the secrets it carries that nobody should read. */
export interface EntraErrorDetails {
  /** 'AADSTS50105' */
  code: string;
  /** The sentence after "AADSTS50105: ". */
  message: string;
  /** Troubleshooting details "Request Id" ($Config.sessionId): a random GUID per page. */
  requestId: string;
  /** Troubleshooting details "Correlation Id" ($Config.correlationId): a random GUID per page. */
  correlationId: string;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-25T18:03:11.123Z. */
  timestamp: string;
  /** Hidden form fields Entra pages carry (flowToken, ctx, canary) and a password field's value. */
  secrets: { flowToken: string; ctx: string; canary: string; passwd: string };
  /** The user the sign-in was for (a login hint input on the page), if any. */
  loginHint?: string;
  /** For data-lab-scenario. */
  scenario?: string;
  /** The Troubleshooting details lines start folded (hidden until "Show details" is used). */
  detailsFolded?: boolean;
}

/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

// Renders the error from $Config after a short delay, like Entra's single-page app: the visible
// text (and the lab's <main data-lab-verdict="entra-error">) exists only once this has run.
const ENTRA_RENDER_SCRIPT = `(function () {
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  window.setTimeout(function () {
    var c = window.$Config, lab = window.$LabMarks;
    var message = c.strServiceExceptionMessage;
    var main = el('main', {
      id: 'lab-entra-error',
      'data-lab-verdict': 'entra-error',
      'data-lab-aadsts': lab.code,
      'data-lab-request-id': c.sessionId,
      'data-lab-correlation-id': c.correlationId,
      'data-lab-scenario': lab.scenario
    });
    var box = el('div', { id: 'lightbox', 'class': 'sign-in-box' });
    box.appendChild(el('div', { 'class': 'logo', role: 'img', 'aria-label': 'Microsoft' }));
    box.appendChild(el('div', { id: 'loginHeader', role: 'heading', 'aria-level': '1', 'class': 'title' }, 'Sign in'));
    box.appendChild(el('div', { id: 'idTD_Error', 'class': 'error-title' }, "Sorry, but we're having trouble signing you in."));
    box.appendChild(el('div', { id: 'service_exception_message', 'class': 'error-message' }, message));
    main.appendChild(box);
    var debug = el('div', { id: 'debugDetailsBanner', 'class': 'debug-details', role: 'region', 'aria-label': 'Troubleshooting details' });
    debug.appendChild(el('div', { role: 'heading', 'aria-level': '2', 'class': 'debug-title' }, 'Troubleshooting details'));
    debug.appendChild(el('div', {}, 'If you contact your administrator, send this info to them.'));
    debug.appendChild(el('a', { href: '#', id: 'idCopyToClipboard' }, 'Copy info to clipboard'));
    var text = el('div', { id: 'debugDetailsText', 'class': 'debug-text' });
    if (lab.folded) {
      // Folded, as a details panel can be: the lines are in the page but not shown until asked.
      text.setAttribute('hidden', '');
      var show = el('a', { href: '#', id: 'idShowDetails' }, 'Show details');
      show.addEventListener('click', function (ev) { ev.preventDefault(); text.removeAttribute('hidden'); });
      var row = el('div', {});
      row.appendChild(show);
      debug.appendChild(row);
    }
    text.appendChild(el('div', { id: 'requestIdRow' }, 'Request Id: ' + c.sessionId));
    text.appendChild(el('div', { id: 'correlationIdRow' }, 'Correlation Id: ' + c.correlationId));
    text.appendChild(el('div', { id: 'timestampRow' }, 'Timestamp: ' + c.strTimestamp));
    text.appendChild(el('div', { id: 'messageRow' }, 'Message: ' + message));
    debug.appendChild(text);
    debug.appendChild(el('div', { id: 'flagForReviewRow' }, 'Flag sign-in errors for review: Enable'));
    debug.appendChild(el('div', { 'class': 'debug-help' },
      'If you plan on getting support for an issue, turn this on and try to reproduce the error. ' +
      'This will collect additional information that will help troubleshoot the issue.'));
    main.appendChild(debug);
    document.getElementById('lab-entra-root').appendChild(main);
  }, 150);
})();`;

/**
 * An Entra sign-in error page, shaped like login.microsoftonline.com's in the parts a content
 * script reads: an inline `$Config` (pgid ConvergedError, iErrorCode, strServiceExceptionMessage,
 * sessionId = Request Id, correlationId, strTimestamp, and the flow token sFT) that a script turns
 * into the visible message and the "Troubleshooting details" lines ~150 ms after load; hidden
 * form fields (flowToken, ctx, canary, the login hint) and a password input that the extension
 * must never read. Machine checks: the HTML comment (static) and, once rendered,
 * <main data-lab-verdict="entra-error" data-lab-aadsts data-lab-request-id data-lab-correlation-id>.
 */
export function entraError(d: EntraErrorDetails): string {
  const num = Number(d.code.replace(/^AADSTS/, ''));
  const config = {
    pgid: 'ConvergedError',
    iErrorCode: num,
    sErrorCode: String(num),
    strServiceExceptionMessage: `${d.code}: ${d.message}`,
    correlationId: d.correlationId,
    sessionId: d.requestId,
    strTimestamp: d.timestamp,
    sFT: d.secrets.flowToken,
    sCtx: d.secrets.ctx,
    canary: d.secrets.canary,
    urlPost: '/common/login',
  };
  const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
  const comment = `lab-entra-error: ${d.code}; request-id=${d.requestId}; correlation-id=${d.correlationId}; timestamp=${d.timestamp}`;
  const body =
    `<!-- ${esc(comment).replace(/--/g, '- -')} -->` +
    `<form name="f1" id="i0281" method="post" action="/common/login" novalidate autocomplete="off" style="display:none">` +
    hidden('flowToken', d.secrets.flowToken) +
    hidden('ctx', d.secrets.ctx) +
    hidden('canary', d.secrets.canary) +
    hidden('login_hint', d.loginHint ?? '') +
    `<input type="email" name="loginfmt" id="i0116" autocomplete="username" value="${esc(d.loginHint ?? '')}">` +
    `<input type="password" name="passwd" id="i0118" autocomplete="off" value="${esc(d.secrets.passwd)}">` +
    `</form>` +
    `<div id="lab-entra-root"></div>` +
    `<script type="text/javascript">//<![CDATA[\n$Config=${scriptJson(config)};\n//]]></script>` +
    `<script type="text/javascript">window.$LabMarks=${scriptJson({ code: d.code, scenario: d.scenario ?? '', folded: !!d.detailsFolded })};</script>` +
    `<script type="text/javascript">${ENTRA_RENDER_SCRIPT}</script>`;
  return page(
    'Sign in to your account',
    body,
    `<meta name="robots" content="none"><style>#lightbox{border:1px solid #ccc;padding:1.5rem;max-width:26rem}` +
      `.title{font-size:1.5rem;font-weight:600;margin:.5rem 0}.error-message{margin:1rem 0;word-break:break-word}` +
      `.debug-details{margin-top:1.5rem;font-size:.8rem;background:#f2f2f2;padding:1rem}.debug-title{font-weight:600}</style>`,
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
  // Entra's displayname claim, as the portal greets the user.
  const displayName = s.attributes['http://schemas.microsoft.com/identity/claims/displayname']?.[0];
  const body =
    `<main id="lab-portal" data-lab-verdict="signed-in" data-lab-user="${esc(s.nameId)}" data-lab-store="${esc(s.identityStoreId)}"` +
    ` data-lab-scenario="${esc(s.scenario ?? '')}" data-lab-missing-tags="${esc(missing.join(','))}">` +
    `<h1>AWS access portal (lab)</h1>` +
    `<p>Signed in as <strong id="lab-user">${esc(s.nameId)}</strong>` +
    (displayName ? ` (<span id="lab-display-name">${esc(displayName)}</span>)` : '') +
    ` to <code>${esc(s.identityStoreId)}</code>.</p>` +
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
