// The SCIM page's settings, in their own storage key (not in the shared Settings): the endpoint,
// whether the token may be kept across browser restarts, and whether the popup cross-checks the
// latest sign-in. The token itself is stored apart: in storage.session unless the user opts in to
// storage.local; it is never exported and never logged. Pure: the shell stores them.
import type { CrossCheckResult } from './crosscheck.ts';
import { parseEndpoint, ScimClient } from './client.ts';
import type { ScimPolicy } from '../policy.ts';

export const SCIM_STORAGE_KEYS = {
  /** storage.local */
  settings: 'scimSettings',
  /** storage.session, or storage.local when the user opted in. */
  token: 'scimToken',
  /** storage.session: the popup's last cross-check, so reopening it does not ask AWS again. */
  crossCheck: 'scimCrossCheck',
} as const;

export const SCIM_SETTINGS_VERSION = 1;

export interface ScimSettings {
  version: number;
  /** https://scim.<region>.amazonaws.com/<tenant id>/scim/v2 */
  endpoint: string;
  /** Keep the token in storage.local (across restarts). Off: storage.session only. */
  rememberToken: boolean;
  /** The popup asks Identity Center about the latest sign-in's NameID. */
  crossCheckInPopup: boolean;
  /**
   * A host that is not Identity Center's SCIM host (scim.<region>.amazonaws.com / .api.aws) to
   * which the user agreed to send the token, on the SCIM page. The token goes to no other such host.
   */
  trustedHost?: string;
}

export const DEFAULT_SCIM_SETTINGS: ScimSettings = { version: SCIM_SETTINGS_VERSION, endpoint: '', rememberToken: false, crossCheckInPopup: true };

export function normalizeScimSettings(v: unknown): ScimSettings {
  const s = { ...DEFAULT_SCIM_SETTINGS };
  if (!v || typeof v !== 'object') return s;
  const o = v as Record<string, unknown>;
  if (typeof o.endpoint === 'string') s.endpoint = o.endpoint.slice(0, 2000);
  if (typeof o.rememberToken === 'boolean') s.rememberToken = o.rememberToken;
  if (typeof o.crossCheckInPopup === 'boolean') s.crossCheckInPopup = o.crossCheckInPopup;
  if (typeof o.trustedHost === 'string' && o.trustedHost) s.trustedHost = o.trustedHost.slice(0, 300).toLowerCase();
  return s;
}

/**
 * Whether the SCIM token may be sent to this endpoint: Identity Center's own SCIM host (or a
 * loopback test server), or the one other host the user agreed to on the SCIM page. A token sent
 * to a mistyped or look-alike host would hand it over: the user is asked first.
 */
export function tokenMayGoTo(settings: Pick<ScimSettings, 'trustedHost'>, info: { host: string; region?: string | undefined }): boolean {
  if (info.region !== undefined || /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(info.host)) return true;
  return settings.trustedHost !== undefined && settings.trustedHost === info.host.toLowerCase();
}

/** What the user is told when the token would go to a host not agreed to. */
export const untrustedHostMessage = (host: string) =>
  `${host} is not an AWS IAM Identity Center SCIM host (scim.<region>.amazonaws.com or scim.<region>.api.aws): samlscope sends the SCIM token there only after you agree to it on the SCIM page.`;

/** A sentence when the endpoint cannot be used; warnings do not block. */
export function validateScimSettings(s: ScimSettings): { endpoint?: string } {
  if (!s.endpoint.trim()) return {};
  const p = parseEndpoint(s.endpoint);
  return p.ok ? {} : { endpoint: p.message };
}

/** What the popup keeps of a cross-check (the token is never part of it). */
export interface CachedCrossCheck {
  key: string;
  at: string;
  result: CrossCheckResult;
}

/** The cache key: the same endpoint, message and NameID ask the same question. */
export const crossCheckKey = (endpoint: string, messageId: string, nameId: string) => `${endpoint}\n${messageId}\n${nameId}`;

/** How long the popup reuses an answer before asking again (ms). */
export const CROSSCHECK_TTL_MS = 2 * 60_000;

/** What the SCIM UI needs from the extension (implemented with browser APIs in lib/store/scim.ts). */
export interface ScimPort {
  /** `policy`: what an administrator's policy locks (lib/policy.ts); absent: nothing. */
  load(): Promise<{ settings: ScimSettings; token: string; tokenArea: 'session' | 'local' | 'none'; policy?: ScimPolicy }>;
  /** `token` undefined keeps the stored token; '' forgets it. */
  save(settings: ScimSettings, token?: string): Promise<void>;
  hasPermission(origin: string): Promise<boolean>;
  /** Must be called from a click (the browser asks the user). */
  requestPermission(origin: string): Promise<boolean>;
  fetch: typeof fetch;
  readCrossCheck(): Promise<CachedCrossCheck | undefined>;
  writeCrossCheck(c: CachedCrossCheck): Promise<void>;
  openScimPage(): void;
}

/** Where a background lookup stands before it can ask: the popup's cross-check and the checklist. */
export type ScimConnection = { settings: ScimSettings } & (
  | { state: 'off' }
  | { state: 'bad-endpoint'; message: string }
  | { state: 'no-token'; host: string }
  | { state: 'ready'; client: ScimClient; host: string; endpoint: string; permission: string }
);

/**
 * The SCIM client for a lookup made without the user at the keyboard (retries, a bounded wait),
 * or why there is none: no endpoint, an unusable endpoint, or no token in this browser session.
 */
export async function connectScim(port: ScimPort): Promise<ScimConnection> {
  const { settings, token, policy } = await port.load();
  // Lookups turned off by policy: as if none were configured (nothing is sent).
  if (!settings.endpoint.trim() || policy?.lookupsDisabled) return { state: 'off', settings };
  const ep = parseEndpoint(settings.endpoint);
  if (!ep.ok) return { state: 'bad-endpoint', message: ep.message, settings };
  if (!tokenMayGoTo(settings, ep.info)) return { state: 'bad-endpoint', message: untrustedHostMessage(ep.info.host), settings };
  if (!token) return { state: 'no-token', host: ep.info.host, settings };
  const client = new ScimClient({ endpoint: ep.info.endpoint, token, fetch: port.fetch, retries: 2, maxDelayMs: 4000, timeoutMs: 10_000 });
  return { state: 'ready', client, host: ep.info.host, endpoint: ep.info.endpoint, permission: ep.info.permission, settings };
}
