// The background's stored analysis is what the pages paint from (issue 13): it must be fresh for
// the captures and settings the pages read, or every page analyses all captures itself (the popup
// took ~800 ms at 500 messages when the view's expectations key carried the learned keys and
// never matched).
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CaptureService } from '../entrypoints/background/capture.ts';
import { readFreshView, readSettings } from '../lib/store/browser.ts';
import { DEFAULT_SETTINGS } from '../lib/settings.ts';
import { LAB, signedResponse, toPost } from './lab/factory.ts';

beforeEach(() => {
  fakeBrowser.reset();
});

describe("the background's stored analysis", () => {
  it('is fresh for the pages after a capture, with learned AccessControl keys stored, and stale after the next capture until analysed again', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, spEntityId: LAB.spEntityId, acsUrl: LAB.acsUrl } });
    const s = new CaptureService();
    await s.init();
    const now = new Date();
    const capture = (i: number) => ({ id: `r${i}`, raw: toPost(signedResponse({ issueInstant: now, accessControl: { Department: 'Eng' } })), param: 'SAMLResponse' as const, binding: 'post' as const, url: LAB.acsUrl, method: 'POST', time: now.toISOString(), tabId: 1, status: 302 });
    await s.addMessage(capture(1));
    const { settings } = await readSettings();
    await expect.poll(() => readFreshView(settings), { timeout: 10_000, interval: 100 }).toBeDefined();
    const view = (await readFreshView(settings))!;
    expect(view.messageCount).toBe(1);
    await s.addMessage(capture(2));
    expect(await readFreshView(settings)).toBeUndefined();
    await expect.poll(async () => (await readFreshView(settings))?.messageCount, { timeout: 10_000, interval: 100 }).toBe(2);
  });
});
