// Reads a pasted SCIM payload: a User, Group or PATCH request body, a ListResponse, or an AWS
// error body (possibly inside a log line or after an HTTP request/status line). Pure and bounded:
// SCIM payloads are attacker-shaped like everything else the tool reads.
import type { HttpPreamble, PayloadKind, ScimPayload, ScimResource } from './types.ts';

/** Largest payload read: Identity Center's own maxPayloadSize (FACTS C2.3). */
export const MAX_PAYLOAD_CHARS = 1_048_576;

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export type ParseResult =
  | { ok: true; payloads: ScimPayload[] }
  | { ok: false; code: 'empty' | 'too-large' | 'not-json' | 'not-scim'; message: string };

export interface ParseOptions {
  /** What a PATCH body changes, when the caller knows (CLI --target). */
  target?: ScimResource;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key of a SCIM object, matched case-insensitively (SCIM attribute names are, RFC 7643 §2.1). */
export function keyOf(o: Record<string, unknown>, name: string): string | undefined {
  if (name in o) return name;
  const l = name.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === l);
}

export function getAttr(o: Record<string, unknown>, name: string): unknown {
  const k = keyOf(o, name);
  return k === undefined ? undefined : o[k];
}

function schemasOf(o: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of ['schemas', 'schema']) {
    const v = getAttr(o, k);
    if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') out.push(s.toLowerCase());
    if (typeof v === 'string') out.push(v.toLowerCase());
  }
  return out;
}

/** Looks like an error body: SCIM Error schema, AWS's SCIM error, a CloudTrail record, an AWS API error. */
export function looksLikeError(o: Record<string, unknown>): boolean {
  const s = schemasOf(o);
  if (s.includes(SCHEMA.error.toLowerCase())) return true;
  if (getAttr(o, 'userName') !== undefined || getAttr(o, 'Operations') !== undefined) return false;
  const status = getAttr(o, 'status');
  if (getAttr(o, 'detail') !== undefined && (typeof status === 'string' || typeof status === 'number')) return true;
  if (typeof o.errorCode === 'string' && (typeof o.errorMessage === 'string' || typeof o.eventName === 'string')) return true;
  if (typeof o.__type === 'string' && (typeof o.message === 'string' || typeof o.Message === 'string')) return true;
  return false;
}

const USERISH = ['userName', 'name', 'emails', 'phoneNumbers', 'addresses', 'active', 'nickName', 'title', 'userType', 'password'];

function classify(o: Record<string, unknown>): { kind: PayloadKind; resource?: ScimResource; resourceSource?: string } {
  const s = schemasOf(o);
  if (looksLikeError(o)) return { kind: 'Error' };
  if (s.includes(SCHEMA.patch.toLowerCase()) || Array.isArray(getAttr(o, 'Operations'))) return { kind: 'PatchOp' };
  if (s.includes(SCHEMA.list.toLowerCase()) || Array.isArray(getAttr(o, 'Resources'))) return { kind: 'ListResponse' };
  if (s.includes(SCHEMA.user.toLowerCase())) return { kind: 'User', resource: 'User', resourceSource: 'its schemas' };
  if (s.includes(SCHEMA.group.toLowerCase())) return { kind: 'Group', resource: 'Group', resourceSource: 'its schemas' };
  if (USERISH.some((k) => getAttr(o, k) !== undefined)) return { kind: 'User', resource: 'User', resourceSource: 'its attributes' };
  if (getAttr(o, 'members') !== undefined || getAttr(o, 'displayName') !== undefined) {
    return { kind: 'Group', resource: 'Group', resourceSource: 'its attributes (displayName and no user attributes)' };
  }
  return { kind: 'Unknown' };
}

/** Reads an HTTP request line / status line and headers before a JSON body. */
export function readPreamble(text: string): HttpPreamble | undefined {
  const p: HttpPreamble = {};
  const req = /(?:^|\s)(GET|POST|PUT|PATCH|DELETE)\s+(\S+)/i.exec(text);
  if (req) {
    p.method = req[1]!.toUpperCase();
    try {
      p.path = /^https?:\/\//i.test(req[2]!) ? new URL(req[2]!).pathname : req[2]!.split('?')[0]!;
    } catch {
      p.path = req[2]!;
    }
  }
  const st = /HTTP\/[\d.]+\s+(\d{3})\b/i.exec(text) ?? /\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b/i.exec(text);
  if (st) p.status = Number(st[1]);
  return p.method || p.status ? p : undefined;
}

