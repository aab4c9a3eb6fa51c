// The lab's world (tenant, apps, Identity Center instances) and its scenarios. The scenario names,
// start URLs and expectedChecks are a contract with the extension's end-to-end tests.
import { createHash } from 'node:crypto';
import { LAB } from '../factory.ts';

export const SCENARIO_NAMES = [
  'sp-clean',
  'idp-clean',
  'myapps-wrong-portal',
  'nameid-mismatch',
  'audience-mismatch',
  'reply-url-mismatch',
  'expired',
  'accesscontrol-missing',
  'unsigned',
  // Entra stops the flow and shows its sign-in error page (AADSTS codes, FACTS B5).
  'entra-unassigned',
  'entra-reply-url',
  'entra-identifier',
  'entra-no-request',
  // AWS refuses a clean, signed response: the user was never provisioned (FACTS A10).
  'user-not-provisioned',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const isScenarioName = (s: unknown): s is ScenarioName =>
  typeof s === 'string' && (SCENARIO_NAMES as readonly string[]).includes(s);

/** A GUID-shaped id that is stable across runs (Entra application ids are GUIDs). */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(`samlscope-lab:${seed}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An AWS IAM Identity Center instance the lab plays. */
export interface LabInstance {
  identityStoreId: string;
  acsTenantId: string;
  region: string;
  entityId: string;
  acsUrl: string;
  portalUrl: string;
  portalHost: string;
  /** Identity Center user names (what NameID must equal, FACTS A1.3). */
  userNames: string[];
}

function instance(identityStoreId: string, acsTenantId: string, region: string, userNames: string[]): LabInstance {
  return {
    identityStoreId,
    acsTenantId,
    region,
    entityId: `https://${region}.signin.aws.amazon.com/platform/saml/${identityStoreId}`,
    acsUrl: `https://${region}.signin.aws.amazon.com/platform/saml/acs/${acsTenantId}`,
    portalUrl: `https://${identityStoreId}.awsapps.com/start`,
    portalHost: `${identityStoreId}.awsapps.com`,
    userNames,
  };
}

/**
 * A user whose names are written in Cyrillic (display name, given name, surname, department), with
 * an ASCII UPN: Entra allows only ASCII in a UPN's local part, so the NameID (the UPN) and the
 * Identity Center user name stay ASCII, and the Cyrillic travels in the response's claims (and on
 * the lab portal's page). Signs in when chosen with lab.setUser() (sessions, recorded files).
 */
export const CYRILLIC_USER = {
  upn: `yaroslava.kovalchuk@${LAB.user.split('@')[1]}`,
  mail: 'yaroslava.k@contoso-mail.com',
  givenName: 'Ярослава',
  surname: 'Ковальчук',
  displayName: 'Ярослава Ковальчук',
  objectId: '3f9b1d7e-6a2c-4e8f-b0d4-7c5a9e1f2b3d',
  department: 'Розробка',
  costCenter: 'CC-3150',
};

/** The Identity Center instance the tenant means to use (LAB constants of the factory). */
export const MAIN_INSTANCE = instance(LAB.identityStoreId, LAB.acsTenantId, LAB.region, [LAB.user, CYRILLIC_USER.upn]);
/** Another organisation's instance: where the misconfigured My Apps tile leads. */
export const OTHER_INSTANCE = instance('d-0000000000', '9e8d7c6b-5a49-4382-b1f0-e1d2c3b4a596', LAB.region, [LAB.user, CYRILLIC_USER.upn]);
/** An ACS of another region and tenant (the reply-url-mismatch scenario's Destination/Recipient). */
export const FOREIGN_ACS_URL = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/**
 * The entity ID the entra-identifier scenario's app has as its Identifier: the lab's identity
 * store in the wrong Region (matches no Identity Center instance the lab plays).
 */
export const WRONG_REGION_ENTITY_ID = `https://us-east-1.signin.aws.amazon.com/platform/saml/${LAB.identityStoreId}`;

/** The lab tenant's display name (Entra names it in some AADSTS messages). */
export const LAB_TENANT_NAME = 'Contoso';

export const LAB_USER = {
  upn: LAB.user,
  /** The user's mail attribute: NOT the Identity Center user name (nameid-mismatch). */
  mail: 'alex.m@contoso-mail.com',
  givenName: 'Alex',
  surname: 'Morgan',
  displayName: 'Alex Morgan',
  objectId: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f',
  department: 'Engineering',
  costCenter: 'CC-1042',
};

