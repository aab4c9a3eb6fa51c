import type { TextInfo } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { AWS_MANAGE_AUTH, ENTRA_FEDERATION_METADATA, ENTRA_SIGNIN_LOGS } from './fixes.ts';
import { defineCheck } from './types.ts';
import { describeUriDifference, tenantOfIssuer } from './util.ts';
import { trimTrailingSlashes } from '../strings.ts';

const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const TENANT_CLAIM = 'http://schemas.microsoft.com/identity/claims/tenantid';
const ENTRA_SHAPE = 'https://sts.windows.net/<tenant-id>/';
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const LOGIN_ISSUER_RE = new RegExp(`^https://login\\.microsoftonline\\.com/(${GUID})/?$`, 'i');
const STS_NO_SLASH_RE = new RegExp(`^https://sts\\.windows\\.net/(${GUID})$`, 'i');

const FIX_METADATA =
  `${AWS_MANAGE_AUTH}: upload the Federation Metadata XML of the Entra app that signs these responses ` +
  `(${ENTRA_FEDERATION_METADATA}), so that Identity Center expects this IdP.`;
const FIX_CONFIG = `${FIX_METADATA} If the expected IdP entity ID configured in samlscope is the wrong one, correct it in the options.`;
const FIX_SENDER =
  'SAML requires an Issuer on every Assertion, and on a Response that is signed or carries an encrypted assertion: whatever wrote this response (an IdP, a proxy that rewrites responses, a hand-made test) must add it; or capture a real sign-in. ' +
  'Entra always writes both, so with Entra a missing Issuer means something rewrote the response.';

const FIX_FORMAT =
  'Entra writes the Issuer without a Format; an Issuer with another Format was written or rewritten by something else (a proxy, another IdP): remove the Format attribute there, or set it to urn:oasis:names:tc:SAML:2.0:nameid-format:entity.';
const FIX_TENANT =
  `${ENTRA_SIGNIN_LOGS}: find this sign-in and check which tenant issued it. A response whose Issuer and tenantid claim disagree was not sent by Entra unchanged: ` +
  `look for a proxy or another IdP that rewrites it, and make sure the metadata in ${AWS_MANAGE_AUTH} comes from the tenant the users really sign in to.`;

/** The tenant named by an Entra issuer, in either of Microsoft's forms (FACTS B1.1). */
function tenantOf(issuer: string | undefined): string | undefined {
  if (!issuer) return undefined;
  const t = issuer.trim();
  return tenantOfIssuer(t) ?? LOGIN_ISSUER_RE.exec(t)?.[1]?.toLowerCase() ?? STS_NO_SLASH_RE.exec(t)?.[1]?.toLowerCase();
}

interface Seen {
  label: string;
  info: TextInfo;
}

