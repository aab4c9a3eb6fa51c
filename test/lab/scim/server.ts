// A SCIM 2.0 server on loopback that behaves like AWS IAM Identity Center's endpoint where
// samlscope depends on it (FACTS C1–C7): /<tenant>/scim/v2 with a bearer token (401 otherwise, and
// for a wrong tenant), ServiceProviderConfig, Users and Groups with `eq` filters (userName
// case-insensitive, externalId, id, groups.value; displayName, externalId, members.value with 404
// for an unknown member), cursor pagination, GetGroup returning empty members, single-valued
// lists, a primary email, no empty strings, Entra's dotted and full-URN enterprise paths applied,
// PatchUser answering 200 with the user, PATCH rules (no remove of userName/active, no replace or remove-all of
// members, 100 membership changes), no PutGroup, and AWS's error shape (`schema` and `schemas`,
// status as a string, exceptionRequestId, timeStamp, no scimType). Test hooks inject 429s, 500s and
// dropped connections. Hand-written; its validations are independent of lib/scim's linter.
//
// HTTP by default (Node tests); HTTPS with `tls: true` under scim.<region>.amazonaws.com and
// scim.<region>.api.aws (a self-signed certificate made at start) for the browser, which reaches it
// with --host-resolver-rules `hostRule`.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

export const SCIM_LAB_TOKEN = 'lab-scim-token-NOT-A-SECRET-0123456789';
export const SCIM_LAB_TENANT = '3b5f8a2e-7c1d-4e9f-a0b6-5d4c3b2a1f0e';
const E = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const UNPARSABLE = 'Request is unparsable, syntactically incorrect, or violates schema.';

export interface SeedUser {
  id?: string;
  userName: string;
  externalId?: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email?: string;
  active?: boolean;
  title?: string;
}

export interface SeedGroup {
  id?: string;
  displayName: string;
  externalId?: string;
  /** userNames of the members. */
  members?: string[];
}

export interface ScimLabOptions {
  token?: string;
  tenantId?: string;
  region?: string;
  users?: SeedUser[];
  groups?: SeedGroup[];
  /** HTTPS under the real host names, for the browser. */
  tls?: boolean;
  /** Answer CORS preflights (an extension page without the host permission). Identity Center does not. */
  cors?: boolean;
  /** Page size when `count` is not given (AWS: up to 100). */
  pageSize?: number;
  port?: number;
}

export interface ScimLabRequest {
  at: string;
  method: string;
  path: string;
  query: string;
  status: number | 'dropped';
  auth: 'ok' | 'bad' | 'none';
}

export interface ScimLab {
  port: number;
  /** The endpoint to give the client: http://127.0.0.1:<port>/<tenant>/scim/v2 (or https://scim.<region>.amazonaws.com/… with tls). */
  endpoint: string;
  /** The endpoint under its AWS host name, whatever the transport. */
  awsEndpoint: string;
  /** --host-resolver-rules entries mapping the AWS host names here. */
  hostRule: string;
  token: string;
  tenantId: string;
  certPem?: string;
  requests: ScimLabRequest[];
  /** The next n requests answer 429 ThrottlingException (with Retry-After seconds when given). */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  /** The next n requests get their connection dropped without an answer. */
  dropNext(n: number): void;
  /** The next n requests answer HTTP status (500 InternalServerException by default). */
  failNext(n: number, status?: number): void;
  user(userName: string): StoredUser | undefined;
  close(): Promise<void>;
}

interface StoredUser {
  id: string;
  body: Record<string, unknown>;
}
interface StoredGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members: Set<string>;
  created: string;
}

class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (o: Record<string, unknown>, k: string) => {
  const key = Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase());
  return key === undefined ? undefined : o[key];
};
const stamp = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
const bad = (detail = UNPARSABLE) => new ScimHttpError(400, detail);

