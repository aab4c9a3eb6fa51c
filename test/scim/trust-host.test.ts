// The SCIM token goes only to Identity Center's SCIM host (or a loopback test server) unless the
// user names another host on purpose: on the SCIM page (a checkbox) or with --trust-host.
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../cli/main.ts';
import { connectScim, DEFAULT_SCIM_SETTINGS, normalizeScimSettings, tokenMayGoTo, type ScimPort, type ScimSettings } from '../../lib/scim/settings.ts';
import { parseEndpoint } from '../../lib/scim/client.ts';

const info = (url: string) => {
  const p = parseEndpoint(url);
  if (!p.ok) throw new Error(p.message);
  return p.info;
};

function port(settings: ScimSettings, fetched: string[]): ScimPort {
  return {
    load: async () => ({ settings, token: 'secret-token', tokenArea: 'session' }),
    save: async () => undefined,
    hasPermission: async () => true,
    requestPermission: async () => true,
    fetch: (async (u: string) => {
      fetched.push(String(u));
      return new Response('{}', { status: 200 });
    }) as unknown as typeof fetch,
    readCrossCheck: async () => undefined,
    writeCrossCheck: async () => undefined,
    openScimPage: () => undefined,
  };
}

describe('where the SCIM token may go', () => {
  it("Identity Center's SCIM hosts and loopback; another host only once agreed to, by its exact name", () => {
    expect(tokenMayGoTo({}, info('https://scim.eu-west-1.amazonaws.com/abc/scim/v2'))).toBe(true);
    expect(tokenMayGoTo({}, info('https://scim.us-east-1.api.aws/abc/scim/v2'))).toBe(true);
    expect(tokenMayGoTo({}, info('http://127.0.0.1:8443/abc/scim/v2'))).toBe(true);
    const other = info('https://scim.eu-west-1.amazonaws.com.evil.example/abc/scim/v2');
    expect(tokenMayGoTo({}, other)).toBe(false);
    expect(tokenMayGoTo({ trustedHost: 'scim.eu-west-1.amazonaws.com.evil.example' }, other)).toBe(true);
    expect(tokenMayGoTo({ trustedHost: 'evil.example' }, other)).toBe(false);
    // Kept in the settings, lower-case; anything else read from storage is dropped.
    expect(normalizeScimSettings({ ...DEFAULT_SCIM_SETTINGS, trustedHost: 'SCIM.Example.COM' }).trustedHost).toBe('scim.example.com');
    expect(normalizeScimSettings({ ...DEFAULT_SCIM_SETTINGS, trustedHost: 42 }).trustedHost).toBeUndefined();
  });

  it('the popup and the checklist never send the token to a host not agreed to: no request is made', async () => {
    const fetched: string[] = [];
    const settings = { ...DEFAULT_SCIM_SETTINGS, endpoint: 'https://scim.example.com/abc/scim/v2' };
    const c = await connectScim(port(settings, fetched));
    expect(c.state).toBe('bad-endpoint');
    expect(c.state === 'bad-endpoint' ? c.message : '').toMatch(/^scim\.example\.com is not an AWS IAM Identity Center SCIM host .*only after you agree to it on the SCIM page/);
    expect(fetched).toEqual([]);
    const agreed = await connectScim(port({ ...settings, trustedHost: 'scim.example.com' }, fetched));
    expect(agreed.state).toBe('ready');
  });

  it('the CLI refuses, exit 2, unless --trust-host names the host', async () => {
    let stderr = '';
    const io: Io = { stdout: () => undefined, stderr: (s) => (stderr += s), readStdin: async () => '', color: false };
    process.env.SAMLSCOPE_TEST_TOKEN = 'secret-token';
    const code = await main(['scim', 'lookup', '--endpoint', 'https://scim.example.com/abc/scim/v2', '--token-env', 'SAMLSCOPE_TEST_TOKEN', '--user', 'a@contoso.com'], io);
    expect(code).toBe(2);
    expect(stderr).toMatch(/scim\.example\.com is not an AWS IAM Identity Center SCIM host .*only when you name it: add --trust-host scim\.example\.com/);
  });
});