/**
 * A second Entra user: exists in Entra and is assigned to the app, but Identity Center has no user
 * with that user name (never SCIM-provisioned): the user-not-provisioned scenario signs them in.
 */
export const UNPROVISIONED_USER = {
  upn: `sam.lee@${LAB.user.split('@')[1]}`,
  mail: `sam.lee@${LAB.user.split('@')[1]}`,
  givenName: 'Sam',
  surname: 'Lee',
  displayName: 'Sam Lee',
  objectId: '8d2f6a1c-3e5b-4c7d-9f0a-1b2c3d4e5f60',
  department: 'Finance',
  costCenter: 'CC-2077',
};

export type LabUser = typeof LAB_USER;

/** The lab tenant's Entra users who can be at the keyboard (lab.setUser), by UPN. */
export const LAB_USERS: readonly LabUser[] = [LAB_USER, CYRILLIC_USER];

/**
 * The Entra user who signs in for a defect (the lab skips the password page): the person at the
 * keyboard (`atKeyboard`, default LAB_USER), except that unprovisioned-user always signs in Sam Lee.
 */
export const signedInUser = (d: Defect, atKeyboard: LabUser = LAB_USER): LabUser => (d === 'unprovisioned-user' ? UNPROVISIONED_USER : atKeyboard);

/** The Entra enterprise application (gallery "AWS IAM Identity Center") that follows setScenario(). */
export const MAIN_APP_ID = stableGuid('app:main');
/** A launch handle per scenario: one enterprise app per scenario in the lab tenant. */
export const appIdFor = (s: ScenarioName) => stableGuid(`app:${s}`);
/** The enterprise app for the other organisation's instance (answers its AuthnRequests). */
export const OTHER_APP_ID = stableGuid('app:other-instance');

export const launcherUrl = (appId: string) =>
  `https://launcher.myapps.microsoft.com/api/signin/${appId}?tenantId=${LAB.tenantId}`;

/** What the defect in the IdP's response is. */
export type Defect = 'none' | 'nameid' | 'audience' | 'reply-url' | 'expired' | 'no-costcenter' | 'unsigned' | 'unprovisioned-user';

/** What the lab's own SP (the AWS stand-in) does with the response. */
export type LabOutcome =
  | { verdict: 'signed-in'; portalHost: string }
  | { verdict: 'error'; source: 'node-saml' | 'lab'; reasonIncludes: string; heading: string }
  /** Entra stops the flow on its sign-in error page: no SAMLResponse, the SP never sees the user. */
  | { verdict: 'entra-error'; code: string };

export interface Scenario {
  name: ScenarioName;
  /** Open this URL in the browser to run the scenario (the only hop that names the scenario). */
  startUrl: string;
  /** The same defect, started IdP-initiated from this scenario's My Apps launcher URL. */
  idpStartUrl: string;
  initiation: 'sp' | 'idp';
  description: string;
  /** Check ids (errors and warnings) the extension reports for it, with the lab settings of test/e2e/run-scenario.ts. */
  expectedChecks: string[];
  /** A non-check observation the analysis should make (myapps-wrong-portal). */
  expectedNote?: string;
  defect: Defect;
  /** Which code wrote the SAMLResponse; absent when Entra stops the flow before it sends one. */
  responseSource?: 'samlify' | 'factory';
  /** The lab SP's verdict, or Entra's error when Entra stops the flow. */
  outcome: LabOutcome;
  /** The AADSTS code of the Entra error page the flow ends on (e.g. 'AADSTS50105'). */
  expectedEntraError?: string;
  /** The heading of the AWS sign-in error page the flow ends on (FACTS A10). */
  expectedAwsError?: string;
  /** Entra's page shows its Troubleshooting details folded (the ids are in the page, not visible). */
  entraDetailsFolded?: boolean;
  /** How the lab tenant's enterprise app for this scenario differs from the right configuration. */
  app?: ScenarioAppConfig;
}

/**
 * The scenario's enterprise app in the lab tenant, where it differs from the right one (Identifier =
 * the main instance's entity ID, Reply URL = its ACS, the lab users assigned, no Sign-on URL).
 */
