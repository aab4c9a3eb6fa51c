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
