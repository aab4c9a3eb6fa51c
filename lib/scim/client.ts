// A SCIM client for AWS IAM Identity Center's endpoint: fetch only (no extension or Node APIs), so
// the extension pages, the CLI and the tests share it. Finds users and groups with `eq` filters
// (FACTS C3), backs off on 429 and says so (bounded retries), and turns every failure into a
// typed ScimClientError with the likely cause (FACTS C6). The token goes in the Authorization
// header only; it never appears in a URL, an event, or an error message.
import { explainAwsError, readAwsError, type ErrorExplanation } from './aws-errors.ts';
import { trimTrailingSlashes } from '../strings.ts';

export type ScimErrorKind =
  | 'bad-endpoint'
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad-response';

export class ScimClientError extends Error {
  override name = 'ScimClientError';
  constructor(
    readonly kind: ScimErrorKind,
    message: string,
    readonly info: { status?: number; detail?: string; requestId?: string; attempts?: number; explanation?: ErrorExplanation; url?: string } = {},
  ) {
    super(message);
  }
}

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  emails: ScimEmail[];
  /** true / false, or undefined when Identity Center did not say. */
  active?: boolean;
  title?: string;
  /** The resource as returned, for display. */
  raw: Record<string, unknown>;
}

export interface ScimGroup {
  id: string;
  displayName: string;
  externalId?: string;
}

export interface ServiceProviderInfo {
  patch?: boolean;
  bulk?: boolean;
  filter?: boolean;
  maxResults?: number;
  authenticationSchemes: string[];
  raw: Record<string, unknown>;
}

export interface ClientEvent {
  kind: 'throttled' | 'retry' | 'gave-up' | 'note';
  message: string;
  waitMs?: number;
}

export interface ScimClientOptions {
  endpoint: string;
  token: string;
  fetch?: typeof fetch;
  /** Retries after a 429 (default 3). */
  retries?: number;
  /** Retries of a GET after a dropped connection or a 5xx (default 1). */
  transientRetries?: number;
  /** First back-off delay after a 429 without Retry-After (default 1000 ms; doubles each time). */
  baseDelayMs?: number;
  /** Longest single wait (default 8000 ms; a Retry-After above it is capped). */
  maxDelayMs?: number;
  /** Per request (default 15000 ms). */
  timeoutMs?: number;
  /** Largest response read (default 2 MB). */
  maxResponseBytes?: number;
  /** Most pages followed for one list (default 20). */
  maxPages?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onEvent?: (e: ClientEvent) => void;
}

export interface EndpointInfo {
  /** Without a trailing slash, e.g. https://scim.eu-west-1.amazonaws.com/<tenant>/scim/v2. */
  endpoint: string;
  origin: string;
  host: string;
  region?: string;
  tenantId?: string;
  dualStack: boolean;
  /** The optional host permission the extension needs, e.g. https://scim.eu-west-1.amazonaws.com/*. */
  permission: string;
  /** Sentences about a shape that differs from AWS's (other host, path). */
  warnings: string[];
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;
const AWS_SCIM_HOST = /^scim\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.(amazonaws\.com|api\.aws|amazonaws\.com\.cn)$/i;

/** Checks and normalises the SCIM endpoint a person pasted (FACTS C1.1). */
export function parseEndpoint(input: string): { ok: true; info: EndpointInfo } | { ok: false; message: string } {
  const s = input.trim();
  if (!s) return { ok: false, message: 'Enter the SCIM endpoint from IAM Identity Center (Settings → Identity source → Automatic provisioning).' };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { ok: false, message: `"${s.slice(0, 100)}" is not a URL; the SCIM endpoint looks like https://scim.eu-west-1.amazonaws.com/<tenant id>/scim/v2` };
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.test(u.hostname))) {
    return { ok: false, message: 'The SCIM endpoint must be https:// (the token must not travel in clear text).' };
  }
  if (u.username || u.password) return { ok: false, message: 'Remove the user name and password from the URL; the token goes in its own field.' };
  if (u.search || u.hash) return { ok: false, message: 'Remove the query string from the SCIM endpoint; it ends in /scim/v2.' };
  let path = trimTrailingSlashes(u.pathname);
  // A pasted resource URL: keep the endpoint.
  path = path.replace(/\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes)(\/.*)?$/i, '');
  const warnings: string[] = [];
  const m = AWS_SCIM_HOST.exec(u.hostname);
  if (!m && !LOOPBACK.test(u.hostname)) warnings.push(`${u.hostname} is not an Identity Center SCIM host (scim.<region>.amazonaws.com or scim.<region>.api.aws).`);
  const pm = /^\/([^/]+)\/scim\/v2$/i.exec(path);
  if (!pm) warnings.push(`The path ${path || '/'} does not have the shape /<tenant id>/scim/v2.`);
  const endpoint = `${u.origin}${path}`;
  return {
    ok: true,
    info: {
      endpoint,
      origin: u.origin,
      host: u.hostname,
      ...(m ? { region: m[1]!.toLowerCase() } : {}),
      ...(pm ? { tenantId: pm[1]! } : {}),
      dualStack: /\.api\.aws$/i.test(u.hostname),
      permission: `${u.protocol}//${u.hostname}/*`,
      warnings,
    },
  };
}

