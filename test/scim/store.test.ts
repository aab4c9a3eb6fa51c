// The SCIM settings and token storage (lib/store/scim.ts) with WXT's fake browser: the token lives
// in storage.session unless "remember" is on, never in both areas, and moves when the choice
// changes; the settings have their own key.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browserScimPort } from '../../lib/store/scim.ts';
import { forgetManaged, readSettings } from '../../lib/store/browser.ts';
import { DEFAULT_SCIM_SETTINGS, normalizeScimSettings, SCIM_STORAGE_KEYS, validateScimSettings } from '../../lib/scim/settings.ts';

const EP = 'https://scim.eu-west-1.amazonaws.com/3b5f8a2e/scim/v2';
const areas = async () => ({
  local: await fakeBrowser.storage.local.get(null),
  session: await fakeBrowser.storage.session.get(null),
});

describe('SCIM storage', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    forgetManaged();
  });

  it('keeps the token in the session only, by default', async () => {
    const port = browserScimPort();
    await port.save({ ...DEFAULT_SCIM_SETTINGS, endpoint: EP }, 'tok-123');
    expect(await port.load()).toEqual({
      settings: { ...DEFAULT_SCIM_SETTINGS, endpoint: EP },
      token: 'tok-123',
      tokenArea: 'session',
      policy: { lookupsDisabled: false, endpointLocked: false, rememberDisabled: false },
    });
    const a = await areas();
    expect(a.session[SCIM_STORAGE_KEYS.token]).toBe('tok-123');
    expect(a.local[SCIM_STORAGE_KEYS.token]).toBeUndefined();
    expect(a.local[SCIM_STORAGE_KEYS.settings]).toEqual({ ...DEFAULT_SCIM_SETTINGS, endpoint: EP });
    expect(a.local.settings).toBeUndefined(); // the shared Settings key is not touched
  });

  it('moves the token when "remember" is turned on and off, and forgets it', async () => {
    const port = browserScimPort();
    const s = { ...DEFAULT_SCIM_SETTINGS, endpoint: EP };
    await port.save(s, 'tok-123');
    await port.save({ ...s, rememberToken: true });
    let a = await areas();
    expect([a.local[SCIM_STORAGE_KEYS.token], a.session[SCIM_STORAGE_KEYS.token]]).toEqual(['tok-123', undefined]);
    expect((await port.load()).tokenArea).toBe('local');
    await port.save(s);
    a = await areas();
    expect([a.local[SCIM_STORAGE_KEYS.token], a.session[SCIM_STORAGE_KEYS.token]]).toEqual([undefined, 'tok-123']);
    await port.save(s, '');
    expect(await port.load()).toMatchObject({ token: '', tokenArea: 'none' });
  });

  it('caches the popup cross-check in the session', async () => {
    const port = browserScimPort();
    expect(await port.readCrossCheck()).toBeUndefined();
    const c = { key: 'k', at: '2025-03-14T09:00:00Z', result: { findings: [], identity: { nameId: 'a', nameIdPath: '/x', messageId: 'm' }, asked: [], events: [] } };
    await port.writeCrossCheck(c);
    expect(await port.readCrossCheck()).toEqual(c);
  });

  it('normalises and validates stored settings', () => {
    expect(normalizeScimSettings({ endpoint: EP, rememberToken: 'yes', extra: 1 })).toEqual({ ...DEFAULT_SCIM_SETTINGS, endpoint: EP });
    expect(validateScimSettings({ ...DEFAULT_SCIM_SETTINGS, endpoint: 'http://scim.eu-west-1.amazonaws.com/x/scim/v2' }).endpoint).toMatch(/https/);
    expect(validateScimSettings({ ...DEFAULT_SCIM_SETTINGS, endpoint: '' })).toEqual({});
  });

  it("an administrator's policy (managed storage): endpoint preset, token never remembered, no request sent", async () => {
    const port = browserScimPort();
    // Remembered before the policy arrived.
    await port.save({ ...DEFAULT_SCIM_SETTINGS, endpoint: 'https://scim.us-east-1.amazonaws.com/other/scim/v2', rememberToken: true }, 'tok-old');
    expect((await areas()).local[SCIM_STORAGE_KEYS.token]).toBe('tok-old');
    await fakeBrowser.storage.managed.set({ scimEndpoint: EP, disablePersistence: true, disableScimLookups: true });
    forgetManaged();
    const r = await port.load();
    expect(r.settings).toEqual({ ...DEFAULT_SCIM_SETTINGS, endpoint: EP, rememberToken: false, crossCheckInPopup: false });
    expect(r.policy).toEqual({ lookupsDisabled: true, endpointLocked: true, rememberDisabled: true });
    expect(r.token).toBe('');
    expect((await areas()).local[SCIM_STORAGE_KEYS.token]).toBeUndefined();
    // Asking to remember a new token keeps it in the session anyway, under the preset endpoint.
    await port.save({ ...DEFAULT_SCIM_SETTINGS, endpoint: 'https://scim.us-east-1.amazonaws.com/other/scim/v2', rememberToken: true }, 'tok-new');
    const a = await areas();
    expect(a.session[SCIM_STORAGE_KEYS.token]).toBe('tok-new');
    expect(a.local[SCIM_STORAGE_KEYS.token]).toBeUndefined();
    expect((a.local[SCIM_STORAGE_KEYS.settings] as { endpoint: string }).endpoint).toBe(EP);
    await expect(port.fetch(`${EP}/Users`)).rejects.toThrow(/disableScimLookups/);
    // The same policy reaches the extension's settings, locked.
    const { settings, locked } = await readSettings();
    expect(settings).toMatchObject({ disableScimLookups: true, disablePersistence: true, persistAcrossRestarts: false, scimEndpoint: EP });
    expect(locked).toEqual(expect.arrayContaining(['disableScimLookups', 'disablePersistence', 'persistAcrossRestarts', 'scimEndpoint']));
  });
});
