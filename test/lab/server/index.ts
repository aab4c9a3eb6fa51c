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
import 'reflect-metadata';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { LAB } from '../factory.ts';
import { IDP_KEY } from '../keys.ts';
import { makeTlsCertificate, LAB_HOST_NAMES } from './cert.ts';
import { createEntraEngine, decodeAuthnRequest, type AuthnRequestInfo } from './entra.ts';
import { createAwsSp, type AwsSp, type AwsVerdict } from './aws.ts';
import { awsError, entraError, entraFormPost, portalPage, simplePage, type PortalSession } from './pages.ts';
import {
  MAIN_APP_ID,
  MAIN_INSTANCE,
  OTHER_APP_ID,
  OTHER_INSTANCE,
  SCENARIOS,
  SCENARIO_NAMES,
  appIdFor,
  isScenarioName,
  launcherUrl,
  type LabInstance,
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
  /** The current default scenario. */
  scenario(): ScenarioName;
  /** Every sign-in, oldest first. */
  flows: LabFlow[];
  /** Every request, oldest first. */
  requests: LabRequestLogEntry[];
  /** The Entra stand-in's signing certificate (what the SP trusts). */
  idpCertPem: string;
  /** The TLS certificate (self-signed, made at start). */
  tlsCertPem: string;
  close(): Promise<void>;
}