/** The first balanced JSON object in text that parses, starting at each `{` (bounded tries). */
function embeddedObjects(text: string, max = 40): { value: Record<string, unknown>; start: number }[] {
  const out: { value: Record<string, unknown>; start: number }[] = [];
  let from = 0;
  for (let tries = 0; tries < max; tries++) {
    const start = text.indexOf('{', from);
    if (start < 0) break;
    let depth = 0;
    let inStr = false;
    let end = -1;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) break;
    try {
      const v = JSON.parse(text.slice(start, end + 1)) as unknown;
      if (isObj(v)) {
        out.push({ value: v, start });
        from = end + 1;
        continue;
      }
    } catch {
      /* not this one: try the next brace */
    }
    from = start + 1;
  }
  return out;
}

/** Tells a PATCH's target from its request path or from the attributes its operations touch. */
export function patchTarget(body: Record<string, unknown>, http?: HttpPreamble): { resource?: ScimResource; source?: string } {
  if (http?.path) {
    if (/\/Groups\b/i.test(http.path)) return { resource: 'Group', source: 'the request path' };
    if (/\/Users\b/i.test(http.path)) return { resource: 'User', source: 'the request path' };
  }
  const ops = getAttr(body, 'Operations');
  if (!Array.isArray(ops)) return {};
  let group = false;
  let user = false;
  for (const op of ops) {
    if (!isObj(op)) continue;
    const path = getAttr(op, 'path');
    const value = getAttr(op, 'value');
    const names: string[] = [];
    if (typeof path === 'string') names.push(parsePath(path).base);
    else if (isObj(value)) names.push(...Object.keys(value));
    for (const n of names.map((x) => x.toLowerCase())) {
      if (n === 'members') group = true;
      else if (n !== 'displayname' && n !== 'externalid' && n !== 'schemas') user = true;
    }
  }
  if (group && !user) return { resource: 'Group', source: 'the attributes it changes (members)' };
  if (user && !group) return { resource: 'User', source: 'the attributes it changes' };
  return {};
}

function build(id: string, body: Record<string, unknown>, pointer: string, http: HttpPreamble | undefined, o: ParseOptions): ScimPayload[] {
  const c = classify(body);
  if (c.kind === 'ListResponse') {
    const res = getAttr(body, 'Resources');
    const list = Array.isArray(res) ? res : [];
    const out: ScimPayload[] = [];
    list.slice(0, 1000).forEach((r, i) => {
      if (isObj(r)) out.push(...build(`${id} Resources[${i}]`, r, `${pointer}/${keyOf(body, 'Resources')}/${i}`, undefined, o));
    });
    return out;
  }
  const p: ScimPayload = { id, kind: c.kind, body, pointer, ...(http ? { http } : {}) };
  if (c.resource) {
    p.resource = c.resource;
    p.resourceSource = c.resourceSource!;
  }
  if (c.kind === 'PatchOp') {
    const t = o.target ? { resource: o.target, source: '--target' } : patchTarget(body, http);
    if (t.resource) {
      p.resource = t.resource;
      p.resourceSource = t.source!;
    }
  }
  return [p];
}

