// The extension keeps the AccessControl keys learned from accepted sign-ins (issue 17) like the
// pinned certificates: the store analyses with the kept keys, saves what it learned, and an
// analysis of the same captures again does not judge a sign-in by a key learned after it.
import { describe, expect, it, vi } from 'vitest';
import { createAppStore, type ExtensionPort } from '../lib/store/index.ts';
import { emptyState, type CaptureState } from '../lib/capture/state.ts';
import { DEFAULT_SETTINGS } from '../lib/settings.ts';
import { forgetKey, normalizeLearnedKeys, type LearnedKeys } from '../lib/abac/learned.ts';
import { LAB, signedResponse, toPost } from './lab/factory.ts';
import { at } from './clock.ts';

function port(captures: CaptureState, learned: LearnedKeys = {}) {
  const saved: LearnedKeys[] = [];
  const p: ExtensionPort = {
    loadCaptures: async () => captures,
    loadSettings: async () => ({ settings: DEFAULT_SETTINGS, locked: [] }),
    subscribe: () => () => {},
    send: async () => ({ ok: true }),
    openOptions: () => {},
    loadLearnedKeys: async () => learned,
    saveLearnedKeys: async (x) => void saved.push(x),
  };
  return { p, saved };
}
const signIn = (id: string, user: string, ac: Record<string, string>, s: number) => ({
  id,
  raw: toPost(signedResponse({ nameId: user, email: user, upn: user, issueInstant: at(s), accessControl: ac })),
  param: 'SAMLResponse' as const,
  binding: 'post' as const,
  url: LAB.acsUrl,
  method: 'POST',
  time: at(s).toISOString(),
});
const learnedWarnings = (s: ReturnType<typeof createAppStore>) =>
  s.getState().analysis.findings.filter((f) => f.messageKey === 'learnedMissing').map((f) => `${f.messageId}:${f.message.match(/AccessControl:(\w+)/)![1]}`);

describe('store: learned AccessControl keys', () => {
  it('learns from an accepted sign-in, saves the keys, and warns on a later sign-in without one', async () => {
    const captures: CaptureState = { ...emptyState(), messages: [signIn('r1', 'ana.silva@contoso.com', { CostCenter: '4711' }, 0), signIn('r2', 'bo.chen@contoso.com', {}, 30)] };
    const first = port(captures);
    const s = createAppStore(first.p);
    await s.getState().load();
    expect(learnedWarnings(s)).toEqual(['r2:CostCenter']); // already in the first (synchronous) analysis
    await vi.waitFor(() => expect(s.getState().signatures).toBe('verified'), { timeout: 5000 });
    expect(learnedWarnings(s)).toEqual(['r2:CostCenter']);
    expect(first.saved).toEqual([{ [LAB.spEntityId]: [{ key: 'CostCenter', firstSeen: at(0).toISOString(), messageId: 'r1', user: 'ana.silva@contoso.com' }] }]);

    // The popup opens again: the kept keys do not make r1's own key, or r2's, count twice, and
    // nothing new is saved.
    const again = port(captures, first.saved[0]);
    const s2 = createAppStore(again.p);
    await s2.getState().load();
    await vi.waitFor(() => expect(s2.getState().signatures).toBe('verified'), { timeout: 5000 });
    expect(learnedWarnings(s2)).toEqual(['r2:CostCenter']);
    expect(again.saved).toEqual([]);
  });

  it('a sign-in captured before the one a kept key was learned from is not judged by it', async () => {
    const kept: LearnedKeys = { [LAB.spEntityId]: [{ key: 'CostCenter', firstSeen: at(100).toISOString(), messageId: 'later' }] };
    const { p } = port({ ...emptyState(), messages: [signIn('r0', 'bo.chen@contoso.com', {}, 50)] }, kept);
    const s = createAppStore(p);
    await s.getState().load();
    expect(learnedWarnings(s)).toEqual([]);
  });

  it('stored keys of any shape are read safely; forgetting a key removes only it', () => {
    expect(normalizeLearnedKeys(null)).toEqual({});
    expect(normalizeLearnedKeys({ 'not-an-instance': [{ key: 'A', firstSeen: 'x', messageId: 'm' }], [LAB.spEntityId]: [{ key: 7 }, { key: 'A', firstSeen: 't', messageId: 'm' }, { key: 'a', firstSeen: 't', messageId: 'm' }] })).toEqual({
      [LAB.spEntityId]: [{ key: 'A', firstSeen: 't', messageId: 'm' }],
    });
    const two: LearnedKeys = { [LAB.spEntityId]: [{ key: 'A', firstSeen: 't', messageId: 'm' }, { key: 'B', firstSeen: 't', messageId: 'm' }] };
    expect(forgetKey(two, LAB.spEntityId, 'A')).toEqual({ [LAB.spEntityId]: [{ key: 'B', firstSeen: 't', messageId: 'm' }] });
    expect(forgetKey(forgetKey(two, LAB.spEntityId, 'A'), LAB.spEntityId, 'B')).toEqual({});
    expect(two[LAB.spEntityId]).toHaveLength(2);
  });
});
