// The background's storage with WXT's fake browser and the browser's real quota (10 MB per area):
// retention stays under it, so the oldest sign-ins are evicted (with a notice) before a write can
// fail; a write that fails anyway makes room and tries again; one that cannot be saved at all is
// recorded apart, shown by the popup, and survives a worker restart.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CaptureService } from '../entrypoints/background/capture.ts';
import { readCaptures } from '../lib/store/browser.ts';
import { DEFAULT_SETTINGS } from '../lib/settings.ts';
import { STORAGE_AREA_QUOTA_BYTES } from '../lib/capture/limits.ts';
import { STORAGE_KEYS } from '../lib/messages.ts';
import type { CapturedMessage } from '../lib/types.ts';
import { LAB } from './lab/factory.ts';
import { T0 } from './clock.ts';
import { capturesFromStorage } from '../lib/capture/stored.ts';

let quota = STORAGE_AREA_QUOTA_BYTES;
let refuseAll = false;
const bytesOf = (items: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify(items)).length;

beforeEach(async () => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
  quota = STORAGE_AREA_QUOTA_BYTES;
  refuseAll = false;
  // The fake browser has no quota: give storage.session the real one (what is stored plus what is written).
  const session = fakeBrowser.storage.session;
  const set = session.set.bind(session);
  vi.spyOn(session, 'set').mockImplementation(async (items: Record<string, unknown>) => {
    const all = { ...(await session.get(null)), ...items };
    if (refuseAll || bytesOf(all) > quota) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
    return set(items);
  });
  // Settings saved when retention allowed up to 64 MB.
  await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, maxMegabytes: 64 } });
});

/** A 200 KB SAMLResponse POST, as webRequest hands it over (its content does not matter here). */
function bigCapture(i: number): CapturedMessage {
  return { id: `r${i}`, raw: 'PHNhbWxwOlJlc3BvbnNl'.padEnd(200 * 1024, 'A'), param: 'SAMLResponse', binding: 'post', url: LAB.acsUrl, method: 'POST', time: new Date(T0 + i * 1000).toISOString(), tabId: 1, chain: String(i) };
}

const stored = async () => capturesFromStorage(await fakeBrowser.storage.session.get(null));

describe('captures and the storage quota', () => {
  it('60 captures of 200 KB: retention stays under the 10 MB quota, evicts the oldest with a notice, and loses nothing silently', async () => {
    const s = new CaptureService();
    await s.init();
    for (let i = 0; i < 60; i++) await s.addMessage(bigCapture(i));
    const st = await stored();
    expect(bytesOf({ captures: st })).toBeLessThan(STORAGE_AREA_QUOTA_BYTES);
    // The newest are all kept: a contiguous run up to the last capture.
    const ids = st.messages.map((m) => m.id);
    expect(ids.at(-1)).toBe('r59');
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => `r${60 - ids.length + k}`));
    expect(ids.length).toBeGreaterThanOrEqual(35);
    expect(st.notices.some((n) => n.kind === 'evicted' && /Storage limit reached/.test(n.text))).toBe(true);
    expect(st.notices.some((n) => n.kind === 'error')).toBe(false);
  });

  it('a write refused anyway (the estimate was off) makes room and saves, with a notice that says why', async () => {
    quota = 3 * 1024 * 1024;
    const s = new CaptureService();
    await s.init();
    for (let i = 0; i < 30; i++) await s.addMessage(bigCapture(i));
    const st = await stored();
    expect(st.messages.at(-1)!.id).toBe('r29');
    expect(st.notices.some((n) => n.kind === 'error' && /refused to save the captures .*removed the oldest sign-ins/.test(n.text))).toBe(true);
    expect((await fakeBrowser.storage.local.get(STORAGE_KEYS.saveError))[STORAGE_KEYS.saveError]).toBeUndefined();
  });

  it('a write that cannot be made at all is recorded apart: the popup shows it, after a worker restart too, until a save works', async () => {
    const s = new CaptureService();
    await s.init();
    await s.addMessage(bigCapture(0));
    refuseAll = true;
    await s.addMessage(bigCapture(1));
    const shown = await readCaptures();
    expect(shown.notices.at(-1)).toMatchObject({ kind: 'error' });
    expect(shown.notices.at(-1)!.text).toMatch(/^Could not save captures: Session storage quota bytes exceeded.*export them now/);
    // The worker stops and starts again: the failure is still shown.
    const restarted = new CaptureService();
    await restarted.init();
    expect((await readCaptures()).notices.some((n) => n.text.startsWith('Could not save captures'))).toBe(true);
    // Storage has room again: the next save clears it.
    refuseAll = false;
    await restarted.addMessage(bigCapture(2));
    expect((await readCaptures()).notices.some((n) => n.text.startsWith('Could not save captures'))).toBe(false);
  });
});