export const issuerMismatch = defineCheck({
  id: 'issuer-mismatch',
  severity: 'error',
  title: 'The Issuer is not the expected Entra tenant',
  docs:
    'Identity Center trusts the IdP whose metadata was uploaded to it, and the Issuer of the response must name that IdP: Entra writes https://sts.windows.net/<tenant-id>/ on both the Response and the Assertion. ' +
    'Another issuer usually means metadata from another tenant or app was uploaded, or the response comes from another IdP.',
  facts: ['B1.1', 'B1.2', 'B1.3', 'B2.3', 'A9.1', 'E1', 'E3'],
  appliesTo: ['Response'],
  namesEntra: ['notEntra', 'loginHost', 'noTrailingSlash', 'trailingSlash'],
  messages: {
    missingResponseIssuer:
      'The Response is {why} but has no Issuer; the SAML Web SSO profile requires one then, so Identity Center cannot tell which IdP sent it.',
    missingAssertionIssuer: 'The Assertion has no Issuer; SAML requires one on every assertion, so Identity Center cannot tell which IdP issued it.',
    differs: 'The {element} Issuer is not the IdP entity ID expected ({source}): {difference}.',
    trailingSlash:
      'The {element} Issuer differs from the IdP entity ID expected ({source}) only by the trailing slash: {difference}. Entra\'s issuer is https://sts.windows.net/<tenant-id>/ with the slash.',
    responseAssertionDiffer:
      'The Response Issuer and the Assertion Issuer differ ({difference}); Entra writes the same issuer on both, so the response was assembled or rewritten by something else.',
    notEntra:
      'The Issuer {issuer} does not have the shape of an Entra ID issuer (https://sts.windows.net/<tenant-id>/): this does not look like Entra ID, and the IdP metadata uploaded to Identity Center must be this IdP\'s.',
    loginHost:
      'The Issuer {issuer} uses login.microsoftonline.com; Entra\'s SAML issuer is https://sts.windows.net/{tenant}/ (the other form appears only in one of Microsoft\'s samples). The IdP metadata uploaded to Identity Center must name the issuer this IdP really sends.',
    noTrailingSlash:
      'The Issuer {issuer} lacks the trailing slash of Entra\'s issuer (https://sts.windows.net/{tenant}/); the IdP metadata uploaded to Identity Center must name exactly the issuer this IdP sends.',
    format:
      'The {element} Issuer has Format="{format}"; in a Web SSO response it must be absent or urn:oasis:names:tc:SAML:2.0:nameid-format:entity, so a strict SP refuses it.',
    tenantClaimDiffers:
      'The Issuer names tenant {issuerTenant}, but the tenantid claim says {claimTenant}; Entra writes the same tenant in both, so the response did not come from Entra unchanged.',
  },
  titles: {
    missingResponseIssuer: 'The Response has no Issuer',
    missingAssertionIssuer: 'The Assertion has no Issuer',
    differs: 'The Issuer is not the expected identity provider',
    trailingSlash: 'The Issuer differs from the expected one by a trailing slash',
    responseAssertionDiffer: 'The Response and Assertion Issuers differ',
    notEntra: 'The Issuer is not an Entra tenant\'s',
    loginHost: 'The Issuer is not the form Entra sends (login.microsoftonline.com)',
    noTrailingSlash: 'The Issuer lacks the trailing slash of Entra\'s issuer',
    format: 'The Issuer has a Format other than entity',
    tenantClaimDiffers: 'The Issuer and the tenantid claim name different tenants',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    const exp = ctx.expect.idpEntityId;
    const present = (i: TextInfo | undefined): TextInfo | undefined => (i && i.value !== '' ? i : undefined);
    const respIssuer = present(m.issuer);

    // Presence (Profiles §4.1.4.2, Core §2.3.3).
    if (!respIssuer && (m.signatures.length > 0 || m.encryptedAssertions.length > 0)) {
      report({
        message: 'missingResponseIssuer',
        data: { why: m.signatures.length > 0 ? 'signed' : 'carrying an encrypted assertion' },
        evidence: [{ label: 'Response Issuer', expected: exp?.value ?? ENTRA_SHAPE, actual: '(none)', path: m.issuer?.path ?? m.rootPath, ...(exp ? { source: exp.source } : {}) }],
        fix: FIX_SENDER,
      });
    }
    const seen: Seen[] = [];
    if (respIssuer) seen.push({ label: 'Response Issuer', info: respIssuer });
    for (const a of m.assertions) {
      const ai = present(a.issuer);
      if (!ai) {
        report({
          message: 'missingAssertionIssuer',
          evidence: [{ label: 'Assertion Issuer', expected: exp?.value ?? ENTRA_SHAPE, actual: '(none)', path: a.issuer?.path ?? a.path, ...(exp ? { source: exp.source } : {}) }],
          fix: FIX_SENDER,
        });
        continue;
      }
      seen.push({ label: 'Assertion Issuer', info: ai });
      if (respIssuer && respIssuer.value !== ai.value) {
        report({
          message: 'responseAssertionDiffer',
          data: { difference: describeUriDifference(respIssuer.value, ai.value) },
          evidence: [
            { label: 'Response Issuer', actual: respIssuer.value, path: respIssuer.path },
            { label: 'Assertion Issuer', expected: respIssuer.value, actual: ai.value, path: ai.path, source: 'the Response Issuer' },
          ],
          fix: FIX_SENDER,
        });
      }
    }

    // Against the configured IdP entity ID, or else against Entra's shape.
    const byValue = new Map<string, Seen[]>();
    for (const s of seen) byValue.set(s.info.value, [...(byValue.get(s.info.value) ?? []), s]);
    for (const [value, list] of byValue) {
      const element = list.map((s) => s.label.replace(/ Issuer$/, '')).join(' and ');
      if (exp) {
        if (value === exp.value) continue;
        const slashOnly = trimTrailingSlashes(value.trim()) === trimTrailingSlashes(exp.value.trim()) && value.trim() !== exp.value.trim();
        report({
          message: slashOnly ? 'trailingSlash' : 'differs',
          data: { element, source: exp.source, difference: describeUriDifference(exp.value, value) },
          evidence: list.map((s) => ({ label: s.label, expected: exp.value, actual: s.info.value, path: s.info.path, source: exp.source })),
          fix: FIX_CONFIG,
        });
        continue;
      }
      if (tenantOfIssuer(value)) continue;
      const evidence: Evidence[] = list.map((s) => ({ label: s.label, expected: ENTRA_SHAPE, actual: s.info.value, path: s.info.path }));
      const login = LOGIN_ISSUER_RE.exec(value.trim());
      const noSlash = STS_NO_SLASH_RE.exec(value.trim());
      if (login) {
        report({ message: 'loginHost', severity: 'warning', data: { issuer: value, tenant: login[1]!.toLowerCase() }, evidence, fix: FIX_METADATA });
      } else if (noSlash) {
        report({ message: 'noTrailingSlash', severity: 'warning', data: { issuer: value, tenant: noSlash[1]!.toLowerCase() }, evidence, fix: FIX_METADATA });
      } else {
        report({ message: 'notEntra', severity: 'warning', data: { issuer: value }, evidence, fix: FIX_METADATA });
      }
    }

    // Issuer Format (Profiles §4.1.4.2).
    const formats = [{ element: 'Response', issuer: m.issuer }, ...m.assertions.map((a) => ({ element: 'Assertion', issuer: a.issuer }))];
    for (const f of formats) {
      const fmt = f.issuer?.format;
      if (!f.issuer || fmt === undefined || fmt === ENTITY_FORMAT) continue;
      report({
        message: 'format',
        severity: 'warning',
        data: { element: f.element, format: fmt },
        evidence: [{ label: `${f.element} Issuer Format`, expected: `(absent) or ${ENTITY_FORMAT}`, actual: fmt, path: f.issuer.path }],
        fix: FIX_FORMAT,
      });
    }

    // The tenant of the Issuer against the tenantid claim (B2.3).
    for (const a of m.assertions) {
      const issuer = present(a.issuer) ?? respIssuer;
      const issuerTenant = tenantOf(issuer?.value);
      const claim = a.attributes.find((x) => x.name === TENANT_CLAIM);
      const claimValue = claim?.values[0];
      if (!issuer || !issuerTenant || !claimValue || claimValue.value === '') continue;
      if (claimValue.value.trim().toLowerCase() === issuerTenant) continue;
      report({
        message: 'tenantClaimDiffers',
        severity: 'warning',
        data: { issuerTenant, claimTenant: claimValue.value },
        evidence: [
          { label: 'Issuer', actual: issuer.value, path: issuer.path },
          { label: 'tenantid claim', expected: issuerTenant, actual: claimValue.value, path: claimValue.path, source: 'the tenant in the Issuer' },
        ],
        fix: FIX_TENANT,
      });
    }
  },
});