/** `"key": value, …` without the braces (a copied fragment); typographic quotes closing a line read as '"'. */
export function fragmentObject(text: string): Record<string, unknown> | undefined {
  const t = text.trim();
  if (!/^["\u201c\u201d][A-Za-z_][\w.-]*["\u201c\u201d]\s*:/.test(t)) return undefined;
  const fixed = t
    .replace(/[\u201c\u201d](?=\s*(?:,|$))/gm, '"')
    .replace(/^(\s*)[\u201c\u201d]([A-Za-z_][\w.-]*)[\u201c\u201d](\s*:)/gm, '$1"$2"$3')
    .replace(/,\s*$/, '');
  try {
    const v = JSON.parse(`{${fixed}}`) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Parses pasted text into the payloads it holds. Never throws. */
export function parsePayloads(input: string, id = 'payload', o: ParseOptions = {}): ParseResult {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, code: 'empty', message: 'nothing to read: paste a SCIM request body or an error' };
  if (text.length > MAX_PAYLOAD_CHARS) {
    return { ok: false, code: 'too-large', message: `${text.length} characters is over the 1 MB limit of a SCIM payload (Identity Center's maxPayloadSize)` };
  }
  let top: unknown;
  let http: HttpPreamble | undefined;
  try {
    top = JSON.parse(text);
  } catch {
    // A request/status line and headers before the body, as copied from a log or a proxy.
    const at = text.search(/^[ \t]*[[{]/m);
    if (at > 0) {
      try {
        top = JSON.parse(text.slice(at));
        http = readPreamble(text.slice(0, at));
      } catch {
        /* fall through */
      }
    }
  }
  if (top === undefined) {
    // An error body inside a longer text: an Entra provisioning log's details, a CloudTrail line.
    const found = embeddedObjects(text).filter((x) => looksLikeError(x.value) || classify(x.value).kind !== 'Unknown');
    if (found.length) {
      const pre = readPreamble(text.slice(0, found[0]!.start));
      return { ok: true, payloads: found.flatMap((f, i) => build(found.length > 1 ? `${id} #${i + 1}` : id, f.value, '', i === 0 ? pre : undefined, o)) };
    }
    // A fragment of a record without its braces, as AWS's page prints the CloudTrail fields
    // ("errorCode": "ValidationException", "errorMessage": "…“ with a typographic closing quote).
    const frag = fragmentObject(text);
    if (frag && (looksLikeError(frag) || classify(frag).kind !== 'Unknown')) return { ok: true, payloads: build(id, frag, '', undefined, o) };
    return { ok: false, code: 'not-json', message: 'not JSON: paste the SCIM request body (a JSON object) or the error body AWS returned' };
  }
  if (Array.isArray(top)) {
    // A bare list of PATCH operations, or a list of resources.
    if (top.length && top.every((x) => isObj(x) && getAttr(x, 'op') !== undefined)) {
      const body = { schemas: [SCHEMA.patch], Operations: top };
      return { ok: true, payloads: build(id, body, '', http, o).map((p) => ({ ...p, pointer: '' })) };
    }
    const objs = top.map((x, i) => [x, i] as const).filter(([x]) => isObj(x));
    const payloads = objs.slice(0, 1000).flatMap(([x, i]) => build(`${id}[${i}]`, x as Record<string, unknown>, `/${i}`, undefined, o));
    if (!payloads.length) return { ok: false, code: 'not-scim', message: 'a JSON list, but of no SCIM resources' };
    return { ok: true, payloads };
  }
  if (!isObj(top)) return { ok: false, code: 'not-scim', message: 'JSON, but not an object: a SCIM body is a JSON object' };
  const payloads = build(id, top, '', http, o);
  if (payloads.length === 0) return { ok: false, code: 'not-scim', message: 'a SCIM ListResponse with no Resources' };
  if (payloads.every((p) => p.kind === 'Unknown')) {
    const hint = 'provisioningSteps' in top || 'provisioningAction' in top || 'changeId' in top ? ' It looks like an Entra provisioning log record: read it with "scim logs".' : '';
    return { ok: false, code: 'not-scim', message: `JSON, but not a SCIM User, Group, PATCH request or error body (no schemas, userName, displayName, Operations or detail).${hint}` };
  }
  return { ok: true, payloads };
}

// ---------------------------------------------------------------- attributes

export interface ParsedPath {
  /** The schema URN before the attribute, when the path names one (enterprise extension). */
  urn?: string;
  /** The top-level attribute, as written. */
  base: string;
  /** The value filter in brackets, e.g. `type eq "work"`. */
  filter?: string;
  /** The sub-attribute after the dot, e.g. `value`, `givenName`. */
  sub?: string;
  raw: string;
}

/** Splits a PATCH path: `emails[type eq "work"].value`, `name.givenName`, `urn:…:enterprise:2.0:User:department`. */
export function parsePath(raw: string): ParsedPath {
  let rest = raw.trim();
  let urn: string | undefined;
  if (/^urn:/i.test(rest)) {
    const bracket = rest.indexOf('[');
    const head = bracket >= 0 ? rest.slice(0, bracket) : rest;
    const cut = head.lastIndexOf(':');
    urn = rest.slice(0, cut);
    rest = rest.slice(cut + 1);
  }
  const m = /^([^[.\s]*)(?:\[(.*)\])?(?:\.(.+))?$/s.exec(rest);
  if (!m) return { base: rest, raw, ...(urn ? { urn } : {}) };
  const p: ParsedPath = { base: m[1]!, raw };
  if (urn) p.urn = urn;
  if (m[2] !== undefined) p.filter = m[2];
  if (m[3] !== undefined) p.sub = m[3];
  return p;
}

/** The attribute names SCIM and Identity Center know, by lower-case name → canonical spelling. */
const CANON = new Map(
  [
    'id', 'externalId', 'meta', 'schemas', 'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType',
    'preferredLanguage', 'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses',
    'groups', 'entitlements', 'roles', 'x509Certificates', 'members',
    'givenName', 'familyName', 'middleName', 'formatted', 'honorificPrefix', 'honorificSuffix', 'value', 'type', 'primary',
    'display', 'streetAddress', 'locality', 'region', 'postalCode', 'country', '$ref', 'version',
    'employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager',
  ].map((n) => [n.toLowerCase(), n]),
);

export const canon = (n: string): string => CANON.get(n.toLowerCase()) ?? n;

/** One value in a payload with the SCIM attribute it sets, e.g. `name.givenName` or `emails.value`. */
export interface Leaf {
  /** Dotted attribute path without indices; the enterprise extension is `enterprise.<attr>`. */
  attr: string;
  value: unknown;
  /** JSON pointer to the value inside the input. */
  pointer: string;
  /** The PATCH operation index, for values inside one. */
  opIndex?: number;
}

const ENTERPRISE_RE = /^urn:ietf:params:scim:schemas:extension:enterprise:2\.0:user$/i;

function attrPrefix(key: string): string | undefined {
  if (ENTERPRISE_RE.test(key)) return 'enterprise';
  if (/^urn:/i.test(key)) return key; // another extension: kept as written
  return undefined;
}

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every value under `v`, depth-bounded, with its attribute path. */
export function walk(v: unknown, attr: string, pointer: string, out: Leaf[], opIndex?: number, depth = 0): Leaf[] {
  if (depth > 8 || out.length > 5000) return out;
  const push = (l: Leaf) => out.push(opIndex === undefined ? l : { ...l, opIndex });
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (isObj(x) || Array.isArray(x)) walk(x, attr, `${pointer}/${i}`, out, opIndex, depth + 1);
      else push({ attr, value: x, pointer: `${pointer}/${i}` });
    });
    return out;
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const pre = attrPrefix(k);
      const name = pre ?? canon(k);
      const a = attr ? `${attr}.${name}` : name;
      if (isObj(x) || Array.isArray(x)) walk(x, a, `${pointer}/${esc(k)}`, out, opIndex, depth + 1);
      else push({ attr: a, value: x, pointer: `${pointer}/${esc(k)}` });
    }
    return out;
  }
  push({ attr, value: v, pointer });
  return out;
}

