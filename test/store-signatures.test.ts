// The popup store: the first analysis is synchronous (no cryptography); a second step verifies
// the signatures with the lazily loaded verifier and replaces it, and pins the first certificate.
import { describe, expect, it, vi } from 'vitest';
import { createAppStore, type ExtensionPort } from '../lib/store/index.ts';
import { emptyState, type CaptureState } from '../lib/capture/state.ts';
import { DEFAULT_SETTINGS } from '../lib/settings.ts';
import type { CertificatePins } from '../lib/signature/types.ts';
import { LAB, signedResponse, toPost } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';

function port(captures: CaptureState, pins: CertificatePins = {}) {
  const saved: CertificatePins[] = [];
  const p: ExtensionPort = {
    loadCaptures: async () => captures,
    loadSettings: async () => ({ settings: DEFAULT_SETTINGS, locked: [] }),
    subscribe: () => () => {},
    send: async () => ({ ok: true }),
    openOptions: () => {},
    loadPins: async () => pins,
    savePins: async (x) => void saved.push(x),
  };
  return { p, saved };
}
const state = (xml: string): CaptureState => ({
  ...emptyState(),
  messages: [{ id: 'r1', raw: toPost(xml), param: 'SAMLResponse', binding: 'post', url: LAB.acsUrl, method: 'POST', time: new Date().toISOString() }],
});
const ids = (s: ReturnType<typeof createAppStore>) => s.getState().analysis.findings.map((f) => `${f.severity}:${f.checkId}`);

describe('store: signatures verified after the first render', () => {
  it('first without cryptography, then with: a changed message gains signature-invalid', async () => {
    const { p } = port(state(signedResponse().replace(`${LAB.user}</NameID>`, 'eve@contoso.com</NameID>')));
    const s = createAppStore(p);
    await s.getState().load();
    expect(ids(s)).not.toContain('error:signature-invalid');
    expect(s.getState().signatures).toBe('pending');
    await vi.waitFor(() => expect(s.getState().signatures).toBe('verified'), { timeout: 5000 });
    expect(ids(s)).toContain('error:signature-invalid');
  });

  it('pins the first certificate seen and saves it; a later one is a rollover', async () => {
    const first = port(state(signedResponse()));
    const s = createAppStore(first.p);
    await s.getState().load();
    await vi.waitFor(() => expect(s.getState().signatures).toBe('verified'), { timeout: 5000 });
    expect(ids(s)).toContain('info:signature-cert-mismatch');
    expect(first.saved).toHaveLength(1);
    expect(first.saved[0]![LAB.tenantId]!.sha1).toBe(IDP_KEY.sha1);

    const later = port(state(signedResponse({}, { key: OTHER_KEY })), first.saved[0]);
    const s2 = createAppStore(later.p);
    await s2.getState().load();
    await vi.waitFor(() => expect(s2.getState().signatures).toBe('verified'), { timeout: 5000 });
    expect(ids(s2)).toContain('warning:signature-cert-mismatch');
    expect(later.saved).toEqual([]);
  });
});
