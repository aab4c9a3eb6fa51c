// The extension's settings: what the checks should expect, how long captures are kept, and
// which extra hosts are watched. Pure: validation and merging; storage lives in the shell.
import { DEFAULT_CLOCK_SKEW_SECONDS, type Expectations } from './domain/expectations.ts';
import { DEFAULT_RETENTION, MAX_RETENTION_BYTES, STORAGE_AREA_QUOTA_BYTES, type RetentionLimits } from './capture/limits.ts';
import { describeCertificate, isCertificateError, normalizeCertificate } from './signature/cert.ts';

export const SETTINGS_VERSION = 1;

export interface Settings {
  version: number;
  /** Identity Center's issuer URL (Entra's Identifier). */
  spEntityId: string;
  /** Identity Center's ACS URL (Entra's Reply URL). */
  acsUrl: string;
  region: string;
  /** Entra's issuer, https://sts.windows.net/<tenant>/. */
  idpEntityId: string;
  /** The AWS access portal URL users should land on. */
  portalUrl: string;
  /** AccessControl tag keys that must arrive. */
  accessControlKeys: string[];
  /**
   * The IdP signing certificates AWS IAM Identity Center holds, base64 DER (pasted PEM/base64 or
   * imported Entra federation metadata). Empty: the first certificate seen per tenant is pinned.
   */
  idpCertificates: string[];
  /** Which claim holds the Identity Center user name: the UPN, the mail, or none (do not assume). */
  usernameSource: 'upn' | 'mail' | 'none';
  clockSkewSeconds: number;
  /** Retention. */
  maxMessages: number;
  maxMegabytes: number;
  /** Keep captures across browser restarts (storage.local) instead of the session only. */
  persistAcrossRestarts: boolean;
  /** Extra identity-provider host patterns (ADFS, custom domains), granted as optional permissions. */
  extraHosts: string[];
  // Enterprise policy (managed storage only; docs/enterprise.md, lib/policy.ts). A user's own
  // storage cannot set these: mergeManaged takes them from the administrator's policy alone.
  /** The weakest export redaction allowed: 'none' (no floor), 'pseudonymise' or 'remove'. */
  redactionFloor: RedactionFloor;
  /** No SCIM request leaves the browser: lookups, connection tests, the popup's cross-check. */
  disableScimLookups: boolean;
  /** Nothing captured or secret is kept across restarts: captures and the SCIM token stay in storage.session. */
  disablePersistence: boolean;
  /** No export for a ticket (Markdown, bundle, HAR). */
  disableExport: boolean;
  /** The Identity Center SCIM endpoint, preset and locked on the SCIM page. */
  scimEndpoint: string;
}

export type RedactionFloor = 'none' | 'pseudonymise' | 'remove';

/** The settings only an administrator's policy can set. */
export const POLICY_KEYS = ['redactionFloor', 'disableScimLookups', 'disablePersistence', 'disableExport', 'scimEndpoint'] as const satisfies readonly (keyof Settings)[];

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  spEntityId: '',
  acsUrl: '',
  region: '',
  idpEntityId: '',
  portalUrl: '',
  accessControlKeys: [],
  idpCertificates: [],
  usernameSource: 'none',
  clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
  maxMessages: DEFAULT_RETENTION.maxMessages,
  maxMegabytes: DEFAULT_RETENTION.maxBytes / 1024 / 1024,
  persistAcrossRestarts: false,
  extraHosts: [],
  redactionFloor: 'none',
  disableScimLookups: false,
  disablePersistence: false,
  disableExport: false,
  scimEndpoint: '',
};

export type SettingsErrors = Partial<Record<keyof Settings, string>>;

const URL_FIELDS = ['spEntityId', 'acsUrl', 'idpEntityId', 'portalUrl'] as const;

/** Checks the values a person typed; returns a sentence per bad field. */
export function validateSettings(s: Settings): SettingsErrors {
  const e: SettingsErrors = {};
  for (const k of URL_FIELDS) {
    const v = s[k].trim();
    if (v && !/^(https?:\/\/[^\s/]+(\/\S*)?|urn:\S+)$/i.test(v)) e[k] = 'Enter a full URL (https://…) or URN, or leave it empty.';
  }
  if (s.region && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(s.region.trim())) e.region = 'An AWS region looks like eu-west-1.';
  if (!Number.isFinite(s.clockSkewSeconds) || s.clockSkewSeconds < 0 || s.clockSkewSeconds > 86400) {
    e.clockSkewSeconds = 'Enter a number of seconds between 0 and 86400.';
  }
  if (!Number.isInteger(s.maxMessages) || s.maxMessages < 10 || s.maxMessages > 5000) e.maxMessages = 'Between 10 and 5000 messages.';
  if (!Number.isFinite(s.maxMegabytes) || s.maxMegabytes < 1 || s.maxMegabytes > MAX_RETENTION_BYTES / 1024 / 1024) {
    e.maxMegabytes = `Between 1 and ${MAX_RETENTION_BYTES / 1024 / 1024} MB: the browser keeps at most ${STORAGE_AREA_QUOTA_BYTES / 1024 / 1024} MB for an extension's captures.`;
  }
  for (const k of s.accessControlKeys) {
    if (!/^[\p{L}\p{N} _.:/=+\-@]{1,128}$/u.test(k)) {
      e.accessControlKeys = `"${k}" is not a valid tag key (letters, numbers, spaces and _ . : / = + - @, up to 128).`;
      break;
    }
  }
  for (const [i, c] of s.idpCertificates.entries()) {
    const info = describeCertificate(c);
    if (isCertificateError(info)) {
      e.idpCertificates = `Certificate ${i + 1}: ${info.message}`;
      break;
    }
  }
  for (const h of s.extraHosts) {
    if (!HOST_PATTERN.test(h)) {
      e.extraHosts = `"${h}" is not a host pattern like https://adfs.example.com/* (or with a path, https://adfs.example.com/adfs/ls/*).`;
      break;
    }
  }
  return e;
}

