// The SCIM page's persistence and permissions: its own storage keys (lib/scim/settings.ts), the
// token in storage.session unless the user opts in to storage.local, and the Identity Center
// host as an optional permission requested on first use. Imported by entrypoints only.
import { browser } from 'wxt/browser';
import { readSettings } from './browser.ts';
import { applyScimPolicy, PolicyError, POLICY_TEXT, type ScimPolicy } from '../policy.ts';
import { normalizeScimSettings, SCIM_STORAGE_KEYS, type CachedCrossCheck, type ScimPort, type ScimSettings } from '../scim/settings.ts';

type Area = typeof browser.storage.local;
const session = (): Area | undefined => (browser.storage as { session?: Area }).session;

async function load(): Promise<{ settings: ScimSettings; token: string; tokenArea: 'session' | 'local' | 'none'; policy: ScimPolicy }> {
  const [got, managed] = await Promise.all([browser.storage.local.get([SCIM_STORAGE_KEYS.settings, SCIM_STORAGE_KEYS.token]), readSettings({ waitForPolicy: true })]);
  // The administrator's policy over the user's choices: endpoint preset, token not remembered.
  const { settings, policy } = applyScimPolicy(normalizeScimSettings(got[SCIM_STORAGE_KEYS.settings]), managed.settings);
  const s = session();
  const inSession = s ? (await s.get(SCIM_STORAGE_KEYS.token))[SCIM_STORAGE_KEYS.token] : undefined;
  if (typeof inSession === 'string' && inSession) return { settings, token: inSession, tokenArea: 'session', policy };
  const inLocal = got[SCIM_STORAGE_KEYS.token];
  if (settings.rememberToken && typeof inLocal === 'string' && inLocal) return { settings, token: inLocal, tokenArea: 'local', policy };
  if (policy.rememberDisabled && typeof inLocal === 'string' && inLocal) {
    // Remembered before persistence was forbidden: forgotten now.
    await browser.storage.local.remove(SCIM_STORAGE_KEYS.token);
  }
  return { settings, token: '', tokenArea: 'none', policy };
}

async function save(wanted: ScimSettings, token?: string): Promise<void> {
  const settings = applyScimPolicy(wanted, (await readSettings({ waitForPolicy: true })).settings).settings;
  const s = session();
  if (token === undefined) {
    // Same token, maybe another place (remember turned on or off): move it. Read it before the
    // new settings are written, while the old ones still say where it is.
    token = (await load()).token;
  }
  await browser.storage.local.set({ [SCIM_STORAGE_KEYS.settings]: settings });
  // Never in two places: the area not chosen is cleared.
  if (!token) {
    await browser.storage.local.remove(SCIM_STORAGE_KEYS.token);
    await s?.remove(SCIM_STORAGE_KEYS.token);
    return;
  }
  if (settings.rememberToken || !s) {
    await browser.storage.local.set({ [SCIM_STORAGE_KEYS.token]: token });
    await s?.remove(SCIM_STORAGE_KEYS.token);
  } else {
    await s.set({ [SCIM_STORAGE_KEYS.token]: token });
    await browser.storage.local.remove(SCIM_STORAGE_KEYS.token);
  }
}

/**
 * What a SCIM lookup needs: the SCIM host, and in Firefox (140+) the optional data-collection
 * permissions the manifest declares for it (a user name is personally identifying, the token is
 * authentication information), asked for together in one prompt. Chrome has no such permission.
 */
function scimPermissions(origin: string): Parameters<typeof browser.permissions.request>[0] {
  const m = browser.runtime.getManifest() as { browser_specific_settings?: { gecko?: { data_collection_permissions?: { optional?: string[] } } } };
  const dataCollection = m.browser_specific_settings?.gecko?.data_collection_permissions?.optional ?? [];
  return { origins: [origin], ...(dataCollection.length ? { data_collection: dataCollection } : {}) } as Parameters<typeof browser.permissions.request>[0];
}

export function browserScimPort(): ScimPort {
  return {
    load,
    save,
    hasPermission: (origin) => browser.permissions.contains(scimPermissions(origin)).catch(() => false),
    requestPermission: (origin) => browser.permissions.request(scimPermissions(origin)).catch(() => false),
    // The one way a SCIM request leaves the browser: refused while the policy forbids lookups.
    fetch: async (...a: Parameters<typeof fetch>) => {
      if ((await readSettings({ waitForPolicy: true })).settings.disableScimLookups) throw new PolicyError(POLICY_TEXT.scimDisabled);
      return globalThis.fetch(...a);
    },
    async readCrossCheck() {
      const s = session();
      if (!s) return undefined;
      const v = (await s.get(SCIM_STORAGE_KEYS.crossCheck))[SCIM_STORAGE_KEYS.crossCheck] as CachedCrossCheck | undefined;
      return v && typeof v === 'object' && typeof v.key === 'string' ? v : undefined;
    },
    async writeCrossCheck(c) {
      await session()?.set({ [SCIM_STORAGE_KEYS.crossCheck]: c });
    },
    openScimPage() {
      void browser.tabs.create({ url: (browser.runtime.getURL as (p: string) => string)('/scim.html') });
    },
  };
}
