// AccessControl keys learned from accepted sign-ins (issue 17). With no expected keys configured,
// the keys that earlier accepted sign-ins of the same Identity Center instance carried become the
// expectation for later ones, so that "a user without a cost center loses the CostCenter
// attribute and ABAC denies them" is caught. Kept like the pinned certificates: the extension
// stores them in storage.local (shown and editable in Options), the CLI within one run. Pure.
import type { ResponseInfo } from '../saml/model.ts';
import { STATUS_PREFIX } from '../saml/model.ts';
import { ACCESS_CONTROL_PREFIX, isIdcEntityId } from '../domain/aws.ts';

export type { LearnedKey, LearnedKeys } from '../domain/expectations.ts';
import type { LearnedKey, LearnedKeys } from '../domain/expectations.ts';

/** The Identity Center instance a Response is for: its Audience, when it has Identity Center's shape. */
export function instanceOf(m: ResponseInfo): string | undefined {
  const aud = m.assertions[0]?.conditions?.audiences.map((a) => a.value.trim()).find(isIdcEntityId);
  return aud;
}

/** The well-formed AccessControl keys a Response carries, in order, each once. */
export function accessControlKeysOf(m: ResponseInfo): string[] {
  const out: string[] = [];
  for (const at of m.assertions[0]?.attributes ?? []) {
    if (!at.name.startsWith(ACCESS_CONTROL_PREFIX)) continue;
    const key = at.name.slice(ACCESS_CONTROL_PREFIX.length);
    if (key && key.trim() === key && !out.some((k) => k.toLowerCase() === key.toLowerCase())) out.push(key);
  }
  return out;
}

/** A sign-in AWS can accept, as far as this message shows: status Success and no error finding. */
export function isAccepted(m: ResponseInfo, errorCount: number): boolean {
  return m.status?.code === `${STATUS_PREFIX}Success` && m.assertions.length === 1 && errorCount === 0;
}

/** Adds the keys of an accepted sign-in not known yet for its instance. Returns the keys added. */
export function learnFrom(learned: LearnedKeys, instance: string, keys: string[], from: Omit<LearnedKey, 'key'>): LearnedKey[] {
  const known = learned[instance] ?? [];
  const added = keys.filter((k) => !known.some((x) => x.key.toLowerCase() === k.toLowerCase())).map((key) => ({ key, ...from }));
  if (added.length) learned[instance] = [...known, ...added];
  return added;
}

/** Reads stored learned keys of any shape, keeping only well-formed entries. */
export function normalizeLearnedKeys(stored: unknown): LearnedKeys {
  const out: LearnedKeys = {};
  if (!stored || typeof stored !== 'object') return out;
  for (const [instance, list] of Object.entries(stored as Record<string, unknown>)) {
    if (!isIdcEntityId(instance) || !Array.isArray(list)) continue;
    const keys: LearnedKey[] = [];
    for (const v of list) {
      const k = v as Partial<LearnedKey>;
      if (typeof k?.key !== 'string' || !k.key || typeof k.firstSeen !== 'string' || typeof k.messageId !== 'string') continue;
      if (keys.some((x) => x.key.toLowerCase() === k.key!.toLowerCase())) continue;
      keys.push({ key: k.key, firstSeen: k.firstSeen, messageId: k.messageId, ...(typeof k.user === 'string' ? { user: k.user } : {}) });
    }
    if (keys.length) out[instance] = keys;
  }
  return out;
}

/** The learned keys without one key of one instance (Options: the user removes a key). */
export function forgetKey(learned: LearnedKeys, instance: string, key: string): LearnedKeys {
  const out: LearnedKeys = { ...learned };
  const rest = (out[instance] ?? []).filter((k) => k.key !== key);
  if (rest.length) out[instance] = rest;
  else delete out[instance];
  return out;
}

/** Did the analysis learn keys the stored ones lack (so they must be saved)? */
export function learnedChanged(before: LearnedKeys | undefined, after: LearnedKeys | undefined): boolean {
  if (!after) return false;
  return JSON.stringify(normalizeLearnedKeys(before ?? {})) !== JSON.stringify(normalizeLearnedKeys(after));
}
