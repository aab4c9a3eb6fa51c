// AADSTS error codes that matter for SAML sign-in to AWS IAM Identity Center (FACTS.md B5).
// Microsoft warns that the messages change: match codes with /AADSTS(\d+)/, never on text.
import { ENTRA_BASIC_SAML, ENTRA_NAMEID, ENTRA_SIGNIN_LOGS, ENTRA_USERS_GROUPS, ENTRA_SSO } from '../domain/console.ts';

export interface AadstsInfo {
  code: string;
  name: string;
  /** The meaning in a few plain words, for titles: "the user is not assigned to the app". */
  plain?: string;
  /** What it means for this integration. */
  cause: string;
  fix: string;
}

const general = (code: string, name: string, cause: string, fix?: string): AadstsInfo => ({
  code,
  name,
  cause,
  fix:
    fix ??
    `${ENTRA_SIGNIN_LOGS}: find the sign-in by its Correlation ID and read "Failure reason"; the fix is on the user's account or the Conditional Access policy, not in the AWS app.`,
});

/** A step Entra asks of the user (MFA, registration, a sign-in): not a fault to fix. */
const INTERRUPTION = `Not a configuration problem: the user completes the step Entra asks for and the sign-in goes on. If it repeats, ${ENTRA_SIGNIN_LOGS} (by Correlation ID) says why.`;

