// The local SAML lab: ONE https server on 127.0.0.1 that stands in for Microsoft Entra ID
// (login.microsoftonline.com, the My Apps launcher) and AWS IAM Identity Center (the access
// portals *.awsapps.com and the ACS *.signin.aws.amazon.com), routed by the Host header.
// Chromium reaches it under the real names with --host-resolver-rules (see `hostRules`).
//
// Scenario selection: the first hop of a flow names it, the lab remembers it server-side, and
// nothing lab-specific appears in any SAML message, RelayState, or later URL:
//   - SP-initiated: https://d-93670a1b2c.awsapps.com/start?lab-scenario=<name>; the portal binds
//     the scenario to the AuthnRequest ID it creates, and Entra looks it up by that ID.
//   - IdP-initiated: each scenario has its own enterprise app (appIdFor(name)), so its launcher URL
//     https://launcher.myapps.microsoft.com/api/signin/<appId>?tenantId=<tenant> names it.
//   - Flows with no choice (plain /start, or the MAIN_APP_ID launcher) use the current default:
//     setScenario(name), or POST https://lab.invalid/__lab/scenario {"name": ...}.
//
// Entra's side of a scenario is its enterprise app's configuration (Scenario.app: Identifier,
// Reply URLs, Sign-on URL, assigned users); Entra checks the flow's AuthnRequest against it and
// either answers with a response or stops on its sign-in error page (entraError in pages.ts),
// which the lab records with its Request Id and Correlation Id (LabFlow.entraError, lab.entraErrors,
// GET https://lab.invalid/__lab/entra-errors).
import 'reflect-metadata';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { LAB } from '../factory.ts';
import { IDP_KEY } from '../keys.ts';
import { makeTlsCertificate, LAB_HOST_NAMES } from './cert.ts';
import { createEntraEngine, decodeAuthnRequest, type AuthnRequestInfo } from './entra.ts';
import { createAwsSp, type AwsSp, type AwsVerdict } from './aws.ts';
import { cloudTrailEvent } from '../logs.ts';
import { awsError, entraError, entraFormPost, portalPage, simplePage, type PortalSession } from './pages.ts';
import {
  CYRILLIC_USER,
  LAB_TENANT_NAME,
  LAB_USER,
  LAB_USERS,
  MAIN_APP_ID,
  MAIN_INSTANCE,
  OTHER_APP_ID,
  OTHER_INSTANCE,
  SCENARIOS,
  SCENARIO_NAMES,
  appIdFor,
  isScenarioName,
  launcherUrl,
  signedInUser,
  type LabInstance,
  type LabUser,
  type Scenario,
  type ScenarioName,
} from './scenarios.ts';

export * from './scenarios.ts';
export { LAB_HOST_NAMES } from './cert.ts';

export interface LabOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The default scenario for flows whose first hop names none. Default 'sp-clean'. */
  scenario?: ScenarioName;
  /** Print each request to stderr. */
  verbose?: boolean;
  /** The UPN of the Entra user at the keyboard (one of LAB_USERS). Default LAB_USER. */
  user?: string;
}

/** One sign-in as the lab saw it: what it sent and what its SP decided. */
export interface LabFlow {
  scenario: ScenarioName;
  initiation: 'sp' | 'idp';
  /** The Identity Center instance whose portal/ACS took part. */
  identityStoreId: string;
  requestId?: string;
  authnRequestXml?: string;
  relayState?: string;
  responseXml?: string;
  responseSource?: 'samlify' | 'factory';
  acsUrl?: string;
  verdict?: AwsVerdict;
  /** The Entra enterprise app that handled the flow. */
  appId?: string;
  /** Set when Entra stopped the flow on its sign-in error page (no response was sent). */
  entraError?: LabEntraError;
  /** The UPN of the Entra user at the keyboard when the flow started (lab.setUser). */
  user?: string;
}