export interface ScenarioAppConfig {
  /** Basic SAML Configuration → Identifier (Entity ID). */
  identifier?: string;
  /** Basic SAML Configuration → Reply URLs (ACS). */
  replyUrls?: string[];
  /** Sign-on URL: set, the My Apps tile opens it (SP mode) instead of signing in IdP-initiated. */
  signOnUrl?: string;
  /** UPNs of the users assigned to the app (assignment required). */
  assignedUsers?: string[];
}

const spStart = (s: ScenarioName) => `${MAIN_INSTANCE.portalUrl}?lab-scenario=${s}`;
const signedIn = (portalHost = MAIN_INSTANCE.portalHost): LabOutcome => ({ verdict: 'signed-in', portalHost });
const UNEXPECTED = 'An unexpected error has occurred';
const NOT_YOU = "It's not you, it's us";
const entraErrorOutcome = (code: string): LabOutcome => ({ verdict: 'entra-error', code });

type Spec = Omit<Scenario, 'name' | 'startUrl' | 'idpStartUrl'> & { startUrl?: string };

const SPECS: Record<ScenarioName, Spec> = {
  'sp-clean': {
    initiation: 'sp',
    defect: 'none',
    responseSource: 'samlify',
    description: 'SP-initiated from the AWS access portal; Entra answers a clean, signed response.',
    expectedChecks: [],
    outcome: signedIn(),
  },
  'idp-clean': {
    initiation: 'idp',
    startUrl: launcherUrl(appIdFor('idp-clean')),
    defect: 'none',
    responseSource: 'samlify',
    description: 'IdP-initiated from the My Apps launcher; an unsolicited (no InResponseTo), clean, signed response.',
    expectedChecks: [],
    outcome: signedIn(),
  },
  'myapps-wrong-portal': {
    initiation: 'idp',
    startUrl: launcherUrl(appIdFor('myapps-wrong-portal')),
    defect: 'none',
    responseSource: 'samlify',
    description:
      `The My Apps tile's app has a Sign-on URL that names another Identity Center instance (${OTHER_INSTANCE.portalUrl}), ` +
      'so the launcher sends the user there; that portal starts an SP-initiated sign-in that ends at its own ACS.',
    // The tile's Sign-on URL opens the other instance's portal (portal-mismatch); the response
    // Entra sends is then right for that instance and wrong for the configured one.
    expectedChecks: ['portal-mismatch', 'audience-mismatch', 'destination-mismatch', 'recipient-mismatch'],
    expectedNote: `Sign-in went to the access portal ${OTHER_INSTANCE.portalUrl}, not ${MAIN_INSTANCE.portalUrl}: the Entra app's Sign-on URL names the wrong portal.`,
    outcome: signedIn(OTHER_INSTANCE.portalHost),
    app: { signOnUrl: OTHER_INSTANCE.portalUrl },
  },
  'nameid-mismatch': {
    initiation: 'sp',
    defect: 'nameid',
    responseSource: 'samlify',
    description: `NameID is the user's mail (${LAB_USER.mail}), not the Identity Center user name (the UPN ${LAB_USER.upn}).`,
    expectedChecks: ['nameid-mismatch', 'aws-sign-in-error'],
    outcome: { verdict: 'error', source: 'lab', reasonIncludes: 'no Identity Center user', heading: UNEXPECTED },
  },
  'audience-mismatch': {
    initiation: 'sp',
    defect: 'audience',
    responseSource: 'samlify',
    description: "The Entra app's Identifier has a trailing slash, so Audience is the entity ID + '/'.",
    expectedChecks: ['audience-mismatch', 'aws-sign-in-error'],
    outcome: { verdict: 'error', source: 'node-saml', reasonIncludes: 'audience mismatch', heading: UNEXPECTED },
  },
  'reply-url-mismatch': {
    initiation: 'sp',
    defect: 'reply-url',
    responseSource: 'samlify',
    description:
      `Destination and Recipient name another region's/tenant's ACS (${FOREIGN_ACS_URL}); ` +
      'the form still posts to the ACS the AuthnRequest asked for.',
    expectedChecks: ['destination-mismatch', 'recipient-mismatch', 'aws-sign-in-error'],
    outcome: { verdict: 'error', source: 'lab', reasonIncludes: 'Destination', heading: UNEXPECTED },
  },
  expired: {
    initiation: 'sp',
    defect: 'expired',
    responseSource: 'samlify',
    description: "The IdP's clock is 2 hours behind: IssueInstant, NotBefore and both NotOnOrAfter are in the past.",
    expectedChecks: ['conditions-expired', 'aws-sign-in-error'],
    // node-saml drops the expired SubjectConfirmation before it looks at Conditions.
    outcome: { verdict: 'error', source: 'node-saml', reasonIncludes: 'No valid subject confirmation', heading: NOT_YOU },
  },
  'accesscontrol-missing': {
    initiation: 'sp',
    defect: 'no-costcenter',
    responseSource: 'samlify',
    description:
      'The claim https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter is missing (Department is sent). ' +
      'Sign-in itself succeeds (AWS does not reject it); the session lacks the CostCenter tag.',
    expectedChecks: ['accesscontrol-missing'],
    outcome: signedIn(),
  },
  unsigned: {
    initiation: 'sp',
    defect: 'unsigned',
    responseSource: 'factory',
    description: 'Neither the Response nor the Assertion is signed.',
    expectedChecks: ['signature-missing', 'aws-sign-in-error'],
    outcome: { verdict: 'error', source: 'node-saml', reasonIncludes: 'signature', heading: NOT_YOU },
  },
  'entra-unassigned': {
    initiation: 'sp',
    defect: 'none',
    description:
      `SP-initiated from the AWS access portal; ${LAB_USER.upn} is not assigned to the Entra app (assignment required), ` +
      'so Entra answers the AuthnRequest with its error page AADSTS50105 instead of a response.',
    expectedChecks: ['entra-error'],
    expectedEntraError: 'AADSTS50105',
    outcome: entraErrorOutcome('AADSTS50105'),
    app: { assignedUsers: [] },
  },
  'entra-reply-url': {
    initiation: 'sp',
    defect: 'none',
    description:
      `SP-initiated; the Entra app's Reply URLs list only ${FOREIGN_ACS_URL}, not the ACS in the AuthnRequest ` +
      `(${MAIN_INSTANCE.acsUrl}): Entra shows AADSTS50011.`,
    expectedChecks: ['entra-error'],
    expectedEntraError: 'AADSTS50011',
    outcome: entraErrorOutcome('AADSTS50011'),
    app: { replyUrls: [FOREIGN_ACS_URL] },
  },
  'entra-identifier': {
    initiation: 'sp',
    defect: 'none',
    entraDetailsFolded: true,
    description:
      `SP-initiated; the Entra app's Identifier is ${WRONG_REGION_ENTITY_ID} (wrong Region), not Identity Center's ` +
      `entity ID ${MAIN_INSTANCE.entityId} (the AuthnRequest Issuer): Entra shows AADSTS700016.`,
    expectedChecks: ['entra-error'],
    expectedEntraError: 'AADSTS700016',
    outcome: entraErrorOutcome('AADSTS700016'),
    app: { identifier: WRONG_REGION_ENTITY_ID },
  },
  'entra-no-request': {
    initiation: 'idp',
    startUrl: launcherUrl(appIdFor('entra-no-request')),
    defect: 'none',
    description:
      `IdP-initiated from the My Apps launcher; the app's Sign-on URL is Entra's own SAML endpoint (${LAB.ssoUrl}) ` +
      'instead of the access portal, so the tile opens it without a SAMLRequest: Entra shows AADSTS750054.',
    expectedChecks: ['entra-error'],
    expectedEntraError: 'AADSTS750054',
    outcome: entraErrorOutcome('AADSTS750054'),
    app: { signOnUrl: LAB.ssoUrl },
  },
  'user-not-provisioned': {
    initiation: 'sp',
    defect: 'unprovisioned-user',
    responseSource: 'samlify',
    description:
      `SP-initiated; Entra signs in ${UNPROVISIONED_USER.upn} (exists in Entra, assigned to the app) with a clean, signed ` +
      'response, but Identity Center has no user with that user name (never SCIM-provisioned): AWS shows its generic error page.',
    expectedChecks: ['aws-sign-in-error'],
    expectedAwsError: UNEXPECTED,
    outcome: { verdict: 'error', source: 'lab', reasonIncludes: 'no Identity Center user', heading: UNEXPECTED },
  },
};

export const SCENARIOS: Record<ScenarioName, Scenario> = Object.fromEntries(
  SCENARIO_NAMES.map((name) => {
    const { startUrl, ...rest } = SPECS[name];
    return [name, { name, startUrl: startUrl ?? spStart(name), idpStartUrl: launcherUrl(appIdFor(name)), ...rest }];
  }),
) as Record<ScenarioName, Scenario>;
