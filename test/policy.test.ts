// The enterprise policy keys (managed storage): only the administrator sets them, and each is
// enforced where it matters: export (redaction floor, export off), SCIM (lookups off, endpoint
// preset), persistence (captures and the SCIM token kept for the session only).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, mergeManaged, normalizeSettings, POLICY_KEYS, type Settings } from '../lib/settings.ts';
import { applyScimPolicy, atLeastFloor, PolicyError, redactionAllowed } from '../lib/policy.ts';
import { exportEvidence, type ExportRequest } from '../lib/evidence/export.ts';
import { connectScim, DEFAULT_SCIM_SETTINGS, type ScimPort } from '../lib/scim/settings.ts';
import { labCapture, PEOPLE } from './evidence/fixtures.ts';
import { T0 } from './clock.ts';

const SCHEMA = JSON.parse(readFileSync(new URL('../public/managed_schema.json', import.meta.url), 'utf8')) as { properties: Record<string, { type: string; enum?: string[] }> };
const ENDPOINT = 'https://scim.eu-west-1.amazonaws.com/a1b2c3d4-1111-2222-3333-444455556666/scim/v2';

describe('policy keys in managed storage', () => {
  it('every policy key is in the managed schema with the type the settings use', () => {
    for (const k of POLICY_KEYS) {
      const d = DEFAULT_SETTINGS[k];
      expect(SCHEMA.properties[k], k).toBeDefined();
      expect(SCHEMA.properties[k]!.type).toBe(typeof d === 'boolean' ? 'boolean' : 'string');
    }
    expect(SCHEMA.properties.redactionFloor!.enum).toEqual(['none', 'pseudonymise', 'remove']);
  });

  it("a user's own storage cannot set them (nor lift them)", () => {
    const user = normalizeSettings({ ...DEFAULT_SETTINGS, disableExport: true, redactionFloor: 'remove', scimEndpoint: ENDPOINT, disableScimLookups: true, disablePersistence: true });
    const { settings, locked } = mergeManaged(user, undefined);
    for (const k of POLICY_KEYS) expect(settings[k], k).toEqual(DEFAULT_SETTINGS[k]);
    expect(locked).toEqual([]);
    // Policy says no export; the user's storage says nothing can undo it.
    const m = mergeManaged(normalizeSettings({ disableExport: false }), { disableExport: true });
    expect(m.settings.disableExport).toBe(true);
    expect(m.locked).toContain('disableExport');
  });

  it('an unknown redaction floor is read as the strictest', () => {
    expect(mergeManaged(DEFAULT_SETTINGS, { redactionFloor: 'pseudonymize' }).settings.redactionFloor).toBe('remove');
    expect(mergeManaged(DEFAULT_SETTINGS, { redactionFloor: 'pseudonymise' }).settings.redactionFloor).toBe('pseudonymise');
  });

  it('disablePersistence forces captures into session storage and locks the choice', () => {
    const user: Settings = { ...DEFAULT_SETTINGS, persistAcrossRestarts: true };
    const { settings, locked } = mergeManaged(user, { disablePersistence: true });
    expect(settings.persistAcrossRestarts).toBe(false);
    expect(locked).toEqual(expect.arrayContaining(['disablePersistence', 'persistAcrossRestarts']));
  });
});

describe('export under the policy', () => {
  const request = (over: Partial<ExportRequest>): ExportRequest => {
    const cap = labCapture();
    return {
      format: 'markdown',
      redaction: { mode: 'none' },
      input: { messages: cap.messages, steps: cap.steps, expectations: cap.expectations, analysisTime: new Date(T0) },
      source: { kind: 'live', names: [] },
      version: '0.0.0',
      exportedAt: new Date(T0),
      ...over,
    };
  };

  it('refuses a redaction below the floor, and writes one at or above it', () => {
    expect(() => exportEvidence(request({ policy: { redactionFloor: 'pseudonymise', disableExport: false } }))).toThrow(PolicyError);
    expect(() => exportEvidence(request({ redaction: { mode: 'pseudonymise' }, policy: { redactionFloor: 'remove', disableExport: false } }))).toThrow(/redacted \(Remove\)/);
    const ok = exportEvidence(request({ redaction: { mode: 'pseudonymise' }, policy: { redactionFloor: 'pseudonymise', disableExport: false } }));
    expect(ok.redaction.mode).toBe('pseudonymise');
    expect(ok.text).not.toContain(PEOPLE.mail);
  });

  it('refuses every export when export is off', () => {
    expect(() => exportEvidence(request({ redaction: { mode: 'remove' }, policy: { redactionFloor: 'none', disableExport: true } }))).toThrow(/disableExport/);
  });

  it('the panel never offers or uses a mode below the floor', () => {
    expect(['none', 'pseudonymise', 'remove'].filter((m) => redactionAllowed(m as 'none', 'pseudonymise'))).toEqual(['pseudonymise', 'remove']);
    expect(atLeastFloor('none', 'pseudonymise')).toBe('pseudonymise');
    expect(atLeastFloor('remove', 'pseudonymise')).toBe('remove');
    expect(atLeastFloor('none', 'none')).toBe('none');
  });
});

describe('SCIM under the policy', () => {
  it('presets and locks the endpoint, and forgets the remembered token', () => {
    const { settings, policy } = applyScimPolicy({ ...DEFAULT_SCIM_SETTINGS, endpoint: 'https://example.com/x', rememberToken: true }, { ...DEFAULT_SETTINGS, scimEndpoint: ENDPOINT, disablePersistence: true });
    expect(settings.endpoint).toBe(ENDPOINT);
    expect(settings.rememberToken).toBe(false);
    expect(policy).toEqual({ lookupsDisabled: false, endpointLocked: true, rememberDisabled: true });
  });

  it('lookups off: no client is made and nothing is fetched, even with an endpoint and a token', async () => {
    const { settings, policy } = applyScimPolicy({ ...DEFAULT_SCIM_SETTINGS, endpoint: ENDPOINT }, { ...DEFAULT_SETTINGS, disableScimLookups: true });
    expect(settings.crossCheckInPopup).toBe(false);
    let fetched = 0;
    const port: ScimPort = {
      load: async () => ({ settings, token: 'secret-token', tokenArea: 'session', policy }),
      save: async () => undefined,
      hasPermission: async () => true,
      requestPermission: async () => true,
      fetch: (async () => {
        fetched++;
        return new Response('{}');
      }) as typeof fetch,
      readCrossCheck: async () => undefined,
      writeCrossCheck: async () => undefined,
      openScimPage: () => undefined,
    };
    expect((await connectScim(port)).state).toBe('off');
    // The same port without the policy would connect: the policy is what stops it.
    port.load = async () => ({ settings, token: 'secret-token', tokenArea: 'session' });
    expect((await connectScim(port)).state).toBe('ready');
    expect(fetched).toBe(0);
  });
});