/** One Entra sign-in error page the lab served: what it showed and the secrets it carried. */
export interface LabEntraError {
  /** 'AADSTS50105' */
  code: string;
  /** The sentence after "<code>: " (the page shows "Message: <code>: <message>"). */
  message: string;
  /** "Request Id: …" on the page ($Config.sessionId, x-ms-request-id header). A random GUID. */
  requestId: string;
  /** "Correlation Id: …" on the page ($Config.correlationId). A random GUID. */
  correlationId: string;
  /** "Timestamp: …" on the page: ISO 8601 UTC with milliseconds. */
  timestamp: string;
  /** The HTTP status the page came with (200 when it ends a lab flow, like Entra). */
  status: number;
  /** The URL Entra was asked. */
  url: string;
  /** The flow's scenario, when the page ends a lab flow. */
  scenario?: ScenarioName;
  /** The value of the page's login hint inputs (loginfmt, login_hint), if any. */
  loginHint?: string;
  /** Values of the page's hidden inputs and password field: the extension must never store them. */
  secrets: { flowToken: string; ctx: string; canary: string; passwd: string };
}

export interface LabRequestLogEntry {
  at: string;
  method: string;
  url: string;
  status: number;
}

export interface Lab {
  port: number;
  /** https://127.0.0.1:<port> */
  origin: string;
  /** The value for Chromium's --host-resolver-rules. */
  hostRules: string;
  scenarios: Record<ScenarioName, Scenario>;
  setScenario(name: ScenarioName): void;
  /**
   * How long Entra's form_post page ("Working...") waits before it posts the SAMLResponse (0, as
   * Entra does, by default). A pause stands for the moments a person spends on Entra's pages (MFA,
   * "Stay signed in?"), when Chromium may stop an idle service worker mid-sign-in.
   */
  setFormPostDelay(ms: number): void;
  /** The current default scenario. */
  scenario(): ScenarioName;
  /**
   * Who is at the keyboard from now on: the Entra user (UPN, one of LAB_USERS) whom Entra signs in
   * for flows that start afterwards (the lab skips the password page). Also
   * POST https://lab.invalid/__lab/user {"upn": …}.
   */
  setUser(upn: string): void;
  /** The UPN of the user at the keyboard. */
  user(): string;
  /** Every sign-in, oldest first. */
  flows: LabFlow[];
  /** Every request, oldest first. */
  requests: LabRequestLogEntry[];
  /** Every Entra sign-in error page served, oldest first (also GET /__lab/entra-errors). */
  entraErrors: LabEntraError[];
  /**
   * The CloudTrail sign-in events the AWS stand-in records for each POST to its ACS (test/lab/logs.ts
   * shapes): UserAuthentication Success, or ExternalIdPDirectoryLogin Failure with the lab's reason
   * as errorMessage (the lab's own wording: AWS does not publish its messages, FACTS G2.4).
   */
  cloudTrail: Record<string, unknown>[];
  /** The Entra stand-in's signing certificate (what the SP trusts). */
  idpCertPem: string;
  /** The TLS certificate (self-signed, made at start). */
  tlsCertPem: string;
  close(): Promise<void>;
}

interface EntraApp {
  appId: string;
  /** The tile's name in My Apps. */
  displayName: string;
  /** The application name Entra's messages use (the gallery app's name). */
  appName: string;
  identifier: string;
  replyUrls: string[];
  /** Set: the My Apps tile opens this (SP mode) instead of signing in IdP-initiated. */
  signOnUrl?: string;
  /** UPNs of the users assigned to the app (the lab's apps all require assignment). */
  assignedUsers: string[];
  /** undefined: the lab's current default scenario. */
  scenario?: ScenarioName;
}

