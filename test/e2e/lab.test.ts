// The lab in real headless Chromium, without the extension: every scenario's start URL, under the
// real host names (--host-resolver-rules), ends where the lab's SP (node-saml + AWS-documented
// checks) says it should: signed in on the portal, or AWS's error page with the reason, or (where
// Entra stops the flow) Entra's sign-in error page, rendered by its script, with the recorded ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, type LaunchedBrowser } from './browser.ts';
import {
  CYRILLIC_USER,
  LAB_TENANT_NAME,
  LAB_USER,
  MAIN_INSTANCE,
  OTHER_INSTANCE,
  SCENARIOS,
  UNPROVISIONED_USER,
  WRONG_REGION_ENTITY_ID,
  appIdFor,
  startLab,
  type Lab,
  type LabEntraError,
  type LabFlow,
} from '../lab/server/index.ts';
import { LAB } from '../lab/factory.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** The HTML as served, without scripts and comments: what a page shows before any script runs. */
const staticText = (html: string) => html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<!--[\s\S]*?-->/g, '');

const inCI = process.env.CI === 'true';
const skip = !inCI && findChromium() === undefined;
if (skip) console.warn(`[test/e2e/lab.test.ts] skipped: ${CHROMIUM_INSTALL_HINT}`);

describe.skipIf(skip)('SAML lab in headless Chromium (no extension)', () => {
  let lab: Lab;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    lab = await startLab();
    browser = await launchBrowser({ hostRules: lab.hostRules, headless: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  // One browser, a fresh page per scenario, one after another. (Flows are bound server-side per
  // AuthnRequest ID / app id, so they could run side by side; on 2 busy cores that is no faster.)
  for (const s of Object.values(SCENARIOS)) {
    it(`${s.name}: ${s.outcome.verdict}`, async () => {
      const page = await browser.context.newPage();
      const navigations: { method: string; url: string; postData?: string }[] = [];
      const missingDate: string[] = [];
      // Entra's pages as served (status, headers, body), read before any script of theirs ran.
      // (A form_post page is navigated away from at once: its body may be gone, hence undefined.)
      const entraPages: Promise<{ url: string; status: number; headers: Record<string, string>; body: string } | undefined>[] = [];
      page.on('request', (r) => {
        if (r.isNavigationRequest()) navigations.push({ method: r.method(), url: r.url(), postData: r.postData() ?? undefined });
      });
      page.on('response', (r) => {
        if (!r.headers()['date']) missingDate.push(r.url());
        if (r.request().isNavigationRequest() && new URL(r.url()).host === 'login.microsoftonline.com' && r.status() !== 302) {
          entraPages.push(
            r.text().then(
              (body) => ({ url: r.url(), status: r.status(), headers: r.headers(), body }),
              () => undefined,
            ),
          );
        }
      });
      // What each document shows when its DOM is ready (where a document_end content script runs).
      await page.addInitScript(() => {
        document.addEventListener('DOMContentLoaded', () => {
          (window as unknown as { __labAtDomReady: unknown }).__labAtDomReady = {
            text: document.body.innerText,
            main: document.querySelector('main[data-lab-verdict]') !== null,
          };
        });
      });
      try {
        await page.goto(s.startUrl, { waitUntil: 'commit' });
        const main = page.locator('main[data-lab-verdict="signed-in"], main[data-lab-verdict="error"], main[data-lab-verdict="entra-error"]');
        await main.waitFor({ timeout: 20_000 });
        const finalUrl = new URL(page.url());
        // Everything the page says, in one round trip (each Playwright call costs on a busy box).
        const shown = await main.evaluate((el) => ({
          labVerdict: el.getAttribute('data-lab-verdict'),
          labSource: el.getAttribute('data-lab-source'),
          labReason: el.getAttribute('data-lab-reason') ?? '',
          labMissingTags: el.getAttribute('data-lab-missing-tags'),
          labAadsts: el.getAttribute('data-lab-aadsts'),
          labRequestId: el.getAttribute('data-lab-request-id'),
          labCorrelationId: el.getAttribute('data-lab-correlation-id'),
          h1: el.querySelector('h1')?.textContent ?? '',
          user: el.querySelector('#lab-user')?.textContent ?? '',
          text: document.body.innerText,
          inputs: [...document.querySelectorAll('input')].map((i) => ({ name: i.name, type: i.type, value: i.value })),
          html: document.documentElement.outerHTML,
          atDomReady: (window as unknown as { __labAtDomReady?: { text: string; main: boolean } }).__labAtDomReady,
        }));

        // The browser went through the real host names.
        const hosts = navigations.map((n) => new URL(n.url).host);
        expect(hosts).toContain('login.microsoftonline.com');
        expect(missingDate).toEqual([]);
        const post = navigations.find((n) => n.method === 'POST' && /\.signin\.aws\.amazon\.com$/.test(new URL(n.url).host));

        if (s.outcome.verdict === 'entra-error') {
          // Entra stopped the flow: no response, no ACS, its error page rendered by its script.
          expect(post, 'nothing was posted to an ACS').toBeUndefined();
          expect(finalUrl.host).toBe('login.microsoftonline.com');
          const flow = [...lab.flows].reverse().find((f) => f.scenario === s.name && f.entraError);
          expect(flow, 'the lab recorded the flow and its Entra error').toBeDefined();
          expect(flow!.responseXml).toBeUndefined();
          expect(flow!.verdict).toBeUndefined();
          const rec = flow!.entraError!;
          const served = (await Promise.all(entraPages)).filter((p) => p !== undefined);
          await checkEntraErrorPage(s.outcome.code, rec, shown, served);
          expect(s.expectedEntraError).toBe(s.outcome.code);
          expect(s.expectedChecks).toEqual(['entra-error']);
          // The control API lists the same record.
          const listed = (await (await page.request.get(`${lab.origin}/__lab/entra-errors?correlationId=${rec.correlationId}`)).json()) as LabEntraError[];
          expect(listed).toEqual([rec]);
          const flows = (await (await page.request.get(`${lab.origin}/__lab/flows`)).json()) as LabFlow[];
          expect(flows.find((f) => f.entraError?.requestId === rec.requestId)?.scenario).toBe(s.name);
          checkEntraScenario(s.name, flow!, rec, shown, navigations);
          return;
        }

        expect(post, 'the form_post page posted to an ACS').toBeDefined();
        expect(new URLSearchParams(post!.postData ?? '').get('SAMLResponse')).toBeTruthy();

        // What the lab made and decided for this flow.
        const flow = [...lab.flows].reverse().find((f) => f.scenario === s.name && f.verdict);
        expect(flow, 'the lab recorded the flow and its verdict').toBeDefined();
        expect(flow!.responseSource).toBe(s.responseSource);
        if (flow!.initiation === 'sp') {
          expect(flow!.authnRequestXml).toContain('AuthnRequest');
          expect(flow!.responseXml).toContain(`InResponseTo="${flow!.requestId}"`);
          expect(new URLSearchParams(post!.postData ?? '').get('RelayState')).toBe(flow!.relayState);
        } else {
          expect(flow!.responseXml).not.toContain('InResponseTo=');
        }

        if (s.outcome.verdict === 'signed-in') {
          expect(shown.labVerdict).toBe('signed-in');
          expect(finalUrl.host).toBe(s.outcome.portalHost);
          expect(finalUrl.hash).toBe('#/?lab=signed-in');
          expect(shown.h1).toBe('AWS access portal (lab)');
          expect(shown.user).toBe('alex.morgan@contoso.com');
        } else if (s.outcome.verdict === 'error') {
          expect(shown.labVerdict).toBe('error');
          expect(shown.labSource).toBe(s.outcome.source);
          expect(shown.labReason).toContain(s.outcome.reasonIncludes);
          expect(shown.h1).toBe(s.outcome.heading);
          expect(shown.html).toContain('<!-- lab-verdict: error;');
          expect(finalUrl.href).toBe(MAIN_INSTANCE.acsUrl);
          expect(flow!.verdict!.ok).toBe(false);
        }

        // Scenario-specific paths and messages.
        switch (s.name) {
          case 'sp-clean':
            expect(navigations[0]!.url).toBe(s.startUrl);
            expect(hosts).not.toContain('launcher.myapps.microsoft.com');
            break;
          case 'idp-clean':
            expect(hosts[0]).toBe('launcher.myapps.microsoft.com');
            // No portal hop before the sign-in: only the portal after it.
            expect(navigations.filter((n) => n.url.includes('.awsapps.com/') && !n.url.includes('lab-session='))).toEqual([]);
            expect(post!.url).toBe(MAIN_INSTANCE.acsUrl);
            break;
          case 'myapps-wrong-portal':
            expect(hosts[0]).toBe('launcher.myapps.microsoft.com');
            expect(navigations.map((n) => n.url)).toContain(OTHER_INSTANCE.portalUrl);
            expect(post!.url).toBe(OTHER_INSTANCE.acsUrl);
            expect(flow!.authnRequestXml).toContain(OTHER_INSTANCE.entityId);
            break;
          case 'accesscontrol-missing':
            expect(shown.labMissingTags).toBe('CostCenter');
            expect(flow!.responseXml).toContain('AccessControl:Department');
            expect(flow!.responseXml).not.toContain('AccessControl:CostCenter');
            break;
          case 'nameid-mismatch':
            expect(flow!.responseXml).toMatch(/<NameID [^>]*>alex\.m@contoso-mail\.com<\/NameID>/);
            expect(flow!.responseXml).toContain('<AttributeValue>alex.morgan@contoso.com</AttributeValue>');
            break;
          case 'audience-mismatch':
            expect(flow!.responseXml).toContain(`<Audience>${MAIN_INSTANCE.entityId}/</Audience>`);
            break;
          case 'reply-url-mismatch':
            expect(post!.url).toBe(MAIN_INSTANCE.acsUrl);
            expect(flow!.responseXml).toMatch(/Destination="https:\/\/us-east-1\.signin\.aws\.amazon\.com\/platform\/saml\/acs\//);
            expect(flow!.responseXml).toMatch(/Recipient="https:\/\/us-east-1\.signin\.aws\.amazon\.com\/platform\/saml\/acs\//);
            break;
          case 'expired': {
            const noa = /<Conditions [^>]*NotOnOrAfter="([^"]+)"/.exec(flow!.responseXml ?? '')?.[1];
            expect(Date.parse(noa!)).toBeLessThan(Date.now() - 45 * 60e3);
            break;
          }
          case 'unsigned':
            expect(flow!.responseXml).not.toContain('Signature');
            break;
          case 'user-not-provisioned':
            // A clean, signed response for a user Identity Center does not have.
            expect(shown.h1).toBe(s.expectedAwsError);
            expect(s.expectedChecks).toEqual(['aws-sign-in-error']);
            expect(flow!.responseXml).toMatch(/<NameID Format="urn:oasis:names:tc:SAML:1\.1:nameid-format:emailAddress">sam\.lee@contoso\.com<\/NameID>/);
            expect(UNPROVISIONED_USER.upn).toBe('sam.lee@contoso.com');
            expect(flow!.responseXml).toContain('Signature');
            expect(flow!.responseXml).toContain(`Destination="${MAIN_INSTANCE.acsUrl}"`);
            expect(flow!.responseXml).toContain(`<Audience>${MAIN_INSTANCE.entityId}</Audience>`);
            expect(shown.labReason).toBe(`no Identity Center user has the user name ${UNPROVISIONED_USER.upn}`);
            expect(flow!.entraError).toBeUndefined();
            break;
        }
      } finally {
        await page.close();
      }
    });
  }

  it('scenario names and expected checks are the agreed contract', () => {
    expect(Object.keys(SCENARIOS)).toEqual([
      'sp-clean',
      'idp-clean',
      'myapps-wrong-portal',
      'nameid-mismatch',
      'audience-mismatch',
      'reply-url-mismatch',
      'expired',
      'accesscontrol-missing',
      'unsigned',
      'entra-unassigned',
      'entra-reply-url',
      'entra-identifier',
      'entra-no-request',
      'user-not-provisioned',
    ]);
    expect(SCENARIOS['reply-url-mismatch'].expectedChecks).toEqual(['destination-mismatch', 'recipient-mismatch', 'aws-sign-in-error']);
    expect(SCENARIOS['myapps-wrong-portal'].expectedNote).toBeTruthy();
    const entra = { 'entra-unassigned': 'AADSTS50105', 'entra-reply-url': 'AADSTS50011', 'entra-identifier': 'AADSTS700016', 'entra-no-request': 'AADSTS750054' } as const;
    for (const [name, code] of Object.entries(entra) as [keyof typeof entra, string][]) {
      expect(SCENARIOS[name].expectedEntraError).toBe(code);
      expect(SCENARIOS[name].outcome).toEqual({ verdict: 'entra-error', code });
      expect(SCENARIOS[name].expectedChecks).toEqual(['entra-error']);
    }
    expect(SCENARIOS['entra-no-request'].startUrl).toBe(`https://launcher.myapps.microsoft.com/api/signin/${appIdFor('entra-no-request')}?tenantId=${LAB.tenantId}`);
    expect(SCENARIOS['user-not-provisioned'].expectedChecks).toEqual(['aws-sign-in-error']);
    expect(SCENARIOS['user-not-provisioned'].expectedAwsError).toBe('An unexpected error has occurred');
  });

  it('setUser: Ярослава Ковальчук at the keyboard signs in with her ASCII UPN as NameID and her Cyrillic names in the claims', async () => {
    const page = await browser.context.newPage();
    lab.setUser(CYRILLIC_USER.upn);
    try {
      await page.goto(SCENARIOS['sp-clean'].startUrl, { waitUntil: 'commit' });
      await page.locator('main[data-lab-verdict="signed-in"]').waitFor({ timeout: 20_000 });
      const shown = await page.evaluate(() => ({ user: document.querySelector('#lab-user')?.textContent, name: document.querySelector('#lab-display-name')?.textContent, text: document.body.innerText }));
      expect(shown.user).toBe(CYRILLIC_USER.upn);
      expect(shown.name).toBe('Ярослава Ковальчук');
      expect(shown.text).toContain('Розробка');
      const flow = [...lab.flows].reverse().find((f) => f.scenario === 'sp-clean' && f.verdict?.ok);
      expect(flow?.user).toBe(CYRILLIC_USER.upn);
      expect(flow?.responseXml).toContain(`>${CYRILLIC_USER.upn}</NameID>`);
      for (const v of ['Ярослава Ковальчук', 'Ярослава', 'Ковальчук', 'Розробка']) expect(flow?.responseXml).toContain(`<AttributeValue>${v}</AttributeValue>`);
      // The control API says who is at the keyboard; an unknown UPN is refused.
      const who = (await (await page.request.get(`${lab.origin}/__lab/user`)).json()) as { user: string };
      expect(who.user).toBe(CYRILLIC_USER.upn);
      expect((await page.request.post(`${lab.origin}/__lab/user?upn=nobody@contoso.com`)).status()).toBe(400);
    } finally {
      lab.setUser(LAB_USER.upn);
      await page.close();
    }
  });

  it('entra-unassigned started IdP-initiated (its launcher URL) ends on AADSTS50105 too', async () => {
    const s = SCENARIOS['entra-unassigned'];
    const page = await browser.context.newPage();
    try {
      await page.goto(s.idpStartUrl, { waitUntil: 'commit' });
      const main = page.locator('main[data-lab-verdict="entra-error"]');
      await main.waitFor({ timeout: 20_000 });
      const text = await page.evaluate(() => document.body.innerText);
      const flow = [...lab.flows].reverse().find((f) => f.scenario === s.name && f.initiation === 'idp' && f.entraError);
      expect(flow?.entraError?.code).toBe('AADSTS50105');
      expect(text).toContain(`Correlation Id: ${flow!.entraError!.correlationId}`);
      expect(new URL(page.url()).searchParams.get('appid')).toBe(appIdFor(s.name));
    } finally {
      await page.close();
    }
  });
});

interface Shown {
  labVerdict: string | null;
  labAadsts: string | null;
  labRequestId: string | null;
  labCorrelationId: string | null;
  text: string;
  inputs: { name: string; type: string; value: string }[];
  html: string;
  atDomReady?: { text: string; main: boolean };
}

/** Entra's error page as the browser shows it, against what the lab recorded for it. */
async function checkEntraErrorPage(
  code: string,
  rec: LabEntraError,
  shown: Shown,
  served: { url: string; status: number; headers: Record<string, string>; body: string }[],
) {
  expect(rec.code).toBe(code);
  expect(rec.requestId).toMatch(GUID);
  expect(rec.correlationId).toMatch(GUID);
  expect(rec.requestId).not.toBe(rec.correlationId);
  expect(rec.timestamp).toMatch(ISO_MS_UTC);
  expect(rec.status).toBe(200);
  // The lab's marks, once the script has rendered the page.
  expect(shown.labVerdict).toBe('entra-error');
  expect(shown.labAadsts).toBe(code);
  expect(shown.labRequestId).toBe(rec.requestId);
  expect(shown.labCorrelationId).toBe(rec.correlationId);
  // The visible text, line by line.
  const lines = shown.text.split('\n').map((l) => l.trim()).filter(Boolean);
  const message = `${code}: ${rec.message}`;
  const folded = !!(rec.scenario && SCENARIOS[rec.scenario].entraDetailsFolded);
  expect(lines).toEqual([
    'Sign in',
    "Sorry, but we're having trouble signing you in.",
    message,
    'Troubleshooting details',
    'If you contact your administrator, send this info to them.',
    'Copy info to clipboard',
    ...(folded
      ? ['Show details']
      : [`Request Id: ${rec.requestId}`, `Correlation Id: ${rec.correlationId}`, `Timestamp: ${rec.timestamp}`, `Message: ${message}`]),
    'Flag sign-in errors for review: Enable',
    'If you plan on getting support for an issue, turn this on and try to reproduce the error. This will collect additional information that will help troubleshoot the issue.',
  ]);
  // The page as served: 200, Date, x-ms-request-id; $Config inline; nothing visible before the script runs.
  const page = served.at(-1)!;
  expect(page.status).toBe(200);
  expect(page.headers['x-ms-request-id']).toBe(rec.requestId);
  expect(page.body).toContain('$Config={"pgid":"ConvergedError"');
  expect(page.body).toContain(`"iErrorCode":${code.slice('AADSTS'.length)}`);
  expect(page.body).toContain(`"correlationId":"${rec.correlationId}"`);
  expect(page.body).toContain(`"sessionId":"${rec.requestId}"`);
  expect(page.body).toContain(`<!-- lab-entra-error: ${code};`);
  expect(page.body).toMatch(/setTimeout\(function \(\) \{[\s\S]*\}, 150\)/);
  // When the DOM was ready the message was not there yet: the script renders it ~150 ms later.
  expect(shown.atDomReady).toEqual({ text: '', main: false });
  const before = staticText(page.body);
  for (const gone of [code, 'Correlation Id', 'Troubleshooting details', rec.correlationId, 'data-lab-verdict']) expect(before).not.toContain(gone);
  // Secrets on the page (hidden inputs, a password field) that no reader of the text sees.
  const input = (name: string) => shown.inputs.find((i) => i.name === name);
  expect(input('flowToken')).toEqual({ name: 'flowToken', type: 'hidden', value: rec.secrets.flowToken });
  expect(input('passwd')).toEqual({ name: 'passwd', type: 'password', value: rec.secrets.passwd });
  expect(input('canary')?.value).toBe(rec.secrets.canary);
  expect(input('loginfmt')?.value).toBe(rec.loginHint ?? '');
  for (const secret of Object.values(rec.secrets)) expect(shown.text).not.toContain(secret);
}

/** Each Entra-stopped scenario's own path and message. */
function checkEntraScenario(name: string, flow: LabFlow, rec: LabEntraError, shown: Shown, navigations: { method: string; url: string }[]) {
  const appId = appIdFor(flow.scenario);
  if (flow.initiation === 'sp') {
    expect(navigations[0]!.url).toBe(SCENARIOS[flow.scenario].startUrl);
    expect(flow.authnRequestXml).toContain('AuthnRequest');
    expect(new URL(rec.url).searchParams.get('SAMLRequest')).toBeTruthy();
    expect(new URL(rec.url).searchParams.get('RelayState')).toBe(flow.relayState);
  }
  switch (name) {
    case 'entra-unassigned':
      expect(rec.message).toBe(
        `Your administrator has configured the application AWS IAM Identity Center ('${appId}') to block users unless they are specifically granted ('assigned') access to the application. ` +
          `The signed in user '${LAB_USER.upn}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. ` +
          'Please contact your administrator to assign access to this application.',
      );
      expect(rec.loginHint).toBe(LAB_USER.upn);
      expect(flow.appId).toBe(appId);
      break;
    case 'entra-reply-url':
      expect(rec.message).toBe(
        `The redirect URI '${MAIN_INSTANCE.acsUrl}' specified in the request does not match the redirect URIs configured for the application '${appId}'. ` +
          'Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. ' +
          'Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.',
      );
      expect(flow.authnRequestXml).toContain(`AssertionConsumerServiceURL="${MAIN_INSTANCE.acsUrl}"`);
      break;
    case 'entra-identifier':
      expect(rec.message).toBe(
        `Application with identifier '${MAIN_INSTANCE.entityId}' was not found in the directory '${LAB_TENANT_NAME}'. ` +
          'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
          'You may have sent your authentication request to the wrong tenant.',
      );
      expect(SCENARIOS['entra-identifier'].app?.identifier).toBe(WRONG_REGION_ENTITY_ID);
      expect(flow.appId).toBeUndefined();
      break;
    case 'entra-no-request':
      expect(flow.initiation).toBe('idp');
      expect(new URL(navigations[0]!.url).host).toBe('launcher.myapps.microsoft.com');
      expect(navigations.map((n) => n.url)).toEqual([SCENARIOS['entra-no-request'].startUrl, LAB.ssoUrl]);
      expect(rec.url).toBe(LAB.ssoUrl);
      expect(rec.message).toBe('SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.');
      expect(flow.authnRequestXml).toBeUndefined();
      expect(shown.text).toContain('AADSTS750054');
      break;
    default:
      throw new Error(`no scenario-specific checks for ${name}`);
  }
}
