// The popup's and full view's head script (entrypoints/early-reads.ts → lib/store/early.ts) starts
// their first storage reads before the page's modules load. Its results are taken once, and not
// at all when storage changed since they were read (the page would paint a stale analysis).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startEarlyReads, takeEarlyReads } from '../lib/store/early.ts';

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  await fakeBrowser.storage.local.set({ analysisView: { revision: 'r1' }, settings: { a: 1 } });
  await fakeBrowser.storage.session.set({ capturesRevision: 'r1' });
});

describe('early storage reads', () => {
  it('reads the analysis, settings and save error in one call and the revision beside it, and hands them over once', async () => {
    const local = vi.spyOn(fakeBrowser.storage.local, 'get');
    const session = vi.spyOn(fakeBrowser.storage.session, 'get');
    startEarlyReads();
    expect(local.mock.calls).toEqual([[['analysisView', 'settings', 'captureSaveError']]]);
    expect(session.mock.calls).toEqual([['capturesRevision']]);
    const got = takeEarlyReads()!;
    expect(await got.local).toEqual({ analysisView: { revision: 'r1' }, settings: { a: 1 } });
    expect(await got.session).toEqual({ capturesRevision: 'r1' });
    // A refused or missing managed read is an answer of "none", never an unhandled rejection.
    await got.managed;
    expect(takeEarlyReads()).toBeUndefined();
  });

  it('are not handed over when storage changed after they started', async () => {
    startEarlyReads();
    await fakeBrowser.storage.local.set({ analysisView: { revision: 'r2' } });
    expect(takeEarlyReads()).toBeUndefined();
  });

  it('a read that throws leaves the page to read as before', () => {
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(() => {
      throw new Error('no storage here');
    });
    expect(() => startEarlyReads()).not.toThrow();
    expect(takeEarlyReads()).toBeUndefined();
  });
});
