// An AuthnRequest whose Issuer or ACS URL is not Identity Center's: another SaaS app, a test SP.
// Its values are then not taken as the expected Audience / ACS (resolveExpectations in
// lib/analyze.ts checks the same shapes), so this finding says why they were left out.
import type { Evidence } from '../types.ts';
import { AWS_PORTAL_START, ENTRA_BASIC_SAML } from './fixes.ts';
import { defineCheck } from './types.ts';
import { hostOf, isIdcAcsUrl, isIdcEntityId } from './util.ts';

const ENTITY_SHAPE = 'https://<region>.signin.aws.amazon.com/platform/saml/<identity store id>';
const ACS_SHAPE = 'https://<region>.signin.aws/platform/saml/acs/<tenant id> (or .signin.aws.amazon.com, .sso.signin.aws)';

const FIX =
  `If you are debugging a sign-in to AWS IAM Identity Center, start it at the AWS access portal (${AWS_PORTAL_START}) so that Identity Center writes the AuthnRequest, and capture again. ` +
  `If the sign-in began at a My Apps tile, check ${ENTRA_BASIC_SAML} → Sign on URL: it should hold that AWS access portal URL, not another application's address. ` +
  'If this request belongs to another application on purpose, its findings against Identity Center do not apply.';

export const requestNotIdentityCenter = defineCheck({
  id: 'request-not-identity-center',
  severity: 'warning',
  title: 'The AuthnRequest does not come from AWS IAM Identity Center',
  docs:
    'Identity Center signs its AuthnRequests with its own issuer URL (https://<region>.signin.aws.amazon.com/platform/saml/<id>) and asks for its own ACS URL, and Entra copies them into the Audience and the Reply URL of the answer. ' +
    'A request with another Issuer or ACS comes from another application or a test SP: its values are not taken as what Identity Center expects, or a foreign Audience would pass unnoticed.',
  facts: ['A3.1', 'A3.2', 'A3.3', 'A3.4', 'A3.7', 'B2.7', 'B6.2'],
  appliesTo: ['AuthnRequest'],
  messages: {
    issuer:
      'The AuthnRequest\'s Issuer {issuer} does not have the shape of an Identity Center issuer URL ({shape}): this request comes from another service provider ({host}), not from Identity Center. It is not used as the expected Audience.',
    acs:
      'The AuthnRequest asks for the ACS URL {acs}, which does not have the shape of an Identity Center ACS URL ({shape}): the answer would go to another service provider ({host}), not to Identity Center. It is not used as the expected Destination or Recipient.',
    both:
      'Neither the AuthnRequest\'s Issuer {issuer} nor its ACS URL {acs} has Identity Center\'s shape: this request comes from another service provider ({host}), not from Identity Center. Neither is used as what Identity Center expects.',
  },
  titles: {
    issuer: 'The AuthnRequest\'s Issuer is not Identity Center\'s',
    acs: 'The AuthnRequest asks for an ACS URL that is not Identity Center\'s',
    both: 'The AuthnRequest does not come from AWS IAM Identity Center',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'AuthnRequest') return;
    const issuer = m.issuer?.value.trim();
    const acs = m.acsUrl;
    // No Issuer: nothing to judge the origin by (Entra refuses it anyway, B6.2).
    const badIssuer = issuer !== undefined && issuer !== '' && !isIdcEntityId(issuer);
    const badAcs = acs !== undefined && acs.trim() !== '' && !isIdcAcsUrl(acs.trim());
    if (!badIssuer && !badAcs) return;
    const issuerEv: Evidence = {
      label: 'AuthnRequest Issuer',
      expected: ctx.expect.spEntityId?.configured ? ctx.expect.spEntityId.value : ENTITY_SHAPE,
      actual: issuer ?? '(none)',
      path: m.issuer?.path ?? m.rootPath,
      source: ctx.expect.spEntityId?.configured ? ctx.expect.spEntityId.source : "Identity Center's issuer URL shape",
    };
    const acsEv: Evidence = {
      label: 'AuthnRequest AssertionConsumerServiceURL',
      expected: ctx.expect.acsUrl?.configured ? ctx.expect.acsUrl.value : ACS_SHAPE,
      actual: acs ?? '(none)',
      path: `${m.rootPath}/@AssertionConsumerServiceURL`,
      source: ctx.expect.acsUrl?.configured ? ctx.expect.acsUrl.source : "Identity Center's ACS URL shapes",
    };
    const host = (badAcs ? hostOf(acs!.trim()) : undefined) ?? hostOf(issuer) ?? issuer ?? acs ?? '(unknown)';
    if (badIssuer && badAcs) {
      report({ message: 'both', data: { issuer: issuer!, acs: acs!, host }, evidence: [issuerEv, acsEv], fix: FIX });
    } else if (badIssuer) {
      report({ message: 'issuer', data: { issuer: issuer!, shape: ENTITY_SHAPE, host: hostOf(issuer) ?? issuer! }, evidence: [issuerEv], fix: FIX });
    } else {
      report({ message: 'acs', data: { acs: acs!, shape: ACS_SHAPE, host: hostOf(acs!.trim()) ?? acs! }, evidence: [acsEv], fix: FIX });
    }
  },
});