/** A filter value in quotes, with quotes and backslashes escaped (RFC 7644 §3.4.2.2). */
export const filterValue = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function toUser(r: Record<string, unknown>): ScimUser | undefined {
  const id = str(r.id);
  const userName = str(r.userName);
  if (!id || userName === undefined) return undefined;
  const name = isObj(r.name) ? r.name : {};
  const emails = Array.isArray(r.emails)
    ? r.emails.filter(isObj).flatMap((e) => (typeof e.value === 'string' ? [{ value: e.value, ...(str(e.type) ? { type: str(e.type)! } : {}), ...(typeof e.primary === 'boolean' ? { primary: e.primary } : {}) }] : []))
    : [];
  const a = r.active;
  const active = typeof a === 'boolean' ? a : typeof a === 'string' && /^(true|false)$/i.test(a) ? a.toLowerCase() === 'true' : undefined;
  const u: ScimUser = { id, userName, emails, raw: r };
  if (str(r.externalId) !== undefined) u.externalId = str(r.externalId)!;
  if (str(r.displayName) !== undefined) u.displayName = str(r.displayName)!;
  if (str(name.givenName) !== undefined) u.givenName = str(name.givenName)!;
  if (str(name.familyName) !== undefined) u.familyName = str(name.familyName)!;
  if (str(r.title) !== undefined) u.title = str(r.title)!;
  if (active !== undefined) u.active = active;
  return u;
}

export function toGroup(r: Record<string, unknown>): ScimGroup | undefined {
  const id = str(r.id);
  const displayName = str(r.displayName);
  if (!id || displayName === undefined) return undefined;
  return { id, displayName, ...(str(r.externalId) !== undefined ? { externalId: str(r.externalId)! } : {}) };
}

/** The primary email, or the only one. */
export const primaryEmail = (u: ScimUser): string | undefined => (u.emails.find((e) => e.primary) ?? u.emails[0])?.value;

