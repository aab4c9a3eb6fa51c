// What an administrator's policy (managed storage: public/managed_schema.json, docs/enterprise.md)
// allows, in one place for the views, the background and the SCIM port. Pure. The policy values
// themselves are Settings keys that only mergeManaged can set (lib/settings.ts POLICY_KEYS).
import type { RedactionFloor, Settings } from './settings.ts';
import type { ScimSettings } from './scim/settings.ts';

export type RedactionMode = 'none' | 'pseudonymise' | 'remove';

const STRENGTH: Record<RedactionMode, number> = { none: 0, pseudonymise: 1, remove: 2 };

/** Whether an export with this redaction is allowed under the floor. */
export function redactionAllowed(mode: RedactionMode, floor: RedactionFloor): boolean {
  return STRENGTH[mode] >= STRENGTH[floor];
}

/** The mode to use: the one asked for, or the floor when it asks for less. */
export function atLeastFloor(mode: RedactionMode, floor: RedactionFloor): RedactionMode {
  return redactionAllowed(mode, floor) ? mode : floor;
}

export const POLICY_TEXT = {
  exportDisabled: 'Export is turned off by your administrator (policy disableExport).',
  redactionFloor: (floor: RedactionFloor) =>
    `Your administrator requires exports to be ${floor === 'remove' ? 'redacted (Remove)' : 'at least pseudonymised'} (policy redactionFloor).`,
  scimDisabled: 'SCIM lookups are turned off by your administrator (policy disableScimLookups): samlscope sends nothing to Identity Center.',
  endpointLocked: 'Set by your administrator (policy scimEndpoint).',
  rememberDisabled: 'Your administrator does not allow keeping the token across browser restarts (policy disablePersistence).',
} as const;

/** Thrown when something the policy forbids is attempted anyway (a stale view, a crafted message). */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

export interface ScimPolicy {
  lookupsDisabled: boolean;
  endpointLocked: boolean;
  rememberDisabled: boolean;
}

/** The SCIM page's settings with the policy applied: endpoint preset, token not remembered. */
export function applyScimPolicy(scim: ScimSettings, s: Pick<Settings, 'scimEndpoint' | 'disablePersistence' | 'disableScimLookups'>): { settings: ScimSettings; policy: ScimPolicy } {
  const settings = { ...scim };
  const endpointLocked = !!s.scimEndpoint.trim();
  if (endpointLocked) settings.endpoint = s.scimEndpoint.trim();
  if (s.disablePersistence) settings.rememberToken = false;
  if (s.disableScimLookups) settings.crossCheckInPopup = false;
  return { settings, policy: { lookupsDisabled: s.disableScimLookups, endpointLocked, rememberDisabled: s.disablePersistence } };
}
