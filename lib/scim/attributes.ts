// What Identity Center's SCIM endpoint accepts, attribute by attribute (FACTS C4, C5). The rules
// in lib/scim/rules read these tables; nothing here runs.

/** Required on CreateUser (C5.1), as Leaf attribute paths. */
export const USER_REQUIRED = ['userName', 'name.givenName', 'name.familyName', 'displayName'] as const;

/** List attributes that take one value only (C5.2, C5.3). */
export const SINGLE_VALUED_LISTS = ['emails', 'phoneNumbers', 'addresses', 'roles'] as const;

/** PatchUser may modify only these (C4.2); `enterprise` is the enterprise extension. */
export const PATCH_USER_ALLOWED = [
  'userName', 'active', 'externalId', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage',
  'locale', 'timezone', 'name', 'enterprise', 'emails', 'addresses', 'phoneNumbers',
] as const;

/** PatchGroup may modify only these (C4.3). */
export const PATCH_GROUP_ALLOWED = ['displayName', 'members', 'externalId'] as const;

/** User attributes Identity Center does not support (C5.2). `groups` cannot be set on a user. */
export const USER_UNSUPPORTED = ['ims', 'photos', 'x509Certificates', 'entitlements', 'password', 'groups'] as const;

/** RFC 7643 User attributes plus what Identity Center adds: anything else is unknown to it. */
export const USER_KNOWN = [
  'schemas', 'id', 'externalId', 'meta', 'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType',
  'preferredLanguage', 'locale', 'timezone', 'active', 'emails', 'phoneNumbers', 'addresses', 'roles', 'enterprise',
  ...USER_UNSUPPORTED,
] as const;

export const GROUP_KNOWN = ['schemas', 'id', 'externalId', 'meta', 'displayName', 'members'] as const;

/** Enterprise extension attributes (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User). */
export const ENTERPRISE_KNOWN = ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager'] as const;

/** Length limits of the Identity Store behind the SCIM endpoint (C5.3), in characters. */
export const LENGTH_LIMITS: { attr: string; max: number }[] = [
  { attr: 'userName', max: 128 },
  { attr: 'displayName', max: 1024 },
  { attr: 'name.givenName', max: 1024 },
  { attr: 'name.familyName', max: 1024 },
  { attr: 'name.middleName', max: 1024 },
  { attr: 'name.formatted', max: 1024 },
  { attr: 'name.honorificPrefix', max: 1024 },
  { attr: 'name.honorificSuffix', max: 1024 },
];

/** Most members in one CreateGroup, and most membership changes in one PatchGroup (C4.3, C4.4). */
export const MAX_MEMBERS_PER_REQUEST = 100;

/** Names that cannot be used for users or groups (C5.4). */
export const RESERVED_NAMES = ['Administrator', 'AWSAdministrators'] as const;

/** Characters refused in a user name (C5.3, C5.5, C5.6). */
export const USERNAME_FORBIDDEN = /[<>;:%]/gu;

/** The Identity Store's user-name pattern: letters, marks, symbols, numbers, punctuation only (C5.3). */
export const USERNAME_ALLOWED_CHAR = /[\p{L}\p{M}\p{S}\p{N}\p{P}]/u;

/** The pattern of DisplayName and Name.* (C5.3): the user-name classes plus tab, newline, CR and spaces. */
export const NAME_ALLOWED_CHAR = /[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00a0]/u;

export const NAME_ATTRS = ['displayName', 'name.givenName', 'name.familyName', 'name.middleName', 'name.formatted', 'name.honorificPrefix', 'name.honorificSuffix'];

/** Characters as people see them in evidence: U+0009 for a tab, "<" for "<". */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const names: Record<number, string> = { 9: 'tab', 10: 'newline', 13: 'carriage return', 32: 'space', 0xa0: 'no-break space' };
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (names[cp]) return `${names[cp]} (${hex})`;
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0) || /\p{Z}|\p{C}/u.test(ch)) return hex;
  return `"${ch}"`;
}

/** The attribute's top-level name, e.g. emails for emails.value. */
export const topOf = (attr: string) => attr.split('.')[0]!;

export const sameAttr = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