const KIND_OF_STATUS = (s: number): ScimErrorKind =>
  s === 400 ? 'bad-request' : s === 401 ? 'unauthorized' : s === 403 ? 'forbidden' : s === 404 ? 'not-found' : s === 409 ? 'conflict' : s === 429 ? 'throttled' : s >= 500 ? 'server' : 'bad-response';

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export class ScimClient {
  readonly endpoint: string;
  readonly info: EndpointInfo;
  private readonly token: string;
  private readonly o: Required<Omit<ScimClientOptions, 'onEvent' | 'endpoint' | 'token'>> & Pick<ScimClientOptions, 'onEvent'>;
  /** Every back-off and retry, for "AWS throttled us: waited 3 s". */
  readonly events: ClientEvent[] = [];
  /** What a list could not read in full (cut at the page limit), said once per list. */
  readonly notes: string[] = [];

  constructor(opts: ScimClientOptions) {
    const p = parseEndpoint(opts.endpoint);
    if (!p.ok) throw new ScimClientError('bad-endpoint', p.message);
    if (!opts.token || !opts.token.trim()) throw new ScimClientError('bad-endpoint', 'Enter the SCIM access token (shown once, when it was generated in IAM Identity Center).');
    if (/[\r\n]/.test(opts.token.trim())) throw new ScimClientError('bad-endpoint', 'The access token has a line break in it: paste it again as one line.');
    this.info = p.info;
    this.endpoint = p.info.endpoint;
    this.token = opts.token.trim().replace(/^Bearer\s+/i, '');
    this.o = {
      fetch: opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a)),
      retries: opts.retries ?? 3,
      transientRetries: opts.transientRetries ?? 1,
      baseDelayMs: opts.baseDelayMs ?? 1000,
      maxDelayMs: opts.maxDelayMs ?? 8000,
      timeoutMs: opts.timeoutMs ?? 15_000,
      maxResponseBytes: opts.maxResponseBytes ?? 2 * 1024 * 1024,
      maxPages: opts.maxPages ?? 20,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      random: opts.random ?? Math.random,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    };
  }

  /** Removes the token from any text that came back (a server could echo the header). */
  private scrub(s: string): string {
    return this.token.length >= 4 ? s.split(this.token).join('[token]') : s;
  }

  private emit(e: ClientEvent) {
    const clean = { ...e, message: this.scrub(e.message) };
    this.events.push(clean);
    this.o.onEvent?.(clean);
  }

  private async readBody(res: Response): Promise<string> {
    const max = this.o.maxResponseBytes;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > max) throw new ScimClientError('bad-response', `The answer is ${declared} bytes, over the ${max}-byte limit samlscope reads.`);
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        void reader.cancel();
        throw new ScimClientError('bad-response', `The answer is over the ${max}-byte limit samlscope reads.`);
      }
      chunks.push(value);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return new TextDecoder().decode(all);
  }

  /** One GET with back-off on 429 and one retry on a dropped connection or a 5xx. */
  async get(pathAndQuery: string): Promise<Record<string, unknown>> {
    const url = `${this.endpoint}${pathAndQuery}`;
    const what = pathAndQuery.split('?')[0];
    let throttles = 0;
    let transient = 0;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await this.o.fetch(url, {
          method: 'GET',
          headers: { authorization: `Bearer ${this.token}`, accept: 'application/scim+json, application/json' },
          signal: ctrl.signal,
          credentials: 'omit',
          redirect: 'error',
          cache: 'no-store',
        });
        text = await this.readBody(res);
      } catch (e) {
        clearTimeout(timer);
        if (e instanceof ScimClientError) throw e;
        const timedOut = ctrl.signal.aborted;
        if (transient < this.o.transientRetries) {
          transient++;
          this.emit({ kind: 'retry', message: `${timedOut ? 'No answer' : 'The connection dropped'} on GET ${what}; retrying once.` });
          continue;
        }
        const cause = (e as Error)?.message ?? String(e);
        if (timedOut) {
          throw new ScimClientError('timeout', `Identity Center did not answer GET ${what} within ${secs(this.o.timeoutMs)} (${attempt} attempt${attempt === 1 ? '' : 's'}).`, { attempts: attempt, url });
        }
        throw new ScimClientError(
          'network',
          this.scrub(
            `Could not reach ${this.info.host} (${cause}; ${attempt} attempt${attempt === 1 ? '' : 's'}). Check the endpoint, the network, and — in the browser — that samlscope may access ${this.info.permission}.`,
          ),
          { attempts: attempt, url },
        );
      }
      clearTimeout(timer);
      if (res.status === 429 && throttles < this.o.retries) {
        throttles++;
        const ra = res.headers.get('retry-after');
        const raMs = ra && /^\d+$/.test(ra.trim()) ? Number(ra) * 1000 : undefined;
        const backoff = this.o.baseDelayMs * 2 ** (throttles - 1);
        const wait = Math.min(this.o.maxDelayMs, raMs ?? Math.round(backoff * (0.8 + 0.4 * this.o.random())));
        waited += wait;
        this.emit({
          kind: 'throttled',
          waitMs: wait,
          message: `Identity Center throttled GET ${what} (HTTP 429); waiting ${secs(wait)}${raMs !== undefined ? ' as its Retry-After asks' : ''} before retry ${throttles} of ${this.o.retries}.`,
        });
        await this.o.sleep(wait);
        continue;
      }
      if (res.status >= 500 && transient < this.o.transientRetries) {
        transient++;
        this.emit({ kind: 'retry', message: `Identity Center answered HTTP ${res.status} to GET ${what}; retrying once.` });
        continue;
      }
      let body: unknown;
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        // A 5xx with an HTML page (a load balancer's "503 Service Unavailable") is the server
        // failing, not a wrong endpoint.
        if (res.status >= 500) {
          throw new ScimClientError(
            'server',
            `${this.info.host} answered HTTP ${res.status} to GET ${what}${transient ? ` (also after ${transient} retr${transient === 1 ? 'y' : 'ies'})` : ''} with a ${/html/i.test(res.headers.get('content-type') ?? '') || /^\s*</.test(text) ? 'web page' : 'non-JSON answer'}, not a SCIM error: the server is failing or unavailable. Try again in a few minutes.`,
            { status: res.status, attempts: attempt, url },
          );
        }
        throw new ScimClientError(
          'bad-response',
          `The answer to GET ${what} is not JSON (HTTP ${res.status}${res.headers.get('content-type') ? `, ${res.headers.get('content-type')}` : ''}): is this the SCIM endpoint? It ends in /scim/v2.`,
          { status: res.status, url },
        );
      }
      if (res.ok) {
        if (!isObj(body)) throw new ScimClientError('bad-response', `The answer to GET ${what} is JSON but not an object.`, { status: res.status, url });
        return body;
      }
      const aws = isObj(body) ? readAwsError(body) : undefined;
      // A 404 for what every SCIM endpoint has (its configuration, the user list) on a path not
      // shaped /<tenant id>/scim/v2 is the path, not a missing user (found by a review).
      const pathWrong = this.info.warnings.some((w) => w.startsWith('The path '));
      if (res.status === 404 && pathWrong && !/^\/(Users|Groups)\/[^?]/.test(what ?? '')) {
        throw new ScimClientError(
          'bad-response',
          this.scrub(`Identity Center answered HTTP 404 to GET ${what}: ${this.info.endpoint} is not its SCIM endpoint. The endpoint ends in /<tenant id>/scim/v2; copy it whole from IAM Identity Center (Settings → Identity source → Automatic provisioning).`),
          { status: res.status, attempts: attempt, url },
        );
      }
      const explanation = explainAwsError({ ...(aws ?? { shape: 'scim', schemaKeys: [], statusIsString: false }), status: res.status });
      const kind = KIND_OF_STATUS(res.status);
      const detail = aws?.detail;
      const lead =
        kind === 'throttled'
          ? `Identity Center still throttled GET ${what} (HTTP 429) after ${throttles} retr${throttles === 1 ? 'y' : 'ies'} over ${secs(waited)}. Try again in a minute.`
          : `Identity Center answered HTTP ${res.status}${aws?.type ? ` (${aws.type})` : ''} to GET ${what}${detail ? `: "${detail}"` : ''}. ${explanation.meaning}`;
      // The give-up is the error's own message: recorded among the events for the report, but not
      // sent to onEvent, which would print the same line a second time.
      if (kind === 'throttled') this.events.push({ kind: 'gave-up', message: this.scrub(lead) });
      // Both likely causes of a 401: the token, or a tenant id in the endpoint that is not the token's.
      const [token, tenant] = explanation.likely;
      const tail = kind === 'unauthorized' ? ` ${token}${tenant ? ` Or: ${tenant[0]!.toLowerCase()}${tenant.slice(1)}` : ''} ${explanation.fix}` : '';
      throw new ScimClientError(kind, this.scrub(`${lead}${tail}`), {
        status: res.status,
        ...(detail ? { detail: this.scrub(detail) } : {}),
        ...(aws?.requestId ? { requestId: aws.requestId } : {}),
        attempts: attempt,
        explanation,
        url,
      });
    }
  }

  /**
   * A list, bounded: AWS's cursor pages (nextCursor, FACTS C3.6) and RFC 7644 §3.4.2.4 index pages
   * (startIndex, itemsPerPage, totalResults) of servers that ignore the cursor. A list cut at the
   * page limit says so in `notes`.
   */
  private async list(path: string, filter: string, cursor: boolean): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let next: string | undefined = cursor ? '' : undefined;
    let startIndex: number | undefined;
    let total: number | undefined;
    for (let page = 0; page < this.o.maxPages; page++) {
      const q = new URLSearchParams({ filter });
      if (next !== undefined) q.set('cursor', next);
      if (startIndex !== undefined) q.set('startIndex', String(startIndex));
      const body = await this.get(`${path}?${q.toString().replace(/\+/g, '%20')}`);
      const res = Array.isArray(body.Resources) ? body.Resources.filter(isObj) : [];
      out.push(...res);
      const nc = str(body.nextCursor);
      if (cursor && nc) {
        next = nc;
        continue;
      }
      // RFC paging: more than this page holds, and the page was not empty.
      const t = typeof body.totalResults === 'number' ? body.totalResults : undefined;
      const si = typeof body.startIndex === 'number' ? body.startIndex : (startIndex ?? 1);
      total = t;
      if (t === undefined || out.length >= t || res.length === 0) return out;
      next = undefined;
      startIndex = si + res.length;
    }
    const more = total !== undefined && total > out.length ? `${total - out.length} more of ${total}` : 'possibly more';
    const note = `GET ${path} (${filter}) stopped after ${this.o.maxPages} pages with ${out.length} results read; ${more} not read.`;
    this.notes.push(note);
    this.emit({ kind: 'note', message: note });
    return out;
  }

  /**
   * ServiceProviderConfig proves the endpoint; a users query that matches nobody proves the token
   * too (SCIM lets a server answer ServiceProviderConfig without authentication).
   */
  async testConnection(): Promise<ServiceProviderInfo & { ms: number }> {
    const t0 = Date.now();
    const b = await this.get('/ServiceProviderConfig');
    await this.list('/Users', `userName eq ${filterValue('samlscope-connection-test@invalid')}`, false);
    const sup = (k: string) => (isObj(b[k]) && typeof (b[k] as Record<string, unknown>).supported === 'boolean' ? ((b[k] as Record<string, unknown>).supported as boolean) : undefined);
    const filter = isObj(b.filter) ? b.filter : {};
    const info: ServiceProviderInfo & { ms: number } = {
      authenticationSchemes: Array.isArray(b.authenticationSchemes) ? b.authenticationSchemes.filter(isObj).map((s) => String(s.type ?? s.name ?? '')).filter(Boolean) : [],
      raw: b,
      ms: Date.now() - t0,
    };
    const patch = sup('patch');
    const bulk = sup('bulk');
    const fs = sup('filter');
    if (patch !== undefined) info.patch = patch;
    if (bulk !== undefined) info.bulk = bulk;
    if (fs !== undefined) info.filter = fs;
    if (typeof filter.maxResults === 'number') info.maxResults = filter.maxResults;
    return info;
  }

  async findUserByUserName(userName: string): Promise<ScimUser | undefined> {
    const r = await this.list('/Users', `userName eq ${filterValue(userName)}`, false);
    return r.map(toUser).find((u): u is ScimUser => !!u);
  }

  async findUserByExternalId(externalId: string): Promise<ScimUser | undefined> {
    const r = await this.list('/Users', `externalId eq ${filterValue(externalId)}`, false);
    return r.map(toUser).find((u): u is ScimUser => !!u);
  }

  async getUser(id: string): Promise<ScimUser | undefined> {
    try {
      const b = await this.get(`/Users/${encodeURIComponent(id)}`);
      return toUser(b);
    } catch (e) {
      if (e instanceof ScimClientError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  /** The groups a user is in: GetGroup returns no members, so filter on members.value (FACTS C3.3, C3.7). */
  async groupsOfUser(userId: string): Promise<ScimGroup[]> {
    const r = await this.list('/Groups', `members.value eq ${filterValue(userId)}`, true);
    return r.map(toGroup).filter((g): g is ScimGroup => !!g);
  }

  async findGroup(displayName: string): Promise<ScimGroup | undefined> {
    const r = await this.list('/Groups', `displayName eq ${filterValue(displayName)}`, false);
    return r.map(toGroup).find((g): g is ScimGroup => !!g);
  }

  /**
   * A group's members. GetGroup returns an empty members list (FACTS C3.7), so this lists users
   * filtered on groups.value (documented for newer versions, C3.2). When Identity Center refuses
   * that filter, `supported` is false and the note says how else to see them.
   */
  async membersOfGroup(groupId: string): Promise<{ supported: boolean; users: ScimUser[]; note?: string }> {
    try {
      const r = await this.list('/Users', `groups.value eq ${filterValue(groupId)}`, true);
      return { supported: true, users: r.map(toUser).filter((u): u is ScimUser => !!u) };
    } catch (e) {
      if (e instanceof ScimClientError && e.kind === 'bad-request') {
        return {
          supported: false,
          users: [],
          note: 'This Identity Center refuses the groups.value filter, and GetGroup returns no members: look a user up to see their groups, or open the group in AWS console → IAM Identity Center → Groups.',
        };
      }
      throw e;
    }
  }
}