class HttpError extends Error {
  constructor(
    /** Any status, 200 included (Entra's error pages come with 200). */
    readonly status: number,
    readonly html: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const CONTROL_HOSTS = new Set(['lab.invalid', '127.0.0.1', 'localhost']);
const INSTANCES = new Map<string, LabInstance>([
  [MAIN_INSTANCE.identityStoreId, MAIN_INSTANCE],
  [OTHER_INSTANCE.identityStoreId, OTHER_INSTANCE],
]);
const EXPECTED_TAGS = ['Department', 'CostCenter'];

const APP_NAME = 'AWS IAM Identity Center';
/** Every lab user exists in Entra and is assigned unless a scenario's app says otherwise. */
const ALL_ASSIGNED = [LAB_USER.upn, CYRILLIC_USER.upn, signedInUser('unprovisioned-user').upn];

/** The lab tenant's enterprise apps: the main one, one per scenario (its Scenario.app config), the other organisation's. */
function entraApps(): Map<string, EntraApp> {
  const apps = new Map<string, EntraApp>();
  const main = { appName: APP_NAME, identifier: MAIN_INSTANCE.entityId, replyUrls: [MAIN_INSTANCE.acsUrl], assignedUsers: ALL_ASSIGNED };
  apps.set(MAIN_APP_ID, { appId: MAIN_APP_ID, displayName: APP_NAME, ...main });
  for (const name of SCENARIO_NAMES) {
    const appId = appIdFor(name);
    const cfg = SCENARIOS[name].app ?? {};
    apps.set(appId, {
      appId,
      displayName: `${APP_NAME} (lab: ${name})`,
      appName: APP_NAME,
      identifier: cfg.identifier ?? main.identifier,
      replyUrls: cfg.replyUrls ?? main.replyUrls,
      assignedUsers: cfg.assignedUsers ?? main.assignedUsers,
      signOnUrl: cfg.signOnUrl,
      scenario: name,
    });
  }
  apps.set(OTHER_APP_ID, {
    appId: OTHER_APP_ID,
    displayName: `${APP_NAME} (other organisation)`,
    appName: APP_NAME,
    identifier: OTHER_INSTANCE.entityId,
    replyUrls: [OTHER_INSTANCE.acsUrl],
    signOnUrl: OTHER_INSTANCE.portalUrl,
    assignedUsers: ALL_ASSIGNED,
    scenario: 'myapps-wrong-portal',
  });
  return apps;
}

/**
 * The Identity Center instance an app's responses are for. An Identifier that names no instance
 * (entra-identifier, run IdP-initiated) still goes out as the Audience (FACTS B2.7), to the
 * instance that owns the Reply URL.
 */
function instanceFor(app: EntraApp): LabInstance {
  const byId = [...INSTANCES.values()].find((i) => i.entityId === app.identifier);
  if (byId) return byId;
  const byAcs = [...INSTANCES.values()].find((i) => app.replyUrls.includes(i.acsUrl)) ?? MAIN_INSTANCE;
  return { ...byAcs, entityId: app.identifier };
}

const ENTRA_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoft.com']);
/** Entra's own URLs, compared without query (a Sign-on URL pointing at Entra, entra-no-request). */
const entraEndpoint = (u: string): string | undefined => {
  try {
    const x = new URL(u);
    return ENTRA_HOSTS.has(x.hostname.toLowerCase()) ? `${x.hostname.toLowerCase()}${x.pathname.replace(/\/$/, '').toLowerCase()}` : undefined;
  } catch {
    return undefined;
  }
};

// Entra's messages (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes; FACTS B5).
const MSG = {
  unassigned: (app: EntraApp, upn: string) =>
    `Your administrator has configured the application ${app.appName} ('${app.appId}') to block users unless they are ` +
    `specifically granted ('assigned') access to the application. The signed in user '${upn}' is blocked because they ` +
    'are not a direct member of a group with access, nor had access directly assigned by an administrator. ' +
    'Please contact your administrator to assign access to this application.',
  replyUrl: (acsUrl: string, app: EntraApp) =>
    `The redirect URI '${acsUrl}' specified in the request does not match the redirect URIs configured for the ` +
    `application '${app.appId}'. Make sure the redirect URI sent in the request matches one added to your application ` +
    'in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.',
  notFound: (identifier: string) =>
    `Application with identifier '${identifier}' was not found in the directory '${LAB_TENANT_NAME}'. This can happen ` +
    'if the application has not been installed by the administrator of the tenant or consented to by any user in the ' +
    'tenant. You may have sent your authentication request to the wrong tenant.',
  noRequest: 'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.',
};

const readBody = (req: IncomingMessage, limit = 1 << 20) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, simplePage('Request too large', '')));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const token = () => randomBytes(24).toString('base64url');

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const tls = await makeTlsCertificate();
  const entra = createEntraEngine(IDP_KEY);
  const sps = new Map<string, AwsSp>([...INSTANCES.values()].map((i) => [i.acsUrl, createAwsSp(i, IDP_KEY)]));
  const spFor = (i: LabInstance) => sps.get(i.acsUrl)!;
  const apps = entraApps();
  let current: ScenarioName = opts.scenario ?? 'sp-clean';
  const userByUpn = (upn: string): LabUser => {
    const u = LAB_USERS.find((x) => x.upn === upn);
    if (!u) throw new Error(`unknown lab user ${upn}; one of ${LAB_USERS.map((x) => x.upn).join(', ')}`);
    return u;
  };
  let atKeyboard: LabUser = userByUpn(opts.user ?? LAB_USER.upn);
  /** The user at the keyboard when a flow started (flows made before setUser keep theirs). */
  const userOf = (flow: LabFlow): LabUser => (flow.user ? userByUpn(flow.user) : atKeyboard);
  const flows: LabFlow[] = [];
  const requests: LabRequestLogEntry[] = [];
  const flowByRequestId = new Map<string, LabFlow>();
  const flowByResponse = new Map<string, LabFlow>();
  const sessions = new Map<string, PortalSession>();
  const entraErrors: LabEntraError[] = [];
  const cloudTrail: Record<string, unknown>[] = [];
  /** IdP-initiated flows the launcher sent to a Sign-on URL on Entra itself, waiting for that hop. */
  const pendingEntraHops: { endpoint: string; flow: LabFlow; at: number }[] = [];

  let formPostDelayMs = 0;
  const setScenario = (name: ScenarioName) => {
    if (!isScenarioName(name)) throw new Error(`unknown lab scenario ${String(name)}; one of ${SCENARIO_NAMES.join(', ')}`);
    current = name;
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(body);
  };
  const redirect = (res: ServerResponse, location: string, headers: Record<string, string> = {}) =>
    send(res, 302, '', { location, ...headers });
  const json = (res: ServerResponse, status: number, v: unknown) =>
    send(res, status, JSON.stringify(v, null, 2), { 'content-type': 'application/json' });

  // ---------------------------------------------------------------- AWS access portal
  async function portal(req: IncomingMessage, res: ServerResponse, url: URL, store: string) {
    const inst = INSTANCES.get(store);
    if (!inst) throw new HttpError(404, simplePage('Not found', `<p>No AWS access portal at ${store}.awsapps.com.</p>`, 'not-found'));
    if (url.pathname === '/' || url.pathname === '') return redirect(res, inst.portalUrl);
    if (url.pathname !== '/start' && url.pathname !== '/start/') throw new HttpError(404, simplePage('Not found', '', 'not-found'));
    const named = url.searchParams.get('lab-scenario');
    if (named !== null && !isScenarioName(named)) {
      throw new HttpError(400, simplePage('Unknown lab scenario', `<p>One of: ${SCENARIO_NAMES.join(', ')}</p>`, 'bad-scenario'));
    }
    const handed = url.searchParams.get('lab-session');
    const cookie = /(?:^|;\s*)lab_portal_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (named === null) {
      const sid = handed ?? cookie;
      const s = sid ? sessions.get(sid) : undefined;
      if (s && s.identityStoreId === inst.identityStoreId) {
        const headers: Record<string, string> = handed
          ? { 'set-cookie': `lab_portal_session=${handed}; Path=/; Secure; HttpOnly; SameSite=Lax` }
          : {};
        return send(res, 200, portalPage(s, EXPECTED_TAGS), headers);
      }
    }
    // Not signed in (or a scenario was named: always a fresh sign-in): SP-initiated SAML.
    const scenario: ScenarioName = isScenarioName(named) ? named : inst === MAIN_INSTANCE ? current : 'myapps-wrong-portal';
    const relayState = token();
    const { url: authUrl, requestId } = await spFor(inst).startSignIn(relayState);
    const flow: LabFlow = { scenario, initiation: 'sp', identityStoreId: inst.identityStoreId, requestId, relayState, user: atKeyboard.upn };
    try {
      flow.authnRequestXml = decodeAuthnRequest(new URL(authUrl).searchParams.get('SAMLRequest') ?? '').xml;
    } catch {
      /* recorded only */
    }
    flows.push(flow);
    flowByRequestId.set(requestId, flow);
    return redirect(res, authUrl);
  }

  // ---------------------------------------------------------------- Entra ID
  async function respond(res: ServerResponse, flow: LabFlow, sp: LabInstance, acsUrl: string, relayState?: string) {
    const defect = SCENARIOS[flow.scenario].defect;
    const built = await entra.buildResponse({ sp, acsUrl, inResponseTo: flow.requestId, defect, user: userOf(flow) });
    flow.responseXml = built.xml;
    flow.responseSource = built.source;
    flow.acsUrl = acsUrl;
    flowByResponse.set(built.samlResponse, flow);
    return send(res, 200, entraFormPost(acsUrl, { SAMLResponse: built.samlResponse, RelayState: relayState }, formPostDelayMs));
  }

  /** The app of the tenant as a scenario configures it: MAIN_APP_ID follows the current default. */
  const effectiveApp = (app: EntraApp): EntraApp =>
    app.scenario !== undefined ? app : { ...apps.get(appIdFor(current))!, appId: app.appId, displayName: app.displayName };
  /** The apps Entra can match an AuthnRequest of a flow of this scenario against. */
  const appsOf = (scenario: ScenarioName) => [...apps.values()].filter((a) => a.scenario === scenario);

  /**
   * An Entra sign-in error page, recorded (lab.entraErrors; flow.entraError) with its random Request
   * Id and Correlation Id, as an HttpError to throw. A page that ends a lab flow comes with 200 like
   * Entra's; the others (bad tenant, unreadable request, unknown endpoint) keep their 4xx.
   */
  function entraFail(url: URL, code: string, message: string, o: { flow?: LabFlow; status?: number; loginHint?: string } = {}): HttpError {
    const rec: LabEntraError = {
      code,
      message,
      requestId: randomUUID(),
      correlationId: randomUUID(),
      timestamp: new Date().toISOString(),
      status: o.flow ? 200 : (o.status ?? 400),
      url: url.href,
      scenario: o.flow?.scenario,
      loginHint: o.loginHint,
      secrets: { flowToken: `AQABAAEAAAD${token()}${token()}`, ctx: token(), canary: token(), passwd: `lab-secret-${token()}` },
    };
    entraErrors.push(rec);
    if (o.flow) o.flow.entraError = rec;
    const folded = o.flow ? SCENARIOS[o.flow.scenario].entraDetailsFolded : undefined;
    return new HttpError(rec.status, entraError({ ...rec, ...(folded ? { detailsFolded: true } : {}) }), { 'x-ms-request-id': rec.requestId });
  }

  async function entraHost(req: IncomingMessage, res: ServerResponse, url: URL) {
    const m = /^\/([^/]+)\/(saml2|federationmetadata\/2007-06\/federationmetadata\.xml)\/?$/i.exec(url.pathname);
    if (!m) throw entraFail(url, 'AADSTS900561', 'The endpoint only accepts POST requests.', { status: 404 });
    if (m[1] !== LAB.tenantId) {
      throw entraFail(url, 'AADSTS90002', `Tenant '${m[1]}' not found.`, { status: 400 });
    }
    if (m[2]!.toLowerCase() !== 'saml2') {
      return send(res, 200, '\ufeff' + entra.metadata(), { 'content-type': 'application/xml' });
    }
    if (req.method !== 'GET') throw entraFail(url, 'AADSTS900561', 'The lab takes the HTTP-Redirect binding only.', { status: 405 });
    const samlRequest = url.searchParams.get('SAMLRequest');
    const appId = url.searchParams.get('appid');
    if (samlRequest) {
      let ar: AuthnRequestInfo;
      try {
        ar = decodeAuthnRequest(samlRequest);
      } catch (e) {
        throw entraFail(url, 'AADSTS7500529', `The SAML request could not be read: ${(e as Error).message}`, { status: 400 });
      }
      let flow = flowByRequestId.get(ar.id);
      if (!flow) {
        // An AuthnRequest the lab's portals did not make (e.g. crafted by a test): the default
        // scenario, or the other organisation's for its entity ID.
        const inst = [...INSTANCES.values()].find((i) => i.entityId === ar.issuer) ?? MAIN_INSTANCE;
        flow = { scenario: inst === MAIN_INSTANCE ? current : 'myapps-wrong-portal', initiation: 'sp', identityStoreId: inst.identityStoreId, requestId: ar.id, user: atKeyboard.upn };
        flows.push(flow);
        flowByRequestId.set(ar.id, flow);
      }
      flow.authnRequestXml ??= ar.xml;
      // Entra's order: the app by Issuer (FACTS B6.2), the ACS against its Reply URLs (B6.1), then,
      // after the user signs in, the assignment (B5).
      const app = appsOf(flow.scenario).find((a) => a.identifier === ar.issuer);
      if (!app) throw entraFail(url, 'AADSTS700016', MSG.notFound(ar.issuer), { flow });
      flow.appId = app.appId;
      const acsUrl = ar.acsUrl ?? app.replyUrls[0]!;
      if (!app.replyUrls.includes(acsUrl)) throw entraFail(url, 'AADSTS50011', MSG.replyUrl(acsUrl, app), { flow });
      const user = signedInUser(SCENARIOS[flow.scenario].defect, userOf(flow));
      if (!app.assignedUsers.includes(user.upn)) {
        throw entraFail(url, 'AADSTS50105', MSG.unassigned(app, user.upn), { flow, loginHint: user.upn });
      }
      return respond(res, flow, instanceFor(app), acsUrl, url.searchParams.get('RelayState') ?? undefined);
    }
    if (appId) {
      // IdP-initiated (lab form of the hop from the My Apps launcher): an unsolicited response.
      const named = apps.get(appId.toLowerCase());
      if (!named) throw entraFail(url, 'AADSTS700016', MSG.notFound(appId), { status: 400 });
      const app = effectiveApp(named);
      const sp = instanceFor(app);
      const flow: LabFlow = { scenario: app.scenario ?? current, initiation: 'idp', identityStoreId: sp.identityStoreId, appId: named.appId, user: atKeyboard.upn };
      flows.push(flow);
      const user = signedInUser(SCENARIOS[flow.scenario].defect, userOf(flow));
      if (!app.assignedUsers.includes(user.upn)) {
        throw entraFail(url, 'AADSTS50105', MSG.unassigned({ ...app, appId: named.appId }, user.upn), { flow, loginHint: user.upn });
      }
      return respond(res, flow, sp, app.replyUrls[0]!);
    }
    // Neither binding's parameter: a Sign-on URL that points at Entra itself (entra-no-request).
    const here = entraEndpoint(url.href);
    const i = pendingEntraHops.findIndex((p) => p.endpoint === here && Date.now() - p.at < 120_000);
    const pending = i >= 0 ? pendingEntraHops.splice(i, 1)[0]!.flow : undefined;
    throw entraFail(url, 'AADSTS750054', MSG.noRequest, pending ? { flow: pending } : { status: 400 });
  }

  // ---------------------------------------------------------------- My Apps
  function launcher(res: ServerResponse, url: URL) {
    const m = /^\/api\/signin\/([0-9a-f-]{36})\/?$/i.exec(url.pathname);
    const app = m ? apps.get(m[1]!.toLowerCase()) : undefined;
    if (!app) throw new HttpError(404, simplePage('App not found', '<p>This application is not assigned to you.</p>', 'not-found'));
    const tenant = url.searchParams.get('tenantId') ?? url.searchParams.get('tenantid');
    if (tenant && tenant !== LAB.tenantId) throw entraFail(url, 'AADSTS90002', `Tenant '${tenant}' not found.`, { status: 400 });
    const eff = effectiveApp(app);
    // A Sign-on URL puts the app in SP mode: the tile opens it (FACTS B4.4).
    if (eff.signOnUrl) {
      const endpoint = entraEndpoint(eff.signOnUrl);
      if (endpoint) {
        // The tile opens Entra itself: nothing there names the flow, so the lab remembers it here.
        const flow: LabFlow = { scenario: eff.scenario ?? current, initiation: 'idp', identityStoreId: instanceFor(eff).identityStoreId, appId: app.appId, user: atKeyboard.upn };
        flows.push(flow);
        pendingEntraHops.push({ endpoint, flow, at: Date.now() });
      }
      return redirect(res, eff.signOnUrl);
    }
    return redirect(res, `${LAB.ssoUrl}?appid=${app.appId}`);
  }

  function myApps(res: ServerResponse) {
    const tiles = [...apps.values()]
      .filter((a) => a.appId !== OTHER_APP_ID)
      .map((a) => `<li><a href="${launcherUrl(a.appId)}">${a.displayName}</a></li>`)
      .join('');
    return send(res, 200, simplePage('My Apps (lab)', `<ul>${tiles}</ul>`, 'myapps'));
  }

  // ---------------------------------------------------------------- AWS ACS
  async function acs(req: IncomingMessage, res: ServerResponse, url: URL) {
    const here = `https://${url.host}${url.pathname.replace(/\/$/, '')}`;
    const inst = [...INSTANCES.values()].find((i) => i.acsUrl === here);
    if (req.method !== 'POST') {
      throw new HttpError(405, simplePage('Method not allowed', '<p>The ACS takes the HTTP-POST binding.</p>', 'error'));
    }
    const form = new URLSearchParams(await readBody(req));
    const samlResponse = form.get('SAMLResponse') ?? '';
    const flow = flowByResponse.get(samlResponse);
    let verdict: AwsVerdict;
    if (!inst) {
      verdict = { ok: false, source: 'lab', reason: `no Identity Center instance has the ACS ${here}`, heading: 'An unexpected error has occurred' };
    } else if (!samlResponse) {
      verdict = { ok: false, source: 'lab', reason: 'no SAMLResponse in the POST', heading: 'An unexpected error has occurred' };
    } else {
      verdict = await spFor(inst).consume(samlResponse);
    }
    if (flow) flow.verdict = verdict;
    else flows.push({ scenario: current, initiation: 'idp', identityStoreId: inst?.identityStoreId ?? '', acsUrl: here, verdict });
    const nameId = verdict.ok ? verdict.nameId : /<(?:\w+:)?NameID\b[^>]*>([^<]*)</.exec(Buffer.from(samlResponse, 'base64').toString('utf8'))?.[1];
    cloudTrail.push(
      cloudTrailEvent({ time: new Date(), id: randomUUID(), ...(nameId ? { user: nameId } : {}), ...(verdict.ok ? {} : { errorMessage: verdict.reason }) }),
    );
    if (!verdict.ok) return send(res, 200, awsError(verdict, { acsUrl: here, scenario: flow?.scenario }));
    const sid = token();
    sessions.set(sid, { identityStoreId: inst!.identityStoreId, nameId: verdict.nameId, attributes: verdict.attributes, scenario: flow?.scenario });
    return redirect(res, `${inst!.portalUrl}/?lab-session=${sid}#/?lab=signed-in`);
  }

  // ---------------------------------------------------------------- control
  async function control(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (url.pathname === '/__lab/scenario') {
      if (req.method === 'POST') {
        const body = await readBody(req);
        let name: unknown = url.searchParams.get('name');
        if (name === null && body.trim().startsWith('{')) name = (JSON.parse(body) as { name?: unknown }).name;
        else if (name === null) name = new URLSearchParams(body).get('name');
        if (!isScenarioName(name)) return json(res, 400, { error: 'unknown scenario', scenarios: SCENARIO_NAMES });
        setScenario(name);
      }
      return json(res, 200, { scenario: current, scenarios: SCENARIO_NAMES });
    }
    if (url.pathname === '/__lab/user') {
      if (req.method === 'POST') {
        const body = await readBody(req);
        let upn: unknown = url.searchParams.get('upn');
        if (upn === null && body.trim().startsWith('{')) upn = (JSON.parse(body) as { upn?: unknown }).upn;
        else if (upn === null) upn = new URLSearchParams(body).get('upn');
        if (typeof upn !== 'string' || !LAB_USERS.some((u) => u.upn === upn)) return json(res, 400, { error: 'unknown user', users: LAB_USERS.map((u) => u.upn) });
        atKeyboard = userByUpn(upn);
      }
      return json(res, 200, { user: atKeyboard.upn, users: LAB_USERS.map((u) => u.upn) });
    }
    if (url.pathname === '/__lab/flows') return json(res, 200, flows);
    if (url.pathname === '/__lab/entra-errors') {
      // Optional filters: ?scenario=<name>, ?correlationId=<guid>, ?requestId=<guid>.
      const q = url.searchParams;
      return json(
        res,
        200,
        entraErrors.filter(
          (e) =>
            (!q.has('scenario') || e.scenario === q.get('scenario')) &&
            (!q.has('correlationId') || e.correlationId === q.get('correlationId')) &&
            (!q.has('requestId') || e.requestId === q.get('requestId')),
        ),
      );
    }
    if (url.pathname === '/__lab/idp-cert.pem') return send(res, 200, IDP_KEY.certPem, { 'content-type': 'application/x-pem-file' });
    if (url.pathname === '/' || url.pathname === '/__lab') {
      const rows = Object.values(SCENARIOS)
        .map((s) => `<li><a href="${s.startUrl}">${s.name}</a> — ${s.description}</li>`)
        .join('');
      return send(res, 200, simplePage('samlscope lab', `<p>Default scenario: <code>${current}</code></p><ul>${rows}</ul>`, 'lab-index'));
    }
    throw new HttpError(404, simplePage('Not found', '', 'not-found'));
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host || 'lab.invalid'}`);
    if (url.pathname === '/favicon.ico') return send(res, 404, '');
    let m: RegExpExecArray | null;
    if ((m = /^([a-z0-9-]+)\.awsapps\.com$/.exec(host))) return portal(req, res, url, m[1]!);
    if (host === 'login.microsoftonline.com' || host === 'login.microsoft.com') return entraHost(req, res, url);
    if (host === 'launcher.myapps.microsoft.com') return launcher(res, url);
    if (host === 'myapps.microsoft.com') return myApps(res);
    if (/^[a-z0-9-]+\.signin\.aws\.amazon\.com$/.test(host)) return acs(req, res, url);
    if (host === 'signin.aws.amazon.com') {
      // Plain IAM SAML federation: not Identity Center (FACTS A7.7, A10).
      return send(res, 400, simplePage('Amazon Web Services Sign-In', '<p>Your request included an invalid SAML response.</p>', 'error'));
    }
    if (CONTROL_HOSTS.has(host)) return control(req, res, url);
    throw new HttpError(421, simplePage('Misdirected request', `<p>The lab does not serve ${host}.</p>`, 'not-found'));
  }

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    res.on('finish', () => {
      const entry = {
        at: new Date().toISOString(),
        method: req.method ?? '',
        url: `https://${req.headers.host ?? ''}${req.url ?? ''}`,
        status: res.statusCode,
      };
      requests.push(entry);
      if (opts.verbose) process.stderr.write(`${entry.status} ${entry.method} ${entry.url.slice(0, 160)}\n`);
    });
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpError) return send(res, e.status, e.html, e.headers);
      const msg = e instanceof Error ? e.stack ?? e.message : String(e);
      process.stderr.write(`lab: ${req.method} ${req.headers.host}${req.url}: ${msg}\n`);
      send(res, 500, simplePage('Lab error', `<pre>${msg.replace(/</g, '&lt;')}</pre>`, 'lab-error'));
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {
    /* probes, aborted handshakes: ignore */
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostRules = LAB_HOST_NAMES.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ');

  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    hostRules,
    scenarios: SCENARIOS,
    setScenario,
    setFormPostDelay: (ms: number) => {
      formPostDelayMs = ms;
    },
    scenario: () => current,
    setUser: (upn: string) => {
      atKeyboard = userByUpn(upn);
    },
    user: () => atKeyboard.upn,
    flows,
    requests,
    entraErrors,
    cloudTrail,
    idpCertPem: IDP_KEY.certPem,
    tlsCertPem: tls.certPem,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}