export interface PatchOperation {
  index: number;
  /** As written ("Replace"), and lower-cased. */
  opRaw: unknown;
  op?: string;
  path?: ParsedPath;
  pathRaw?: unknown;
  hasValue: boolean;
  value: unknown;
  pointer: string;
}

// Every rule reads the same operations and values: computed once per payload.
const opsCache = new WeakMap<ScimPayload, PatchOperation[]>();
const leavesCache = new WeakMap<ScimPayload, Leaf[]>();

export function patchOperations(p: ScimPayload): PatchOperation[] {
  const hit = opsCache.get(p);
  if (hit) return hit;
  const ops = readOperations(p);
  opsCache.set(p, ops);
  return ops;
}

function readOperations(p: ScimPayload): PatchOperation[] {
  const key = keyOf(p.body, 'Operations');
  const ops = key ? p.body[key] : undefined;
  if (!Array.isArray(ops)) return [];
  return ops.slice(0, 10_000).map((o, index) => {
    const obj = isObj(o) ? o : {};
    const opRaw = getAttr(obj, 'op');
    const pathRaw = getAttr(obj, 'path');
    const vk = keyOf(obj, 'value');
    return {
      index,
      opRaw,
      ...(typeof opRaw === 'string' ? { op: opRaw.toLowerCase() } : {}),
      ...(typeof pathRaw === 'string' ? { path: parsePath(pathRaw) } : {}),
      pathRaw,
      hasValue: vk !== undefined,
      value: vk !== undefined ? obj[vk] : undefined,
      pointer: `${p.pointer}/${key}/${index}`,
    };
  });
}

/** The attribute path a PATCH path sets, in the dotted form of `Leaf.attr`. */
export function pathAttr(path: ParsedPath): string {
  const pre = path.urn ? (ENTERPRISE_RE.test(path.urn) ? 'enterprise' : path.urn) : undefined;
  const base = canon(path.base);
  const head = pre ? `${pre}.${base}` : base;
  return path.sub ? `${head}.${path.sub.split('.').map(canon).join('.')}` : head;
}

/**
 * Every value a payload sets: a User or Group body's attributes, or what each PATCH add/replace
 * writes (with or without a path).
 */
export function leaves(p: ScimPayload): Leaf[] {
  const hit = leavesCache.get(p);
  if (hit) return hit;
  const out = readLeaves(p);
  leavesCache.set(p, out);
  return out;
}

function readLeaves(p: ScimPayload): Leaf[] {
  const out: Leaf[] = [];
  if (p.kind === 'User' || p.kind === 'Group') return walk(p.body, '', p.pointer, out);
  if (p.kind !== 'PatchOp') return out;
  for (const op of patchOperations(p)) {
    if (op.op === 'remove' || !op.hasValue) continue;
    const vptr = `${op.pointer}/value`;
    if (op.path) walk(op.value, pathAttr(op.path), vptr, out, op.index);
    else walk(op.value, '', vptr, out, op.index);
  }
  return out;
}

export const jsonValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
export { isObj };
