import type { Evidence } from '../types.ts';
import { AWS_MANAGE_AUTH, ENTRA_CLAIMS, ENTRA_NEW_APP } from './fixes.ts';
import { defineCheck } from './types.ts';
import { isIamFederationUri } from './util.ts';

const ATTR_NS = 'https://aws.amazon.com/SAML/Attributes/';
/** Attributes of plain IAM SAML federation (FACTS A7.7, A8.9), by name after the namespace. */
const IAM_ATTRIBUTES = ['Role', 'RoleSessionName', 'SessionDuration', 'TransitiveTagKeys'];
const ACS_SHAPE = 'https://<region>.signin.aws/platform/saml/acs/<tenant-id> (the Identity Center ACS URL)';
const ENTITY_SHAPE = 'https://<region>.signin.aws.amazon.com/platform/saml/<id> (the Identity Center issuer URL)';

/** The IAM federation attribute a name is, in the form to show ("Role", "PrincipalTag:Dept"). */
function iamAttribute(name: string): string | undefined {
  const n = name.trim();
  if (n.slice(0, ATTR_NS.length).toLowerCase() !== ATTR_NS.toLowerCase()) return undefined;
  const rest = n.slice(ATTR_NS.length);
  const plain = IAM_ATTRIBUTES.find((x) => x.toLowerCase() === rest.toLowerCase());
  if (plain) return plain;
  if (/^principaltag:/i.test(rest)) return rest;
  return undefined;
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
    'A response shaped for IAM federation comes from the wrong Entra app ("AWS Single-Account Access" or the generic AWS app) and cannot sign in to Identity Center.',
  facts: ['A7.7', 'A8.9', 'A10', 'A3.1', 'A3.4'],
  appliesTo: ['Response'],
  messages: {
    iamEndpoint:
      'This response is made for plain IAM SAML federation, not Identity Center: {signs}. It goes to or names IAM\'s endpoint instead of Identity Center\'s own ACS URL and entity ID, so it cannot sign in to Identity Center: the Entra app is the wrong one.',
    iamAttributes:
      'The response carries attributes of plain IAM SAML federation ({signs}). Identity Center ignores them, but they show that the Entra app was made from the IAM federation template, not "AWS IAM Identity Center".',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
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
    const unique = [...new Set(signs)].join(', ');
    if (endpoint.length) {
      report({ message: 'iamEndpoint', data: { signs: unique }, evidence: [...endpoint, ...attrs], fix: FIX });
    } else {
      report({ message: 'iamAttributes', severity: 'warning', data: { signs: unique }, evidence: attrs, fix: FIX });
    }
  },
});
