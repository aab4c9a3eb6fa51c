// AWS IAM Identity Center's SCIM errors: reading the body in any of the shapes people paste
// (SCIM Error with AWS's `schema` quirk, CloudTrail record, AWS API error) and explaining the
// likely cause (FACTS C5, C6, C7). Shared by the scim-error rule, the provisioning-log reader
// and the client.
import { AWS_GROUPS, AWS_USERS, ENTRA_PROVISIONING, ENTRA_PROVISIONING_USER_MAPPINGS, FIX_ONE_VALUE, FIX_TOKEN, FIX_USER_DATA } from './fixes.ts';
import { getAttr } from './payload.ts';

export interface AwsScimError {
  status?: number;
  detail?: string;
  /** ValidationException, ConflictException… (CloudTrail errorCode, `__type`, or from the status). */
  type?: string;
  requestId?: string;
  timeStamp?: string;
  shape: 'scim' | 'cloudtrail' | 'aws-api';
  /** Which of `schema` (AWS's quirk) and `schemas` the body carried. */
  schemaKeys: string[];
  /** AWS sends status as a string ("400"). */
  statusIsString: boolean;
  /** RFC 7644 §3.12 scimType ("mutability", "invalidValue"…), when the body carried one. */
  scimType?: string;
  /** The status as written when it is a word ("BadRequest"), not a number. */
  statusText?: string;
}

/** HTTP status words as .NET writes them ("StatusCode: BadRequest" in Entra's logs) → numbers. */
export const STATUS_WORDS: Record<string, number> = {
  badrequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notfound: 404,
  methodnotallowed: 405,
  conflict: 409,
  preconditionfailed: 412,
  requestentitytoolarge: 413,
  toomanyrequests: 429,
  internalservererror: 500,
  notimplemented: 501,
  badgateway: 502,
  serviceunavailable: 503,
  gatewaytimeout: 504,
};

/** A detail that is an object (some servers nest the message): its message, else its JSON. */
function detailText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['message', 'Message', 'detail', 'error', 'errorMessage']) if (typeof o[k] === 'string') return o[k] as string;
    return JSON.stringify(v);
  }
  return undefined;
}

/** RFC 7644 §3.12 scimType values, in plain words. */
export const SCIM_TYPES: Record<string, string> = {
  invalidFilter: 'the filter syntax was invalid, or the attribute or comparison it uses is not supported',
  tooMany: 'the filter matched more results than the server will return',
  uniqueness: 'a value that must be unique is already taken (a duplicate userName, email, externalId or group name)',
  mutability: 'the request tried to change a read-only or immutable attribute',
  invalidSyntax: 'the request body could not be parsed, or does not follow the schema',
  invalidPath: 'the PATCH "path" is malformed or names no attribute the server knows',
  noTarget: 'the PATCH "path" matched nothing to change',
  invalidValue: 'a required value is missing, or a value is of the wrong type or not allowed',
  invalidVers: 'the SCIM protocol version is not supported',
  sensitive: 'the request put sensitive data (a password) in the URL',
};

/** The AWS exception name for each status (FACTS C6). */
export const AWS_EXCEPTION: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnauthorizedException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'ConflictException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
};