/**
 * An extra identity-provider host: an https match pattern, its host optionally starting with "*.",
 * its path optional ("/*", "/adfs/ls/*"), as people copy it from a sign-in URL.
 */
const HOST_PATTERN = /^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(\/[^\s]*)?$/i;

/**
 * What the browser is asked for, for an extra host: the whole host (https://adfs.example.com/*).
 * A host permission is for the host whatever path its pattern names, and a pattern without a
 * path is not a valid match pattern.
 */
export function hostPermissionOf(pattern: string): string {
  const m = /^https:\/\/([^/\s]+)/i.exec(pattern.trim());
  return m ? `https://${m[1]!.toLowerCase()}/*` : pattern;
}

/** Reads stored settings of any age, filling gaps with defaults and dropping unknown keys. */
export function normalizeSettings(stored: unknown): Settings {
  const s = { ...DEFAULT_SETTINGS };
  if (!stored || typeof stored !== 'object') return s;
  const o = stored as Record<string, unknown>;
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v = o[k];
    if (v === undefined || k === 'version') continue;
    const d = DEFAULT_SETTINGS[k];
    if (Array.isArray(d)) {
      if (Array.isArray(v)) (s as Record<string, unknown>)[k] = v.filter((x) => typeof x === 'string');
    } else if (typeof v === typeof d) {
      (s as Record<string, unknown>)[k] = v;
    }
  }
  if (!['upn', 'mail', 'none'].includes(s.usernameSource)) s.usernameSource = 'none';
  // An unknown floor is read as the strictest: a typo in a policy must not allow unredacted exports.
  if (!['none', 'pseudonymise', 'remove'].includes(s.redactionFloor)) s.redactionFloor = 'remove';
  s.scimEndpoint = s.scimEndpoint.trim().slice(0, 2000);
  return s;
}

/**
 * Merges the user's settings with an administrator's managed values; managed values win and are
 * reported so the options page can lock them.
 */
export function mergeManaged(user: Settings, managed: unknown): { settings: Settings; locked: (keyof Settings)[] } {
  // Policy keys come from the administrator only, whatever the user's storage holds.
  const own = { ...user };
  for (const k of POLICY_KEYS) (own as Record<string, unknown>)[k] = DEFAULT_SETTINGS[k];
  if (!managed || typeof managed !== 'object') return { settings: own, locked: [] };
  const m = normalizeSettings(managed);
  const present = Object.keys(managed as object).filter((k) => k in DEFAULT_SETTINGS && k !== 'version') as (keyof Settings)[];
  const settings = own;
  for (const k of present) (settings as Record<string, unknown>)[k] = m[k];
  // Persistence disabled: captures stay in storage.session, whatever the user chose.
  if (settings.disablePersistence) {
    settings.persistAcrossRestarts = false;
    if (!present.includes('persistAcrossRestarts')) present.push('persistAcrossRestarts');
  }
  return { settings, locked: present };
}

export function toExpectations(s: Settings): Expectations {
  const e: Expectations = { clockSkewSeconds: s.clockSkewSeconds };
  if (s.spEntityId.trim()) e.spEntityId = s.spEntityId.trim();
  if (s.acsUrl.trim()) e.acsUrl = s.acsUrl.trim();
  if (s.region.trim()) e.region = s.region.trim();
  if (s.idpEntityId.trim()) e.idpEntityId = s.idpEntityId.trim();
  if (s.portalUrl.trim()) e.portalUrl = s.portalUrl.trim();
  if (s.accessControlKeys.length) e.expectedAccessControlKeys = s.accessControlKeys;
  const certs = s.idpCertificates.map((c) => normalizeCertificate(c)).filter((c): c is string => !!c);
  if (certs.length) {
    e.idpCertificates = certs;
    e.sources = { idpCertificates: "the IdP certificates on samlscope's options page" };
  }
  if (s.usernameSource !== 'none') e.usernameSource = s.usernameSource;
  return e;
}

export function toRetention(s: Settings): RetentionLimits {
  // Never past what the browser can hold (settings saved when up to 64 MB was allowed, a managed
  // policy): a larger limit would let a write fail instead of evicting the oldest sign-ins.
  const bytes = Math.round(s.maxMegabytes * 1024 * 1024);
  return { maxMessages: s.maxMessages, maxBytes: Math.min(Number.isFinite(bytes) && bytes > 0 ? bytes : DEFAULT_RETENTION.maxBytes, MAX_RETENTION_BYTES), maxSteps: DEFAULT_RETENTION.maxSteps };
}
