// Where things are changed, as people click through the consoles. One place, so every check
// names the same path the same way.

export const ENTRA_APP =
  'Entra admin center → Identity → Applications → Enterprise applications → AWS IAM Identity Center';
export const ENTRA_SSO = `${ENTRA_APP} → Single sign-on`;
export const ENTRA_BASIC_SAML = `${ENTRA_SSO} → Basic SAML Configuration`;
export const ENTRA_CLAIMS = `${ENTRA_SSO} → Attributes & Claims`;
export const ENTRA_NAMEID = `${ENTRA_CLAIMS} → Unique User Identifier (Name ID)`;
export const ENTRA_CERT = `${ENTRA_SSO} → SAML Certificates`;
export const ENTRA_USERS_GROUPS = `${ENTRA_APP} → Users and groups`;
export const ENTRA_SIGNIN_LOGS = 'Entra admin center → Identity → Monitoring & health → Sign-in logs';

export const AWS_IDENTITY_SOURCE = 'AWS console → IAM Identity Center → Settings → Identity source';
export const AWS_MANAGE_AUTH = `${AWS_IDENTITY_SOURCE} → Actions → Change identity source / Manage authentication`;
export const AWS_ABAC = 'AWS console → IAM Identity Center → Settings → Attributes for access control';
export const AWS_USERS = 'AWS console → IAM Identity Center → Users';
export const ENTRA_FEDERATION_METADATA = `${ENTRA_CERT} → Federation Metadata XML → Download`;
export const ENTRA_NEW_APP =
  'Entra admin center → Identity → Applications → Enterprise applications → New application → search the gallery';
// The SAML Certificates section's Edit pane (FACTS B3.1, B3.2).
export const ENTRA_SIGNING_OPTION = `${ENTRA_CERT} → Edit → Signing Option`;
export const ENTRA_SIGNING_ALGORITHM = `${ENTRA_CERT} → Edit → Signing Algorithm`;
// Token encryption sits under the app's Security menu, not under Single sign-on.
export const ENTRA_TOKEN_ENCRYPTION = `${ENTRA_APP} → Security → Token encryption`;
// The Unique User Identifier (Name ID) claim's edit pane (FACTS A1.1, A1.6, B2.4).
export const ENTRA_NAMEID_FORMAT = `${ENTRA_NAMEID} → Choose name identifier format → Email address`;
export const ENTRA_NAMEID_SOURCE = `${ENTRA_NAMEID} → Source attribute`;
export const ENTRA_NAMEID_CONDITIONS = `${ENTRA_NAMEID} → Claim conditions`;
// Basic SAML Configuration's Reply URL list and Identity Center's ACS URL (FACTS A3.4–A3.6).
export const ENTRA_REPLY_URL = `${ENTRA_BASIC_SAML} → Reply URL (Assertion Consumer Service URL)`;
export const AWS_ACS_URL = `${AWS_IDENTITY_SOURCE} → Actions → Change identity source → "IAM Identity Center Assertion Consumer Service (ACS) URL"`;
export const REPLY_URL_FIX =
  `${ENTRA_REPLY_URL}: set it to Identity Center's ACS URL exactly, as shown in ${AWS_ACS_URL} (or in the AWS SP metadata). ` +
  'With several Reply URLs (one per Region), Entra uses the one marked Default for IdP-initiated sign-in: keep the primary Region\'s ACS URL as the default.';
// Entra's provisioning (SCIM) attribute mappings for users (FACTS D1.5, D2.4).
export const ENTRA_PROVISIONING = `${ENTRA_APP} → Provisioning`;
export const ENTRA_PROVISIONING_USER_MAPPINGS = `${ENTRA_APP} → Provisioning → Mappings → Provision Microsoft Entra ID Users`;
// Identity Center's copy of the IdP certificate (FACTS A9.1) and Entra's certificate rollover (A9.3).
export const AWS_IDP_CERT = `${AWS_IDENTITY_SOURCE} → Actions → Manage authentication → IdP certificate`;
export const ENTRA_NEW_CERT = `${ENTRA_CERT} → Edit → New Certificate → Save, then on the new certificate's "…" menu: Make certificate active`;
export const CERT_ROLLOVER_FIX =
  `Make Entra and AWS hold the same certificate. See which certificate Entra signs with in ${ENTRA_CERT} (Status: Active; compare the Thumbprint, the SHA-1 fingerprint below). ` +
  `Then upload it to AWS: ${AWS_IDP_CERT} → import the certificate (or the Federation Metadata XML from ${ENTRA_CERT}). ` +
  'Identity Center trusts only the certificate uploaded to it, so sign-in fails from the moment Entra signs with a certificate AWS does not hold.';
// Where Identity Center shows the portal URL that starts an SP-initiated sign-in (FACTS A4, A4.4).
export const AWS_PORTAL_START = 'AWS console → IAM Identity Center → Dashboard → Settings summary → AWS access portal URL';