const STATUS_OF_TYPE: Record<string, number> = Object.fromEntries(Object.entries(AWS_EXCEPTION).map(([k, v]) => [v.toLowerCase(), Number(k)]));

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Reads an error body; undefined when it is not one. */
export function readAwsError(o: Record<string, unknown>): AwsScimError | undefined {
  if (typeof o.errorCode === 'string') {
    // A CloudTrail record (event CreateUser, PatchUser…).
    const type = o.errorCode;
    const status = STATUS_OF_TYPE[type.toLowerCase()];
    return {
      type,
      ...(str(o.errorMessage) ? { detail: str(o.errorMessage)! } : {}),
      ...(status ? { status } : {}),
      ...(str(o.requestID) ?? str(o.requestId) ? { requestId: (str(o.requestID) ?? str(o.requestId))! } : {}),
      ...(str(o.eventTime) ? { timeStamp: str(o.eventTime)! } : {}),
      shape: 'cloudtrail',
      schemaKeys: [],
      statusIsString: false,
    };
  }
  if (typeof o.__type === 'string') {
    const type = o.__type.split('#').pop()!;
    const status = STATUS_OF_TYPE[type.toLowerCase()];
    return {
      type,
      ...(str(o.message) ?? str(o.Message) ? { detail: (str(o.message) ?? str(o.Message))! } : {}),
      ...(status ? { status } : {}),
      shape: 'aws-api',
      schemaKeys: [],
      statusIsString: false,
    };
  }
  const rawStatus = getAttr(o, 'status');
  const detail = detailText(getAttr(o, 'detail'));
  const schemaKeys = ['schema', 'schemas'].filter((k) => k in o);
  if (rawStatus === undefined && detail === undefined && !schemaKeys.length) return undefined;
  const word = typeof rawStatus === 'string' ? STATUS_WORDS[rawStatus.trim().toLowerCase().replace(/[^a-z]/g, '')] : undefined;
  const n = typeof rawStatus === 'number' ? rawStatus : typeof rawStatus === 'string' && /^\d{3}$/.test(rawStatus.trim()) ? Number(rawStatus) : word;
  const e: AwsScimError = { shape: 'scim', schemaKeys, statusIsString: typeof rawStatus === 'string' };
  if (word !== undefined) e.statusText = (rawStatus as string).trim();
  if (n !== undefined) {
    e.status = n;
    if (AWS_EXCEPTION[n]) e.type = AWS_EXCEPTION[n];
  }
  if (detail !== undefined) e.detail = detail;
  const scimType = getAttr(o, 'scimType');
  if (typeof scimType === 'string' && scimType.trim()) e.scimType = scimType.trim();
  const rid = getAttr(o, 'exceptionRequestId');
  if (typeof rid === 'string') e.requestId = rid;
  const ts = getAttr(o, 'timeStamp');
  if (typeof ts === 'string') e.timeStamp = ts;
  return e;
}

export type ErrorCause =
  | 'single-item'
  | 'unparsable'
  | 'constraint'
  | 'duplicate'
  | 'throttled'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'server'
  | 'unknown';

export interface Constraint {
  attribute: string;
  /** "length ≥ 1" → an empty value; "length ≤ N" → too long; "pattern" → characters refused. */
  kind: 'empty' | 'too-long' | 'pattern' | 'other';
  text: string;
}

export interface ErrorExplanation {
  cause: ErrorCause;
  /** One sentence: what AWS said, in plain words. */
  meaning: string;
  /** The likely causes, most likely first. */
  likely: string[];
  fix: string;
  facts: string[];
  /** Attributes the detail names. */
  attributes: string[];
  constraints: Constraint[];
}

