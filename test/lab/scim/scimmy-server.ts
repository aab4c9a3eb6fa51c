// A SCIM 2.0 server this project did not write: SCIMMY (npm "scimmy", MIT, scimmyjs/scimmy), a
// SCIM library that implements RFC 7643/7644 resources, filters, PATCH and list paging, served on
// loopback over node:http with an in-memory store. It answers the RFC way where Identity Center
// does not: index paging (startIndex, itemsPerPage, totalResults; 20 per page unless asked), no
// cursor, scimType in errors, members on GetGroup. samlscope's client is tested against it so
// that it works with a server whose code and habits are not ours. Hooks: a 503 web page, a stall.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import SCIMMY from 'scimmy';

export interface ScimmyLab {
  endpoint: string;
  token: string;
  /** Adds a user (a SCIM User body) and returns its id. */
  addUser(body: Record<string, unknown>): string;
  /** Adds a group with these member ids and returns its id. */
  addGroup(displayName: string, memberIds: string[]): string;
  /** The next n requests answer 503 with an HTML page, as a load balancer does. */
  unavailableNext(n: number): void;
  /** The next n requests (default 1) wait this long before answering. */
  stallNext(ms: number, n?: number): void;
  requests: string[];
  close(): Promise<void>;
}

type Rec = Record<string, unknown> & { id: string };

let declared = false;
const users = new Map<string, Rec>();
const groups = new Map<string, Rec>();

/** SCIMMY keeps its resource handlers globally: declared once per process, over module-level stores. */
function declare(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Config.set({ patch: true, filter: { supported: true, maxResults: 200 }, sort: true });
  const store = (m: Map<string, Rec>, kind: string) => ({
    egress: (resource: { id?: string; filter?: { match(v: unknown[]): unknown[] } }) => {
      if (resource.id) {
        const r = m.get(resource.id);
        if (!r) throw new SCIMMY.Types.Error(404, null!, `${kind} ${resource.id} not found`);
        return r;
      }
      const all = [...m.values()];
      return resource.filter ? resource.filter.match(all) : all;
    },
    ingress: (resource: { id?: string }, instance: Record<string, unknown>) => {
      const id = resource.id ?? randomUUID();
      if (resource.id && !m.has(id)) throw new SCIMMY.Types.Error(404, null!, `${kind} ${id} not found`);
      const now = new Date().toISOString();
      const rec = { ...JSON.parse(JSON.stringify(instance)), id, meta: { resourceType: kind, created: now, lastModified: now } } as Rec;
      m.set(id, rec);
      return rec;
    },
    degress: (resource: { id?: string }) => {
      if (!resource.id || !m.delete(resource.id)) throw new SCIMMY.Types.Error(404, null!, `${kind} ${resource.id} not found`);
    },
  });
  const u = store(users, 'User');
  const g = store(groups, 'Group');
  SCIMMY.Resources.declare(SCIMMY.Resources.User).egress(u.egress as never).ingress(u.ingress as never).degress(u.degress as never);
  SCIMMY.Resources.declare(SCIMMY.Resources.Group).egress(g.egress as never).ingress(g.ingress as never).degress(g.degress as never);
}

const TOKEN = 'scimmy-lab-token-NOT-A-SECRET';

export async function startScimmyLab(): Promise<ScimmyLab> {
  declare();
  users.clear();
  groups.clear();
  let unavailable = 0;
  let stall = 0;
  let stalls = 0;
  const requests: string[] = [];
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/scim+json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const t = Buffer.concat(chunks).toString('utf8');
    return t ? (JSON.parse(t) as Record<string, unknown>) : {};
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (stalls > 0) {
      stalls--;
      await new Promise((r) => setTimeout(r, stall));
    }
    if (unavailable > 0) {
      unavailable--;
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>');
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return send(res, 401, new SCIMMY.Messages.Error({ status: 401, detail: 'Authorization failure' }));
    }
    try {
      const m = /^\/scim\/v2\/(Users|Groups|ServiceProviderConfig)(?:\/([^/]+))?$/.exec(url.pathname);
      if (!m) return send(res, 404, new SCIMMY.Messages.Error({ status: 404, detail: `No endpoint ${url.pathname}` }));
      if (m[1] === 'ServiceProviderConfig') return send(res, 200, await new SCIMMY.Resources.ServiceProviderConfig().read());
      const R = m[1] === 'Users' ? SCIMMY.Resources.User : SCIMMY.Resources.Group;
      const id = m[2] ? decodeURIComponent(m[2]) : undefined;
      const q = url.searchParams;
      const params: Record<string, unknown> = {};
      if (q.get('filter')) params.filter = q.get('filter');
      for (const k of ['startIndex', 'count']) if (q.get(k)) params[k] = Number(q.get(k));
      const method = req.method ?? 'GET';
      if (method === 'GET') return send(res, 200, await (id ? new R(id) : new R(params as never)).read());
      if (method === 'POST' && !id) return send(res, 201, await new R().write(await readJson(req)));
      if (method === 'PUT' && id) return send(res, 200, await new R(id).write(await readJson(req)));
      if (method === 'PATCH' && id) {
        const out = await new R(id).patch((await readJson(req)) as never);
        return out ? send(res, 200, out) : send(res, 204);
      }
      if (method === 'DELETE' && id) {
        await new R(id).dispose();
        return send(res, 204);
      }
      return send(res, 400, new SCIMMY.Messages.Error({ status: 400, detail: `${method} not allowed here` }));
    } catch (e) {
      if (e instanceof SCIMMY.Types.Error) return send(res, e.status, new SCIMMY.Messages.Error(e));
      return send(res, 500, new SCIMMY.Messages.Error({ status: 500, detail: (e as Error).message }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}/scim/v2`,
    token: TOKEN,
    addUser(body) {
      const id = randomUUID();
      users.set(id, { ...body, id, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] } as Rec);
      return id;
    },
    addGroup(displayName, memberIds) {
      const id = randomUUID();
      groups.set(id, { id, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, members: memberIds.map((value) => ({ value })) } as Rec);
      return id;
    },
    unavailableNext(n) {
      unavailable = n;
    },
    stallNext(ms, n = 1) {
      stall = ms;
      stalls = n;
    },
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
