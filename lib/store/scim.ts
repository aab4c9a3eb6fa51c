// The SCIM page's persistence and permissions: its own storage keys (lib/scim/settings.ts), the
// token in storage.session unless the user opts in to storage.local, and the Identity Center
// host as an optional permission requested on first use. Imported by entrypoints only.
import { browser } from 'wxt/browser';
import { normalizeScimSettings, SCIM_STORAGE_KEYS, type CachedCrossCheck, type ScimPort, type ScimSettings } from '../scim/settings.ts';

type Area = typeof browser.storage.local;
const session = (): Area | undefined => (browser.storage as { session?: Area }).session;

async function load(): Promise<{ settings: ScimSettings; token: string; tokenArea: 'session' | 'local' | 'none' }> {
  const got = await browser.storage.local.get([SCIM_STORAGE_KEYS.settings, SCIM_STORAGE_KEYS.token]);
  const settings = normalizeScimSettings(got[SCIM_STORAGE_KEYS.settings]);
  const s = session();
  const inSession = s ? (await s.get(SCIM_STORAGE_KEYS.token))[SCIM_STORAGE_KEYS.token] : undefined;
  if (typeof inSession === 'string' && inSession) return { settings, token: inSession, tokenArea: 'session' };
  const inLocal = got[SCIM_STORAGE_KEYS.token];
  if (settings.rememberToken && typeof inLocal === 'string' && inLocal) return { settings, token: inLocal, tokenArea: 'local' };
  return { settings, token: '', tokenArea: 'none' };
}

async function save(settings: ScimSettings, token?: string): Promise<void> {
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

export function browserScimPort(): ScimPort {
  return {
    load,
    save,
    hasPermission: (origin) => browser.permissions.contains({ origins: [origin] }).catch(() => false),
    requestPermission: (origin) => browser.permissions.request({ origins: [origin] }).catch(() => false),
    fetch: (...a: Parameters<typeof fetch>) => globalThis.fetch(...a),
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