/** Parses `a eq "x"` and `a eq "x" and b eq "y"` (FACTS C3.1); anything else is a ValidationException. */
export function parseFilter(f: string): { attr: string; value: string }[] {
  const out: { attr: string; value: string }[] = [];
  const re = /^\s*([A-Za-z][\w.$]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*(?:and\s+|$)/i;
  let rest = f;
  for (let i = 0; i < 4 && rest.trim(); i++) {
    const m = re.exec(rest);
    if (!m) throw bad();
    out.push({ attr: m[1]!.toLowerCase(), value: m[2]!.replace(/\\(.)/g, '$1') });
    rest = rest.slice(m[0].length);
  }
  if (rest.trim() || !out.length) throw bad();
  return out;
}

function validateUser(b: Record<string, unknown>): void {
  // Single-valued lists first: AWS answers with the specific message (FACTS C6).
  for (const k of ['emails', 'phoneNumbers', 'addresses', 'roles']) {
    const v = get(b, k);
    if (Array.isArray(v) && v.length > 1) throw bad(`List attribute ${k} exceeds allowed limit of 1`);
  }
  const name = get(b, 'name');
  const given = isObj(name) ? get(name, 'givenName') : undefined;
  if (given === '') {
    throw bad(
      "2 validation errors detected: Value at 'name.givenName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r  ]+; Value at 'name.givenName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const userName = get(b, 'userName');
  if (typeof userName !== 'string' || !userName) throw bad();
  if ([...userName].length > 128 || /[<>;:%\s]/u.test(userName) || /\p{C}/u.test(userName)) throw bad();
  if (userName === 'Administrator' || userName === 'AWSAdministrators') throw bad();
  for (const k of ['displayName']) {
    const v = get(b, k);
    if (typeof v !== 'string' || !v || [...v].length > 1024) throw bad();
  }
  if (!isObj(name)) throw bad();
  for (const k of ['givenName', 'familyName']) {
    const v = get(name, k);
    if (typeof v !== 'string' || !v || [...v].length > 1024 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) throw bad();
  }
  // Empty strings anywhere (FACTS C5.6).
  const walk = (v: unknown, d = 0): void => {
    if (d > 8) return;
    if (v === '') throw bad();
    if (Array.isArray(v)) v.forEach((x) => walk(x, d + 1));
    else if (isObj(v)) Object.values(v).forEach((x) => walk(x, d + 1));
  };
  walk(b);
  for (const k of ['password', 'ims', 'photos', 'x509Certificates', 'entitlements', 'groups']) if (get(b, k) !== undefined) throw bad();
  // "The emails value must be marked primary" (FACTS C5.2).
  const emails = get(b, 'emails');
  if (Array.isArray(emails) && emails.length === 1 && !(isObj(emails[0]) && (emails[0].primary === true || String(emails[0].primary).toLowerCase() === 'true'))) throw bad();
}

const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * Sets (or removes) an attribute named by a PATCH path or a path-less value's key as Entra writes
 * them: "title", "name.givenName" (dotted), or an enterprise attribute named in full
 * ("urn:…:enterprise:2.0:User:department"), whose dots belong to the URN, not to a path.
 */
function setAttr(next: Record<string, unknown>, path: string, value: unknown, remove: boolean): void {
  let target = next;
  let rest = path;
  if (rest.toLowerCase().startsWith(`${ENTERPRISE_URN.toLowerCase()}:`)) {
    const ext = isObj(next[ENTERPRISE_URN]) ? (next[ENTERPRISE_URN] as Record<string, unknown>) : {};
    next[ENTERPRISE_URN] = ext;
    target = ext;
    rest = rest.slice(ENTERPRISE_URN.length + 1);
  }
  const parts = rest.split('.');
  for (const part of parts.slice(0, -1)) {
    const child = isObj(target[part]) ? (target[part] as Record<string, unknown>) : {};
    target[part] = child;
    target = child;
  }
  const last = parts[parts.length - 1]!;
  if (remove) delete target[last];
  else if (isObj(value) && isObj(target[last])) Object.assign(target[last] as Record<string, unknown>, value);
  else target[last] = value;
}

const emailOf = (b: Record<string, unknown>) => {
  const e = get(b, 'emails');
  const first = Array.isArray(e) ? e.find((x) => isObj(x) && x.primary === true) ?? e[0] : undefined;
  return isObj(first) && typeof first.value === 'string' ? first.value : undefined;
};

export async function startScimLab(o: ScimLabOptions = {}): Promise<ScimLab> {
  const token = o.token ?? SCIM_LAB_TOKEN;
  const tenantId = o.tenantId ?? SCIM_LAB_TENANT;
  const region = o.region ?? 'eu-west-1';
  const hosts = [`scim.${region}.amazonaws.com`, `scim.${region}.api.aws`];
  const users = new Map<string, StoredUser>();
  const groups = new Map<string, StoredGroup>();
  const requests: ScimLabRequest[] = [];
  let throttle = 0;
  let retryAfter: number | undefined;
  let drop = 0;
  let fail = 0;
  let failStatus = 500;

  const meta = (type: string, id: string, created = new Date().toISOString()) => ({ resourceType: type, created, lastModified: new Date().toISOString(), location: `https://scim.${region}.amazonaws.com/${tenantId}/scim/v2/${type}s/${id}` });
  const userByName = (n: string) => [...users.values()].find((u) => String(u.body.userName).toLowerCase() === n.toLowerCase());

  function storeUser(b: Record<string, unknown>, id: string = randomUUID()): StoredUser {
    const body: Record<string, unknown> = { ...b, id, schemas: [USER, ...(get(b, ENTERPRISE) ? [ENTERPRISE] : [])], meta: meta('User', id) };
    if (body.active === undefined) body.active = true;
    const u = { id, body };
    users.set(id, u);
    return u;
  }

  for (const s of o.users ?? []) {
    storeUser(
      {
        userName: s.userName,
        ...(s.externalId ? { externalId: s.externalId } : {}),
        displayName: s.displayName,
        name: { givenName: s.givenName, familyName: s.familyName, formatted: `${s.givenName} ${s.familyName}` },
        ...(s.email ? { emails: [{ value: s.email, type: 'work', primary: true }] } : {}),
        ...(s.title ? { title: s.title } : {}),
        active: s.active ?? true,
      },
      s.id,
    );
  }
  for (const g of o.groups ?? []) {
    const id = g.id ?? randomUUID();
    const members = new Set((g.members ?? []).map((n) => userByName(n)?.id).filter((x): x is string => !!x));
    groups.set(id, { id, displayName: g.displayName, ...(g.externalId ? { externalId: g.externalId } : {}), members, created: new Date().toISOString() });
  }

  const groupJson = (g: StoredGroup) => ({
    schemas: [GROUP],
    id: g.id,
    displayName: g.displayName,
    ...(g.externalId ? { externalId: g.externalId } : {}),
    // GetGroup and ListGroups return an empty members list (FACTS C3.7).
    members: [],
    meta: meta('Group', g.id, g.created),
  });

  function list(res: ServerResponse, url: URL, items: unknown[]) {
    const count = Math.min(100, Math.max(1, Number(url.searchParams.get('count') ?? o.pageSize ?? 100) || 100));
    if (url.searchParams.has('cursor')) {
      const start = Number(url.searchParams.get('cursor') || 0) || 0;
      const page = items.slice(start, start + count);
      const next = start + count < items.length ? String(start + count) : undefined;
      return json(res, 200, { schemas: [LIST], itemsPerPage: page.length, Resources: page, ...(next ? { nextCursor: next } : {}) });
    }
    return json(res, 200, { schemas: [LIST], totalResults: items.length, itemsPerPage: Math.min(count, items.length), startIndex: 1, Resources: items.slice(0, count) });
  }

  function json(res: ServerResponse, status: number, v: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(o.cors ? { 'access-control-allow-origin': '*' } : {}), ...headers });
    res.end(status === 204 ? undefined : JSON.stringify(v));
  }

  function error(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) {
    // AWS's shape: `schema` and `schemas`, status as a string, a request id, no scimType (FACTS C6).
    json(res, status, { schema: [E], schemas: [E], detail, status: String(status), exceptionRequestId: randomUUID(), timeStamp: stamp() }, headers);
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1_048_576) reject(bad());
        else chunks.push(c);
      });
      req.on('end', () => {
        try {
          const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (!isObj(v)) throw new Error('not an object');
          resolve(v);
        } catch {
          reject(bad());
        }
      });
      req.on('error', reject);
    });

  function applyUserPatch(u: StoredUser, body: Record<string, unknown>) {
    const ops = get(body, 'Operations');
    if (!Array.isArray(ops) || !ops.length) throw bad();
    const next = structuredClone(u.body);
    let userNameOps = 0;
    let activeOps = 0;
    for (const op of ops) {
      if (!isObj(op)) throw bad();
      const kind = String(get(op, 'op') ?? '').toLowerCase();
      const path = get(op, 'path');
      const value = get(op, 'value');
      if (!['add', 'replace', 'remove'].includes(kind)) throw bad();
      if (kind === 'remove' && typeof path !== 'string') throw bad();
      if (kind !== 'remove' && value === undefined) throw bad();
      if (typeof path === 'string') {
        const p = path.trim();
        const top = p.split(/[.[]/)[0]!.toLowerCase();
        if (top === 'username') userNameOps++;
        if (top === 'active') activeOps++;
        if (kind === 'remove' && (top === 'username' || top === 'active')) throw bad();
        if (/\[/.test(p) && !/^\w+\[\s*\w+\s+eq\s+"[^"]*"\s*\]/i.test(p)) throw bad();
        const filtered = /^(\w+)\[\s*type\s+eq\s+"([^"]*)"\s*\](?:\.(\w+))?$/i.exec(p);
        if (filtered) {
          const attr = filtered[1]!;
          const list = (Array.isArray(next[attr]) ? (next[attr] as Record<string, unknown>[]) : []).filter(isObj);
          const i = list.findIndex((x) => x.type === filtered[2]);
          if (kind === 'remove') {
            if (i >= 0) list.splice(i, 1);
          } else {
            const item = i >= 0 ? list[i]! : { type: filtered[2] };
            if (filtered[3]) item[filtered[3]] = value;
            else if (isObj(value)) Object.assign(item, value);
            if (i < 0) list.push(item);
          }
          next[attr] = list;
          continue;
        }
        setAttr(next, p, value, kind === 'remove');
      } else if (isObj(value)) {
        for (const [k, v] of Object.entries(value)) {
          if (k.toLowerCase() === 'username') userNameOps++;
          if (k.toLowerCase() === 'active') activeOps++;
          setAttr(next, k, v, false);
        }
      } else throw bad();
    }
    if (userNameOps > 1 || activeOps > 1) throw bad();
    if (typeof next.active === 'string') next.active = next.active.toLowerCase() === 'true';
    validateUser(next);
    u.body = { ...next, meta: meta('User', u.id) };
  }

  function applyGroupPatch(g: StoredGroup, body: Record<string, unknown>) {
    const ops = get(body, 'Operations');
    if (!Array.isArray(ops) || !ops.length) throw bad();
    let changes = 0;
    const members = new Set(g.members);
    let displayName = g.displayName;
    let externalId = g.externalId;
    for (const op of ops) {
      if (!isObj(op)) throw bad();
      const kind = String(get(op, 'op') ?? '').toLowerCase();
      const path = typeof get(op, 'path') === 'string' ? (get(op, 'path') as string).trim() : undefined;
      const value = get(op, 'value');
      if (!['add', 'replace', 'remove'].includes(kind)) throw bad();
      const m = path ? /^members(?:\[\s*value\s+eq\s+"([^"]*)"\s*\])?$/i.exec(path) : null;
      if (m) {
        if (kind === 'replace') throw bad(); // no replace of all memberships (FACTS C4.3)
        if (kind === 'remove' && !m[1] && !(Array.isArray(value) && value.length)) throw bad(); // no remove-all
        const ids = m[1] ? [m[1]] : Array.isArray(value) ? value.map((x) => (isObj(x) ? String(x.value) : '')) : [];
        changes += ids.length;
        for (const id of ids) {
          if (kind === 'add') {
            if (!users.has(id)) throw new ScimHttpError(404, `User ${id} not found.`);
            members.add(id);
          } else members.delete(id);
        }
      } else if (path && /^displayName$/i.test(path) && kind !== 'remove' && typeof value === 'string' && value) displayName = value;
      else if (path && /^externalId$/i.test(path)) externalId = kind === 'remove' ? undefined : String(value);
      else if (!path && isObj(value) && kind !== 'remove') {
        if (get(value, 'members') !== undefined && kind === 'replace') throw bad();
        const dn = get(value, 'displayName');
        if (typeof dn === 'string' && dn) displayName = dn;
      } else throw bad();
    }
    if (changes > 100) throw bad();
    g.members = members;
    g.displayName = displayName;
    if (externalId) g.externalId = externalId;
    else delete g.externalId;
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, rest: string) {
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    if (rest === '/ServiceProviderConfig' && method === 'GET') {
      // The example response AWS documents (FACTS C2.3).
      return json(res, 200, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        documentationUri: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-idp.html',
        authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authentication scheme using the OAuth Bearer Token Standard', specUri: 'https://www.rfc-editor.org/info/rfc6750', documentationUri: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/provision-automatically.html', primary: true }],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 1, maxPayloadSize: 1048576 },
        filter: { supported: true, maxResults: 50 },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
      });
    }
    if (rest === '/Users' && method === 'GET') {
      for (const k of ['startIndex', 'attributes', 'excludedAttributes']) if (url.searchParams.has(k)) throw bad(); // FACTS C3.4
      const f = url.searchParams.get('filter');
      let found = [...users.values()];
      if (f) {
        const terms = parseFilter(f);
        const keys = terms.map((t) => t.attr).sort().join('+');
        if (!['username', 'externalid', 'groups.value', 'id', 'id+manager', 'id+manager.value'].includes(keys)) throw bad();
        for (const t of terms) {
          if (t.attr === 'username') found = found.filter((u) => String(u.body.userName).toLowerCase() === t.value.toLowerCase()); // caseExact: false (C5.9)
          else if (t.attr === 'externalid') found = found.filter((u) => u.body.externalId === t.value);
          else if (t.attr === 'groups.value') {
            const g = groups.get(t.value);
            if (!g) throw new ScimHttpError(404, `Group ${t.value} not found.`);
            found = found.filter((u) => g.members.has(u.id));
          } else if (t.attr === 'id') found = found.filter((u) => u.id === t.value);
        }
      }
      return list(res, url, found.map((u) => u.body));
    }
    if (rest === '/Users' && method === 'POST') {
      const b = await readBody(req);
      validateUser(b);
      const name = String(b.userName);
      const email = emailOf(b)?.toLowerCase();
      for (const u of users.values()) {
        if (String(u.body.userName).toLowerCase() === name.toLowerCase() || (b.externalId !== undefined && u.body.externalId === b.externalId) || (email && emailOf(u.body)?.toLowerCase() === email)) {
          throw new ScimHttpError(409, 'Refused to create a new, duplicate resource.');
        }
      }
      return json(res, 201, storeUser(b).body);
    }
    if ((m = /^\/Users\/([^/]+)$/.exec(rest))) {
      const u = users.get(decodeURIComponent(m[1]!));
      if (!u) throw new ScimHttpError(404, `User ${decodeURIComponent(m[1]!)} not found.`);
      if (method === 'GET') return json(res, 200, u.body);
      if (method === 'DELETE') {
        users.delete(u.id);
        for (const g of groups.values()) g.members.delete(u.id);
        return json(res, 204, null);
      }
      if (method === 'PUT') {
        const b = await readBody(req);
        validateUser(b);
        u.body = { ...b, id: u.id, schemas: [USER], meta: meta('User', u.id) };
        return json(res, 200, u.body);
      }
      if (method === 'PATCH') {
        // PatchUser answers 200 with the user as it now is (AWS's PatchUser example).
        applyUserPatch(u, await readBody(req));
        return json(res, 200, u.body);
      }
    }
    if (rest === '/Groups' && method === 'GET') {
      const f = url.searchParams.get('filter');
      let found = [...groups.values()];
      if (f) {
        const terms = parseFilter(f);
        const keys = terms.map((t) => t.attr).sort().join('+');
        if (!['displayname', 'externalid', 'members.value', 'id', 'id+members', 'id+member', 'id+members.value'].includes(keys)) throw bad();
        for (const t of terms) {
          if (t.attr === 'displayname') found = found.filter((g) => g.displayName === t.value);
          else if (t.attr === 'externalid') found = found.filter((g) => g.externalId === t.value);
          else if (t.attr === 'id') found = found.filter((g) => g.id === t.value);
          else {
            // Filtering on a member that does not exist is a ResourceNotFoundException (FACTS C3.3).
            if (!users.has(t.value)) throw new ScimHttpError(404, `User ${t.value} not found.`);
            found = found.filter((g) => g.members.has(t.value));
          }
        }
      }
      return list(res, url, found.map(groupJson));
    }
    if (rest === '/Groups' && method === 'POST') {
      const b = await readBody(req);
      const dn = get(b, 'displayName');
      if (typeof dn !== 'string' || !dn || dn === 'Administrator' || dn === 'AWSAdministrators') throw bad();
      if ([...groups.values()].some((g) => g.displayName === dn)) throw new ScimHttpError(409, 'Refused to create a new, duplicate resource.');
      const mem = get(b, 'members');
      if (Array.isArray(mem) && mem.length > 100) throw bad();
      const id = randomUUID();
      const g: StoredGroup = { id, displayName: dn, members: new Set(Array.isArray(mem) ? mem.map((x) => (isObj(x) ? String(x.value) : '')).filter((x) => users.has(x)) : []), created: new Date().toISOString() };
      if (typeof get(b, 'externalId') === 'string') g.externalId = get(b, 'externalId') as string;
      groups.set(id, g);
      return json(res, 201, groupJson(g));
    }
    if ((m = /^\/Groups\/([^/]+)$/.exec(rest))) {
      const g = groups.get(decodeURIComponent(m[1]!));
      if (!g) throw new ScimHttpError(404, `Group ${decodeURIComponent(m[1]!)} not found.`);
      if (method === 'GET') return json(res, 200, groupJson(g));
      if (method === 'DELETE') {
        groups.delete(g.id);
        return json(res, 204, null);
      }
      if (method === 'PATCH') {
        applyGroupPatch(g, await readBody(req));
        return json(res, 204, null);
      }
      if (method === 'PUT') throw bad(); // no PutGroup (FACTS C2.1)
    }
    if (/^\/(Bulk|Me)\b/.test(rest)) throw bad();
    throw new ScimHttpError(404, 'Not found.');
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const auth = req.headers.authorization;
    const entry: ScimLabRequest = {
      at: new Date().toISOString(),
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      status: 0,
      auth: auth === undefined ? 'none' : auth === `Bearer ${token}` ? 'ok' : 'bad',
    };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    if (o.cors && req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type', 'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE' });
      return res.end();
    }
    if (drop > 0) {
      drop--;
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    if (throttle > 0) {
      throttle--;
      return error(res, 429, 'Too many requests exceeded the limits.', retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {});
    }
    if (fail > 0) {
      fail--;
      return error(res, failStatus, 'Service failed to process the request.');
    }
    const m = /^\/([^/]+)\/scim\/v2(\/.*)?$/.exec(url.pathname);
    if (!m) return error(res, 404, 'Not found.');
    // A wrong tenant id or a bad/missing header: UnauthorizedException (FACTS C1.6).
    if (m[1] !== tenantId || entry.auth !== 'ok') return error(res, 401, 'The request could not be authorized.');
    route(req, res, url, (m[2] ?? '/').replace(/\/$/, '') || '/').catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof ScimHttpError) return error(res, e.status, e.detail);
      error(res, 500, 'Service failed to process the request.');
    });
  };

  let server: Server;
  let certPem: string | undefined;
  if (o.tls) {
    const { makeTlsCertificate } = await import('../server/cert.ts');
    const tls = await makeTlsCertificate(hosts);
    certPem = tls.certPem;
    server = createHttps({ key: tls.keyPem, cert: tls.certPem }, handler);
    server.on('tlsClientError', () => undefined);
  } else {
    server = createHttp(handler);
  }
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const awsEndpoint = `https://${hosts[0]}/${tenantId}/scim/v2`;
  return {
    port,
    endpoint: o.tls ? awsEndpoint : `http://127.0.0.1:${port}/${tenantId}/scim/v2`,
    awsEndpoint,
    hostRule: hosts.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', '),
    token,
    tenantId,
    ...(certPem ? { certPem } : {}),
    requests,
    throttleNext(n, ra) {
      throttle = n;
      retryAfter = ra;
    },
    dropNext(n) {
      drop = n;
    },
    failNext(n, status = 500) {
      fail = n;
      failStatus = status;
    },
    user: (n) => userByName(n),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
