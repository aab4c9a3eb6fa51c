// The persistence adapter: the only file under lib/ that touches extension APIs. It is imported
// by entrypoints only, never by the core, the CLI or the Node tests of the core.
import { browser } from 'wxt/browser';
import { migrateState, type CaptureState } from '../capture/state.ts';
import { mergeManaged, normalizeSettings, type Settings } from '../settings.ts';
import { STORAGE_KEYS, type Command, type CommandResult } from '../messages.ts';
import type { ExtensionPort } from './index.ts';

export async function readManaged(): Promise<unknown> {
  try {
    // Absent outside enterprise policy; Firefox rejects when no manifest is installed.
    return await browser.storage.managed.get(null);
  } catch {
    return undefined;
  }
}

export async function readSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  const stored = await browser.storage.local.get(STORAGE_KEYS.settings);
  const user = normalizeSettings(stored[STORAGE_KEYS.settings]);
  return mergeManaged(user, await readManaged());
}

export async function writeSettings(s: Settings): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.settings]: s });
}

export function capturesArea(settings: Settings) {
  return settings.persistAcrossRestarts ? browser.storage.local : browser.storage.session;
}

export async function readCaptures(settings?: Settings): Promise<CaptureState> {
  const s = settings ?? (await readSettings()).settings;
  const got = await capturesArea(s).get(STORAGE_KEYS.captures);
  return migrateState(got[STORAGE_KEYS.captures]);
}

export async function sendCommand(cmd: Command): Promise<CommandResult> {
  const r = (await browser.runtime.sendMessage(cmd)) as CommandResult | undefined;
  if (!r) throw new Error('the background did not answer');
  if (!r.ok) throw new Error(r.error);
  return r;
}

export function browserPort(): ExtensionPort {
  return {
    async loadCaptures() {
      return readCaptures();
    },
    loadSettings: readSettings,
    subscribe(onChange) {
      const listener = (changes: Record<string, unknown>) => {
        if (STORAGE_KEYS.captures in changes || STORAGE_KEYS.settings in changes) onChange();
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
    send: sendCommand,
    openOptions() {
      void browser.runtime.openOptionsPage();
    },
  };
}
