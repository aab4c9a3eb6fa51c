// Where provisioning is changed, as people click through the consoles (FACTS C1.2, D1.5, D6).
// The SAML checks' paths live in lib/checks/fixes.ts; these build on them.
import { AWS_IDENTITY_SOURCE, AWS_USERS, ENTRA_APP, ENTRA_PROVISIONING_USER_MAPPINGS, ENTRA_USERS_GROUPS } from '../checks/fixes.ts';

export { AWS_USERS, ENTRA_PROVISIONING_USER_MAPPINGS, ENTRA_USERS_GROUPS };
export const ENTRA_PROVISIONING = `${ENTRA_APP} → Provisioning`;
export const ENTRA_PROVISIONING_GROUP_MAPPINGS = `${ENTRA_PROVISIONING} → Mappings → Provision Microsoft Entra ID Groups`;
export const ENTRA_PROVISIONING_CREDENTIALS = `${ENTRA_PROVISIONING} → Admin Credentials → Tenant URL / Secret Token`;
export const ENTRA_PROVISIONING_SCOPE = `${ENTRA_PROVISIONING} → Settings → Scope`;
export const ENTRA_PROVISION_ON_DEMAND = `${ENTRA_PROVISIONING} → Provision on demand`;
export const ENTRA_PROVISIONING_LOGS = 'Entra admin center → Identity → Monitoring & health → Provisioning logs';
export const ENTRA_USER_PROPERTIES = 'Entra admin center → Identity → Users → All users → (the user) → Properties';
export const AWS_GROUPS = 'AWS console → IAM Identity Center → Groups';
export const AWS_AUTOMATIC_PROVISIONING = `${AWS_IDENTITY_SOURCE} → Automatic provisioning → Manage access tokens`;

/** The fix for multi-valued attributes: one mapping per list attribute (FACTS C5.2, C6). */
export const FIX_ONE_VALUE =
  `${ENTRA_PROVISIONING_USER_MAPPINGS}: keep ONE mapping into each of emails, phoneNumbers and addresses ` +
  '(e.g. delete the mobile → phoneNumbers[type eq "mobile"].value and facsimileTelephoneNumber mappings and keep the work one). ' +
  'Identity Center stores a single email, phone number and address per user.';

export const FIX_USER_DATA =
  `Correct the value on the user in ${ENTRA_USER_PROPERTIES}, or change the expression that produces it in ${ENTRA_PROVISIONING_USER_MAPPINGS}; ` +
  `then retry the user with ${ENTRA_PROVISION_ON_DEMAND}.`;

export const FIX_TOKEN =
  `Generate a new token in ${AWS_AUTOMATIC_PROVISIONING} (it is shown once), paste it into ${ENTRA_PROVISIONING_CREDENTIALS} → Test Connection, ` +
  'then delete the old token in AWS. Tokens last one year; at most two exist at a time.';