interface EntraApp {
  appId: string;
  displayName: string;
  identifier: string;
  replyUrls: string[];
  /** Set: the My Apps tile opens this (SP mode) instead of signing in IdP-initiated. */
  signOnUrl?: string;
  /** undefined: the lab's current default scenario. */
  scenario?: ScenarioName;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly html: string,
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

function entraApps(): Map<string, EntraApp> {
  const apps = new Map<string, EntraApp>();
  const main = { identifier: MAIN_INSTANCE.entityId, replyUrls: [MAIN_INSTANCE.acsUrl] };
  apps.set(MAIN_APP_ID, { appId: MAIN_APP_ID, displayName: 'AWS IAM Identity Center', ...main });
  for (const name of SCENARIO_NAMES) {
    const appId = appIdFor(name);
    apps.set(appId, {
      appId,
      displayName: `AWS IAM Identity Center (lab: ${name})`,
      ...main,
      scenario: name,
      signOnUrl: name === 'myapps-wrong-portal' ? OTHER_INSTANCE.portalUrl : undefined,
    });
  }
  apps.set(OTHER_APP_ID, {
    appId: OTHER_APP_ID,
    displayName: 'AWS IAM Identity Center (other organisation)',
    identifier: OTHER_INSTANCE.entityId,
    replyUrls: [OTHER_INSTANCE.acsUrl],
    signOnUrl: OTHER_INSTANCE.portalUrl,
    scenario: 'myapps-wrong-portal',
  });
  return apps;
}

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
  const flows: LabFlow[] = [];
  const requests: LabRequestLogEntry[] = [];
  const flowByRequestId = new Map<string, LabFlow>();
  const flowByResponse = new Map<string, LabFlow>();
  const sessions = new Map<string, PortalSession>();

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
    const flow: LabFlow = { scenario, initiation: 'sp', identityStoreId: inst.identityStoreId, requestId, relayState };
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
    const built = await entra.buildResponse({ sp, acsUrl, inResponseTo: flow.requestId, defect });
    flow.responseXml = built.xml;
    flow.responseSource = built.source;
    flow.acsUrl = acsUrl;
    flowByResponse.set(built.samlResponse, flow);
    return send(res, 200, entraFormPost(acsUrl, { SAMLResponse: built.samlResponse, RelayState: relayState }));
  }

  async function entraHost(req: IncomingMessage, res: ServerResponse, url: URL) {
    const m = /^\/([^/]+)\/(saml2|federationmetadata\/2007-06\/federationmetadata\.xml)\/?$/i.exec(url.pathname);
    if (!m) throw new HttpError(404, entraError('AADSTS900561', 'The endpoint only accepts POST requests.'));
    if (m[1] !== LAB.tenantId) {
      throw new HttpError(400, entraError('AADSTS90002', `Tenant '${m[1]}' not found.`));
    }
    if (m[2]!.toLowerCase() !== 'saml2') {
      return send(res, 200, '\ufeff' + entra.metadata(), { 'content-type': 'application/xml' });
    }
    if (req.method !== 'GET') throw new HttpError(405, entraError('AADSTS900561', 'The lab takes the HTTP-Redirect binding only.'));
    const samlRequest = url.searchParams.get('SAMLRequest');
    const appId = url.searchParams.get('appid');
    if (samlRequest) {
      let ar: AuthnRequestInfo;
      try {
        ar = decodeAuthnRequest(samlRequest);
      } catch (e) {
        throw new HttpError(400, entraError('AADSTS7500529', `The SAML request could not be read: ${(e as Error).message}`));
      }
      const app = [...apps.values()].find((a) => a.identifier === ar.issuer && a.scenario === undefined) ??
        [...apps.values()].find((a) => a.identifier === ar.issuer);
      if (!app) {
        throw new HttpError(400, entraError('AADSTS700016', `Application with identifier '${ar.issuer}' was not found in the directory.`));
      }
      const acsUrl = ar.acsUrl ?? app.replyUrls[0]!;
      if (!app.replyUrls.includes(acsUrl)) {
        throw new HttpError(400, entraError('AADSTS50011', `The redirect URI '${acsUrl}' specified in the request does not match the redirect URIs configured for the application.`));
      }
      const sp = [...INSTANCES.values()].find((i) => i.entityId === app.identifier)!;
      let flow = flowByRequestId.get(ar.id);
      if (!flow) {
        // An AuthnRequest the lab's portals did not make (e.g. crafted by a test).
        flow = { scenario: sp === MAIN_INSTANCE ? current : 'myapps-wrong-portal', initiation: 'sp', identityStoreId: sp.identityStoreId, requestId: ar.id };
        flows.push(flow);
      }
      flow.authnRequestXml ??= ar.xml;
      return respond(res, flow, sp, acsUrl, url.searchParams.get('RelayState') ?? undefined);
    }
    if (appId) {
      // IdP-initiated (lab form of the hop from the My Apps launcher): an unsolicited response.
      const app = apps.get(appId);
      if (!app) throw new HttpError(400, entraError('AADSTS700016', `Application with identifier '${appId}' was not found in the directory.`));
      const sp = [...INSTANCES.values()].find((i) => i.entityId === app.identifier)!;
      const flow: LabFlow = { scenario: app.scenario ?? current, initiation: 'idp', identityStoreId: sp.identityStoreId };
      flows.push(flow);
      return respond(res, flow, sp, app.replyUrls[0]!);
    }
    throw new HttpError(400, entraError('AADSTS750054', 'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.'));
  }

  // ---------------------------------------------------------------- My Apps
  function launcher(res: ServerResponse, url: URL) {
    const m = /^\/api\/signin\/([0-9a-f-]{36})\/?$/i.exec(url.pathname);
    const app = m ? apps.get(m[1]!.toLowerCase()) : undefined;
    if (!app) throw new HttpError(404, simplePage('App not found', '<p>This application is not assigned to you.</p>', 'not-found'));
    const tenant = url.searchParams.get('tenantId') ?? url.searchParams.get('tenantid');
    if (tenant && tenant !== LAB.tenantId) throw new HttpError(400, entraError('AADSTS90002', `Tenant '${tenant}' not found.`));
    // A Sign-on URL puts the app in SP mode: the tile opens it (FACTS B4.4).
    if (app.signOnUrl) return redirect(res, app.signOnUrl);
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
    if (url.pathname === '/__lab/flows') return json(res, 200, flows);
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
      if (e instanceof HttpError) return send(res, e.status, e.html);
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
    scenario: () => current,
    flows,
    requests,
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