export const AADSTS: Record<string, AadstsInfo> = {
  '50011': {
    code: '50011',
    plain: "the ACS URL is not one of the app's Reply URLs",
    name: 'InvalidReplyTo',
    cause:
      "The AssertionConsumerServiceURL in Identity Center's AuthnRequest is not one of the Reply URLs configured on the Entra app.",
    fix: `${ENTRA_BASIC_SAML} → Reply URL (Assertion Consumer Service URL): add Identity Center's ACS URL exactly (and every enabled Region's ACS), keeping the primary Region's as default.`,
  },
  '50105': {
    code: '50105',
    plain: 'the user is not assigned to the app',
    name: 'EntitlementGrantsNotFound',
    cause: 'The user is not assigned to the AWS IAM Identity Center app, directly or through a directly assigned group (nested groups do not count).',
    fix: `${ENTRA_USERS_GROUPS} → Add user/group: assign the user or a group they are a direct member of.`,
  },
  '700016': {
    code: '700016',
    plain: "no app has Identity Center's entity ID as Identifier",
    name: 'UnauthorizedClient_DoesNotMatchRequest',
    cause:
      "No app in this tenant has the Identifier sent as the AuthnRequest Issuer: the Entra app's Identifier differs from Identity Center's entity ID (a trailing slash counts), or the request went to another tenant.",
    fix: `${ENTRA_BASIC_SAML} → Identifier (Entity ID): make it exactly the Identity Center issuer URL; check the tenant id in the sign-in URL.`,
  },
  '70001': {
    code: '70001',
    plain: "no app has Identity Center's entity ID as Identifier",
    name: 'Application not found in the directory',
    cause: 'The application with the Identifier in the AuthnRequest Issuer was not found in the directory.',
    fix: `${ENTRA_BASIC_SAML} → Identifier (Entity ID): make it exactly the Identity Center issuer URL.`,
  },
  '750054': {
    code: '750054',
    plain: 'no SAMLRequest in the sign-in URL',
    name: 'SAMLRequest or SAMLResponse must be present',
    cause:
      'The request reached Entra without a Redirect-binding SAMLRequest: a bookmarked or mistyped sign-in URL, a wrong binding, or a Sign-on URL that points at Entra instead of the AWS access portal.',
    fix: `${ENTRA_BASIC_SAML} → Sign on URL: set it to the "AWS access portal sign-in URL" Identity Center shows (or leave it empty for IdP-initiated sign-in); start the sign-in from the portal.`,
  },
  '75011': {
    code: '75011',
    plain: 'the authentication method does not match the request',
    name: 'NoMatchedAuthnContextInOutputClaims',
    cause: 'The way the user authenticated does not match the RequestedAuthnContext of the AuthnRequest.',
    fix: 'Remove RequestedAuthnContext from the request or send ForceAuthn="true".',
  },
  '900236': {
    code: '900236',
    plain: 'the AuthnRequest has a property Entra does not support',
    name: 'InvalidRequestSamlPropertyUnsupported',
    cause: 'The AuthnRequest carries an element or attribute Entra does not support (see the property name in the message).',
    fix: 'Compare the captured AuthnRequest with what Entra accepts (no Subject, no Scoping ProxyCount/IDPList/RequesterID).',
  },
  '76021': {
    code: '76021',
    plain: 'the app requires signed AuthnRequests',
    name: 'ApplicationRequiresSignedRequests',
    cause: 'The Entra app requires signed AuthnRequests, but Identity Center sends them unsigned.',
    fix: `${ENTRA_SSO} → SAML Certificates → Verification certificates: turn off "Require verification certificates".`,
  },
  '501241': {
    code: '501241',
    plain: "the NameID's source attribute is empty",
    name: 'Mandatory transformation input missing',
    cause: 'Entra could not compute the NameID: the source attribute of the Unique User Identifier is empty for this user (for example user.mail on a user without a mailbox).',
    fix: `${ENTRA_NAMEID}: use a source the user has (user.userprincipalname), or fill the attribute on the user.`,
  },
  '75016': {
    code: '75016',
    name: 'Saml2AuthenticationRequestInvalidNameIDPolicy',
    cause: 'The AuthnRequest asked for a NameID format Entra does not support.',
    fix: 'Entra accepts persistent, emailAddress, unspecified and transient in NameIDPolicy.',
  },
  '75005': {
    code: '75005',
    name: 'Saml2MessageInvalid',
    cause: 'Entra could not read the SAML request (missing fields or wrong encoding).',
    fix: 'Capture the AuthnRequest and check its encoding and required fields.',
  },
  '90015': { code: '90015', name: 'QueryStringTooLong', cause: 'The Redirect-binding request or its RelayState is too long.', fix: 'Shorten the RelayState or the request.' },
  '76026': { code: '76026', name: 'RequestIssueTimeExpired', cause: "The AuthnRequest's IssueInstant is too old: a stale bookmark or a clock far off.", fix: 'Start the sign-in again from the AWS access portal; check the device clock.' },
  '7500529': { code: '7500529', name: 'Invalid SAML ID', cause: 'The AuthnRequest ID starts with a digit.', fix: 'The SP must use an ID that starts with a letter or underscore.' },
  '75008': { code: '75008', name: 'RequestDeniedError', cause: 'The SAML request had an unexpected Destination.', fix: 'Check the SSO URL configured in Identity Center against the tenant\'s https://login.microsoftonline.com/<tenant>/saml2.' },
  '75003': { code: '75003', name: 'UnsupportedBindingError', cause: 'The request asked for a response binding other than HTTP-POST.', fix: 'Use the HTTP-POST binding for responses.' },
  '50020': general('50020', 'UserUnauthorized', 'The user is from another identity provider or tenant and is not in this tenant.'),
  '50034': general('50034', 'UserAccountNotFound', 'The user does not exist in this tenant.'),
  '50057': general('50057', 'UserDisabled', 'The user account is disabled.'),
  '53003': general('53003', 'BlockedByConditionalAccess', 'A Conditional Access policy blocked the sign-in.'),
  '50076': general('50076', 'UserStrongAuthRequired', 'Multi-factor authentication is required.', INTERRUPTION),
  '50079': general('50079', 'UserStrongAuthEnrollmentRequired', 'The user must register for multi-factor authentication.', INTERRUPTION),
  '50126': general('50126', 'InvalidUserNameOrPassword', 'Wrong user name or password.'),
  '50058': general('50058', 'UserInformationNotProvided', 'No session exists (expected with a silent, IsPassive request).', INTERRUPTION),
};

/** Every AADSTS code in a text, in order, without repeats. */
export function findAadstsCodes(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/AADSTS(\d{5,7})/g)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

export function explainAadsts(code: string): AadstsInfo | undefined {
  return AADSTS[code];
}
