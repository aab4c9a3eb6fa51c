// Findings about a whole flow rather than one message: where a My Apps tile led.
import type { Expectations } from '../domain/expectations.ts';
import { ENTRA_BASIC_SAML } from '../domain/console.ts';
import { awsIdOf, awsRegionOf } from '../domain/aws.ts';
import type { CapturedMessage, Finding, Flow } from '../types.ts';
import type { SamlMessage } from '../saml/model.ts';
import { flowIdpIsEntra, inFlowIdpTerms } from './idp.ts';
import { describePortal, urlHost } from '../domain/hosts.ts';

export const FLOW_CHECK_IDS = ['myapps-sign-on-url', 'portal-mismatch'] as const;

const FIX_SIGN_ON_URL =
  `${ENTRA_BASIC_SAML} → Sign on URL: set it to the "AWS access portal sign-in URL" shown in AWS console → IAM Identity Center → Dashboard ` +
  '(or clear it so the My Apps tile signs in IdP-initiated).';

const FIX_REPLY_URL =
  `${ENTRA_BASIC_SAML} → Reply URL (Assertion Consumer Service URL): make this instance's ACS URL the default one ` +
  '(IdP-initiated sign-in goes to the default Reply URL).';

/** The portal a flow should land on, and where that expectation came from. */
function expectedPortal(e: Expectations | undefined): { host?: string; store?: string; region?: string; source: string } | undefined {
  if (e?.portalUrl) {
    const host = urlHost(e.portalUrl);
    return host ? { host, source: 'configured' } : undefined;
  }
  const entity = e?.spEntityId;
  if (entity) {
    const store = awsIdOf(entity);
    const region = awsRegionOf(entity);
    return { ...(store?.startsWith('d-') ? { store } : {}), ...(region ? { region } : {}), source: 'the configured AWS entity ID' };
  }
  return undefined;
}

/**
 * The attempt's findings of its own. `messages` (the analysed messages by id) tells whose words to
 * use: "Entra" only when the attempt's identity provider is Entra (./idp.ts).
 */
export function flowFindings(flow: Flow, e: Expectations | undefined, messages: ReadonlyMap<string, { capture: CapturedMessage; model?: SamlMessage }> = new Map()): Finding[] {
  const found = myAppsFindings(flow, e);
  // Whose words matter only when there is something to say (most attempts have nothing).
  return found.length ? inFlowIdpTerms(found, flowIdpIsEntra(flow, messages, e)) : found;
}

function myAppsFindings(flow: Flow, e: Expectations | undefined): Finding[] {
  const out: Finding[] = [];
  if (!flow.fromMyApps || !flow.portal) return out;
  // SP-initiated from a My Apps tile: the tile opened the portal (the app has a Sign-on URL).
  // IdP-initiated: the portal is where the user landed after the ACS.
  const viaSignOnUrl = flow.type === 'sp-initiated';
  if (!viaSignOnUrl && flow.type !== 'idp-initiated') return out;
  const portal = describePortal(flow.portal);
  const step = flow.steps.find((s) => urlHost(s.url) === flow.portal);
  const base = { flowId: flow.id, facts: ['A4.4', 'B4.4'] };
  const exp = expectedPortal(e);
  let mismatch: string | undefined;
  let expectedLabel = '';
  if (exp?.host) {
    expectedLabel = exp.host;
    if (exp.host !== flow.portal) mismatch = `another portal (${flow.portal} instead of ${exp.host})`;
  } else if (exp) {
    expectedLabel = [exp.store ? `${exp.store}.awsapps.com` : '', exp.region ? `region ${exp.region}` : ''].filter(Boolean).join(', ');
    if (exp.store && portal.storeOrAlias?.startsWith('d-') && portal.storeOrAlias !== exp.store) {
      mismatch = `another identity store (${portal.storeOrAlias} instead of ${exp.store})`;
    } else if (exp.region && portal.region && portal.region !== exp.region) {
      mismatch = `another region (${portal.region} instead of ${exp.region})`;
    }
  }
  if (mismatch) {
    out.push({
      ...base,
      checkId: 'portal-mismatch',
      severity: 'error',
      title: 'The My Apps tile leads to another AWS access portal',
      message: viaSignOnUrl
        ? `The My Apps tile opened the AWS access portal ${flow.portal}, which is ${mismatch}: the Entra app's Sign-on URL points at the wrong IAM Identity Center instance.`
        : `The My Apps tile signed in and landed on the AWS access portal ${flow.portal}, which is ${mismatch}: the Entra app's default Reply URL belongs to another IAM Identity Center instance.`,
      // Against a configured host, the host reached (written alike, so the two compare at a
      // glance), then the URL; against a store or region, the URL (it shows both).
      evidence: exp?.host
        ? [
            { label: 'access portal reached', expected: expectedLabel, actual: flow.portal, source: exp.source ?? 'configured' },
            ...(step?.url && step.url !== flow.portal ? [{ label: 'URL reached', actual: step.url }] : []),
          ]
        : [{ label: 'access portal reached', expected: expectedLabel, actual: step?.url ?? flow.portal, source: exp?.source ?? 'configured' }],
      fix: viaSignOnUrl ? FIX_SIGN_ON_URL : FIX_REPLY_URL,
    });
  } else if (viaSignOnUrl) {
    out.push({
      ...base,
      checkId: 'myapps-sign-on-url',
      severity: 'info',
      title: 'The My Apps tile uses the Sign-on URL',
      message:
        `The My Apps tile opened the AWS access portal ${flow.portal} because the Entra app has a Sign-on URL, so the sign-in ran SP-initiated from there.` +
        (exp ? '' : ' Configure the expected portal or AWS entity ID to check that it is the right instance.'),
      evidence: [{ label: 'access portal reached', ...(expectedLabel ? { expected: expectedLabel } : {}), actual: step?.url ?? flow.portal }],
      fix: FIX_SIGN_ON_URL,
    });
  }
  return out;
}
