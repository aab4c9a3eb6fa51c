import type { Evidence } from '../types.ts';
import { AWS_MANAGE_AUTH, ENTRA_CLAIMS, ENTRA_NEW_APP } from './fixes.ts';
import { defineCheck, type CheckContext } from './types.ts';
import { isIamFederationUri } from './util.ts';

const ATTR_NS = 'https://aws.amazon.com/SAML/Attributes/';
const ATTR_NS_LOWER = ATTR_NS.toLowerCase();
/** Attributes of plain IAM SAML federation (FACTS A7.7, A8.9), by name after the namespace. */
const IAM_ATTRIBUTES = ['Role', 'RoleSessionName', 'SessionDuration', 'TransitiveTagKeys'];
const ACS_SHAPE = 'https://<region>.signin.aws/platform/saml/acs/<tenant-id> (the Identity Center ACS URL)';
const ENTITY_SHAPE = 'https://<region>.signin.aws.amazon.com/platform/saml/<id> (the Identity Center issuer URL)';

/** The IAM federation attribute a name is, in the form to show ("Role", "PrincipalTag:Dept"). */
function iamAttribute(name: string): string | undefined {
  const n = name.trim();
  if (n.slice(0, ATTR_NS.length).toLowerCase() !== ATTR_NS_LOWER) return undefined;
  const rest = n.slice(ATTR_NS.length);
  const plain = IAM_ATTRIBUTES.find((x) => x.toLowerCase() === rest.toLowerCase());
  if (plain) return plain;
  if (/^principaltag:/i.test(rest)) return rest;
  return undefined;
}

/** Attributes that alone show a response was made for IAM federation (FACTS A7.7): a role to assume. */
const DECISIVE_ATTRIBUTES = new Set(['Role', 'RoleSessionName']);

/**
 * Whether the response itself says it was made for plain IAM federation: IAM's endpoint as the
 * place it was posted to, its Destination or its Audience, or Role / RoleSessionName attributes.
 * A Recipient on IAM's endpoint alone is not enough (recipient-mismatch reports it).
 */
export function hasIamFederationEvidence(ctx: CheckContext): boolean {
  const m = ctx.message;
  if (m.kind !== 'Response') return false;
  if (isIamFederationUri(ctx.capture.url?.split(/[?#]/)[0]) || isIamFederationUri(m.destination)) return true;
  return m.assertions.some(
    (a) =>
      (a.conditions?.audiences ?? []).some((au) => isIamFederationUri(au.value)) ||
      a.attributes.some((at) => DECISIVE_ATTRIBUTES.has(iamAttribute(at.name) ?? '')),
  );
}

const FIX =
  `Use the Entra gallery app "AWS IAM Identity Center" (${ENTRA_NEW_APP}), not "AWS Single-Account Access" or "Amazon Web Services (AWS)", which are made for IAM SAML federation; ` +
  `set it up with Identity Center's own SAML metadata (from ${AWS_MANAGE_AUTH}), ` +
  `and remove the Role, RoleSessionName, SessionDuration and PrincipalTag claims (${ENTRA_CLAIMS}).`;

export const iamFederationMixup = defineCheck({
  id: 'iam-federation-mixup',
  severity: 'error',
  title: 'This is plain IAM SAML federation, not Identity Center',
  docs:
    'Plain IAM SAML federation posts to https://signin.aws.amazon.com/saml with the audience urn:amazon:webservices and Role/RoleSessionName attributes; Identity Center has its own ACS URL, entity ID and AccessControl attributes. ' +
    'A response shaped for IAM federation comes from the wrong Entra app ("AWS Single-Account Access" or the generic AWS app) and cannot sign in to Identity Center. ' +
    'It is reported only when the response says so (IAM\'s endpoint as Destination, Audience or where it was posted, or Role / RoleSessionName attributes); a lone IAM Recipient is recipient-mismatch.',
  facts: ['A7.7', 'A8.9', 'A10', 'A3.1', 'A3.4'],
  appliesTo: ['Response'],
  messages: {
    iamEndpoint:
      'This response is made for plain IAM SAML federation, not Identity Center: {signs}. It goes to or names IAM\'s endpoint instead of Identity Center\'s own ACS URL and entity ID, so it cannot sign in to Identity Center: the Entra app is the wrong one.',
    iamAttributes:
      'The response carries attributes of plain IAM SAML federation ({signs}). Identity Center ignores them, but they show that the Entra app was made from the IAM federation template, not "AWS IAM Identity Center".',
  },
  titles: {
    iamEndpoint: 'This is plain IAM SAML federation, not Identity Center',
    iamAttributes: 'The response carries plain IAM federation attributes',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    const decisive = hasIamFederationEvidence(ctx);
    const endpoint: Evidence[] = [];
    const attrs: Evidence[] = [];
    const signs: string[] = [];

    const url = ctx.capture.url;
    if (isIamFederationUri(url?.split(/[?#]/)[0])) {
      endpoint.push({ label: 'posted to', expected: ctx.expect.acsUrl?.value ?? ACS_SHAPE, actual: url!, ...(ctx.expect.acsUrl ? { source: ctx.expect.acsUrl.source } : {}) });
      signs.push(`it was posted to ${url}`);
    }
    if (isIamFederationUri(m.destination)) {
      endpoint.push({ label: 'Destination', expected: ctx.expect.acsUrl?.value ?? ACS_SHAPE, actual: m.destination!, path: m.rootPath, ...(ctx.expect.acsUrl ? { source: ctx.expect.acsUrl.source } : {}) });
      signs.push(`Destination ${m.destination}`);
    }
    for (const a of m.assertions) {
      for (const sc of a.subjectConfirmations) {
        const r = sc.data?.recipient;
        if (!isIamFederationUri(r)) continue;
        endpoint.push({ label: 'Recipient', expected: ctx.expect.acsUrl?.value ?? ACS_SHAPE, actual: r!, path: sc.data!.path, ...(ctx.expect.acsUrl ? { source: ctx.expect.acsUrl.source } : {}) });
        signs.push(`Recipient ${r}`);
      }
      for (const au of a.conditions?.audiences ?? []) {
        if (!isIamFederationUri(au.value)) continue;
        endpoint.push({ label: 'Audience', expected: ctx.expect.spEntityId?.value ?? ENTITY_SHAPE, actual: au.value, path: au.path, ...(ctx.expect.spEntityId ? { source: ctx.expect.spEntityId.source } : {}) });
        signs.push(`Audience ${au.value}`);
      }
      for (const at of a.attributes) {
        const which = iamAttribute(at.name);
        if (!which) continue;
        attrs.push({ label: `IAM federation attribute ${which}`, expected: '(absent)', actual: at.name, path: at.path });
        signs.push(`attribute ${which}`);
      }
    }
    if (endpoint.length === 0 && attrs.length === 0) return;
    const attrSigns = [...new Set(signs.filter((x) => x.startsWith('attribute ')))].join(', ');
    if (!decisive) {
      // A lone Recipient on IAM's endpoint does not make the response IAM federation's:
      // recipient-mismatch reports it, with the mix-up as a possible explanation.
      if (attrs.length) report({ message: 'iamAttributes', severity: 'warning', data: { signs: attrSigns }, evidence: attrs, fix: FIX });
      return;
    }
    if (endpoint.length) {
      report({ message: 'iamEndpoint', data: { signs: [...new Set(signs)].join(', ') }, evidence: [...endpoint, ...attrs], fix: FIX });
    } else {
      report({ message: 'iamAttributes', severity: 'warning', data: { signs: attrSigns }, evidence: attrs, fix: FIX });
    }
  },
});
