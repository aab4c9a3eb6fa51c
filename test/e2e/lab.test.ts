// The lab in real headless Chromium, without the extension: every scenario's start URL, under the
// real host names (--host-resolver-rules), ends where the lab's SP (node-saml + AWS-documented
// checks) says it should: signed in on the portal, or AWS's error page with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_HINT, findChromium, launchBrowser, type LaunchedBrowser } from './browser.ts';
import { MAIN_INSTANCE, OTHER_INSTANCE, SCENARIOS, startLab, type Lab } from '../lab/server/index.ts';

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
      page.on('request', (r) => {
        if (r.isNavigationRequest()) navigations.push({ method: r.method(), url: r.url(), postData: r.postData() ?? undefined });
      });
      page.on('response', (r) => {
        if (!r.headers()['date']) missingDate.push(r.url());
      });
      try {
        await page.goto(s.startUrl, { waitUntil: 'commit' });
        const main = page.locator('main[data-lab-verdict="signed-in"], main[data-lab-verdict="error"]');
        await main.waitFor({ timeout: 20_000 });
        const finalUrl = new URL(page.url());
        // Everything the page says, in one round trip (each Playwright call costs on a busy box).
        const shown = await main.evaluate((el) => ({
          labVerdict: el.getAttribute('data-lab-verdict'),
          labSource: el.getAttribute('data-lab-source'),
          labReason: el.getAttribute('data-lab-reason') ?? '',
          labMissingTags: el.getAttribute('data-lab-missing-tags'),
          h1: el.querySelector('h1')?.textContent ?? '',
          user: el.querySelector('#lab-user')?.textContent ?? '',
          html: document.documentElement.outerHTML,
        }));

        // The browser went through the real host names.
        const hosts = navigations.map((n) => new URL(n.url).host);
        expect(hosts).toContain('login.microsoftonline.com');
        const post = navigations.find((n) => n.method === 'POST' && /\.signin\.aws\.amazon\.com$/.test(new URL(n.url).host));
        expect(post, 'the form_post page posted to an ACS').toBeDefined();
        expect(new URLSearchParams(post!.postData ?? '').get('SAMLResponse')).toBeTruthy();
        expect(missingDate).toEqual([]);

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
        } else {
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
    ]);
    expect(SCENARIOS['reply-url-mismatch'].expectedChecks).toEqual(['destination-mismatch', 'recipient-mismatch']);
    expect(SCENARIOS['myapps-wrong-portal'].expectedNote).toBeTruthy();
  });
});