/** Reads AWS's "N validation errors detected: Value at 'x' failed to satisfy constraint: …" (FACTS C6). */
export function readConstraints(detail: string): Constraint[] {
  const out: Constraint[] = [];
  const re = /Value (?:at|'[^']*' at) '([^']+)' failed to satisfy constraint: ([^;]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(detail)) && out.length < 50) {
    const text = m[2]!.trim();
    const kind = /length greater than or equal to 1\b/i.test(text)
      ? 'empty'
      : /length less than or equal to/i.test(text)
        ? 'too-long'
        : /regular expression pattern/i.test(text)
          ? 'pattern'
          : 'other';
    out.push({ attribute: m[1]!, kind, text });
  }
  return out;
}

export function explainAwsError(e: AwsScimError): ErrorExplanation {
  const d = e.detail ?? '';
  const base = { attributes: [] as string[], constraints: [] as Constraint[] };
  const single = /list attributes only allow single item/i.test(d) || /List attribute (\w+) exceeds allowed limit of 1/i.exec(d);
  if (single) {
    const attr = /List attribute (\w+) exceeds/i.exec(d)?.[1];
    return {
      ...base,
      cause: 'single-item',
      attributes: attr ? [attr] : [],
      meaning: `Identity Center refused a list attribute with more than one value${attr ? ` (${attr})` : ''}: it keeps one email, one phone number and one address per user.`,
      likely: [
        'Several Entra attributes are mapped into the same list: mobile, work and fax phones into phoneNumbers is the common one.',
        'Two email mappings (e.g. mail and otherMails), or two address types.',
      ],
      fix: FIX_ONE_VALUE,
      facts: ['C5.2', 'C5.3', 'C6'],
    };
  }
  const constraints = readConstraints(d);
  if (constraints.length) {
    const attrs = [...new Set(constraints.map((c) => c.attribute))];
    const likely: string[] = [];
    if (constraints.some((c) => c.kind === 'empty')) likely.push(`An empty value in ${constraints.filter((c) => c.kind === 'empty').map((c) => c.attribute).join(', ')}: Entra sent "" (a blank First name, Last name or Display name).`);
    if (constraints.some((c) => c.kind === 'pattern')) likely.push(`Characters Identity Center refuses in ${constraints.filter((c) => c.kind === 'pattern').map((c) => c.attribute).join(', ')} (in a user name: < > ; : % and whitespace).`);
    if (constraints.some((c) => c.kind === 'too-long')) likely.push(`A value over the length limit in ${constraints.filter((c) => c.kind === 'too-long').map((c) => c.attribute).join(', ')} (user name 128, names 1024 characters).`);
    if (!likely.length) likely.push(`A value Identity Center does not accept in ${attrs.join(', ')}.`);
    return {
      ...base,
      cause: 'constraint',
      attributes: attrs,
      constraints,
      meaning: `Identity Center validated the request and refused ${attrs.join(', ')}.`,
      likely,
      fix: FIX_USER_DATA,
      facts: ['C5.3', 'C6'],
    };
  }
  const status = e.status;
  // An RFC 7644 error that says what kind it is (Identity Center's own bodies carry no scimType:
  // this is another SCIM server, or a proxy): explained from its scimType and its own detail.
  if (e.scimType && SCIM_TYPES[e.scimType] && e.scimType !== 'uniqueness') {
    return {
      ...base,
      cause: e.scimType === 'invalidSyntax' || e.scimType === 'invalidValue' ? 'unparsable' : 'unknown',
      meaning: `The SCIM server refused the request${status ? ` (HTTP ${status}${e.statusText ? `, ${e.statusText}` : ''})` : ''} with scimType "${e.scimType}": ${SCIM_TYPES[e.scimType]}.${d ? ` It said: "${d}"` : ''}`,
      likely: d ? [`What the server said: ${d}`] : [SCIM_TYPES[e.scimType]!],
      fix: `Change what the detail names${d ? ` ("${d.slice(0, 200)}")` : ''}; lint the request body with samlscope (scim lint) to compare it with what Identity Center accepts.`,
      facts: ['C6', 'H1'],
    };
  }
  if (status === 409 || /duplicate|already exists/i.test(d) || e.type === 'ConflictException' || e.scimType === 'uniqueness') {
    return {
      ...base,
      cause: 'duplicate',
      meaning: 'Identity Center already has a user or group with the same unique value, so it refused to create another.',
      likely: [
        'A user with the same userName, primary email address or externalId exists in Identity Center (created by hand, by another provisioning source, or before a re-create in Entra).',
        'A group with the same displayName (or externalId) exists.',
        'A create was retried after a throttled (429) or dropped request that had in fact succeeded.',
      ],
      fix:
        `Find the existing user in ${AWS_USERS} (or the group in ${AWS_GROUPS}) by user name and email. If it is the same person, delete it there and let Entra create it again ` +
        `(its assignments go with it), or make Entra match it: the matching attribute in ${ENTRA_PROVISIONING_USER_MAPPINGS} must be userName alone.`,
      facts: ['C5.7', 'C5.10', 'C7.2', 'D3.9'],
    };
  }
  if (status === 429 || /too many requests|throttl/i.test(d) || e.type === 'ThrottlingException') {
    return {
      ...base,
      cause: 'throttled',
      meaning: 'Identity Center throttled the caller (HTTP 429, ThrottlingException): too many requests in a short time.',
      likely: [
        'A large initial cycle or a restart of provisioning (hundreds of users and groups synchronised quickly).',
        'Several tools writing to the same Identity Center at once (Entra provisioning plus a script).',
      ],
      fix: 'Nothing to change in the data: Entra retries throttled requests in a later cycle. Avoid running other SCIM clients against the same endpoint during a full cycle. AWS publishes no SCIM rate limit.',
      facts: ['C6', 'C7.1', 'C7.2'],
    };
  }
  if (status === 401 || e.type === 'UnauthorizedException') {
    return {
      ...base,
      cause: 'unauthorized',
      meaning: 'Identity Center did not accept the access token (HTTP 401, UnauthorizedException).',
      likely: [
        'The SCIM access token expired or was deleted in AWS.',
        'The endpoint has the wrong tenant id, or the token belongs to another Identity Center instance (check the endpoint against the one shown beside the tokens in AWS).',
        'The Authorization header is missing or not "Bearer <token>".',
      ],
      fix: FIX_TOKEN,
      facts: ['C1.3', 'C1.4', 'C1.5', 'C1.6', 'D4.2'],
    };
  }
  if (status === 403 || e.type === 'AccessDeniedException') {
    return {
      ...base,
      cause: 'forbidden',
      meaning: 'Identity Center refused the operation for this token (HTTP 403, AccessDeniedException).',
      likely: ['The token is valid but not allowed this operation.', 'The identity source is no longer "External identity provider" with automatic provisioning on.'],
      fix: `Check that automatic provisioning is enabled for the current identity source, then generate a new token. ${FIX_TOKEN}`,
      facts: ['C6'],
    };
  }
  if (status === 404 || e.type === 'ResourceNotFoundException') {
    return {
      ...base,
      cause: 'not-found',
      meaning: 'The user or group the request names does not exist in Identity Center (HTTP 404, ResourceNotFoundException).',
      likely: [
        'It was deleted in the AWS console while Entra still holds its id; Entra keeps updating the deleted object.',
        'A group-membership filter named a user that does not exist.',
      ],
      fix: `Let Entra create it again: restart provisioning with a full reset (${ENTRA_PROVISIONING} → Restart provisioning), or remove and re-add the user in the app's assignments.`,
      facts: ['C6', 'C3.3', 'D4.4'],
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      ...base,
      cause: 'server',
      meaning: `Identity Center failed to process the request (HTTP ${status}, InternalServerException).`,
      likely: ['A transient AWS-side failure.'],
      fix: 'Retry later; Entra retries failed exports in the next cycle (about 40 minutes). If it persists, open an AWS support case with the request id.',
      facts: ['C6', 'D1.1', 'D3.5'],
    };
  }
  if (status === 400 || /unparsable|syntactically incorrect|violates schema/i.test(d) || e.type === 'ValidationException') {
    return {
      ...base,
      cause: 'unparsable',
      meaning: 'Identity Center refused the request as invalid (HTTP 400, ValidationException). AWS gives the same text for many different problems.',
      likely: [
        'More than one email, phone number or address (list attributes take one value).',
        'An empty string "" in an attribute (AWS accepts a value or nothing).',
        'A missing first name, last name, display name or user name.',
        'Characters AWS refuses: < > ; : % in the user name, tab, newline or carriage return.',
        'A PATCH operation AWS does not support (remove all members, replace members, remove on userName or active).',
      ],
      fix: `Lint the request body with samlscope (scim lint, or paste it on the SCIM page) to see which of these it is. ${FIX_USER_DATA}`,
      facts: ['C5.1', 'C5.2', 'C5.3', 'C5.5', 'C5.6', 'C4.2', 'C4.3', 'C6'],
    };
  }
  return {
    ...base,
    cause: 'unknown',
    meaning: `Identity Center answered ${status ? `HTTP ${status}` : 'with an error'}${e.statusText ? ` (${e.statusText})` : e.type ? ` (${e.type})` : ''}${d ? `: "${d}"` : ''}.`,
    likely: ['Not one of the errors AWS documents for its SCIM endpoint.'],
    fix: 'Keep the request id and timestamp and open an AWS support case if it repeats.',
    facts: ['C6'],
  };
}
